import { Type, type Static } from 'typebox';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageRequest } from '../../core/shared/pagination.js';
import { invalid } from '../../core/shared/errors.js';
import type { PublicIds } from './public-ids.js';

/** Query parameters of every paginated `/v1` collection. */
export const PaginationQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, description: `Default ${DEFAULT_PAGE_SIZE}; values over ${MAX_PAGE_SIZE} are clamped to ${MAX_PAGE_SIZE}.` })),
  starting_after: Type.Optional(Type.String({ description: 'Results older than this id.' })),
  ending_before: Type.Optional(Type.String({ description: 'Results more recent than this id.' })),
});

export type PaginationQuery = Static<typeof PaginationQuery>;

/** Turns the wire parameters into key bounds; a cursor that is no id of ours is `invalid`. */
export function pageRequest(query: PaginationQuery, ids: PublicIds): PageRequest {
  const cursor = (parameter: 'starting_after' | 'ending_before'): number | undefined => {
    const value = query[parameter];
    if (value === undefined || value === '') return undefined;
    const id = ids.decode(value);
    if (id === undefined) throw invalid(parameter, `${value} is not an id of this collection.`);
    return id;
  };
  return {
    limit: Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    startingAfter: cursor('starting_after'),
    endingBefore: cursor('ending_before'),
  };
}
