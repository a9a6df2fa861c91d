import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { en, zh } from '../../i18n/dictionaries.js'

const SERVER = join(import.meta.dirname, '..', '..', '..', '..', 'server', 'src')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'test-support' ? [] : sources(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [readFileSync(path, 'utf8')] : []
  })
}

const code = sources(SERVER).join('\n')
const found = (pattern: RegExp) => [...new Set([...code.matchAll(pattern)].map((m) => m[1]!))].sort()

describe('names of what the server records and runs', () => {
  const dictionaries: Array<Record<string, string>> = [zh, en]

  it('gives every audit action a name in both languages', () => {
    const actions = found(/action: '([a-z_.]+)'/g)
    // The tags service records tag.add and tag.remove as `tag.${input.action}`.
    if (code.includes('action: `tag.${input.action}`')) actions.push('tag.add', 'tag.remove')
    // The broadcasts service records its state changes as `broadcast.${change}`.
    if (code.includes('action: `broadcast.${change}`'))
      actions.push('broadcast.schedule', 'broadcast.pause', 'broadcast.resume', 'broadcast.cancel')
    expect(actions.length).toBeGreaterThan(30)
    for (const action of actions) for (const d of dictionaries) expect(d[`audit.action.${action}`], action).toBeTruthy()
  })

  it('gives every entity type a name in both languages', () => {
    const types = found(/entityType: '([a-z_]+)'/g)
    for (const type of types) for (const d of dictionaries) expect(d[`audit.entityType.${type}`], type).toBeTruthy()
  })

  it('gives every job queue a name in both languages', () => {
    const queues = [...found(/defineQueue\(\s*'([a-z.-]+)'/g), ...found(/_QUEUE = '([a-z.-]+)'/g)]
    expect(queues.length).toBeGreaterThan(5)
    for (const queue of queues) for (const d of dictionaries) expect(d[`jobs.queue.${queue}`], queue).toBeTruthy()
  })
})
