/** Tags' public face: creating groups and tags through the service (the demo does); the engine reaches tags through their kind. */
export { createTag, createTagGroup } from './tags-service.js'
