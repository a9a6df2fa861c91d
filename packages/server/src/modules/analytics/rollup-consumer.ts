import { PROFILES_MERGED } from '@reachloop/domain'
import type { Transaction } from 'kysely'
import type { DB } from '../../platform/db/schema.js'
import type { LogConsumer, LogEvent } from '../../platform/event-log/event-log.js'
import { survivorsOf } from '../identity/index.js'
import { addDaily, emptyTally, ORDER_COMPLETED, ORDER_REFUNDED, tallyEvents, type Tally } from './rollup-tally.js'
import {
  addActiveDays,
  addCustomers,
  addDailyValues,
  keepEarlierDay,
  moveActiveDays,
  removeCustomers,
  workspaceZones,
} from './rollups-repository.js'

const byWorkspace = <T extends { workspaceId: string }>(items: readonly T[]): Map<string, T[]> => {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const group = groups.get(item.workspaceId)
    if (group) group.push(item)
    else groups.set(item.workspaceId, [item])
  }
  return groups
}

/**
 * New customers and the merges of the batch, in log order (a profile created and merged in one
 * batch is added, then taken away): a merged profile leaves its first day's count, and its survivor
 * counts from the earlier of their two first days.
 */
async function writeCustomers(tx: Transaction<DB>, tally: Tally): Promise<void> {
  const count = (workspaceId: string, day: string, value: number) =>
    addDaily(tally, { workspaceId, metric: 'customers_new', day, key: '', value })
  for (const added of await addCustomers(tx, tally.born)) count(added.workspaceId, added.day, 1)
  for (const [workspaceId, merges] of byWorkspace(tally.merges)) {
    await moveActiveDays(tx, workspaceId, merges)
    const survivorOf = new Map(merges.map((m) => [m.mergedId, m.survivorId]))
    for (const removed of await removeCustomers(tx, workspaceId, [...survivorOf.keys()])) {
      count(workspaceId, removed.day, -1)
      const survivorId = survivorOf.get(removed.profileId)
      const movedFrom = survivorId ? await keepEarlierDay(tx, workspaceId, survivorId, removed.day) : undefined
      if (movedFrom) {
        count(workspaceId, movedFrom, -1)
        count(workspaceId, removed.day, 1)
      }
    }
  }
}

/**
 * Keeps the daily rollups the home page reads (DESIGN §4 "metric rollups"): a batch of the log is
 * summed in memory, then written in a handful of statements whatever its size: one upsert of every
 * (metric, day, key) it touched, one insert of its (day, customer) pairs, one of its new customers.
 * Its position starts at the log's beginning, so a workspace whose events came before the module
 * (or before an upgrade) is rolled up from its first event.
 */
export function rollupConsumer(): LogConsumer {
  return {
    name: 'analytics.rollups',
    batchSize: 5_000,
    // The home page may lag: a second when quiet; during a burst of ingestion the rollups take a
    // tenth of the time, up to a minute behind, and catch up after it.
    pauseMs: 1000,
    background: { share: 0.1, maxLagMs: 60_000 },
    // Only orders and refunds (their total) and merges (the merged profile) need their properties.
    propertiesOf: [ORDER_COMPLETED, ORDER_REFUNDED, PROFILES_MERGED],
    handle: async (tx, events) => {
      const groups = byWorkspace<LogEvent>(events)
      const zones = await workspaceZones(tx, [...groups.keys()])
      const tally = emptyTally()
      for (const [workspaceId, list] of groups) {
        const zone = zones.get(workspaceId)
        // A workspace deleted while its events waited has nothing left to roll up.
        if (!zone) continue
        // Events name the profile they arrived on; a merge since may have moved it into another.
        const survivorOf = await survivorsOf(tx, workspaceId, [...new Set(list.map((e) => e.profileId))])
        tallyEvents(tally, workspaceId, zone, list, survivorOf)
      }
      await writeCustomers(tx, tally)
      await addActiveDays(tx, [...tally.active.values()])
      await addDailyValues(tx, [...tally.daily.values()])
    },
  }
}
