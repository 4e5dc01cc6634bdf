/**
 * Shared helpers of the commerce HTTP suites: a tenant-bound client whose form encoding
 * indexes arrays of hashes (`items[0][product]=…`, as Rails and PHP clients write them), and
 * minimal types of the catalog's wire objects.
 */
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { bearer, testBusiness, type TestApp } from '../support/app.js';
import { formEncode, type Encoding, type Reply } from '../audience/audience-client.js';

export { assertError, ENCODINGS, sortedKeys, type Encoding } from '../audience/audience-client.js';

export interface ProductPriceJson {
  amount: number;
  converted_amount: number | null;
  converted_currency: string;
  currency: string;
}

export interface VariantJson {
  id: string;
  type: 'product_variant';
  created_at: number;
  image_url: string | null;
  metadata: Record<string, unknown>;
  name: string;
  price: ProductPriceJson | null;
  product: string;
  reference: string | null;
  sku: string | null;
  source: string | null;
}

export interface ProductJson {
  id: string;
  type: 'product';
  brand: string | null;
  categories: string[];
  collection: string[];
  created_at: number;
  image_url: string | null;
  metadata: Record<string, unknown>;
  name: string;
  price: ProductPriceJson | null;
  reference: string | null;
  sku: string | null;
  source: string | null;
  tags: string[];
  variants: VariantJson[];
}

export interface ItemPriceJson {
  amount: string;
  converted_amount: string | null;
  converted_currency: string;
  currency: string;
}

export interface ItemJson {
  id: string;
  type: 'order_item' | 'cart_item';
  created_at: number;
  price: ItemPriceJson;
  /** null for an order item whose product was deleted. */
  product: string | null;
  quantity: number;
  variant: string | null;
  order?: string;
  /** Order items: what the item was sold as. */
  name?: string;
  sku?: string | null;
}

export interface OrderJson {
  id: string;
  type: 'order';
  created_at: number;
  delivery: 'collect' | 'deliver' | null;
  items: ItemJson[];
  metadata: Record<string, unknown>;
  reference: string | null;
  source: string | null;
  total: { amount: string; converted_amount: string | null; converted_amount_currency: string; currency: string };
  profile: string | null;
  session: string | null;
}

export interface CartJson {
  id: string;
  type: 'cart';
  created_at: number;
  items: ItemJson[];
  metadata: Record<string, unknown>;
  profile: string | null;
  reference: string | null;
  session: string | null;
  source: string | null;
}

export interface RefundJson {
  id: string;
  type: 'refund';
  created_at: number;
  metadata: Record<string, unknown>;
  profile: string | null;
  reference: string | null;
  refundable: { id: string; type: 'order' | 'product'; amount: string | null; created_at: number; currency: string | null; metadata: Record<string, unknown> } | null;
  source: string | null;
  total: ItemPriceJson | null;
}

/** The documented keys of each object (and our extensions: items' `variant`, order items' `name` and `sku`, orders' `profile` and `session`). */
export const PRODUCT_KEYS = ['id', 'type', 'brand', 'categories', 'collection', 'created_at', 'image_url', 'metadata', 'name', 'price', 'reference', 'sku', 'source', 'tags', 'variants'];
export const VARIANT_KEYS = ['id', 'type', 'created_at', 'image_url', 'metadata', 'name', 'price', 'product', 'reference', 'sku', 'source'];
export const ITEM_KEYS = ['id', 'type', 'created_at', 'price', 'product', 'quantity', 'variant'];
/** Order items also keep the name and sku they were sold under. */
export const ORDER_ITEM_KEYS = [...ITEM_KEYS, 'name', 'sku'];
export const ORDER_KEYS = ['id', 'type', 'created_at', 'delivery', 'items', 'metadata', 'reference', 'source', 'total', 'profile', 'session'];
export const CART_KEYS = ['id', 'type', 'created_at', 'items', 'metadata', 'profile', 'reference', 'session', 'source'];
export const REFUND_KEYS = ['id', 'type', 'created_at', 'metadata', 'profile', 'reference', 'refundable', 'source', 'total'];

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** A client of one business's /v1/attribution API, sending bodies in one encoding. */
export class Shop {
  constructor(
    readonly t: Pick<TestApp, 'app'>,
    readonly token: string,
    readonly encoding: Encoding,
    readonly businessId: number,
  ) {}

  as(encoding: Encoding): Shop {
    return new Shop(this.t, this.token, encoding, this.businessId);
  }

  async request<T>(method: Method, url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    const options: InjectOptions = { method, url: url.startsWith('/v1') ? url : `/v1/attribution${url}`, headers: bearer(this.token) };
    if (body !== undefined) {
      const json = this.encoding === 'json';
      options.headers = { ...options.headers, 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' };
      options.payload = json ? JSON.stringify(body) : formEncode(body);
    }
    const res = await this.t.app.inject(options);
    let parsed: unknown;
    try {
      parsed = res.body === '' ? undefined : JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed as T, text: res.body };
  }

  get<T>(url: string): Promise<Reply<T>> {
    return this.request<T>('GET', url);
  }
  post<T>(url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    return this.request<T>('POST', url, body);
  }
  patch<T>(url: string, body?: Record<string, unknown>): Promise<Reply<T>> {
    return this.request<T>('PATCH', url, body);
  }
  delete<T>(url: string): Promise<Reply<T>> {
    return this.request<T>('DELETE', url);
  }

  /** POST that must answer 201; the object. */
  async created<T>(url: string, body: Record<string, unknown>): Promise<T> {
    const res = await this.post<T>(url, body);
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  /** GET, PATCH or DELETE that must answer 200; the object. */
  async ok<T>(method: 'GET' | 'PATCH' | 'DELETE', url: string, body?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(method, url, body);
    assert.equal(res.status, 200, res.text);
    return res.body;
  }

  product(body: Record<string, unknown>): Promise<ProductJson> {
    return this.created<ProductJson>('/products', body);
  }

  order(body: Record<string, unknown> = {}): Promise<OrderJson> {
    return this.created<OrderJson>('/orders', body);
  }

  async profile(body: Record<string, unknown> = {}): Promise<string> {
    return (await this.created<{ id: string }>('/v1/profiles', body)).id;
  }
}

/** A fresh business (reporting currency EUR) and a client of it. */
export async function shop(t: Pick<TestApp, 'app' | 'core'>, encoding: Encoding = 'json'): Promise<Shop> {
  const { business, token } = await testBusiness(t.core);
  return new Shop(t, token, encoding, business.id);
}

/** An id of the right length that no alphabet produces. */
export const FORGED = 'zz-zzzzz';
