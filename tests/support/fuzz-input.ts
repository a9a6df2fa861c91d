import fc, { type GeneratorValue } from 'fast-check'
import type { RouteContract } from '@reachloop/domain'
import { type JsonSchema, sampleOf } from '@reachloop/server/testing'
import {
  BAD_NUMBERS,
  BAD_TIMESTAMPS,
  BAD_TOKENS,
  DEPTHS,
  DOMAIN_WORDS,
  HUGE_LENGTHS,
  POISON_CHARACTERS,
  PROTOTYPE_KEYS,
  WRONG_TYPES,
} from './fuzz-values.js'

/** The parts of a JSON schema the fuzzer reads (the same the sample builder reads). */
export type FuzzSchema = JsonSchema

/** JSON text sent as it is: nesting too deep for `JSON.stringify`, or text that is not JSON at all. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** Like `JSON.stringify`, but keeps own `__proto__` keys and writes `RawJson` as its text. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${toJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * Percent-encodes like `encodeURIComponent`, but a lone surrogate becomes its three WTF-8 bytes
 * instead of throwing, so it reaches the server's decoder.
 */
export function encodeComponent(text: string): string {
  const out: string[] = []
  // The string iterator yields a surrogate pair as one character and a lone surrogate alone.
  for (const ch of text) {
    const c = ch.charCodeAt(0)
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
      out.push([0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join(''))
    else out.push(encodeURIComponent(ch))
  }
  return out.join('')
}

/** A place in a generated value: `holder[key]`, generated from `schema`; `recursive` names the recursive schema it is an instance of. */
interface Slot {
  holder: Record<string | number, unknown>
  key: string | number
  schema: FuzzSchema
  recursive?: FuzzSchema & { $id: string }
}

interface Walk {
  g: GeneratorValue
  refs: Map<string, FuzzSchema>
  ids: readonly string[]
  slots: Slot[]
}

const pick = <T>(g: GeneratorValue, values: readonly T[]): T => values[g(fc.integer, { min: 0, max: values.length - 1 })] as T
const chance = (g: GeneratorValue, p: number) => g(fc.integer, { min: 0, max: 999 }) < p * 1000

const refersToRef = new WeakMap<FuzzSchema, boolean>()
const mentionsRef = (schema: FuzzSchema): boolean => {
  let known = refersToRef.get(schema)
  if (known === undefined) refersToRef.set(schema, (known = JSON.stringify(schema).includes('"$ref"')))
  return known
}

/** Every `$id` of a schema, found without recursion. */
function collectRefs(root: FuzzSchema): Map<string, FuzzSchema> {
  const refs = new Map<string, FuzzSchema>()
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    const schema = node as FuzzSchema
    if (typeof schema.$id === 'string') refs.set(schema.$id, schema)
    stack.push(...Object.values(node))
  }
  return refs
}

function validString(w: Walk, s: FuzzSchema): string {
  const { g } = w
  if (s.format === 'uuid') return w.ids.length > 0 && chance(g, 0.75) ? pick(g, w.ids) : g(fc.uuid)
  if (s.format === 'date-time') return new Date(g(fc.integer, { min: Date.UTC(2000, 0, 1), max: Date.UTC(2030, 0, 1) })).toISOString()
  if (s.format === 'email') return `fuzz-${g(fc.nat)}@example.com`
  if (s.pattern) {
    const text = g(fc.stringMatching, new RegExp(s.pattern))
    return text.length <= (s.maxLength ?? Infinity) ? text : String(sampleOf(s as never))
  }
  const text = chance(g, 0.5) ? pick(g, DOMAIN_WORDS) : g(fc.string, { maxLength: 12 })
  return text.padEnd(s.minLength ?? 0, 'x').slice(0, s.maxLength ?? undefined)
}

/** Generates a value valid for `schema` into `holder[key]`, noting every place it fills. */
function fill(w: Walk, schema: FuzzSchema, holder: Slot['holder'], key: string | number, depth: number): void {
  const { g } = w
  let s = schema
  let recursive: Slot['recursive']
  for (;;) {
    if (s.$ref) s = w.refs.get(s.$ref) ?? {}
    if (s.$id && s.anyOf) recursive = s as Slot['recursive']
    if (!s.anyOf) break
    const shallow = s.anyOf.filter((v) => !mentionsRef(v))
    s = pick(g, depth > 2 && shallow.length > 0 ? shallow : s.anyOf)
  }
  w.slots.push({ holder, key, schema: s, ...(recursive ? { recursive } : {}) })
  if (s.const !== undefined) holder[key] = s.const
  else if (s.enum) holder[key] = pick(g, s.enum)
  else if (s.type === 'object') {
    const value: Record<string, unknown> = {}
    holder[key] = value
    for (const [k, p] of Object.entries(s.properties ?? {})) if (s.required?.includes(k) || chance(g, 0.5)) fill(w, p, value, k, depth + 1)
    for (const p of Object.values(s.patternProperties ?? {})) {
      const entries = g(fc.integer, { min: 0, max: 2 })
      for (let i = 0; i < entries; i += 1) fill(w, p, value, pick(g, DOMAIN_WORDS), depth + 1)
    }
  } else if (s.type === 'array') {
    const value: unknown[] = []
    holder[key] = value
    const length = g(fc.integer, { min: s.minItems ?? 0, max: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) })
    for (let i = 0; i < length; i += 1) fill(w, s.items ?? {}, value as unknown as Slot['holder'], i, depth + 1)
  } else if (s.type === 'string') holder[key] = validString(w, s)
  else if (s.type === 'integer' || s.type === 'number')
    holder[key] = g(fc.integer, { min: Math.max(s.minimum ?? -1000, -1e9), max: Math.min(s.maximum ?? 1000, 1e9) })
  else if (s.type === 'boolean') holder[key] = g(fc.boolean)
  else if (s.type === 'null') holder[key] = null
  else holder[key] = g(fc.jsonValue, { maxDepth: 2 })
}

/** Every place in a given value (an example body), without recursion; their schemas are unknown. */
function slotsOf(root: Slot['holder']): Slot[] {
  const slots: Slot[] = []
  const stack: Array<[Slot['holder'], string | number]> = [[root, 'value']]
  while (stack.length > 0) {
    const [holder, key] = stack.pop() as [Slot['holder'], string | number]
    slots.push({ holder, key, schema: {} })
    const value = holder[key]
    if (value !== null && typeof value === 'object')
      for (const k of Object.keys(value)) stack.push([value as Slot['holder'], Array.isArray(value) ? Number(k) : k])
  }
  return slots
}

/** A string the schema may accept but a database may not store. */
function poisonString(g: GeneratorValue, value: string, schema: FuzzSchema): string {
  if (schema.format === 'date-time' && chance(g, 0.6)) return pick(g, BAD_TIMESTAMPS)
  const kind = pick(g, ['char', 'char', 'char', 'token', 'timestamp'] as const)
  if (kind === 'token') return pick(g, BAD_TOKENS)
  if (kind === 'timestamp') return pick(g, BAD_TIMESTAMPS)
  const at = g(fc.integer, { min: 0, max: value.length })
  return `${value.slice(0, at)}${pick(g, POISON_CHARACTERS)}${value.slice(at)}`
}

const nested = (depth: number, asArray: boolean) =>
  new RawJson(asArray ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)

const withKey = (value: unknown, key: string, inner: unknown): Record<string, unknown> => {
  const copy: Record<string, unknown> =
    value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof RawJson) ? { ...value } : {}
  Object.defineProperty(copy, key, { value: inner, enumerable: true, configurable: true, writable: true })
  return copy
}

/** A value of the wrong shape for a place: another type, too long, too deep, out of range, polluted. */
function misfit(g: GeneratorValue, current: unknown, schema: FuzzSchema): unknown {
  switch (pick(g, ['type', 'huge', 'token', 'number', 'deep', 'proto', 'extra', 'empty', 'key'] as const)) {
    case 'type':
      return pick(g, WRONG_TYPES)
    case 'huge':
      return 'x'.repeat(pick(g, HUGE_LENGTHS))
    case 'token':
      return pick(g, BAD_TOKENS)
    case 'number':
      return pick(g, [
        ...BAD_NUMBERS,
        ...(schema.maximum === undefined ? [] : [schema.maximum + 1]),
        ...(schema.minimum === undefined ? [] : [schema.minimum - 1]),
      ])
    case 'deep':
      return nested(pick(g, DEPTHS), g(fc.boolean))
    case 'proto':
      return withKey(current, pick(g, PROTOTYPE_KEYS), { polluted: true })
    case 'extra':
      return withKey(current, 'fuzzExtra', 1)
    case 'empty':
      return pick(g, [{}, [], ''])
    case 'key':
      return withKey(current, `k${pick(g, POISON_CHARACTERS)}`, 1)
  }
}

/** A definition nested `depth` levels through a recursive schema's links (`not.child`, `and.children`). */
function chain(g: GeneratorValue, schema: FuzzSchema & { $id: string }, depth: number): RawJson {
  const variants = schema.anyOf ?? []
  const leaf = variants.find((v) => !mentionsRef(v)) ?? {}
  const links = variants.flatMap((v) =>
    Object.entries(v.properties ?? {}).flatMap(([k, p]) =>
      p.$ref === schema.$id ? [{ v, k, list: false }] : p.items?.$ref === schema.$id ? [{ v, k, list: true }] : [],
    ),
  )
  if (links.length === 0) return nested(depth, false)
  const link = pick(g, links)
  // A broken leaf makes a validator look at every level's every variant; a sound one gets past it.
  const end = chance(g, 0.25) ? sampleOf(leaf as never) : { ...(sampleOf(leaf as never) as object), fuzzExtra: 1 }
  const rest = Object.fromEntries(
    Object.entries(link.v.properties ?? {})
      .filter(([k]) => k !== link.k && link.v.required?.includes(k))
      .map(([k, p]) => [k, sampleOf(p as never)]),
  )
  const head = `${toJson(rest).slice(0, -1)}${Object.keys(rest).length > 0 ? ',' : ''}${JSON.stringify(link.k)}:${link.list ? '[' : ''}`
  const tail = `${link.list ? ']' : ''}}`
  return new RawJson(`${head.repeat(depth)}${toJson(end)}${tail.repeat(depth)}`)
}

/** How a request departs from its schema (`deepen` is `misfit` where the schema is not recursive). */
export const MODES = ['valid', 'poison', 'poison', 'misfit', 'misfit', 'deepen', 'deepen', 'whole'] as const
export type Mode = (typeof MODES)[number]

/** Generates a value for `schema` and, per `mode`, breaks it. Returns the value (possibly `RawJson`). */
export function fuzzValue(g: GeneratorValue, schema: FuzzSchema, ids: readonly string[], mode: Mode, example?: unknown): unknown {
  const root: Slot['holder'] = {}
  const w: Walk = { g, refs: collectRefs(schema), ids, slots: [] }
  if (example === undefined) fill(w, schema, root, 'value', 0)
  else {
    root.value = structuredClone(example)
    w.slots.push(...slotsOf(root))
  }
  const slots = w.slots
  const deep = slots.filter((s) => s.recursive)
  // Free text only: a tag (`kind`) or an enum poisoned is refused by the schema, hiding the rest.
  const texts = slots.filter((s) => typeof s.holder[s.key] === 'string' && s.schema.const === undefined && !s.schema.enum)
  if (mode === 'poison' && texts.length > 0) {
    const flavour = pick(g, ['characters', 'characters', 'timestamp', 'token'] as const)
    if (flavour === 'characters') {
      const free = new Set(texts)
      for (const slot of slots) {
        const value = slot.holder[slot.key]
        if (free.has(slot) && typeof value === 'string' && chance(g, 0.5)) slot.holder[slot.key] = poisonString(g, value, slot.schema)
        else if (slot.schema.patternProperties && chance(g, 0.3))
          slot.holder[slot.key] = withKey(value, `k${pick(g, POISON_CHARACTERS)}`, 'v')
      }
    } else {
      // One bad value among sound ones reaches the handler; a timestamp goes where one was.
      const dates = texts.filter((s) => /^\d{4}-\d\d-\d\d/.test(String(s.holder[s.key])))
      const slot = pick(g, flavour === 'timestamp' && dates.length > 0 ? dates : texts)
      slot.holder[slot.key] = pick(g, flavour === 'timestamp' ? BAD_TIMESTAMPS : BAD_TOKENS)
    }
  } else if (mode === 'deepen' && deep.length > 0) {
    const slot = pick(g, deep)
    if (slot.recursive) slot.holder[slot.key] = chain(g, slot.recursive, pick(g, DEPTHS))
  } else if (mode === 'misfit' || mode === 'deepen') {
    const slot = pick(g, slots)
    slot.holder[slot.key] = misfit(g, slot.holder[slot.key], slot.schema)
  } else if (mode === 'whole') {
    root.value = pick(g, [
      {},
      [],
      null,
      'text',
      42,
      nested(3000, true),
      withKey({}, '__proto__', { polluted: true }),
      new RawJson('{"a":'),
      new RawJson('{"name":"\\u0000"}'),
    ])
  }
  return root.value
}

/** A request to send: what `inject()` takes, plus a readable description for failure reports. */
export interface FuzzRequest {
  method: RouteContract['method']
  url: string
  headers: Record<string, string>
  payload?: string
}

/** Content types a JSON body may arrive with, the wrong ones included. */
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; boundary=x',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  '',
] as const

const PARAM_CHAIN = /\/([a-z-]+)((?:\/:[A-Za-z]+)+)/g

/**
 * A malformed (or, in mode `valid`, random but valid) request for a route: path parameters from
 * `fixtures` (a resource name such as `segments` → its ids; `a/b` fills two parameters), query and
 * body generated from the contract's schemas — or the body from one of `examples`, realistic
 * bodies random generation rarely hits — one part of it broken.
 */
export function fuzzRequest(
  g: GeneratorValue,
  contract: RouteContract,
  fixtures: Record<string, readonly string[]>,
  ids: readonly string[],
  examples: readonly unknown[] = [],
): FuzzRequest {
  const parts = [
    ...(contract.params ? ['params'] : []),
    ...(contract.query ? ['query'] : []),
    ...(contract.body ? ['body'] : []),
    'raw',
  ] as const
  const target = pick(g, parts)
  const mode = pick(g, MODES)
  const modeOf = (part: string): Mode => (part === target ? mode : 'valid')

  const params: Record<string, string> = {}
  for (const [, resource = '', chainText = ''] of contract.path.matchAll(PARAM_CHAIN)) {
    const candidates = fixtures[resource]
    if (!candidates)
      throw new Error(`No fixture for a ${resource} id in ${contract.path}: add one of the caller's own ${resource} to the admin fuzz test`)
    const values = pick(g, candidates).split('/')
    chainText
      .split('/:')
      .filter(Boolean)
      .forEach((name, i) => (params[name] = values[i] ?? ''))
  }
  const names = Object.keys(params)
  if (target === 'params' && mode !== 'valid' && names.length > 0) {
    const name = pick(g, names)
    const value = params[name] ?? ''
    params[name] = mode === 'poison' ? poisonString(g, value, {}) : pick(g, [...BAD_TOKENS, 'x'.repeat(pick(g, HUGE_LENGTHS))])
  }
  let url = contract.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeComponent(params[name] ?? ''))

  if (contract.query) {
    const query = fuzzValue(g, contract.query as FuzzSchema, ids, modeOf('query'))
    const pairs =
      query !== null && typeof query === 'object' && !(query instanceof RawJson) ? Object.entries(query) : [['q', query] as const]
    const text = (v: unknown) => (typeof v === 'string' ? v : toJson(v))
    const encoded = pairs.flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map((item) => `${encodeComponent(k)}=${encodeComponent(text(item))}`),
    )
    if (encoded.length > 0) url += `?${encoded.join('&')}`
  }

  if (contract.body) {
    const example = examples.length > 0 && chance(g, 0.5) ? pick(g, examples) : undefined
    const payload = toJson(fuzzValue(g, contract.body as FuzzSchema, ids, modeOf('body'), example))
    // Breaking the whole body includes saying it is something else.
    const type = target === 'body' && mode === 'whole' ? pick(g, CONTENT_TYPES) : 'application/json'
    return { method: contract.method, url, headers: type ? { 'content-type': type } : {}, payload }
  }
  if (contract.method === 'GET' || contract.method === 'DELETE' || target !== 'raw' || mode === 'valid')
    return { method: contract.method, url, headers: {} }
  // A route without a body schema still receives whatever a client sends: a file, JSON, nothing.
  const cell = () => (chance(g, 0.5) ? poisonString(g, pick(g, DOMAIN_WORDS), {}) : pick(g, [...BAD_TOKENS, ...DOMAIN_WORDS]))
  const csv = `member,phone,name\n${Array.from({ length: 3 }, () => [cell(), cell(), cell()].join(',')).join('\n')}\n`
  return pick(g, [
    { method: contract.method, url, headers: { 'content-type': 'text/csv' }, payload: csv },
    {
      method: contract.method,
      url,
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `{"member":${JSON.stringify(cell())}}\n{"a":\n`,
    },
    { method: contract.method, url, headers: { 'content-type': 'application/json' }, payload: toJson(fuzzValue(g, {}, ids, 'whole')) },
  ])
}
