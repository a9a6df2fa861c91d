import { Type } from '@sinclair/typebox'
import { PERMISSIONS } from './permissions.js'
import { ROLES } from './roles.js'

/** A role name. */
export const RoleName = Type.Unsafe<(typeof ROLES)[number]>({ type: 'string', enum: [...ROLES] })

/** A permission name. */
export const PermissionName = Type.Unsafe<(typeof PERMISSIONS)[number]>({ type: 'string', enum: [...PERMISSIONS] })
