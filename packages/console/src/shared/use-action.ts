import { useCallback, useState } from 'react'
import { useErrorMessage } from './use-error-message.js'

/**
 * Runs API work with a busy flag and shows its error as a message, so pages only say what to do.
 *
 * @example
 * const { busy, run } = useAction()
 * <Button loading={busy} onClick={() => run(() => api.call(routes.revokeToken, { params: { id } }))} />
 */
export function useAction(): { busy: boolean; run: <T>(work: () => Promise<T>) => Promise<T | undefined> } {
  const showError = useErrorMessage()
  const [busy, setBusy] = useState(false)
  const run = useCallback(
    async <T>(work: () => Promise<T>): Promise<T | undefined> => {
      setBusy(true)
      try {
        return await work()
      } catch (error) {
        showError(error)
        return undefined
      } finally {
        setBusy(false)
      }
    },
    [showError],
  )
  return { busy, run }
}
