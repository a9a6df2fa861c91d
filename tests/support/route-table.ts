import { routes, type RouteContract } from '@reachloop/domain'
import type { RouteOptions } from 'fastify'
import { expect } from 'vitest'

/** An admin route the server registered, with the contract it was registered from (if any). */
export interface AdminRoute {
  /** `METHOD /path`, as the contract writes it. */
  name: string
  url: string
  contract: RouteContract | undefined
}

/** Why a walk leaves a route out, by route name (`METHOD /path`). */
export type Exemptions = Readonly<Record<string, string>>

/** `METHOD /path` of a contract or a registered route. */
export const routeName = (route: { method: string; path: string }): string => `${route.method} ${route.path}`

/** The names of every route of the admin API's contract, sorted. */
export const contractRouteNames = (): string[] => Object.values(routes).map(routeName).sort()

/**
 * The admin routes (`/api/v1/…`) in a test app's route table. The HEAD twins Fastify adds to GET
 * routes are left out: they are the GET route answered without a body.
 */
export function adminRoutes(routeTable: readonly RouteOptions[]): AdminRoute[] {
  return routeTable
    .filter((r) => typeof r.url === 'string' && r.url.startsWith('/api/v1/') && r.method !== 'HEAD')
    .map((r) => ({
      name: `${String(r.method)} ${r.url}`,
      url: String(r.url),
      contract: r.config?.contract as RouteContract | undefined,
    }))
}

/**
 * Proves the route table is the admin API's contract, route for route: every admin route the
 * server registers comes from a contract (so it checks access), and every contract is served.
 */
export function expectRouteTableIsTheContract(all: readonly AdminRoute[]): void {
  expect(all.filter((r) => !r.contract).map((r) => r.name)).toEqual([])
  expect(all.map((r) => r.name).sort()).toEqual(contractRouteNames())
}

/**
 * Proves a walk is exact: the routes it leaves out are exactly its exemptions, each given with its
 * reason. A route added without being walked fails, and so does an exemption of a route that is
 * walked after all or no longer exists.
 */
export function expectWalksAllBut(all: readonly AdminRoute[], isWalked: (route: AdminRoute) => boolean, exemptions: Exemptions): void {
  const unwalked = all
    .filter((r) => !isWalked(r))
    .map((r) => r.name)
    .sort()
  expect(unwalked, 'routes not walked: walk them or add them to the exemptions with a reason').toEqual(Object.keys(exemptions).sort())
}
