import { isConsentTrait } from '../messaging/consent-traits.js'

/** Traits and, per trait, when it was last set (epoch ms). */
export interface TraitState {
  traits: Record<string, unknown>
  times: Record<string, number>
}

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)

/**
 * Merges traits by rule: the latest non-empty value wins, except `createdAt`, which keeps the
 * earliest. Used both for new traits from an event and for folding one profile into another.
 * Consent traits (`sms_subscribe`…) are left out: consent lives in messaging's subscription
 * groups, which record them from the event log (one source of truth).
 *
 * @example
 * mergeTraits({ traits: { name: 'Li' }, times: { name: 1 } }, { traits: { name: 'Li Wei' }, times: { name: 2 } }).traits.name // 'Li Wei'
 */
export function mergeTraits(base: TraitState, incoming: TraitState): TraitState {
  const traits = { ...base.traits }
  const times = { ...base.times }
  for (const [key, value] of Object.entries(incoming.traits)) {
    if (isEmpty(value) || isConsentTrait(key)) continue
    const at = incoming.times[key] ?? 0
    const current = traits[key]
    if (key === 'createdAt') {
      if (isEmpty(current) || String(value) < String(current)) {
        traits[key] = value
        times[key] = at
      }
      continue
    }
    if (isEmpty(current) || at >= (times[key] ?? 0)) {
      traits[key] = value
      times[key] = at
    }
  }
  return { traits, times }
}

/** Trait state of one event's traits, all set at `at`. */
export function traitsAt(traits: Record<string, unknown>, at: number): TraitState {
  return { traits, times: Object.fromEntries(Object.keys(traits).map((k) => [k, at])) }
}
