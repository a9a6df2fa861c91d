import { mjmlToHtml } from './providers/email/email-rendering.js'

/** MJML compiled to the HTML an email carries (compile errors do not stop the send: MJML renders what it can). */
export async function compileMjml(source: string): Promise<string> {
  return (await mjmlToHtml(source)).html
}
