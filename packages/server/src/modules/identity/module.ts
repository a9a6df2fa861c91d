import { PROFILE_CREATED, PROFILES_MERGED } from '@reachloop/domain'
import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { eraseIdentity } from './identity-erasure.js'
import { identityRoutes } from './identity-routes.js'

/** Who is who: identifiers, the merge policy, merges and the survivor of a merged profile. */
export const identityModule: ModuleManifest = {
  name: 'identity',
  tables: ['profiles', 'profile_identifiers', 'profile_merges', 'identity_refusals', 'identifier_types'],
  routes: [identityRoutes],
  internalEvents: [PROFILE_CREATED, PROFILES_MERGED],
  onProfileErased: eraseIdentity,
}
