import type { LogConsumer } from '../../platform/event-log/event-log.js'
import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { NOTES_MIGRATIONS } from './notes-migrations.js'
import { addOrders, eraseNotes, markReminded, moveToSurvivor } from './notes-repository.js'
import { NOTE_ADDED, notesRoutes, REMIND_QUEUE } from './notes-routes.js'

/**
 * A small module built the way the next ones will be (messaging, coupons, journeys…): its tables by
 * its own migration, routes, a typed job queue, a log consumer, an internal event, and erasure and
 * merge hooks — all in this folder. Adding it to a running system is one entry in the list of modules
 * (`runtime/new-module.test.ts` does exactly that, and CI builds and runs it).
 */
export const notesModule: ModuleManifest = {
  name: 'example-notes',
  tables: ['profile_notes', 'profile_order_tallies'],
  migrations: NOTES_MIGRATIONS,
  routes: [notesRoutes],
  queues: [handles(REMIND_QUEUE, (ctx, payload) => markReminded(ctx.db, payload.noteId, ctx.clock.now()))],
  consumers: (): LogConsumer[] => [
    {
      name: 'example-notes.orders',
      propertiesOf: [],
      handle: async (tx, events) => {
        const byWorkspace = new Map<string, Map<string, number>>()
        for (const e of events) {
          if (e.name !== 'Order Completed') continue
          const counts = byWorkspace.get(e.workspaceId) ?? new Map<string, number>()
          counts.set(e.profileId, (counts.get(e.profileId) ?? 0) + 1)
          byWorkspace.set(e.workspaceId, counts)
        }
        for (const [workspaceId, counts] of byWorkspace) await addOrders(tx, workspaceId, counts)
      },
    },
  ],
  internalEvents: [NOTE_ADDED],
  onProfileErased: (tx, erasure) => eraseNotes(tx, erasure.workspaceId, erasure.profileIds),
  onProfilesMerged: (tx, merge) => moveToSurvivor(tx, merge.workspaceId, merge.survivorId, merge.mergedIds),
}
