/**
 * The one catalogue of error codes. Every error the API returns has a code from this list,
 * an HTTP status and a default message. `docs/errors.md` lists the same codes (a test keeps them in sync).
 *
 * @example
 * const { status } = ERROR_CODES.PERMISSION_DENIED // 403
 */
export const ERROR_CODES = {
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  VALIDATION_FAILED: { status: 400, message: 'The request does not match the schema.' },
  INVALID_EVENT: { status: 400, message: 'The event does not follow the Segment spec.' },
  INVALID_FILE: { status: 400, message: 'The file cannot be read as the format given.' },
  INVALID_MAPPING: { status: 400, message: 'The mapping does not tie rows to customers.' },
  INVALID_DEFINITION: { status: 400, message: 'The segment definition is not valid; details list each problem and where.' },
  INVALID_ORIGIN: {
    status: 400,
    message: 'An allowed origin is scheme://host[:port] with http or https and no path, e.g. https://shop.example.com.',
  },
  EVENT_TOO_LARGE: { status: 400, message: 'The event is over 32 KB.' },
  TRACKING_PLAN_VIOLATION: {
    status: 400,
    message: 'The event breaks its tracking plan (a required property is missing or of another type); it was quarantined.',
  },
  INVALID_BODY_ENCODING: { status: 400, message: 'The body cannot be decompressed as its Content-Encoding says (gzip, deflate or br).' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in or send an API token.' },
  INVALID_SIGNATURE: { status: 401, message: "The webhook signature does not match the body (HMAC-SHA256 with the source's secret)." },
  INVALID_WRITE_KEY: { status: 401, message: "Send a source's write key as the Basic auth username or as writeKey." },
  INVALID_CREDENTIALS: { status: 401, message: 'Email or password is wrong.' },
  PERMISSION_DENIED: { status: 403, message: 'Your role does not allow this.' },
  WRONG_PASSWORD: { status: 403, message: 'The current password is wrong.' },
  ORIGIN_NOT_ALLOWED: {
    status: 403,
    message: "This source does not take events from the page's origin; add it to the source's allowed origins.",
  },
  ROLE_NOT_GRANTABLE: { status: 403, message: 'You cannot grant a role above your own.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  WORKSPACE_NOT_FOUND: { status: 404, message: 'Workspace not found.' },
  USER_NOT_FOUND: { status: 404, message: 'User not found.' },
  TOKEN_NOT_FOUND: { status: 404, message: 'API token not found.' },
  JOB_NOT_FOUND: { status: 404, message: 'Job not found.' },
  SOURCE_NOT_FOUND: { status: 404, message: 'Source not found.' },
  WEBHOOK_NOT_SET: { status: 404, message: 'This source takes no webhook pushes; set its mapping first.' },
  PROFILE_NOT_FOUND: { status: 404, message: 'Profile not found.' },
  QUARANTINED_EVENT_NOT_FOUND: { status: 404, message: 'Quarantined event not found.' },
  IMPORT_NOT_FOUND: { status: 404, message: 'Import not found.' },
  SEGMENT_NOT_FOUND: { status: 404, message: 'Segment not found.' },
  TAG_NOT_FOUND: { status: 404, message: 'Tag not found.' },
  TAG_GROUP_NOT_FOUND: { status: 404, message: 'Tag group not found.' },
  COMPUTED_PROPERTY_NOT_FOUND: { status: 404, message: 'Computed property not found.' },
  TEMPLATE_NOT_FOUND: { status: 404, message: 'Message template not found.' },
  PROVIDER_ACCOUNT_NOT_FOUND: { status: 404, message: 'Provider account not found.' },
  SUBSCRIPTION_GROUP_NOT_FOUND: { status: 404, message: 'Subscription group not found.' },
  MESSAGE_NOT_FOUND: { status: 404, message: 'Message not found.' },
  BROADCAST_NOT_FOUND: { status: 404, message: 'Broadcast not found.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed on this route.' },
  SETUP_ALREADY_DONE: { status: 409, message: 'Setup is done: an owner exists. Sign in instead.' },
  USER_EXISTS: { status: 409, message: 'This user is already a member of the workspace.' },
  LAST_OWNER: { status: 409, message: 'A workspace keeps at least one owner.' },
  JOB_NOT_RETRYABLE: { status: 409, message: 'Only dead jobs can be retried.' },
  IMPORT_NOT_STARTABLE: { status: 409, message: 'Only an uploaded import can be started.' },
  MERGE_REFUSED: { status: 409, message: 'The merge would break an identifier limit of the workspace.' },
  NAME_TAKEN: { status: 409, message: 'Another one in this workspace has that name.' },
  SEGMENT_CYCLE: { status: 409, message: 'Segments cannot refer to each other in a circle.' },
  SEGMENT_IN_USE: { status: 409, message: 'Segments or rule tags refer to this segment; change them first.' },
  TAG_IN_USE: { status: 409, message: 'Segments or rule tags refer to this tag; change them first.' },
  TAG_GROUP_NOT_EMPTY: { status: 409, message: 'This tag group still has tags; move or delete them first.' },
  EXCLUSIVE_GROUP_CONFLICT: {
    status: 409,
    message: 'Some profiles hold more than one manual tag of this group, so it cannot be exclusive.',
  },
  COMPUTED_PROPERTY_IN_USE: { status: 409, message: 'Segments or tags use this computed property; change them first.' },
  WRONG_SEGMENT_KIND: { status: 409, message: 'This action needs the other kind of segment (dynamic or static).' },
  PREVIEW_CANCELLED: { status: 409, message: 'The preview was cancelled before it finished (its client went away).' },
  COMPUTATION_CANCELLED: { status: 409, message: 'An operator cancelled the computation; nothing it did was kept.' },
  TEMPLATE_INVALID: {
    status: 400,
    message: 'The template cannot be published: details list each problem (a syntax error, a variable nothing fills) and its field.',
  },
  INVALID_PROVIDER_CONFIG: { status: 400, message: "The provider configuration does not match its kind's fields; details say which." },
  CHANNEL_MISMATCH: { status: 409, message: 'The template, account or group belong to another channel.' },
  TEMPLATE_NOT_PUBLISHED: { status: 409, message: 'Publish the template before sending it.' },
  TEMPLATE_IN_USE: { status: 409, message: 'A broadcast uses this template and keeps it for its report; it cannot be deleted.' },
  BROADCAST_STATE: { status: 409, message: "The broadcast's state does not allow this (e.g. resuming one that is not paused)." },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Send the body as application/json.' },
  LOGIN_LOCKED: { status: 429, message: 'Too many failed sign-ins; try again later.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on our side.' },
  NOT_READY: { status: 503, message: 'The service is starting or shutting down.' },
  PREVIEW_TIMED_OUT: {
    status: 503,
    message: 'The preview took longer than PREVIEW_TIMEOUT_MS allows; narrow the definition and try again.',
  },
  COMPUTATION_TIMED_OUT: {
    status: 503,
    message: 'The computation took longer than COMPUTE_TIMEOUT_MS allows and was stopped; nothing it did was kept.',
  },
} as const satisfies Record<string, { status: number; message: string }>

/** A code from the error catalogue. */
export type ErrorCode = keyof typeof ERROR_CODES

/** The body of every error response: `{ error: { code, message, details? } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown; requestId?: string }
}

/** True when `value` is a code of the catalogue. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value)
}
