export { BroadcastPage } from './BroadcastPage.js'
export { BroadcastsPage } from './BroadcastsPage.js'
export { NewBroadcastPage } from './NewBroadcastPage.js'
