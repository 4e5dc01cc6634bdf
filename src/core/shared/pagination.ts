import { sql, type SelectQueryBuilder } from 'kysely';

/**
 * Keyset pagination over a collection's integer key, newest first, as every `/v1` list
 * does: `startingAfter` pages towards older rows, `endingBefore` towards newer ones. Stable
 * while rows are added, because a page is defined by key bounds, not by an offset.
 */
export interface PageRequest {
  readonly limit: number;
  /** Rows older than this key. */
  readonly startingAfter?: number | undefined;
  /** Rows newer than this key. */
  readonly endingBefore?: number | undefined;
}

/** What a repository applies to its query: `key < below`, `key > above`, order, and limit. */
export interface KeyBounds {
  readonly below: number | undefined;
  readonly above: number | undefined;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
}

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/** One page, newest first. */
export async function pageByKey<T>(page: PageRequest, fetch: (bounds: KeyBounds) => Promise<T[]>): Promise<T[]> {
  // Reading towards newer rows (ending_before alone) walks up from the bound so the page is
  // the rows right next to it, then turns the page round to keep newest first.
  const upward = page.endingBefore !== undefined && page.startingAfter === undefined;
  const rows = await fetch({
    below: page.startingAfter,
    above: page.endingBefore,
    order: upward ? 'asc' : 'desc',
    limit: page.limit,
  });
  return upward ? rows.reverse() : rows;
}

/** Applies key bounds, order and limit to a repository's query on its integer key `column`. */
export function withKeyBounds<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, column: string, bounds: KeyBounds): SelectQueryBuilder<DB, TB, O> {
  let bounded = query;
  if (bounds.below !== undefined) bounded = bounded.where(sql<boolean>`${sql.ref(column)} < ${bounds.below}`);
  if (bounds.above !== undefined) bounded = bounded.where(sql<boolean>`${sql.ref(column)} > ${bounds.above}`);
  return bounded.orderBy(sql.ref(column), bounds.order).limit(bounds.limit);
}
