import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { profilesRoutes } from './profiles-routes.js'

/** The customer 360: profiles as operators see them (identity keeps their tables), their timeline, merges by hand, and erasure. */
export const profilesModule: ModuleManifest = {
  name: 'profiles',
  routes: [profilesRoutes],
}
