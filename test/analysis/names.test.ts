/** Names in time: the Magnificent Seven were named in 2023; a table, chart or sentence before then uses the earlier name. */
import { describe, expect, it } from 'vitest';
import { basketNames } from '../../src/analysis/index.js';
import { buildEdition } from '../../src/edition/build.js';
import { defaultBaskets } from '../../src/config/defaults.js';
import { testContext } from '../helpers/context.js';

const mag7 = defaultBaskets.find((b) => b.symbol === 'MAG7')!;

describe('the basket named by date', () => {
  it('is "Tech megacaps" in tables before its name was in use, and the Magnificent Seven after', () => {
    expect(basketNames(mag7, '2013-03-08')).toEqual({ name: 'the basket of the seven biggest tech stocks', shortName: 'Tech megacaps', named: false });
    expect(basketNames(mag7, mag7.namedSince!)).toEqual({ name: mag7.name, shortName: 'Magnificent Seven', named: true });
    expect(basketNames({ ...mag7, earlierShortName: undefined }, '2013-03-08').shortName).toBe('The basket of the seven biggest tech stocks');
  });

  it.each(['2013-03-08', '2022-12-30'])('an edition of %s says neither "Magnificent" in its table nor in its prose', async (asOf) => {
    const edition = await buildEdition(testContext(), { data: 'demo:mega-cap-melt-up', asOf });
    expect(edition.analysis.metrics.get('MAG7')!.shortName).toBe('Tech megacaps');
    expect(edition.html).toContain('Tech megacaps');
    expect(edition.html).not.toMatch(/Magnificent/i);
    expect(edition.text).not.toMatch(/Magnificent/i);
  });

  it('an edition of 2024 calls them the Magnificent Seven', async () => {
    const edition = await buildEdition(testContext(), { data: 'demo:mega-cap-melt-up', asOf: '2024-01-05' });
    expect(edition.html).toContain('Magnificent Seven');
    expect(edition.analysis.metrics.get('MAG7')!.name).toBe('Magnificent Seven (equal weight)');
  });
});
