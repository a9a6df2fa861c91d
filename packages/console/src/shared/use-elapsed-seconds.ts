import { useEffect, useState } from 'react'

/** Whole seconds since `since` (a `Date.now()` value), ticking each second; 0 while `since` is null. */
export function useElapsedSeconds(since: number | null): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (since === null) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [since])
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000))
}

/** The seconds of a timeout error's `details.timeoutMs`, as the message shows them ("0.5", "30"). */
export function timeoutSeconds(details: unknown): string {
  const ms = (details as { timeoutMs?: unknown } | undefined)?.timeoutMs
  return typeof ms === 'number' ? String(ms / 1000) : '?'
}
