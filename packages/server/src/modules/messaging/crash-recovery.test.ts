import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLI_ENTRY } from '../../testing.js'
import { startRecordingServer, type RecordingServer } from '../../test-support/recording-server.js'
import { settle } from '../../test-support/run-background.js'
import { withOwnerApp } from '../../test-support/test-app.js'
import { SEND_QUEUE } from './message-queue.js'

const until = async (what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * The crash test of issue 14: a worker process is killed (SIGKILL) after the provider took the
 * message and before the worker recorded it, then another worker starts. Real processes, the real
 * job table and leases; the kill comes from the provider's side, at the exact moment it has the message.
 */
describe('a worker killed between the provider call and the status update', () => {
  const s = withOwnerApp()
  let webhook: RecordingServer
  const children: ChildProcess[] = []
  const dataDir = mkdtempSync(join(tmpdir(), 'reachloop-crash-'))
  /** The worker to kill when the provider next receives a message. */
  let doomed: ChildProcess | undefined
  /** Idempotency keys the webhook receiver has taken (it drops a repeat, as the key asks it to). */
  const delivered = new Map<string, number>()

  const startWorker = () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_ENTRY, 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: s.t.testDatabase.url,
        DATA_DIR: dataDir,
        // The app's key, so the worker can read the provider accounts' secrets.
        SECRET_KEY: readFileSync(join(s.t.ctx.config.dataDir, 'secret.key'), 'utf8'),
        JOB_LEASE_SECONDS: '2',
        JOB_POLL_MS: '50',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    })
    children.push(child)
    return child
  }
  const exited = (child: ChildProcess) =>
    new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))
  const message = async (id: string) => (await s.owner.get(`/api/v1/messaging/messages/${id}`)).json()
  let profileId = ''

  beforeAll(async () => {
    webhook = await startRecordingServer((request) => {
      const key = String(request.headers['idempotency-key'])
      if (doomed) {
        doomed.kill('SIGKILL')
        doomed = undefined
      }
      delivered.set(key, (delivered.get(key) ?? 0) + 1)
      return { body: { ok: true } }
    })
    const writeKey = (await s.owner.post('/api/v1/sources', { name: 'App', kind: 'app' })).json().writeKey
    await s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'c-1', traits: { email: 'c1@example.com' } },
    })
    await settle(s.t.ctx)
    profileId = (await s.owner.get('/api/v1/profiles?search=c-1')).json().items[0].id
  })
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL')
    await webhook.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const publishedTemplate = async (name: string, draft: Record<string, unknown>, providerAccountId: string) => {
    const t = await s.owner.post('/api/v1/messaging/templates', { name, category: 'transactional', providerAccountId, draft })
    expect(t.statusCode, t.body).toBe(201)
    expect((await s.owner.post(`/api/v1/messaging/templates/${t.json().id}/publish`, {})).statusCode).toBe(200)
    return t.json().id as string
  }

  it('sends again under the same idempotency key where the provider takes one: the customer gets it once, and a sent message is never sent again', async () => {
    const account = (
      await s.owner.post('/api/v1/messaging/providers', {
        kind: 'webhook',
        name: 'Hook',
        config: { baseUrl: `${webhook.url}/in`, signingSecret: 'crash-test-signing-secret' },
      })
    ).json()
    const templateId = await publishedTemplate('Crash hook', { channel: 'webhook', body: '{"n": 1}' }, account.id)
    const id = (await s.owner.post('/api/v1/messaging/send', { templateId, profileId, idempotencyKey: 'crash-1' })).json().messageId
    const first = startWorker()
    doomed = first
    await exited(first)
    expect(first.signalCode).toBe('SIGKILL')
    expect((await message(id)).status).toBe('sending')
    const key = (await message(id)).idempotencyKey as string
    expect(delivered.get(key)).toBe(1)

    const second = startWorker()
    await until('the message to be recorded sent after the restart', async () => (await message(id)).status === 'sent')
    const sent = await message(id)
    // The provider was called twice with one key, and took the message once.
    expect(webhook.requests.filter((r) => r.headers['idempotency-key'] === key)).toHaveLength(2)
    expect(new Set(webhook.requests.filter((r) => r.headers['idempotency-key'] === key).map((r) => r.body)).size).toBe(1)
    expect(sent.attempts.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome])).toEqual([[2, 'sent']])

    // A send job for a message already sent (a duplicate job, a replay after a crash past the update) sends nothing.
    const calls = webhook.requests.length
    await s.t.ctx.jobs.enqueue({ queue: SEND_QUEUE, payload: { messageIds: [id] }, workspaceId: s.owner.workspaceId ?? null })
    await until(
      'the duplicate job to be done',
      async () =>
        (await s.t.ctx.db.selectFrom('jobs').select('state').where('queue', '=', SEND_QUEUE.name).where('state', '!=', 'done').execute())
          .length === 0,
    )
    expect(webhook.requests.length).toBe(calls)
    second.kill('SIGTERM')
    await exited(second)
  }, 120_000)

  it('does not send again where the provider takes no key and cannot be asked (SMTP): it fails with the reason, the customer got it once', async () => {
    const mails: string[] = []
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'))
          doomed?.kill('SIGKILL')
          doomed = undefined
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
    const port = (smtp.server.address() as AddressInfo).port
    const account = (
      await s.owner.post('/api/v1/messaging/providers', {
        kind: 'smtp',
        name: 'Relay',
        config: { host: '127.0.0.1', port, secure: false, from: 'shop@example.com' },
      })
    ).json()
    const templateId = await publishedTemplate(
      'Crash mail',
      { channel: 'email', subject: 'Hi', preheader: '', format: 'html', body: '<p>Hi</p>', text: '' },
      account.id,
    )
    const id = (await s.owner.post('/api/v1/messaging/send', { templateId, profileId, idempotencyKey: 'crash-2' })).json().messageId
    const first = startWorker()
    doomed = first
    await exited(first)
    expect((await message(id)).status).toBe('sending')
    const second = startWorker()
    await until('the message to be settled after the restart', async () => (await message(id)).status !== 'sending')
    const settled = await message(id)
    expect(settled).toMatchObject({ status: 'failed', reason: 'outcome_unknown' })
    expect(settled.attempts[0].detail).toContain('not sent again')
    expect(mails).toHaveLength(1)
    second.kill('SIGTERM')
    await exited(second)
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
  }, 120_000)
})
