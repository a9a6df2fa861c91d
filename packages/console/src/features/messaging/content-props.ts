import type { ContentOf, TemplateContent, TemplateProblem } from '@reachloop/domain'
import { problemsOf } from './template-problems.js'

/** What each channel's fields get: the content, how to change it, and the problems found in it. */
export interface ContentProps<C extends TemplateContent['channel']> {
  content: ContentOf<C>
  onChange: (content: ContentOf<C>) => void
  problems: readonly TemplateProblem[]
}

/** A form item's error state and help for a field with problems. */
export function fieldStatus(problems: readonly TemplateProblem[], field: string): { validateStatus?: 'error'; help?: string } {
  const help = problemsOf(problems, field)
  return help ? { validateStatus: 'error', help } : {}
}
