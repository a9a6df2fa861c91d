/** The catalogue's public face: what other modules may call. */
export { withTrackingPlans, type PlanRefusal } from './tracking-plans.js'
export { catalogueNames } from './catalogue-names.js'
