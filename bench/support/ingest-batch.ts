import { randomUUID } from 'node:crypto'

/** A `/v1/batch` request body, and the messageIds of the events in it. */
export interface IngestBatch {
  body: string
  messageIds: string[]
}

/**
 * Makes realistic batches of `size` events: visitors browse anonymously and log in. Four in five
 * are new members who give a phone (the anonymous profile gains the identifiers); one in five is a
 * returning member on a new device, whose anonymous profile merges into the existing member's.
 * Each maker numbers its own customers, so two makers in one process do not share members.
 *
 * @example
 * const makeBatch = batchMaker(100)
 * await fetch(`${url}/v1/batch`, { method: 'POST', headers, body: makeBatch().body })
 */
export function batchMaker(size: number): () => IngestBatch {
  let customer = 0
  return () => {
    const batch: Array<Record<string, unknown> & { messageId: string }> = []
    const now = Date.now()
    while (batch.length < size) {
      const n = ++customer
      // A returning member is one who signed up about 50 batches earlier (never another returning one).
      const returning = n > 1001 && n % 5 === 0
      const anonymousId = `anon-${randomUUID()}`
      const userId = returning ? `member-${n - 1001}` : `member-${n}`
      const at = (k: number) => new Date(now - (10 - k) * 1000).toISOString()
      batch.push(
        {
          type: 'page',
          anonymousId,
          name: 'Store list',
          properties: { path: '/stores', city: 'Chongqing' },
          timestamp: at(0),
          messageId: randomUUID(),
        },
        {
          type: 'track',
          anonymousId,
          event: 'Product Viewed',
          properties: { product_id: 'wash-premium', price: 8800 },
          timestamp: at(1),
          messageId: randomUUID(),
        },
        returning
          ? { type: 'identify', anonymousId, userId, timestamp: at(2), messageId: randomUUID() }
          : {
              type: 'identify',
              anonymousId,
              userId,
              traits: { phone: `+86139${String(n).padStart(8, '0')}`, name: `Customer ${n}`, city: 'Chongqing' },
              timestamp: at(2),
              messageId: randomUUID(),
            },
        {
          type: 'track',
          userId,
          event: 'Order Completed',
          properties: {
            order_id: `o-${n}`,
            total: 8800,
            currency: 'CNY',
            store_id: 's-12',
            products: [{ product_id: 'wash-premium', quantity: 1, price: 8800 }],
          },
          timestamp: at(3),
          messageId: randomUUID(),
        },
        {
          type: 'track',
          userId,
          event: 'Coupon Redeemed',
          properties: { coupon: 'WELCOME20' },
          context: { device: { id: `dev-${n}` } },
          timestamp: at(4),
          messageId: randomUUID(),
        },
      )
    }
    const events = batch.slice(0, size)
    return { body: JSON.stringify({ batch: events, sentAt: new Date().toISOString() }), messageIds: events.map((e) => e.messageId) }
  }
}
