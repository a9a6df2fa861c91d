import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// `source` makes Vite read the monorepo packages' TypeScript directly (see their exports maps).
export default defineConfig({
  plugins: [react()],
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2500 },
  server: { proxy: { '/api': 'http://localhost:3000' } },
})
