import { App } from 'antd'
import { useCallback } from 'react'
import { ApiError } from './api.js'
import { useI18n } from '../i18n/i18n.js'

/** Shows an API error as a message: a translation of its code where there is one, else the server's words. */
export function useErrorMessage(): (error: unknown) => void {
  const { message } = App.useApp()
  const { t, tMaybe } = useI18n()
  return useCallback(
    (error: unknown) => {
      if (error instanceof ApiError) void message.error(tMaybe(`error.${error.code}`, error.message))
      else void message.error(t('error.generic'))
    },
    [message, t, tMaybe],
  )
}
