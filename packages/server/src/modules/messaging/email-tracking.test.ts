import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settle } from '../../test-support/run-background.js'
import { signIn, withOwnerApp } from '../../test-support/test-app.js'
import { closeSmtpTransports } from './providers/email/smtp-adapter.js'

/** 10:00 in Shanghai: outside the default quiet hours. */
const MORNING = new Date('2026-12-01T02:00:00Z')
const SALE = 'https://shop.example.com/sale?utm_source=mail&Size=XL#top'

describe('an email through the SMTP provider', () => {
  const s = withOwnerApp()
  const received: string[] = []
  let smtp: SMTPServer
  let port = 0

  beforeAll(async () => {
    s.t.clock.set(MORNING)
    smtp = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'))
          callback()
        })
      },
    })
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
    port = (smtp.server.address() as AddressInfo).port
  })
  afterAll(async () => {
    closeSmtpTransports()
    await new Promise<void>((resolve) => smtp.close(() => resolve()))
  })

  it('arrives rendered, with unsubscribe headers and link and the pixel; the pixel records an open, the link a click and redirects', async () => {
    const account = await s.owner.post('/api/v1/messaging/providers', {
      kind: 'smtp',
      name: 'Relay',
      config: { host: '127.0.0.1', port, secure: false, from: '"小店" <news@shop.example>' },
    })
    expect(account.statusCode, account.body).toBe(201)
    const writeKey = (await s.owner.post('/api/v1/sources', { name: 'Web', kind: 'web' })).json().writeKey
    await s.t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'mail-1', traits: { email: 'wang@example.com', first_name: '王芳' } },
    })
    await settle(s.t.ctx)
    const profileId = (await s.owner.get('/api/v1/profiles?search=mail-1')).json().items[0].id as string

    const template = await s.owner.post('/api/v1/messaging/templates', {
      name: 'Winter sale',
      category: 'marketing',
      draft: {
        channel: 'email',
        subject: '{{ profile.first_name }}，冬季特卖开始了',
        preheader: '全场 7 折',
        format: 'html',
        body: `<html><body><p>你好 {{ profile.first_name }}</p><p><a href="${SALE.replace('&', '&amp;')}">去看看</a></p></body></html>`,
        text: '',
      },
    })
    expect(template.statusCode, template.body).toBe(201)
    expect((await s.owner.post(`/api/v1/messaging/templates/${template.json().id}/publish`, {})).statusCode).toBe(200)
    const sent = await s.owner.post('/api/v1/messaging/send', { templateId: template.json().id, profileId, idempotencyKey: 'winter-1' })
    expect(sent.statusCode, sent.body).toBe(201)
    await settle(s.t.ctx)

    expect(received).toHaveLength(1)
    const mail = await simpleParser(received[0] ?? '')
    expect(mail.subject).toBe('王芳，冬季特卖开始了')
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('wang@example.com')
    const html = String(mail.html)
    expect(html).toContain('你好 王芳')
    expect(html).toContain('全场 7 折')
    // The raw headers as a mail client reads them (mailparser folds List-* headers into one object).
    const raw = (received[0] ?? '').split('\r\n\r\n')[0]?.replace(/\r\n(?=\s)/g, '') ?? ''
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    const unsubscribeUrl = /^List-Unsubscribe:\s*<(http[^>]+)>$/m.exec(raw)?.[1] ?? ''
    expect(unsubscribeUrl).toContain('/m/u/')
    expect(mail.text).toContain(unsubscribeUrl)
    const pixel = /<img src="([^"]+\/m\/o\/[^"]+)"/.exec(html)?.[1] ?? ''
    const link = /<a href="([^"]+\/m\/c\/[^"]+)"/.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? ''
    expect(pixel).not.toBe('')
    expect(link).not.toBe('')
    expect(html).not.toContain(SALE)

    const path = (url: string) => new URL(url).pathname
    const opened = await s.t.app.inject({ method: 'GET', url: path(pixel) })
    expect(opened.statusCode).toBe(200)
    expect(opened.headers['content-type']).toBe('image/gif')
    const clicked = await s.t.app.inject({ method: 'GET', url: path(link) })
    expect(clicked.statusCode).toBe(302)
    expect(clicked.headers.location).toBe(SALE)

    const message = (await s.owner.get(`/api/v1/messaging/messages/${sent.json().messageId}`)).json()
    expect(message.timeline.map((t: { status: string }) => t.status)).toEqual(['queued', 'sending', 'sent', 'opened', 'clicked'])
    const timeline = JSON.stringify((await s.owner.get(`/api/v1/profiles/${profileId}/timeline`)).json())
    for (const name of ['Message Sent', 'Message Opened', 'Message Clicked']) expect(timeline).toContain(name)
    expect(timeline).toContain(SALE)

    // One-click unsubscribe as a mail client does it (RFC 8058): a POST with the form body.
    const unsubscribed = await s.t.app.inject({
      method: 'POST',
      url: path(unsubscribeUrl),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    })
    expect(unsubscribed.statusCode).toBe(200)
    const consents = (await s.owner.get(`/api/v1/profiles/${profileId}/consents`)).json().items
    expect(consents.find((c: { key: string }) => c.key === 'marketing_email')).toMatchObject({
      state: 'unsubscribed',
      reachable: false,
      source: 'one_click',
    })
    // The next marketing email is not sent, and says why.
    const again = await s.owner.post('/api/v1/messaging/send', { templateId: template.json().id, profileId, idempotencyKey: 'winter-2' })
    await settle(s.t.ctx)
    expect((await s.owner.get(`/api/v1/messaging/messages/${again.json().messageId}`)).json()).toMatchObject({
      status: 'suppressed',
      reason: 'no_consent',
    })
    expect(received).toHaveLength(1)
  })

  it("masks the address in the log and on the message's page for a member without pii.read", async () => {
    const created = await s.owner.post('/api/v1/users', {
      email: 'ana@example.com',
      name: 'Ana',
      role: 'analyst',
      password: 'analyst-pass',
    })
    expect(created.statusCode, created.body).toBe(201)
    const analyst = await signIn(s.t.app, 'ana@example.com', 'analyst-pass')
    analyst.workspaceId = s.owner.workspaceId
    const log = (await analyst.get('/api/v1/messaging/messages?channel=email')).json().items as Array<{
      id: string
      address: string | null
    }>
    // The sent email has its address; the suppressed one never got one.
    expect(log.filter((m) => m.address !== null)).toHaveLength(1)
    for (const m of log) {
      if (m.address !== null) expect(m.address).toContain('*')
      const page = await analyst.get(`/api/v1/messaging/messages/${m.id}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).not.toContain('wang@example.com')
    }
    // The owner, who holds pii.read, sees it whole.
    expect(JSON.stringify((await s.owner.get('/api/v1/messaging/messages?channel=email')).json())).toContain('wang@example.com')
  })

  it('refuses forged and re-purposed tracking links', async () => {
    expect(
      (await s.t.app.inject({ method: 'GET', url: '/m/c/eyJtIjoieCIsInUiOiJodHRwczovL2V2aWwuZXhhbXBsZSJ9.AAAAAAAAAAAAAAAAAAAAAA' }))
        .statusCode,
    ).toBe(404)
    const page = await s.t.app.inject({ method: 'GET', url: '/m/u/not-a-token', headers: { 'accept-language': 'en' } })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('This link is not valid.')
  })
})
