import type { BodyOf, ErrorBody, ErrorCode, ParamsOf, QueryOf, ResponseOf, RouteContract } from '@reachloop/domain'

/** An error response of the API, with its catalogue code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'NETWORK_ERROR',
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** What a call sends: path parameters, query and body, each only when the contract has them. */
export type CallInput<C> = (ParamsOf<C> extends undefined ? { params?: undefined } : { params: ParamsOf<C> }) &
  (QueryOf<C> extends undefined ? { query?: undefined } : { query?: QueryOf<C> }) &
  (BodyOf<C> extends undefined ? { body?: undefined } : { body: BodyOf<C> })

export interface ClientOptions {
  /** Origin of the server; empty for the same origin (the console). */
  baseUrl?: string
  /** Extra headers per request, e.g. the current workspace or a bearer token. */
  headers?: () => Record<string, string>
  fetch?: typeof fetch
}

/** Fills `:name` segments of a path. */
export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/:([A-Za-z_]+)/g, (_, name: string) => encodeURIComponent(String(params?.[name] ?? '')))
}

/**
 * A client of the admin API whose calls are checked against the route contracts.
 *
 * @example
 * const api = new ApiClient({ headers: () => ({ 'x-workspace-id': id }) })
 * const { items } = await api.call(routes.listUsers, {})
 */
export class ApiClient {
  constructor(private readonly options: ClientOptions = {}) {}

  /**
   * Calls a route. Aborting `options.signal` abandons the call (the server sees its client leave)
   * and rejects with the signal's reason, not an `ApiError`.
   */
  async call<C extends RouteContract>(contract: C, input: CallInput<C>, options: { signal?: AbortSignal } = {}): Promise<ResponseOf<C>> {
    const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown }
    let url = (this.options.baseUrl ?? '') + buildPath(contract.path, params)
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(key, String(value))
    if ([...search].length > 0) url += `?${search.toString()}`
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers?.() }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const doFetch = this.options.fetch ?? fetch
    let response: Response
    try {
      response = await doFetch(url, {
        method: contract.method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(options.signal ? { signal: options.signal } : {}),
      })
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error))
    }
    const text = await response.text().catch((error: unknown) => {
      if (options.signal?.aborted) throw options.signal.reason
      throw error
    })
    const json: unknown = text === '' ? {} : JSON.parse(text)
    if (!response.ok) {
      const err = (json as Partial<ErrorBody>).error
      throw new ApiError(response.status, err?.code ?? 'INTERNAL_ERROR', err?.message ?? response.statusText, err?.details)
    }
    return json as ResponseOf<C>
  }
}
