/** Profiles' public face: what other modules may call. */
export { maskTraits } from './pii-mask.js'
