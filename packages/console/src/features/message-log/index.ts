export { DeliveryStatsPage } from './DeliveryStatsPage.js'
export { MessageLogPage } from './MessageLogPage.js'
export { MessagePage } from './MessagePage.js'
export { ProfileConsentCard } from './ProfileConsentCard.js'
