import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { route, Timestamp } from '../contract/route-contract.js'
import { stringEnum } from '../contract/string-enum.js'
import { OBSERVED_TYPES, PROPERTY_PATH_PATTERN, TrackingPlan } from './tracking-plan.js'

/** How an operator marks a property: an amount of money in minor units (fen), or a date. */
export const PROPERTY_MARKS = ['money', 'date'] as const
export type PropertyMark = (typeof PROPERTY_MARKS)[number]

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** One value of a property or trait and how many events carried it (approximate: see docs/events.md). */
export const CatalogueValue = Type.Object({ value: Type.String(), count: Type.Integer() })
export type CatalogueValue = Static<typeof CatalogueValue>

/** An event as the workspace receives it: how often, since when, and what the operator says of it. */
export const CatalogueEvent = Type.Object({
  name: Type.String(),
  count: Type.Integer(),
  firstSeen: Nullable(Timestamp),
  lastSeen: Nullable(Timestamp),
  description: Type.String(),
  hidden: Type.Boolean(),
  plan: Nullable(TrackingPlan),
  /** Events that broke the plan and were stored anyway (mode `accept`), and the last reason. */
  violations: Type.Integer(),
  lastViolation: Nullable(Type.Object({ reason: Type.String(), at: Timestamp })),
})
export type CatalogueEvent = Static<typeof CatalogueEvent>

/** A property of an event (or a profile trait, `event` null) as received: its types, how many events carry it, its top values. */
export const CatalogueProperty = Type.Object({
  event: Nullable(Type.String()),
  /** A top-level name, or `parent.child` one level into an object. */
  name: Type.String(),
  types: Type.Array(Type.Object({ type: stringEnum(OBSERVED_TYPES), count: Type.Integer() })),
  /** Events carrying it; `share` is that over the event's count (identify calls for traits). */
  count: Type.Integer(),
  share: Type.Number(),
  topValues: Type.Array(CatalogueValue),
  firstSeen: Nullable(Timestamp),
  lastSeen: Nullable(Timestamp),
  description: Type.String(),
  mark: Nullable(stringEnum(PROPERTY_MARKS)),
  hidden: Type.Boolean(),
})
export type CatalogueProperty = Static<typeof CatalogueProperty>

const EventName = Type.String({ minLength: 1, maxLength: 500 })
const PropertyName = Type.String({ minLength: 1, maxLength: 300, pattern: PROPERTY_PATH_PATTERN })
const IncludeHidden = Type.Optional(Type.Boolean({ description: 'Also list what operators hid (hidden ones are not offered in pickers).' }))

/** An operator's change to an event: its description, whether pickers offer it, its tracking plan (null: none). */
export const CatalogueEventChange = Type.Object(
  {
    name: EventName,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    hidden: Type.Optional(Type.Boolean()),
    plan: Type.Optional(Nullable(TrackingPlan)),
  },
  { additionalProperties: false },
)
export type CatalogueEventChange = Static<typeof CatalogueEventChange>

/** An operator's change to a property of an event, or to a trait when `event` is absent. */
export const CataloguePropertyChange = Type.Object(
  {
    event: Type.Optional(EventName),
    name: PropertyName,
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    hidden: Type.Optional(Type.Boolean()),
    mark: Type.Optional(Nullable(stringEnum(PROPERTY_MARKS))),
  },
  { additionalProperties: false },
)
export type CataloguePropertyChange = Static<typeof CataloguePropertyChange>

/** The names of properties and traits marked money or date, whatever the event (the console's formatters read it). */
export const CatalogueMarks = Type.Object({ money: Type.Array(Type.String()), dates: Type.Array(Type.String()) })
export type CatalogueMarks = Static<typeof CatalogueMarks>

export const catalogueRoutes = {
  listCatalogueEvents: route({
    method: 'GET',
    path: '/api/v1/catalogue/events',
    tag: 'catalogue',
    summary: 'The events the workspace has received (or planned), most frequent first; `search` matches part of the name',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })), includeHidden: IncludeHidden }),
    response: Type.Object({ items: Type.Array(CatalogueEvent) }),
  }),
  listCatalogueProperties: route({
    method: 'GET',
    path: '/api/v1/catalogue/properties',
    tag: 'catalogue',
    summary: "An event's properties as received: types, share of events carrying each, top values, first and last seen",
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ event: EventName, search: Type.Optional(Type.String({ maxLength: 200 })), includeHidden: IncludeHidden }),
    response: Type.Object({ items: Type.Array(CatalogueProperty) }),
  }),
  listCatalogueTraits: route({
    method: 'GET',
    path: '/api/v1/catalogue/traits',
    tag: 'catalogue',
    summary: 'Profile traits as received in identify calls: types, share, top values, first and last seen',
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({ search: Type.Optional(Type.String({ maxLength: 200 })), includeHidden: IncludeHidden }),
    response: Type.Object({ items: Type.Array(CatalogueProperty) }),
  }),
  listCatalogueValues: route({
    method: 'GET',
    path: '/api/v1/catalogue/values',
    tag: 'catalogue',
    summary: "Top values of an event's property (with `event`) or of a trait (without), those starting with `prefix`",
    access: { kind: 'workspace', permission: 'profiles.read' },
    query: Type.Object({
      event: Type.Optional(EventName),
      name: PropertyName,
      prefix: Type.Optional(Type.String({ maxLength: 200 })),
    }),
    response: Type.Object({ items: Type.Array(CatalogueValue) }),
  }),
  updateCatalogueEvent: route({
    method: 'PATCH',
    path: '/api/v1/catalogue/events',
    tag: 'catalogue',
    summary: 'Describe or hide an event, or declare its tracking plan (it need not have been received yet)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: CatalogueEventChange,
    response: CatalogueEvent,
  }),
  updateCatalogueProperty: route({
    method: 'PATCH',
    path: '/api/v1/catalogue/properties',
    tag: 'catalogue',
    summary: 'Describe or hide a property (or a trait, without `event`), or mark it money (fen) or a date',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: CataloguePropertyChange,
    response: CatalogueProperty,
  }),
  catalogueMarks: route({
    method: 'GET',
    path: '/api/v1/catalogue/marks',
    tag: 'catalogue',
    summary: 'Names of the properties and traits marked money (fen) or date, whatever the event',
    access: { kind: 'workspace', permission: 'profiles.read' },
    response: CatalogueMarks,
  }),
} as const
