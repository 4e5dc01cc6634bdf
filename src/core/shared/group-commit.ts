/**
 * Group commit: callers submit one item each and wait; items that arrive while a batch is
 * being written form the next batch, written when that one is done. Under load many requests
 * share one transaction (one fsync); at rest a lone request is written at once, without a
 * timer's delay.
 * `write` answers an outcome per item, in order: a value, or the error for that item alone.
 */
export class GroupCommit<T, R> {
  readonly #queue: Array<{ item: T; resolve: (value: R) => void; reject: (error: unknown) => void }> = [];
  #running = false;
  #scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<Array<{ ok: true; value: R } | { ok: false; error: unknown }>>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Requests of the same event-loop turn join one batch. */
  #schedule(): void {
    if (this.#scheduled || this.#running) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#running || this.#queue.length === 0) return;
    const batch = this.#queue.splice(0, this.maxBatch);
    this.#running = true;
    try {
      const outcomes = await this.write(batch.map((entry) => entry.item));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (!outcome) entry.reject(new Error('group commit: no outcome for an item'));
        else if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    } finally {
      this.#running = false;
      if (this.#queue.length > 0) void this.#flush();
    }
  }
}
