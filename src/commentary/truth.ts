/**
 * Checks of what the email says, run by the tests and by `marketwrap backtest` on every week:
 * - contradictions: every "verb + number" agrees in sign and size with the signal it tells, and every
 *   comparison names the real leader first;
 * - style: no sentence about the newsletter's own thresholds, no section title that is a bare
 *   instrument name, no figure of the headline restated by the first section, no figure told twice.
 */
import { statedChanges, type Metrics, type Signal } from '../analysis/index.js';
import { escapeRegExp } from '../shared/escape.js';
import { formatSize, shown, type Unit } from '../shared/format.js';
import type { Commentary } from './compose.js';
import { DOWN_VERBS, UP_VERBS, type NameInfo } from './helpers.js';
import type { Fact } from './facts.js';
import { toldIds } from './micro/aggregate.js';
import { resolveReferences } from './micro/discourse.js';

const NUMBER = '([0-9.,]+(?:%| basis points?| points?))';
const verbNumber = () => new RegExp(`\\b(${[...UP_VERBS, ...DOWN_VERBS, 'up', 'down'].map(escape).join('|')}) ${NUMBER}`, 'g');
const isUp = (verb: string) => verb === 'up' || UP_VERBS.includes(verb);

/** The texts of an edition, each with the signals it tells. */
function tellings(commentary: Commentary): Array<{ text: string; signalIds: string[] }> {
  return [
    { text: commentary.lede, signalIds: toldIds(commentary.ledeSignalIds) },
    ...commentary.sections.flatMap((s) => s.paragraphs.map((text, i) => ({ text, signalIds: toldIds([s.signalIds[i]!]) }))),
  ];
}

export function findContradictions(commentary: Commentary, signals: readonly Signal[], names: Record<string, NameInfo>): string[] {
  const problems: string[] = [];
  const bySignal = new Map(signals.map((s) => [s.id, s]));
  // An instrument is named by its short name or its theme ("large caps" for the S&P 500).
  const mentions = (symbol: string) => [names[symbol]?.shortName ?? symbol, names[symbol]?.theme].filter((n): n is string => !!n).map((n) => n.toLowerCase());
  for (const { text, signalIds } of tellings(commentary)) {
    const told = signalIds.map((id) => bySignal.get(id)).filter((s): s is Signal => s !== undefined);
    if (told.length === 0) continue;
    const allowed = told.flatMap(statedChanges);
    for (const match of text.matchAll(verbNumber())) {
      const up = isUp(match[1]!);
      const ok = allowed.some((c) => (up ? shown(c.value, c.unit) > 0 : shown(c.value, c.unit) < 0) && formatSize(c.value, c.unit) === match[2]);
      if (!ok) problems.push(`${signalIds.join('+')}: "${match[0]}" matches no ${up ? 'rise' : 'fall'} in the numbers`);
    }
    for (const signal of told) {
      if (signal.kind !== 'relative') continue;
      const leader = mentions(signal.leader.symbol);
      const laggard = mentions(signal.laggard.symbol);
      // A sentence that opens on "It" or "The index" is read with its antecedent named.
      for (const sentence of resolveReferences(text, names)) {
        const at = { leader: firstOf(sentence, leader, laggard), laggard: firstOf(sentence, laggard, leader) };
        if (at.leader >= 0 && at.laggard >= 0 && at.leader > at.laggard) problems.push(`${signal.id}: "${sentence}" names the laggard first`);
      }
    }
  }
  return problems;
}

/** Where any of `own` names is first mentioned (case aside), none counted inside one of `others`. */
function firstOf(sentence: string, own: readonly string[], others: readonly string[]): number {
  const lower = sentence.toLowerCase();
  const at = own
    .map((name) =>
      others
        .filter((o) => o.includes(name))
        .reduce((text, other) => text.split(other).join('\u0000'.repeat(other.length)), lower)
        .indexOf(name),
    )
    .filter((i) => i >= 0);
  return at.length ? Math.min(...at) : -1;
}

const SELF_REFERENCE = /\b(this newsletter|newsletter|thresholds?|we treat|treats as|notable)\b/i;

/**
 * Every change the edition could state, as "up|down size" -> how many distinct facts read that way. A
 * fact is an instrument's change from one base date (1M and YTD from the same close are one fact).
 */
function factCounts(metrics: ReadonlyMap<string, Metrics>, signals: readonly Signal[]): Map<string, number> {
  const facts = new Map<string, { value: number; unit: Unit }>();
  for (const m of metrics.values()) {
    for (const [window, w] of Object.entries(m.windows)) if (w) facts.set(`${m.symbol}:${w.base?.date ?? window}`, { value: w.change, unit: m.unit });
    if (m.biggestDay) facts.set(`${m.symbol}:day:${m.biggestDay.date}`, { value: m.biggestDay.change, unit: m.unit });
  }
  for (const s of signals) {
    if (s.kind === 'curve') facts.set(`${s.id}:spread`, { value: s.spreadChange, unit: 'bp' });
    // A gap between two returns reads "5.9 points", as a VIX change does.
    if (s.kind === 'relative') facts.set(`${s.id}:gap`, { value: s.gap, unit: 'pt' });
  }
  const counts = new Map<string, number>();
  for (const f of facts.values()) {
    const key = `${shown(f.value, f.unit) > 0 ? 'up' : 'down'} ${formatSize(f.value, f.unit)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function findStyleProblems(
  commentary: Commentary,
  analysis: { metrics: ReadonlyMap<string, Metrics>; signals: readonly Signal[] },
  names: Record<string, NameInfo>,
): string[] {
  const problems: string[] = [];
  const prose = [commentary.headline, commentary.lede, ...commentary.sections.flatMap((s) => [s.title, ...s.paragraphs])];
  for (const text of prose) if (SELF_REFERENCE.test(text)) problems.push(`self-reference: "${text}"`);
  const bare = new Set(Object.values(names).flatMap((n) => [n.shortName.toLowerCase(), `the ${n.shortName.toLowerCase()}`]));
  for (const s of commentary.sections) if (bare.has(s.title.toLowerCase())) problems.push(`a bare instrument name as a section title: "${s.title}"`);
  const counts = factCounts(analysis.metrics, analysis.signals);
  // A figure of the headline told in the lede and again in the first section is a restatement, unless
  // another fact reads the same (the lede leaves out a figure the headline gave: the body tells it once).
  const readings = (figure: string) => (counts.get(`up ${figure}`) ?? 0) + (counts.get(`down ${figure}`) ?? 0);
  const headlineFigures = [...commentary.headline.matchAll(new RegExp(NUMBER, 'g'))].map((m) => m[1]!);
  const first = commentary.sections[0]?.paragraphs.join(' ') ?? '';
  // A comparison names a told figure as a noun ("against a 5.4% gain"): a back-reference, not a restatement.
  const appears = (figure: string, text: string) => new RegExp(`(?<![0-9.,])${escapeRegExp(figure)}(?! (?:gain|loss)\\b)`).test(text);
  for (const figure of headlineFigures)
    if (appears(figure, first) && appears(figure, commentary.lede) && readings(figure) <= 1) problems.push(`the first section restates the headline's ${figure}`);
  const told = new Map<string, number>();
  // The week behind's figures are the economy's, not the market's: consumer prices and retail sales may both rise 0.3%.
  const market = commentary.sections.filter((s) => s.topic !== 'week-behind');
  for (const text of [commentary.lede, ...market.flatMap((s) => s.paragraphs)]) {
    for (const match of text.matchAll(verbNumber())) {
      const key = `${isUp(match[1]!) ? 'up' : 'down'} ${match[2]}`;
      told.set(key, (told.get(key) ?? 0) + 1);
    }
  }
  for (const [key, n] of told) if (n > 1 && n > (counts.get(key) ?? 0)) problems.push(`a figure told ${n} times: ${key}`);
  return problems;
}

/** The week's change of a series at a week's last session, recomputed from its closes (previous calendar week's last close as base). */
function weekChangeAt(points: ReadonlyArray<{ date: string; close: number }>, date: string, unit: Unit): number | undefined {
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.date < date) lo = mid + 1;
    else hi = mid;
  }
  const i = points[lo]?.date === date ? lo : -1;
  if (i <= 0) return undefined;
  const monday = new Date(`${date}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const start = monday.toISOString().slice(0, 10);
  let b = i;
  while (b >= 0 && points[b]!.date >= start) b--;
  if (b < 0) return undefined;
  const [base, last] = [points[b]!.close, points[i]!.close];
  return unit === 'pct' ? (last / base - 1) * 100 : unit === 'bp' ? (last - base) * 100 : last - base;
}

type Closes = ReadonlyArray<{ date: string; close: number }>;
type Series = ReadonlyArray<{ symbol: string; points: Closes }>;
type Baskets = ReadonlyArray<{ symbol: string; members: readonly string[] }>;

/** An instrument's closes and its week's change on a date, from the snapshot's series alone. */
function closesOf(series: Series, baskets: Baskets) {
  // A basket has no closes of its own: its calendar is its first member's.
  const pointsOf = (symbol: string): Closes =>
    series.find((s) => s.symbol === symbol)?.points ?? series.find((s) => s.symbol === baskets.find((b) => b.symbol === symbol)?.members[0])?.points ?? [];
  // A basket's week is the mean of its members' weeks (equal weight).
  const weekOf = (symbol: string, date: string, unit: Unit): number | undefined => {
    const basket = baskets.find((b) => b.symbol === symbol);
    if (!basket) return weekChangeAt(pointsOf(symbol), date, unit);
    const changes = basket.members.map((m) => weekChangeAt(pointsOf(m), date, 'pct'));
    return changes.every((c) => c !== undefined) ? (changes as number[]).reduce((a, b) => a + b, 0) / changes.length : undefined;
  };
  return { pointsOf, weekOf };
}

/**
 * Every "since" claim checked against the closes: in the week named, the same side moved (or led) by
 * at least as much, and no week in between did. Recomputed from the series, not from the analysis.
 */
export function findLookbackErrors(
  signals: readonly Signal[],
  series: ReadonlyArray<{ symbol: string; points: ReadonlyArray<{ date: string; close: number }> }>,
  units: ReadonlyMap<string, Unit>,
  baskets: ReadonlyArray<{ symbol: string; members: readonly string[] }> = [],
): string[] {
  const problems: string[] = [];
  const { pointsOf, weekOf } = closesOf(series, baskets);
  const weekEnds = (symbol: string, from: string, to: string) => {
    const points = pointsOf(symbol);
    return points.filter((p, i) => p.date > from && p.date < to && (i === points.length - 1 || weekKey(points[i + 1]!.date) !== weekKey(p.date))).map((p) => p.date);
  };
  const check = (label: string, since: string | undefined, now: string, value: (date: string) => number | undefined, current: number) => {
    if (!since) return;
    const then = value(since);
    const up = current >= 0;
    if (then === undefined || (up ? then < current - 1e-9 : then > current + 1e-9))
      problems.push(`${label}: the week ending ${since} was not as big the same way (${then} vs ${current})`);
    for (const date of weekEnds(label.split(' ')[0]!, since, now)) {
      const v = value(date);
      if (v !== undefined && (up ? v >= current - 1e-9 : v <= current + 1e-9)) problems.push(`${label}: the week ending ${date} was as big, after ${since}`);
    }
  };
  for (const s of signals) {
    if (s.kind === 'market' || s.kind === 'move') {
      const unit = units.get(s.symbol) ?? 'pct';
      const now = pointsOf(s.symbol).at(-1)?.date ?? '';
      check(`${s.symbol} week`, s.kind === 'market' ? s.rank.since : s.since, now, (d) => weekOf(s.symbol, d, unit), s.change);
    } else if (s.kind === 'relative' && s.window === '1W') {
      const gapAt = (d: string) => {
        const a = weekOf(s.leader.symbol, d, 'pct');
        const b = weekOf(s.laggard.symbol, d, 'pct');
        return a === undefined || b === undefined ? undefined : a - b;
      };
      check(`${s.leader.symbol} over ${s.laggard.symbol}`, s.largestSince, pointsOf(s.leader.symbol).at(-1)?.date ?? '', gapAt, s.gap);
    } else if (s.kind === 'record') {
      problems.push(...recordErrors(s, pointsOf(s.symbol)));
    }
  }
  return problems;
}

/** A record claim against the closes: the week's extreme, the last close as extreme, the record it beat. */
function recordErrors(s: Extract<Signal, { kind: 'record' }>, points: ReadonlyArray<{ date: string; close: number }>): string[] {
  const high = s.extreme === 'high';
  const start = weekKey(points.at(-1)!.date);
  const before = points.filter((p) => p.date < start);
  const week = points.filter((p) => p.date >= start);
  const beyond = (a: number, b: number) => (high ? a > b : a < b);
  const problems: string[] = [];
  const best = week.reduce((a, p) => (beyond(p.close, a.close) ? p : a));
  if (best.date !== s.record.date || best.close !== s.record.close) problems.push(`${s.id}: the week's ${s.extreme} was ${best.close} on ${best.date}`);
  const asExtreme = before.filter((p) => !beyond(s.record.close, p.close)).at(-1);
  if (asExtreme?.date !== s.since?.date) problems.push(`${s.id}: the last close as extreme was ${asExtreme?.date ?? 'none'}, not ${s.since?.date ?? 'none'}`);
  const previous = before.reduce((a, p) => (beyond(p.close, a.close) ? p : a));
  if (s.allTime && (asExtreme || previous.close !== s.previous.close)) problems.push(`${s.id}: not a record beyond ${previous.close} on ${previous.date}`);
  return problems;
}

/** Monday of a date's week, as a comparable string. */
function weekKey(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** A recomputed figure agrees with a stated one when they differ by float noise only. */
const agrees = (recomputed: number | undefined, stated: number) => recomputed !== undefined && Math.abs(recomputed - stated) <= 1e-6 * Math.max(1, Math.abs(stated));

/** What is wrong with one fact, recomputed from the closes (not from the metrics the realiser read); empty when it holds. */
function factError(fact: Fact, closes: ReturnType<typeof closesOf>): string | undefined {
  const closeOn = (symbol: string, date: string) => closes.pointsOf(symbol).find((p) => p.date === date)?.close;
  const beyond = (high: boolean, a: number, b: number) => (high ? a > b : a < b);
  switch (fact.kind) {
    case 'level': {
      const close = closeOn(fact.symbol, fact.date);
      return close === fact.close ? undefined : `${fact.symbol} closed at ${close} on ${fact.date}, not ${fact.close}`;
    }
    case 'move': {
      // Only the week's change has one base every reader agrees on (the previous week's last close).
      if (fact.window !== '1W') return undefined;
      const change = closes.weekOf(fact.symbol, fact.date, fact.unit);
      return agrees(change, fact.change) ? undefined : `${fact.symbol}'s week was ${change}, not ${fact.change}`;
    }
    case 'gap': {
      const [a, b] = [closes.weekOf(fact.a, fact.date, 'pct'), closes.weekOf(fact.b, fact.date, 'pct')];
      const gap = a === undefined || b === undefined ? undefined : a - b;
      return agrees(gap, fact.points) && fact.points >= 0 ? undefined : `${fact.a} led ${fact.b} by ${gap} points, not ${fact.points}`;
    }
    case 'record': {
      const high = fact.extreme === 'high';
      const earlier = closes.pointsOf(fact.symbol).filter((p) => p.date < fact.date);
      if (closeOn(fact.symbol, fact.date) !== fact.close) return `${fact.symbol} did not close at ${fact.close} on ${fact.date}`;
      const asFar = earlier.filter((p) => !beyond(high, fact.close, p.close)).at(-1);
      if (fact.allTime) return asFar ? `${fact.symbol}'s ${fact.close} is no record: ${asFar.close} on ${asFar.date}` : undefined;
      return asFar?.date === fact.since ? undefined : `${fact.symbol}'s last close as ${fact.extreme} as ${fact.close} was on ${asFar?.date ?? 'no day'}, not ${fact.since}`;
    }
    case 'since': {
      const up = fact.change >= 0;
      const then = closes.weekOf(fact.symbol, fact.since, fact.unit);
      const asBig = (v: number | undefined) => v !== undefined && (up ? v >= fact.change - 1e-9 : v <= fact.change + 1e-9);
      if (!asBig(then)) return `${fact.symbol}: the week ending ${fact.since} moved ${then}, not as far ${up ? 'up' : 'down'} as ${fact.change}`;
      const points = closes.pointsOf(fact.symbol);
      const later = points.filter((p, i) => p.date > fact.since && p.date < weekKey(fact.date) && weekKey(points[i + 1]?.date ?? '9999-12-31') !== weekKey(p.date));
      const bigger = later.find((p) => asBig(closes.weekOf(fact.symbol, p.date, fact.unit)));
      return bigger ? `${fact.symbol}: the week ending ${bigger.date} moved as far, after ${fact.since}` : undefined;
    }
    case 'regime': {
      const after = closes.pointsOf(fact.symbol).filter((p) => p.date >= fact.peak.date && p.date <= fact.date);
      const last = closeOn(fact.symbol, fact.date);
      if (after[0]?.date !== fact.peak.date || after[0].close !== fact.peak.close) return `${fact.symbol} did not close at ${fact.peak.close} on ${fact.peak.date}`;
      if (after.some((p) => p.close > fact.peak.close)) return `${fact.symbol} closed above its peak of ${fact.peak.close} after ${fact.peak.date}`;
      return last !== undefined && agrees((last / fact.peak.close - 1) * 100, fact.fromPeak) ? undefined : `${fact.symbol} is not ${fact.fromPeak}% from its peak`;
    }
  }
}

/**
 * Every typed fact behind every sentence, checked against values recomputed from the snapshot's closes;
 * a finding names the sentence. The text checks above stay for what facts cannot see: that the words
 * say the fact (a verb's direction, the order of a comparison) and the editor's style.
 */
export function findFactErrors(commentary: Commentary, series: Series, baskets: Baskets = []): string[] {
  const closes = closesOf(series, baskets);
  const told = [
    { text: commentary.lede, facts: commentary.ledeFacts },
    ...commentary.sections.flatMap((s) => s.paragraphs.map((text, i) => ({ text, facts: s.facts?.[i] ?? [] }))),
  ];
  return told.flatMap(({ text, facts }) => facts.flatMap((fact) => factError(fact, closes) ?? []).map((error) => `${error}: "${text}"`));
}
