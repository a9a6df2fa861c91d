/** Imports' public face: what other modules (and the CLI) may call. */
export { getImport, receiveUpload, startImport } from './imports-service.js'
export { runImport } from './import-runner.js'
