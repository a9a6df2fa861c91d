import { describe, expect, it } from 'vitest'
import { callbackRequest, encryptLikeWechat, sha1OfSorted, testDeps, WECOM, WECOM_MESSAGE } from './wechat-callback-generators.js'
import { wecomAdapter } from './wecom-adapter.js'
import type { WecomConfig } from './wecom-config.js'

const config: WecomConfig = {
  corpId: WECOM.corpId,
  agentId: 1000002,
  secret: 's',
  baseUrl: 'http://unused',
  callbackToken: WECOM.token,
  encodingAesKey: WECOM.aesKey,
  duplicateCheckIntervalSeconds: 1800,
}
const account = { id: 'acc-1', config }
const callback = wecomAdapter.callback!

describe('wecomAdapter.callback', () => {
  it('answers WeCom’s published URL check with the decrypted echostr', async () => {
    const query = {
      msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb',
      timestamp: '1476416373',
      nonce: '47744683',
      echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==',
    }
    expect(await callback(account, callbackRequest('GET', query), testDeps())).toEqual({
      ok: true,
      reports: [],
      reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: '1288432023552776189' },
    })
  })

  it('reads WeCom’s published message (a staff member’s text) as a reply, and answers an empty 200', async () => {
    const body =
      `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[${WECOM_MESSAGE.encrypt}]]></Encrypt>\n` +
      '<AgentID><![CDATA[1000002]]></AgentID>\n</xml>'
    const query = { msg_signature: WECOM_MESSAGE.msgSignature, timestamp: WECOM_MESSAGE.timestamp, nonce: WECOM_MESSAGE.nonce }
    expect(await callback(account, callbackRequest('POST', query, body), testDeps())).toEqual({
      ok: true,
      reports: [{ kind: 'reply', from: 'ChenJiaShun', text: '你好', at: new Date(1476422779 * 1000) }],
      reply: { status: 200, contentType: 'text/plain; charset=utf-8', body: '' },
    })
  })

  it('reports nothing for events, since WeCom sends no delivery reports for these messages', async () => {
    const event = '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><MsgType>event</MsgType><Event>enter_agent</Event></xml>'
    const encrypt = encryptLikeWechat(WECOM.aesKey, event, WECOM.corpId)
    const query = { msg_signature: sha1OfSorted(WECOM.token, '1', '2', encrypt), timestamp: '1', nonce: '2' }
    expect(
      await callback(account, callbackRequest('POST', query, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`), testDeps()),
    ).toMatchObject({
      ok: true,
      reports: [],
    })
  })

  it('refuses a tampered msg_signature', async () => {
    const query = { msg_signature: WECOM_MESSAGE.msgSignature, timestamp: WECOM_MESSAGE.timestamp, nonce: '1597212915' }
    const body = `<xml><Encrypt><![CDATA[${WECOM_MESSAGE.encrypt}]]></Encrypt></xml>`
    expect(await callback(account, callbackRequest('POST', query, body), testDeps())).toMatchObject({ ok: false, reason: 'bad_signature' })
  })

  it('refuses a message encrypted for another corp', async () => {
    const encrypt = encryptLikeWechat(WECOM.aesKey, '<xml><MsgType>text</MsgType></xml>', 'wwOTHERCORP')
    const query = { msg_signature: sha1OfSorted(WECOM.token, '1', '2', encrypt), timestamp: '1', nonce: '2' }
    expect(
      await callback(account, callbackRequest('POST', query, `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`), testDeps()),
    ).toEqual({
      ok: false,
      reason: 'bad_signature',
      message: `encrypted for wwOTHERCORP, not ${WECOM.corpId}`,
    })
  })

  it('refuses callbacks when no Token / EncodingAESKey is configured', async () => {
    const bare = { id: 'a', config: { ...config, callbackToken: undefined } }
    expect(await callback(bare, callbackRequest('GET', { echostr: 'x' }), testDeps())).toMatchObject({ ok: false, reason: 'bad_signature' })
  })
})
