import { describe, expect, it } from 'vitest';
import { filenameJoin, kmg, strftime, uptimeText } from '../../src/simulator/api-v4/format/units.ts';
import { buildParams } from '../../src/simulator/api-v4/http/params.ts';
import { HandlerCrash } from '../../src/simulator/api-v4/http/reply.ts';
import { compileClientQs } from '../../src/simulator/api-v4/query/client-filter.ts';
import { paginate, queryPage } from '../../src/simulator/api-v4/query/paging.ts';
import { BadValueType } from '../../src/simulator/api-v4/query/qs.ts';

const params = (query: string, body?: unknown) => buildParams(new URLSearchParams(query), body);

describe('v4 paging (emqx_mgmt_api)', () => {
  const rows = Array.from({ length: 25 }, (_, i) => i);

  it('defaults to _page=1 and _limit=10000 with the table size as count', () => {
    const page = queryPage(params(''), rows, { filtered: false, tableSize: 25 });
    expect(page.meta).toEqual({ page: 1, limit: 10000, count: 25, hasnext: false });
    expect(page.data).toHaveLength(25);
  });

  it('pages with hasnext and reports count -1 when filtered', () => {
    const second = queryPage(params('_page=2&_limit=10'), rows, { filtered: true, tableSize: 25 });
    expect(second.meta).toEqual({ page: 2, limit: 10, count: -1, hasnext: true });
    expect(second.data).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const last = queryPage(params('_page=3&_limit=10'), rows, { filtered: true, tableSize: 25 });
    expect(last.meta.hasnext).toBe(false);
  });

  it('paginate/3 has an exact count and no hasnext', () => {
    expect(paginate(params('_limit=5&_page=5'), rows)).toEqual({
      data: [20, 21, 22, 23, 24],
      meta: { page: 5, limit: 5, count: 25 },
    });
  });

  it('crashes (HTTP 500) on a non-integer _page or _limit, as binary_to_integer does', () => {
    expect(() => queryPage(params('_page=x'), rows, { filtered: false, tableSize: 0 })).toThrow(HandlerCrash);
    expect(() => paginate(params('_limit=1.5'), rows)).toThrow(HandlerCrash);
  });
});

describe('v4 client query string', () => {
  it('counts every recognised filter, pairs ranges and converts epoch seconds to ms', () => {
    const qs = compileClientQs(params('_gte_created_at=10&_lte_created_at=20&clientid=a&_page=1&foo=1'));
    expect(qs.filterCount).toBe(2);
    expect(qs.exact).toEqual([
      { key: 'created_at', op: '>=', value: 10_000 },
      { key: 'created_at', op: '=<', value: 20_000 },
      { key: 'clientid', op: '=:=', value: 'a' },
    ]);
  });

  it('drops a fuzzy filter on a key that also has an exact filter', () => {
    const qs = compileClientQs(params('_like_clientid=x&clientid=a'));
    expect(qs.fuzzy).toEqual([]);
    expect(qs.filterCount).toBe(1);
  });

  it('rejects values of the wrong type with the EMQX message', () => {
    expect(() => compileClientQs(params('proto_ver=abc'))).toThrow(
      new BadValueType('proto_ver', 'integer', 'abc'),
    );
    expect(() => compileClientQs(params('ip_address=1.x'))).toThrow('Can\'t convert <<"1.x">> to ip type');
    expect(() => compileClientQs(params('_gte_connected_at=soon'))).toThrow(
      'Can\'t convert <<"soon">> to timestamp type',
    );
  });

  it('reads filters from a JSON body too (minirest merges it into the parameter list)', () => {
    expect(compileClientQs(params('', { username: 'u' })).exact).toEqual([
      { key: 'username', op: '=:=', value: 'u' },
    ]);
  });
});

describe('v4 formatting helpers', () => {
  it('formats times as UTC "YYYY-MM-DD HH:mm:ss"', () => {
    expect(strftime(Date.UTC(2024, 0, 2, 3, 4, 5, 678))).toBe('2024-01-02 03:04:05');
  });

  it('formats uptime like emqx_sys', () => {
    expect(uptimeText(7)).toBe('7 seconds');
    expect(uptimeText(141)).toBe('2 minutes, 21 seconds');
    expect(uptimeText(4 * 3600 + 21 * 60 + 19)).toBe('4 hours, 21 minutes, 19 seconds');
    expect(uptimeText(2 * 86400 + 5)).toBe('2 days, 0 hours, 0 minutes, 5 seconds');
  });

  it('formats memory like emqx_mgmt_util:kmg', () => {
    expect(kmg(124_016_640)).toBe('118.27M');
    expect(kmg(1024)).toBe(1024);
    expect(kmg(2048)).toBe('2.00K');
  });

  it('joins shared-subscription topics like filename:join', () => {
    expect(filenameJoin(['$share', 'g', 'a/b'])).toBe('$share/g/a/b');
    expect(filenameJoin(['$share', 'g', 'a//b/'])).toBe('$share/g/a/b');
    expect(filenameJoin(['$share', 'g', '/a'])).toBe('/a');
  });
});
