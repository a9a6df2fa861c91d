/** Identity's public face: what other modules may call. */
export { liveProfilesSql, survivorMapSql, survivorOf, survivorsOf, survivorSql, withMergedIds, withMergedSql } from './survivors.js'
export {
  identifiersOfProfiles,
  profilesByIdentifiers,
  profilesWithIdentifiersSql,
  type IdentifierMatch,
  type ProfileIdentifier,
} from './identifier-repository.js'
export { liveProfilesPage, profileRecords, survivingProfile, type LiveProfilesQuery, type ProfileRecord } from './profile-repository.js'
export { mergeHistory, type ProfileMerge } from './merge-repository.js'
export { customerOf, type Customer } from './identity-erasure.js'
export { mergeProfilesByHand } from './identity-merge.js'
export { identityPolicy } from './identity-policy.js'
export { resolveAndWrite, type ResolvableEvent, type ResolvedBatch } from './identity-writer.js'
