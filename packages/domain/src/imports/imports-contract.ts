import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { IMPORT_FORMATS, IMPORT_KINDS, ImportMapping } from './import-mapping.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'

export const IMPORT_STATUSES = ['uploaded', 'queued', 'running', 'done', 'failed'] as const

/** An import: its file, mapping, and progress. */
export const Import = Type.Object({
  id: Type.String(),
  kind: Type.Union([stringEnum(IMPORT_KINDS), Type.Null()]),
  format: stringEnum(IMPORT_FORMATS),
  fileName: Type.String(),
  fileBytes: Type.Integer(),
  columns: Type.Array(Type.String()),
  preview: Type.Array(Type.Unknown()),
  mapping: Type.Union([ImportMapping, Type.Null()]),
  sourceId: Type.Union([Type.String(), Type.Null()]),
  status: stringEnum(IMPORT_STATUSES),
  processedRows: Type.Integer(),
  processedBytes: Type.Integer(),
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  finishedAt: Type.Union([Timestamp, Type.Null()]),
})
export type Import = Static<typeof Import>

export const StartImport = Type.Object(
  { kind: stringEnum(IMPORT_KINDS), sourceId: Type.String({ format: 'uuid' }), mapping: ImportMapping },
  { additionalProperties: false },
)
export type StartImport = Static<typeof StartImport>

/** The content types an import's file may be sent as (the server streams each to disk as it is). */
export const IMPORT_UPLOAD_CONTENT_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/octet-stream',
  'text/plain',
] as const

export const importRoutes = {
  uploadImport: route({
    method: 'POST',
    path: '/api/v1/imports',
    tag: 'imports',
    summary: 'Upload a CSV or JSONL file (the raw file as the body: text/csv or application/x-ndjson); returns its columns and a preview',
    access: { kind: 'workspace', permission: 'profiles.write' },
    query: Type.Object({ format: stringEnum(IMPORT_FORMATS), fileName: Type.Optional(Type.String({ maxLength: 255 })) }),
    upload: { contentTypes: IMPORT_UPLOAD_CONTENT_TYPES },
    response: Import,
    status: 201,
  }),
  startImport: route({
    method: 'POST',
    path: '/api/v1/imports/:id/start',
    tag: 'imports',
    summary: 'Map the columns and start the import (runs as a job)',
    access: { kind: 'workspace', permission: 'profiles.write' },
    params: IdParams,
    body: StartImport,
    response: Import,
  }),
  listImports: route({
    method: 'GET',
    path: '/api/v1/imports',
    tag: 'imports',
    summary: 'Imports, newest first',
    access: { kind: 'workspace', permission: 'profiles.read' },
    response: Type.Object({ items: Type.Array(Import) }),
  }),
  getImport: route({
    method: 'GET',
    path: '/api/v1/imports/:id',
    tag: 'imports',
    summary: 'An import and its progress',
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: IdParams,
    response: Import,
  }),
  getImportErrors: route({
    method: 'GET',
    path: '/api/v1/imports/:id/errors',
    tag: 'imports',
    summary: 'The rows an import refused, with reasons, as CSV',
    download: { contentType: 'text/csv' },
    access: { kind: 'workspace', permission: 'profiles.read' },
    params: IdParams,
    response: Type.String(),
  }),
} as const
