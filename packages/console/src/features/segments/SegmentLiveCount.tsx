import { routes, type SegmentNode, type SegmentPreview } from '@reachloop/domain'
import { Alert, Button, Card, Space, Spin, Statistic, Table, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import { api, ApiError } from '../../shared/api.js'
import { useI18n } from '../../i18n/i18n.js'
import { displayName } from '../../shared/profile-name.js'
import { timeoutSeconds, useElapsedSeconds } from '../../shared/use-elapsed-seconds.js'

/** Where the count of a definition is: being counted (since when), counted, cancelled, or stopped by a problem or the time limit. */
type PreviewState =
  | { status: 'idle' }
  | { status: 'running'; since: number }
  | { status: 'done'; tookMs: number }
  | { status: 'cancelled' }
  | { status: 'timed_out'; seconds: string }
  | { status: 'problem'; text: string }

const failed = (error: unknown): PreviewState => {
  if (error instanceof ApiError && error.code === 'PREVIEW_TIMED_OUT')
    return { status: 'timed_out', seconds: timeoutSeconds(error.details) }
  const problems =
    error instanceof ApiError ? (error.details as { problems?: Array<{ path: string; message: string }> } | undefined)?.problems : undefined
  return {
    status: 'problem',
    text: problems ? problems.map((p) => `${p.path}: ${p.message}`).join('; ') : String(error instanceof Error ? error.message : error),
  }
}

/**
 * The live count of a definition, asked again a moment after each change. Each question can be
 * abandoned: a newer one, Cancel and leaving the page abort the request, and the server stops
 * counting in the database when its client goes. The last count stays shown meanwhile.
 */
export function useSegmentPreview(definition: SegmentNode) {
  const [state, setState] = useState<PreviewState>({ status: 'idle' })
  const [preview, setPreview] = useState<SegmentPreview>()
  const [round, setRound] = useState(0)
  const asking = useRef<AbortController | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      asking.current = controller
      setState({ status: 'running', since: Date.now() })
      api.call(routes.previewSegment, { body: { definition } }, { signal: controller.signal }).then(
        (answer) => {
          setPreview(answer)
          setState({ status: 'done', tookMs: answer.tookMs })
        },
        // An aborted question was replaced or cancelled: whoever aborted it says what comes next.
        (error: unknown) => void (controller.signal.aborted || setState(failed(error))),
      )
    }, 500)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [definition, round])

  const cancel = useCallback(() => {
    asking.current?.abort()
    setState({ status: 'cancelled' })
  }, [])
  const again = useCallback(() => setRound((r) => r + 1), [])
  return { state, preview, cancel, again }
}

/** The card beside the builder: how many match now, a sample, and what the count is doing. */
export function SegmentLiveCount({ definition }: { definition: SegmentNode }) {
  const { t } = useI18n()
  const { state, preview, cancel, again } = useSegmentPreview(definition)
  const elapsed = useElapsedSeconds(state.status === 'running' ? state.since : null)
  return (
    <Card>
      <Statistic
        title={t('segments.liveCount')}
        value={preview?.count ?? '—'}
        suffix={t('segments.people')}
        valueRender={(node) => <span data-testid="live-count">{node}</span>}
      />
      {state.status === 'done' && <Typography.Text type="secondary">{state.tookMs} ms</Typography.Text>}
      {state.status === 'running' && (
        <Space wrap data-testid="preview-running">
          <Spin size="small" />
          <Typography.Text type="secondary">{t('segments.previewRunning', { seconds: elapsed })}</Typography.Text>
          <Button size="small" onClick={cancel} data-testid="cancel-preview">
            {t('segments.previewCancel')}
          </Button>
        </Space>
      )}
      {state.status === 'cancelled' && (
        <Space orientation="vertical" size={4} style={{ marginTop: 8 }}>
          <Typography.Text type="secondary" data-testid="preview-cancelled">
            {t('segments.previewCancelled')}
          </Typography.Text>
          <Button size="small" onClick={again} data-testid="preview-again">
            {t('segments.previewAgain')}
          </Button>
        </Space>
      )}
      {state.status === 'timed_out' && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          title={t('segments.previewTimedOutTitle')}
          description={
            <Space orientation="vertical" size={8}>
              <span data-testid="preview-timed-out">{t('segments.previewTimedOut', { seconds: state.seconds })}</span>
              <Button size="small" onClick={again} data-testid="preview-again">
                {t('segments.previewAgain')}
              </Button>
            </Space>
          }
        />
      )}
      {state.status === 'problem' && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={t('segments.problems')}
          description={state.text}
          data-testid="definition-problem"
        />
      )}
      {preview && preview.sample.length > 0 && (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          showHeader={false}
          style={{ marginTop: 12 }}
          title={() => t('segments.sample')}
          dataSource={preview.sample}
          columns={[{ dataIndex: 'id', render: (_: string, p) => displayName({ traits: p.traits, identifiers: [] }, p.id.slice(0, 8)) }]}
        />
      )}
    </Card>
  )
}
