/**
 * Every state change of an outbound message, each a guarded UPDATE in a transaction with the
 * webhook it causes. States only move forward — pending → routed → delivered or failed — with
 * one exception peers really produce: a `delivered` receipt after a `failed` one wins.
 */
import type { Receipt } from '../../channels/provider.js';
import { epochSeconds } from '../shared/clock.js';
import { inTransaction, type TenantContext } from '../shared/tenant.js';
import { emitStateChanged } from './messages.events.js';
import type { MessageRow, MessageState } from './messages.model.js';
import { changeMessageState, findMessage, routeMessage } from './messages.repository.js';

const MAX_REASON = 1000;

/**
 * The provider took the message: its id is written in the same statement that marks it
 * routed, so no message is ever routed without the id its receipts will carry. dev-inbox
 * delivers at once.
 */
export async function markAccepted(ctx: TenantContext, messageId: number, providerId: string, deliveredAtOnce: boolean): Promise<void> {
  const now = epochSeconds(ctx.clock);
  await inTransaction(ctx, async (trx) => {
    const routed = await routeMessage(trx.tenant, messageId, providerId, now);
    if (!routed) {
      // A receipt that named our id (WhatsApp) moved it first: keep its state, add the id.
      await trx.tenant.updateTable('messages').set({ provider_id: providerId }).where('id', '=', messageId).where('provider_id', 'is', null).execute();
      return;
    }
    await emitStateChanged(trx, routed, 'pending');
    if (!deliveredAtOnce) return;
    const delivered = await changeMessageState(trx.tenant, messageId, ['routed'], { state: 'delivered', delivered_at: now, updated_at: now });
    if (delivered) await emitStateChanged(trx, delivered, 'routed');
  });
}

export async function markFailed(ctx: TenantContext, messageId: number, reason: string): Promise<void> {
  const now = epochSeconds(ctx.clock);
  await inTransaction(ctx, async (trx) => {
    const failed = await changeMessageState(trx.tenant, messageId, ['pending'], { state: 'failed', failed_at: now, failure_reason: reason.slice(0, MAX_REASON), updated_at: now });
    if (failed) await emitStateChanged(trx, failed, 'pending');
  });
}

/** What a receipt may move a message from, and to. `sent` only records the hand-off. */
function transition(receipt: Receipt): { from: MessageState[]; to: MessageState } {
  switch (receipt.state) {
    case 'sent':
      return { from: ['pending'], to: 'routed' };
    case 'delivered':
      return { from: ['pending', 'routed', 'failed'], to: 'delivered' };
    case 'failed':
      return { from: ['pending', 'routed'], to: 'failed' };
  }
}

/** Applies one receipt to its message; false when it changes nothing (a repeat, or out of order). */
export async function applyReceiptTo(ctx: TenantContext, message: MessageRow, receipt: Receipt): Promise<boolean> {
  const at = Math.floor(receipt.at / 1000);
  const now = epochSeconds(ctx.clock);
  const { from, to } = transition(receipt);
  return inTransaction(ctx, async (trx) => {
    const current = await findMessage(trx.tenant, message.id);
    if (!current || !from.includes(current.state)) return false;
    const changes = {
      state: to,
      updated_at: now,
      provider_id: current.provider_id ?? receipt.providerId,
      routed_at: current.routed_at ?? at,
      ...(to === 'delivered' ? { delivered_at: at, failed_at: null, failure_reason: null } : {}),
      ...(to === 'failed' ? { failed_at: at, failure_reason: (receipt.reason ?? 'The carrier reported the message as not delivered.').slice(0, MAX_REASON) } : {}),
    };
    const changed = await changeMessageState(trx.tenant, current.id, [current.state], changes);
    if (!changed) return false;
    await emitStateChanged(trx, changed, current.state);
    return true;
  });
}
