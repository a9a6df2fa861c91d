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

/** A file the API sent: its content and the name the server gave it (from `content-disposition`), if any. */
export interface DownloadedFile {
  blob: Blob
  fileName: string | null
}

/** What an upload sends: the route's path parameters and query, and the file as it is with its content type. */
export type UploadInput<C> = CallInput<C> & { file: Blob | string; contentType: string }

/** The file name of a `content-disposition` header (`filename*=UTF-8''…` or `filename="…"`). */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  const encoded = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(disposition)?.[1]
  if (encoded) return decodeURIComponent(encoded.trim().replace(/^"|"$/g, ''))
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null
}

type Sent = { params?: Record<string, unknown>; query?: Record<string, unknown> }
type Body = { content: BodyInit; contentType: string } | undefined

/**
 * A client of the admin API whose calls are checked against the route contracts: JSON calls,
 * file downloads and raw uploads, all with the same errors (`ApiError` from the server's error body).
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
    const { body } = input as { body?: unknown }
    const sent = body === undefined ? undefined : { content: JSON.stringify(body), contentType: 'application/json' }
    const response = await this.send(contract, input as Sent, sent, options.signal)
    return (await this.json(response, options.signal)) as ResponseOf<C>
  }

  /**
   * Downloads the file a route answers with (a route whose contract has `download`).
   *
   * @example
   * const { blob, fileName } = await api.download(routes.exportSegmentMembers, { params: { id } })
   */
  async download<C extends RouteContract>(
    contract: C,
    input: CallInput<C>,
    options: { signal?: AbortSignal } = {},
  ): Promise<DownloadedFile> {
    if (!contract.download) throw new Error(`${contract.method} ${contract.path} does not answer with a file`)
    const response = await this.send(contract, input as Sent, undefined, options.signal, contract.download.contentType)
    if (!response.ok) await this.json(response, options.signal)
    return { blob: await response.blob(), fileName: fileNameOf(response.headers.get('content-disposition')) }
  }

  /**
   * Sends a file as the request body, as it is (a route whose contract has `upload`), and returns the JSON answer.
   *
   * @example
   * await api.upload(routes.uploadImport, { query: { format: 'csv', fileName: file.name }, file, contentType: 'text/csv' })
   */
  async upload<C extends RouteContract>(
    contract: C,
    input: UploadInput<C>,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResponseOf<C>> {
    if (!contract.upload?.contentTypes.includes(input.contentType))
      throw new Error(`${contract.method} ${contract.path} does not take a ${input.contentType} file`)
    const response = await this.send(contract, input as Sent, { content: input.file, contentType: input.contentType }, options.signal)
    return (await this.json(response, options.signal)) as ResponseOf<C>
  }

  private async send(
    contract: RouteContract,
    input: Sent,
    body: Body,
    signal?: AbortSignal,
    accept = 'application/json',
  ): Promise<Response> {
    let url = (this.options.baseUrl ?? '') + buildPath(contract.path, input.params)
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(input.query ?? {})) if (value !== undefined && value !== '') search.set(key, String(value))
    if ([...search].length > 0) url += `?${search.toString()}`
    const headers: Record<string, string> = { accept, ...this.options.headers?.() }
    if (body !== undefined) headers['content-type'] = body.contentType
    const doFetch = this.options.fetch ?? fetch
    try {
      return await doFetch(url, {
        method: contract.method,
        headers,
        credentials: 'same-origin',
        ...(body === undefined ? {} : { body: body.content }),
        ...(signal ? { signal } : {}),
      })
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw new ApiError(0, 'NETWORK_ERROR', error instanceof Error ? error.message : String(error))
    }
  }

  /** The JSON body of a success; the `ApiError` of anything else. */
  private async json(response: Response, signal?: AbortSignal): Promise<unknown> {
    const text = await response.text().catch((error: unknown) => {
      if (signal?.aborted) throw signal.reason
      throw error
    })
    if (!response.ok) {
      const err = (parseJson(text) as Partial<ErrorBody> | undefined)?.error
      throw new ApiError(response.status, err?.code ?? 'INTERNAL_ERROR', err?.message ?? response.statusText, err?.details)
    }
    return text === '' ? {} : JSON.parse(text)
  }
}

/** JSON text as a value; undefined when it is not JSON (a proxy's error page). */
function parseJson(text: string): unknown {
  if (text === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
