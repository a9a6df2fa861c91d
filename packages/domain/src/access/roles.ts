import { PERMISSIONS, type Permission } from './permissions.js'

/** The roles of a workspace member, highest first. */
export const ROLES = ['owner', 'admin', 'marketer', 'analyst', 'sales', 'store_staff'] as const

/** A member's role in one workspace. */
export type Role = (typeof ROLES)[number]

const ALL: readonly Permission[] = PERMISSIONS
const READ_ALL: readonly Permission[] = PERMISSIONS.filter((p) => p.endsWith('.read') && p !== 'pii.read')

/**
 * What each role may do. Admins hold everything an owner does; only an owner may grant the owner role.
 *
 * @example
 * ROLE_PERMISSIONS.analyst.includes('users.manage') // false
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: ALL,
  admin: ALL,
  marketer: [
    ...READ_ALL.filter((p) => p !== 'audit.read'),
    'pii.read',
    'profiles.write',
    'audiences.write',
    'journeys.write',
    'messaging.write',
    'coupons.write',
    'growth.write',
  ],
  analyst: READ_ALL.filter((p) => p !== 'jobs.read'),
  sales: ['workspace.read', 'users.read', 'profiles.read', 'pii.read', 'leads.read', 'leads.write'],
  store_staff: ['workspace.read', 'growth.read', 'leads.write'],
}

/** True when `role` holds `permission`. */
export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission)
}

/** A role's rank: 0 is highest (owner). */
export function roleRank(role: Role): number {
  return ROLES.indexOf(role)
}

/**
 * Whether a member with role `granter` may give someone role `granted`: nobody grants above
 * their own role, and only owners make owners.
 */
export function canGrant(granter: Role, granted: Role): boolean {
  if (granted === 'owner') return granter === 'owner'
  return roleRank(granter) <= roleRank(granted) || granter === 'admin'
}
