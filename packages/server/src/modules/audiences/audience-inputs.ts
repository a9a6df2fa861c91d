import {
  conditionsOf,
  evaluateSegment,
  PROFILE_CREATED,
  PROFILES_MERGED,
  SUBSCRIPTION_CHANGED,
  type ComputedDefinition,
  type Condition,
  type SegmentNode,
  type SubscriptionPolicy,
} from '@reachloop/domain'
import { sql, type RawBuilder } from 'kysely'
import type { LogEvent } from '../../platform/event-log/event-log.js'
import { noConsents } from './consent-kind.js'
import { MEMBERSHIP_EVENTS } from './membership.js'

/** The calls that change traits. */
const TRAIT_CALLS = ['identify', 'group']

/** The event each computed property is computed from, by property id. */
export type PropertyEvents = ReadonlyMap<string, string>

/**
 * What can change a condition's outcome for a profile, per condition kind: as a test of a log event,
 * and as the same test on a row of `events` (to find, in the database, the profiles a full
 * computation may have missed). Keyed by kind, so a new kind does not compile until it has its row.
 *
 * Two changes are not here because they can move every condition: a merge (`Profiles Merged`: the
 * survivor gains identifiers, traits, events, tags and values) and a creation (`Profile Created`:
 * the profile starts empty, see `emptyProfileMatches`).
 * A computed condition changes when its value does: the consumer re-evaluates those profiles after
 * updating values, so its event test says no; its SQL test names the property's event.
 * A subscription condition changes with consent, which messaging records with a `Subscription
 * Changed` event on every change (consent traits sent at ingestion included, once recorded).
 */
const CONDITION_INPUTS: {
  [K in Condition['kind']]: {
    event: (c: Extract<Condition, { kind: K }>, e: LogEvent) => boolean
    sql: (c: Extract<Condition, { kind: K }>, propertyEvents: PropertyEvents) => RawBuilder<unknown>
  }
} = {
  trait: { event: (_c, e) => TRAIT_CALLS.includes(e.type), sql: () => sql`type = ANY(${TRAIT_CALLS}::text[])` },
  subscription: { event: (_c, e) => e.name === SUBSCRIPTION_CHANGED, sql: () => sql`name = ${SUBSCRIPTION_CHANGED}::text` },
  computed: { event: () => false, sql: (c, propertyEvents) => sql`name = ${propertyEvents.get(c.propertyId) ?? ''}::text` },
  event: { event: (c, e) => e.name === c.event, sql: (c) => sql`name = ${c.event}::text` },
  event_time: { event: (c, e) => e.name === c.event, sql: (c) => sql`name = ${c.event}::text` },
  sequence: {
    event: (c, e) => e.name === c.first.event || e.name === c.then.event,
    sql: (c) => sql`name = ANY(${[c.first.event, c.then.event]}::text[])`,
  },
  // Any call but a membership change can bring a new identifier.
  identifier: {
    event: (_c, e) => e.name === null || !MEMBERSHIP_EVENTS.includes(e.name),
    sql: () => sql`(name IS NULL OR name <> ALL(${MEMBERSHIP_EVENTS}::text[]))`,
  },
  source: { event: (c, e) => e.sourceId === c.sourceId, sql: (c) => sql`source_id = ${c.sourceId}::uuid` },
  segment: {
    event: (c, e) => (e.name === 'Segment Entered' || e.name === 'Segment Exited') && e.properties.segment_id === c.segmentId,
    sql: (c) => sql`(name IN ('Segment Entered', 'Segment Exited') AND properties->>'segment_id' = ${c.segmentId}::text)`,
  },
  tag: {
    event: (c, e) => (e.name === 'Tag Added' || e.name === 'Tag Removed') && e.properties.tag_id === c.tagId,
    sql: (c) => sql`(name IN ('Tag Added', 'Tag Removed') AND properties->>'tag_id' = ${c.tagId}::text)`,
  },
}

/** A condition's row of the table (TypeScript cannot follow the kind from the key to the row's parameter, hence the widening). */
const inputsOf = (c: Condition) =>
  CONDITION_INPUTS[c.kind] as {
    event: (c: Condition, e: LogEvent) => boolean
    sql: (c: Condition, propertyEvents: PropertyEvents) => RawBuilder<unknown>
  }

/**
 * Whether a profile with nothing yet (no traits, identifiers, events, tags, segments, recorded
 * consent; every computed property at its empty value) is in the audience: "has no email", "never
 * ordered", `NOT city = …`, "email subscribed" (an opt-out group). Evaluated by the one in-memory
 * evaluator, so `NOT` and nesting count as they do everywhere. A new profile differs from that
 * empty one only by the conditions its first calls affect, so it must be evaluated when this
 * holds, whatever those calls were.
 */
export function emptyProfileMatches(
  definition: SegmentNode,
  emptyValues: ReadonlyMap<string, unknown>,
  policies: ReadonlyMap<string, SubscriptionPolicy> = new Map(),
): boolean {
  const facts = {
    traits: {},
    identifierTypes: new Set<string>(),
    tags: new Set<string>(),
    segments: new Set<string>(),
    events: [],
    computed: emptyValues,
    consents: noConsents(policies),
  }
  // No traits and no events: neither the clock nor a zone can move the outcome.
  return evaluateSegment(definition, facts, { now: 0, timeZone: 'UTC', isTimeZone: () => false })
}

/** Which log events can move an audience, as a test and as a predicate on `events`. */
export interface AudienceInputs {
  touches(event: LogEvent): boolean
  predicate: RawBuilder<unknown>
}

/** What the inputs of a workspace's audiences depend on: its computed properties, and its subscription groups' policies. */
export interface InputsContext {
  propertyEvents: PropertyEvents
  emptyValues: ReadonlyMap<string, unknown>
  /** Needed only by definitions with a subscription condition (see `consentPolicies`). */
  policies?: ReadonlyMap<string, SubscriptionPolicy> | undefined
}

/** The inputs of a segment or rule tag: its conditions', merges, and creations if an empty profile is in it. */
export function audienceInputs(definition: SegmentNode, context: InputsContext): AudienceInputs {
  const conditions = conditionsOf(definition)
  const whole = emptyProfileMatches(definition, context.emptyValues, context.policies)
    ? [PROFILES_MERGED, PROFILE_CREATED]
    : [PROFILES_MERGED]
  return {
    touches: (e) => (e.name !== null && whole.includes(e.name)) || conditions.some((c) => inputsOf(c).event(c, e)),
    predicate: sql.join(
      [sql`name = ANY(${whole}::text[])`, ...conditions.map((c) => inputsOf(c).sql(c, context.propertyEvents))],
      sql` OR `,
    ),
  }
}

/** The inputs of a computed property: its event, and merges (a new profile holds the empty value, which is stored as no row). */
export function propertyInputs(definition: ComputedDefinition): AudienceInputs {
  return {
    touches: (e) => e.name === definition.event || e.name === PROFILES_MERGED,
    predicate: sql`name = ANY(${[definition.event, PROFILES_MERGED]}::text[])`,
  }
}
