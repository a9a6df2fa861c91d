/**
 * Every permission a role can hold. Admin routes name the one they need; later modules add theirs here.
 */
export const PERMISSIONS = [
  'workspace.read',
  'workspace.manage',
  'users.read',
  'users.manage',
  'tokens.manage',
  'audit.read',
  'jobs.read',
  'jobs.manage',
  'pii.read',
  'profiles.read',
  'profiles.write',
  'audiences.read',
  'audiences.write',
  'journeys.read',
  'journeys.write',
  'messaging.read',
  'messaging.write',
  'coupons.read',
  'coupons.write',
  'growth.read',
  'growth.write',
  'leads.read',
  'leads.write',
  'analytics.read',
] as const

/** One permission, e.g. `users.manage`. */
export type Permission = (typeof PERMISSIONS)[number]
