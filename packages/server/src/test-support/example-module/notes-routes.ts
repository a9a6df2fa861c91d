import { fail, ok, route } from '@reachloop/domain'
import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../../platform/context.js'
import { append } from '../../platform/event-log/append.js'
import { defineRoute } from '../../platform/http/define-route.js'
import { defineQueue } from '../../platform/jobs/queue.js'
import { survivorOf } from '../../modules/identity/index.js'
import { insertNote, notesOf, ordersOf } from './notes-repository.js'

export const NOTE_ADDED = 'Note Added'
export const REMIND_QUEUE = defineQueue('notes.remind', Type.Object({ noteId: Type.String({ pattern: '^[0-9]+$' }) }))

const Note = Type.Object({
  id: Type.String(),
  profileId: Type.String(),
  text: Type.String(),
  remindedAt: Type.Union([Type.String(), Type.Null()]),
})
const ProfileParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** The module's own contracts: a new module's routes need no edit of the domain's route list to be served. */
export const notesRoutesContract = {
  addNote: route({
    method: 'POST',
    path: '/api/v1/example/profiles/:id/notes',
    tag: 'example',
    summary: 'Leave a note on a customer (the example module)',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: ProfileParams,
    body: Type.Object({
      text: Type.String({ minLength: 1, maxLength: 2000 }),
      remindInMinutes: Type.Optional(Type.Integer({ minimum: 1 })),
    }),
    response: Note,
    status: 201,
  }),
  listNotes: route({
    method: 'GET',
    path: '/api/v1/example/profiles/:id/notes',
    tag: 'example',
    summary: "A customer's notes and order tally (the example module)",
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: ProfileParams,
    response: Type.Object({ items: Type.Array(Note), orders: Type.Integer() }),
  }),
}

export function notesRoutes(app: FastifyInstance, ctx: AppContext): void {
  defineRoute(app, ctx, notesRoutesContract.addNote, async ({ scope, params, body }) => {
    const now = ctx.clock.now()
    const note = await ctx.db.transaction().execute(async (tx) => {
      // Identity owns profiles: a merged-away id leads to its survivor, an unknown one to nothing.
      const profileId = await survivorOf(tx, scope.workspaceId, params.id)
      if (!profileId) return undefined
      const added = await insertNote(tx, scope.workspaceId, profileId, body.text, now)
      await append(tx, { workspaceId: scope.workspaceId, receivedAt: now }, [
        { profileId, messageId: `note:${added.id}`, name: NOTE_ADDED, properties: { note_id: added.id }, timestamp: now },
      ])
      if (body.remindInMinutes)
        await ctx.jobs.enqueue(
          {
            queue: REMIND_QUEUE,
            payload: { noteId: added.id },
            workspaceId: scope.workspaceId,
            runAt: new Date(now.getTime() + body.remindInMinutes * 60_000),
          },
          tx,
        )
      return added
    })
    return note ? ok(note) : fail('PROFILE_NOT_FOUND')
  })
  defineRoute(app, ctx, notesRoutesContract.listNotes, async ({ scope, params }) =>
    ok({ items: await notesOf(ctx.db, scope.workspaceId, params.id), orders: await ordersOf(ctx.db, scope.workspaceId, params.id) }),
  )
}
