import { Type, type Static } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from '../../core/shared/pagination.js';
import { invalid } from '../../core/shared/errors.js';
import type { IdKind, PublicIds } from '../../core/shared/public-ids.js';

/** Query parameters of every paginated `/v1` collection. */
export const PaginationQuery = Type.Object({
  limit: Type.Optional(Type.String({ description: `An integer from 1; default ${DEFAULT_PAGE_SIZE}; values over ${MAX_PAGE_SIZE} are clamped to ${MAX_PAGE_SIZE}.` })),
  starting_after: Type.Optional(Type.String({ description: 'Results older than this id.' })),
  ending_before: Type.Optional(Type.String({ description: 'Results more recent than this id.' })),
});

export type PaginationQuery = Static<typeof PaginationQuery>;

/** An empty `limit` is no limit given, like an empty cursor; anything but digits is refused. */
function pageSize(limit: string | undefined): number {
  if (limit === undefined || limit === '') return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(limit) || Number(limit) < 1) throw invalid('limit', 'The limit must be an integer from 1 to 100.');
  return Math.min(Number(limit), MAX_PAGE_SIZE);
}

/** Turns the wire parameters into key bounds; a cursor that is no id of ours is `invalid`. */
export function pageRequest(query: PaginationQuery, ids: PublicIds, kind: IdKind): PageRequest {
  return pageOf(query, (value) => ids.decode(kind, value));
}

/** The same for a collection whose cursors are not plain keys (`decode` answers undefined for a foreign id). */
export function pageOf<C>(query: PaginationQuery, decode: (value: string) => C | undefined): { limit: number; startingAfter: C | undefined; endingBefore: C | undefined } {
  const cursor = (parameter: 'starting_after' | 'ending_before'): C | undefined => {
    const value = query[parameter];
    if (value === undefined || value === '') return undefined;
    const decoded = decode(value);
    if (decoded === undefined) throw invalid(parameter, `${value} is not an id of this collection.`);
    return decoded;
  };
  return {
    limit: pageSize(query.limit),
    startingAfter: cursor('starting_after'),
    endingBefore: cursor('ending_before'),
  };
}
