/**
 * Fails when the server's modules import each other in a cycle (a → b → … → a between module
 * folders, type-only imports aside), which dependency-cruiser's file-level rule cannot see. Prints
 * each cycle found.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

interface Cruised {
  modules: Array<{ source: string; dependencies: Array<{ resolved: string; dependencyTypes: string[] }> }>
}

const MODULE = /^packages\/server\/src\/modules\/([^/]+)\//
// Run in the current directory (the repository, or a test's fixture tree), with this repository's dependency-cruiser.
const depcruise = join(dirname(fileURLToPath(import.meta.url)), '../node_modules/dependency-cruiser/bin/dependency-cruise.mjs')
const json = execFileSync(
  process.execPath,
  [depcruise, 'packages/server/src/modules', '--config', '.dependency-cruiser.cjs', '-T', 'json', '--no-progress'],
  {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  },
)
const cruised = JSON.parse(json) as Cruised

const edges = new Map<string, Set<string>>()
for (const file of cruised.modules) {
  const from = MODULE.exec(file.source)?.[1]
  if (!from || file.source.endsWith('.test.ts')) continue
  for (const dep of file.dependencies) {
    const to = MODULE.exec(dep.resolved)?.[1]
    if (!to || to === from || dep.dependencyTypes.every((t) => t.startsWith('type-only'))) continue
    if (!edges.has(from)) edges.set(from, new Set())
    edges.get(from)?.add(to)
  }
}

const cycles: string[][] = []
const state = new Map<string, 'open' | 'done'>()
const visit = (name: string, path: string[]) => {
  state.set(name, 'open')
  for (const next of edges.get(name) ?? []) {
    if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), name, next])
    else if (!state.has(next)) visit(next, [...path, name])
  }
  state.set(name, 'done')
}
for (const name of edges.keys()) if (!state.has(name)) visit(name, [])

for (const [from, tos] of [...edges].sort()) console.log(`${from} → ${[...tos].sort().join(', ')}`)
if (cycles.length > 0) {
  for (const cycle of cycles) console.error(`module cycle: ${[...new Set(cycle)].join(' → ')} → ${cycle[0]}`)
  process.exit(1)
}
console.log('no cycles between modules')
