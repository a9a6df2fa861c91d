import { mayReach, type ConsentState, type SubscriptionPolicy } from '../messaging/delivery-rules.js'
import {
  subscriptionGroupOf,
  type Comparison,
  type Condition,
  type EventMatch,
  type EventWindow,
  type Operator,
  type SegmentNode,
  type ValueType,
} from './segment-definition.js'
import { asBoolean, asInstant, asNumber, asText, DAY_MS, dateIn, monthDayOf, monthDaysFrom, readPath } from './values.js'

/** An event of a profile, as evaluation needs it. */
export interface FactEvent {
  id: number
  name: string | null
  /** Milliseconds since the epoch. */
  timestamp: number
  sourceId: string | null
  properties: Record<string, unknown>
}

/** Everything known about one profile (and the profiles merged into it). */
export interface ProfileFacts {
  traits: Record<string, unknown>
  identifierTypes: ReadonlySet<string>
  tags: ReadonlySet<string>
  segments: ReadonlySet<string>
  events: readonly FactEvent[]
  /** Values of computed properties by property id (a profile without one holds the property's empty value). */
  computed: ReadonlyMap<string, unknown>
  /**
   * Consent by subscription group key: every group of the workspace with its policy, and the
   * profile's recorded state in it (none: the policy decides). A group not listed does not exist.
   */
  consents: ReadonlyMap<string, GroupConsent>
}

/** A profile's consent in one subscription group: the group's policy and the state recorded, if any. */
export interface GroupConsent {
  policy: SubscriptionPolicy
  state?: ConsentState | undefined
}

export interface EvaluationContext {
  /** Milliseconds since the epoch. */
  now: number
  /** The workspace's time zone, for profiles without a valid `timezone` trait. */
  timeZone: string
  /** Which time zone names count as valid (the server passes the database's list). */
  isTimeZone: (zone: string) => boolean
}

/** A profile's time zone: its `timezone` trait when valid, else the workspace's. */
export function zoneOf(traits: Record<string, unknown>, context: EvaluationContext): string {
  const zone = traits.timezone
  return typeof zone === 'string' && context.isTimeZone(zone) ? zone : context.timeZone
}

/** Milliseconds in each unit of a `last N` window. */
export const WINDOW_UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: DAY_MS } as const

/** Whether an instant falls in a window (`last` windows end now: future events are not in them). */
export function inWindow(timestamp: number, window: EventWindow, now: number): boolean {
  switch (window.type) {
    case 'ever':
      return true
    case 'last':
      return timestamp >= now - window.amount * WINDOW_UNIT_MS[window.unit] && timestamp <= now
    case 'between':
      return timestamp >= Date.parse(window.from) && timestamp <= Date.parse(window.to)
  }
}

export function compare(x: number, comparison: Comparison, value: number, max?: number): boolean {
  switch (comparison) {
    case 'gte':
      return x >= value
    case 'gt':
      return x > value
    case 'eq':
      return x === value
    case 'lte':
      return x <= value
    case 'lt':
      return x < value
    case 'between':
      return x >= value && x <= (max ?? value)
  }
}

/** The test part of a trait condition or a property filter. */
export interface ValueTestLike {
  type: ValueType
  op: Operator
  value?: string | number
  values?: string[]
  min?: string | number
  max?: string | number
  days?: number
}

const instantOf = (operand: string | number | undefined) => (typeof operand === 'string' ? Date.parse(operand) : Number.NaN)

/** Reads a raw JSON value as the test's type: null when it is missing or not of that type. */
function readAs(raw: unknown, type: ValueType, zone: string): string | number | boolean | unknown[] | null {
  switch (type) {
    case 'string':
      return asText(raw)
    case 'number':
      return asNumber(raw)
    case 'boolean':
      return asBoolean(raw)
    case 'date':
      return asInstant(raw, zone)
    case 'list':
      return Array.isArray(raw) ? raw : null
  }
}

function testText(s: string, test: ValueTestLike): boolean {
  const v = typeof test.value === 'string' ? test.value : ''
  switch (test.op) {
    case 'equals':
      return s === v
    case 'not_equals':
      return s !== v
    case 'contains':
      return s.toLowerCase().includes(v.toLowerCase())
    case 'not_contains':
      return !s.toLowerCase().includes(v.toLowerCase())
    case 'starts_with':
      return s.startsWith(v)
    case 'in':
      return (test.values ?? []).includes(s)
    case 'not_in':
      return !(test.values ?? []).includes(s)
    default:
      return false
  }
}

function testNumber(n: number, test: ValueTestLike): boolean {
  const v = typeof test.value === 'number' ? test.value : Number.NaN
  switch (test.op) {
    case 'eq':
      return n === v
    case 'neq':
      return n !== v
    case 'gt':
      return n > v
    case 'gte':
      return n >= v
    case 'lt':
      return n < v
    case 'lte':
      return n <= v
    case 'between':
      return n >= Number(test.min) && n <= Number(test.max)
    default:
      return false
  }
}

function testDate(t: number, test: ValueTestLike, now: number, zone: string): boolean {
  const days = (test.days ?? 0) * DAY_MS
  switch (test.op) {
    case 'before':
      return t < instantOf(test.value)
    case 'after':
      return t > instantOf(test.value)
    case 'between':
      return t >= instantOf(test.min) && t <= instantOf(test.max)
    case 'within_last_days':
      return t >= now - days && t <= now
    case 'more_than_days_ago':
      return t < now - days
    case 'within_next_days':
      return t >= now && t <= now + days
    case 'anniversary_within_next_days':
      return monthDaysFrom(dateIn(now, zone), test.days ?? 0).includes(monthDayOf(t, zone))
    default:
      return false
  }
}

/** Applies a value test to a raw JSON value. Missing or unreadable values fail every test but not_exists. */
export function testValue(raw: unknown, test: ValueTestLike, now: number, zone: string): boolean {
  const readable = readAs(raw, test.type, zone)
  if (test.op === 'exists') return readable !== null
  if (test.op === 'not_exists') return readable === null
  if (readable === null) return false
  switch (test.type) {
    case 'string':
      return testText(readable as string, test)
    case 'number':
      return testNumber(readable as number, test)
    case 'boolean':
      return test.op === 'is_true' ? readable === true : test.op === 'is_false' ? readable === false : false
    case 'date':
      return testDate(readable as number, test, now, zone)
    case 'list': {
      const found = (readable as unknown[]).some((e) => e === test.value)
      return test.op === 'list_contains' ? found : test.op === 'list_not_contains' ? !found : false
    }
  }
}

/** Whether an event is the named one and passes the filters (dates in properties are read in the workspace's zone). */
export const matchesEvent = (event: FactEvent, match: EventMatch, now: number, zone: string) =>
  event.name === match.event && match.filters.every((f) => testValue(readPath(event.properties, f.property), f, now, zone))

function evaluateCondition(condition: Condition, facts: ProfileFacts, context: EvaluationContext, zone: string): boolean {
  const { now } = context
  switch (condition.kind) {
    case 'trait':
      return testValue(readPath(facts.traits, condition.trait), condition, now, zone)
    case 'event': {
      const matching = facts.events.filter(
        (e) => inWindow(e.timestamp, condition.window, now) && matchesEvent(e, condition, now, context.timeZone),
      )
      if (condition.aggregate === 'count') return compare(matching.length, condition.comparison, condition.value, condition.max)
      const numbers = matching.map((e) => asNumber(readPath(e.properties, condition.property ?? ''))).filter((n): n is number => n !== null)
      if (condition.aggregate === 'sum')
        return compare(
          numbers.reduce((a, b) => a + b, 0),
          condition.comparison,
          condition.value,
          condition.max,
        )
      if (numbers.length === 0) return false
      const x =
        condition.aggregate === 'avg'
          ? numbers.reduce((a, b) => a + b, 0) / numbers.length
          : condition.aggregate === 'min'
            ? Math.min(...numbers)
            : Math.max(...numbers)
      return compare(x, condition.comparison, condition.value, condition.max)
    }
    case 'event_time': {
      const times = facts.events.filter((e) => matchesEvent(e, condition, now, context.timeZone)).map((e) => e.timestamp)
      if (times.length === 0) return false
      const t = condition.which === 'first' ? Math.min(...times) : Math.max(...times)
      const days = (condition.days ?? 0) * DAY_MS
      switch (condition.op) {
        case 'before':
          return t < instantOf(condition.at)
        case 'after':
          return t > instantOf(condition.at)
        case 'within_last_days':
          return t >= now - days
        case 'more_than_days_ago':
          return t < now - days
      }
      return false
    }
    case 'sequence': {
      const span = condition.withinMinutes * 60_000
      const firsts = facts.events.filter(
        (e) => inWindow(e.timestamp, condition.window, now) && matchesEvent(e, condition.first, now, context.timeZone),
      )
      const thens = facts.events.filter((e) => matchesEvent(e, condition.then, now, context.timeZone))
      if (condition.mode === 'then')
        return firsts.some((a) => thens.some((b) => b.id !== a.id && b.timestamp >= a.timestamp && b.timestamp <= a.timestamp + span))
      return firsts.some(
        (a) =>
          a.timestamp + span <= now && !thens.some((b) => b.id !== a.id && b.timestamp >= a.timestamp && b.timestamp < a.timestamp + span),
      )
    }
    case 'tag':
      return facts.tags.has(condition.tagId) === condition.has
    case 'segment':
      return facts.segments.has(condition.segmentId) === condition.member
    case 'identifier':
      return facts.identifierTypes.has(condition.identifierType) === condition.has
    case 'source':
      return facts.events.some((e) => e.sourceId === condition.sourceId && inWindow(e.timestamp, condition.window, now))
    case 'subscription': {
      const key = subscriptionGroupOf(condition)
      const consent = key === undefined ? undefined : facts.consents.get(key)
      if (!consent) return false
      return condition.state === 'subscribed' ? mayReach(consent.policy, consent.state) : consent.state === condition.state
    }
    case 'computed': {
      const value = facts.computed.get(condition.propertyId) ?? null
      return testValue(condition.part ? readPath(value, condition.part) : value, condition, now, zone)
    }
  }
}

/**
 * Whether a profile is in a segment, evaluated in memory. The server compiles the same definition
 * to SQL for whole workspaces; both must agree (a property test checks it).
 */
export function evaluateSegment(definition: SegmentNode, facts: ProfileFacts, context: EvaluationContext): boolean {
  const zone = zoneOf(facts.traits, context)
  const walk = (node: SegmentNode): boolean => {
    switch (node.kind) {
      case 'and':
        return node.children.every(walk)
      case 'or':
        return node.children.some(walk)
      case 'not':
        return !walk(node.child)
      default:
        return evaluateCondition(node, facts, context, zone)
    }
  }
  return walk(definition)
}
