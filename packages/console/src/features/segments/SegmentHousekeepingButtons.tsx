import { routes, type AudienceDependents, type Segment } from '@reachloop/domain'
import { App, Button } from 'antd'
import { useState } from 'react'
import { useNavigate } from 'react-router-dom'
import { useI18n } from '../../i18n/i18n.js'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useConfirmedDelete } from '../../shared/use-confirmed-delete.js'
import { DependentsDialog, dependentsOf } from './DependentsDialog.js'

/** A copy's name: "<name>（副本）" or "<name> (copy)", numbered past those taken. */
export function copyName(name: string, taken: ReadonlySet<string>, language: string): string {
  for (let n = 1; ; n++) {
    const suffix = language === 'zh-CN' ? (n === 1 ? '（副本）' : `（副本 ${n}）`) : n === 1 ? ' (copy)' : ` (copy ${n})`
    const candidate = `${name.slice(0, 200 - suffix.length)}${suffix}`
    if (!taken.has(candidate)) return candidate
  }
}

/** Duplicate and Delete on a segment's page: a delete is confirmed first, and a refusal names what uses the segment. */
export function SegmentHousekeepingButtons({ segment }: { segment: Segment }) {
  const { t, language } = useI18n()
  const { message } = App.useApp()
  const navigate = useNavigate()
  const confirmDelete = useConfirmedDelete()
  const { busy, run } = useAction()
  const [usedBy, setUsedBy] = useState<AudienceDependents['usedBy'] | null>(null)
  const duplicate = () =>
    run(async () => {
      const taken = new Set((await api.call(routes.listSegments, {})).items.map((s) => s.name))
      const copy = await api.call(routes.duplicateSegment, {
        params: { id: segment.id },
        body: { name: copyName(segment.name, taken, language) },
      })
      void message.success(t('segments.duplicated', { name: copy.name }))
      navigate(`/segments/${copy.id}`)
    })
  const confirm = () =>
    confirmDelete({
      name: segment.name,
      title: t('segments.deleteConfirmTitle', { name: segment.name }),
      content: t('segments.deleteConfirmText', { size: segment.size }),
      remove: () => api.call(routes.deleteSegment, { params: { id: segment.id } }),
      onDeleted: () => navigate('/segments'),
      onRefused: (error) => {
        const dependents = dependentsOf(error)
        if (dependents) setUsedBy(dependents)
        return dependents !== null
      },
    })
  return (
    <>
      <Button loading={busy} onClick={() => void duplicate()} data-testid="duplicate-segment">
        {t('segments.duplicate')}
      </Button>
      <Button danger onClick={confirm} data-testid="delete-segment">
        {t('segments.delete')}
      </Button>
      <DependentsDialog name={segment.name} usedBy={usedBy} onClose={() => setUsedBy(null)} />
    </>
  )
}
