import type { TrackableType } from '../../store/tables.js';
import type { TenantDb } from '../shared/tenant.js';

/** What an event shows of the object it was tracked for. Money in e4; absent fields are unknown. */
export interface TrackableSummary {
  readonly type: TrackableType;
  readonly id: number;
  readonly name?: string | null;
  readonly code?: string;
  readonly amountE4?: number | null;
  readonly currency?: string | null;
  readonly productIds?: readonly number[];
  readonly productId?: number;
}

const key = (type: TrackableType, id: number) => `${type}:${id}`;

/** Summaries of many trackables in one query per type; deleted objects are absent. */
export async function trackableSummaries(tenant: TenantDb, refs: ReadonlyArray<{ type: TrackableType; id: number }>): Promise<Map<string, TrackableSummary>> {
  const byType = new Map<TrackableType, number[]>();
  for (const ref of refs) byType.set(ref.type, [...new Set([...(byType.get(ref.type) ?? []), ref.id])]);
  const found = new Map<string, TrackableSummary>();
  const put = (summary: TrackableSummary) => found.set(key(summary.type, summary.id), summary);
  for (const [type, ids] of byType) {
    switch (type) {
      case 'app':
      case 'form': {
        const table = type === 'app' ? 'apps' : 'forms';
        for (const row of await tenant.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute()) put({ type, id: row.id, name: row.name });
        break;
      }
      case 'coupon':
        for (const row of await tenant.selectFrom('coupons').select(['id', 'code']).where('id', 'in', ids).execute()) put({ type, id: row.id, code: row.code });
        break;
      case 'refund':
        for (const row of await tenant.selectFrom('refunds').select(['id', 'total_e4', 'currency']).where('id', 'in', ids).execute()) {
          put({ type, id: row.id, amountE4: row.total_e4, currency: row.currency });
        }
        break;
      case 'order': {
        const items = await itemProducts(tenant, 'order_items', ids);
        for (const row of await tenant.selectFrom('orders').select(['id', 'total_e4', 'currency']).where('id', 'in', ids).execute()) {
          put({ type, id: row.id, amountE4: row.total_e4, currency: row.currency, productIds: items.get(row.id) ?? [] });
        }
        break;
      }
      case 'cart': {
        const items = await itemProducts(tenant, 'cart_items', ids);
        for (const row of await tenant.selectFrom('carts').select('id').where('id', 'in', ids).execute()) put({ type, id: row.id, productIds: items.get(row.id) ?? [] });
        break;
      }
      case 'product':
        for (const row of await tenant
          .selectFrom('products')
          .innerJoin('product_variants', 'product_variants.product_id', 'products.id')
          .select(['products.id', 'products.name', 'product_variants.price_e4', 'product_variants.currency'])
          .where('products.id', 'in', ids)
          .where('product_variants.is_default', '=', 1)
          .execute()) {
          put({ type, id: row.id, name: row.name, amountE4: row.price_e4, currency: row.currency });
        }
        break;
      case 'product_variant':
        for (const row of await tenant.selectFrom('product_variants').select(['id', 'name', 'product_id', 'price_e4', 'currency']).where('id', 'in', ids).execute()) {
          put({ type, id: row.id, name: row.name, productId: row.product_id, amountE4: row.price_e4, currency: row.currency });
        }
        break;
    }
  }
  return found;
}

export const summaryKey = key;

async function itemProducts(tenant: TenantDb, table: 'order_items' | 'cart_items', ids: readonly number[]): Promise<Map<number, number[]>> {
  const rows =
    table === 'order_items'
      ? await tenant.selectFrom('order_items').select(['order_id as owner', 'product_id']).where('order_id', 'in', ids).orderBy('id').execute()
      : await tenant.selectFrom('cart_items').select(['cart_id as owner', 'product_id']).where('cart_id', 'in', ids).orderBy('id').execute();
  const products = new Map<number, number[]>();
  for (const row of rows) {
    const list = products.get(row.owner) ?? [];
    // A line whose product was deleted since keeps its place in the order, not in product_ids.
    if (row.product_id !== null && !list.includes(row.product_id)) list.push(row.product_id);
    products.set(row.owner, list);
  }
  return products;
}
