import { XMLParser, XMLValidator } from 'fast-xml-parser'

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, ignoreDeclaration: true })

/** A callback's XML (`<xml>…</xml>`) as an object of strings; null when it is not well-formed or has a DOCTYPE. */
export function readWechatXml(text: string): Record<string, unknown> | null {
  // WeChat never sends a DOCTYPE; refusing one keeps entity tricks out entirely.
  if (/<!DOCTYPE|<!ENTITY/i.test(text) || XMLValidator.validate(text) !== true) return null
  const root: unknown = (parser.parse(text) as Record<string, unknown>).xml
  return typeof root === 'object' && root !== null ? (root as Record<string, unknown>) : null
}

/** A text field of a parsed callback, or undefined. */
export function field(xml: Record<string, unknown>, name: string): string | undefined {
  const value = xml[name]
  return typeof value === 'string' ? value : undefined
}

/** A callback's CreateTime (seconds) as a date, or `fallback`. */
export function createdAt(xml: Record<string, unknown>, fallback: Date): Date {
  const seconds = Number(field(xml, 'CreateTime'))
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : fallback
}
