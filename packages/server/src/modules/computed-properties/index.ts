/** Computed properties' public face: values upkeep (the membership engine calls it through its kind; tests of the compiler call it directly). */
export { computeValues } from './computed-values-repository.js'
export { createComputedProperty } from './computed-properties-service.js'
export { computedPropertyNames, computedValuesOf } from './computed-values-of.js'
