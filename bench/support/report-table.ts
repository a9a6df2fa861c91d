/** A row of the report: what was measured, and one cell per engine. */
export interface ReportRow {
  metric: string
  cells: string[]
}

/**
 * Renders rows as an aligned markdown table (pastable into a note); a row without cells is a
 * section heading.
 */
export function renderTable(columns: readonly string[], rows: readonly ReportRow[]): string {
  const header = ['', ...columns]
  const lines = rows.map((r) => (r.cells.length === 0 ? [`**${r.metric}**`, ...columns.map(() => '')] : [r.metric, ...r.cells]))
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...lines.map(line),
  ].join('\n')
}
