#!/usr/bin/env -S node --max-semi-space-size=2
// A 2 MB young generation: sending allocates small garbage fast, and V8 would otherwise grow the nursery
// to 32 MB and more of resident memory for it (bench: peak RSS at 100,000 subscribers).
// The published entry point: the compiled CLI (npm install compiles it; no TypeScript loader at run time).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('marketwrap: not compiled yet: run `npm install` (or `npm run compile`) in the marketwrap folder');
  process.exit(2);
}
process.env.MARKETWRAP_BIN = '1';
await import(cli.href);
