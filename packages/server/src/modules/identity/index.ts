/** Identity's public face: what other modules may call. */
export { liveProfilesSql, survivorMapSql, survivorOf, survivorsOf, survivorSql, withMergedIds, withMergedSql } from './survivors.js'
export { loadIdentityPolicy } from './identity-policy.js'
export { resolveAndWrite, type MergedBy, type ResolvableEvent, type ResolvedBatch } from './identity-writer.js'
