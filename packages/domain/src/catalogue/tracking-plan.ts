import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'

/** The types the catalogue tells apart in what it receives; `date` is a string that reads as an ISO 8601 date or time. */
export const OBSERVED_TYPES = ['string', 'number', 'boolean', 'date', 'object', 'array'] as const
export type ObservedType = (typeof OBSERVED_TYPES)[number]

/** Plan modes: an event that breaks its plan is stored and counted (`accept`) or refused into the quarantine (`quarantine`). */
export const PLAN_MODES = ['accept', 'quarantine'] as const
export type PlanMode = (typeof PLAN_MODES)[number]

/** A property path of the catalogue: a top-level name, or `parent.child` one level into an object. */
export const PROPERTY_PATH_PATTERN = '^[^.]{1,200}(\\.[^.]{1,200})?$'

/** What a tracking plan asks of an event: these properties, of these types. */
export const TrackingPlan = Type.Object(
  {
    required: Type.Array(
      Type.Object(
        { property: Type.String({ pattern: PROPERTY_PATH_PATTERN, maxLength: 300 }), type: stringEnum(OBSERVED_TYPES) },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    mode: stringEnum(PLAN_MODES),
  },
  { additionalProperties: false },
)
export type TrackingPlan = Static<typeof TrackingPlan>

/** True when a stored value is a tracking plan of the current shape (plans are kept as JSON). */
export function isTrackingPlan(value: unknown): value is TrackingPlan {
  if (typeof value !== 'object' || value === null) return false
  const plan = value as { required?: unknown; mode?: unknown }
  return (
    (PLAN_MODES as readonly unknown[]).includes(plan.mode) &&
    Array.isArray(plan.required) &&
    plan.required.every(
      (r: unknown) =>
        typeof r === 'object' &&
        r !== null &&
        typeof (r as { property?: unknown }).property === 'string' &&
        (OBSERVED_TYPES as readonly unknown[]).includes((r as { type?: unknown }).type),
    )
  )
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * The catalogue's type of a received value; null for null and undefined (not carried).
 *
 * @example
 * observedType('2026-03-01T08:00:00Z') // 'date'
 */
export function observedType(value: unknown): ObservedType | null {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return 'array'
  switch (typeof value) {
    case 'string':
      return DATE_LIKE.test(value) && !Number.isNaN(Date.parse(value)) ? 'date' : 'string'
    case 'number':
    case 'bigint':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'object':
      return 'object'
    default:
      return 'string'
  }
}

/** The value at a catalogue path (`a` or `a.b`) of an event's properties. */
export function valueAtPath(properties: Record<string, unknown>, path: string): unknown {
  const dot = path.indexOf('.')
  if (dot < 0) return properties[path]
  const parent = properties[path.slice(0, dot)]
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent)
    ? (parent as Record<string, unknown>)[path.slice(dot + 1)]
    : undefined
}

/** Whether a value of `actual` type satisfies a plan's `expected` type (a date-like string is also a string). */
const fits = (expected: ObservedType, actual: ObservedType) => expected === actual || (expected === 'string' && actual === 'date')

/** Why an event breaks its plan, and the field to blame. */
export interface PlanViolation {
  reason: string
  field: string
}

/**
 * The first way an event's properties break its tracking plan, or null when they keep it.
 *
 * @example
 * planViolation({ required: [{ property: 'city', type: 'string' }], mode: 'accept' }, {}) // { reason: 'city is required', … }
 */
export function planViolation(plan: TrackingPlan, properties: Record<string, unknown>): PlanViolation | null {
  for (const { property, type } of plan.required) {
    const actual = observedType(valueAtPath(properties, property))
    if (actual === null) return { reason: `the tracking plan requires properties.${property}`, field: `properties.${property}` }
    if (!fits(type, actual))
      return { reason: `the tracking plan wants properties.${property} to be ${type}, not ${actual}`, field: `properties.${property}` }
  }
  return null
}
