import * as audiences from '../features/audiences/messages.js'
import * as audit from '../features/audit/messages.js'
import * as broadcasts from '../features/broadcasts/messages.js'
import * as messageLog from '../features/message-log/messages.js'
import * as auth from '../features/auth/messages.js'
import * as catalogue from '../features/catalogue/messages.js'
import * as home from '../features/home/messages.js'
import * as computedProperties from '../features/computed-properties/messages.js'
import * as identity from '../features/identity/messages.js'
import * as imports from '../features/imports/messages.js'
import * as jobs from '../features/jobs/messages.js'
import * as messaging from '../features/messaging/messages.js'
import * as profiles from '../features/profiles/messages.js'
import * as profileList from '../features/profiles/list-messages.js'
import * as account from '../features/account/messages.js'
import * as quarantine from '../features/quarantine/messages.js'
import * as segments from '../features/segments/messages.js'
import * as settings from '../features/settings/messages.js'
import * as sources from '../features/sources/messages.js'
import * as tags from '../features/tags/messages.js'
import * as tokens from '../features/tokens/messages.js'
import * as users from '../features/users/messages.js'
import * as shared from '../shared/messages.js'

/** Every feature's messages; a new feature adds its `messages.ts` here. */
export const FEATURE_MESSAGES = [
  shared,
  auth,
  home,
  profiles,
  profileList,
  account,
  audiences,
  segments,
  tags,
  computedProperties,
  sources,
  catalogue,
  imports,
  identity,
  quarantine,
  users,
  tokens,
  audit,
  jobs,
  settings,
  messaging,
  broadcasts,
  messageLog,
] as const

type Merged<T extends readonly { zh: object }[]> = T extends readonly [infer H extends { zh: object }, ...infer R extends { zh: object }[]]
  ? H['zh'] & Merged<R>
  : unknown

/** The Chinese dictionary, the console's default: the features' messages together. */
export const zh = Object.assign({}, ...FEATURE_MESSAGES.map((m) => m.zh)) as Merged<typeof FEATURE_MESSAGES>
/** The English dictionary, with the same keys (each feature's `en` is typed against its `zh`). */
export const en = Object.assign({}, ...FEATURE_MESSAGES.map((m) => m.en)) as Record<keyof typeof zh, string>
