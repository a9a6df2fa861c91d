/**
 * The Segment browser snippet (the official analytics.js 2.0 snippet, version 5.2.0, as
 * `@segment/snippet` renders it minified) for this server: the script comes from `origin` instead of
 * `https://cdn.segment.com`, and `analytics._cdn` tells the SDK to fetch its settings and chunks from
 * there too — the snippet's own way to name a self-hosted CDN, and needed on plain HTTP, where the
 * SDK would not recognise the script's address as its CDN. The settings then send events to this
 * server, so the page talks to no other host.
 *
 * @example
 * browserSnippet('wk_123', 'https://reach.example.com') // '<script>\n  !function(){…analytics.load("wk_123");…'
 */
export function browserSnippet(writeKey: string, origin: string): string {
  // Both go inside double-quoted JS strings in an HTML script: keep them from closing either.
  const key = jsString(writeKey)
  const cdn = jsString(origin.replace(/\/+$/, ''))
  return `<script>
  !function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src="${cdn}/analytics.js/v1/" + key + "/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey="${key}";analytics._cdn = "${cdn}";analytics.SNIPPET_VERSION="5.2.0";
  analytics.load("${key}");
  analytics.page();
  }}();
</script>`
}

const jsString = (text: string) => text.replace(/[\\"]/g, '\\$&').replace(/</g, '\\u003c')

/**
 * The same for a site that bundles `@segment/analytics-next` from npm: `cdnURL` makes the SDK fetch
 * its settings from this server (its chunks are in the site's own bundle).
 */
export function npmBrowserSnippet(writeKey: string, origin: string): string {
  return `import { AnalyticsBrowser } from '@segment/analytics-next'

export const analytics = AnalyticsBrowser.load({ writeKey: '${writeKey}', cdnURL: '${origin.replace(/\/+$/, '')}' })
analytics.page()
analytics.track('Product Viewed', { product_id: 'wash-premium' })`
}
