import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig, type Plugin } from 'vite'

const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/

/**
 * Writes `<file>.br` and `<file>.gz` beside every text file of the build, so the server sends them
 * as they are (`@fastify/static`'s `preCompressed`) instead of compressing on each request.
 */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'reachloop-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    async writeBundle(_options, bundle) {
      const files = [...Object.keys(bundle), 'index.html'].filter((name, i, all) => COMPRESSIBLE.test(name) && all.indexOf(name) === i)
      await Promise.all(
        files.map(async (name) => {
          const file = join(outDir, name)
          const item = bundle[name]
          const body = item ? Buffer.from(item.type === 'chunk' ? item.code : item.source) : null
          if (!body || body.length < 1024) return
          await writeFile(`${file}.gz`, await promisify(gzip)(body, { level: 9 }))
          await writeFile(
            `${file}.br`,
            await promisify(brotliCompress)(body, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
            }),
          )
        }),
      )
    },
  }
}

// `source` makes Vite read the monorepo packages' TypeScript directly (see their exports maps).
export default defineConfig({
  plugins: [react(), precompress()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
})
