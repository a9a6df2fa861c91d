/** Profiles' public face: what other modules may call. */
export { maskTraits, maskValue } from './pii-mask.js'
