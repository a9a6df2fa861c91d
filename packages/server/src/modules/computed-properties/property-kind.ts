import type { PropertyKind } from '../audiences/index.js'
import {
  anyPropertyComputed,
  clearPropertyMark,
  existingProperties,
  pendingProperties,
  propertiesChangingWithTime,
  workspaceProperties,
} from './computed-properties-repository.js'
import { COMPUTE_PROPERTY_QUEUE } from './computed-properties-service.js'
import { computeValues } from './computed-values-repository.js'

/** Computed properties as the membership engine keeps them current (registered in module.ts). */
export const propertyKindOfModule: PropertyKind = {
  computeJob: { queue: COMPUTE_PROPERTY_QUEUE.name, idField: 'propertyId' },
  workspace: workspaceProperties,
  computeValues,
  pending: pendingProperties,
  clearMark: clearPropertyMark,
  changingWithTime: propertiesChangingWithTime,
  inUse: anyPropertyComputed,
  existing: existingProperties,
}
