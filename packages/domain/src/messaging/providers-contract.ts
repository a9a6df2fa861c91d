import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { Nullable } from './schema-helpers.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'
import { CHANNELS, PROVIDER_KINDS } from './channels.js'

/** A configured provider account. Secrets are never sent back: `secretsSet` names those that hold a value. */
export const ProviderAccount = Type.Object({
  id: Type.String(),
  kind: stringEnum(PROVIDER_KINDS),
  channel: stringEnum(CHANNELS),
  name: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown()),
  secretsSet: Type.Array(Type.String()),
  ratePerSecond: Nullable(Type.Integer()),
  isDefault: Type.Boolean(),
  /** Where the provider posts receipts and replies for this account. */
  callbackUrl: Type.String(),
  createdAt: Timestamp,
})
export type ProviderAccount = Static<typeof ProviderAccount>

/** A provider kind's configuration fields, for the console's form. */
export const ProviderKindInfo = Type.Object({
  kind: stringEnum(PROVIDER_KINDS),
  channel: stringEnum(CHANNELS),
  configSchema: Type.Unknown(),
  secretFields: Type.Array(Type.String()),
  acceptsIdempotencyKey: Type.Boolean(),
})

export const NewProviderAccount = Type.Object(
  {
    kind: stringEnum(PROVIDER_KINDS),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    config: Type.Record(Type.String(), Type.Unknown()),
    ratePerSecond: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type NewProviderAccount = Static<typeof NewProviderAccount>

/** A change of an account; a secret left out (or empty) keeps its stored value. */
export const ProviderAccountChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    ratePerSecond: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000 }))),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ProviderAccountChange = Static<typeof ProviderAccountChange>

export const ConnectionTest = Type.Object({ ok: Type.Boolean(), detail: Type.String(), code: Type.Optional(Type.String()) })

const ws = (permission: 'messaging.read' | 'messaging.write' | 'profiles.read' | 'profiles.write') =>
  ({ kind: 'workspace', permission }) as const
const TAG = 'messaging'

export const providerRoutes = {
  listProviderKinds: route({
    method: 'GET',
    path: '/api/v1/messaging/provider-kinds',
    tag: TAG,
    summary: 'Provider kinds and their configuration fields',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(ProviderKindInfo) }),
  }),
  listProviderAccounts: route({
    method: 'GET',
    path: '/api/v1/messaging/providers',
    tag: TAG,
    summary: 'Provider accounts (secrets never shown)',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(ProviderAccount) }),
  }),
  createProviderAccount: route({
    method: 'POST',
    path: '/api/v1/messaging/providers',
    tag: TAG,
    summary: 'Configure a provider account (secrets encrypted at rest)',
    access: ws('messaging.write'),
    body: NewProviderAccount,
    response: ProviderAccount,
    status: 201,
  }),
  updateProviderAccount: route({
    method: 'PATCH',
    path: '/api/v1/messaging/providers/:id',
    tag: TAG,
    summary: 'Change a provider account',
    access: ws('messaging.write'),
    params: IdParams,
    body: ProviderAccountChange,
    response: ProviderAccount,
  }),
  deleteProviderAccount: route({
    method: 'DELETE',
    path: '/api/v1/messaging/providers/:id',
    tag: TAG,
    summary: 'Remove a provider account',
    access: ws('messaging.write'),
    params: IdParams,
    response: Type.Object({}),
  }),
  testProviderAccount: route({
    method: 'POST',
    path: '/api/v1/messaging/providers/:id/test',
    tag: TAG,
    summary: 'Test connection: a harmless real call to the provider',
    access: ws('messaging.write'),
    params: IdParams,
    response: ConnectionTest,
  }),
}
