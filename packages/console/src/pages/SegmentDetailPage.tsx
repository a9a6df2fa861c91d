import { routes, type MemberProfile, type Segment } from '@reachloop/domain'
import { Alert, App, Button, Card, Col, Descriptions, Form, Radio, Row, Select, Space, Spin, Statistic, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router-dom'
import { api, ApiError, currentWorkspace } from '../api.js'
import { EChart } from '../components/EChart.js'
import { formatTime } from '../components/format.js'
import {
  ChunkedSendStatus,
  emptyIdentifierList,
  IdentifierCsvUpload,
  identifierValues,
  IdentifierUploadResult,
  useChunkedSend,
} from '../components/IdentifierCsvUpload.js'
import { useAction } from '../components/use-action.js'
import { timeoutSeconds, useElapsedSeconds } from '../components/use-elapsed-seconds.js'
import { useErrorMessage } from '../components/use-error-message.js'
import { useI18n } from '../i18n/i18n.js'
import { useSession } from '../session.js'
import { displayName } from './ProfilesPage.js'

type Sizes = { sizes: Array<{ at: string; size: number }>; changes: Array<{ day: string; entered: number; exited: number }> }

/** A segment: its size over time, entries and exits per day, its members, export and recompute. */
export function SegmentDetailPage() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const { t, language } = useI18n()
  const { can } = useSession()
  const { message } = App.useApp()
  const { busy, run } = useAction()
  const [segment, setSegment] = useState<Segment>()
  const [sizes, setSizes] = useState<Sizes>({ sizes: [], changes: [] })
  const [members, setMembers] = useState<MemberProfile[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  // No mode until the operator chooses one: replacing a list must be meant.
  const [upload, setUpload] = useState({ mode: null as 'append' | 'replace' | null, identifierType: 'phone' })
  const [list, setList] = useState(emptyIdentifierList)
  const listed = useMemo(() => identifierValues(list, upload.identifierType).values, [list, upload.identifierType])
  const [uploaded, setUploaded] = useState<{ size: number; entered: number; exited: number; unknown: number } | null>(null)
  const chunked = useChunkedSend()
  const showError = useErrorMessage()
  const [computing, setComputing] = useState<number | null>(null)
  const computingFor = useElapsedSeconds(computing)
  const [computeOutcome, setComputeOutcome] = useState<{ type: 'info' | 'error'; text: string } | null>(null)

  const load = useCallback(
    () =>
      run(async () => {
        const [s, z, m] = await Promise.all([
          api.call(routes.getSegment, { params: { id } }),
          api.call(routes.getSegmentSizes, { params: { id } }),
          api.call(routes.listSegmentMembers, { params: { id }, query: { limit: 50 } }),
        ])
        setSegment(s)
        setSizes(z)
        setMembers(m.items)
        setCursor(m.nextCursor)
      }),
    [id, run],
  )
  useEffect(() => void load(), [load])
  // A new segment is computed by a job: look again until it is done.
  useEffect(() => {
    if (!segment || segment.computedAt) return
    const timer = setTimeout(() => void load(), 1000)
    return () => clearTimeout(timer)
  }, [segment, load])

  const more = () =>
    run(async () => {
      if (!cursor) return
      const page = await api.call(routes.listSegmentMembers, { params: { id }, query: { limit: 50, cursor } })
      setMembers((previous) => [...previous, ...page.items])
      setCursor(page.nextCursor)
    })
  // "Compute now" runs while the request does: its progress shows, and an operator can cancel it
  // (the server stops it in the database and rolls it back).
  const compute = async () => {
    setComputing(Date.now())
    setComputeOutcome(null)
    try {
      const outcome = await api.call(routes.computeSegment, { params: { id } })
      void message.success(
        t('segments.computed')
          .replace('{entered}', String(outcome.entered))
          .replace('{exited}', String(outcome.exited))
          .replace('{ms}', String(outcome.tookMs)),
      )
      await load()
    } catch (error) {
      if (error instanceof ApiError && error.code === 'COMPUTATION_CANCELLED')
        setComputeOutcome({ type: 'info', text: t('segments.computeCancelled') })
      else if (error instanceof ApiError && error.code === 'COMPUTATION_TIMED_OUT')
        setComputeOutcome({ type: 'error', text: t('segments.computeTimedOut').replace('{seconds}', timeoutSeconds(error.details)) })
      else showError(error)
    } finally {
      setComputing(null)
    }
  }
  const cancelCompute = () =>
    run(async () => {
      const { cancelled } = await api.call(routes.cancelSegmentComputation, { params: { id } })
      if (!cancelled) void message.info(t('segments.computeNothingToCancel'))
    })
  const exportCsv = () =>
    run(async () => {
      const workspace = currentWorkspace.get()
      const response = await fetch(`/api/v1/segments/${id}/members.csv`, { headers: workspace ? { 'x-workspace-id': workspace } : {} })
      if (!response.ok) throw new Error(`${response.status}`)
      const link = document.createElement('a')
      link.href = URL.createObjectURL(await response.blob())
      link.download = `${segment?.name ?? id}.csv`
      link.click()
      URL.revokeObjectURL(link.href)
    })
  const putMembers = () =>
    run(async () => {
      const { mode, identifierType } = upload
      if (!mode) return
      // A list longer than one request goes in parts: the first replaces (in replace mode), the rest append.
      const outcomes = await chunked.send(listed, (values, index) =>
        api.call(routes.setStaticMembers, { params: { id }, body: { mode: index === 0 ? mode : 'append', identifierType, values } }),
      )
      const last = outcomes.at(-1)
      if (!last) return
      const sum = (key: 'entered' | 'exited' | 'unknown') => outcomes.reduce((n, o) => n + o[key], 0)
      setUploaded({ size: last.size, entered: sum('entered'), exited: sum('exited'), unknown: sum('unknown') })
      void message.success(
        t('segments.uploaded')
          .replace('{size}', String(last.size))
          .replace('{unknown}', String(sum('unknown'))),
      )
      setList(emptyIdentifierList)
      await load()
    })

  const chart = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('segments.size'), t('segments.entered'), t('segments.exited')] },
      grid: { left: 50, right: 50, top: 50, bottom: 30 },
      xAxis: { type: 'time' },
      yAxis: [
        { type: 'value', name: t('segments.size') },
        { type: 'value', name: t('segments.entered') },
      ],
      series: [
        {
          name: t('segments.size'),
          type: 'line',
          step: 'end',
          showSymbol: true,
          symbolSize: 8,
          data: sizes.sizes.map((s) => [s.at, s.size]),
        },
        {
          name: t('segments.entered'),
          type: 'bar',
          yAxisIndex: 1,
          data: sizes.changes.map((c) => [c.day, c.entered]),
          itemStyle: { color: '#0f766e' },
        },
        {
          name: t('segments.exited'),
          type: 'bar',
          yAxisIndex: 1,
          data: sizes.changes.map((c) => [c.day, -c.exited]),
          itemStyle: { color: '#dc2626' },
        },
      ],
    }),
    [sizes, t],
  )

  if (!segment) return <Card loading />
  const write = can('audiences.write')
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            {segment.name}
            <Tag>{t(`segments.kind.${segment.kind}`)}</Tag>
            {segment.changesWithTime && <Tag color="blue">{t('segments.changesWithTime')}</Tag>}
          </Space>
        }
        extra={
          <Space>
            {write && segment.kind === 'dynamic' && (
              <Button onClick={() => navigate(`/segments/${id}/edit`)} data-testid="edit-segment">
                {t('segments.edit')}
              </Button>
            )}
            {write && segment.kind === 'dynamic' && computing === null && (
              <Button disabled={busy} onClick={() => void compute()} data-testid="compute-segment">
                {t('segments.compute')}
              </Button>
            )}
            {computing !== null && (
              <Space data-testid="compute-running">
                <Spin size="small" />
                <Typography.Text type="secondary">
                  {t('segments.computeRunning').replace('{seconds}', String(computingFor))}
                </Typography.Text>
                <Button danger loading={busy} onClick={() => void cancelCompute()} data-testid="cancel-compute">
                  {t('segments.computeCancel')}
                </Button>
              </Space>
            )}
            <Button onClick={() => void exportCsv()} data-testid="export-segment">
              {t('segments.export')}
            </Button>
          </Space>
        }
      >
        {computeOutcome && (
          <Alert
            style={{ marginBottom: 16 }}
            type={computeOutcome.type}
            showIcon
            closable
            onClose={() => setComputeOutcome(null)}
            title={computeOutcome.text}
            data-testid="compute-outcome"
          />
        )}
        <Row gutter={24}>
          <Col span={6}>
            <Statistic
              title={t('segments.size')}
              value={segment.computedAt ? segment.size : t('segments.computing')}
              valueRender={(node) => <span data-testid="segment-size">{node}</span>}
            />
          </Col>
          <Col span={18}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'd', label: t('segments.description'), children: segment.description || '—' },
                {
                  key: 'c',
                  label: t('segments.computedAt'),
                  children: segment.computedAt ? formatTime(segment.computedAt, language) : '—',
                },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Card title={t('segments.trend')}>
        <EChart option={chart} height={240} testId="segment-trend" />
      </Card>
      {write && segment.kind === 'static' && (
        <Card title={t('segments.staticUpload')}>
          <Form layout="vertical">
            <Space wrap>
              <Form.Item label={t('segments.identifierType')}>
                <Select
                  style={{ width: 180 }}
                  value={upload.identifierType}
                  onChange={(identifierType: string) => setUpload({ ...upload, identifierType })}
                  options={['phone', 'email', 'user_id', 'wechat_openid', 'wechat_unionid'].map((v) => ({ value: v, label: v }))}
                  data-testid="static-type"
                />
              </Form.Item>
              <Form.Item label={t('segments.mode')} required>
                <Radio.Group
                  value={upload.mode}
                  onChange={(e) => setUpload({ ...upload, mode: e.target.value as 'append' | 'replace' })}
                  options={[
                    { value: 'append', label: t('segments.append') },
                    { value: 'replace', label: t('segments.replace') },
                  ]}
                  data-testid="static-mode"
                />
              </Form.Item>
            </Space>
            <Space orientation="vertical" style={{ width: '100%' }}>
              <IdentifierCsvUpload
                identifierType={upload.identifierType}
                value={list}
                onChange={(next) => {
                  setList(next)
                  setUploaded(null)
                  chunked.reset()
                }}
                pasteTestId="static-values"
              />
              <ChunkedSendStatus progress={chunked.progress} stopped={chunked.stopped} />
              {uploaded && (
                <IdentifierUploadResult
                  size={uploaded.size}
                  changes={[
                    { label: t('segments.entered'), count: uploaded.entered },
                    { label: t('segments.exited'), count: uploaded.exited },
                  ]}
                  unknown={uploaded.unknown}
                  onClose={() => setUploaded(null)}
                />
              )}
              <Button
                type="primary"
                loading={busy}
                disabled={!upload.mode || listed.length === 0}
                onClick={() => void putMembers()}
                data-testid="static-submit"
              >
                {t('common.save')}
              </Button>
            </Space>
          </Form>
        </Card>
      )}
      <Card title={t('segments.members')}>
        <Table<MemberProfile>
          rowKey="id"
          size="small"
          dataSource={members}
          pagination={false}
          data-testid="segment-members"
          columns={[
            {
              title: t('profiles.customer'),
              dataIndex: 'id',
              render: (memberId: string, p) => (
                <Link to={`/profiles/${memberId}`} data-testid="member-link">
                  {displayName({ traits: p.traits, identifiers: [] }, memberId.slice(0, 8))}
                </Link>
              ),
            },
            { title: t('segments.enteredAt'), dataIndex: 'enteredAt', render: (at?: string) => (at ? formatTime(at, language) : '—') },
          ]}
        />
        {cursor && (
          <Button style={{ marginTop: 12 }} onClick={() => void more()}>
            {t('common.loadMore')}
          </Button>
        )}
      </Card>
    </Space>
  )
}
