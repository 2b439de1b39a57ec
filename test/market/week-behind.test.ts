/**
 * The week behind from FRED over real HTTP, against a local server in FRED's exact format: release dates
 * that have data, then each series as ALFRED knew it on the release date. Two vintages are served, the
 * first publication and a later revision: the edition tells what the data showed on the day.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchWeekBehind, thisWeek } from '../../src/market/week-behind.js';
import { startProviderServer, type ProviderServer } from '../helpers/provider-server.js';
import { serveWeekBehind } from '../helpers/week-behind.js';

let server: ProviderServer;

beforeEach(async () => {
  server = await startProviderServer();
  serveWeekBehind(server);
});
afterEach(async () => server.close());

const settings = () => ({ FRED_BASE_URL: `${server.url}/fred`, FRED_API_KEY: 'k'.repeat(32), MARKET_TIMEOUT_MS: 500 });

describe('the week behind', () => {
  it('covers Monday to the last session of the week told', () => {
    expect(thisWeek('2026-11-20')).toEqual({ from: '2026-11-16', to: '2026-11-20' });
    expect(thisWeek('2026-04-02')).toEqual({ from: '2026-03-30', to: '2026-04-02' }); // Good Friday week
  });

  it('gives the values first published on each release date, not the revised ones', async () => {
    const notes: string[] = [];
    const releases = await fetchWeekBehind(settings(), '2026-11-20', notes);
    expect(releases).toEqual([
      { date: '2026-11-18', series: 'CPIAUCSL', period: '2026-10-01', value: 323.8, previous: 324.1 },
      { date: '2026-11-20', series: 'PAYEMS', period: '2026-10-01', value: 159_419, previous: 159_300 },
      { date: '2026-11-20', series: 'UNRATE', period: '2026-10-01', value: 4.4, previous: 4.3 },
    ]);
    expect(notes).toEqual([]);
    expect(server.requests.filter((r) => r.startsWith('fred'))).toEqual(['fred release dates', 'fred CPIAUCSL', 'fred PAYEMS', 'fred UNRATE']);
  });

  it("is left out with FRED's own reason when FRED refuses (its error_code/error_message body)", async () => {
    server.faults.set('release dates', { kind: 'fred-bad-key' });
    const notes: string[] = [];
    expect(await fetchWeekBehind(settings(), '2026-11-20', notes)).toBeUndefined();
    expect(notes).toEqual([expect.stringMatching(/^the week behind is left out: fred release dates: HTTP 400: Bad Request\. {2}The value for variable api_key is not registered/)]);
  });

  it('leaves out only a series FRED refuses, and says so', async () => {
    server.vintages.delete('PAYEMS');
    server.faults.set('PAYEMS', { kind: 'fred-bad-key' });
    const notes: string[] = [];
    const releases = await fetchWeekBehind(settings(), '2026-11-20', notes);
    expect(releases?.map((r) => r.series)).toEqual(['CPIAUCSL', 'UNRATE']);
    expect(notes).toEqual([expect.stringMatching(/^the week behind leaves a series out: fred PAYEMS: HTTP 400: Bad Request\./)]);
  });

  it('is left out, never an error, without a key or with FRED down', async () => {
    const keyless: string[] = [];
    expect(await fetchWeekBehind({ ...settings(), FRED_API_KEY: undefined }, '2026-11-20', keyless)).toBeUndefined();
    expect(keyless).toEqual([expect.stringMatching(/FRED_API_KEY is not set/)]);
    const down: string[] = [];
    expect(await fetchWeekBehind({ ...settings(), FRED_BASE_URL: 'http://127.0.0.1:9/fred' }, '2026-11-20', down)).toBeUndefined();
    expect(down[0]).toMatch(/^the week behind is left out: fred release dates/);
  });

  it('tells nothing of a release date FRED lists without data (a postponed release)', async () => {
    server.releases.push({ release_id: 9, release_name: 'Advance Monthly Sales for Retail and Food Services', date: '2026-11-17' });
    // Retail sales postponed: the vintage in force on the 17th is weeks old; its latest month is stale.
    server.vintages.set('RSAFS', [
      {
        from: '2026-03-01',
        closes: [
          { date: '2026-01-01', close: 730_000 },
          { date: '2026-02-01', close: 731_000 },
        ],
      },
    ]);
    const releases = await fetchWeekBehind(settings(), '2026-11-20', []);
    expect(releases?.map((r) => r.series)).toEqual(['CPIAUCSL', 'PAYEMS', 'UNRATE']);
  });
});
