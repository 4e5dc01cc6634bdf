import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommit } from './group-commit.js';

type Outcomes = Array<{ ok: true; value: string } | { ok: false; error: unknown }>;

/** A writer whose batches finish when the test says so. */
function controlledWriter() {
  const batches: string[][] = [];
  const finish: Array<() => void> = [];
  const write = (items: string[]): Promise<Outcomes> => {
    batches.push(items);
    return new Promise((resolve) => finish.push(() => resolve(items.map((item) => (item.startsWith('bad') ? { ok: false, error: new Error(item) } : { ok: true, value: item.toUpperCase() })))));
  };
  return { batches, finish, write };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('items submitted in one turn form one batch; items arriving while it is written form the next', async () => {
  const writer = controlledWriter();
  const commit = new GroupCommit(writer.write, 100);
  const first = [commit.submit('a'), commit.submit('b')];
  await turn();
  const second = [commit.submit('c'), commit.submit('d'), commit.submit('e')];
  await turn();
  assert.deepEqual(writer.batches, [['a', 'b']]);
  writer.finish[0]?.();
  assert.deepEqual(await Promise.all(first), ['A', 'B']);
  assert.deepEqual(writer.batches, [['a', 'b'], ['c', 'd', 'e']]);
  writer.finish[1]?.();
  assert.deepEqual(await Promise.all(second), ['C', 'D', 'E']);
});

test('a batch holds at most maxBatch items; the rest wait for the next', async () => {
  const writer = controlledWriter();
  const commit = new GroupCommit(writer.write, 2);
  const all = ['a', 'b', 'c'].map((item) => commit.submit(item));
  await turn();
  writer.finish[0]?.();
  await turn();
  writer.finish[1]?.();
  assert.deepEqual(await Promise.all(all), ['A', 'B', 'C']);
  assert.deepEqual(writer.batches, [['a', 'b'], ['c']]);
});

test('an item that fails is refused alone; a write that throws refuses its whole batch', async () => {
  const writer = controlledWriter();
  const commit = new GroupCommit(writer.write, 100);
  const good = commit.submit('good');
  const bad = commit.submit('bad one');
  await turn();
  writer.finish[0]?.();
  assert.equal(await good, 'GOOD');
  await assert.rejects(bad, /bad one/);

  const failing = new GroupCommit<string, string>(() => Promise.reject(new Error('disk full')), 100);
  await assert.rejects(Promise.all([failing.submit('x'), failing.submit('y')]), /disk full/);
});

test("the next batch starts before the last one's callers hear back", async () => {
  const writer = controlledWriter();
  const commit = new GroupCommit(writer.write, 100);
  const order: string[] = [];
  const first = commit.submit('a').then(() => order.push(`answered a, batches started: ${writer.batches.length}`));
  await turn();
  const second = commit.submit('b');
  await turn();
  writer.finish[0]?.();
  await first;
  assert.deepEqual(order, ['answered a, batches started: 2']);
  writer.finish[1]?.();
  assert.equal(await second, 'B');
});
