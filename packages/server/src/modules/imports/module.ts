import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { IMPORT_QUEUE } from './import-queue.js'
import { runImport } from './import-runner.js'
import { importsRoutes } from './imports-routes.js'

/** Historical data from CSV and NDJSON files, run as jobs. */
export const importsModule: ModuleManifest = {
  name: 'imports',
  tables: ['imports', 'import_errors'],
  routes: [importsRoutes],
  queues: [handles(IMPORT_QUEUE, (ctx, payload) => runImport(ctx, payload.importId))],
}
