import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { profilesRoutes } from './profiles-routes.js'

/** The customer 360: profiles, their timeline, and erasure. */
export const profilesModule: ModuleManifest = {
  name: 'profiles',
  routes: [profilesRoutes],
}
