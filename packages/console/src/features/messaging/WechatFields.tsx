import { Checkbox, Form, Input, Select } from 'antd'
import { useI18n } from '../../i18n/i18n.js'
import { fieldStatus, type ContentProps } from './content-props.js'
import { FieldList } from './FieldList.js'

/** A WeChat official-account template message: its template id, data fields, a link or a mini-program page. */
export function WechatFields({ content, onChange, problems }: ContentProps<'wechat'>) {
  const { t } = useI18n()
  const set = (part: Partial<typeof content>) => onChange({ ...content, ...part })
  const { miniprogram, ...withoutMiniprogram } = content
  return (
    <>
      <Form.Item label={t('messaging.wechat.templateId')} required {...fieldStatus(problems, 'templateId')}>
        <Input value={content.templateId} onChange={(e) => set({ templateId: e.target.value })} data-testid="wechat-template-id" />
      </Form.Item>
      <Form.Item label={t('messaging.wechat.data')} extra={t('messaging.wechat.dataHint')} {...fieldStatus(problems, 'data')}>
        <FieldList fields={content.data} onChange={(data) => set({ data })} testId="wechat-data" keyPlaceholder="thing1" />
      </Form.Item>
      <Form.Item label={t('messaging.wechat.url')} {...fieldStatus(problems, 'url')}>
        <Input value={content.url ?? ''} onChange={(e) => set({ url: e.target.value })} data-testid="wechat-url" />
      </Form.Item>
      <Form.Item>
        <Checkbox
          checked={miniprogram !== undefined}
          onChange={(e) => onChange(e.target.checked ? { ...content, miniprogram: { appid: '', pagepath: '' } } : withoutMiniprogram)}
        >
          {t('messaging.wechat.openMiniprogram')}
        </Checkbox>
      </Form.Item>
      {miniprogram && (
        <>
          <Form.Item label={t('messaging.wechat.appid')}>
            <Input value={miniprogram.appid} onChange={(e) => set({ miniprogram: { ...miniprogram, appid: e.target.value } })} />
          </Form.Item>
          <Form.Item label={t('messaging.wechat.pagepath')} {...fieldStatus(problems, 'miniprogram')}>
            <Input value={miniprogram.pagepath} onChange={(e) => set({ miniprogram: { ...miniprogram, pagepath: e.target.value } })} />
          </Form.Item>
        </>
      )}
    </>
  )
}

/** A mini-program subscription message: its template id, data fields, the page it opens and the version. */
export function MiniprogramFields({ content, onChange, problems }: ContentProps<'miniprogram'>) {
  const { t } = useI18n()
  const set = (part: Partial<typeof content>) => onChange({ ...content, ...part })
  return (
    <>
      <Form.Item label={t('messaging.wechat.templateId')} required {...fieldStatus(problems, 'templateId')}>
        <Input value={content.templateId} onChange={(e) => set({ templateId: e.target.value })} data-testid="miniprogram-template-id" />
      </Form.Item>
      <Form.Item label={t('messaging.wechat.data')} extra={t('messaging.wechat.dataHint')} {...fieldStatus(problems, 'data')}>
        <FieldList fields={content.data} onChange={(data) => set({ data })} testId="miniprogram-data" keyPlaceholder="thing1" />
      </Form.Item>
      <Form.Item label={t('messaging.miniprogram.page')} {...fieldStatus(problems, 'page')}>
        <Input value={content.page ?? ''} onChange={(e) => set({ page: e.target.value })} placeholder="pages/index/index" />
      </Form.Item>
      <Form.Item label={t('messaging.miniprogram.state')}>
        <Select
          allowClear
          value={content.state}
          onChange={(state: typeof content.state) => set({ state })}
          options={(['formal', 'trial', 'developer'] as const).map((s) => ({ value: s, label: t(`messaging.miniprogram.state.${s}`) }))}
        />
      </Form.Item>
    </>
  )
}
