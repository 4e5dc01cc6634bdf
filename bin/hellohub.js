#!/usr/bin/env node
// The `hellohub` command: runs the compiled CLI. `npm install` builds it (the prepare script);
// a checkout that was never built is built here once, so the command always works.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
  process.stderr.write('hellohub: building (first run)…\n');
  execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
await import('../dist/cli/main.js');
