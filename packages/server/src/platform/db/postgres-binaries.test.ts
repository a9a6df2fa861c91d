import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { platform, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { openDatabase } from './database.js'
import { NoPostgresBinariesError } from './postgres-binaries.js'

const root = mkdtempSync(join(tmpdir(), 'reachloop-musl-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('a machine where the embedded PostgreSQL cannot run', () => {
  it.runIf(platform() === 'linux')(
    'refuses to start on musl (Alpine), says to set DATABASE_URL or use a glibc image, and writes nothing',
    async () => {
      // What process.report says on musl: no glibc version. This file's module instance has not probed yet.
      const report = vi.spyOn(process.report, 'getReport').mockReturnValue({ header: {} })
      try {
        const dataDir = join(root, 'data')
        const refused = openDatabase({ dataDir })
        await expect(refused).rejects.toBeInstanceOf(NoPostgresBinariesError)
        await expect(refused).rejects.toThrow("this system's C library is another (musl, as on Alpine)")
        await expect(refused).rejects.toThrow('Set DATABASE_URL to a PostgreSQL server')
        await expect(refused).rejects.toThrow('node:20-bookworm-slim')
        expect(existsSync(dataDir)).toBe(false)
      } finally {
        report.mockRestore()
      }
    },
  )
})
