import type { Import } from '@reachloop/domain'

/** Percent of the file read. */
export const percentOf = (i: Import) => (i.fileBytes === 0 ? 100 : Math.min(100, Math.floor((i.processedBytes / i.fileBytes) * 100)))
