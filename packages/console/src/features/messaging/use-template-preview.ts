import { routes, type TemplateContent, type TemplatePreview } from '@reachloop/domain'
import { useEffect, useState } from 'react'
import { api, ApiError } from '../../shared/api.js'

/** The preview of a draft: the last answer (kept while a newer one is asked), whether one is running, a failure's text. */
export interface PreviewState {
  preview: TemplatePreview | undefined
  running: boolean
  failure: string | undefined
}

/**
 * Renders the editor's unsaved draft for a profile, asked again a moment after each change; a newer
 * question (or leaving the page) abandons the one before, so an old answer never wins.
 */
export function useTemplatePreview(templateId: string, draft: TemplateContent, profileId: string | undefined): PreviewState {
  const [state, setState] = useState<PreviewState>({ preview: undefined, running: false, failure: undefined })
  useEffect(() => {
    const controller = new AbortController()
    const timer = setTimeout(() => {
      setState((s) => ({ ...s, running: true }))
      api
        .call(
          routes.previewTemplate,
          { params: { id: templateId }, body: { draft, ...(profileId ? { profileId } : {}) } },
          { signal: controller.signal },
        )
        .then(
          (preview) => setState({ preview, running: false, failure: undefined }),
          (error: unknown) => {
            if (controller.signal.aborted) return
            const failure = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)
            setState((s) => ({ ...s, running: false, failure }))
          },
        )
    }, 400)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [templateId, draft, profileId])
  return state
}
