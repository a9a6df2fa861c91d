import type { CallbackRequest, CallbackResult, ProviderReport } from '../provider-adapter.js'
import { signatureMatches, wechatSignature } from './wechat-callback-signature.js'
import { decryptWechatMessage } from './wechat-message-crypto.js'
import { createdAt, field, readWechatXml } from './wechat-xml.js'
import type { WecomConfig } from './wecom-config.js'

/**
 * The WeCom app's callback, always encrypted: msg_signature = SHA-1 of sorted [Token, timestamp,
 * nonce, ciphertext]; the ciphertext decrypts to random(16) + length(4) + message + CorpID, and the
 * CorpID must be ours. A GET is the URL check: `echostr` is the ciphertext and the reply its
 * plaintext. A POST carries `<Encrypt>` in XML. WeCom reports no delivery of application or
 * customer messages through callbacks, so the only reports are staff replies (text messages);
 * the reply is an empty 200, WeCom's "nothing to answer".
 */
export function wecomCallback(config: WecomConfig, request: CallbackRequest, now: Date): CallbackResult {
  const { callbackToken: token, encodingAesKey } = config
  if (!token || !encodingAesKey) return { ok: false, reason: 'bad_signature', message: 'no callback Token / EncodingAESKey configured' }
  const isGet = request.method.toUpperCase() === 'GET'
  let encrypted: string | undefined
  if (isGet) encrypted = request.query.echostr
  else {
    const outer = readWechatXml(request.rawBody)
    if (!outer) return { ok: false, reason: 'malformed', message: 'the body is not WeCom XML' }
    encrypted = field(outer, 'Encrypt')
  }
  if (!encrypted) return { ok: false, reason: 'malformed', message: isGet ? 'no echostr' : 'no Encrypt element' }
  const { timestamp = '', nonce = '', msg_signature: msgSignature } = request.query
  if (!signatureMatches(wechatSignature([token, timestamp, nonce, encrypted]), msgSignature)) {
    return { ok: false, reason: 'bad_signature', message: 'msg_signature does not match' }
  }
  const decrypted = decryptWechatMessage(encodingAesKey, encrypted)
  if (!decrypted.ok) return { ok: false, reason: 'malformed', message: decrypted.message }
  if (decrypted.receiveId !== config.corpId) {
    return { ok: false, reason: 'bad_signature', message: `encrypted for ${decrypted.receiveId}, not ${config.corpId}` }
  }
  if (isGet) return { ok: true, reports: [], reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: decrypted.message } }
  const xml = readWechatXml(decrypted.message)
  if (!xml) return { ok: false, reason: 'malformed', message: 'the decrypted message is not WeCom XML' }
  return { ok: true, reports: reportsOf(xml, now), reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: '' } }
}

function reportsOf(xml: Record<string, unknown>, now: Date): ProviderReport[] {
  const from = field(xml, 'FromUserName')
  const text = field(xml, 'Content')
  if (field(xml, 'MsgType') === 'text' && from && text !== undefined) return [{ kind: 'reply', from, text, at: createdAt(xml, now) }]
  return []
}
