import { storableText, textProblem } from '@reachloop/domain'

/** A problem with one field of a request, as validation errors list them (`details.fields`). */
export interface FieldError {
  field: string
  message: string
}

/**
 * How deep an admin request body may nest (objects and arrays, the body itself being level 1).
 * Real bodies stay far below it (a segment definition allows 8 levels of groups, about 20 in
 * JSON); deeper ones are refused before schema validation, whose recursion they could overflow.
 */
export const MAX_BODY_DEPTH = 64

/** Problems listed in one answer: enough to fix a request, not a megabyte of them. */
const MAX_LISTED = 20

const PLAIN_KEY = /^[A-Za-z_$][\w$]*$/

/**
 * A field's path as schema errors name it (`body.definition.children.2.value`), so one answer and
 * the console's form helpers read both alike; a key that is not a plain name is quoted, with what
 * cannot be stored replaced: `body.traits["ke\ufffdy"]`.
 */
const pathOf = (parts: ReadonlyArray<string | number>) =>
  parts
    .map((p, i) => (i === 0 ? String(p) : typeof p === 'number' || PLAIN_KEY.test(p) ? `.${p}` : `[${JSON.stringify(storableText(p))}]`))
    .join('')

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => {
  if (Array.isArray(value)) return true
  if (value === null || typeof value !== 'object') return false
  // Only what JSON, query and path parsing make — plain objects, and the null-prototype
  // dictionaries of the query and path parsers. A raw upload's stream or a Buffer is not walked.
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null || Object.getPrototypeOf(prototype) === null
}

interface Frame {
  value: Record<string, unknown> | unknown[]
  keys: string[] | null
  next: number
  path: Array<string | number>
}

/**
 * Finds the strings (values and keys) in a parsed request part that PostgreSQL cannot store — NUL,
 * lone UTF-16 surrogates — and nesting deeper than `maxDepth`, each named by its path
 * (`body.definition.children.2.value`). It walks with its own stack, so no input can overflow the
 * call stack, and builds a path only for a container or a problem, so a list of a million
 * identifiers costs a million string tests and nothing more.
 *
 * @example
 * findUnstorable({ name: 'a\u0000b' }, 'body') // [{ field: 'body.name', message: 'holds a NUL character (\\u0000)' }]
 */
export function findUnstorable(value: unknown, root: string, maxDepth = Number.POSITIVE_INFINITY): FieldError[] {
  const problems: FieldError[] = []
  // The path is built only once a problem is found: most strings have none.
  const note = (path: () => Array<string | number>, message: string | null) => {
    if (message) problems.push({ field: pathOf(path()), message })
  }
  if (typeof value === 'string') note(() => [root], textProblem(value))
  if (!isContainer(value)) return problems
  const tooDeep = `nests deeper than ${maxDepth} levels`
  const stack: Frame[] = [{ value, keys: Array.isArray(value) ? null : Object.keys(value), next: 0, path: [root] }]
  while (stack.length > 0 && problems.length < MAX_LISTED) {
    const frame = stack[stack.length - 1] as Frame
    const length = frame.keys ? frame.keys.length : (frame.value as unknown[]).length
    if (frame.next >= length) {
      stack.pop()
      continue
    }
    const index = frame.next
    frame.next += 1
    const key = frame.keys ? (frame.keys[index] as string) : index
    // Keys are stored too (jsonb keeps them), so a key is checked like a value; the path names it.
    if (typeof key === 'string') note(() => [...frame.path, key], textProblem(key))
    const item = (frame.value as Record<string | number, unknown>)[key]
    if (typeof item === 'string') note(() => [...frame.path, key], textProblem(item))
    else if (isContainer(item)) {
      // The frame's depth is its path's length less the root: the body is level 1.
      if (frame.path.length + 1 > maxDepth) note(() => [...frame.path, key], tooDeep)
      else stack.push({ value: item, keys: Array.isArray(item) ? null : Object.keys(item), next: 0, path: [...frame.path, key] })
    }
  }
  return problems.slice(0, MAX_LISTED)
}
