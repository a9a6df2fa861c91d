import { describe, expect, it } from 'vitest'
import { definitionDepthProblem, MAX_DEFINITION_DEPTH } from './definition-depth.js'
import { checkDefinition, type SegmentNode } from './segment-definition.js'

const leaf: SegmentNode = { kind: 'identifier', identifierType: 'phone', has: true }
/** `depth` NOT groups around one condition. */
const nots = (depth: number): SegmentNode => {
  let node: SegmentNode = leaf
  for (let i = 0; i < depth; i += 1) node = { kind: 'not', child: node }
  return node
}

describe('checkDefinition', () => {
  it(`takes groups ${MAX_DEFINITION_DEPTH} deep and refuses one more, naming where`, () => {
    expect(checkDefinition(nots(MAX_DEFINITION_DEPTH))).toEqual([])
    expect(checkDefinition(nots(MAX_DEFINITION_DEPTH + 1))).toEqual([
      {
        path: Array(MAX_DEFINITION_DEPTH + 1)
          .fill('child')
          .join('.'),
        message: `groups nest at most ${MAX_DEFINITION_DEPTH} deep`,
      },
    ])
    const mixed: SegmentNode = { kind: 'and', children: [leaf, { kind: 'or', children: [nots(MAX_DEFINITION_DEPTH - 1)] }] }
    expect(checkDefinition(mixed)).toEqual([
      {
        path: `children.1.children.0${'.child'.repeat(MAX_DEFINITION_DEPTH - 1)}`,
        message: `groups nest at most ${MAX_DEFINITION_DEPTH} deep`,
      },
    ])
  })

  it('refuses a definition 100,000 NOTs deep with one problem, without recursing into it', () => {
    expect(checkDefinition(nots(100_000))).toHaveLength(1)
    expect(definitionDepthProblem({ kind: 'not', child: 'not a node' })).toBeNull()
  })

  it('refuses date operands JavaScript or PostgreSQL cannot read: year 0, past 9999, days that do not exist, not ISO', () => {
    for (const value of ['0000-01-01T00:00:00Z', '+275000-01-01T00:00:00Z', '2024-02-30T00:00:00Z', '1']) {
      expect(checkDefinition({ kind: 'trait', trait: 'signup', type: 'date', op: 'before', value }), value).toEqual([
        { path: 'value', message: 'before needs an ISO date-time between the years 0001 and 9999' },
      ])
    }
    expect(checkDefinition({ kind: 'trait', trait: 'signup', type: 'date', op: 'after', value: '2024-02-29T00:00:00+08:00' })).toEqual([])
    const window = { type: 'between' as const, from: '0000-06-01T00:00:00Z', to: '2024-01-01T00:00:00Z' }
    expect(checkDefinition({ kind: 'source', sourceId: '00000000-0000-4000-8000-000000000000', window })).toEqual([
      { path: 'window.from', message: 'needs an ISO date-time between the years 0001 and 9999' },
    ])
  })
})
