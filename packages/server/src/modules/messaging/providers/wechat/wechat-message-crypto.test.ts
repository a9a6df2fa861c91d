import { describe, expect, it } from 'vitest'
import { encryptLikeWechat, MP_JAVA, MP_SAMPLE, sha1OfSorted, WECOM, WECOM_MESSAGE, WECOM_VERIFY } from './wechat-callback-generators.js'
import { signatureMatches, wechatSignature } from './wechat-callback-signature.js'
import { decryptWechatMessage } from './wechat-message-crypto.js'

describe('wechatSignature', () => {
  it('reproduces the msg_signature of WeCom’s published URL check', () => {
    expect(wechatSignature([WECOM.token, WECOM_VERIFY.timestamp, WECOM_VERIFY.nonce, WECOM_VERIFY.echostr])).toBe(WECOM_VERIFY.msgSignature)
  })

  it('reproduces the msg_signature of WeCom’s published message', () => {
    expect(wechatSignature([WECOM.token, WECOM_MESSAGE.timestamp, WECOM_MESSAGE.nonce, WECOM_MESSAGE.encrypt])).toBe(
      WECOM_MESSAGE.msgSignature,
    )
  })

  it('reproduces the msg_signature of the official-account sample’s safe-mode message', () => {
    expect(wechatSignature([MP_SAMPLE.token, MP_SAMPLE.timestamp, MP_SAMPLE.nonce, MP_SAMPLE.encrypt])).toBe(MP_SAMPLE.msgSignature)
  })

  it('agrees with the documented algorithm whatever the order of the parts', () => {
    expect(wechatSignature(['token', '1409659589', '263014780'])).toBe(sha1OfSorted('263014780', 'token', '1409659589'))
  })

  it('accepts only the same signature, in either case', () => {
    const expected = wechatSignature(['a', 'b', 'c'])
    expect(signatureMatches(expected, expected.toUpperCase())).toBe(true)
    expect(signatureMatches(expected, `${expected.slice(0, -1)}0`)).toBe(expected.endsWith('0'))
    expect(signatureMatches(expected, undefined)).toBe(false)
    expect(signatureMatches(expected, 'short')).toBe(false)
  })
})

describe('decryptWechatMessage', () => {
  it('decrypts WeCom’s published echostr to its plaintext and the CorpID', () => {
    expect(decryptWechatMessage(WECOM.aesKey, WECOM_VERIFY.echostr)).toEqual({
      ok: true,
      message: '1288432023552776189',
      receiveId: WECOM.corpId,
    })
  })

  it('decrypts WeCom’s published message to its XML', () => {
    const decrypted = decryptWechatMessage(WECOM.aesKey, WECOM_MESSAGE.encrypt)
    expect(decrypted).toEqual({
      ok: true,
      message:
        '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime>' +
        '<MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
      receiveId: WECOM.corpId,
    })
  })

  it('decrypts the official-account sample’s fixed ciphertext, and the test encryption gives that very ciphertext', () => {
    expect(decryptWechatMessage(MP_JAVA.aesKey, MP_JAVA.encrypted)).toEqual({ ok: true, message: MP_JAVA.plain, receiveId: MP_JAVA.appId })
    expect(encryptLikeWechat(MP_JAVA.aesKey, MP_JAVA.plain, MP_JAVA.appId, MP_JAVA.random)).toBe(MP_JAVA.encrypted)
  })

  it('refuses a ciphertext made with another key', () => {
    const other = encryptLikeWechat('ZZZZefghijklmnopqrstuvwxyz0123456789ABCDEFG', 'hello', WECOM.corpId)
    const decrypted = decryptWechatMessage(WECOM.aesKey, other)
    // Another key almost always breaks the padding or the length; if not, the text is garbage.
    expect(decrypted.ok && decrypted.message === 'hello').toBe(false)
  })

  it('refuses a key that is not 43 characters', () => {
    expect(decryptWechatMessage('short', WECOM_VERIFY.echostr)).toEqual({ ok: false, message: 'EncodingAESKey must be 43 characters' })
  })
})
