import { cursorToOffset, offsetToCursor } from '@pothos/plugin-relay';
import { BadUserInputError } from '../errors.ts';
import type { BrokerFreshness, Page, PageRequest } from './api.ts';

/**
 * Relay `first`/`after` over EMQX's `page`/`limit`. Cursors are item offsets. The window [offset,
 * offset+first) is served by ONE EMQX page: the smallest `limit` ≥ first whose page boundaries do not split
 * the window (walking with a fixed `first` is always aligned, so it fetches exactly `first` rows per page).
 */

/** Page size when `first` is not given. */
export const DEFAULT_BROKER_PAGE = 20;

export interface RelayArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface BrokerWindow {
  offset: number;
  take: number;
  request: PageRequest;
  /** Rows of the EMQX page before the window. */
  skip: number;
}

function offsetOf(after: string | null | undefined): number {
  if (!after) return 0;
  let offset: number;
  try {
    offset = cursorToOffset(after);
  } catch {
    throw new BadUserInputError('after: not a cursor of this connection', 'after');
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new BadUserInputError('after: not a cursor of this connection', 'after');
  return offset + 1;
}

/** The EMQX page for a Relay window; refuses backward paging and windows deeper than `maxDepth` items. */
export function brokerWindow(args: RelayArgs, maxDepth: number): BrokerWindow {
  if (args.last != null || args.before != null) {
    throw new BadUserInputError(
      'Broker lists page forward only: use first/after',
      args.last != null ? 'last' : 'before',
    );
  }
  const offset = offsetOf(args.after);
  const take = args.first ?? DEFAULT_BROKER_PAGE;
  if (offset + take > maxDepth) {
    throw new BadUserInputError(
      `Pages deeper than ${maxDepth} items are refused (EMQX times out on deep pages): narrow the filter`,
      'after',
    );
  }
  const size = Math.max(take, 1);
  let limit = size;
  while (Math.floor(offset / limit) !== Math.floor((offset + size - 1) / limit)) limit++;
  const page = Math.floor(offset / limit) + 1;
  return { offset, take, request: { page, limit }, skip: offset - (page - 1) * limit };
}

export interface BrokerConnection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
  totalCount: number | null;
  freshness: BrokerFreshness;
}

/** The window's rows of an EMQX page as a Relay connection. */
export function toConnection<T, N = T>(
  window: BrokerWindow,
  page: Page<T>,
  wrap: (item: T, freshness: BrokerFreshness) => N = (item) => item as unknown as N,
): BrokerConnection<N> {
  const rows = page.items.slice(window.skip, window.skip + window.take);
  const edges = rows.map((item, i) => ({
    cursor: offsetToCursor(window.offset + i),
    node: wrap(item, page.freshness),
  }));
  const moreInPage = page.items.length > window.skip + window.take;
  return {
    edges,
    pageInfo: {
      hasNextPage: moreInPage || (window.take > 0 && page.hasNext),
      hasPreviousPage: window.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: page.totalCount,
    freshness: page.freshness,
  };
}
