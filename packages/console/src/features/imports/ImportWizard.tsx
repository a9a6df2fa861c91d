import { UploadOutlined } from '@ant-design/icons'
import { routes, type Import } from '@reachloop/domain'
import { Form, Modal, Steps, Upload } from 'antd'
import { useEffect, useState } from 'react'
import { api } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { useLoad } from '../../shared/use-load.js'
import { useI18n } from '../../i18n/i18n.js'
import { mappingOf, uploadFile, type MappingForm } from './import-mapping.js'
import { ImportRunStep } from './ImportRunStep.js'
import { MappingStep } from './MappingStep.js'

/** While the import runs, looks at it every second until it is done or failed. */
function useRunningImport(step: number, upload: Import | undefined, setUpload: (upload: Import) => void) {
  useEffect(() => {
    if (step !== 2 || !upload || upload.status === 'done' || upload.status === 'failed') return
    const timer = setInterval(() => void api.call(routes.getImport, { params: { id: upload.id } }).then(setUpload, () => undefined), 1000)
    return () => clearInterval(timer)
  }, [step, upload, setUpload])
}

/** Upload → map columns → watch the import run. */
export function ImportWizard({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n()
  const { busy, run } = useAction()
  const [step, setStep] = useState(0)
  const [upload, setUpload] = useState<Import>()
  // The sources are read again each time the wizard opens.
  const { data: sources = [] } = useLoad(async () => (open ? (await api.call(routes.listSources, {})).items : []), [open])
  const [form] = Form.useForm<MappingForm>()
  useRunningImport(step, upload, setUpload)

  const close = () => {
    setStep(0)
    setUpload(undefined)
    form.resetFields()
    onClose()
  }
  const start = async () => {
    const v = await form.validateFields()
    const started = await run(() =>
      api.call(routes.startImport, {
        params: { id: upload?.id ?? '' },
        body: { kind: v.kind, sourceId: v.sourceId, mapping: mappingOf(v) },
      }),
    )
    if (started) {
      setUpload(started)
      setStep(2)
    }
  }

  return (
    <Modal title={t('imports.new')} open={open} onCancel={close} width={880} footer={null} destroyOnHidden>
      <Steps
        current={step}
        items={[{ title: t('imports.step.upload') }, { title: t('imports.step.map') }, { title: t('imports.step.run') }]}
        style={{ marginBottom: 24 }}
      />
      {step === 0 && (
        <Upload.Dragger
          accept=".csv,.jsonl,.ndjson"
          showUploadList={false}
          customRequest={({ file }) =>
            void run(async () => {
              setUpload(await uploadFile(file as File))
              setStep(1)
            })
          }
          data-testid="import-upload"
        >
          <p>
            <UploadOutlined style={{ fontSize: 32 }} />
          </p>
          <p>{t('imports.upload')}</p>
        </Upload.Dragger>
      )}
      {step === 1 && upload && <MappingStep upload={upload} sources={sources} form={form} busy={busy} onStart={() => void start()} />}
      {step === 2 && upload && <ImportRunStep upload={upload} onClose={close} />}
    </Modal>
  )
}
