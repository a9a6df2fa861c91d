import { overviewRoutes } from '../analytics/overview-contract.js'
import { audienceRoutes } from '../audiences/audiences-contract.js'
import { computedPropertyRoutes } from '../computed-properties/computed-properties-contract.js'
import { identityRoutes } from '../identity/identity-contract.js'
import { importRoutes } from '../imports/imports-contract.js'
import { catalogueRoutes } from '../catalogue/catalogue-contract.js'
import { auditRoutes } from '../platform/audit-contract.js'
import { authRoutes } from '../platform/auth-contract.js'
import { jobRoutes } from '../platform/jobs-contract.js'
import { tokenRoutes } from '../platform/tokens-contract.js'
import { userRoutes } from '../platform/users-contract.js'
import { workspaceRoutes } from '../platform/workspaces-contract.js'
import { profileRoutes } from '../profiles/profiles-contract.js'
import { quarantineRoutes } from '../quarantine/quarantine-contract.js'
import { segmentRoutes } from '../segments/segments-contract.js'
import { sourceRoutes } from '../sources/sources-contract.js'
import { tagRoutes } from '../tags/tags-contract.js'
import { webhookRoutes } from '../webhooks/webhooks-contract.js'
import { messagingRoutes } from '../messaging/messaging-contract.js'
import { broadcastRoutes } from '../messaging/broadcasts-contract.js'

/**
 * The admin API (`/api/v1`) as contracts, composed from each feature's routes: a new feature adds
 * one line. The server serves exactly these; the console calls them.
 *
 * @example
 * await client.call(routes.listUsers, {})
 */
export const routes = {
  ...authRoutes,
  ...workspaceRoutes,
  ...userRoutes,
  ...tokenRoutes,
  ...auditRoutes,
  ...jobRoutes,
  ...sourceRoutes,
  ...webhookRoutes,
  ...profileRoutes,
  ...identityRoutes,
  ...quarantineRoutes,
  ...importRoutes,
  ...audienceRoutes,
  ...segmentRoutes,
  ...tagRoutes,
  ...computedPropertyRoutes,
  ...catalogueRoutes,
  ...overviewRoutes,
  ...messagingRoutes,
  ...broadcastRoutes,
} as const

/** Every admin route contract. */
export type Routes = typeof routes
