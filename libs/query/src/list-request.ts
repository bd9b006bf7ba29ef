import type { ListRequest } from './list-query.js';
import type { ListQueryParams } from './list-query.request.js';
import { pagingOf } from './paging.js';
import type { ReadContext } from './read-model.interceptor.js';

/** A route's validated query as a list request for its tenant: paging for the format, the filters it whitelists. */
export const listRequest = (
  read: ReadContext,
  query: ListQueryParams,
  filters: Readonly<Record<string, unknown>>,
): ListRequest => ({
  tenant: read.tenant,
  filters,
  sort: query.sort,
  paging: pagingOf(query, { csv: read.csv }),
});
