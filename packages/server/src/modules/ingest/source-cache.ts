import type { AppContext } from '../../platform/context.js'
import { hashSecret } from '../../platform/crypto/tokens.js'
import { moduleState } from '../../platform/modules/module-state.js'
import { TtlCache } from '../../platform/ttl-cache.js'
import { sourceByKeyHash } from './sources-repository.js'

/** What the tracking API needs of a source: who it is and which browser origins may send to it. */
export interface TrackingSource {
  id: string
  workspaceId: string
  /** null allows any origin. */
  allowedOrigins: string[] | null
}

/** Write key hash → source, kept a few seconds: every tracking request looks its key up. */
const SOURCES = Symbol('ingest.sources')
const sources = (ctx: AppContext) => moduleState(ctx, SOURCES, () => new TtlCache<string, TrackingSource | undefined>(5_000, ctx.clock))

/** The source a write key belongs to, or undefined. */
export async function sourceByWriteKey(ctx: AppContext, writeKey: string): Promise<TrackingSource | undefined> {
  const hash = hashSecret(writeKey)
  return sources(ctx).get(hash, async () => {
    const record = await sourceByKeyHash(ctx.db, hash)
    return record ? { id: record.id, workspaceId: record.workspaceId, allowedOrigins: record.allowedOrigins } : undefined
  })
}

/** A rotated or deleted key stops working in this process at once (in others within seconds); all sources when none is named. */
export function forgetSource(ctx: AppContext, sourceId?: string): void {
  sources(ctx).clear(sourceId === undefined ? undefined : (_hash, source) => source?.id === sourceId)
}
