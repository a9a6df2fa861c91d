import type { ModuleManifest } from '../../platform/modules/module-manifest.js'

/** The demo workspace (`reachloop demo`): a generated car-wash chain, ingested through the real path, with example audiences. It owns no table. */
export const demoModule: ModuleManifest = {
  name: 'demo',
}
