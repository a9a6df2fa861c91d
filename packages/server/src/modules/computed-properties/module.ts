import { handles, type ModuleManifest } from '../../platform/modules/module-manifest.js'
import { registerPropertyKind, settleComputation } from '../audiences/index.js'
import { computedPropertiesRoutes } from './computed-properties-routes.js'
import { computeComputedProperty, COMPUTE_PROPERTY_QUEUE } from './computed-properties-service.js'
import { eraseValues } from './computed-values-repository.js'
import { propertyKindOfModule } from './property-kind.js'

registerPropertyKind(propertyKindOfModule)

/** Computed properties: definitions, and each profile's value, kept current by the membership engine. */
export const computedPropertiesModule: ModuleManifest = {
  name: 'computed-properties',
  tables: ['computed_properties', 'computed_values'],
  routes: [computedPropertiesRoutes],
  queues: [
    handles(COMPUTE_PROPERTY_QUEUE, async (ctx, payload, job) =>
      settleComputation(
        ctx,
        job.id,
        await computeComputedProperty(ctx, job.workspaceId ?? '', payload.propertyId, 'job'),
        'COMPUTED_PROPERTY_NOT_FOUND',
      ),
    ),
  ],
  onProfileErased: (tx, erasure) => eraseValues(tx, erasure.workspaceId, erasure.profileIds),
}
