#!/usr/bin/env node
// The `reachloop` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
if (!existsSync(main)) {
  console.error('reachloop: the server is not built yet. Run `npm run build` in the repository root.')
  process.exit(1)
}
await import(main)
