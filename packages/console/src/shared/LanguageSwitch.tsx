import { TranslationOutlined } from '@ant-design/icons'
import { Button } from 'antd'
import { useI18n } from '../i18n/i18n.js'

/** Switches between Chinese and English; the button names the other language. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n()
  return (
    <Button
      icon={<TranslationOutlined />}
      data-testid="language-switch"
      onClick={() => setLanguage(language === 'zh-CN' ? 'en-US' : 'zh-CN')}
    >
      {t('header.language')}
    </Button>
  )
}
