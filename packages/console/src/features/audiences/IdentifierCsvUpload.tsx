import { DeleteOutlined, UploadOutlined } from '@ant-design/icons'
import { IDENTIFIER_LIST_BODY_LIMIT, MAX_IDENTIFIERS_PER_REQUEST } from '@reachloop/domain'
import { Alert, Button, Checkbox, Input, Progress, Select, Space, Typography, Upload } from 'antd'
import { useCallback, useMemo, useState } from 'react'
import { useI18n, type Translate } from '../../i18n/i18n.js'
import {
  chosenColumn,
  chunkValues,
  csvValues,
  decodeCsv,
  looksLikeHeader,
  parseCsv,
  pastedValues,
  type IdentifierCsv,
} from './identifier-csv.js'

/** Identifiers as the operator gives them: a CSV file read in the browser, else pasted text. */
export interface IdentifierList {
  csv: IdentifierCsv | null
  pasted: string
}
export const emptyIdentifierList: IdentifierList = { csv: null, pasted: '' }

/** The distinct identifiers of a list, as they will be sent. */
export const identifierValues = (list: IdentifierList, identifierType: string) =>
  list.csv ? csvValues(list.csv, identifierType) : pastedValues(list.pasted)

// Under the body limit of the identifier routes, with room for the rest of the body.
const MAX_REQUEST_BYTES = IDENTIFIER_LIST_BODY_LIMIT - 64 * 1024

/** The columns of a file as choices: each named by its header (or its place) with a sample value. */
function columnChoices(csv: IdentifierCsv, t: Translate) {
  const width = Math.max(0, ...csv.rows.slice(0, 100).map((r) => r.length))
  return Array.from({ length: width }, (_, i) => {
    const name = csv.hasHeader ? csv.rows[0]?.[i]?.trim() : undefined
    const sample = csv.rows[csv.hasHeader ? 1 : 0]?.[i]?.trim()
    return { value: i, label: `${name || t('identifiers.columnN', { n: i + 1 })}${sample ? ` (${sample})` : ''}` }
  })
}

/** A file read: its name, remove it, whether the first row is a header, and which column (when there are several). */
function CsvFileOptions({
  csv,
  identifierType,
  onChange,
}: {
  csv: IdentifierCsv
  identifierType: string
  onChange(csv: IdentifierCsv | null): void
}) {
  const { t } = useI18n()
  const columns = columnChoices(csv, t)
  return (
    <Space wrap>
      <Typography.Text strong data-testid="csv-file">
        {csv.name}
      </Typography.Text>
      <Button size="small" icon={<DeleteOutlined />} onClick={() => onChange(null)} data-testid="csv-remove">
        {t('identifiers.removeFile')}
      </Button>
      <Checkbox checked={csv.hasHeader} onChange={(e) => onChange({ ...csv, hasHeader: e.target.checked })} data-testid="csv-header">
        {t('identifiers.hasHeader')}
      </Checkbox>
      {columns.length > 1 && (
        <Space>
          {t('identifiers.column')}
          <Select
            style={{ minWidth: 220 }}
            value={chosenColumn(csv, identifierType)}
            options={columns}
            onChange={(column: number) => onChange({ ...csv, column })}
            data-testid="csv-column"
          />
        </Space>
      )}
    </Space>
  )
}

/**
 * No file yet: choose one (read here, not uploaded), or paste identifiers. A fragment (not a component)
 * so that both are items of the upload's column.
 */
function csvChooser(
  t: Translate,
  { pasted, onFile, onPaste, pasteTestId }: { pasted: string; onFile(file: File): void; onPaste(text: string): void; pasteTestId?: string },
) {
  return (
    <>
      <Upload
        accept=".csv,text/csv"
        showUploadList={false}
        maxCount={1}
        beforeUpload={(file) => {
          onFile(file)
          return false
        }}
      >
        <Button icon={<UploadOutlined />} data-testid="csv-choose">
          {t('identifiers.chooseFile')}
        </Button>
      </Upload>
      <Input.TextArea
        rows={5}
        placeholder={t('identifiers.orPaste')}
        value={pasted}
        onChange={(e) => onPaste(e.target.value)}
        data-testid={pasteTestId}
      />
    </>
  )
}

/** How many identifiers were read (and repeated), with the first three; or that none were. */
function ReadSummary({ values, duplicates }: { values: string[]; duplicates: number }) {
  const { t } = useI18n()
  const summary = [
    t('identifiers.read', { count: values.length }),
    ...(duplicates > 0 ? [t('identifiers.duplicates', { count: duplicates })] : []),
  ].join(', ')
  return (
    <Typography.Text type={values.length > 0 ? 'secondary' : 'danger'} data-testid="identifiers-read">
      {values.length > 0 ? `${summary}: ${values.slice(0, 3).join(', ')}${values.length > 3 ? ', …' : ''}` : t('identifiers.empty')}
    </Typography.Text>
  )
}

/**
 * Picks identifiers from a CSV file (read here, not uploaded: `beforeUpload` returns false) or from
 * pasted text: which column, whether the first row is a header, and how many values were read.
 *
 * @example
 * const [list, setList] = useState(emptyIdentifierList)
 * <IdentifierCsvUpload identifierType="phone" value={list} onChange={setList} pasteTestId="static-values" />
 */
export function IdentifierCsvUpload({
  identifierType,
  value,
  onChange,
  pasteTestId,
}: {
  identifierType: string
  value: IdentifierList
  onChange(list: IdentifierList): void
  pasteTestId?: string
}) {
  const { t } = useI18n()
  const [unreadable, setUnreadable] = useState<string | null>(null)
  const { csv } = value
  const read = useMemo(() => identifierValues(value, identifierType), [value, identifierType])

  const load = async (file: File) => {
    try {
      const rows = parseCsv(decodeCsv(await file.arrayBuffer()))
      setUnreadable(null)
      onChange({ ...value, csv: { name: file.name, rows, hasHeader: looksLikeHeader(rows[0], identifierType), column: null } })
    } catch (error) {
      setUnreadable(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {csv ? (
        <CsvFileOptions csv={csv} identifierType={identifierType} onChange={(next) => onChange({ ...value, csv: next })} />
      ) : (
        csvChooser(t, {
          pasted: value.pasted,
          onFile: (file) => void load(file),
          onPaste: (pasted) => onChange({ ...value, pasted }),
          pasteTestId,
        })
      )}
      {unreadable && <Alert type="error" showIcon title={t('identifiers.unreadable', { reason: unreadable })} />}
      {(csv || read.values.length > 0) && <ReadSummary values={read.values} duplicates={read.duplicates} />}
    </Space>
  )
}

/**
 * Sends identifiers in as many requests as the server takes, one after another, with the share sent
 * so far. When one fails, `stopped` says how many went before it (those were applied) until `reset`.
 */
export function useChunkedSend() {
  const [progress, setProgress] = useState<number | null>(null)
  const [stopped, setStopped] = useState<{ sent: number; total: number } | null>(null)
  const send = useCallback(async <R,>(values: readonly string[], request: (chunk: string[], index: number) => Promise<R>): Promise<R[]> => {
    const chunks = chunkValues(values, MAX_IDENTIFIERS_PER_REQUEST, MAX_REQUEST_BYTES)
    const results: R[] = []
    let sent = 0
    setStopped(null)
    setProgress(0)
    try {
      for (const [index, chunk] of chunks.entries()) {
        results.push(await request(chunk, index))
        sent += chunk.length
        setProgress(Math.round((sent / values.length) * 100))
      }
      return results
    } catch (error) {
      setStopped({ sent, total: values.length })
      throw error
    } finally {
      setProgress(null)
    }
  }, [])
  const reset = useCallback(() => setStopped(null), [])
  return { progress, stopped, send, reset }
}

/** What a list did: members now, how many entered (or changed), and identifiers no profile has. */
export function IdentifierUploadResult({
  name,
  size,
  changes,
  unknown,
  onClose,
}: {
  name?: string
  size: number
  changes: Array<{ label: string; count: number }>
  unknown: number
  onClose?: () => void
}) {
  const { t } = useI18n()
  return (
    <div data-testid="upload-result">
      <Alert
        type="success"
        showIcon
        closable={onClose ? { onClose } : false}
        title={
          <Space wrap size="large">
            {name && <b>{name}</b>}
            <span>
              {t('identifiers.result.size')}: <b data-testid="upload-result-size">{size}</b>
            </span>
            {changes.map((c) => (
              <span key={c.label}>
                {c.label}: <b>{c.count}</b>
              </span>
            ))}
            <span>
              {t('identifiers.result.unknown')}: <b data-testid="upload-result-unknown">{unknown}</b>
            </span>
          </Space>
        }
      />
    </div>
  )
}

/** The progress of a list going in several requests, or where it stopped. */
export function ChunkedSendStatus({ progress, stopped }: Pick<ReturnType<typeof useChunkedSend>, 'progress' | 'stopped'>) {
  const { t } = useI18n()
  if (progress !== null) return <Progress percent={progress} data-testid="upload-progress" />
  if (stopped) return <Alert type="warning" showIcon title={t('identifiers.stopped', { sent: stopped.sent, total: stopped.total })} />
  return null
}
