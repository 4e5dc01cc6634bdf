import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertError, audienceApp, ENCODINGS, sortedKeys, tenant, type Api, type AudienceApp } from '../audience/audience-client.js';

/** POST/GET/PATCH/DELETE /v1/coupons[/:id] and GET /v1/coupons (the reference's paths: no /attribution). */

interface CouponJson {
  id: string;
  type: 'coupon';
  code: string;
  created_at: number;
  description: string;
  destination_url: string;
  reference: string | null;
}

const COUPON_KEYS = ['code', 'created_at', 'description', 'destination_url', 'id', 'reference', 'type'];

const SALE = { code: 'SALE', description: 'Get 15% off all our summer sale', destination_url: 'https://www.myshop.com/redeem/SALE' };

async function createCoupon(api: Api, body: Record<string, unknown>): Promise<CouponJson> {
  const res = await api.post<CouponJson>('/coupons', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

describe('coupons', () => {
  let t: AudienceApp;
  before(async () => {
    t = await audienceApp();
  });
  after(() => t.close());

  test('the coupon object: create 201, retrieve, update, delete, in the documented shapes', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const res = await api.post<CouponJson>('/coupons', SALE);
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(sortedKeys(res.body), COUPON_KEYS);
      assert.deepEqual({ ...res.body, id: '-' }, { id: '-', type: 'coupon', ...SALE, created_at: t.clock.seconds, reference: null });
      const { id } = res.body;
      assert.deepEqual((await api.get<CouponJson>(`/coupons/${id}`)).body, res.body);

      t.clock.tick();
      const update = { code: 'SALE15', description: 'Get 15% off all our summer sale', destination_url: 'https://www.myshop.com/redeem/SALE', reference: 'shopify-1234' };
      const updated = await api.patch<CouponJson>(`/coupons/${id}`, update);
      assert.equal(updated.status, 200, updated.text);
      assert.deepEqual(updated.body, { ...res.body, ...update });
      assert.deepEqual((await api.get<CouponJson>(`/coupons/${id}`)).body, updated.body);

      const deleted = await api.delete<Record<string, unknown>>(`/coupons/${id}`);
      assert.equal(deleted.status, 200, deleted.text);
      assert.deepEqual(deleted.body, { id, type: 'coupon', deleted: true });
      assertError(await api.get(`/coupons/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/coupons/${id}`, { code: 'X' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/coupons/${id}`), 404, 'not_found', 'id');
    }
  });

  test('code, description and destination_url are required on create; reference is optional', async () => {
    const api = await tenant(t);
    for (const parameter of ['code', 'description', 'destination_url'] as const) {
      const { [parameter]: _left, ...rest } = SALE;
      assertError(await api.post('/coupons', rest), 400, 'parameter_missing', parameter);
      assertError(await api.post('/coupons', { ...rest, [parameter]: null }), 400, 'parameter_missing', parameter);
      for (const encoding of ENCODINGS) {
        assertError(await api.as(encoding).post('/coupons', { ...rest, [parameter]: '' }), 422, 'parameter_invalid_empty', parameter);
        assertError(await api.as(encoding).post('/coupons', { ...rest, [parameter]: '  ' }), 422, 'parameter_invalid_empty', parameter);
      }
    }
    assertError(await api.post('/coupons', {}), 400, 'parameter_missing', 'code');
    const withReference = await createCoupon(api, { ...SALE, reference: ' ext-42 ' });
    assert.equal(withReference.reference, 'ext-42');
    assert.equal((await createCoupon(api, { ...SALE, code: 'NOREF', reference: '' })).reference, null);
    assert.equal((await createCoupon(api, { ...SALE, code: 'NULLREF', reference: null })).reference, null);
  });

  test('lengths and URLs are checked', async () => {
    const api = await tenant(t);
    assertError(await api.post('/coupons', { ...SALE, code: 'C'.repeat(201) }), 422, 'invalid', 'code');
    assert.equal((await createCoupon(api, { ...SALE, code: 'C'.repeat(200) })).code.length, 200);
    assertError(await api.post('/coupons', { ...SALE, description: 'd'.repeat(1001) }), 422, 'invalid', 'description');
    assertError(await api.post('/coupons', { ...SALE, reference: 'r'.repeat(201) }), 422, 'invalid', 'reference');
    for (const bad of ['myshop.com/redeem', 'not a url', 'ftp://myshop.com/redeem', 'mailto:sales@myshop.com', `https://myshop.com/${'x'.repeat(2048)}`]) {
      assertError(await api.post('/coupons', { ...SALE, destination_url: bad }), 422, 'invalid', 'destination_url');
    }
    assertError(await api.post('/coupons', { ...SALE, code: ['A', 'B'] }), 422, 'invalid', 'code');
    assert.equal((await createCoupon(api, { ...SALE, code: 'HTTP', destination_url: 'http://myshop.com/r?c=HTTP&x=1' })).destination_url, 'http://myshop.com/r?c=HTTP&x=1');
    assert.equal((await api.get<{ coupons: CouponJson[] }>('/coupons')).body.coupons.length, 2, 'refused creates made nothing');
  });

  test('codes are case-sensitive and unique per business', async () => {
    const api = await tenant(t);
    const sale = await createCoupon(api, SALE);
    assertError(await api.post('/coupons', SALE), 422, 'parameter_not_unique', 'code');
    assertError(await api.post('/coupons', { ...SALE, code: ' SALE ' }), 422, 'parameter_not_unique', 'code');
    const lower = await createCoupon(api, { ...SALE, code: 'sale' });
    assert.equal(lower.code, 'sale');
    assertError(await api.patch(`/coupons/${lower.id}`, { code: 'SALE' }), 422, 'parameter_not_unique', 'code');
    assert.deepEqual((await api.patch<CouponJson>(`/coupons/${sale.id}`, { code: 'SALE' })).body, sale, 'its own code');
    const other = await tenant(t);
    assert.equal((await createCoupon(other, SALE)).code, 'SALE', 'another business may use the code');

    const replies = await Promise.all(Array.from({ length: 6 }, () => api.post('/coupons', { ...SALE, code: 'RACE' })));
    assert.equal(replies.filter((res) => res.status === 201).length, 1);
    for (const res of replies.filter((reply) => reply.status !== 201)) assertError(res, 422, 'parameter_not_unique', 'code');
  });

  test('PATCH is partial: parameters not given are kept, an explicit empty required value is refused', async () => {
    for (const encoding of ENCODINGS) {
      const api = await tenant(t, encoding);
      const coupon = await createCoupon(api, { ...SALE, reference: 'ext-1' });
      const described = await api.patch<CouponJson>(`/coupons/${coupon.id}`, { description: 'Now 20% off' });
      assert.equal(described.status, 200, described.text);
      assert.deepEqual(described.body, { ...coupon, description: 'Now 20% off' });
      assert.deepEqual((await api.patch<CouponJson>(`/coupons/${coupon.id}`, {})).body, described.body);
      for (const parameter of ['code', 'description', 'destination_url']) {
        assertError(await api.patch(`/coupons/${coupon.id}`, { [parameter]: '' }), 422, 'parameter_invalid_empty', parameter);
        // A JSON null reaches a form as an empty value: refused the same.
        assertError(await api.patch(`/coupons/${coupon.id}`, { [parameter]: null }), 422, 'parameter_invalid_empty', parameter);
      }
      assertError(await api.patch(`/coupons/${coupon.id}`, { destination_url: 'nope' }), 422, 'invalid', 'destination_url');
      assert.deepEqual((await api.get(`/coupons/${coupon.id}`)).body, described.body, 'refused updates changed nothing');
      const cleared = await api.patch<CouponJson>(`/coupons/${coupon.id}`, { reference: null });
      assert.equal(cleared.body.reference, null, 'an empty reference clears it');
      const moved = await api.patch<CouponJson>(`/coupons/${coupon.id}`, { destination_url: 'https://www.myshop.com/redeem/SALE20' });
      assert.deepEqual(moved.body, { ...described.body, reference: null, destination_url: 'https://www.myshop.com/redeem/SALE20' });
    }
  });

  test('GET /v1/coupons: {coupons: […]} newest first, paginated', async () => {
    const api = await tenant(t);
    assert.deepEqual((await api.get('/coupons')).body, { coupons: [] });
    for (const code of ['ONE', 'TWO', 'THREE', 'FOUR']) await createCoupon(api, { ...SALE, code });
    const page = async (query = '') => {
      const res = await api.get<{ coupons: CouponJson[] }>(`/coupons${query}`);
      assert.equal(res.status, 200, res.text);
      return res.body.coupons;
    };
    const all = await page();
    assert.deepEqual(
      all.map((coupon) => coupon.code),
      ['FOUR', 'THREE', 'TWO', 'ONE'],
    );
    assert.deepEqual(all[0], (await api.get(`/coupons/${all[0]?.id}`)).body);
    assert.deepEqual((await page('?limit=2')).map((coupon) => coupon.code), ['FOUR', 'THREE']);
    assert.deepEqual((await page(`?starting_after=${all[1]?.id}`)).map((coupon) => coupon.code), ['TWO', 'ONE']);
    assert.deepEqual((await page(`?ending_before=${all[2]?.id}&limit=5`)).map((coupon) => coupon.code), ['FOUR', 'THREE']);
    assertError(await api.get('/coupons?limit=-1'), 422, 'invalid', 'limit');
    assertError(await api.get('/coupons?starting_after=zz-zzzzz'), 422, 'invalid', 'starting_after');
  });

  test('forged ids are 404; the coupon routes are not under /attribution', async () => {
    const api = await tenant(t);
    const coupon = await createCoupon(api, SALE);
    for (const id of ['zz-zzzzz', 'SALE']) {
      assertError(await api.get(`/coupons/${id}`), 404, 'not_found', 'id');
      assertError(await api.patch(`/coupons/${id}`, { code: 'X' }), 404, 'not_found', 'id');
      assertError(await api.delete(`/coupons/${id}`), 404, 'not_found', 'id');
    }
    assertError(await api.get(`/attribution/coupons/${coupon.id}`), 404, 'not_found');
  });
});
