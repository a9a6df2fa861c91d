import { Type, type Static } from '@sinclair/typebox'
import { ComputationCancel } from '../audiences/audiences-contract.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'
import { ComputedDefinition } from './computed-property.js'

/** A name templates and exports can use: lower-case letters, digits and underscores. */
const Key = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' })

/** A computed property: its definition, and how many profiles hold a value. */
export const ComputedProperty = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  definition: ComputedDefinition,
  changesWithTime: Type.Boolean(),
  profiles: Type.Integer(),
  computedAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type ComputedProperty = Static<typeof ComputedProperty>

export const NewComputedProperty = Type.Object(
  { name: Key, description: Type.Optional(Type.String({ maxLength: 2000 })), definition: ComputedDefinition },
  { additionalProperties: false },
)
export type NewComputedProperty = Static<typeof NewComputedProperty>

export const ComputedPropertyChange = Type.Object(
  { description: Type.Optional(Type.String({ maxLength: 2000 })), definition: Type.Optional(ComputedDefinition) },
  { additionalProperties: false },
)
export type ComputedPropertyChange = Static<typeof ComputedPropertyChange>

/**
 * How values spread over profiles: for numbers, ten equal-width buckets; for RFM, profiles per
 * group; for anything else, the most common values.
 */
export const ComputedDistribution = Type.Object({
  profiles: Type.Integer(),
  buckets: Type.Array(Type.Object({ from: Type.Number(), to: Type.Number(), profiles: Type.Integer() })),
  groups: Type.Array(Type.Object({ value: Type.String(), profiles: Type.Integer() })),
})
export type ComputedDistribution = Static<typeof ComputedDistribution>

export const ComputedComputation = Type.Object({ profiles: Type.Integer(), changed: Type.Integer(), tookMs: Type.Integer() })
export type ComputedComputation = Static<typeof ComputedComputation>

/** A profile's computed values, by property. */
export const ProfileComputedValue = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  value: Type.Unknown(),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
})
export type ProfileComputedValue = Static<typeof ProfileComputedValue>

/** The details of COMPUTED_PROPERTY_IN_USE: the segments and tags whose definitions use the property. */
export const ComputedPropertyInUse = Type.Object({
  usedBy: Type.Array(
    Type.Object({ kind: Type.Union([Type.Literal('segment'), Type.Literal('tag')]), id: Type.String(), name: Type.String() }),
  ),
})
export type ComputedPropertyInUse = Static<typeof ComputedPropertyInUse>

export const computedPropertyRoutes = {
  listComputedProperties: route({
    method: 'GET',
    path: '/api/v1/computed-properties',
    tag: 'computed properties',
    summary: 'Computed properties with how many profiles hold a value',
    access: { kind: 'workspace', permission: 'audiences.read' },
    response: Type.Object({ items: Type.Array(ComputedProperty) }),
  }),
  createComputedProperty: route({
    method: 'POST',
    path: '/api/v1/computed-properties',
    tag: 'computed properties',
    summary: 'Create a computed property; it is computed at once in the background',
    access: { kind: 'workspace', permission: 'audiences.write' },
    body: NewComputedProperty,
    response: ComputedProperty,
    status: 201,
  }),
  getComputedProperty: route({
    method: 'GET',
    path: '/api/v1/computed-properties/:id',
    tag: 'computed properties',
    summary: 'One computed property',
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: ComputedProperty,
  }),
  updateComputedProperty: route({
    method: 'PATCH',
    path: '/api/v1/computed-properties/:id',
    tag: 'computed properties',
    summary: "Change a computed property's description or definition (recomputed in the background)",
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    body: ComputedPropertyChange,
    response: ComputedProperty,
  }),
  deleteComputedProperty: route({
    method: 'DELETE',
    path: '/api/v1/computed-properties/:id',
    tag: 'computed properties',
    summary: 'Delete a computed property (refused while segments or tags use it)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: Type.Object({}),
  }),
  computeComputedProperty: route({
    method: 'POST',
    path: '/api/v1/computed-properties/:id/compute',
    tag: 'computed properties',
    summary: 'Compute a property for every profile now (segments using it follow)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: ComputedComputation,
  }),
  cancelComputedPropertyComputation: route({
    method: 'POST',
    path: '/api/v1/computed-properties/:id/compute/cancel',
    tag: 'computed properties',
    summary: 'Cancel the running full computation of a property (it rolls back; values stay as they were)',
    access: { kind: 'workspace', permission: 'audiences.write' },
    params: IdParams,
    response: ComputationCancel,
  }),
  getComputedDistribution: route({
    method: 'GET',
    path: '/api/v1/computed-properties/:id/distribution',
    tag: 'computed properties',
    summary: "How a property's values spread over profiles",
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: ComputedDistribution,
  }),
  getProfileComputedValues: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/computed',
    tag: 'computed properties',
    summary: "A profile's computed values",
    access: { kind: 'workspace', permission: 'audiences.read' },
    params: IdParams,
    response: Type.Object({ items: Type.Array(ProfileComputedValue) }),
  }),
} as const
