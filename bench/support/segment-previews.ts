import type { Condition, SegmentNode } from '@reachloop/domain'
import type { AdminApi } from './admin-api.js'

/** What the previews refer to in the demo workspace. */
export interface PreviewTargets {
  tagId: string
  segmentId: string
  posSourceId: string
  rfmPropertyId: string
}

export interface PreviewCase {
  kind: Condition['kind']
  name: string
  definition: SegmentNode
}

/** One preview's outcome: seconds and matched profiles, or null seconds when the client gave up. */
export interface PreviewFigure {
  kind: Condition['kind']
  name: string
  seconds: number | null
  count: number | null
  error?: string
}

const last = (days: number) => ({ type: 'last' as const, amount: days, unit: 'days' as const })

/** The demo's regular washers: the event-kind preview, and the segment the segment-kind preview refers to. */
export const WASHED_THREE_TIMES: Extract<Condition, { kind: 'event' }> = {
  kind: 'event',
  event: 'Service Completed',
  filters: [],
  window: last(30),
  aggregate: 'count',
  comparison: 'gte',
  value: 3,
}

/**
 * What the previews other than the computed kind refer to, made in the demo workspace: the POS
 * source, a manual tag on 1,000 customers and the regular washers' segment.
 */
export async function demoPreviewTargets(api: AdminApi): Promise<Omit<PreviewTargets, 'rfmPropertyId'>> {
  const sources = await api.must<{ items: Array<{ id: string; kind: string }> }>('GET', '/api/v1/sources')
  const pos = sources.items.find((s) => s.kind === 'store_pos')
  if (!pos) throw new Error('the demo workspace has no store_pos source')
  const tag = await api.must<{ id: string }>('POST', '/api/v1/tags', { name: 'Bench VIP', kind: 'manual' })
  const members = Array.from({ length: 1000 }, (_, i) => `cw-${String(i + 1).padStart(6, '0')}`)
  await api.must('POST', `/api/v1/tags/${tag.id}/profiles`, { action: 'add', identifierType: 'user_id', values: members })
  const segment = await api.must<{ id: string }>('POST', '/api/v1/segments', {
    name: 'Regular washers',
    kind: 'dynamic',
    definition: WASHED_THREE_TIMES,
  })
  return { tagId: tag.id, segmentId: segment.id, posSourceId: pos.id }
}

/**
 * One preview per condition kind, in the demo generator's words (its events, properties and
 * traits). Keyed by kind, so a kind added to the domain fails to type-check here until it has one.
 */
export function previewCases(t: PreviewTargets): PreviewCase[] {
  const cases: { [K in Condition['kind']]: { name: string; definition: Extract<Condition, { kind: K }> } } = {
    trait: {
      name: 'Birthday within 7 days',
      definition: { kind: 'trait', trait: 'birthday', type: 'date', op: 'anniversary_within_next_days', days: 7 },
    },
    event: { name: 'Washed 3+ times in 30 days', definition: WASHED_THREE_TIMES },
    event_time: {
      name: 'No order in 60 days (last Order Completed)',
      definition: { kind: 'event_time', event: 'Order Completed', filters: [], which: 'last', op: 'more_than_days_ago', days: 60 },
    },
    sequence: {
      name: 'Store Visited, no Order Completed within 1 day, last 90 days',
      definition: {
        kind: 'sequence',
        first: { event: 'Store Visited', filters: [] },
        then: { event: 'Order Completed', filters: [] },
        mode: 'not_then',
        withinMinutes: 1440,
        window: last(90),
      },
    },
    identifier: { name: 'Has a phone', definition: { kind: 'identifier', identifierType: 'phone', has: true } },
    tag: { name: 'Tagged (manual tag on 1,000 customers)', definition: { kind: 'tag', tagId: t.tagId, has: true } },
    segment: { name: 'Member of "Washed 3+ times in 30 days"', definition: { kind: 'segment', segmentId: t.segmentId, member: true } },
    source: { name: 'Sent events through the POS in 30 days', definition: { kind: 'source', sourceId: t.posSourceId, window: last(30) } },
    subscription: { name: 'SMS subscribed', definition: { kind: 'subscription', channel: 'sms', state: 'subscribed' } },
    computed: {
      name: "RFM group at risk or can't lose them",
      definition: {
        kind: 'computed',
        propertyId: t.rfmPropertyId,
        part: 'group',
        type: 'string',
        op: 'in',
        values: ['at_risk', 'cant_lose_them'],
      },
    },
  }
  return Object.entries(cases).map(([kind, c]) => ({ kind: kind as Condition['kind'], name: c.name, definition: c.definition }))
}

/**
 * Previews `cases` one after the other, each given `timeoutSeconds`. After a timeout,
 * `afterTimeout` runs before the next (to cancel the query a timed-out preview left running).
 */
export async function runPreviews(
  api: () => AdminApi,
  cases: readonly PreviewCase[],
  timeoutSeconds: number,
  afterTimeout?: (c: PreviewCase) => Promise<void>,
): Promise<PreviewFigure[]> {
  const figures: PreviewFigure[] = []
  for (const c of cases) {
    const answer = await api().call<{ count?: number }>(
      'POST',
      '/api/v1/segments/preview',
      { definition: c.definition },
      timeoutSeconds * 1000,
    )
    if (answer.timedOut) {
      figures.push({ kind: c.kind, name: c.name, seconds: null, count: null })
      await afterTimeout?.(c)
    } else if (answer.status !== 200) {
      figures.push({
        kind: c.kind,
        name: c.name,
        seconds: answer.seconds,
        count: null,
        error: `${answer.status} ${JSON.stringify(answer.body)}`,
      })
    } else {
      figures.push({ kind: c.kind, name: c.name, seconds: answer.seconds, count: answer.body.count ?? null })
    }
  }
  return figures
}
