import { DEFAULT_SUBSCRIPTION_GROUPS, routes, type ComputedDefinition, type Segment, type SubscriptionPolicy } from '@reachloop/domain'
import { api } from '../../shared/api.js'

/** Choices the builder offers from the workspace: segments, tags, identifier types, sources, computed properties, subscription groups. */
export interface BuilderOptions {
  segments: Array<{ id: string; name: string }>
  tags: Array<{ id: string; name: string }>
  identifierTypes: string[]
  sources: Array<{ id: string; name: string }>
  computedProperties: Array<{ id: string; name: string; definition: ComputedDefinition }>
  subscriptionGroups: Array<{ key: string; name: string; policy: SubscriptionPolicy }>
}

/** The groups every workspace starts with: what the builder offers when the workspace's cannot be read (no messaging.read). */
export const DEFAULT_GROUP_OPTIONS: BuilderOptions['subscriptionGroups'] = DEFAULT_SUBSCRIPTION_GROUPS.map((g) => ({
  key: g.key,
  name: g.name,
  policy: g.policy,
}))

/** What the builder offers to choose from (segments, tags, identifier types, sources, computed properties, subscription groups), with the segments as listed. */
export async function loadBuilderOptions(): Promise<{ options: BuilderOptions; segments: Segment[] }> {
  const [segments, types, sources, tags, computed, groups] = await Promise.all([
    api.call(routes.listSegments, {}),
    api.call(routes.listIdentifierTypes, {}),
    api.call(routes.listSources, {}),
    api.call(routes.listTags, {}),
    api.call(routes.listComputedProperties, {}),
    // Consent is messaging's: someone who may edit segments but not read messaging still gets the default groups.
    api.call(routes.listSubscriptionGroups, {}).catch(() => ({ items: DEFAULT_GROUP_OPTIONS })),
  ])
  return {
    segments: segments.items,
    options: {
      segments: segments.items.map((s) => ({ id: s.id, name: s.name })),
      tags: tags.items.map((tag) => ({ id: tag.id, name: tag.name })),
      identifierTypes: types.items.map((i) => i.type),
      sources: sources.items.map((s) => ({ id: s.id, name: s.name })),
      computedProperties: computed.items.map((p) => ({ id: p.id, name: p.name, definition: p.definition })),
      subscriptionGroups: groups.items.map((g) => ({ key: g.key, name: g.name, policy: g.policy })),
    },
  }
}
