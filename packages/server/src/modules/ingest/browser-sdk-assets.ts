import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** A file served to browsers: its bytes, gzipped once, and the ETag to revalidate it with. */
export interface BrowserAsset {
  body: Buffer
  gzip: Buffer
  etag: string
  contentType: string
}

// The package's prebuilt webpack build: `standalone.js` is what Segment's CDN serves as
// analytics.min.js (it reads the snippet's `window.analytics` queue); the rest are its lazy chunks.
const UMD_DIR = dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/dist/umd/standalone.js'))

/** Chunk file names as webpack writes them (`<name>.bundle.<contenthash>.js`, and their source maps). */
const CHUNK_NAME = /^[A-Za-z0-9_-]+\.bundle\.[0-9a-f]{8,}\.js(\.map)?$/

/**
 * Runs before the bundle. The SDK finds its CDN (for the settings and its chunks) in
 * `window.analytics._cdn`, else in a script tag, but only an `https://` one, else it falls back to
 * cdn.segment.com. So the origin this script was loaded from is set as `_cdn` unless the snippet set
 * one, and kept for the metrics host below: a page on plain HTTP, or a snippet that only changed the
 * host, still talks to this server alone.
 */
const BOOTSTRAP =
  '/* Reachloop: served from this server; settings, chunks and metrics come from where this script came from. */\n' +
  '(function(){try{var s=document.currentScript;if(!s||!s.src)return;var b=s.src.split("/analytics.js/v1/")[0];' +
  'var k=s.getAttribute("data-global-segment-analytics-key")||"analytics";var a=window[k]=window[k]||[];' +
  'if(!a._cdn)a._cdn=b;window.__reachloopApiHost=b.replace(/^https?:\\/\\//,"")+"/v1"}catch(e){}})();\n'

// The SDK's default host for its own error metrics (sent when loading fails, before settings could
// turn metrics off). Pointed at this server, so a page never tells Segment about its write key.
const SEGMENT_API_HOST = '"api.segment.io/v1"'
const OWN_API_HOST = '(window.__reachloopApiHost||"")'

const asset = (body: Buffer, contentType: string): BrowserAsset => ({
  body,
  gzip: gzipSync(body, { level: 9 }),
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  contentType,
})

/** The standalone bundle as this server serves it: the bootstrap, then the package's file with its metrics host replaced. */
export function standaloneBundle(source: string = readFileSync(join(UMD_DIR, 'standalone.js'), 'utf8')): string {
  const occurrences = source.split(SEGMENT_API_HOST).length - 1
  // A new version of the package that moved the constant must be looked at, not served half-patched.
  if (occurrences !== 1)
    throw new Error(`@segment/analytics-next standalone.js holds ${occurrences} copies of ${SEGMENT_API_HOST}; expected 1`)
  // The source map would be looked for beside analytics.min.js, and its lines no longer match.
  return BOOTSTRAP + source.replace(SEGMENT_API_HOST, OWN_API_HOST).replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
}

/**
 * The analytics-next files, read once on first use. Chunks are only the files the package ships
 * under names that match a webpack chunk, so no request can name any other file.
 */
export class BrowserSdkAssets {
  #bundle: BrowserAsset | undefined
  readonly #chunks = new Map<string, BrowserAsset>()
  readonly #chunkNames = new Set(readdirSync(UMD_DIR).filter((name) => CHUNK_NAME.test(name)))

  bundle(): BrowserAsset {
    this.#bundle ??= asset(Buffer.from(standaloneBundle()), 'text/javascript; charset=utf-8')
    return this.#bundle
  }

  /** A chunk by file name, or undefined for any name the package does not ship as a chunk. */
  chunk(name: string): BrowserAsset | undefined {
    if (!this.#chunkNames.has(name)) return undefined
    let found = this.#chunks.get(name)
    if (!found) {
      found = asset(
        readFileSync(join(UMD_DIR, name)),
        name.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
      )
      this.#chunks.set(name, found)
    }
    return found
  }

  /** The chunk file names, for tests and diagnostics. */
  chunkNames(): string[] {
    return [...this.#chunkNames]
  }
}
