import type { Role } from '@reachloop/domain'
import type { MessageKey } from '../../i18n/i18n.js'

/** The message naming a role. */
export const roleKey = (role: Role) => `role.${role}` as MessageKey
