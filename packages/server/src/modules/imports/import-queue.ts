import { Type } from '@sinclair/typebox'
import { defineQueue } from '../../platform/jobs/queue.js'

/** The job that runs an import once it is started. */
export const IMPORT_QUEUE = defineQueue('import.run', Type.Object({ importId: Type.String({ minLength: 1 }) }))
