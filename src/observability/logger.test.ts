import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactUrl } from './logger.js';

test('credentials in query strings are masked however their name is encoded', () => {
  assert.equal(redactUrl('/api/ping?token=hh_secret&page=2'), '/api/ping?token=[redacted]&page=2');
  assert.equal(redactUrl('/api/ping?%74oken=hh_secret'), '/api/ping?%74oken=[redacted]');
  assert.equal(redactUrl('/api/ping?to%6Ben=hh_secret'), '/api/ping?to%6Ben=[redacted]');
  assert.equal(redactUrl('/api/ping?TOKEN=hh_secret'), '/api/ping?TOKEN=[redacted]');
  assert.equal(redactUrl('/api/ping?token[]=hh_secret'), '/api/ping?token[]=[redacted]');
  assert.equal(redactUrl('/api/ping?%zz=1&token=x'), '/api/ping?%zz=1&token=[redacted]');
  assert.equal(redactUrl('/v1/profiles?email=a%40b.c'), '/v1/profiles?email=a%40b.c');
  assert.equal(redactUrl('/healthz'), '/healthz');
});
