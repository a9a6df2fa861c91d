import type { DefinitionProblem } from './check-definition.js'

/**
 * How deep AND / OR / NOT groups may nest: a condition is at most this many groups down. Checked
 * first, without recursion, so a definition nested thousands deep is refused by name before
 * anything recursive (evaluation, SQL compilation, the other checks) walks it.
 */
export const MAX_DEFINITION_DEPTH = 8
/** How many conditions one definition may hold. */
export const MAX_DEFINITION_CONDITIONS = 100

/**
 * The first node nested deeper than `MAX_DEFINITION_DEPTH` groups, as a problem naming it, or
 * null. It walks with its own stack and reads only `kind`, `children` and `child`, so it is safe
 * on any value, however deep.
 *
 * @example
 * definitionDepthProblem({ kind: 'not', child: { kind: 'identifier', identifierType: 'phone', has: true } }) // null
 */
export function definitionDepthProblem(definition: unknown): DefinitionProblem | null {
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: definition, path: '', depth: 0 }]
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop() as { node: unknown; path: string; depth: number }
    if (depth > MAX_DEFINITION_DEPTH) return { path: path || 'definition', message: `groups nest at most ${MAX_DEFINITION_DEPTH} deep` }
    if (node === null || typeof node !== 'object') continue
    const { kind, children, child } = node as { kind?: unknown; children?: unknown; child?: unknown }
    const at = (key: string) => (path ? `${path}.${key}` : key)
    if ((kind === 'and' || kind === 'or') && Array.isArray(children)) {
      for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i], path: at(`children.${i}`), depth: depth + 1 })
    } else if (kind === 'not') stack.push({ node: child, path: at('child'), depth: depth + 1 })
  }
  return null
}
