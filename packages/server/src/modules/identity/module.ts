import { PROFILE_CREATED, PROFILES_MERGED } from '@reachloop/domain'
import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { identityRoutes } from './identity-routes.js'

/** Who is who: identifiers, the merge policy, merges and the survivor of a merged profile. */
export const identityModule: ModuleManifest = {
  name: 'identity',
  routes: [identityRoutes],
  internalEvents: [PROFILE_CREATED, PROFILES_MERGED],
}
