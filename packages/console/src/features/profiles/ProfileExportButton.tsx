import { DownloadOutlined } from '@ant-design/icons'
import { routes, type ProfileExportPart, type ProfileListFilter } from '@reachloop/domain'
import { Button, Flex, Progress, Typography } from 'antd'
import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { saveFile } from '../../shared/save-file.js'
import { useErrorMessage } from '../../shared/use-error-message.js'

const PART = 2000

type Run = { state: 'idle' } | { state: 'running'; done: number } | { state: 'ready'; done: number; blob: Blob }

/**
 * Exports the filtered list as CSV, part after part, with its progress against the list's total;
 * when done the file is saved and stays ready to download again. Leaving the page or Stop ends it.
 */
export function ProfileExportButton({ filter, total }: { filter: ProfileListFilter; total: number | undefined }) {
  const { t } = useI18n()
  const showError = useErrorMessage()
  const [run, setRun] = useState<Run>({ state: 'idle' })
  const current = useRef<AbortController | null>(null)
  const key = JSON.stringify(filter)
  // Another filter is another list: an export of the previous one is stopped and forgotten.
  useEffect(() => {
    setRun({ state: 'idle' })
    return () => current.current?.abort()
  }, [key])
  const fileName = `customers-${new Date().toISOString().slice(0, 10)}.csv`

  const start = async () => {
    const controller = new AbortController()
    current.current = controller
    setRun({ state: 'running', done: 0 })
    // A byte-order mark lets spreadsheet programs read Chinese names as UTF-8.
    const parts: string[] = ['\ufeff']
    let done = 0
    let cursor: string | null = null
    try {
      do {
        const part: ProfileExportPart = await api.call(
          routes.exportProfiles,
          { query: { ...filter, limit: PART, ...(cursor ? { cursor } : {}) } },
          { signal: controller.signal },
        )
        parts.push(part.csv)
        done += part.rows
        cursor = part.nextCursor
        if (!controller.signal.aborted) setRun({ state: 'running', done })
      } while (cursor && !controller.signal.aborted)
      if (controller.signal.aborted) return
      const blob = new Blob(parts, { type: 'text/csv;charset=utf-8' })
      setRun({ state: 'ready', done, blob })
      saveFile(blob, fileName)
    } catch (error) {
      if (!controller.signal.aborted) {
        showError(error)
        setRun({ state: 'idle' })
      }
    }
  }
  const stop = () => {
    current.current?.abort()
    setRun({ state: 'idle' })
  }

  if (run.state === 'running') {
    const of = Math.max(total ?? run.done, run.done)
    return (
      <Flex align="center" gap={8} wrap data-testid="profiles-export-progress">
        <Progress type="circle" size={28} percent={of === 0 ? 0 : Math.floor((run.done / of) * 100)} />
        <Typography.Text>{t('profileList.exporting', { done: run.done, total: of })}</Typography.Text>
        <Button size="small" onClick={stop}>
          {t('profileList.cancel')}
        </Button>
      </Flex>
    )
  }
  return (
    <Flex align="center" gap={8} wrap>
      {run.state === 'ready' && (
        <>
          <Typography.Text type="success" data-testid="profiles-export-done">
            {t('profileList.exported', { count: run.done })}
          </Typography.Text>
          <Button icon={<DownloadOutlined />} onClick={() => saveFile(run.blob, fileName)} data-testid="profiles-export-download">
            {t('profileList.download')}
          </Button>
        </>
      )}
      {run.state === 'idle' && (
        <Button icon={<DownloadOutlined />} onClick={() => void start()} data-testid="profiles-export">
          {t('profileList.export')}
        </Button>
      )}
    </Flex>
  )
}
