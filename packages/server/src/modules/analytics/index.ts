/** Analytics' public face: the rollups' adapter of the analytics store, for the runtime to join into `ctx.analytics`. */
export { postgresRollups } from './rollup-reads-repository.js'
