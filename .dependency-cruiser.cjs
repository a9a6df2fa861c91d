/**
 * The dependency rule of DESIGN §6, checked by `npm run lint:deps` (part of `npm run lint`):
 * the platform imports no module; a module reaches another only through its `index.ts`; modules
 * form no import cycle; the console imports no server code. `scripts/check-module-cycles.ts`
 * checks the cycles between module folders (a cycle of files is caught here).
 */
const SERVER = '^packages/server/src'
const MODULE = `${SERVER}/modules/([^/]+)/`

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-imports-no-module',
      comment: 'The platform knows no business module; runtime/ composes the manifests.',
      severity: 'error',
      from: { path: `${SERVER}/platform/` },
      to: { path: [`${SERVER}/modules/`, `${SERVER}/runtime/`, `${SERVER}/cli/`] },
    },
    {
      name: 'module-through-its-index',
      comment: "A module calls another only through that module's index.ts (its public face).",
      severity: 'error',
      from: { path: MODULE },
      to: { path: `${SERVER}/modules/[^/]+/`, pathNot: [`${SERVER}/modules/$1/`, `${SERVER}/modules/[^/]+/index\\.ts$`] },
    },
    {
      name: 'no-module-imports-runtime',
      comment: 'Modules are composed by the runtime; they never import it (or the CLI).',
      severity: 'error',
      from: { path: `${SERVER}/modules/`, pathNot: '\\.test\\.ts$' },
      to: { path: [`${SERVER}/runtime/`, `${SERVER}/cli/`] },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'Type-only imports are erased at build time and do not count.',
      from: { path: SERVER, pathNot: '\\.test\\.ts$' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'console-imports-no-server',
      severity: 'error',
      from: { path: '^packages/console/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'The domain package is pure logic shared by server and console: it imports neither.',
      severity: 'error',
      from: { path: '^packages/domain/' },
      to: { path: ['^packages/server/', '^packages/console/', '^packages/client/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['/dist/', 'node_modules'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['source', 'import', 'default'], exportsFields: ['exports'] },
  },
}
