/** The demo's public face: what the CLI, tests and benches call. */
export { runDemo, type DemoOutcome } from './demo-service.js'
export { demoCustomer, type DemoOptions } from './demo-customer.js'
export { random } from './demo-chain.js'
