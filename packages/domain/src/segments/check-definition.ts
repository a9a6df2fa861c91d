import { parseIsoInstant } from '../time/instant-range.js'
import { definitionDepthProblem, MAX_DEFINITION_CONDITIONS } from './definition-depth.js'
import type { EventMatch, EventWindow, SegmentNode } from './segment-definition.js'
import { OPERATORS, type Operator, type ValueType } from './value-test.js'

/** A problem with a definition: where (a JSON path such as `children.1.value`) and what. */
export interface DefinitionProblem {
  path: string
  message: string
}

// An instant both JavaScript and PostgreSQL read alike: ISO 8601, a real day, years 0001–9999.
const isInstant = (value: unknown) => parseIsoInstant(value) !== null
const INSTANT_NEEDED = 'an ISO date-time between the years 0001 and 9999'

function checkValueTest(
  test: {
    type: ValueType
    op: Operator
    value?: string | number
    values?: string[]
    min?: string | number
    max?: string | number
    days?: number
  },
  path: string,
  problems: DefinitionProblem[],
): void {
  const at = (field: string) => (path ? `${path}.${field}` : field)
  const allowed: readonly ValueType[] = OPERATORS[test.op]
  if (!allowed.includes(test.type)) problems.push({ path: at('op'), message: `${test.op} does not apply to a ${test.type} value` })
  const need = (field: 'value' | 'values' | 'min' | 'max' | 'days', ok: boolean, what: string) => {
    if (!ok) problems.push({ path: at(field), message: `${test.op} needs ${what}` })
  }
  switch (test.op) {
    case 'equals':
    case 'not_equals':
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'list_contains':
    case 'list_not_contains':
      need('value', typeof test.value === 'string' && test.value.length > 0, 'a text value')
      break
    case 'in':
    case 'not_in':
      need('values', Array.isArray(test.values) && test.values.length > 0, 'a list of values')
      break
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      need('value', typeof test.value === 'number', 'a number')
      break
    case 'between':
      if (test.type === 'number') {
        need('min', typeof test.min === 'number', 'a number')
        need('max', typeof test.max === 'number', 'a number')
      } else {
        need('min', isInstant(test.min), INSTANT_NEEDED)
        need('max', isInstant(test.max), INSTANT_NEEDED)
      }
      break
    case 'before':
    case 'after':
      need('value', isInstant(test.value), INSTANT_NEEDED)
      break
    case 'within_last_days':
    case 'more_than_days_ago':
    case 'within_next_days':
      need('days', typeof test.days === 'number', 'a number of days')
      break
    case 'anniversary_within_next_days':
      need('days', typeof test.days === 'number' && test.days <= 366, 'a number of days up to 366')
      break
    default:
      break
  }
}

export function checkWindow(window: EventWindow, path: string, problems: DefinitionProblem[]): void {
  if (window.type !== 'between') return
  const at = (field: string) => (path ? `${path}.${field}` : field)
  const [from, to] = [parseIsoInstant(window.from), parseIsoInstant(window.to)]
  if (from === null) problems.push({ path: at('from'), message: `needs ${INSTANT_NEEDED}` })
  if (to === null) problems.push({ path: at('to'), message: `needs ${INSTANT_NEEDED}` })
  if (from !== null && to !== null && from > to) problems.push({ path: at('from'), message: 'from must not be after to' })
}

/** Checks the property filters of an event match (at `path`). */
export function checkEventMatch(match: EventMatch, path: string, problems: DefinitionProblem[]): void {
  match.filters.forEach((f, i) => checkValueTest(f, path ? `${path}.filters.${i}` : `filters.${i}`, problems))
}

/**
 * Checks what the schema cannot: operators against value types, operands present, depth and size.
 * An empty list means the definition can be saved.
 */
export function checkDefinition(definition: SegmentNode): DefinitionProblem[] {
  const tooDeep = definitionDepthProblem(definition)
  if (tooDeep) return [tooDeep]
  const problems: DefinitionProblem[] = []
  let conditions = 0
  // Recursion is bounded now: no node is deeper than MAX_DEFINITION_DEPTH.
  const walk = (node: SegmentNode, path: string) => {
    const at = (key: string) => (path ? `${path}.${key}` : key)
    switch (node.kind) {
      case 'and':
      case 'or':
        if (node.children.length === 0) problems.push({ path: at('children'), message: 'a group needs at least one condition' })
        node.children.forEach((child, i) => walk(child, at(`children.${i}`)))
        return
      case 'not':
        walk(node.child, at('child'))
        return
      default:
        conditions += 1
    }
    switch (node.kind) {
      case 'trait':
      case 'computed':
        checkValueTest(node, path, problems)
        break
      case 'event':
        checkEventMatch(node, path, problems)
        checkWindow(node.window, at('window'), problems)
        if (node.aggregate !== 'count' && !node.property)
          problems.push({ path: at('property'), message: `${node.aggregate} needs a numeric property` })
        if (node.comparison === 'between' && (node.max === undefined || node.max < node.value))
          problems.push({ path: at('max'), message: 'between needs a max not below value' })
        break
      case 'event_time':
        checkEventMatch(node, path, problems)
        if ((node.op === 'before' || node.op === 'after') && !isInstant(node.at))
          problems.push({ path: at('at'), message: `${node.op} needs ${INSTANT_NEEDED}` })
        if ((node.op === 'within_last_days' || node.op === 'more_than_days_ago') && node.days === undefined)
          problems.push({ path: at('days'), message: `${node.op} needs a number of days` })
        break
      case 'sequence':
        checkEventMatch(node.first, at('first'), problems)
        checkEventMatch(node.then, at('then'), problems)
        checkWindow(node.window, at('window'), problems)
        break
      case 'source':
        checkWindow(node.window, at('window'), problems)
        break
      case 'subscription':
        // A group by key, or (older definitions) a channel meaning its default group: one of the two.
        if (node.group === undefined && node.channel === undefined)
          problems.push({ path: at('group'), message: 'a subscription condition needs a group' })
        if (node.group !== undefined && node.channel !== undefined)
          problems.push({ path: at('channel'), message: 'name a group or a channel, not both' })
        break
      default:
        break
    }
  }
  walk(definition, '')
  if (conditions > MAX_DEFINITION_CONDITIONS)
    problems.push({ path: 'definition', message: `at most ${MAX_DEFINITION_CONDITIONS} conditions` })
  return problems
}
