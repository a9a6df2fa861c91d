import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase, openDatabase } from '@reachloop/server/testing'
import { runCli, startProcess } from './support/processes.js'

/** The postgres processes serving `dataDir` (the embedded server and its backends). */
const postgresOf = (dataDir: string) =>
  readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(join(dataDir, 'postgres'))
      } catch {
        return false
      }
    })

describe('the reachloop command on the embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-cli-'))
  const env = { DATA_DIR: dataDir }
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  it('creates an owner and a token without prompting, and the token works against the server', async () => {
    const owner = await runCli(['create-owner', '--email', 'Ops@Example.com', '--password', 'ops-password', '--workspace', 'Car Care'], env)
    expect(owner.stderr).toBe('')
    expect(owner.code).toBe(0)
    expect(owner.stdout).toContain('ops@example.com')
    // The command started the database for its run and stopped it at the end.
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true)
    expect(postgresOf(dataDir)).toEqual([])
    const token = await runCli(['create-token', '--email', 'ops@example.com', '--name', 'deploy script'], env)
    expect(token.code).toBe(0)
    const secret = token.stdout.trim()
    expect(secret).toMatch(/^rl_/)
    const source = await runCli(['create-source', '--workspace', 'Car Care', '--name', 'POS', '--kind', 'store_pos'], env)
    expect(source.code).toBe(0)
    const writeKey = source.stdout.trim()
    expect(writeKey).toMatch(/^wk_/)
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(true)

    const file = join(dataDir, 'orders.csv')
    writeFileSync(
      file,
      'order_no,member,amount,paid_at\nSO-1,m-1,8800,2025-05-01T08:00:00Z\nSO-2,,100,2025-05-02T08:00:00Z\nSO-3,m-2,12800,2025-05-03T08:00:00Z\n',
    )
    const imported = await runCli(
      [
        'import',
        '--workspace',
        'Car Care',
        '--source',
        'POS',
        '--kind',
        'events',
        '--file',
        file,
        '--map',
        'userId=member',
        'eventName=Order Completed',
        'messageId=order_no',
        'timestamp=paid_at',
        'properties.total=amount',
      ],
      env,
    )
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout.trim())).toMatchObject({ status: 'done', rows: 3, accepted: 2, rejected: 1 })
    expect(imported.stderr).toContain('100% · 3 rows')

    const server = await startProcess('start', env)
    try {
      const users = await fetch(`${server.url}/api/v1/users`, { headers: { authorization: `Bearer ${secret}` } })
      expect(users.status).toBe(200)
      expect((await users.json()).items[0].email).toBe('ops@example.com')
      const tracked = await fetch(`${server.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'pos-customer', event: 'Order Completed' }),
      })
      expect(tracked.status).toBe(200)
      const audit = await (
        await fetch(`${server.url}/api/v1/audit-log?action=token.create`, { headers: { authorization: `Bearer ${secret}` } })
      ).json()
      expect(audit.items[0].actor).toMatchObject({ kind: 'system' })

      // Beside the running server, CLI commands share its database, as they do on PostgreSQL.
      const beside = await runCli(['create-token', '--email', 'ops@example.com', '--name', 'second'], env)
      expect(beside.stderr).toContain('Token "second"')
      expect(beside.code).toBe(0)
      const tokens = await (await fetch(`${server.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${secret}` } })).json()
      expect(tokens.items.map((t: { name: string }) => t.name).sort()).toEqual(['deploy script', 'second'])
      // The command left the server's database running.
      expect((await fetch(`${server.url}/api/v1/users`, { headers: { authorization: `Bearer ${beside.stdout.trim()}` } })).status).toBe(200)
      // The operator's own tools reach the same database.
      const url = await runCli(['database-url'], env)
      expect(url.code).toBe(0)
      const direct = await openDatabase({ databaseUrl: url.stdout.trim() })
      try {
        expect((await direct.db.selectFrom('users').select('email').execute()).map((u) => u.email)).toEqual(['ops@example.com'])
      } finally {
        await direct.close()
      }
    } finally {
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
    }
    expect(server.output()).toContain('reachloop stopped')
    // The server stopped its database on the way out.
    expect(postgresOf(dataDir)).toEqual([])
    const noUrl = await runCli(['database-url'], env)
    expect(noUrl.code).toBe(1)
    expect(noUrl.stderr).toContain('is not running: start Reachloop (npm start) first')
    const after = await runCli(['create-token', '--email', 'ops@example.com', '--name', 'after'], env)
    expect(after.code).toBe(0)
  }, 180_000)

  it('builds the demo on a new install, beside the server, with an owner to sign in as', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'reachloop-demo-'))
    try {
      const server = await startProcess('start', { DATA_DIR: fresh })
      try {
        const demo = await runCli(['demo', '--customers', '30'], { DATA_DIR: fresh })
        expect(demo.code).toBe(0)
        const password = /created owner@demo\.example with the password (\S+)/.exec(demo.stdout)?.[1] ?? ''
        expect(password).not.toBe('')
        const login = await fetch(`${server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'owner@demo.example', password }),
        })
        expect(login.status).toBe(200)
        expect(demo.stdout).toMatch(/30 customers, \d+ events/)
      } finally {
        server.child.kill('SIGTERM')
        await server.exited
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  }, 180_000)

  it('explains a bad option instead of failing obscurely', async () => {
    const result = await runCli(['create-owner', '--email', 'x@example.com', '--password', 'short', '--workspace', 'W'], env)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('--password must be at least 8 characters')
  })
})

describe('the reachloop command where PGlite was', () => {
  it('refuses a data directory that holds a PGlite database, says what to do, and leaves it untouched', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-cli-pglite-'))
    try {
      // What an earlier Reachloop on PGlite left: its cluster directly in the data directory.
      writeFileSync(join(dataDir, 'PG_VERSION'), '17\n')
      writeFileSync(join(dataDir, 'secret.key'), 'the old key')
      const before = readdirSync(dataDir).sort()
      for (const args of [['start'], ['migrate'], ['create-token', '--email', 'ops@example.com', '--name', 'x'], ['database-url']]) {
        const refused = await runCli(args, { DATA_DIR: dataDir, PORT: '0' })
        expect(refused.code).toBe(1)
        expect(refused.stderr).toContain(`The data directory ${dataDir} holds a PGlite database`)
        expect(refused.stderr).toContain('This version no longer supports PGlite and cannot open it')
        expect(refused.stderr).toContain('Start with a new DATA_DIR')
      }
      expect(readdirSync(dataDir).sort()).toEqual(before)
      expect(readFileSync(join(dataDir, 'secret.key'), 'utf8')).toBe('the old key')
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('refuses DATABASE_ENGINE=pglite with what to do instead, and only warns about another value', async () => {
    const never = join(tmpdir(), `reachloop-never-made-${process.pid}`)
    const refused = await runCli(['migrate'], { DATA_DIR: never, DATABASE_ENGINE: 'pglite' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('DATABASE_ENGINE=pglite: this version of Reachloop no longer supports PGlite. Remove DATABASE_ENGINE')
    expect(existsSync(never)).toBe(false)
    const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-cli-engine-'))
    try {
      const warned = await runCli(['migrate'], { DATA_DIR: dataDir, DATABASE_ENGINE: 'embedded' })
      expect(warned.code).toBe(0)
      expect(warned.stdout).toContain('DATABASE_ENGINE=embedded is ignored')
      expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true)
    } finally {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('separate api and worker processes on PostgreSQL', () => {
  it('serves from two api processes and runs jobs in a worker process', async () => {
    const db = await createTestDatabase()
    const env = { DATABASE_URL: db.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'reachloop-pg-')), JOB_POLL_MS: '50' }
    const procs = [await startProcess('api', env), await startProcess('api', env), await startProcess('worker', env)]
    try {
      const setup = await fetch(`${procs[0]!.url}/api/v1/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'o@example.com', password: 'password-1', name: 'O', workspace: 'W' }),
      })
      expect(setup.status).toBe(201)
      const needed = await (await fetch(`${procs[1]!.url}/api/v1/setup`)).json()
      expect(needed).toEqual({ needed: false })
      const database = await openDatabase({ databaseUrl: db.url })
      const [job] = await database.db
        .insertInto('jobs')
        .values({
          queue: 'system.ping',
          payload: '{}',
          run_at: new Date(),
          created_at: new Date(),
          updated_at: new Date(),
          workspace_id: null,
          lease_expires_at: null,
          locked_by: null,
          idempotency_key: null,
          last_error: null,
          finished_at: null,
        })
        .returning('id')
        .execute()
      let state = ''
      for (let i = 0; i < 100 && state !== 'done'; i++) {
        await new Promise((r) => setTimeout(r, 100))
        state = (await database.db.selectFrom('jobs').select('state').where('id', '=', job!.id).executeTakeFirstOrThrow()).state
      }
      expect(state).toBe('done')
      await database.close()
    } finally {
      for (const p of procs) p.child.kill('SIGTERM')
      for (const p of procs) expect(await p.exited).toBe(0)
      await db.drop()
    }
  })
})
