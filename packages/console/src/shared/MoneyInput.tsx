import { InputNumber } from 'antd'
import { useI18n } from '../i18n/i18n.js'
import { currencySymbol, majorOf, minorDigits, minorOf } from './money.js'
import { useMoney } from './money-context.js'

/** An amount typed as a person writes money (¥88.00) and kept in minor units (8800), as the API takes it. */
export function MoneyInput({ value, onChange, testId }: { value: number; onChange: (minor: number) => void; testId?: string }) {
  const { currency } = useMoney()
  const { language } = useI18n()
  return (
    <InputNumber
      prefix={currencySymbol(currency, language)}
      precision={minorDigits(currency)}
      value={majorOf(value, currency)}
      onChange={(v) => onChange(minorOf(v ?? 0, currency))}
      data-testid={testId}
    />
  )
}
