import type { CoreContext } from '../../core/context.js';
import type { PublicIds } from '../../core/shared/public-ids.js';

/** What every surface plugin is given by `buildApp`. */
export interface SurfaceDeps {
  readonly ctx: CoreContext;
  readonly ids: PublicIds;
}
