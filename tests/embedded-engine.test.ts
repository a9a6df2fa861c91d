import type { ChildProcess } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, processAlive, readPostmaster } from '@reachloop/server/testing'
import { runCli, startProcess } from './support/processes.js'

const NOBODY = 65534
const root = process.getuid?.() === 0

/** `npm start` as a user would run it: its own process group (so the test can kill the whole group), as `uid`. */
const start = (dataDir: string, options: { uid?: number; path?: string } = {}) =>
  startProcess(
    'start',
    { DATA_DIR: dataDir, ...(options.path ? { PATH: options.path } : {}) },
    { detached: true, readyTimeoutMs: 60_000, ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}) },
  )

const stop = async (server: { child: ChildProcess; exited: Promise<number | null> }) => {
  server.child.kill('SIGTERM')
  return server.exited
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) {
    const running = readPostmaster(join(dir, 'postgres'))
    if (running && processAlive(running.pid)) process.kill(running.pid, 'SIGQUIT')
    rmSync(dir, { recursive: true, force: true })
  }
})
const dataDirFor = (uid?: number) => {
  const dir = mkdtempSync(join(tmpdir(), 'reachloop-start-'))
  dirs.push(dir)
  if (uid !== undefined) chownSync(dir, uid, uid)
  return dir
}

describe('npm start on the embedded PostgreSQL', () => {
  it(`comes up on an empty data directory as ${root ? 'root, as the unprivileged user nobody, and as root where user namespaces are refused' : 'an unprivileged user'}`, async () => {
    // As root a system without the unshare command (or a container refusing user namespaces) runs PostgreSQL as nobody.
    const noUnshare = mkdtempSync(join(tmpdir(), 'reachloop-bin-'))
    dirs.push(noUnshare)
    symlinkSync(process.execPath, join(noUnshare, 'node'))
    symlinkSync('/usr/bin/id', join(noUnshare, 'id'))
    const ways: { uid?: number; path?: string; clusterOwner: number }[] = root
      ? [{ clusterOwner: 0 }, { uid: NOBODY, clusterOwner: NOBODY }, { path: noUnshare, clusterOwner: NOBODY }]
      : [{ clusterOwner: process.getuid?.() ?? 0 }]
    for (const way of ways) {
      const dataDir = dataDirFor(way.uid)
      const server = await start(dataDir, way)
      const health = await fetch(`${server.url}/healthz`)
      expect(health.status).toBe(200)
      expect(server.output()).toContain('embedded PostgreSQL started')
      expect(statSync(join(dataDir, 'postgres')).uid).toBe(way.clusterOwner)
      expect(await stop(server)).toBe(0)
      expect(readPostmaster(join(dataDir, 'postgres'))).toBeNull()
    }
  }, 180_000)

  it('keeps every acknowledged event through SIGKILL during ingest, and starts again with no cleanup', async () => {
    const dataDir = dataDirFor()
    const env = { DATA_DIR: dataDir }
    expect(
      (await runCli(['create-owner', '--email', 'ops@example.com', '--password', 'ops-password', '--workspace', 'Crash'], env)).code,
    ).toBe(0)
    const writeKey = (await runCli(['create-source', '--workspace', 'Crash', '--name', 'POS', '--kind', 'server'], env)).stdout.trim()
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
    const acknowledged: string[] = []
    let sent = 0

    // Trial 1: the process group and PostgreSQL's are killed (a machine crash). Trial 2: only Reachloop
    // dies (the OOM killer), PostgreSQL is left running and the next start adopts it.
    for (const killPostgres of [true, false]) {
      const server = await start(dataDir)
      let killed = false
      const client = async () => {
        while (!killed) {
          const ids = Array.from({ length: 50 }, () => `m-${++sent}`)
          const body = JSON.stringify({
            batch: ids.map((messageId, i) => ({
              type: 'track',
              event: 'Order Completed',
              userId: `u-${i % 7}`,
              messageId,
              properties: { total: 100 },
            })),
          })
          const answer = await fetch(`${server.url}/v1/batch`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body,
          }).catch(() => null)
          if (answer?.ok) acknowledged.push(...ids)
        }
      }
      const clients = Array.from({ length: 4 }, client)
      await new Promise((r) => setTimeout(r, 2_500))
      const postmaster = readPostmaster(join(dataDir, 'postgres'))
      process.kill(-(server.child.pid ?? 0), 'SIGKILL')
      if (killPostgres && postmaster) process.kill(-postmaster.pid, 'SIGKILL')
      killed = true
      await Promise.all(clients)
      await server.exited
      expect(acknowledged.length).toBeGreaterThan(0)
    }

    const server = await start(dataDir)
    try {
      expect(server.output()).toContain(/* the second trial left PostgreSQL running */ 'embedded PostgreSQL already running: attached')
      const database = await openDatabase({ dataDir })
      try {
        const stored = new Set((await database.db.selectFrom('events').select('message_id').execute()).map((e) => e.message_id))
        const lost = acknowledged.filter((id) => !stored.has(id))
        expect({ acknowledged: acknowledged.length, lost: lost.length }).toEqual({ acknowledged: acknowledged.length, lost: 0 })
      } finally {
        await database.close()
      }
    } finally {
      expect(await stop(server)).toBe(0)
    }
  }, 180_000)
})
