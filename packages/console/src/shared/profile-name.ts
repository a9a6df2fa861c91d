import type { Profile } from '@reachloop/domain'

/** A customer's display name: the name trait, else their strongest identifier. */
export function displayName(profile: Pick<Profile, 'traits' | 'identifiers'>, anonymous: string): string {
  if (typeof profile.traits.name === 'string' && profile.traits.name) return profile.traits.name
  const preferred = ['user_id', 'phone', 'email'].map((type) => profile.identifiers.find((i) => i.type === type)).find(Boolean)
  return preferred?.value ?? anonymous
}
