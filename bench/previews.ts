/**
 * Segment previews on the demo as a user builds it: `reachloop demo` (CUSTOMERS customers, default
 * 50,000, about 1M events, through ingestion) on the default embedded PostgreSQL, then a server
 * process, then one preview of every condition kind through the admin API — among them "Store
 * Visited, and no Order Completed within 1 day, in the last 90 days" — while /healthz is asked every
 * 50 ms. Targets (issue 11): each preview within 5 s; /healthz within 200 ms at p99 throughout.
 * Prints each preview's time and the /healthz figures, and exits non-zero when a target is missed.
 * Options (environment): CUSTOMERS (50000), ENGINES (`embedded`; `embedded,postgres` adds an external
 * server at DATABASE_URL), PREVIEW_TIMEOUT (60 s: the client's wait for one preview).
 */
import { join } from 'node:path'
import { AdminApi } from './support/admin-api.js'
import { engineEnv, isBenchEngine } from './support/engine-env.js'
import { probeHealth, type HealthFigures } from './support/health-probe.js'
import { endAllProcesses, runCli, startServer, stopServer } from './support/reachloop-process.js'
import { demoPreviewTargets, previewCases, runPreviews, type PreviewFigure } from './support/segment-previews.js'

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 50_000)
const ENGINES = (process.env.ENGINES ?? 'embedded')
  .split(',')
  .map((e) => e.trim())
  .filter(isBenchEngine)
const PREVIEW_TIMEOUT = Number(process.env.PREVIEW_TIMEOUT ?? 60)
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OWNER = { email: 'bench@example.com', password: 'bench-password' }
const PREVIEW_TARGET_S = 5
const HEALTH_TARGET_MS = 200

async function measure(
  engine: (typeof ENGINES)[number],
): Promise<{ engine: string; demoSeconds: number; previews: PreviewFigure[]; health: HealthFigures }> {
  const environment = await engineEnv(engine, 'previews', PG_URL)
  const log = join(environment.logDir, 'bench.log')
  try {
    const demo = await runCli(
      ['demo', '--customers', String(CUSTOMERS), '--email', OWNER.email, '--password', OWNER.password],
      environment.env,
      log,
    )
    console.error(`${engine}: demo of ${CUSTOMERS} customers in ${demo.seconds.toFixed(0)} s: ${demo.stdout.split('\n').at(-1) ?? ''}`)
    const token = (
      await runCli(['create-token', '--email', OWNER.email, '--name', 'bench', '--workspace', '洗车连锁 Demo'], environment.env, log)
    ).stdout
    const server = await startServer(environment.env, join(environment.logDir, 'server.log'))
    try {
      const api = () => AdminApi.withToken(server.url, token)
      // What the previews refer to: the POS source, a manual tag, a segment, and an RFM property.
      const targets = await demoPreviewTargets(api())
      const rfm = await api().must<{ id: string }>('POST', '/api/v1/computed-properties', {
        name: 'rfm',
        definition: { kind: 'rfm', event: 'Order Completed', filters: [], window: { type: 'ever' }, monetaryProperty: 'total' },
      })
      // The previews start once the segment and the property are computed (their jobs would run beside them).
      for (let i = 0; i < 1200; i++) {
        const [s, p] = await Promise.all([
          api().must<{ computedAt: string | null }>('GET', `/api/v1/segments/${targets.segmentId}`),
          api().must<{ computedAt: string | null }>('GET', `/api/v1/computed-properties/${rfm.id}`),
        ])
        if (s.computedAt && p.computedAt) break
        await new Promise((r) => setTimeout(r, 250))
      }
      const health = probeHealth(server.url, 50)
      const previews = await runPreviews(api, previewCases({ ...targets, rfmPropertyId: rfm.id }), PREVIEW_TIMEOUT)
      return { engine, demoSeconds: demo.seconds, previews, health: await health.stop() }
    } finally {
      await stopServer(server)
    }
  } finally {
    await environment.dispose()
  }
}

const results = []
try {
  for (const engine of ENGINES) results.push(await measure(engine))
} finally {
  await endAllProcesses()
}
let missed = false
for (const r of results) {
  console.log(
    `\nsegment previews on the demo (${CUSTOMERS.toLocaleString()} customers through \`reachloop demo\`, ${r.demoSeconds.toFixed(0)} s), ${r.engine}; target ${PREVIEW_TARGET_S} s each\n`,
  )
  console.table(
    r.previews.map((p) => ({
      kind: p.kind,
      preview: p.name,
      seconds: p.seconds === null ? `no answer in ${PREVIEW_TIMEOUT} s` : p.seconds.toFixed(2),
      members: p.count ?? p.error ?? '',
    })),
  )
  console.log(
    `/healthz every 50 ms throughout (target p99 ${HEALTH_TARGET_MS} ms): p50 ${r.health.p50.toFixed(0)} ms, p99 ${r.health.p99.toFixed(0)} ms, max ${r.health.max.toFixed(0)} ms, ${r.health.probes} probes, ${r.health.failed} failed`,
  )
  const slow = r.previews.filter((p) => p.seconds === null || p.seconds > PREVIEW_TARGET_S || p.error)
  if (slow.length > 0 || r.health.p99 > HEALTH_TARGET_MS || r.health.failed > 0) {
    missed = true
    console.log(`MISSED: ${slow.map((p) => p.name).join(', ') || `/healthz p99 ${r.health.p99.toFixed(0)} ms`}`)
  }
}
process.exit(missed ? 1 : 0)
