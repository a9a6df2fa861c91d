import type { CallbackRequest, CallbackResult, ProviderReport } from '../provider-adapter.js'
import { signatureMatches, wechatSignature } from './wechat-callback-signature.js'
import { decryptWechatMessage } from './wechat-message-crypto.js'
import { createdAt, field, readWechatXml } from './wechat-xml.js'

interface CallbackConfig {
  appId: string
  callbackToken?: string
  encodingAesKey?: string
}

/**
 * The official account's server-configuration callback. Every request carries `signature` =
 * SHA-1 of sorted [Token, timestamp, nonce]. A GET is the URL check, answered with `echostr`. A POST
 * is an event or message in XML; in safe mode (`encrypt_type=aes`) its `Encrypt` is also signed
 * (`msg_signature`, over [Token, timestamp, nonce, Encrypt]), decrypted, and must name our AppID.
 * TEMPLATESENDJOBFINISH events become receipts, text messages replies. Answered "success".
 */
export function officialAccountCallback(config: CallbackConfig, request: CallbackRequest, now: Date): CallbackResult {
  const token = config.callbackToken
  if (!token) return { ok: false, reason: 'bad_signature', message: 'no callback token is configured for this account' }
  const { signature, timestamp = '', nonce = '', echostr } = request.query
  if (!signatureMatches(wechatSignature([token, timestamp, nonce]), signature)) {
    return { ok: false, reason: 'bad_signature', message: 'signature does not match' }
  }
  if (request.method.toUpperCase() === 'GET') {
    if (echostr === undefined) return { ok: false, reason: 'malformed', message: 'no echostr' }
    return { ok: true, reports: [], reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: echostr } }
  }
  const outer = readWechatXml(request.rawBody)
  if (!outer) return { ok: false, reason: 'malformed', message: 'the body is not WeChat XML' }
  // A plain POST is still authenticated by `signature`; accounts in plain or compatible mode send those.
  let xml = outer
  if (request.query.encrypt_type === 'aes') {
    const opened = openEncrypted(config, token, request, outer)
    if (!opened.ok) return opened.result
    xml = opened.xml
  }
  return { ok: true, reports: reportsOf(xml, now), reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' } }
}

type Opened = { ok: true; xml: Record<string, unknown> } | { ok: false; result: CallbackResult }

function openEncrypted(config: CallbackConfig, token: string, request: CallbackRequest, outer: Record<string, unknown>): Opened {
  const fail = (reason: 'bad_signature' | 'malformed', message: string): Opened => ({ ok: false, result: { ok: false, reason, message } })
  if (!config.encodingAesKey) return fail('malformed', 'an encrypted callback, but no EncodingAESKey is configured')
  const encrypt = field(outer, 'Encrypt')
  if (!encrypt) return fail('malformed', 'no Encrypt element')
  const { timestamp = '', nonce = '', msg_signature: msgSignature } = request.query
  if (!signatureMatches(wechatSignature([token, timestamp, nonce, encrypt]), msgSignature)) {
    return fail('bad_signature', 'msg_signature does not match')
  }
  const decrypted = decryptWechatMessage(config.encodingAesKey, encrypt)
  if (!decrypted.ok) return fail('malformed', decrypted.message)
  if (decrypted.receiveId !== config.appId) return fail('bad_signature', `encrypted for ${decrypted.receiveId}, not ${config.appId}`)
  const xml = readWechatXml(decrypted.message)
  return xml ? { ok: true, xml } : fail('malformed', 'the decrypted message is not WeChat XML')
}

/** TEMPLATESENDJOBFINISH: Status "success", "failed:user block" or "failed: system failed". */
function reportsOf(xml: Record<string, unknown>, now: Date): ProviderReport[] {
  const at = createdAt(xml, now)
  const msgType = field(xml, 'MsgType')
  if (msgType === 'event' && field(xml, 'Event') === 'TEMPLATESENDJOBFINISH') {
    const id = field(xml, 'MsgID') ?? field(xml, 'MsgId')
    const status = field(xml, 'Status') ?? ''
    if (!id) return []
    if (status === 'success') return [{ kind: 'receipt', providerMessageId: id, status: 'delivered', at }]
    return [{ kind: 'receipt', providerMessageId: id, status: 'failed', at, code: status, message: failureText(status) }]
  }
  const from = field(xml, 'FromUserName')
  const text = field(xml, 'Content')
  if (msgType === 'text' && from && text !== undefined) return [{ kind: 'reply', from, text, at }]
  return []
}

function failureText(status: string): string {
  if (status === 'failed:user block') return 'the user refuses template messages from this account'
  if (status.replace(/\s/g, '') === 'failed:systemfailed') return 'WeChat failed to deliver it (system failure)'
  return status
}
