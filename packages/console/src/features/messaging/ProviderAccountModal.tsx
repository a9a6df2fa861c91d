import type { ProviderAccount, ProviderKind } from '@reachloop/domain'
import { Checkbox, Form, Input, InputNumber, Modal, Select, Space } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { channelIcon } from './channels.js'
import { ConfigFields } from './ConfigFields.js'
import { useProviderAccountForm, type ProviderKindInfo } from './use-provider-account-form.js'

/**
 * Creates an account (kind chosen first, its fields from the kind's schema) or edits one (kind
 * fixed; secrets left empty keep their values).
 */
export function ProviderAccountModal({
  open,
  kinds,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean
  kinds: readonly ProviderKindInfo[]
  editing: ProviderAccount | null
  onClose: () => void
  onSaved: () => Promise<void>
}) {
  const { t } = useI18n()
  const form = useProviderAccountForm({ open, kinds, editing, onClose, onSaved })
  const { info, values, set, problems } = form
  return (
    <Modal
      open={open}
      width={640}
      title={editing ? t('messaging.providers.edit', { name: editing.name }) : t('messaging.providers.new')}
      onOk={() => void form.save()}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        loading: form.busy,
        disabled: !info || !values.name.trim(),
        ...({ 'data-testid': 'provider-save' } as Record<string, string>),
      }}
      destroyOnHidden
    >
      <Form layout="vertical">
        <Form.Item label={t('messaging.providers.kind')} required>
          <KindSelect kinds={kinds} value={values.kind} disabled={editing !== null} onChange={form.pickKind} />
        </Form.Item>
        <Form.Item
          label={t('messaging.providers.name')}
          required
          validateStatus={problems.other.name ? 'error' : undefined}
          help={problems.other.name}
        >
          <Input value={values.name} onChange={(e) => set({ name: e.target.value })} data-testid="provider-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item label={t('messaging.providers.rate')} extra={t('messaging.providers.rateHint')}>
            <InputNumber min={1} max={100_000} value={values.rate} onChange={(rate) => set({ rate })} data-testid="provider-rate" />
          </Form.Item>
          <Form.Item label=" " colon={false}>
            <Checkbox checked={values.isDefault} onChange={(e) => set({ isDefault: e.target.checked })} data-testid="provider-default">
              {t('messaging.providers.isDefault')}
            </Checkbox>
          </Form.Item>
        </Space>
        {info && (
          <ConfigFields
            schema={info.configSchema}
            secretFields={info.secretFields}
            secretsSet={editing?.secretsSet ?? []}
            draft={values.config}
            onChange={(config) => set({ config })}
            problems={problems.config}
          />
        )}
      </Form>
    </Modal>
  )
}

/** The provider kinds, each with its channel's icon. */
function KindSelect({
  kinds,
  value,
  disabled,
  onChange,
}: {
  kinds: readonly ProviderKindInfo[]
  value: ProviderKind | undefined
  disabled: boolean
  onChange: (kind: ProviderKind) => void
}) {
  const { t } = useI18n()
  return (
    <Select
      value={value}
      disabled={disabled}
      onChange={onChange}
      showSearch={{ optionFilterProp: 'title' }}
      // Eleven kinds: all rendered, so any can be scrolled to.
      virtual={false}
      options={kinds.map((k) => ({
        value: k.kind,
        title: t(`messaging.kind.${k.kind}`),
        label: (
          <Space size={6}>
            {channelIcon(k.channel)}
            {t(`messaging.kind.${k.kind}`)}
          </Space>
        ),
      }))}
      data-testid="provider-kind"
    />
  )
}
