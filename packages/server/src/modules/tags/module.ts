import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { registerAudienceKind, settleComputation } from '../audiences/index.js'
import { tagKind } from './tag-kind.js'
import { TAGS_MIGRATIONS } from './tags-migrations.js'
import { tagsRoutes } from './tags-routes.js'
import { computeTag, COMPUTE_TAG_QUEUE } from './tags-service.js'

registerAudienceKind(tagKind)

/** Tags: groups, manual tags given by hand and rule tags computed by the membership engine. */
export const tagsModule: ModuleManifest = {
  name: 'tags',
  tables: ['tag_groups', 'tags'],
  migrations: TAGS_MIGRATIONS,
  routes: [tagsRoutes],
  queues: [handles(COMPUTE_TAG_QUEUE, async (ctx, payload, job) => settleComputation(ctx, job.id, await computeTag(ctx, payload.tagId)))],
}
