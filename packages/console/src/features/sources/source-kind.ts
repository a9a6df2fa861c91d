import type { MessageKey } from '../../i18n/i18n.js'

/** The message key of a source kind's name. */
export const kindLabel = (kind: string) => `kind.${kind}` as MessageKey
