import { routes, type ComputedDefinition, type Segment } from '@reachloop/domain'
import { api } from '../../shared/api.js'

/** Choices the builder offers from the workspace: segments, tags, identifier types, sources, computed properties. */
export interface BuilderOptions {
  segments: Array<{ id: string; name: string }>
  tags: Array<{ id: string; name: string }>
  identifierTypes: string[]
  sources: Array<{ id: string; name: string }>
  computedProperties: Array<{ id: string; name: string; definition: ComputedDefinition }>
}

/** What the builder offers to choose from (segments, tags, identifier types, sources, computed properties), with the segments as listed. */
export async function loadBuilderOptions(): Promise<{ options: BuilderOptions; segments: Segment[] }> {
  const [segments, types, sources, tags, computed] = await Promise.all([
    api.call(routes.listSegments, {}),
    api.call(routes.listIdentifierTypes, {}),
    api.call(routes.listSources, {}),
    api.call(routes.listTags, {}),
    api.call(routes.listComputedProperties, {}),
  ])
  return {
    segments: segments.items,
    options: {
      segments: segments.items.map((s) => ({ id: s.id, name: s.name })),
      tags: tags.items.map((tag) => ({ id: tag.id, name: tag.name })),
      identifierTypes: types.items.map((i) => i.type),
      sources: sources.items.map((s) => ({ id: s.id, name: s.name })),
      computedProperties: computed.items.map((p) => ({ id: p.id, name: p.name, definition: p.definition })),
    },
  }
}
