// The load of bench/ingest.ts, in a process of its own: autocannon POSTs the given bodies in
// turn for `duration` seconds over `connections` connections and prints one JSON line.
// Usage: node bench/ingest-load.mjs URL TOKEN CONNECTIONS DURATION BODIES_JSON_FILE
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, token, connections, duration, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(fs.readFileSync(bodiesFile, 'utf8'));
let next = 0;
const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  duration: Number(duration),
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  })}\n`,
);
