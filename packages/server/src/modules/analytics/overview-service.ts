import { addDays, dayInZone, daysBetween, ok, type Overview, type OverviewDay, type OverviewPeriod, type Result } from '@reachloop/domain'
import type { WorkspaceScope } from '../../platform/auth/actor.js'
import type { AppContext } from '../../platform/context.js'
import type { DailyValue } from '../../platform/analytics/workspace-rollups.js'
import { getWorkspace } from '../../platform/workspaces/workspaces-service.js'
import { sourceRecords } from '../ingest/index.js'

/** The figures of one period, summed from its days. */
interface PeriodFigures {
  newCustomers: number
  events: number
  orders: number
  revenue: number
  bySource: Map<string, number>
}

/** Sums a period's daily values; revenue counts orders in the workspace's currency (or naming none). */
function sumPeriod(values: readonly DailyValue[], currency: string): PeriodFigures {
  const figures: PeriodFigures = { newCustomers: 0, events: 0, orders: 0, revenue: 0, bySource: new Map() }
  for (const v of values) {
    switch (v.metric) {
      case 'customers_new':
        figures.newCustomers += v.value
        break
      case 'events':
        figures.events += v.value
        figures.bySource.set(v.key, (figures.bySource.get(v.key) ?? 0) + v.value)
        break
      case 'orders':
        figures.orders += v.value
        break
      case 'revenue':
        if (v.key === '' || v.key === currency) figures.revenue += v.value
        break
      case 'named':
        break
    }
  }
  return figures
}

/** The period's days, each with its figures; `customers` runs on from the count before the period. */
function seriesOf(
  days: readonly string[],
  values: readonly DailyValue[],
  active: ReadonlyMap<string, number>,
  customersBefore: number,
  currency: string,
): OverviewDay[] {
  const byDay = new Map<string, DailyValue[]>()
  for (const v of values) byDay.set(v.day, [...(byDay.get(v.day) ?? []), v])
  let customers = customersBefore
  return days.map((day) => {
    const f = sumPeriod(byDay.get(day) ?? [], currency)
    customers += f.newCustomers
    return {
      day,
      customers,
      newCustomers: f.newCustomers,
      activeCustomers: active.get(day) ?? 0,
      events: f.events,
      eventsBySource: Object.fromEntries(f.bySource),
      orders: f.orders,
      revenue: f.revenue,
    }
  })
}

/**
 * The home page's overview of the last `days` days (today included, in the workspace's time zone,
 * on the context's clock) beside the `days` before them, read from the rollups through the
 * analytics store: a few small range reads, no scan of the event log.
 */
export async function workspaceOverview(ctx: AppContext, scope: WorkspaceScope, days: OverviewPeriod): Promise<Result<Overview>> {
  const workspace = await getWorkspace(ctx, scope)
  if (!workspace.ok) return workspace
  const { timeZone, currency } = workspace.value
  const { workspaceId } = scope
  const to = dayInZone(ctx.clock.now(), timeZone)
  const from = addDays(to, 1 - days)
  const previous = { from: addDays(from, -days), to: addDays(from, -1) }
  const store = ctx.analytics
  const [values, before, active, activeBefore, first, sources] = await Promise.all([
    store.dailyValues({
      workspaceId,
      from: previous.from,
      to,
      metrics: ['customers_new', 'events', 'orders', 'revenue'],
    }),
    store.totalsBefore({ workspaceId, before: from, metrics: ['customers_new'] }),
    store.activeCustomers({ workspaceId, from, to }),
    store.activeCustomers({ workspaceId, ...previous }),
    store.firstSourceEvent(workspaceId),
    sourceRecords(ctx.db, workspaceId),
  ])
  const current = values.filter((v) => v.day >= from)
  const [now, then] = [
    sumPeriod(current, currency),
    sumPeriod(
      values.filter((v) => v.day < from),
      currency,
    ),
  ]
  const customersBefore = before.customers_new
  const series = seriesOf(daysBetween(from, to), current, new Map(active.byDay.map((d) => [d.day, d.customers])), customersBefore, currency)
  const customers = series.at(-1)?.customers ?? customersBefore
  const names = new Map(sources.map((s) => [s.id, s.name]))
  const sourceIds = [...new Set([...sources.map((s) => s.id), ...now.bySource.keys(), ...then.bySource.keys()])]
  const figure = (value: number, previousValue: number) => ({ value, previous: previousValue })
  return ok({
    days,
    from,
    to,
    timeZone,
    currency,
    totals: {
      customers: figure(customers, customersBefore),
      newCustomers: figure(now.newCustomers, then.newCustomers),
      activeCustomers: figure(active.unique, activeBefore.unique),
      events: figure(now.events, then.events),
      orders: figure(now.orders, then.orders),
      revenue: figure(now.revenue, then.revenue),
    },
    series,
    sources: sourceIds.map((id) => ({
      id,
      name: names.get(id) ?? null,
      events: figure(now.bySource.get(id) ?? 0, then.bySource.get(id) ?? 0),
    })),
    gettingStarted: {
      hasSource: sources.length > 0,
      firstEvent: first ? { ...first, sourceName: names.get(first.sourceId) ?? null } : null,
      hasData: first !== null || customers > 0 || customersBefore > 0,
    },
  })
}
