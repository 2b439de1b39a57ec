#!/usr/bin/env node
// The published entry point: the compiled CLI (npm install compiles it; no TypeScript loader at run time).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('marketwrap: not compiled yet: run `npm install` (or `npm run compile`) in the marketwrap folder');
  process.exit(2);
}
process.env.MARKETWRAP_BIN = '1';
await import(cli.href);
