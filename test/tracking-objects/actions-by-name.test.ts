import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createBusiness } from '../../src/core/business/businesses.service.js';
import { forBusiness, inTransaction, type TenantContext } from '../../src/core/shared/tenant.js';
import { actionsByName, BUILTIN_ACTIONS, createAction } from '../../src/core/tracking/actions.service.js';
import { testCore, type TestCore } from '../support/context.js';

/** The core's lookup of actions by name for event tracking, and the built-in set. */
describe('actionsByName', () => {
  let core: TestCore;
  before(async () => {
    core = await testCore();
  });
  after(() => core.dispose());

  let counter = 0;
  async function business(): Promise<TenantContext> {
    const { business: created } = await createBusiness(core, { name: `Actions ${++counter}` });
    return forBusiness(core, created.id);
  }

  const builtinRows = (ctx: TenantContext) => ctx.tenant.selectFrom('actions').selectAll().where('builtin', '=', 1).orderBy('name').execute();

  test('BUILTIN_ACTIONS: the eighteen actions of the reference; four of them are not passive', () => {
    assert.deepEqual(Object.keys(BUILTIN_ACTIONS).sort(), [
      'app.installed',
      'app.removed',
      'app.spent',
      'cart.abandoned',
      'cart.added',
      'cart.removed',
      'coupon.redeemed',
      'form.completed',
      'order.cancelled',
      'order.confirmed',
      'order.delivered',
      'order.placed',
      'order.printed_label',
      'order.shipped',
      'product.purchased',
      'product.viewed',
      'refund.received',
      'refund.requested',
    ]);
    const active = Object.entries(BUILTIN_ACTIONS).filter(([, action]) => !action.passive).map(([name]) => name);
    assert.deepEqual(active.sort(), ['cart.abandoned', 'form.completed', 'order.placed', 'refund.requested']);
    assert.equal(BUILTIN_ACTIONS['order.placed'].title, 'Order placed');
    for (const action of Object.values(BUILTIN_ACTIONS)) assert.match(action.title, /^[A-Z][a-z]+( [a-z]+)*$/);
  });

  test('existing custom rows, built-in rows made on first use, unknown names absent', async () => {
    const ctx = await business();
    assert.deepEqual(await builtinRows(ctx), [], 'a new business has no built-in rows yet');
    const custom = await createAction(ctx, { name: 'signup_form.completed' });
    const found = await actionsByName(ctx, ['signup_form.completed', 'order.placed', 'product.viewed', 'order.placed', 'nope.never', 'Order.Placed']);
    assert.deepEqual([...found.keys()].sort(), ['order.placed', 'product.viewed', 'signup_form.completed']);
    assert.equal(found.get('signup_form.completed')?.id, custom.id);
    const placed = found.get('order.placed');
    assert.deepEqual(
      { name: placed?.name, title: placed?.title, goal: placed?.goal, passive: placed?.passive, builtin: placed?.builtin },
      { name: 'order.placed', title: 'Order placed', goal: 0, passive: 0, builtin: 1 },
    );
    assert.equal(found.get('product.viewed')?.passive, 1);
    assert.deepEqual(
      (await builtinRows(ctx)).map((row) => row.name),
      ['order.placed', 'product.viewed'],
      'only the names asked for',
    );
    const again = await actionsByName(ctx, ['order.placed']);
    assert.equal(again.get('order.placed')?.id, placed?.id, 'the same row the second time');
    assert.equal((await actionsByName(ctx, [])).size, 0);
  });

  test('concurrent first uses make one row per name and all callers get it', async () => {
    const ctx = await business();
    const names = ['cart.added', 'order.placed', 'refund.requested', 'app.installed'];
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => actionsByName(ctx, i % 2 ? names : [...names].reverse())));
    const rows = await builtinRows(ctx);
    assert.deepEqual(rows.map((row) => row.name), [...names].sort());
    for (const result of results) {
      for (const row of rows) assert.equal(result.get(row.name)?.id, row.id);
    }
  });

  test("inside the caller's transaction: the rows are its writes, undone with it", async () => {
    const ctx = await business();
    await assert.rejects(
      inTransaction(ctx, async (trx) => {
        const found = await actionsByName(trx, ['form.completed']);
        assert.ok(found.get('form.completed'));
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.deepEqual(await builtinRows(ctx), []);
    const kept = await inTransaction(ctx, (trx) => actionsByName(trx, ['form.completed']));
    assert.equal((await builtinRows(ctx))[0]?.id, kept.get('form.completed')?.id);
  });

  test('each business gets its own rows', async () => {
    const a = await business();
    const b = await business();
    const rowA = (await actionsByName(a, ['order.shipped'])).get('order.shipped');
    const rowB = (await actionsByName(b, ['order.shipped'])).get('order.shipped');
    assert.ok(rowA && rowB);
    assert.notEqual(rowA.id, rowB.id);
    assert.equal(rowA.business_id, a.businessId);
    assert.equal(rowB.business_id, b.businessId);
    await createAction(a, { name: 'only.in_a' });
    assert.equal((await actionsByName(b, ['only.in_a'])).size, 0);
  });
});
