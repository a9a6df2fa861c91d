/** The example module's public face. */
export type { Note } from './notes-repository.js'
export { notesRoutesContract, NOTE_ADDED } from './notes-routes.js'
