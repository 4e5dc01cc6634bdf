/** What a job handler of the core reads from its job: the payload, checked, and the business it belongs to. */
import type { Static, TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { PermanentJobError, type Job } from '../../jobs/job-handler.js';
import type { CoreContext } from '../context.js';
import { forBusiness, type TenantContext } from './tenant.js';

/** The payload as `schema` says; a payload that is not is no job a retry would mend. */
export function jobPayload<S extends TSchema>(schema: S, job: Job): Static<S> {
  if (!Value.Check(schema, job.payload)) throw new PermanentJobError(`job ${job.id} (${job.kind}) has an unreadable payload`);
  return job.payload;
}

export function jobTenant(ctx: CoreContext, job: Job): TenantContext {
  if (job.businessId === null) throw new PermanentJobError(`job ${job.id} (${job.kind}) belongs to no business`);
  return forBusiness(ctx, job.businessId);
}
