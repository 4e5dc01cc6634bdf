import type { CoreContext } from '../context.js';
import { findBusinessById } from './businesses.repository.js';

/** The country local phone numbers of this business are read in. */
export async function businessCountry(ctx: CoreContext & { readonly businessId: number }): Promise<string> {
  return (await findBusinessById(ctx.db, ctx.businessId))?.country ?? ctx.config.DEFAULT_COUNTRY;
}
