import { createDecipheriv } from 'node:crypto'

export type Decrypted = { ok: true; message: string; receiveId: string } | { ok: false; message: string }

/**
 * Decrypts a callback's `Encrypt` (official account safe mode, every WeCom callback): AES-256-CBC
 * with key = base64(EncodingAESKey + '='), IV = its first 16 bytes, PKCS#7 padded to a multiple of
 * 32 bytes; the plaintext is random(16) + msg_len(4, network order) + msg + receiveId, where
 * receiveId is the AppID (official account) or the CorpID (WeCom) the caller must check.
 */
export function decryptWechatMessage(encodingAesKey: string, encrypted: string): Decrypted {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64')
  if (encodingAesKey.length !== 43 || key.length !== 32) return { ok: false, message: 'EncodingAESKey must be 43 characters' }
  let plain: Buffer
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
    // Node's padding check allows at most 16 bytes; WeChat pads up to 32, so it is removed by hand.
    decipher.setAutoPadding(false)
    plain = Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()])
  } catch (error) {
    return { ok: false, message: `cannot decrypt: ${error instanceof Error ? error.message : String(error)}` }
  }
  const pad = plain[plain.length - 1] ?? 0
  if (pad < 1 || pad > 32 || pad > plain.length) return { ok: false, message: 'bad padding' }
  const body = plain.subarray(0, plain.length - pad)
  if (body.length < 20) return { ok: false, message: 'plaintext too short' }
  const length = body.readUInt32BE(16)
  if (20 + length > body.length) return { ok: false, message: 'message length past the end' }
  return { ok: true, message: body.subarray(20, 20 + length).toString('utf8'), receiveId: body.subarray(20 + length).toString('utf8') }
}
