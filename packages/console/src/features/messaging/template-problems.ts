import type { TemplateProblem } from '@reachloop/domain'
import { ApiError } from '../../shared/api.js'

/** The problems a refused publish or test send listed (TEMPLATE_INVALID), or null for any other error. */
export function refusedProblems(error: unknown): TemplateProblem[] | null {
  if (!(error instanceof ApiError) || error.code !== 'TEMPLATE_INVALID') return null
  const problems = (error.details as { problems?: TemplateProblem[] } | undefined)?.problems
  return Array.isArray(problems) ? problems : []
}

/**
 * The problems of one field of the content: `params` holds `params[0].value`, `data` holds
 * `data[2].value`, `miniprogram` holds `miniprogram.pagepath`.
 */
export function problemsOf(problems: readonly TemplateProblem[], field: string): string | undefined {
  const found = problems.filter((p) => p.field === field || p.field.startsWith(`${field}[`) || p.field.startsWith(`${field}.`))
  return found.length > 0 ? found.map((p) => p.message).join('; ') : undefined
}
