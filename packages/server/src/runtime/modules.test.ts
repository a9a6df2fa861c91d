import { PLATFORM_EVENTS } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { MODULES } from './modules.js'

describe('the list of modules', () => {
  it('gives each module, queue and recurring job one name', () => {
    const names = (list: string[]) => expect(new Set(list).size).toBe(list.length)
    names(MODULES.map((m) => m.name))
    names(MODULES.flatMap((m) => [...(m.queues ?? []).map((q) => q.queue.name), ...(m.recurring ?? []).map((r) => r.queue)]))
  })

  it('refuses from clients every event a module records itself', () => {
    const internal = MODULES.flatMap((m) => m.internalEvents ?? [])
    expect(internal.length).toBeGreaterThan(0)
    expect([...internal].sort()).toEqual([...PLATFORM_EVENTS].sort())
  })
})
