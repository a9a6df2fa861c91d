import { ApiError } from './api.js'

/** What the API said was wrong, by the path of the field in the request body (`name`, `definition.property`). */
export type FieldProblems = Record<string, string>

/**
 * The field problems of an API error: the `problems` of INVALID_DEFINITION, the schema's `fields` of
 * VALIDATION_FAILED, the `field` of an error about one field (NAME_TAKEN). Null for any other error,
 * which is shown as a message instead. The first problem of a path wins.
 */
export function fieldProblems(error: unknown): FieldProblems | null {
  if (!(error instanceof ApiError)) return null
  const details = (error.details ?? {}) as {
    problems?: Array<{ path: string; message: string }>
    fields?: Array<{ field: string; message: string }>
    field?: string
  }
  const found: Array<[string, string]> = [
    ...(details.problems ?? []).map((p): [string, string] => [p.path, p.message]),
    ...(details.fields ?? []).map((f): [string, string] => [f.field, f.message]),
    ...(typeof details.field === 'string' ? [[details.field, error.message] as [string, string]] : []),
  ]
  if (found.length === 0) return null
  const problems: FieldProblems = {}
  for (const [path, message] of found) {
    const key = path.replace(/^body\./, '')
    problems[key] ??= message
  }
  return problems
}

/** The problems at a path or below it, joined for one form item's help. */
export function problemsAt(problems: FieldProblems, ...paths: string[]): string | undefined {
  const messages = Object.entries(problems)
    .filter(([key]) => paths.some((p) => key === p || key.startsWith(`${p}.`)))
    .map(([key, message]) => (paths.includes(key) ? message : `${key.split('.').slice(1).join('.')}: ${message}`))
  return messages.length > 0 ? messages.join('; ') : undefined
}
