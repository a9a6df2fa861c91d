import { ROLES, SOURCE_KINDS, type Role } from '@reachloop/domain'
import { SYSTEM_ACTOR } from '../platform/auth/actor.js'
import { loadConfig } from '../platform/config/config.js'
import { migrate } from '../platform/db/migrate.js'
import { createToken } from '../platform/tokens/tokens-service.js'
import { createSource } from '../modules/ingest/sources-service.js'
import { createOwner } from '../platform/workspaces/workspaces-service.js'
import { createContext, createLogger, type OpenContext } from '../runtime/create-context.js'

/** Opens the database for one command (refusing if a server holds the embedded one), runs `task`, closes. */
async function withContext<T>(task: (open: OpenContext) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const open = await createContext(config, { role: 'cli', migrate: false, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') })
  try {
    await migrate(open.ctx.db)
    return await task(open)
  } finally {
    await open.close()
  }
}

const fail = (message: string): never => {
  throw new Error(message)
}

export async function migrateCommand(): Promise<void> {
  const config = loadConfig()
  const open = await createContext(config, { role: 'cli', migrate: false, logger: createLogger('warn') })
  try {
    const applied = await migrate(open.ctx.db)
    console.log(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`)
  } finally {
    await open.close()
  }
}

export async function createOwnerCommand(options: { email: string; password: string; workspace: string; name?: string }): Promise<void> {
  if (options.password.length < 8) fail('--password must be at least 8 characters')
  if (!/^[^@\s]+@[^@\s]+$/.test(options.email)) fail(`--email "${options.email}" is not an email address`)
  await withContext(async ({ ctx }) => {
    const result = await createOwner(ctx, { email: options.email, password: options.password, workspace: options.workspace, name: options.name ?? options.email.split('@')[0] ?? options.email }, { onlyIfFirst: false, actor: SYSTEM_ACTOR })
    if (!result.ok) fail(result.message ?? result.code)
    else console.log(`Created owner ${options.email.toLowerCase()} of workspace "${result.value.workspace.name}" (${result.value.workspace.id}).`)
  })
}

export async function createTokenCommand(options: { email: string; name: string; workspace?: string; role?: string }): Promise<void> {
  if (options.role !== undefined && !(ROLES as readonly string[]).includes(options.role)) fail(`--role must be one of ${ROLES.join(', ')}`)
  await withContext(async ({ ctx }) => {
    const email = options.email.trim().toLowerCase()
    const user = await ctx.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()
    if (!user) return fail(`No user has the email ${email}.`)
    let query = ctx.db
      .selectFrom('memberships')
      .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
      .select(['workspaces.id', 'workspaces.name', 'memberships.role'])
      .where('memberships.user_id', '=', user.id)
      .where('memberships.disabled', '=', false)
    if (options.workspace !== undefined) {
      const ws = options.workspace
      query = /^[0-9a-f-]{36}$/i.test(ws) ? query.where('workspaces.id', '=', ws) : query.where('workspaces.name', '=', ws)
    }
    const membership = await query.orderBy('memberships.created_at').executeTakeFirst()
    if (!membership) return fail(options.workspace ? `${email} is not a member of workspace "${options.workspace}".` : `${email} belongs to no workspace.`)
    const created = await createToken(ctx, { workspaceId: membership.id, userId: user.id, role: membership.role as Role, actor: SYSTEM_ACTOR }, { name: options.name, ...(options.role ? { role: options.role as Role } : {}) })
    if (!created.ok) return fail(created.message ?? created.code)
    // The secret alone on stdout, so scripts can capture it: TOKEN=$(npx reachloop create-token …)
    console.log(created.value.secret)
    console.error(`Token "${options.name}" (${created.value.token.role}) for ${email} in workspace "${membership.name}". Keep it secret: it is not shown again.`)
  })
}

export async function createSourceCommand(options: { workspace: string; name: string; kind: string }): Promise<void> {
  if (!(SOURCE_KINDS as readonly string[]).includes(options.kind)) fail(`--kind must be one of ${SOURCE_KINDS.join(', ')}`)
  await withContext(async ({ ctx }) => {
    const ws = options.workspace
    const workspace = await ctx.db
      .selectFrom('workspaces')
      .select(['id', 'name'])
      .where(/^[0-9a-f-]{36}$/i.test(ws) ? 'id' : 'name', '=', ws)
      .orderBy('created_at')
      .executeTakeFirst()
    if (!workspace) return fail(`No workspace "${ws}".`)
    const source = await ctx.db.transaction().execute((tx) => createSource(ctx, { workspaceId: workspace.id, actor: SYSTEM_ACTOR, requestId: null }, { name: options.name, kind: options.kind as (typeof SOURCE_KINDS)[number] }, tx))
    // The write key alone on stdout, so scripts can capture it.
    console.log(source.writeKey)
    console.error(`Source "${options.name}" (${options.kind}) in workspace "${workspace.name}". Send events to /v1/* with this write key.`)
  })
}
