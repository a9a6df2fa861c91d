// A cell a spreadsheet runs as a formula starts with = + - @, a tab or a carriage return (OWASP,
// "CSV Injection"); prefixing `'` makes it text. Customer data (names, traits) is attacker-chosen.
const FORMULA_START = /^[=+\-@\t\r]/
// A signed number and nothing else (a phone in E.164, `+8613800001234`; a refund, `-300`) is read as
// that number: it calls nothing and reaches nothing, so it is written as it is, without the `'`.
const SIGNED_NUMBER = /^[+-]\d+(\.\d+)?$/
const NEEDS_QUOTES = /[",\n\r]/

/**
 * One cell of a CSV export: text as it is, other values as JSON, quoted when it holds a quote,
 * comma or line break, and prefixed with `'` when a spreadsheet would run it as a formula (a signed
 * number, such as a phone in E.164, is not one).
 *
 * @example
 * csvField('=HYPERLINK("http://x")') // "'=HYPERLINK(""http://x"")" in quotes
 * csvField('\t=1+1') // "'\t=1+1" in quotes
 */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  const formula = FORMULA_START.test(text) && !SIGNED_NUMBER.test(text)
  const cell = formula ? `'${text}` : text
  return formula || NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell
}
