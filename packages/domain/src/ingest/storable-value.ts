/**
 * What PostgreSQL (and so both engines) can store of a JSON value, checked before anything
 * recursive touches it: `text` and `jsonb` refuse NUL and lone UTF-16 surrogates, `JSON.stringify`
 * and jsonb overflow on deep nesting, and keys such as `__proto__` are a prototype-pollution risk
 * for every consumer that copies properties.
 */

/** Deepest nesting of objects and arrays an event may have (the event itself is level 1). */
export const MAX_EVENT_DEPTH = 64

/**
 * Why a key is refused, or null: `__proto__` anywhere, and `constructor` holding a `prototype` —
 * the two shapes that pollute prototypes when copied (the ones JSON parsers that guard against
 * it refuse). A plain `constructor: "Bosch"` property is data like any other.
 */
export function forbiddenKey(key: string, value: unknown): string | null {
  if (key === '__proto__') return 'is a forbidden key (__proto__)'
  if (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))
    return 'is a forbidden key (constructor holding prototype)'
  return null
}

/** A value that cannot be stored, and where: `properties.items[2].name`. */
export interface ValueProblem {
  field: string
  reason: string
}

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const UNSTORABLE_TEXT = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

// Any NUL or surrogate at all: a cheap test that clears almost every string before the exact one.
const SUSPECT_TEXT = /[\0\ud800-\udfff]/

/** Why a string cannot be stored, or null when it can. */
export function textProblem(text: string): string | null {
  if (!SUSPECT_TEXT.test(text)) return null
  const found = UNSTORABLE_TEXT.exec(text)
  if (!found) return null
  return found[0] === '\0' ? 'holds a NUL character (\\u0000)' : 'holds a lone UTF-16 surrogate (not valid Unicode)'
}

const UNSTORABLE_TEXT_GLOBAL = new RegExp(UNSTORABLE_TEXT.source, 'g')

/** The text with each character the database cannot store (NUL, a lone surrogate) replaced by U+FFFD. */
export const storableText = (text: string): string => (textProblem(text) ? text.replace(UNSTORABLE_TEXT_GLOBAL, '\ufffd') : text)

const IDENTIFIER_KEY = /^[A-Za-z_$][\w$]*$/

/** `a.b[2].c`, with keys that are not plain names quoted: `traits["a b"]`. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (IDENTIFIER_KEY.test(part)) out += out === '' ? part : `.${part}`
    else out += `[${JSON.stringify(storableText(part))}]`
  }
  return out
}

/**
 * The first value in `value` that cannot be stored, or null. Recursion is bounded by `maxDepth`,
 * so a hostile nesting of 100,000 arrays is refused instead of overflowing the stack.
 *
 * @example
 * unstorableValue({ properties: { note: 'a\u0000b' } }) // { field: 'properties.note', reason: 'holds a NUL character (\\u0000)' }
 */
export function unstorableValue(value: unknown, maxDepth = MAX_EVENT_DEPTH): ValueProblem | null {
  const path: Array<string | number> = []
  const visit = (v: unknown, depth: number): ValueProblem | null => {
    if (typeof v === 'string') {
      const reason = textProblem(v)
      return reason ? { field: fieldPath(path), reason } : null
    }
    if (typeof v !== 'object' || v === null) return null
    if (depth > maxDepth) return { field: fieldPath(path), reason: `is nested deeper than ${maxDepth} levels` }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i)
        const problem = visit(v[i], depth + 1)
        path.pop()
        if (problem) return problem
      }
      return null
    }
    for (const key of Object.keys(v)) {
      path.push(key)
      const child = (v as Record<string, unknown>)[key]
      const keyText = textProblem(key)
      const keyReason = keyText ? `key ${keyText}` : forbiddenKey(key, child)
      if (keyReason) return { field: fieldPath(path), reason: keyReason }
      const problem = visit(child, depth + 1)
      path.pop()
      if (problem) return problem
    }
    return null
  }
  return visit(value, 1)
}

/**
 * A copy of `value` that can be stored whatever it holds, for keeping a refused event in the
 * quarantine: unstorable characters become U+FFFD, nesting past `maxDepth` becomes a note, and
 * `omit` keys are left out at the top (the write key).
 */
export function storableCopy(value: unknown, options: { maxDepth?: number; omit?: ReadonlySet<string> } = {}): unknown {
  const maxDepth = options.maxDepth ?? MAX_EVENT_DEPTH
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return storableText(v)
    if (typeof v !== 'object' || v === null) return v
    if (depth > maxDepth) return `[nested deeper than ${maxDepth} levels]`
    if (Array.isArray(v)) return v.map((item) => copy(item, depth + 1))
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(v)) {
      if (depth === 1 && options.omit?.has(key)) continue
      // defineProperty: a `__proto__` key stays a plain key of the copy, never its prototype.
      Object.defineProperty(out, storableText(key), {
        value: copy((v as Record<string, unknown>)[key], depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    return out
  }
  return copy(value, 1)
}
