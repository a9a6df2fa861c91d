/** Segments' public face: creating one through the service (the demo does); the engine reaches segments through their kind. */
export { createSegment } from './segments-service.js'
export { segmentRecord, type SegmentRecord } from './segments-repository.js'
