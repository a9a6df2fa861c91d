import { routes } from '@reachloop/domain'
import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, fileNameOf } from './index.js'

/** A client whose fetch answers `response` and remembers what it was asked. */
function clientAnswering(response: Response) {
  const asked: Array<{ url: string; init: RequestInit }> = []
  const api = new ApiClient({
    headers: () => ({ 'x-workspace-id': 'w1' }),
    fetch: async (url, init) => {
      asked.push({ url: String(url), init: init ?? {} })
      return response
    },
  })
  return { api, asked }
}

const ID = '00000000-0000-4000-8000-000000000001'

describe('ApiClient', () => {
  it('downloads a file with the name the server gave it', async () => {
    const { api, asked } = clientAnswering(
      new Response('id\n1\n', {
        headers: { 'content-type': 'text/csv', 'content-disposition': `attachment; filename="segment-${ID}.csv"` },
      }),
    )
    const file = await api.download(routes.exportSegmentMembers, { params: { id: ID } })
    expect(await file.blob.text()).toBe('id\n1\n')
    expect(file.fileName).toBe(`segment-${ID}.csv`)
    expect(asked[0]?.url).toBe(`/api/v1/segments/${ID}/members.csv`)
    expect(asked[0]?.init.headers).toMatchObject({ accept: 'text/csv', 'x-workspace-id': 'w1' })
  })

  it('uploads a raw body with its content type and query', async () => {
    const { api, asked } = clientAnswering(new Response(JSON.stringify({ id: 'i1' }), { status: 201 }))
    const answer = await api.upload(routes.uploadImport, {
      query: { format: 'csv', fileName: 'a b.csv' },
      file: 'phone\n1\n',
      contentType: 'text/csv',
    })
    expect(answer).toEqual({ id: 'i1' })
    expect(asked[0]?.url).toBe('/api/v1/imports?format=csv&fileName=a+b.csv')
    expect(asked[0]?.init).toMatchObject({ method: 'POST', body: 'phone\n1\n', headers: { 'content-type': 'text/csv' } })
  })

  it("turns the server's error body into an ApiError, for files as for JSON", async () => {
    const body = JSON.stringify({ error: { code: 'INVALID_FILE', message: 'not a CSV', details: { line: 2 } } })
    const { api } = clientAnswering(new Response(body, { status: 400 }))
    const failure = await api.upload(routes.uploadImport, { query: { format: 'csv' }, file: 'x', contentType: 'text/csv' }).catch((e) => e)
    expect(failure).toBeInstanceOf(ApiError)
    expect(failure).toMatchObject({ status: 400, code: 'INVALID_FILE', message: 'not a CSV', details: { line: 2 } })
    const missing = clientAnswering(new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no segment' } }), { status: 404 }))
    await expect(missing.api.download(routes.exportSegmentMembers, { params: { id: ID } })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('refuses a route that takes no file, or a content type the route does not take', async () => {
    const { api } = clientAnswering(new Response('{}'))
    await expect(api.download(routes.listSegments, {})).rejects.toThrow('does not answer with a file')
    await expect(api.upload(routes.uploadImport, { query: { format: 'csv' }, file: 'x', contentType: 'image/png' })).rejects.toThrow(
      'does not take a image/png file',
    )
  })

  it('reads both forms of a content-disposition file name', () => {
    expect(fileNameOf(`attachment; filename*=UTF-8''%E5%90%8D%E5%8D%95.csv`)).toBe('名单.csv')
    expect(fileNameOf('attachment; filename="import-1-errors.csv"')).toBe('import-1-errors.csv')
    expect(fileNameOf(null)).toBeNull()
  })
})
