import type { Import } from '@reachloop/domain'
import { Button, Flex, Progress } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { percentOf } from './import-progress.js'

/** The wizard's last step: how far the import has read, and what it accepted, skipped and refused. */
export function ImportRunStep({ upload, onClose }: { upload: Import; onClose: () => void }) {
  const { t } = useI18n()
  return (
    <Flex vertical align="center" gap={16}>
      <Progress
        type="circle"
        percent={percentOf(upload)}
        status={upload.status === 'failed' ? 'exception' : undefined}
        data-testid="import-progress"
      />
      <span data-testid="import-outcome">{`${upload.processedRows} ${t('imports.rows')} · ${t('imports.accepted')} ${upload.accepted} · ${t('imports.duplicates')} ${upload.duplicates} · ${t('imports.rejected')} ${upload.rejected}`}</span>
      <Button onClick={onClose}>{t('common.confirm')}</Button>
    </Flex>
  )
}
