import { describe, expect, it } from 'vitest'
import { DEFAULT_IDENTITY_POLICY as policy, type Identifier } from './identifier-types.js'
import { mergeTraits, traitsAt } from './merge-traits.js'
import { normalizeIdentifier } from './normalize-identifier.js'
import { resolveIdentities, type KnownProfile } from './resolve-identities.js'

const ids = (...pairs: Array<[string, string]>): Identifier[] => pairs.map(([type, value]) => ({ type, value }))
const sequence = () => {
  let n = 0
  return () => `p${++n}`
}
const run = (events: Identifier[][], profiles: KnownProfile[] = []) =>
  resolveIdentities(
    events.map((identifiers, i) => ({ identifiers, at: 1000 + i })),
    { profiles },
    policy,
    sequence(),
  )

describe('resolveIdentities', () => {
  it('joins an anonymous visitor who later logs in and gives a phone into one profile', () => {
    const r = run([ids(['anonymous_id', 'a1']), ids(['anonymous_id', 'a1'], ['user_id', 'u1'], ['phone', '+8613800138000'])])
    expect(r.profileOf).toEqual(['p1', 'p1'])
    expect(r.attached.map((a) => a.type)).toEqual(['anonymous_id', 'user_id', 'phone'])
    // Each identifier was first seen with the event that brought it, not when the batch was written.
    expect(r.attached.map((a) => a.firstSeenAt)).toEqual([1000, 1001, 1001])
    expect(r.merges).toEqual([])
  })

  it('keeps two customers who share a device but have different phones apart, and records the refusal', () => {
    const r = run([ids(['device_id', 'd1'], ['phone', '+8613800000001']), ids(['device_id', 'd1'], ['phone', '+8613800000002'])])
    expect(r.profileOf).toEqual(['p1', 'p2'])
    expect(r.refusals).toEqual([
      {
        eventIndex: 1,
        dropped: { type: 'device_id', value: 'd1' },
        profileId: 'p1',
        reason: 'a merge would give one profile more than 1 phone',
      },
    ])
    expect(r.attached.filter((a) => a.profileId === 'p2')).toEqual([
      { type: 'phone', value: '+8613800000002', profileId: 'p2', firstSeenAt: 1001 },
    ])
  })

  it('merges two known profiles into the older one when an event carries both', () => {
    const known: KnownProfile[] = [
      { id: 'old', firstSeenAt: 1, identifiers: ids(['user_id', 'u1'], ['anonymous_id', 'a1']) },
      { id: 'new', firstSeenAt: 5, identifiers: ids(['anonymous_id', 'a2']) },
    ]
    const r = run([ids(['anonymous_id', 'a2'], ['user_id', 'u1'])], known)
    expect(r.merges).toEqual([{ from: 'new', into: 'old', eventIndex: 0 }])
    expect(r.profileOf).toEqual(['old'])
  })

  it('refuses to merge two profiles with different user ids and matches on the higher-priority identifier', () => {
    const known: KnownProfile[] = [
      { id: 'alice', firstSeenAt: 1, identifiers: ids(['user_id', 'alice']) },
      { id: 'bob', firstSeenAt: 2, identifiers: ids(['user_id', 'bob'], ['anonymous_id', 'shared-browser']) },
    ]
    const r = run([ids(['anonymous_id', 'shared-browser'], ['user_id', 'alice'])], known)
    expect(r.merges).toEqual([])
    expect(r.profileOf).toEqual(['alice'])
    expect(r.refusals[0]?.dropped).toEqual({ type: 'anonymous_id', value: 'shared-browser' })
  })

  it('follows merges made earlier in the same batch', () => {
    const r = run([
      ids(['anonymous_id', 'a1']),
      ids(['anonymous_id', 'a2']),
      ids(['anonymous_id', 'a2'], ['user_id', 'u1'], ['anonymous_id', 'a1']),
      ids(['anonymous_id', 'a2']),
    ])
    expect(r.merges).toEqual([{ from: 'p2', into: 'p1', eventIndex: 2 }])
    expect(r.profileOf).toEqual(['p1', 'p2', 'p1', 'p1'])
  })
})

describe('mergeTraits', () => {
  it('keeps the latest non-empty value and the earliest createdAt', () => {
    const merged = mergeTraits(
      { traits: { name: 'Li', city: 'Chongqing', createdAt: '2025-01-01T00:00:00Z' }, times: { name: 10, city: 10, createdAt: 10 } },
      mergeTraits(traitsAt({ name: 'Li Wei', city: '', createdAt: '2026-02-01T00:00:00Z' }, 20), traitsAt({}, 0)),
    )
    expect(merged.traits).toEqual({ name: 'Li Wei', city: 'Chongqing', createdAt: '2025-01-01T00:00:00Z' })
  })

  it('leaves consent traits out: messaging records them as consent', () => {
    const merged = mergeTraits(
      { traits: {}, times: {} },
      traitsAt({ name: 'Li', sms_subscribe: 'opted_in', email_subscribe: 'unsubscribed' }, 5),
    )
    expect(merged).toEqual({ traits: { name: 'Li' }, times: { name: 5 } })
  })
})

describe('normalizeIdentifier', () => {
  it('writes Chinese mobile numbers in E.164 and lower-cases emails', () => {
    expect(normalizeIdentifier('phone', '138 0013 8000')).toBe('+8613800138000')
    expect(normalizeIdentifier('phone', '+86 138-0013-8000')).toBe('+8613800138000')
    expect(normalizeIdentifier('phone', '12345')).toBeNull()
    expect(normalizeIdentifier('email', ' Li.Wei@Example.COM ')).toBe('li.wei@example.com')
    expect(normalizeIdentifier('user_id', 42)).toBe('42')
    expect(normalizeIdentifier('user_id', '  ')).toBeNull()
  })
})
