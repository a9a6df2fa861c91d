import type { RfmPart, ValueType } from '../segments/segment-definition.js'
import type { ComputedDefinition } from './computed-property.js'

/**
 * How a condition reads a computed property's values (for RFM, those of one part).
 *
 * @example
 * computedValueType(rfmProperty.definition, 'recency') // 'number': days since the last order
 */
export function computedValueType(definition: ComputedDefinition, part?: RfmPart): ValueType {
  switch (definition.kind) {
    case 'rfm':
      return part === undefined || part === 'group' || part === 'score' ? 'string' : 'number'
    case 'interval':
      return 'number'
    case 'aggregate':
      if (definition.aggregate !== 'first' && definition.aggregate !== 'last') return 'number'
      // The first / last instant without a property; the property's own value with one.
      return definition.property ? 'string' : 'date'
  }
}
