// The load of bench/ingest.ts, in a process of its own: autocannon POSTs the given bodies in
// turn for `duration` seconds over `connections` connections and prints one JSON line, with
// the CPU time the load itself took (it shares the machine with the server).
// Usage: node bench/ingest-load.mjs URL TOKEN CONNECTIONS DURATION BODIES_JSON_FILE
import fs from 'node:fs';
import autocannon from 'autocannon';

const [url, token, connections, duration, bodiesFile] = process.argv.slice(2);
const bodies = JSON.parse(fs.readFileSync(bodiesFile, 'utf8'));
let next = 0;
const cpuBefore = process.cpuUsage();
const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  duration: Number(duration),
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
});
const cpu = process.cpuUsage(cpuBefore);
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
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  })}\n`,
);
