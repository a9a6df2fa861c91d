/**
 * The standard events and their properties, named as in the Segment e-commerce spec, so later
 * modules (segments, journeys, coupons, attribution) can rely on them. `docs/events.md` documents
 * them for integrators; a test keeps the two in step. Money is in minor units (fen) with a
 * `currency`; times are ISO 8601.
 */
export const STANDARD_EVENTS = {
  'Signed Up': ['method', 'channel_code', 'referrer_id'],
  'Signed In': ['method'],
  'Product Viewed': ['product_id', 'sku', 'name', 'category', 'price', 'currency', 'store_id'],
  'Product Added': ['product_id', 'sku', 'name', 'price', 'quantity', 'currency', 'cart_id'],
  'Product Removed': ['product_id', 'sku', 'quantity', 'cart_id'],
  'Checkout Started': ['order_id', 'total', 'currency', 'products', 'coupon', 'store_id'],
  'Order Completed': [
    'order_id',
    'total',
    'subtotal',
    'discount',
    'currency',
    'products',
    'coupon',
    'store_id',
    'store_name',
    'staff_id',
    'channel',
    'payment_method',
  ],
  'Order Refunded': ['order_id', 'total', 'currency', 'products', 'reason'],
  'Order Cancelled': ['order_id', 'total', 'currency', 'reason'],
  'Coupon Received': ['coupon_id', 'coupon_template_id', 'coupon'],
  'Coupon Redeemed': ['coupon_id', 'coupon_template_id', 'coupon', 'order_id', 'discount', 'currency'],
  'Card Purchased': ['card_id', 'card_type', 'total', 'currency', 'uses', 'valid_until', 'store_id', 'store_name'],
  'Service Completed': ['service', 'order_id', 'store_id', 'store_name', 'staff_id', 'vehicle_plate', 'card_id'],
  'Store Visited': ['store_id', 'store_name', 'city'],
  'Lead Captured': ['lead_id', 'interest', 'staff_id', 'store_id'],
  'Message Sent': ['message_id', 'channel', 'template_id', 'category', 'run_id', 'broadcast_id', 'journey_id'],
  'Message Delivered': ['message_id', 'channel', 'template_id', 'category', 'run_id', 'broadcast_id', 'journey_id'],
  'Message Opened': ['message_id', 'channel', 'template_id', 'broadcast_id', 'journey_id'],
  'Message Clicked': ['message_id', 'channel', 'template_id', 'broadcast_id', 'journey_id', 'url'],
  'Message Failed': ['message_id', 'channel', 'template_id', 'reason', 'broadcast_id', 'journey_id'],
  Unsubscribed: ['group', 'channel', 'source', 'message_id'],
  'Subscription Changed': ['group', 'channel', 'state', 'source', 'message_id'],
  'Segment Entered': ['segment_id', 'segment_name'],
  'Segment Exited': ['segment_id', 'segment_name'],
  'Tag Added': ['tag_id', 'tag_name'],
  'Tag Removed': ['tag_id', 'tag_name'],
  'Profile Created': [],
  'Profiles Merged': ['merged_profile_id', 'by'],
} as const satisfies Record<string, readonly string[]>

/**
 * The events Reachloop records itself, refused from the tracking API: a client could otherwise
 * write "entered segment X" on a customer's timeline (and, later, trigger journeys with it).
 */
export const PLATFORM_EVENTS: readonly StandardEvent[] = [
  'Segment Entered',
  'Segment Exited',
  'Tag Added',
  'Tag Removed',
  'Profile Created',
  'Profiles Merged',
  'Message Sent',
  'Message Delivered',
  'Message Opened',
  'Message Clicked',
  'Message Failed',
  'Unsubscribed',
  'Subscription Changed',
]

/** The internal event on a new profile: its time is the profile's first event's. */
export const PROFILE_CREATED = 'Profile Created' satisfies StandardEvent
/**
 * The internal event on every consent change (opt-in or unsubscribe, from any source), with the
 * group, its channel, the new state and the source: segments on consent follow it.
 */
export const SUBSCRIPTION_CHANGED = 'Subscription Changed' satisfies StandardEvent
/** The internal event on the survivor of a merge (by identity resolution or by hand), naming the merged profile. */
export const PROFILES_MERGED = 'Profiles Merged' satisfies StandardEvent

/** A standard event name. */
export type StandardEvent = keyof typeof STANDARD_EVENTS

/** Properties every product in `products[]` may carry. */
export const PRODUCT_PROPERTIES = ['product_id', 'sku', 'name', 'category', 'price', 'quantity', 'coupon'] as const

/** Standard traits of `identify` calls. */
export const STANDARD_TRAITS = [
  'name',
  'phone',
  'email',
  'gender',
  'birthday',
  'city',
  'createdAt',
  'avatar',
  'plan',
  'member_level',
  'vehicle_plate',
  'timezone',
] as const
