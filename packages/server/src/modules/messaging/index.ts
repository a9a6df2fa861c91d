/** Messaging's public face: what journeys (and later coupons and alerts) call to send through the one pipeline. */
export { queueMessages, type MessageRequest } from './message-queue.js'
export { deliverMessages } from './delivery-service.js'
