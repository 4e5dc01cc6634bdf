#!/usr/bin/env node
// The `hellohub` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import '../dist/cli/main.js';
