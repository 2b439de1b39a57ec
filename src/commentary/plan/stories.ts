/**
 * Content selection: what the week was. Each story kind is a small pure rule over the week's signals
 * that recognises signals occurring together (a broad sell-off and the day that made it, small caps up
 * while big tech falls, a rate shock) and names the evidence the edition must then carry. The first
 * kind that fires, in order of news value, decides the headline and the lede.
 */
import type { Signal } from '../../analysis/index.js';
import type { Mover } from '../../analysis/rules/kind.js';

type Of<K extends Signal['kind']> = Extract<Signal, { kind: K }>;

export type StoryKind = 'sell-off' | 'rally' | 'rate-shock' | 'round-trip' | 'rotation' | 'narrow-market' | 'quiet-record' | 'market-week';

export interface Story {
  kind: StoryKind;
  /** The signal whose headline is the edition's. */
  lead: Signal;
  /** What the story needs told, in the order the lede tells it (the lead first). */
  evidence: Signal[];
}

/** A broad weekly move this large (percent, S&P 500 or the configured market) is the week's story. */
export const BROAD_MOVE = 4;
/** A session this large (percent, any index) made the week: it is always told. */
export const BIG_DAY = 3;
/** A weekly move of a yield this large (basis points) is a rate shock. */
export const RATE_SHOCK_BP = 25;
/** Two sides this far apart (percentage points) are a story of their own; the Seven against the rest are always told. */
export const WIDE_GAP = 2;

/** The symbols that stand for "the largest tech stocks" in a rotation, and those for the rest of the market. */
const BIG_TECH = new Set(['^IXIC', '^NDX', 'MAG7', 'XLK', 'QQQ']);
const BROADER = new Set(['^RUT', 'RSP', '^DJI', 'IWM']);

/** The week's signals, each kind in rank order (strongest first), as the story rules read them. */
export interface WeekSignals {
  ranked: readonly Signal[];
  of<K extends Signal['kind']>(kind: K): Array<Of<K>>;
}

export function weekSignals(ranked: readonly Signal[]): WeekSignals {
  return { ranked, of: <K extends Signal['kind']>(kind: K) => ranked.filter((s): s is Of<K> => s.kind === kind) };
}

/** The week's biggest index day when it made the week (BIG_DAY or more). */
export function dayThatMadeTheWeek(week: WeekSignals): Of<'biggest-day'> | undefined {
  const days = week.of('biggest-day').filter((d) => Math.abs(d.change) >= BIG_DAY);
  return days.sort((a, b) => Math.abs(b.change) - Math.abs(a.change))[0];
}

/** The Seven (or big tech) against the rest, when they are WIDE_GAP or more apart. */
export function concentration(week: WeekSignals): Of<'relative'> | undefined {
  return week.of('relative').find((r) => r.window === '1W' && r.gap >= WIDE_GAP && [r.leader.symbol, r.laggard.symbol].includes('MAG7'));
}

const present = (...signals: Array<Signal | undefined>): Signal[] => [...new Set(signals.filter((s): s is Signal => s !== undefined))];
const crossing = (week: WeekSignals) => week.of('regime')[0];

function broadMove(week: WeekSignals, up: boolean): Story | undefined {
  const market = week.of('market')[0];
  const day = dayThatMadeTheWeek(week);
  const big = market && (up ? market.change >= BROAD_MOVE : market.change <= -BROAD_MOVE);
  const rare = market?.rank.notable && market.best === up && Math.abs(market.change) >= BROAD_MOVE / 2;
  if (!market || !(big || rare)) return undefined;
  // A bear market or a correction entered this week is the landmark: it heads the story.
  const landmark = crossing(week);
  return { kind: up ? 'rally' : 'sell-off', lead: landmark ?? market, evidence: present(landmark, market, day) };
}

const sellOff = (week: WeekSignals) => broadMove(week, false);
const rally = (week: WeekSignals) => broadMove(week, true);

function rateShock(week: WeekSignals): Story | undefined {
  const shock = week.of('move').find((m) => m.unit === 'bp' && m.window === '1W' && Math.abs(m.change) >= RATE_SHOCK_BP);
  if (!shock) return undefined;
  return { kind: 'rate-shock', lead: shock, evidence: present(shock, week.of('market')[0], dayThatMadeTheWeek(week)) };
}

/** A big day the week undid: the week ended the other way, or kept less than a third of it. */
function roundTrip(week: WeekSignals): Story | undefined {
  const day = dayThatMadeTheWeek(week);
  const market = week.of('market')[0];
  if (!day || !market) return undefined;
  const undone = Math.sign(market.change) !== Math.sign(day.change) || Math.abs(market.change) < Math.abs(day.change) / 3;
  return undone ? { kind: 'round-trip', lead: day, evidence: present(day, market) } : undefined;
}

const side = (m: Mover, symbols: ReadonlySet<string>) => symbols.has(m.symbol);

/** The broader market up while the largest tech stocks fall (or the reverse is not a rotation). */
function rotation(week: WeekSignals): Story | undefined {
  const turns = week.of('relative').filter((r) => r.window === '1W' && side(r.leader, BROADER) && side(r.laggard, BIG_TECH) && r.laggard.change < 0 && r.leader.change > 0);
  if (!turns.length) return undefined;
  const alsoAhead = week.of('relative').filter((r) => r.window === '1W' && !turns.includes(r) && side(r.leader, BROADER) && r.leader.change > 0);
  return { kind: 'rotation', lead: turns[0]!, evidence: present(turns[0], ...turns.slice(1), ...alsoAhead, dayThatMadeTheWeek(week)) };
}

/** The Seven carry the index: ahead of the average stock by WIDE_GAP or more. */
function narrowMarket(week: WeekSignals): Story | undefined {
  const gap = concentration(week);
  if (gap?.leader.symbol !== 'MAG7') return undefined;
  return { kind: 'narrow-market', lead: gap, evidence: present(gap, week.of('market')[0]) };
}

/** A record close in a week that barely moved: the record is the news, not the move. */
function quietRecord(week: WeekSignals): Story | undefined {
  const market = week.of('market')[0];
  const record = week.of('record').find((r) => r.unit === 'pct' && r.extreme === 'high' && r.allTime);
  if (!record || !market || Math.abs(market.change) >= 1.5) return undefined;
  return { kind: 'quiet-record', lead: record, evidence: present(record, market) };
}

/** The strongest signals with the market first: a week that is not one of the stories above. */
function marketWeek(week: WeekSignals): Story | undefined {
  const market = week.of('market')[0];
  const lead = week.ranked[0];
  if (!lead) return undefined;
  return { kind: 'market-week', lead, evidence: present(lead, market, dayThatMadeTheWeek(week)) };
}

/** In order of news value: the first that fires is the week's story. */
export const STORY_RULES: ReadonlyArray<(week: WeekSignals) => Story | undefined> = [sellOff, rally, rateShock, roundTrip, rotation, narrowMarket, quietRecord, marketWeek];

export function chooseStory(week: WeekSignals): Story | undefined {
  for (const rule of STORY_RULES) {
    const story = rule(week);
    if (story) return story;
  }
  return undefined;
}
