import { STANDARD_TRAITS, type TemplateContent, type TemplateProblem } from '@reachloop/domain'
import type { Executor } from '../../platform/db/database.js'
import { catalogueNames } from '../catalogue/index.js'
import { computedPropertyNames } from '../computed-properties/index.js'
import { COUPON_FIELDS, SCOPE_ROOTS, usedVariables } from './render-message.js'

/** Names a template may use before the catalogue has seen them: the profile's id and the standard traits. */
const ALWAYS_KNOWN = new Set<string>(['id', ...STANDARD_TRAITS])

/**
 * What stops a template from being published: Liquid syntax errors, variables nothing can fill
 * (a trait the workspace has never seen, a computed property that does not exist, an unknown
 * coupon field or root), and SMS placeholders without a parameter. Reported before publishing,
 * with the field each is in, so nothing fails at send time.
 */
export async function templateProblems(db: Executor, workspaceId: string, content: TemplateContent): Promise<TemplateProblem[]> {
  const used = usedVariables(content)
  if ('syntaxError' in used) return [{ field: used.syntaxError.field, message: used.syntaxError.message }]
  const problems: TemplateProblem[] = []
  const needsTraits = used.variables.some((v) => v.path.startsWith('profile.'))
  const needsComputed = used.variables.some((v) => v.path.startsWith('computed.'))
  const traits = new Set(needsTraits ? await catalogueNames(db, workspaceId, { kind: 'trait' }) : [])
  const computed = new Set(needsComputed ? await computedPropertyNames(db, workspaceId) : [])
  for (const { path, field } of used.variables) {
    const [root, name] = path.split('.')
    if (!root || !(SCOPE_ROOTS as readonly string[]).includes(root)) {
      problems.push({
        field,
        variable: path,
        message: `unknown variable "${root}": use profile.*, computed.*, event.*, coupon.*, unsubscribe_url or preferences_url`,
      })
      continue
    }
    if (name === undefined) continue
    if (root === 'profile' && !ALWAYS_KNOWN.has(name) && !traits.has(name))
      problems.push({ field, variable: path, message: `no profile has the trait "${name}"` })
    if (root === 'computed' && !computed.has(name))
      problems.push({ field, variable: path, message: `there is no computed property "${name}"` })
    if (root === 'coupon' && !(COUPON_FIELDS as readonly string[]).includes(name))
      problems.push({ field, variable: path, message: `a coupon has no field "${name}" (${COUPON_FIELDS.join(', ')})` })
  }
  if (content.channel === 'sms') {
    const names = new Set(content.params.map((p) => p.key))
    for (const m of content.text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) {
      if (m[1] && !names.has(m[1]))
        problems.push({ field: 'text', variable: m[1], message: `the placeholder \${${m[1]}} has no parameter` })
    }
    for (const m of content.text.matchAll(/\{(\d+)\}/g)) {
      if (Number(m[1]) > content.params.length)
        problems.push({ field: 'text', variable: `{${m[1]}}`, message: `the placeholder {${m[1]}} has no parameter` })
    }
    if (!content.templateCode.trim()) problems.push({ field: 'templateCode', message: "the provider's approved template code is required" })
  }
  if (content.channel === 'email' && !content.subject.trim()) problems.push({ field: 'subject', message: 'an email needs a subject' })
  return problems
}
