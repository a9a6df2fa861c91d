import { routes } from '@reachloop/domain'
import { App } from 'antd'
import { useState } from 'react'
import { useI18n } from '../../i18n/i18n.js'
import { api, ApiError } from '../../shared/api.js'
import { useAction } from '../../shared/use-action.js'
import { timeoutSeconds, useElapsedSeconds } from '../../shared/use-elapsed-seconds.js'
import { useErrorMessage } from '../../shared/use-error-message.js'

/**
 * "Compute now" of a segment, which runs while the request does: how long it has run, cancelling it
 * (the server stops it in the database and rolls it back), and how it ended when it did not succeed.
 */
export function useSegmentCompute(segmentId: string, onComputed: () => Promise<void>) {
  const { t } = useI18n()
  const { message } = App.useApp()
  const showError = useErrorMessage()
  const cancelling = useAction()
  const [computing, setComputing] = useState<number | null>(null)
  const computingFor = useElapsedSeconds(computing)
  const [outcome, setOutcome] = useState<{ type: 'info' | 'error'; text: string } | null>(null)
  const compute = async () => {
    setComputing(Date.now())
    setOutcome(null)
    try {
      const done = await api.call(routes.computeSegment, { params: { id: segmentId } })
      void message.success(t('segments.computed', { entered: done.entered, exited: done.exited, ms: done.tookMs }))
      await onComputed()
    } catch (error) {
      if (error instanceof ApiError && error.code === 'COMPUTATION_CANCELLED')
        setOutcome({ type: 'info', text: t('segments.computeCancelled') })
      else if (error instanceof ApiError && error.code === 'COMPUTATION_TIMED_OUT')
        setOutcome({ type: 'error', text: t('segments.computeTimedOut', { seconds: timeoutSeconds(error.details) }) })
      else showError(error)
    } finally {
      setComputing(null)
    }
  }
  const cancel = () =>
    cancelling.run(async () => {
      const { cancelled } = await api.call(routes.cancelSegmentComputation, { params: { id: segmentId } })
      if (!cancelled) void message.info(t('segments.computeNothingToCancel'))
    })
  return {
    running: computing !== null,
    computingFor,
    compute,
    cancel,
    cancelling: cancelling.busy,
    outcome,
    clearOutcome: () => setOutcome(null),
  }
}
