import { offsetToCursor } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { brokerWindow, toConnection } from '../../../src/broker/paging.ts';
import { chunkIds } from '../../../src/broker/v5/clients.ts';
import { BadUserInputError } from '../../../src/errors.ts';

/** Relay windows over EMQX pages: one page per window, never more rows than needed. */

const freshness = { source: 'UPSTREAM' as const, fetchedAt: 0 };

describe('brokerWindow', () => {
  it('maps aligned windows to page/limit directly', () => {
    expect(brokerWindow({ first: 25 }, 10_000)).toEqual({
      offset: 0,
      take: 25,
      request: { page: 1, limit: 25 },
      skip: 0,
    });
    expect(brokerWindow({ first: 25, after: offsetToCursor(49) }, 10_000)).toMatchObject({
      request: { page: 3, limit: 25 },
      skip: 0,
    });
  });

  it('serves a straddling window from the smallest page that holds it', () => {
    // Rows 14..23: limit 12 puts both in page 2 (rows 12..23).
    expect(brokerWindow({ first: 10, after: offsetToCursor(13) }, 10_000)).toEqual({
      offset: 14,
      take: 10,
      request: { page: 2, limit: 12 },
      skip: 2,
    });
  });

  it('refuses backward paging, foreign cursors and windows deeper than the limit', () => {
    expect(() => brokerWindow({ last: 5 }, 100)).toThrow(BadUserInputError);
    expect(() => brokerWindow({ after: 'bm9wZQ==' }, 100)).toThrow(BadUserInputError);
    expect(() => brokerWindow({ first: 10, after: offsetToCursor(95) }, 100)).toThrow(/deeper than 100/);
  });
});

describe('toConnection', () => {
  it('takes the window out of the page and knows whether more follow', () => {
    const window = brokerWindow({ first: 2, after: offsetToCursor(0) }, 100);
    expect(window.request).toEqual({ page: 1, limit: 3 });
    const connection = toConnection(window, {
      items: ['a', 'b', 'c'],
      totalCount: null,
      hasNext: false,
      freshness,
    });
    expect(connection.edges.map((e) => e.node)).toEqual(['b', 'c']);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const more = toConnection(brokerWindow({ first: 2 }, 100), {
      items: ['a', 'b'],
      totalCount: 9,
      hasNext: true,
      freshness,
    });
    expect(more).toMatchObject({
      totalCount: 9,
      pageInfo: { hasNextPage: true, endCursor: offsetToCursor(1) },
    });
  });
});

describe('chunkIds', () => {
  it('splits client IDs so each multi-ID request line stays short', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `client-with-a-long-identifier-${i}`);
    const chunks = chunkIds(ids, 4000);
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) {
      expect(chunk.map((id) => `clientid=${encodeURIComponent(id)}&`).join('').length).toBeLessThanOrEqual(
        4000,
      );
    }
    expect(chunks.length).toBeGreaterThan(1);
  });
});
