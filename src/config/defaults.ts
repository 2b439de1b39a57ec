/**
 * The built-in newsletter: what `npm run digest` shows with no config file. A config file replaces any
 * top-level key it sets (instruments, rules, ...) as a whole, so what it says is exactly what runs.
 */
import type { z } from 'zod';
import type { Basket, Instrument, ruleSchema, Window } from './newsletter.js';

const index = (symbol: string, name: string, shortName: string, theme: string) => ({ symbol, name, shortName, theme, kind: 'index', group: 'benchmarks', required: true }) as const;
const sector = (symbol: string, name: string) => ({ symbol, name, shortName: name, kind: 'etf', group: 'sectors', required: false }) as const;
const smallCapSector = (symbol: string, name: string) => ({ symbol, name, shortName: name, kind: 'etf', group: 'small-cap-sectors', required: false }) as const;
const megaCap = (symbol: string, name: string) => ({ symbol, name, shortName: name, kind: 'stock', group: 'mega-caps', required: false }) as const;

export const defaultInstruments: Instrument[] = [
  index('^GSPC', 'S&P 500', 'S&P 500', 'large caps'),
  {
    ...index('^RUT', 'Russell 2000', 'Russell 2000', 'small caps'),
    sources: [
      { provider: 'yahoo', symbol: '^RUT', proxy: false },
      { provider: 'yahoo', symbol: 'IWM', proxy: true },
    ],
  },
  index('^IXIC', 'Nasdaq Composite', 'Nasdaq', 'tech stocks'),
  index('^DJI', 'Dow Jones Industrial Average', 'Dow', 'blue chips'),
  { symbol: '^VIX', name: 'Cboe Volatility Index', shortName: 'VIX', kind: 'volatility', group: 'benchmarks', required: true },
  { symbol: '^TNX', name: '10-year Treasury yield', shortName: '10-year yield', kind: 'rate', group: 'benchmarks', required: true },
  {
    symbol: 'DGS2',
    name: '2-year Treasury yield',
    shortName: '2-year yield',
    kind: 'rate',
    group: 'rates',
    required: false,
    gloss: "the bond market's read of where the Fed is heading",
    sources: [{ provider: 'fred', symbol: 'DGS2', proxy: false }],
  },
  {
    // The curve takes both ends from one source (FRED's constant-maturity yields), never ^TNX minus DGS2.
    symbol: 'DGS10',
    name: '10-year Treasury yield (constant maturity)',
    shortName: '10-year Treasury yield',
    kind: 'rate',
    group: 'rates',
    required: false,
    sources: [{ provider: 'fred', symbol: 'DGS10', proxy: false }],
  },
  sector('XLB', 'Materials'),
  sector('XLC', 'Communication Services'),
  sector('XLE', 'Energy'),
  sector('XLF', 'Financials'),
  sector('XLI', 'Industrials'),
  sector('XLK', 'Technology'),
  sector('XLP', 'Consumer Staples'),
  sector('XLRE', 'Real Estate'),
  sector('XLU', 'Utilities'),
  sector('XLV', 'Health Care'),
  sector('XLY', 'Consumer Discretionary'),
  {
    symbol: 'RSP',
    name: 'S&P 500 Equal Weight ETF',
    shortName: 'equal-weight S&P 500',
    theme: 'the average stock',
    article: true,
    kind: 'etf',
    group: 'breadth',
    required: false,
  },
  smallCapSector('PSCF', 'Small-cap Financials'),
  smallCapSector('PSCI', 'Small-cap Industrials'),
  smallCapSector('PSCM', 'Small-cap Materials'),
  megaCap('AAPL', 'Apple'),
  megaCap('MSFT', 'Microsoft'),
  megaCap('NVDA', 'Nvidia'),
  megaCap('AMZN', 'Amazon'),
  megaCap('GOOGL', 'Alphabet'),
  megaCap('META', 'Meta Platforms'),
  megaCap('TSLA', 'Tesla'),
];

export const defaultBaskets: Basket[] = [
  {
    symbol: 'MAG7',
    name: 'Magnificent Seven (equal weight)',
    shortName: 'Magnificent Seven',
    theme: 'mega caps',
    group: 'baskets',
    // Michael Hartnett of Bank of America coined the name in spring 2023; earlier weeks don't use it.
    namedSince: '2023-05-01',
    earlierName: 'the basket of the seven biggest tech stocks',
    earlierShortName: 'Tech megacaps',
    members: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA'],
  },
];

/** The VIX bands a strategist uses, one definition for the default rules and the risk note: calm at or below 13, elevated from 20, stressed from 30. */
export const VIX_BANDS = { calm: 13, elevated: 20, stressed: 30 } as const;

export const defaultRules: Array<z.input<typeof ruleSchema>> = [
  { id: 'market-week', kind: 'market', instrument: '^GSPC' },
  { id: 'index-regimes', kind: 'regime', group: 'benchmarks' },
  { id: 'index-records', kind: 'record', group: 'benchmarks', extreme: 'both' },
  {
    id: 'small-caps-vs-large-week',
    kind: 'relative',
    a: '^RUT',
    b: '^GSPC',
    window: '1W',
    threshold: 2,
    // Small caps borrow more at floating rates: told beside a 2-year yield that moved against their lead.
    alongside: { symbol: 'DGS2', relation: 'inverse', minChange: 8 },
  },
  { id: 'small-caps-vs-large-month', kind: 'relative', a: '^RUT', b: '^GSPC', window: '1M', threshold: 2 },
  { id: 'nasdaq-vs-dow-week', kind: 'relative', a: '^IXIC', b: '^DJI', window: '1W', threshold: 2 },
  { id: 'breadth-week', kind: 'relative', a: 'RSP', b: '^GSPC', window: '1W', threshold: 1, topic: 'breadth' },
  { id: 'mega-caps-vs-the-rest-week', kind: 'relative', a: 'MAG7', b: 'RSP', window: '1W', threshold: 2, topic: 'breadth' },
  { id: 'russell-big-week', kind: 'move', instrument: '^RUT', window: '1W', threshold: 3 },
  { id: 'nasdaq-big-week', kind: 'move', instrument: '^IXIC', window: '1W', threshold: 2.5 },
  { id: 'ten-year-yield-week', kind: 'move', instrument: '^TNX', window: '1W', threshold: 10 },
  { id: 'two-year-yield-week', kind: 'move', instrument: 'DGS2', window: '1W', threshold: 10 },
  { id: 'yield-curve-week', kind: 'curve', long: 'DGS10', short: 'DGS2', window: '1W', threshold: 5 },
  { id: 'vix-jump-week', kind: 'move', instrument: '^VIX', window: '1W', threshold: 4 },
  { id: 'vix-elevated', kind: 'level', instrument: '^VIX', op: 'at-or-above', value: VIX_BANDS.elevated, label: 'elevated' },
  { id: 'vix-stressed', kind: 'level', instrument: '^VIX', op: 'at-or-above', value: VIX_BANDS.stressed, label: 'stressed' },
  { id: 'vix-calm', kind: 'level', instrument: '^VIX', op: 'at-or-below', value: VIX_BANDS.calm, label: 'calm' },
  { id: 'biggest-day', kind: 'biggest-day', group: 'benchmarks', threshold: 2 },
  { id: 'sector-leaders-week', kind: 'leaders', group: 'sectors', window: '1W', count: 3 },
  { id: 'small-cap-sector-leaders-week', kind: 'leaders', group: 'small-cap-sectors', window: '1W', count: 1 },
];

export const defaultNewsletter = {
  title: 'The Weekly Wrap',
  tagline: 'What moved US markets this week, in five minutes.',
  sender: { name: 'The Weekly Wrap', email: 'digest@example.com' },
  postalAddress: 'Marketwrap, 1 Example Street, New York, NY 10001, USA',
  locale: 'en-US',
  timeZone: 'America/New_York',
  schedule: '0 8 * * 6',
  buildAhead: '2h',
  windows: ['1W', '1M', '3M', 'YTD', '1Y'] as Window[],
  tableGroups: ['benchmarks', 'baskets'],
  maxSections: 5,
  instruments: defaultInstruments,
  baskets: defaultBaskets,
  rules: defaultRules,
};
