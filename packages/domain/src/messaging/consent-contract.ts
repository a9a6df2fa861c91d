import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { Id, Nullable } from './schema-helpers.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'
import { CHANNELS } from './channels.js'
import { CONSENT_STATES, MessagingSettings, SUBSCRIPTION_POLICIES } from './delivery-rules.js'

export const SubscriptionGroup = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  channel: stringEnum(CHANNELS),
  policy: stringEnum(SUBSCRIPTION_POLICIES),
  createdAt: Timestamp,
})
export type SubscriptionGroup = Static<typeof SubscriptionGroup>
export const NewSubscriptionGroup = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_]+$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    channel: stringEnum(CHANNELS),
    policy: stringEnum(SUBSCRIPTION_POLICIES),
  },
  { additionalProperties: false },
)
export const SubscriptionGroupChange = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), policy: Type.Optional(stringEnum(SUBSCRIPTION_POLICIES)) },
  { additionalProperties: false },
)

/** A profile's consent in one group: recorded (with source and time) or the policy's default. */
export const ProfileConsent = Type.Object({
  groupId: Type.String(),
  key: Type.String(),
  name: Type.String(),
  channel: stringEnum(CHANNELS),
  policy: stringEnum(SUBSCRIPTION_POLICIES),
  state: Nullable(stringEnum(CONSENT_STATES)),
  reachable: Type.Boolean(),
  source: Nullable(Type.String()),
  changedAt: Nullable(Timestamp),
})
export type ProfileConsent = Static<typeof ProfileConsent>

/** The reasons the server gives a blocked address itself (the console shows them in its language); an operator may write any other. */
export const BLOCKED_BY_HAND = 'by hand'
export const BLOCKED_BOUNCED_PREFIX = 'bounced: '

export const BlockedAddress = Type.Object({
  channel: stringEnum(CHANNELS),
  address: Type.String(),
  reason: Type.String(),
  createdAt: Timestamp,
})
export const NewBlockedAddress = Type.Object(
  {
    channel: stringEnum(CHANNELS),
    address: Type.String({ minLength: 1, maxLength: 300 }),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
)

const ws = (permission: 'messaging.read' | 'messaging.write' | 'profiles.read' | 'profiles.write') =>
  ({ kind: 'workspace', permission }) as const
const TAG = 'messaging'

export const consentRoutes = {
  listSubscriptionGroups: route({
    method: 'GET',
    path: '/api/v1/messaging/subscription-groups',
    tag: TAG,
    summary: 'Subscription groups and their policies',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(SubscriptionGroup) }),
  }),
  createSubscriptionGroup: route({
    method: 'POST',
    path: '/api/v1/messaging/subscription-groups',
    tag: TAG,
    summary: 'Add a subscription group',
    access: ws('messaging.write'),
    body: NewSubscriptionGroup,
    response: SubscriptionGroup,
    status: 201,
  }),
  updateSubscriptionGroup: route({
    method: 'PATCH',
    path: '/api/v1/messaging/subscription-groups/:id',
    tag: TAG,
    summary: 'Rename a group or change its policy',
    access: ws('messaging.write'),
    params: IdParams,
    body: SubscriptionGroupChange,
    response: SubscriptionGroup,
  }),
  profileConsents: route({
    method: 'GET',
    path: '/api/v1/profiles/:id/consents',
    tag: TAG,
    summary: 'A profile’s consent in every group',
    access: ws('profiles.read'),
    params: IdParams,
    response: Type.Object({ items: Type.Array(ProfileConsent) }),
  }),
  setProfileConsent: route({
    method: 'PUT',
    path: '/api/v1/profiles/:id/consents/:groupId',
    tag: TAG,
    summary: 'Record a profile’s consent in a group (source: console)',
    access: ws('profiles.write'),
    params: Type.Object({ id: Id, groupId: Id }),
    body: Type.Object({ state: stringEnum(CONSENT_STATES) }, { additionalProperties: false }),
    response: Type.Object({ items: Type.Array(ProfileConsent) }),
  }),
  listBlocklist: route({
    method: 'GET',
    path: '/api/v1/messaging/blocklist',
    tag: TAG,
    summary: 'Addresses never contacted',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(BlockedAddress) }),
  }),
  addToBlocklist: route({
    method: 'POST',
    path: '/api/v1/messaging/blocklist',
    tag: TAG,
    summary: 'Block an address on a channel',
    access: ws('messaging.write'),
    body: NewBlockedAddress,
    response: BlockedAddress,
    status: 201,
  }),
  removeFromBlocklist: route({
    method: 'POST',
    path: '/api/v1/messaging/blocklist/remove',
    tag: TAG,
    summary: 'Unblock an address',
    access: ws('messaging.write'),
    body: Type.Object(
      { channel: stringEnum(CHANNELS), address: Type.String({ minLength: 1, maxLength: 300 }) },
      { additionalProperties: false },
    ),
    response: Type.Object({}),
  }),
  getMessagingSettings: route({
    method: 'GET',
    path: '/api/v1/messaging/settings',
    tag: TAG,
    summary: 'Quiet hours and frequency caps',
    access: ws('messaging.read'),
    response: MessagingSettings,
  }),
  updateMessagingSettings: route({
    method: 'PUT',
    path: '/api/v1/messaging/settings',
    tag: TAG,
    summary: 'Change quiet hours and frequency caps',
    access: ws('messaging.write'),
    body: MessagingSettings,
    response: MessagingSettings,
  }),
}
