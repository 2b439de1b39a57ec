/**
 * Content selection, rule by rule: each story kind fires on the signals that make it, not just below
 * its threshold, names its evidence, and gives way to the kinds of more news value. The signals are
 * built field by field here (only what a rule reads); the real weeks are in stories.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Signal } from '../../src/analysis/index.js';
import { BIG_DAY, BROAD_MOVE, chooseStory, RATE_SHOCK_BP, WIDE_GAP, weekSignals } from '../../src/commentary/plan/stories.js';

type Of<K extends Signal['kind']> = Extract<Signal, { kind: K }>;
const base = (kind: Signal['kind'], id: string, magnitude = 1) => ({ kind, id, magnitude, topic: 'market' as const });

const market = (change: number, notable = false): Of<'market'> =>
  ({
    ...base('market', 'market:^GSPC', Math.abs(change)),
    symbol: '^GSPC',
    change,
    best: change > 0,
    rank: { notable, onRecord: false, weeks: 0 },
  }) as unknown as Of<'market'>;
const day = (change: number, symbol = '^RUT'): Of<'biggest-day'> =>
  ({ ...base('biggest-day', `day:${symbol}`), symbol, change, date: '2020-03-16' }) as unknown as Of<'biggest-day'>;
const yieldMove = (bp: number): Of<'move'> => ({ ...base('move', 'move:DGS10'), symbol: 'DGS10', unit: 'bp', window: '1W', change: bp }) as unknown as Of<'move'>;
const relative = (leader: [string, number], laggard: [string, number]): Of<'relative'> =>
  ({
    ...base('relative', `rel:${leader[0]}:${laggard[0]}`),
    window: '1W',
    leader: { symbol: leader[0], change: leader[1] },
    laggard: { symbol: laggard[0], change: laggard[1] },
    gap: leader[1] - laggard[1],
  }) as unknown as Of<'relative'>;
const record = (): Of<'record'> => ({ ...base('record', 'record:^GSPC'), symbol: '^GSPC', unit: 'pct', extreme: 'high', allTime: true }) as unknown as Of<'record'>;
const regime = (): Of<'regime'> => ({ ...base('regime', 'regime:^GSPC'), symbol: '^GSPC', event: 'bear' }) as unknown as Of<'regime'>;

const story = (...signals: Signal[]) => chooseStory(weekSignals(signals));
const ids = (signals: readonly Signal[] | undefined) => signals?.map((s) => s.id);

describe('story rules', () => {
  it('a sell-off is a broad fall of BROAD_MOVE or more, or a rare one of half that; it carries the day that made it', () => {
    const s = story(market(-BROAD_MOVE), day(-BIG_DAY - 1));
    expect([s?.kind, ids(s?.evidence)]).toEqual(['sell-off', ['market:^GSPC', 'day:^RUT']]);
    expect(story(market(-BROAD_MOVE + 0.01))?.kind).toBe('market-week');
    expect(story(market(-BROAD_MOVE / 2, true))?.kind).toBe('sell-off');
    expect(story(market(-BROAD_MOVE / 2 + 0.01, true))?.kind).toBe('market-week');
  });

  it('a bear market entered in a sell-off heads it', () => {
    const s = story(market(-5), regime());
    expect([s?.kind, s?.lead.id, ids(s?.evidence)]).toEqual(['sell-off', 'regime:^GSPC', ['regime:^GSPC', 'market:^GSPC']]);
  });

  it('a rally is the rise of the same size', () => {
    expect(story(market(BROAD_MOVE))?.kind).toBe('rally');
    expect(story(market(BROAD_MOVE - 0.01))?.kind).toBe('market-week');
  });

  it(`a rate shock is a yield's weekly move of ${RATE_SHOCK_BP} bp or more, either way, below a broad move`, () => {
    for (const bp of [RATE_SHOCK_BP, -RATE_SHOCK_BP]) expect(story(yieldMove(bp), market(1))?.kind).toBe('rate-shock');
    expect(story(yieldMove(RATE_SHOCK_BP - 0.01), market(1))?.kind).toBe('market-week');
    const s = story(yieldMove(39), market(-1.2));
    expect([s?.lead.id, ids(s?.evidence)]).toEqual(['move:DGS10', ['move:DGS10', 'market:^GSPC']]);
    expect(story(yieldMove(40), market(-BROAD_MOVE))?.kind).toBe('sell-off');
  });

  it('a round trip is a big day the week undid: the week ended the other way, or kept under a third of it', () => {
    expect(story(day(-BIG_DAY), market(0.5))?.kind).toBe('round-trip');
    expect(story(day(-6), market(-1.9))?.kind).toBe('round-trip');
    expect(story(day(-6), market(-2.1))?.kind).toBe('market-week');
    expect(story(day(-BIG_DAY + 0.01), market(0.5))?.kind).toBe('market-week');
  });

  it('a rotation is the broader market up while big tech falls; the same gap with both up is not one', () => {
    const s = story(relative(['^RUT', 3], ['^NDX', -1]), market(0.5));
    expect([s?.kind, s?.lead.id]).toEqual(['rotation', 'rel:^RUT:^NDX']);
    expect(story(relative(['^RUT', 3], ['^NDX', 0.5]), market(0.5))?.kind).toBe('market-week');
    expect(story(relative(['^NDX', 3], ['^RUT', -1]), market(0.5))?.kind).toBe('market-week');
  });

  it(`a narrow market is the Seven ahead of the rest by ${WIDE_GAP} points or more`, () => {
    const s = story(relative(['MAG7', 2.5], ['^GSPC', 0.5]), market(0.5));
    expect([s?.kind, ids(s?.evidence)]).toEqual(['narrow-market', ['rel:MAG7:^GSPC', 'market:^GSPC']]);
    expect(story(relative(['MAG7', 2.49], ['^GSPC', 0.5]), market(0.5))?.kind).toBe('market-week');
    expect(story(relative(['^GSPC', 0.5], ['MAG7', -2]), market(0.5))?.kind).toBe('market-week');
  });

  it('a quiet record is an all-time high in a week that moved under 1.5%', () => {
    expect(story(record(), market(0.3))?.kind).toBe('quiet-record');
    expect(story(record(), market(1.5))?.kind).toBe('market-week');
  });

  it('an ordinary week leads with its strongest signal and keeps the market and the big day', () => {
    const s = story(yieldMove(10), market(1), day(BIG_DAY));
    expect([s?.kind, s?.lead.id, ids(s?.evidence)]).toEqual(['market-week', 'move:DGS10', ['move:DGS10', 'market:^GSPC', 'day:^RUT']]);
    expect(story()).toBeUndefined();
  });
});
