import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// The dependency rule of DESIGN §6 on a small tree of the repository's shape, with deliberate
// violations that are then removed: the checks `npm run lint` runs fail on each, and pass without them.
const ROOT = resolve(import.meta.dirname, '..')
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')
const TSX = createRequire(import.meta.url).resolve('tsx')

describe('the dependency rule', () => {
  const tree = mkdtempSync(join(tmpdir(), 'reachloop-deps-'))
  afterAll(() => rmSync(tree, { recursive: true, force: true }))
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true })
    writeFileSync(join(tree, path), text)
  }
  const remove = (path: string) => rmSync(join(tree, path))
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'))
  write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }))
  write('package.json', JSON.stringify({ type: 'module' }))
  // Two modules with a public face each, and a platform file: all allowed.
  write('packages/server/src/platform/clock.ts', 'export const now = () => new Date()\n')
  write(
    'packages/server/src/modules/coupons/coupon-service.ts',
    "import { now } from '../../platform/clock.js'\nexport const issue = () => now()\n",
  )
  write('packages/server/src/modules/coupons/index.ts', "export { issue } from './coupon-service.js'\n")
  write(
    'packages/server/src/modules/journeys/journey-service.ts',
    "import { issue } from '../coupons/index.js'\nexport const step = () => issue()\n",
  )
  write('packages/server/src/modules/journeys/index.ts', "export { step } from './journey-service.js'\n")

  const cruise = () => {
    const run = spawnSync(process.execPath, [DEPCRUISE, 'packages', '--config', '.dependency-cruiser.cjs', '--no-progress'], {
      cwd: tree,
      encoding: 'utf8',
    })
    return { status: run.status, output: run.stdout + run.stderr }
  }
  const cycles = () => {
    const run = spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts/check-module-cycles.ts')], {
      cwd: tree,
      encoding: 'utf8',
    })
    return { status: run.status, output: run.stdout + run.stderr }
  }

  it('passes a tree that keeps it', () => {
    expect(cruise()).toMatchObject({ status: 0 })
    expect(cycles()).toMatchObject({ status: 0 })
  })

  it("fails when the platform imports a module, and when a module imports another's internals", () => {
    write(
      'packages/server/src/platform/reports.ts',
      "import { issue } from '../modules/coupons/index.js'\nexport const report = () => issue()\n",
    )
    write(
      'packages/server/src/modules/journeys/peek.ts',
      "import { issue } from '../coupons/coupon-service.js'\nexport const peek = () => issue()\n",
    )
    const failed = cruise()
    expect(failed.status).not.toBe(0)
    expect(failed.output).toMatch(
      /platform-imports-no-module: packages\/server\/src\/platform\/reports\.ts → packages\/server\/src\/modules\/coupons\/index\.ts/,
    )
    expect(failed.output).toMatch(
      /module-through-its-index: packages\/server\/src\/modules\/journeys\/peek\.ts → packages\/server\/src\/modules\/coupons\/coupon-service\.ts/,
    )
    remove('packages/server/src/platform/reports.ts')
    remove('packages/server/src/modules/journeys/peek.ts')
    expect(cruise()).toMatchObject({ status: 0 })
  })

  it('fails on a cycle between modules, through their public faces', () => {
    write(
      'packages/server/src/modules/coupons/budget.ts',
      "import { step } from '../journeys/index.js'\nexport const spend = () => step()\n",
    )
    write(
      'packages/server/src/modules/coupons/index.ts',
      "export { issue } from './coupon-service.js'\nexport { spend } from './budget.js'\n",
    )
    const failed = cycles()
    expect(failed.status).toBe(1)
    expect(failed.output).toMatch(/module cycle: (coupons → journeys|journeys → coupons)/)
    remove('packages/server/src/modules/coupons/budget.ts')
    write('packages/server/src/modules/coupons/index.ts', "export { issue } from './coupon-service.js'\n")
    expect(cycles()).toMatchObject({ status: 0 })
  })

  it('fails when the console imports server code', () => {
    write('packages/console/src/page.ts', "import { now } from '../../server/src/platform/clock.js'\nexport const shown = now()\n")
    const failed = cruise()
    expect(failed.output).toMatch(/console-imports-no-server/)
    remove('packages/console/src/page.ts')
    expect(cruise()).toMatchObject({ status: 0 })
  })
})
