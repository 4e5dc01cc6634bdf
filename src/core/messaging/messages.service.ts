/** Reading messages: one by id, and the business's messages newest first. */
import { invalid, notFound } from '../shared/errors.js';
import type { KeyBounds } from '../shared/pagination.js';
import type { TenantContext } from '../shared/tenant.js';
import type { MessageState } from '../../store/tables.js';
import { findProfile } from '../audience/profiles.repository.js';
import { isTechnology } from './channels.model.js';
import { toMessage, type Message } from './messages.model.js';
import { findMessage, pageOfMessages } from './messages.repository.js';

export { sendMessage, type SendMessageInput } from './messages.send.js';

const STATES: readonly MessageState[] = ['pending', 'routed', 'delivered', 'failed', 'received'];

export async function getMessage(ctx: TenantContext, id: number): Promise<Message> {
  const row = await findMessage(ctx.tenant, id);
  if (!row) throw notFound('Message');
  return toMessage(row);
}

export interface MessageListFilter {
  /** Undefined with `profileGiven`: a profile that is not ours, which has no messages here. */
  readonly profileId?: number | undefined;
  readonly profileGiven?: boolean | undefined;
  readonly state?: string | undefined;
  readonly technology?: string | undefined;
}

export async function listMessages(ctx: TenantContext, bounds: KeyBounds, filter: MessageListFilter = {}): Promise<Message[]> {
  const state = filter.state === undefined || filter.state === '' ? undefined : STATES.find((known) => known === filter.state);
  if (filter.state && state === undefined) throw invalid('state', `The state is one of ${STATES.join(', ')}.`);
  const technology = filter.technology === undefined || filter.technology === '' ? undefined : filter.technology;
  if (technology !== undefined && !isTechnology(technology)) throw invalid('technology', 'Unknown technology.');
  if (filter.profileGiven && (filter.profileId === undefined || !(await findProfile(ctx.tenant, filter.profileId)))) throw notFound('Profile', 'profile');
  return (await pageOfMessages(ctx.tenant, bounds, { profileId: filter.profileId, state, technology })).map(toMessage);
}
