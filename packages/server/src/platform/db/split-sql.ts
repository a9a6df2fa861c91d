/**
 * Splits a SQL script into statements at top-level semicolons, leaving alone semicolons inside
 * quotes, dollar-quoted bodies and comments. Both engines run one statement per prepared query, and
 * a script has to be split somewhere; no maintained splitter for the PostgreSQL dialect ships pure
 * JavaScript, so this small scanner is ours.
 *
 * @example
 * splitSql("CREATE TABLE a (x text DEFAULT ';'); SELECT 1;") // two statements
 */
export function splitSql(script: string): string[] {
  const statements: string[] = []
  let start = 0
  let i = 0
  const n = script.length
  while (i < n) {
    const c = script[i]
    const next = script[i + 1]
    if (c === '-' && next === '-') {
      const end = script.indexOf('\n', i)
      i = end === -1 ? n : end + 1
    } else if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2)
      i = end === -1 ? n : end + 2
    } else if (c === "'" || c === '"') {
      i += 1
      while (i < n) {
        if (script[i] === c && script[i + 1] === c) i += 2
        else if (script[i] === c) break
        else i += 1
      }
      i += 1
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0]
      if (tag) {
        const end = script.indexOf(tag, i + tag.length)
        i = end === -1 ? n : end + tag.length
      } else i += 1
    } else if (c === ';') {
      statements.push(script.slice(start, i))
      i += 1
      start = i
    } else i += 1
  }
  statements.push(script.slice(start))
  return statements.map((s) => s.trim()).filter((s) => s.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim().length > 0)
}
