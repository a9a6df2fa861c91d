import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import {
  IMPORT_FORMATS,
  IMPORT_KINDS,
  ROLES,
  SOURCE_KINDS,
  type ImportFormat,
  type ImportKind,
  type ImportMapping,
  type Role,
} from '@reachloop/domain'
import { runDemo } from '../modules/demo/index.js'
import { getImport, receiveUpload, runImport, startImport } from '../modules/imports/index.js'
import { createSource, sourceNamed } from '../modules/ingest/index.js'
import { SYSTEM_ACTOR } from '../platform/auth/actor.js'
import { loadConfig } from '../platform/config/config.js'
import { runningServerUrl } from '../platform/db/embedded-postgres.js'
import { migrate } from '../platform/db/migrate.js'
import { refusePGliteDataDir } from '../platform/db/pglite-data-dir.js'
import { createToken } from '../platform/tokens/tokens-service.js'
import { createOwner } from '../platform/workspaces/workspaces-service.js'
import { createContext, createLogger, type OpenContext } from '../runtime/create-context.js'

/** Opens the database for one command (the running embedded server, or one started for the run), runs `task`, closes. */
async function withContext<T>(task: (open: OpenContext) => Promise<T>): Promise<T> {
  const config = loadConfig()
  const open = await createContext(config, { role: 'cli', migrate: false, logger: createLogger(process.env.LOG_LEVEL ?? 'warn') })
  try {
    await migrate(open.ctx.db, open.ctx.migrations)
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
    const applied = await migrate(open.ctx.db, open.ctx.migrations)
    console.log(applied.length === 0 ? 'The database is up to date.' : `Applied ${applied.length} migration(s): ${applied.join(', ')}`)
  } finally {
    await open.close()
  }
}

/** Prints the connection string of the database the platform runs on (the embedded server's while it runs). */
export function databaseUrlCommand(): void {
  const config = loadConfig()
  if (config.databaseUrl) return void console.log(config.databaseUrl)
  // An old PGlite directory gets its reason, not "start Reachloop first": a start is refused too.
  refusePGliteDataDir(config.dataDir)
  const url = runningServerUrl(config.dataDir)
  if (!url) fail(`The embedded PostgreSQL of ${config.dataDir} is not running: start Reachloop (npm start) first.`)
  console.log(url)
}

export async function createOwnerCommand(options: { email: string; password: string; workspace: string; name?: string }): Promise<void> {
  if (options.password.length < 8) fail('--password must be at least 8 characters')
  if (!/^[^@\s]+@[^@\s]+$/.test(options.email)) fail(`--email "${options.email}" is not an email address`)
  await withContext(async ({ ctx }) => {
    const result = await createOwner(
      ctx,
      {
        email: options.email,
        password: options.password,
        workspace: options.workspace,
        name: options.name ?? options.email.split('@')[0] ?? options.email,
      },
      { onlyIfFirst: false, actor: SYSTEM_ACTOR },
    )
    if (!result.ok) fail(result.message ?? result.code)
    else
      console.log(
        `Created owner ${options.email.toLowerCase()} of workspace "${result.value.workspace.name}" (${result.value.workspace.id}).`,
      )
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
    if (!membership)
      return fail(options.workspace ? `${email} is not a member of workspace "${options.workspace}".` : `${email} belongs to no workspace.`)
    const created = await createToken(
      ctx,
      { workspaceId: membership.id, userId: user.id, role: membership.role as Role, actor: SYSTEM_ACTOR },
      { name: options.name, ...(options.role ? { role: options.role as Role } : {}) },
    )
    if (!created.ok) return fail(created.message ?? created.code)
    // The secret alone on stdout, so scripts can capture it: TOKEN=$(npx reachloop create-token …)
    console.log(created.value.secret)
    console.error(
      `Token "${options.name}" (${created.value.token.role}) for ${email} in workspace "${membership.name}". Keep it secret: it is not shown again.`,
    )
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
    const source = await ctx.db
      .transaction()
      .execute((tx) =>
        createSource(
          ctx,
          { workspaceId: workspace.id, actor: SYSTEM_ACTOR, requestId: null },
          { name: options.name, kind: options.kind as (typeof SOURCE_KINDS)[number] },
          tx,
        ),
      )
    // The write key alone on stdout, so scripts can capture it.
    console.log(source.writeKey)
    console.error(`Source "${options.name}" (${options.kind}) in workspace "${workspace.name}". Send events to /v1/* with this write key.`)
  })
}

/** `--map field=column` pairs into an import mapping: `userId=member_no`, `traits.phone=mobile`, `eventName=Order Completed`. */
export function parseMapOptions(pairs: string[]): ImportMapping {
  const mapping: ImportMapping = {}
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    if (at <= 0) fail(`--map "${pair}" must look like field=column`)
    const field = pair.slice(0, at)
    const column = pair.slice(at + 1)
    const [group, name] = field.split('.')
    if ((group === 'traits' || group === 'properties') && name) mapping[group] = { ...mapping[group], [name]: column }
    else if (['userId', 'anonymousId', 'event', 'eventName', 'timestamp', 'messageId'].includes(field))
      (mapping as Record<string, string>)[field] = column
    else
      fail(
        `--map field "${field}" is not one of userId, anonymousId, event, eventName, timestamp, messageId, traits.<name>, properties.<name>`,
      )
  }
  return mapping
}

export async function importCommand(options: {
  workspace: string
  source: string
  kind: string
  format?: string
  file: string
  map: string[]
}): Promise<void> {
  if (!(IMPORT_KINDS as readonly string[]).includes(options.kind)) fail(`--kind must be one of ${IMPORT_KINDS.join(', ')}`)
  const format = (options.format ?? (options.file.endsWith('.jsonl') || options.file.endsWith('.ndjson') ? 'jsonl' : 'csv')) as ImportFormat
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) fail(`--format must be one of ${IMPORT_FORMATS.join(', ')}`)
  const mapping = parseMapOptions(options.map)
  await withContext(async ({ ctx }) => {
    const byId = /^[0-9a-f-]{36}$/i
    const workspace = await ctx.db
      .selectFrom('workspaces')
      .select('id')
      .where(byId.test(options.workspace) ? 'id' : 'name', '=', options.workspace)
      .executeTakeFirst()
    if (!workspace) return fail(`No workspace "${options.workspace}".`)
    const source = await sourceNamed(ctx.db, workspace.id, options.source)
    if (!source) return fail(`No source "${options.source}" in that workspace.`)
    const scope = { workspaceId: workspace.id, actor: SYSTEM_ACTOR, requestId: null }
    const uploaded = await receiveUpload(ctx, scope, createReadStream(options.file), format, basename(options.file))
    if (!uploaded.ok) return fail(uploaded.message ?? uploaded.code)
    const started = await startImport(ctx, scope, uploaded.value.id, { kind: options.kind as ImportKind, sourceId: source.id, mapping })
    if (!started.ok) return fail(started.message ?? started.code)
    let shown = -1
    await runImport(ctx, uploaded.value.id, (rows, bytes, total) => {
      const percent = total === 0 ? 100 : Math.floor((bytes / total) * 100)
      if (percent !== shown) process.stderr.write(`\r${percent}% · ${rows} rows`)
      shown = percent
    })
    const found = await getImport(ctx, workspace.id, uploaded.value.id)
    if (!found.ok) return fail(found.message ?? found.code)
    const done = found.value
    process.stderr.write('\n')
    console.log(
      JSON.stringify({
        import: done.id,
        status: done.status,
        rows: done.processedRows,
        accepted: done.accepted,
        duplicates: done.duplicates,
        rejected: done.rejected,
      }),
    )
    if (done.rejected > 0) console.error(`${done.rejected} rows refused; the report: GET /api/v1/imports/${done.id}/errors`)
  })
}

export async function demoCommand(options: { customers: string; workspace: string; email?: string; password?: string }): Promise<void> {
  const customers = Number(options.customers)
  if (!Number.isInteger(customers) || customers < 1) fail('--customers must be a positive whole number')
  await withContext(async ({ ctx }) => {
    let owner = options.email
      ? await ctx.db.selectFrom('users').select(['id', 'email']).where('email', '=', options.email.toLowerCase()).executeTakeFirst()
      : await ctx.db
          .selectFrom('users')
          .innerJoin('memberships', 'memberships.user_id', 'users.id')
          .select(['users.id', 'users.email'])
          .where('memberships.role', '=', 'owner')
          .orderBy('users.created_at')
          .executeTakeFirst()
    if (!owner) {
      // A new install with no owner yet: the demo makes one, so the console has someone to sign in as.
      const email = options.email ?? 'owner@demo.example'
      const password = options.password ?? randomBytes(12).toString('base64url')
      if (options.email && !options.password) return fail(`No user ${email} yet: pass --password to create it for the demo.`)
      const created = await createOwner(
        ctx,
        { email, password, name: email.split('@')[0] ?? 'owner', workspace: 'Reachloop' },
        { onlyIfFirst: false, actor: SYSTEM_ACTOR },
      )
      if (!created.ok) return fail(created.message ?? created.code)
      owner = { id: created.value.userId, email: email.toLowerCase() }
      if (!options.password)
        console.log(`No owner yet: created ${owner.email} with the password ${password} — sign in with it and change it.`)
    }
    const started = Date.now()
    const outcome = await runDemo(ctx, {
      ownerId: owner.id,
      actor: SYSTEM_ACTOR,
      workspaceName: options.workspace,
      customers,
      onProgress: (done, events) =>
        process.stderr.write(`\r${Math.floor((done / customers) * 100)}% · ${done} customers · ${events} events`),
    })
    const seconds = (Date.now() - started) / 1000
    process.stderr.write('\n')
    console.log(
      `Demo workspace "${options.workspace}" (${outcome.workspaceId}): ${outcome.customers} customers, ${outcome.events} events in ${seconds.toFixed(0)} s (${Math.round(outcome.events / seconds)} events/s). Owner: ${owner.email}.`,
    )
  })
}
