import { ComputedDefinition, EventWindow, SegmentNode } from '@reachloop/domain'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { withOwnerApp } from '../../test-support/test-app.js'
import { discriminateTaggedUnions } from './tagged-unions.js'

const leaf = { kind: 'identifier', identifierType: 'phone', has: true }
const samples: unknown[] = [
  leaf,
  { kind: 'and', children: [leaf, { kind: 'not', child: leaf }] },
  { kind: 'or', children: [] },
  { kind: 'not', child: { kind: 'or', children: [{ ...leaf, has: 'yes' }] } },
  { kind: 'bogus' },
  { children: [leaf] },
  { kind: 'trait', trait: 'city', type: 'string', op: 'equals', value: 'Hangzhou' },
  { kind: 'trait', trait: 'city' },
  {
    kind: 'event',
    event: 'Order Completed',
    filters: [],
    window: { type: 'last', amount: 30, unit: 'days' },
    aggregate: 'count',
    comparison: 'gte',
    value: 1,
  },
  {
    kind: 'event',
    event: 'Order Completed',
    filters: [],
    window: { type: 'last', amount: 30 },
    aggregate: 'count',
    comparison: 'gte',
    value: 1,
  },
  { kind: 'aggregate', event: 'Order Completed', filters: [], window: { type: 'ever' }, aggregate: 'sum', property: 'total' },
  { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' } },
  { type: 'between', from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:00Z' },
  { type: 'between', from: '2024-01-01T00:00:00Z' },
  'not an object',
  null,
]

describe('discriminateTaggedUnions', () => {
  it('accepts and refuses exactly what the union does, for every tagged union of the contract', () => {
    for (const schema of [SegmentNode, ComputedDefinition, EventWindow]) {
      const check = new Ajv({ allErrors: true, strict: false }).compile(schema)
      const rewritten = new Ajv({ allErrors: true, strict: false }).compile(discriminateTaggedUnions(schema) as object)
      for (const sample of samples) expect(rewritten(sample), JSON.stringify(sample)).toBe(check(sample))
    }
  })

  it('leaves unions that are not tagged as they are, and gives one output per input', () => {
    const nullable = { anyOf: [{ type: 'string' }, { type: 'null' }] }
    expect(discriminateTaggedUnions(nullable)).toEqual(nullable)
    expect(discriminateTaggedUnions(SegmentNode)).toBe(discriminateTaggedUnions(SegmentNode))
  })
})

describe('validation of recursive definitions', () => {
  const s = withOwnerApp()

  it('answers a small, deeply nested, broken definition at once, naming the one bad field', async () => {
    // Checking every variant of every level took 15 s and a 500 for 14 levels; 30 would never end.
    const payload = `{"definition":${'{"kind":"and","children":['.repeat(30)}{"kind":"identifier","identifierType":"phone","has":"yes"}${']}'.repeat(30)}}`
    const started = performance.now()
    const res = await s.owner.request({
      method: 'POST',
      url: '/api/v1/segments/preview',
      headers: { 'content-type': 'application/json' },
      payload,
    })
    expect(performance.now() - started).toBeLessThan(2000)
    expect(res.statusCode).toBe(400)
    expect(res.json().error.details.fields).toEqual([
      { field: `body.definition${'.children.0'.repeat(30)}.has`, message: 'must be boolean' },
    ])
  })

  it('names an unknown kind rather than every kind it is not', async () => {
    const res = await s.owner.post('/api/v1/segments/preview', { definition: { kind: 'and', children: [{ kind: 'bogus' }] } })
    expect(res.json().error.details.fields).toEqual([
      { field: 'body.definition.children.0.kind', message: 'must be equal to one of the allowed values' },
    ])
  })
})
