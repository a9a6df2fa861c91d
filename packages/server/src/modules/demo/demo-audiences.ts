import type { ComputedDefinition, Result, SegmentNode } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import { createComputedProperty } from '../computed-properties/index.js'
import { createSegment } from '../segments/index.js'
import { createTag, createTagGroup } from '../tags/index.js'

/** The label every example carries, so the lists can show them alone. */
export const DEMO_LABEL = '示例'
const LIFECYCLE_LABEL = '生命周期'

const last = (amount: number) => ({ type: 'last' as const, amount, unit: 'days' as const })
const lastWash = (op: 'within_last_days' | 'more_than_days_ago', days: number): SegmentNode => ({
  kind: 'event_time',
  event: 'Service Completed',
  filters: [],
  which: 'last',
  op,
  days,
})
const isNew: SegmentNode = { kind: 'event_time', event: 'Signed Up', filters: [], which: 'first', op: 'within_last_days', days: 30 }
const notNew: SegmentNode = { kind: 'not', child: isNew }
const washedLately = lastWash('within_last_days', 30)

/** The articles' example segments: names in Chinese like the demo's stores, descriptions in English. */
const SEGMENTS: Array<{ name: string; description: string; definition: (rfmId: string) => SegmentNode }> = [
  {
    name: '30天洗车3次以上',
    description: 'Washed 3+ times in 30 days: Service Completed at least 3 times within the last 30 days.',
    definition: () => ({
      kind: 'event',
      event: 'Service Completed',
      filters: [],
      window: last(30),
      aggregate: 'count',
      comparison: 'gte',
      value: 3,
    }),
  },
  {
    name: '流失的普通会员',
    description: 'Lapsed basic members: member level basic, and no store visit in the last 60 days (they visited before).',
    definition: () => ({
      kind: 'and',
      children: [
        { kind: 'trait', trait: 'member_level', type: 'string', op: 'equals', value: 'basic' },
        { kind: 'event_time', event: 'Store Visited', filters: [], which: 'last', op: 'more_than_days_ago', days: 60 },
      ],
    }),
  },
  {
    name: '本周生日',
    description: "Birthday this week: the birthday trait's anniversary falls within the next 7 days, in the customer's time zone.",
    definition: () => ({ kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 7 }),
  },
  {
    name: 'RFM高价值客户',
    description: 'High-value customers by RFM: the rfm property puts them among champions or loyal customers.',
    definition: (rfmId) => ({
      kind: 'computed',
      propertyId: rfmId,
      part: 'group',
      type: 'string',
      op: 'in',
      values: ['champions', 'loyal_customers'],
    }),
  },
]

const PROPERTIES: Array<{ name: string; description: string; definition: ComputedDefinition }> = [
  {
    name: 'rfm',
    description: 'RFM of orders over the last year: recency, frequency and spend (total) scored 1–5, with the named groups.',
    definition: { kind: 'rfm', event: 'Order Completed', filters: [], window: last(365), monetaryProperty: 'total' },
  },
  {
    name: 'spend_90d',
    description: 'Spend in the last 90 days: the sum of Order Completed total (fen).',
    definition: { kind: 'aggregate', event: 'Order Completed', filters: [], window: last(90), aggregate: 'sum', property: 'total' },
  },
]

/** The lifecycle layer: rule tags whose definitions do not overlap, so each customer holds one. */
const LIFECYCLE: Array<{ name: string; description: string; definition: SegmentNode }> = [
  { name: '新客', description: 'New: signed up in the last 30 days.', definition: isNew },
  {
    name: '活跃',
    description: 'Active: not new, and washed in the last 30 days.',
    definition: { kind: 'and', children: [notNew, washedLately] },
  },
  {
    name: '沉睡中',
    description: 'Lapsing: not new, last wash 30 to 90 days ago.',
    definition: { kind: 'and', children: [notNew, { kind: 'not', child: washedLately }, lastWash('within_last_days', 90)] },
  },
  {
    name: '已流失',
    description: 'Lapsed: not new, and no wash in the last 90 days (or never).',
    definition: { kind: 'and', children: [notNew, { kind: 'not', child: lastWash('within_last_days', 90) }] },
  },
]

const value = <T>(result: Result<T>, what: string): T => {
  if (!result.ok) throw new Error(`the demo could not create ${what}: ${result.message ?? result.code}`)
  return result.value
}

/**
 * Creates the demo's example audiences through the services, so jobs compute them like any other:
 * two computed properties (RFM, 90-day spend), four segments, and an exclusive lifecycle tag group.
 */
export async function createDemoAudiences(ctx: AppContext, scope: WorkspaceScope): Promise<void> {
  const properties = new Map<string, string>()
  for (const p of PROPERTIES) properties.set(p.name, value(await createComputedProperty(ctx, scope, p), `the property ${p.name}`).id)
  const rfmId = properties.get('rfm') ?? ''
  for (const s of SEGMENTS) {
    const input = {
      name: s.name,
      description: s.description,
      kind: 'dynamic' as const,
      definition: s.definition(rfmId),
      labels: [DEMO_LABEL],
    }
    value(await createSegment(ctx, scope, input), `the segment ${s.name}`)
  }
  const group = value(await createTagGroup(ctx, scope, { name: '生命周期', exclusive: true }), 'the lifecycle group')
  for (const t of LIFECYCLE) {
    const input = { ...t, kind: 'rule' as const, groupId: group.id, labels: [DEMO_LABEL, LIFECYCLE_LABEL] }
    value(await createTag(ctx, scope, input), `the tag ${t.name}`)
  }
}
