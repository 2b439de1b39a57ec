/** The week ahead from FRED's release calendar, over real HTTP against a local server in FRED's format. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/index.js';
import { compose, loadCommentaryTemplates } from '../../src/commentary/index.js';
import { parseNewsletter } from '../../src/config/newsletter.js';
import { PROJECT_ROOT } from '../../src/shared/context.js';
import { demoSnapshot } from '../../src/market/index.js';
import { fetchWeekAhead, nextWeek } from '../../src/market/week-ahead.js';
import { startProviderServer, type ProviderServer } from '../helpers/provider-server.js';

let server: ProviderServer;
beforeEach(async () => {
  server = await startProviderServer();
  // The week after Friday 2026-11-20 runs Monday 11-23 to Friday 11-27.
  server.releases.push(
    { release_id: 10, release_name: 'Consumer Price Index', date: '2026-11-25' },
    { release_id: 101, release_name: 'FOMC Press Release', date: '2026-11-25' },
    { release_id: 50, release_name: 'Employment Situation', date: '2026-11-27' },
    { release_id: 18, release_name: 'H.15 Selected Interest Rates', date: '2026-11-23' }, // not one a wrap previews
    { release_id: 53, release_name: 'Gross Domestic Product', date: '2026-12-03' }, // the week after
  );
});
afterEach(async () => server.close());

const settings = () => ({ FRED_BASE_URL: `${server.url}/fred`, FRED_API_KEY: 'k'.repeat(32), MARKET_TIMEOUT_MS: 500 });

describe('the week ahead', () => {
  it('covers Monday to Friday of the next calendar week, whatever day the week ended', () => {
    expect(nextWeek('2026-11-20')).toEqual({ from: '2026-11-23', to: '2026-11-27' });
    expect(nextWeek('2026-04-02')).toEqual({ from: '2026-04-06', to: '2026-04-10' }); // Good Friday week
  });

  it('lists the watched releases of next week by the names readers use', async () => {
    const notes: string[] = [];
    const events = await fetchWeekAhead(settings(), '2026-11-20', notes);
    expect(events).toEqual([
      { date: '2026-11-25', name: 'the consumer price index' },
      { date: '2026-11-25', name: "the Fed's rate decision" },
      { date: '2026-11-27', name: 'the jobs report' },
    ]);
    expect(notes).toEqual([]);
    expect(server.requests).toContain('fred release calendar');
  });

  it('says nothing rather than something wrong when FRED refuses, or has no key', async () => {
    server.faults.set('release calendar', { kind: 'fred-bad-key' });
    const notes: string[] = [];
    expect(await fetchWeekAhead(settings(), '2026-11-20', notes)).toEqual([]);
    expect(notes[0]).toMatch(/the week ahead is left out: .*api_key is not registered/);
    const keyless: string[] = [];
    expect(await fetchWeekAhead({ ...settings(), FRED_API_KEY: undefined }, '2026-11-20', keyless)).toEqual([]);
    expect(keyless[0]).toMatch(/FRED_API_KEY is not set/);
  });

  it('becomes the last section, by weekday; demo data has a demo calendar', () => {
    const config = parseNewsletter({});
    const snapshot = demoSnapshot('quiet-week', '2026-11-20', config, new Date('2026-11-21T14:00:00Z'));
    expect(snapshot.calendar.map((e) => e.date)).toEqual(['2026-11-25', '2026-11-26']);
    const templates = loadCommentaryTemplates(join(PROJECT_ROOT, 'templates/commentary'));
    const commentary = compose({
      analysis: analyze(snapshot, config),
      config,
      templates,
      calendar: [
        { date: '2026-11-25', name: 'the consumer price index' },
        { date: '2026-11-25', name: "the Fed's rate decision" },
        { date: '2026-11-27', name: 'the jobs report' },
      ],
    });
    expect(commentary.sections.at(-1)!.title).toBe('The week ahead');
    expect(commentary.sections.at(-1)!.paragraphs[0]).toMatch(/^(On )?Wednesday(:|,) the consumer price index and the Fed's rate decision\. (On )?Friday(:|,) the jobs report\.$/);
    expect(compose({ analysis: analyze(snapshot, config), config, templates }).sections.some((s) => s.title === 'The week ahead')).toBe(false);
  });
});
