/**
 * Per-channel send rates that hold across every worker of every process: the next free slot
 * lives in the channel's row (`next_slot_ms`) and slots are claimed with a single UPDATE
 * (channels.repository.ts). Sends of one channel that ask at the same moment in one process
 * share that UPDATE (k slots at once: one write instead of k), and a fast channel claims a
 * few more than asked for (see `ahead`). A slot a moment ahead is
 * waited for; one further ahead goes back to the queue as a job due at the slot, so a long
 * backlog does not hold the workers.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { CoreContext } from '../context.js';
import { GroupCommit } from '../shared/group-commit.js';
import type { ChannelRow } from './channels.model.js';
import { claimSendSlots } from './channels.repository.js';

/** Longest a send job sleeps for its slot; beyond it, the job re-enqueues itself for the slot. */
export const MAX_SLOT_WAIT_MS = 2_000;
/** Most slots one UPDATE claims. */
const MAX_SLOTS_PER_CLAIM = 256;

export type SlotDecision =
  | { readonly kind: 'now' }
  /** The slot is further ahead than MAX_SLOT_WAIT_MS: send at `slotMs`. */
  | { readonly kind: 'later'; readonly slotMs: number }
  /** The channel was deleted. */
  | { readonly kind: 'gone' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Claims = GroupCommit<{ readonly now: () => number; readonly intervalMs: number }, number | undefined>;

/** A channel's claimer, and the slots claimed ahead that no send has taken yet. */
interface ChannelSlots {
  readonly claims: Claims;
  spare: number[];
}

/** One claimer per channel and database handle. */
const channelsByDb = new WeakMap<Kysely<Database>, Map<number, ChannelSlots>>();

/** How far ahead a fast channel claims slots, and how long past its time a spare slot stays usable. */
const SPARE_HORIZON_MS = 50;

/**
 * How many slots one UPDATE claims beyond those asked for: about 50 ms of sending, so a fast
 * channel (thousands a second) is not one write per message. Slots left unused only make the
 * channel slower than its rate, never faster.
 */
const ahead = (intervalMs: number): number => Math.min(MAX_SLOTS_PER_CLAIM, Math.max(0, Math.floor(SPARE_HORIZON_MS / intervalMs) - 1));

function slotsFor(db: Kysely<Database>, channelId: number): ChannelSlots {
  let channels = channelsByDb.get(db);
  if (!channels) {
    channels = new Map();
    channelsByDb.set(db, channels);
  }
  let entry = channels.get(channelId);
  if (!entry) {
    const created: ChannelSlots = {
      spare: [],
      claims: new GroupCommit(async (items) => {
        const first = items[0];
        if (!first) return [];
        // The rate as the first asker read it: a rate changed this very moment applies from the next claim.
        const slots = await claimSendSlots(db, channelId, first.now(), first.intervalMs, items.length + ahead(first.intervalMs));
        if (slots) created.spare.push(...slots.slice(items.length));
        return items.map((_, index) => ({ ok: true as const, value: slots?.[index] }));
      }, MAX_SLOTS_PER_CLAIM),
    };
    entry = created;
    channels.set(channelId, entry);
  }
  return entry;
}

/**
 * The earliest spare slot not older than the horizon (or one interval, for a channel slow
 * enough to claim no spares), if any. A channel sending well below its rate (2 000/s of a
 * 10 000/s channel) uses up its spares after their time, not at it; keeping them usable for
 * 50 ms lets one claim serve 50 ms of sends instead of one. The cost is bounded: the sends of
 * any stretch of time T number at most rate × (T + 50 ms), a burst of at most 50 ms of
 * slots, and only on channels faster than 40/s, where 50 ms holds more than one slot.
 */
function spareSlot(entry: ChannelSlots, now: number, intervalMs: number): number | undefined {
  const oldest = now - Math.max(intervalMs, SPARE_HORIZON_MS);
  while (entry.spare.length > 0) {
    const slot = entry.spare.shift();
    if (slot !== undefined && slot >= oldest) return slot;
  }
  return undefined;
}

/** Claims a slot (unless the job already holds one) and waits for it when it is near. */
export async function takeSendSlot(ctx: CoreContext, channel: Pick<ChannelRow, 'id' | 'rate'>, claimed?: number): Promise<SlotDecision> {
  const intervalMs = 1000 / channel.rate;
  const entry = slotsFor(ctx.db, channel.id);
  const slot = claimed ?? spareSlot(entry, ctx.clock.now(), intervalMs) ?? (await entry.claims.submit({ now: () => ctx.clock.now(), intervalMs }));
  if (slot === undefined) return { kind: 'gone' };
  const wait = slot - ctx.clock.now();
  if (wait > MAX_SLOT_WAIT_MS) return { kind: 'later', slotMs: slot };
  if (wait > 0) await sleep(wait);
  return { kind: 'now' };
}
