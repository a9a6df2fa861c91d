import { ManualClock } from '@reachloop/domain'
import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryTokenCache } from '../memory-token-cache.js'
import type { OutgoingMessage, ProviderDeps } from '../provider-adapter.js'
import { closeSmtpTransports, smtpAdapter, type SmtpConfig } from './smtp-adapter.js'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
const dkimPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()

/** A real SMTP server on 127.0.0.1: logs in `mailer`/`secret`, refuses some mailboxes, keeps each message raw. */
async function startSmtp() {
  const messages: string[] = []
  let connections = 0
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    closeTimeout: 500,
    onConnect(_session, callback) {
      connections++
      callback()
    },
    onAuth(auth, _session, callback) {
      if (auth.username === 'mailer' && auth.password === 'secret') return callback(null, { user: 'mailer' })
      callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }))
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone@')) return callback(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }))
      if (address.address.startsWith('greylisted@'))
        return callback(Object.assign(new Error('4.7.1 Greylisted, try again later'), { responseCode: 451 }))
      callback()
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  closers.push(close)
  return { port, messages, connections: () => connections, close }
}

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  closeSmtpTransports()
  await Promise.all(closers.splice(0).map((close) => close()))
})

function deps(): ProviderDeps {
  const clock = new ManualClock()
  return { fetch: globalThis.fetch, clock, tokens: memoryTokenCache(clock) }
}

function account(port: number, overrides: Partial<SmtpConfig> = {}) {
  const config: SmtpConfig = { host: '127.0.0.1', port, secure: false, user: 'mailer', password: 'secret', ...overrides }
  return { id: 'acc-smtp', config }
}

function email(to: string, idempotencyKey = 'msg-1.attempt'): OutgoingMessage {
  return {
    messageId: 'msg-1',
    idempotencyKey,
    to,
    content: {
      channel: 'email',
      from: '"Spring Shop" <news@shop.example>',
      replyTo: 'care@shop.example',
      subject: 'Spring offers inside',
      preheader: '30 off over 200',
      html: '<html><body><p>Hello <b>Li Lei</b>, spring is here.</p></body></html>',
      text: 'Hello Li Lei, spring is here.',
      headers: {
        'List-Unsubscribe': '<https://shop.example/u/abc>, <mailto:unsubscribe@shop.example?subject=abc>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
  }
}

describe('smtpAdapter.send', () => {
  it('delivers subject, HTML, text, reply-to, unsubscribe headers and a Message-ID made from the idempotency key', async () => {
    const smtp = await startSmtp()
    const outcome = await smtpAdapter.send(account(smtp.port), email('lilei@example.com'), deps())
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: '<msg-1.attempt@shop.example>' })

    const parsed = await simpleParser(smtp.messages[0] ?? '')
    expect(parsed.subject).toBe('Spring offers inside')
    expect(parsed.from?.text).toBe('"Spring Shop" <news@shop.example>')
    expect(parsed.replyTo?.text).toBe('care@shop.example')
    expect(parsed.messageId).toBe('<msg-1.attempt@shop.example>')
    expect(parsed.html).toBe('<html><body><p>Hello <b>Li Lei</b>, spring is here.</p></body></html>')
    expect(parsed.text?.trim()).toBe('Hello Li Lei, spring is here.')
    // A header may be folded over lines (RFC 5322 §2.2.3); unfolded it is the value given.
    const line = (key: string) => parsed.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n(?=[ \t])/g, '')
    expect(line('list-unsubscribe')).toBe('List-Unsubscribe: <https://shop.example/u/abc>, <mailto:unsubscribe@shop.example?subject=abc>')
    expect(line('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
  })

  it('hashes an idempotency key that cannot stand in a Message-ID', async () => {
    const smtp = await startSmtp()
    await smtpAdapter.send(account(smtp.port), email('lilei@example.com', 'msg 1/<retry>'), deps())
    const parsed = await simpleParser(smtp.messages[0] ?? '')
    expect(parsed.messageId).toBe(`<${createHash('sha256').update('msg 1/<retry>').digest('hex')}@shop.example>`)
  })

  it('signs with DKIM when configured, verifiably with the public key', async () => {
    const smtp = await startSmtp()
    const dkim = { dkimDomainName: 'shop.example', dkimKeySelector: 'rl2026', dkimPrivateKey: dkimPem }
    expect(await smtpAdapter.send(account(smtp.port, dkim), email('lilei@example.com'), deps())).toMatchObject({ status: 'sent' })
    const check = checkDkim(smtp.messages[0] ?? '', publicKey)
    expect(check.tags).toMatchObject({ v: '1', a: 'rsa-sha256', d: 'shop.example', s: 'rl2026' })
    expect(check.tags.h?.split(':').map((h) => h.toLowerCase())).toEqual(expect.arrayContaining(['from', 'subject', 'list-unsubscribe']))
    expect(check.bodyHashMatches).toBe(true)
    expect(check.signatureValid).toBe(true)
    // The check itself rejects a message changed after signing.
    expect(checkDkim((smtp.messages[0] ?? '').replace('Spring offers inside', 'Spring offers outside'), publicKey).signatureValid).toBe(
      false,
    )
  })

  it('reuses one pooled connection for consecutive messages of an account', async () => {
    const smtp = await startSmtp()
    await smtpAdapter.send(account(smtp.port), email('a@example.com'), deps())
    await smtpAdapter.send(account(smtp.port), email('b@example.com', 'msg-2'), deps())
    expect(smtp.messages).toHaveLength(2)
    expect(smtp.connections()).toBe(1)
  })

  it('gives up on a mailbox the server refuses with 550, keeping its reply', async () => {
    const smtp = await startSmtp()
    const outcome = await smtpAdapter.send(account(smtp.port), email('gone@example.com'), deps())
    expect(outcome).toMatchObject({ status: 'permanent', code: '550' })
    expect(outcome.status === 'permanent' && outcome.message).toContain('5.1.1 Mailbox unavailable')
  })

  it('retries a greylisted recipient (451)', async () => {
    const smtp = await startSmtp()
    const outcome = await smtpAdapter.send(account(smtp.port), email('greylisted@example.com'), deps())
    expect(outcome).toMatchObject({ status: 'retryable', code: '451' })
    expect(outcome.status === 'retryable' && outcome.message).toContain('Greylisted')
  })

  it('gives up when the server refuses the login (535)', async () => {
    const smtp = await startSmtp()
    expect(await smtpAdapter.send(account(smtp.port, { password: 'wrong' }), email('lilei@example.com'), deps())).toMatchObject({
      status: 'permanent',
      code: '535',
    })
  })

  it('retries when no server answers', async () => {
    const smtp = await startSmtp()
    await smtp.close()
    expect(await smtpAdapter.send(account(smtp.port), email('lilei@example.com'), deps())).toMatchObject({
      status: 'retryable',
      code: 'ESOCKET',
    })
  })
})

describe('smtpAdapter.testConnection', () => {
  it('connects and logs in without sending anything', async () => {
    const smtp = await startSmtp()
    expect(await smtpAdapter.testConnection(account(smtp.port), deps())).toMatchObject({ ok: true })
    expect(smtp.messages).toHaveLength(0)
  })

  it('reports a refused login with the SMTP code', async () => {
    const smtp = await startSmtp()
    expect(await smtpAdapter.testConnection(account(smtp.port, { password: 'wrong' }), deps())).toMatchObject({ ok: false, code: '535' })
  })
})

/**
 * A DKIM verifier written here from RFC 6376 (rsa-sha256, relaxed/relaxed only), so the signature is
 * checked independently of Nodemailer. (mailauth, the maintained verifier, needs Node ≥ 22 from 5.0.)
 */
interface DkimCheck {
  tags: Record<string, string>
  bodyHashMatches: boolean
  signatureValid: boolean
}

/** RFC 6376 §3.4.4: runs of whitespace to one space, none at line ends, no empty lines at the end. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`
}

/** RFC 6376 §3.4.2: lower-case name, unfolded value with whitespace runs to one space, trimmed. */
function relaxedHeader(name: string, value: string): string {
  const unfolded = value
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()
  return `${name.toLowerCase()}:${unfolded}`
}

function parseHeaders(section: string): Array<{ name: string; value: string; raw: string }> {
  const fields = section.split(/\r\n(?![ \t])/)
  return fields.map((raw) => {
    const colon = raw.indexOf(':')
    return { name: raw.slice(0, colon), value: raw.slice(colon + 1), raw }
  })
}

/** Checks the first DKIM-Signature of a raw message against the signer's public key. */
function checkDkim(raw: string, publicKey: KeyObject): DkimCheck {
  const split = raw.indexOf('\r\n\r\n')
  const headers = parseHeaders(raw.slice(0, split))
  const body = raw.slice(split + 4)
  const signature = headers.find((h) => h.name.toLowerCase() === 'dkim-signature')
  if (!signature) throw new Error('The message has no DKIM-Signature header')
  const tags = Object.fromEntries(
    signature.value
      .replace(/\s+/g, '')
      .split(';')
      .filter((tag) => tag.includes('='))
      .map((tag) => [tag.slice(0, tag.indexOf('=')), tag.slice(tag.indexOf('=') + 1)]),
  )
  if (tags.a !== 'rsa-sha256' || tags.c !== 'relaxed/relaxed') throw new Error(`Unsupported DKIM a=${tags.a} c=${tags.c}`)
  const bodyHash = createHash('sha256').update(relaxedBody(body)).digest('base64')
  // §5.4.2: each name in h= takes the next instance of that header from the bottom.
  const unused = [...headers]
  const signed = (tags.h ?? '').split(':').flatMap((name) => {
    const index = unused.map((h) => h.name.toLowerCase()).lastIndexOf(name.toLowerCase())
    if (index < 0) return []
    const [header] = unused.splice(index, 1)
    return header ? [relaxedHeader(header.name, header.value)] : []
  })
  const withoutB = signature.value.replace(/(^|;)(\s*b\s*=)[^;]*/, '$1$2')
  const input = [...signed, relaxedHeader(signature.name, withoutB)].join('\r\n')
  const signatureValid = verify('sha256', Buffer.from(input), publicKey, Buffer.from(tags.b ?? '', 'base64'))
  return { tags, bodyHashMatches: bodyHash === tags.bh, signatureValid }
}
