import { consentRoutes } from './consent-contract.js'
import { messageLogRoutes } from './message-log-contract.js'
import { providerRoutes } from './providers-contract.js'
import { templateRoutes } from './templates-contract.js'

/** Messaging's admin routes: providers, templates and sends, consent and rules, the message log. */
export const messagingRoutes = { ...providerRoutes, ...templateRoutes, ...consentRoutes, ...messageLogRoutes }
