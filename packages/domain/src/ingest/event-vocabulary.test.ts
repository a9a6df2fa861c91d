import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { STANDARD_EVENTS } from './event-vocabulary.js'

describe('event vocabulary', () => {
  it('is documented event for event, with the same properties, in docs/events.md', () => {
    const doc = readFileSync(new URL('../../../../docs/events.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `([A-Za-z ]+)` \| [^|]+ \| ([^|]+) \|$/gm)].map((m) => [
      m[1],
      [...(m[2] ?? '').matchAll(/`([a-z_]+)`/g)].map((p) => p[1]),
    ])
    expect(documented).toEqual(Object.entries(STANDARD_EVENTS).map(([name, props]) => [name, [...props]]))
  })
})
