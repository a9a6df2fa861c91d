/** An identifier of a customer: its type and normalized value, e.g. `{ type: 'phone', value: '+8613800138000' }`. */
export interface Identifier {
  type: string
  value: string
}

/** How one identifier type takes part in identity resolution. */
export interface IdentifierRule {
  /** Higher wins: when a merge would break a limit, the lowest-priority identifier leaves the match. */
  priority: number
  /** How many different values of this type one profile may hold. */
  maxPerProfile: number
  /** Values never used for matching (test numbers, shared shop devices…). */
  blockedValues?: readonly string[]
}

/** A workspace's identity policy: a rule per identifier type. */
export type IdentityPolicy = Readonly<Record<string, IdentifierRule>>

/** The identifier types every workspace starts with; custom types are added beside them. */
export const DEFAULT_IDENTITY_POLICY: IdentityPolicy = {
  user_id: { priority: 100, maxPerProfile: 1 },
  phone: { priority: 90, maxPerProfile: 1 },
  email: { priority: 80, maxPerProfile: 3 },
  wechat_unionid: { priority: 75, maxPerProfile: 1 },
  wechat_openid: { priority: 70, maxPerProfile: 10 },
  wecom_external_userid: { priority: 65, maxPerProfile: 5 },
  youzan_id: { priority: 60, maxPerProfile: 3 },
  douyin_id: { priority: 60, maxPerProfile: 3 },
  tmall_id: { priority: 60, maxPerProfile: 3 },
  jd_id: { priority: 60, maxPerProfile: 3 },
  device_id: { priority: 30, maxPerProfile: 20 },
  anonymous_id: { priority: 10, maxPerProfile: 200 },
}

/** The rule of a type, with a cautious default for a type the policy does not know. */
export function ruleOf(policy: IdentityPolicy, type: string): IdentifierRule {
  return policy[type] ?? { priority: 50, maxPerProfile: 5 }
}

/** The key of an identifier in maps: type and value, unambiguous. */
export function identifierKey(identifier: Identifier): string {
  return `${identifier.type}\u0000${identifier.value}`
}
