import type { RawBuilder, Transaction } from 'kysely'
import type { AppContext } from '../../platform/context.js'
import type { DB } from '../../platform/db/schema.js'
import { changedSince } from '../../platform/event-log/log-mark.js'
import type { LogMark } from '../../platform/event-log/log-mark.js'
import { survivorsOf } from '../identity/index.js'
import { audienceInputs, propertyInputs } from './audience-inputs.js'
import { allAudienceKinds, propertyKind, type WorkspaceProperties } from './audience-kinds.js'
import { policiesIfRead } from './consent-kind.js'
import { audiencesUsing } from './live-audiences.js'
import { evaluateAudience } from './membership.js'

/**
 * The profiles (followed to survivors) of the events that became visible since a mark and match a
 * predicate (merges and creations are events too): what a full computation may have missed.
 */
async function touchedSince(tx: Transaction<DB>, workspaceId: string, mark: LogMark, where: RawBuilder<unknown>): Promise<string[]> {
  const { profileIds } = await changedSince(tx, mark, { workspaceId, where })
  return [...new Set((await survivorsOf(tx, workspaceId, profileIds)).values())]
}

/**
 * A full computation read the log as of a mark; events committed after it may have passed the
 * consumer before the property, segment or tag was live (or while the consumer was idle). The
 * profiles of those that can affect it are computed once more, found by one query each, and the
 * mark is cleared. Properties go first: segments using them follow their changed values.
 */
export async function catchUp(ctx: AppContext, tx: Transaction<DB>): Promise<void> {
  const now = ctx.clock.now()
  const properties = propertyKind()
  for (const { property, mark } of await properties.pending(tx)) {
    const profileIds = await touchedSince(tx, property.workspaceId, mark, propertyInputs(property.definition).predicate)
    const { changedIds } = await properties.computeValues(tx, property, { now, profileIds })
    for (const audience of await audiencesUsing(tx, property.workspaceId, [property.id]))
      await evaluateAudience(tx, audience, { now, actor: 'segments', profileIds: changedIds })
    await properties.clearMark(tx, property.id, mark)
  }
  const contexts = new Map<string, WorkspaceProperties>()
  for (const kind of allAudienceKinds()) {
    for (const { audience, mark } of await kind.pending(tx)) {
      const { definition } = audience
      if (definition) {
        const context = contexts.get(audience.workspaceId) ?? (await properties.workspace(tx, audience.workspaceId))
        contexts.set(audience.workspaceId, context)
        const policies = await policiesIfRead(tx, audience.workspaceId, [definition])
        const inputs = audienceInputs(definition, { ...context, policies })
        const profileIds = await touchedSince(tx, audience.workspaceId, mark, inputs.predicate)
        await evaluateAudience(tx, { ...audience, definition }, { now, actor: 'segments', profileIds })
      }
      await kind.clearMark(tx, audience.id, mark)
    }
  }
}
