/**
 * Demo market data: realistic daily closes generated from a fixed seed, so a newcomer with no network
 * sees a complete edition and tests can stage any market situation. History is a factor model (a
 * market factor times each instrument's beta, plus its own noise); the final week is shaped by the
 * scenario: each instrument's weekly return is set exactly, with daily noise that sums to zero.
 * Series are generated backwards from today's rough price levels so the numbers look familiar.
 */
import type { Instrument } from '../../config/newsletter.js';
import { addDays, sessionOnOrBefore, sessionsBetween } from '../calendar.js';
import type { IsoDate, Release, Series } from '../types.js';
import { fnv1a } from '../../shared/hash.js';

export interface Scenario {
  description: string;
  /** Weekly return in percent by symbol; groups give a default for their members. */
  week: Record<string, number>;
  vix: { from: number; to: number };
  /** Change of the 10-year and 2-year yields over the week, in basis points. */
  tenYearBp: number;
  twoYearBp: number;
}

export const scenarios = {
  'small-cap-rally': {
    description: 'Small caps surge on rate-cut hopes; financials, industrials and materials lead; VIX and yields fall',
    week: {
      '^GSPC': 1.2,
      '^RUT': 6.3,
      '^IXIC': 0.8,
      '^DJI': 1.6,
      XLF: 4.1,
      XLI: 3.6,
      XLB: 3.3,
      XLRE: 2.2,
      XLY: 1.8,
      XLE: 1.5,
      XLV: 0.9,
      XLP: 0.5,
      XLU: 0.3,
      XLC: 0.2,
      XLK: -0.4,
      PSCF: 7.5,
      PSCI: 6.8,
      PSCM: 6.1,
      RSP: 2.9,
      AAPL: 0.4,
      MSFT: -0.3,
      NVDA: 0.9,
      AMZN: 0.6,
      GOOGL: 0.2,
      META: -0.5,
      TSLA: 1.1,
    },
    vix: { from: 17.8, to: 14.6 },
    tenYearBp: -14,
    twoYearBp: -22,
  },
  'risk-off': {
    description: 'A broad selloff: every index falls, defensives hold up best, the VIX jumps above 30',
    week: {
      '^GSPC': -5.8,
      '^RUT': -7.9,
      '^IXIC': -7.1,
      '^DJI': -4.6,
      XLU: 0.8,
      XLP: -1.2,
      XLV: -2.4,
      XLRE: -3.9,
      XLE: -4.4,
      XLB: -5.1,
      XLI: -5.6,
      XLF: -6.3,
      XLC: -6.9,
      XLY: -7.9,
      XLK: -8.5,
      PSCF: -8.2,
      PSCI: -8.8,
      PSCM: -9.1,
      RSP: -5.1,
      AAPL: -6.9,
      MSFT: -7.4,
      NVDA: -11.2,
      AMZN: -8.6,
      GOOGL: -7.7,
      META: -9.3,
      TSLA: -12.4,
    },
    vix: { from: 19.4, to: 34.6 },
    tenYearBp: -23,
    twoYearBp: -31,
  },
  'quiet-week': {
    description: 'A quiet, range-bound week: small moves everywhere and a calm VIX',
    week: {
      '^GSPC': 0.3,
      '^RUT': 0.1,
      '^IXIC': 0.4,
      '^DJI': 0.2,
      XLK: 0.7,
      XLV: 0.5,
      XLC: 0.4,
      XLF: 0.3,
      XLI: 0.2,
      XLY: 0.1,
      XLB: 0,
      XLP: -0.1,
      XLRE: -0.3,
      XLU: -0.4,
      XLE: -0.6,
      PSCF: 0.2,
      PSCI: -0.1,
      PSCM: -0.3,
      RSP: 0.2,
      AAPL: 0.5,
      MSFT: 0.3,
      NVDA: 0.8,
      AMZN: -0.2,
      GOOGL: 0.4,
      META: 0.1,
      TSLA: -0.6,
    },
    vix: { from: 13.4, to: 12.6 },
    tenYearBp: 3,
    twoYearBp: 2,
  },
  'mega-cap-melt-up': {
    description: 'The Magnificent Seven carry the market higher while small caps lag',
    week: {
      '^GSPC': 2.6,
      '^RUT': -1.4,
      '^IXIC': 3.9,
      '^DJI': 0.9,
      XLK: 4.8,
      XLC: 4.1,
      XLY: 3.0,
      XLI: 0.6,
      XLF: 0.2,
      XLV: -0.1,
      XLB: -0.4,
      XLP: -0.8,
      XLE: -1.1,
      XLRE: -1.3,
      XLU: -1.5,
      PSCF: -1.6,
      PSCI: -1.2,
      PSCM: -2.1,
      RSP: 0.4,
      AAPL: 4.1,
      MSFT: 5.2,
      NVDA: 9.4,
      AMZN: 6.3,
      GOOGL: 5.6,
      META: 7.2,
      TSLA: 8.1,
    },
    vix: { from: 15.9, to: 15.1 },
    tenYearBp: 5,
    twoYearBp: 9,
  },
} satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof scenarios;
export const scenarioNames = Object.keys(scenarios) as ScenarioName[];
export const DEFAULT_SCENARIO: ScenarioName = 'small-cap-rally';

export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(scenarios, name);
}

/** Rough price levels at the end of the series, and each instrument's beta and own daily noise. */
const PROFILE: Record<string, { level: number; beta: number; noise: number }> = {
  '^GSPC': { level: 6650, beta: 1, noise: 0.001 },
  '^RUT': { level: 2450, beta: 1.2, noise: 0.007 },
  '^IXIC': { level: 22400, beta: 1.25, noise: 0.004 },
  '^DJI': { level: 46800, beta: 0.9, noise: 0.004 },
  XLB: { level: 90, beta: 1, noise: 0.007 },
  XLC: { level: 110, beta: 1.1, noise: 0.008 },
  XLE: { level: 88, beta: 0.8, noise: 0.012 },
  XLF: { level: 53, beta: 1.05, noise: 0.007 },
  XLI: { level: 150, beta: 1, noise: 0.006 },
  XLK: { level: 280, beta: 1.3, noise: 0.007 },
  XLP: { level: 80, beta: 0.5, noise: 0.006 },
  XLRE: { level: 42, beta: 0.9, noise: 0.008 },
  XLU: { level: 84, beta: 0.5, noise: 0.008 },
  XLV: { level: 140, beta: 0.7, noise: 0.007 },
  XLY: { level: 235, beta: 1.2, noise: 0.008 },
  PSCF: { level: 55, beta: 1.2, noise: 0.009 },
  PSCI: { level: 140, beta: 1.2, noise: 0.009 },
  PSCM: { level: 80, beta: 1.25, noise: 0.011 },
  AAPL: { level: 265, beta: 1.1, noise: 0.012 },
  MSFT: { level: 510, beta: 1.05, noise: 0.011 },
  NVDA: { level: 185, beta: 1.6, noise: 0.022 },
  AMZN: { level: 225, beta: 1.2, noise: 0.015 },
  GOOGL: { level: 290, beta: 1.1, noise: 0.014 },
  META: { level: 600, beta: 1.3, noise: 0.018 },
  TSLA: { level: 400, beta: 1.8, noise: 0.03 },
  DGS2: { level: 3.55, beta: 0, noise: 0 },
  RSP: { level: 190, beta: 0.95, noise: 0.003 },
};
const FALLBACK_PROFILE = { level: 100, beta: 1, noise: 0.01 };
const TEN_YEAR_LEVEL = 4.12;
const HISTORY_YEARS = 2.5;
const SEED = 20_240_101;

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Box-Muller standard normal from a uniform source. */
function normal(rand: () => number): number {
  const u = Math.max(rand(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Daily noise for the final week that sums to exactly zero, so the week's total is the target. */
function zeroSumNoise(rand: () => number, n: number, sd: number): number[] {
  const raw = Array.from({ length: n }, () => normal(rand) * sd);
  const mean = raw.reduce((s, x) => s + x, 0) / n;
  return raw.map((x) => x - mean);
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

export interface DemoRequest {
  scenario: ScenarioName;
  asOf: IsoDate;
  instruments: readonly Instrument[];
}

export function demoSeries({ scenario: name, asOf, instruments }: DemoRequest): Series[] {
  const scenario: Scenario = scenarios[name];
  const end = sessionOnOrBefore(asOf);
  const dates = sessionsBetween(addDays(end, -Math.round(HISTORY_YEARS * 365)), end);
  const weekBase = sessionOnOrBefore(addDays(end, -7));
  const finalDays = dates.length - 1 - dates.indexOf(weekBase);
  const historyDays = dates.length - 1 - finalDays;

  const marketRand = prng(SEED);
  // Demeaned, then given a steady drift: about +20% over the history, whatever the seed's luck.
  const market = zeroSumNoise(marketRand, historyDays, 0.008).map((x) => x + 0.0003);

  return instruments.map((instrument) => {
    const rand = prng(SEED ^ fnv1a(instrument.symbol) ^ fnv1a(name));
    const source = `demo:${name}`;
    // 2.5 simulated years are not a market's whole history: no "on record" claims from demo data.
    const base = { symbol: instrument.symbol, name: instrument.name, kind: instrument.kind, source, fullHistory: false };
    if (instrument.kind === 'volatility') {
      return { ...base, points: volatilityPath(rand, dates.length, finalDays, scenario.vix).map((close, i) => ({ date: dates[i]!, close })) };
    }
    if (instrument.kind === 'rate') {
      const level = PROFILE[instrument.symbol]?.level ?? TEN_YEAR_LEVEL;
      const weekBp = instrument.symbol === 'DGS2' ? scenario.twoYearBp : scenario.tenYearBp;
      return { ...base, points: ratePath(rand, dates.length, finalDays, weekBp, level).map((close, i) => ({ date: dates[i]!, close })) };
    }
    const profile = PROFILE[instrument.symbol] ?? FALLBACK_PROFILE;
    const weekTarget = scenario.week[instrument.symbol] ?? 0;
    const history = market.map((m) => profile.beta * m + normal(rand) * profile.noise);
    const weekLog = Math.log(1 + weekTarget / 100);
    const finalWeek = zeroSumNoise(rand, finalDays, profile.noise + 0.003).map((x) => weekLog / finalDays + x);
    const logReturns = [...history, ...finalWeek];
    const closes = new Array<number>(dates.length);
    closes[dates.length - 1] = profile.level;
    for (let i = dates.length - 1; i > 0; i--) closes[i - 1] = closes[i]! / Math.exp(logReturns[i - 1]!);
    return { ...base, points: closes.map((close, i) => ({ date: dates[i]!, close: round(close, 2) })) };
  });
}

/** The VIX mean-reverts; the last weeks glide to the scenario's levels so the week starts at `from`. */
function volatilityPath(rand: () => number, length: number, finalDays: number, vix: Scenario['vix']): number[] {
  const path: number[] = [16];
  for (let i = 1; i < length; i++) {
    const prev = path[i - 1]!;
    path.push(Math.max(10, prev + 0.08 * (16.5 - prev) + normal(rand) * 0.9));
  }
  const baseIndex = length - 1 - finalDays;
  const ramp = 15;
  const gap = vix.from - path[baseIndex]!;
  for (let k = 0; k <= ramp && baseIndex - k >= 0; k++) path[baseIndex - k]! += gap * (1 - k / ramp);
  const noise = zeroSumNoise(rand, finalDays, 0.4);
  for (let d = 1; d <= finalDays; d++) {
    const linear = vix.from + ((vix.to - vix.from) * d) / finalDays;
    path[baseIndex + d] = d === finalDays ? vix.to : linear + noise[d - 1]!;
  }
  return path.map((v) => round(Math.max(v, 9), 2));
}

/** Yields walk in basis points; the final week moves by exactly the scenario's change. */
function ratePath(rand: () => number, length: number, finalDays: number, weekBp: number, endLevel: number): number[] {
  const steps = Array.from({ length: length - 1 - finalDays }, () => normal(rand) * 0.04);
  const finalSteps = zeroSumNoise(rand, finalDays, 0.03).map((x) => weekBp / 100 / finalDays + x);
  const all = [...steps, ...finalSteps];
  const path = new Array<number>(length);
  path[length - 1] = endLevel;
  for (let i = length - 1; i > 0; i--) path[i - 1] = path[i]! - all[i - 1]!;
  return path.map((v) => round(v, 3));
}

/** The first day of the month `months` before the month of `date`. */
function monthStart(date: IsoDate, months: number): IsoDate {
  const d = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.toISOString().slice(0, 10);
}

/**
 * A fixed demo week behind (GDP on Thursday, the jobs report on Friday, last month's and last quarter's
 * figures), so a demo edition shows the section; the market's move those days comes from the demo closes.
 */
export function demoWeekBehind(asOf: IsoDate): Release[] {
  const monday = addDays(asOf, -((new Date(`${asOf}T00:00:00Z`).getUTCDay() + 6) % 7));
  const quarter = monthStart(monday, ((Number(monday.slice(5, 7)) - 1) % 3) + 3);
  const month = monthStart(monday, 1);
  const releases: Release[] = [
    { date: addDays(monday, 3), series: 'A191RL1Q225SBEA', period: quarter, value: 2.8, previous: 3.8 },
    { date: addDays(monday, 4), series: 'PAYEMS', period: month, value: 159_540, previous: 159_421 },
    { date: addDays(monday, 4), series: 'UNRATE', period: month, value: 4.4, previous: 4.3 },
  ];
  return releases.filter((r) => r.date <= asOf);
}
