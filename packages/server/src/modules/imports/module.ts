import type { ModuleManifest } from '../../platform/modules/module-manifest.js'
import { handles } from '../../platform/modules/module-manifest.js'
import { runImport } from './import-runner.js'
import { importsRoutes } from './imports-routes.js'
import { IMPORT_QUEUE } from './imports-service.js'

/** Historical data from CSV and NDJSON files, run as jobs. */
export const importsModule: ModuleManifest = {
  name: 'imports',
  routes: [importsRoutes],
  queues: [handles(IMPORT_QUEUE, (ctx, payload) => runImport(ctx, payload.importId))],
}
