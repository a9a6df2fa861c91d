/** The membership engine's public face: what segments, tags and computed properties may call. */
export {
  registerAudienceKind,
  registerPropertyKind,
  type Audience,
  type AudienceDefinition,
  type AudienceKind,
  type EvaluableAudience,
  type EvaluableProperty,
  type PropertyKind,
  type ValuesOutcome,
  type WorkspaceProperties,
} from './audience-kinds.js'
export { applyMembership, evaluateAudience, MEMBERSHIP_EVENTS, NOBODY, type MembershipOutcome } from './membership.js'
export { compileSegment, type SegmentScope } from './segment-sql.js'
export { compileComputed, compileRfmBands, compileRfmMeasures } from './computed-sql.js'
export { cancelComputation, lockComputation, runComputation, settleComputation, type ComputationKey } from './running-computations.js'
export { workspaceZone } from './workspace-zone.js'
export { checkAgainstWorkspace, definitionsUsing } from './definition-check.js'
export { audiencesReadingConsent, audiencesUsing } from './live-audiences.js'
export { registerConsentKind, type ConsentKind } from './consent-kind.js'
export {
  currentMembersSql,
  dailyMembershipChanges,
  segmentMembersExportPage,
  segmentMembersPage,
  type MemberCursor,
} from './membership-repository.js'
