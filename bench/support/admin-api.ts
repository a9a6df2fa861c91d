import { httpRequest } from './http-request.js'

/** An admin API answer, or a request that gave up after its timeout. */
export type Answer<T> = { timedOut: false; status: number; body: T; seconds: number } | { timedOut: true; seconds: number }

/** A caller of the admin API (`/api/v1`) with a bearer token or a session cookie. */
export class AdminApi {
  constructor(
    readonly url: string,
    private readonly headers: Record<string, string>,
  ) {}

  static withToken(url: string, token: string): AdminApi {
    return new AdminApi(url, { authorization: `Bearer ${token}` })
  }

  /** Runs the first-run setup (first owner and workspace) and keeps its session. */
  static async setup(url: string, owner: { email: string; password: string; workspace: string }): Promise<AdminApi> {
    const res = await httpRequest(`${url}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...owner, name: 'Bench' }),
      timeoutMs: 60_000,
    })
    if (res.timedOut || res.status !== 201)
      throw new Error(`setup answered ${res.timedOut ? 'nothing in 60 s' : `${res.status}: ${res.text}`}`)
    const setCookie = res.headers['set-cookie'] ?? []
    return new AdminApi(url, { cookie: (Array.isArray(setCookie) ? setCookie : [setCookie]).map((c) => c.split(';')[0]).join('; ') })
  }

  /** One request; `timeoutMs` ends the wait (not the server's work). */
  async call<T>(method: string, path: string, body?: unknown, timeoutMs = 120_000): Promise<Answer<T>> {
    const answer = await httpRequest(`${this.url}${path}`, {
      method,
      headers: { ...this.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      timeoutMs,
    })
    if (answer.timedOut) return answer
    return { timedOut: false, status: answer.status, body: (answer.text ? JSON.parse(answer.text) : null) as T, seconds: answer.seconds }
  }

  /** A request that must succeed (2xx) within `timeoutMs`. */
  async must<T>(method: string, path: string, body?: unknown, timeoutMs = 300_000): Promise<T> {
    const answer = await this.call<T>(method, path, body, timeoutMs)
    if (answer.timedOut) throw new Error(`${method} ${path} did not answer within ${timeoutMs / 1000} s`)
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`)
    return answer.body
  }
}
