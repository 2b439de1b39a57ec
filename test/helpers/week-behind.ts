/** A week behind as FRED serves it: release dates and two ALFRED vintages of each series. */
import type { ProviderServer } from './provider-server.js';

/** The week ending Friday 2026-11-20: CPI on Wednesday, the jobs report on Friday; today is weeks later. */
export function serveWeekBehind(s: ProviderServer): void {
  s.today = '2026-12-15';
  s.releases.push(
    { release_id: 18, release_name: 'H.15 Selected Interest Rates', date: '2026-11-16' }, // not one the week behind tells
    { release_id: 10, release_name: 'Consumer Price Index', date: '2026-11-18' },
    { release_id: 50, release_name: 'Employment Situation', date: '2026-11-20' },
    { release_id: 53, release_name: 'Gross Domestic Product', date: '2026-11-25' }, // the week after
  );
  s.vintages.set('CPIAUCSL', [
    {
      from: '2026-10-15',
      closes: [
        { date: '2026-08-01', close: 323.0 },
        { date: '2026-09-01', close: 324.0 },
      ],
    },
    // First published: October 323.8 after September 324.1 (revised that day): -0.09%, "fell 0.1%".
    {
      from: '2026-11-18',
      closes: [
        { date: '2026-08-01', close: 323.0 },
        { date: '2026-09-01', close: 324.1 },
        { date: '2026-10-01', close: 323.8 },
      ],
    },
    // A later revision (annual seasonal factors): October now reads +0.2%. Not what Wednesday's data showed.
    {
      from: '2026-12-10',
      closes: [
        { date: '2026-09-01', close: 324.2 },
        { date: '2026-10-01', close: 324.9 },
        { date: '2026-11-01', close: 325.3 },
      ],
    },
  ]);
  s.vintages.set('PAYEMS', [
    {
      from: '2026-11-20',
      closes: [
        { date: '2026-09-01', close: 159_300 },
        { date: '2026-10-01', close: 159_419 },
      ],
    },
    {
      from: '2026-12-04',
      closes: [
        { date: '2026-09-01', close: 159_280 },
        { date: '2026-10-01', close: 159_330 },
        { date: '2026-11-01', close: 159_400 },
      ],
    },
  ]);
  s.vintages.set('UNRATE', [
    {
      from: '2026-11-20',
      closes: [
        { date: '2026-09-01', close: 4.3 },
        { date: '2026-10-01', close: 4.4 },
      ],
    },
    {
      from: '2026-12-04',
      closes: [
        { date: '2026-10-01', close: 4.4 },
        { date: '2026-11-01', close: 4.5 },
      ],
    },
  ]);
}
