import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A shop's web server on an origin of its own, serving one page. */
export interface ShopServer {
  origin: string
  close(): Promise<void>
}

/**
 * Serves `html` at `/` on `host` (a port of its own), as a customer's shop would: another origin
 * than the platform's, so the browser applies CORS and resource policies as it would in production.
 */
export async function startShop(host: 'localhost' | '127.0.0.1', html: string): Promise<ShopServer> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/' || request.url?.startsWith('/?'))
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    else response.writeHead(404).end()
  })
  // Listening on every address: Chromium may reach "localhost" over IPv6 or IPv4.
  await new Promise<void>((resolve) => server.listen(0, resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A shop page with the snippet in its head, as the install instructions say. */
export const shopPage = (snippet: string, title: string) => `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  ${snippet}
</head>
<body><h1>${title}</h1><p>Premium wash ¥88</p></body>
</html>`
