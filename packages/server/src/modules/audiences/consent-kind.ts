import {
  referencedSubscriptionGroups,
  type ConsentState,
  type GroupConsent,
  type SegmentNode,
  type SubscriptionCondition,
  type SubscriptionPolicy,
} from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import type { Sql } from './value-sql.js'

/**
 * What the engine needs from the module that owns consent (messaging) to evaluate `subscription`
 * conditions: messaging calls the engine (broadcasts to segments), so the engine cannot call it;
 * messaging registers this from its manifest instead, and its tables stay its own.
 */
export interface ConsentKind {
  /**
   * The live profiles of `base` (a relation of profile `id`s) in `state` for the group `group`
   * (by key) of the workspace, as a query of `id`s; mirrors the in-memory evaluation over
   * `policies` and `states` below. A group the workspace does not have holds nobody.
   */
  sql(args: { workspaceId: string; group: string; state: SubscriptionCondition['state']; base: Sql }): Sql
  /** The workspace's groups by key with their policies (the default groups included before they are first created). */
  policies(db: Executor, workspaceId: string): Promise<Map<string, SubscriptionPolicy>>
  /** Recorded consent of some profiles: by profile id, then group key. */
  states(db: Executor, workspaceId: string, profileIds: readonly string[]): Promise<Map<string, Map<string, ConsentState>>>
}

let consentKindRegistered: ConsentKind | undefined

/** Registered by the messaging module's manifest (loaded with the list of modules). */
export function registerConsentKind(kind: ConsentKind): void {
  consentKindRegistered = kind
}

/** The consent owner's side of the engine. */
export function consentKind(): ConsentKind {
  if (!consentKindRegistered) throw new Error('no consent kind is registered: load the messaging module (runtime/modules.ts)')
  return consentKindRegistered
}

/** Each group's policy with no state recorded: the consent of a profile with nothing yet. */
export const noConsents = (policies: ReadonlyMap<string, SubscriptionPolicy>): Map<string, GroupConsent> =>
  new Map([...policies].map(([key, policy]) => [key, { policy }]))

/** Consent facts of some profiles for the in-memory evaluator: every group's policy and each profile's state in it. */
export async function consentFacts(
  db: Executor,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, Map<string, GroupConsent>>> {
  const kind = consentKind()
  const [policies, states] = await Promise.all([kind.policies(db, workspaceId), kind.states(db, workspaceId, profileIds)])
  return new Map(
    profileIds.map((id) => {
      const own = states.get(id)
      return [id, new Map([...policies].map(([key, policy]) => [key, { policy, state: own?.get(key) }]))]
    }),
  )
}

/** The workspace's group policies when one of the definitions reads consent (else no query). */
export async function policiesIfRead(
  db: Executor,
  workspaceId: string,
  definitions: readonly SegmentNode[],
): Promise<Map<string, SubscriptionPolicy> | undefined> {
  if (!definitions.some((d) => referencedSubscriptionGroups(d).length > 0)) return undefined
  return consentKind().policies(db, workspaceId)
}
