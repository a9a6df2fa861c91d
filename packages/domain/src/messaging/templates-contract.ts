import { Type, type Static } from '@sinclair/typebox'
import { stringEnum } from '../contract/string-enum.js'
import { Id, Nullable } from './schema-helpers.js'
import { IdParams, route, Timestamp } from '../contract/route-contract.js'
import { CHANNELS, MESSAGE_CATEGORIES } from './channels.js'
import { TemplateContent } from './template-content.js'

export const MessageTemplate = Type.Object({
  id: Type.String(),
  name: Type.String(),
  channel: stringEnum(CHANNELS),
  category: stringEnum(MESSAGE_CATEGORIES),
  subscriptionGroupId: Nullable(Type.String()),
  providerAccountId: Nullable(Type.String()),
  fallbackTemplateId: Nullable(Type.String()),
  draft: TemplateContent,
  published: Nullable(TemplateContent),
  publishedAt: Nullable(Timestamp),
  /** The draft differs from what sends use. */
  unpublishedChanges: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type MessageTemplate = Static<typeof MessageTemplate>

export const NewMessageTemplate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    category: stringEnum(MESSAGE_CATEGORIES),
    subscriptionGroupId: Type.Optional(Nullable(Id)),
    providerAccountId: Type.Optional(Nullable(Id)),
    fallbackTemplateId: Type.Optional(Nullable(Id)),
    draft: TemplateContent,
  },
  { additionalProperties: false },
)
export type NewMessageTemplate = Static<typeof NewMessageTemplate>
export const MessageTemplateChange = Type.Partial(NewMessageTemplate, { additionalProperties: false })
export type MessageTemplateChange = Static<typeof MessageTemplateChange>

/** A variable the template uses that nothing will fill, and the field it is in. */
export const TemplateProblem = Type.Object({ field: Type.String(), variable: Type.Optional(Type.String()), message: Type.String() })
export type TemplateProblem = Static<typeof TemplateProblem>

export const PreviewRequest = Type.Object(
  {
    profileId: Type.Optional(Id),
    /** Content to preview instead of the saved draft (the editor's unsaved text). */
    draft: Type.Optional(TemplateContent),
    event: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
)

export const TemplatePreview = Type.Object({
  /** The rendered message, as the provider will get it. */
  rendered: Nullable(Type.Unknown()),
  /** Variables with no value for this profile (rendered empty). */
  missing: Type.Array(Type.String()),
  /** Problems that block publishing: syntax errors, and variables nothing can fill. */
  problems: Type.Array(TemplateProblem),
  /** SMS: the final text's length and how many parts it is billed as. */
  sms: Type.Optional(Type.Object({ text: Type.String(), characters: Type.Integer(), parts: Type.Integer(), perPart: Type.Integer() })),
})
export type TemplatePreview = Static<typeof TemplatePreview>

export const TestSendRequest = Type.Object(
  { to: Type.String({ minLength: 1, maxLength: 300 }), profileId: Type.Optional(Id) },
  { additionalProperties: false },
)

/** A send through the API (transactional messages, or marketing under the rules). */
export const SendRequest = Type.Object(
  {
    templateId: Id,
    profileId: Type.Optional(Id),
    /** Or an identifier of the profile, e.g. `{ type: 'phone', value: '+8613800000000' }`. */
    identifier: Type.Optional(
      Type.Object({ type: Type.String({ minLength: 1, maxLength: 64 }), value: Type.String({ minLength: 1, maxLength: 255 }) }),
    ),
    idempotencyKey: Type.String({ minLength: 1, maxLength: 200 }),
    event: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
)
export const SendOutcomeBody = Type.Object({ messageId: Type.String(), duplicate: Type.Boolean() })

const ws = (permission: 'messaging.read' | 'messaging.write' | 'profiles.read' | 'profiles.write') =>
  ({ kind: 'workspace', permission }) as const
const TAG = 'messaging'

export const templateRoutes = {
  listTemplates: route({
    method: 'GET',
    path: '/api/v1/messaging/templates',
    tag: TAG,
    summary: 'Message templates',
    access: ws('messaging.read'),
    response: Type.Object({ items: Type.Array(MessageTemplate) }),
  }),
  getTemplate: route({
    method: 'GET',
    path: '/api/v1/messaging/templates/:id',
    tag: TAG,
    summary: 'A message template',
    access: ws('messaging.read'),
    params: IdParams,
    response: MessageTemplate,
  }),
  createTemplate: route({
    method: 'POST',
    path: '/api/v1/messaging/templates',
    tag: TAG,
    summary: 'Create a template (a draft until published)',
    access: ws('messaging.write'),
    body: NewMessageTemplate,
    response: MessageTemplate,
    status: 201,
  }),
  updateTemplate: route({
    method: 'PATCH',
    path: '/api/v1/messaging/templates/:id',
    tag: TAG,
    summary: 'Change a template’s draft or settings',
    access: ws('messaging.write'),
    params: IdParams,
    body: MessageTemplateChange,
    response: MessageTemplate,
  }),
  deleteTemplate: route({
    method: 'DELETE',
    path: '/api/v1/messaging/templates/:id',
    tag: TAG,
    summary: 'Delete a template no broadcast uses',
    access: ws('messaging.write'),
    params: IdParams,
    response: Type.Object({}),
  }),
  previewTemplate: route({
    method: 'POST',
    path: '/api/v1/messaging/templates/:id/preview',
    tag: TAG,
    summary: 'Render a template for a profile, with its missing variables and problems',
    access: ws('messaging.read'),
    params: IdParams,
    body: PreviewRequest,
    response: TemplatePreview,
  }),
  publishTemplate: route({
    method: 'POST',
    path: '/api/v1/messaging/templates/:id/publish',
    tag: TAG,
    summary: 'Publish the draft (refused with TEMPLATE_INVALID, listing each problem, when a variable cannot be filled)',
    access: ws('messaging.write'),
    params: IdParams,
    response: MessageTemplate,
  }),
  testSendTemplate: route({
    method: 'POST',
    path: '/api/v1/messaging/templates/:id/test-send',
    tag: TAG,
    summary: 'Send the draft to a chosen address (rendered for a profile when given)',
    access: ws('messaging.write'),
    params: IdParams,
    body: TestSendRequest,
    response: SendOutcomeBody,
    status: 201,
  }),
  sendMessage: route({
    method: 'POST',
    path: '/api/v1/messaging/send',
    tag: TAG,
    summary: 'Send a published template to a profile (idempotent on the key)',
    access: ws('messaging.write'),
    body: SendRequest,
    response: SendOutcomeBody,
    status: 201,
  }),
}
