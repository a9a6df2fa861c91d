import type { SendOutcome } from '../provider-adapter.js'

type FailedOutcome = Extract<SendOutcome, { status: 'retryable' | 'permanent' }>

/** Nodemailer's codes for a connection that failed or broke: the message did not go, try again later. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'EMAXLIMIT',
  'ECONNREFUSED',
  'ECONNRESET',
])
/** Codes for a message or configuration that will fail the same way every time. */
const PERMANENT_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'ECONFIG',
  'ENOAUTH',
  'EAUTH',
  'EREQUIRETLS',
  'EMAXRECIPIENTS',
  'EFILEACCESS',
  'EURLACCESS',
])

/**
 * Maps a Nodemailer error. An SMTP reply decides when there is one (RFC 5321 §4.2.1): 4xx is a
 * transient refusal (greylisting 451, mailbox busy 450, 421 closing), 5xx a permanent one (550
 * mailbox unavailable, 553 bad address, 535 credentials). The code is the SMTP reply code; the
 * message is the server's own reply line (with its enhanced status, e.g. 5.1.1).
 */
export function smtpFailure(error: unknown): FailedOutcome {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown
    responseCode?: unknown
    response?: unknown
    message?: unknown
  }
  const message =
    typeof fields.response === 'string' ? fields.response : typeof fields.message === 'string' ? fields.message : String(error)
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined
  const nodemailerCode = typeof fields.code === 'string' ? fields.code : undefined
  const response = { responseCode, code: nodemailerCode, response: fields.response }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500)
    return { status: 'retryable', code: String(responseCode), message, response }
  if (responseCode !== undefined && responseCode >= 500) return { status: 'permanent', code: String(responseCode), message, response }
  if (nodemailerCode && CONNECTION_CODES.has(nodemailerCode)) return { status: 'retryable', code: nodemailerCode, message, response }
  if (nodemailerCode && PERMANENT_CODES.has(nodemailerCode)) return { status: 'permanent', code: nodemailerCode, message, response }
  // Anything else (a protocol hiccup, an unknown failure) is retried; the pipeline caps the attempts.
  return { status: 'retryable', code: nodemailerCode ?? 'smtp_error', message, response }
}
