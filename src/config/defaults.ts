/**
 * The built-in newsletter: what `npm run digest` shows with no config file. A config file replaces any
 * top-level key it sets (instruments, rules, ...) as a whole, so what it says is exactly what runs.
 */
import type { Basket, Instrument, Rule, Window } from './newsletter.js';

const index = (symbol: string, name: string, shortName: string, theme: string) =>
  ({ symbol, name, shortName, theme, kind: 'index', group: 'benchmarks', required: true }) as const;
const sector = (symbol: string, name: string) =>
  ({ symbol, name, shortName: name, kind: 'etf', group: 'sectors', required: false }) as const;
const smallCapSector = (symbol: string, name: string) =>
  ({ symbol, name, shortName: name, kind: 'etf', group: 'small-cap-sectors', required: false }) as const;
const megaCap = (symbol: string, name: string) =>
  ({ symbol, name, shortName: name, kind: 'stock', group: 'mega-caps', required: false }) as const;

export const defaultInstruments: Instrument[] = [
  index('^GSPC', 'S&P 500', 'S&P 500', 'large caps'),
  {
    ...index('^RUT', 'Russell 2000', 'Russell 2000', 'small caps'),
    sources: [{ provider: 'yahoo', symbol: '^RUT', proxy: false }, { provider: 'yahoo', symbol: 'IWM', proxy: true }],
  },
  index('^IXIC', 'Nasdaq Composite', 'Nasdaq', 'tech stocks'),
  index('^DJI', 'Dow Jones Industrial Average', 'Dow', 'blue chips'),
  { symbol: '^VIX', name: 'Cboe Volatility Index', shortName: 'VIX', kind: 'volatility', group: 'benchmarks', required: true },
  { symbol: '^TNX', name: '10-year Treasury yield', shortName: '10-year yield', kind: 'rate', group: 'benchmarks', required: true },
  {
    symbol: 'DGS2', name: '2-year Treasury yield', shortName: '2-year yield', kind: 'rate', group: 'rates', required: false,
    sources: [{ provider: 'fred', symbol: 'DGS2', proxy: false }],
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
    symbol: 'RSP', name: 'S&P 500 Equal Weight ETF', shortName: 'equal-weight S&P 500', theme: 'the average stock', article: true,
    kind: 'etf', group: 'breadth', required: false,
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
    members: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA'],
  },
];

export const defaultRules: Rule[] = [
  { id: 'small-caps-vs-large-week', kind: 'relative', a: '^RUT', b: '^GSPC', window: '1W', threshold: 2 },
  { id: 'small-caps-vs-large-month', kind: 'relative', a: '^RUT', b: '^GSPC', window: '1M', threshold: 2 },
  { id: 'mega-caps-vs-market-week', kind: 'relative', a: 'MAG7', b: '^GSPC', window: '1W', threshold: 1.5 },
  { id: 'breadth-week', kind: 'relative', a: 'RSP', b: '^GSPC', window: '1W', threshold: 1 },
  { id: 'mega-caps-vs-the-rest-week', kind: 'relative', a: 'MAG7', b: 'RSP', window: '1W', threshold: 2 },
  { id: 'yield-curve-week', kind: 'curve', long: '^TNX', short: 'DGS2', window: '1W', threshold: 5, companion: '^RUT' },
  { id: 'nasdaq-vs-dow-week', kind: 'relative', a: '^IXIC', b: '^DJI', window: '1W', threshold: 2 },
  { id: 'sp500-big-week', kind: 'move', instrument: '^GSPC', window: '1W', threshold: 2 },
  { id: 'russell-big-week', kind: 'move', instrument: '^RUT', window: '1W', threshold: 3 },
  { id: 'nasdaq-big-week', kind: 'move', instrument: '^IXIC', window: '1W', threshold: 2.5 },
  { id: 'ten-year-yield-week', kind: 'move', instrument: '^TNX', window: '1W', threshold: 10 },
  { id: 'vix-jump-week', kind: 'move', instrument: '^VIX', window: '1W', threshold: 4 },
  { id: 'vix-elevated', kind: 'level', instrument: '^VIX', op: 'at-or-above', value: 20, label: 'elevated' },
  { id: 'vix-stressed', kind: 'level', instrument: '^VIX', op: 'at-or-above', value: 30, label: 'stressed' },
  { id: 'vix-calm', kind: 'level', instrument: '^VIX', op: 'at-or-below', value: 13, label: 'calm' },
  { id: 'index-records', kind: 'record', group: 'benchmarks', extreme: 'both' },
  { id: 'index-drawdowns', kind: 'drawdown', group: 'benchmarks', thresholds: [10, 20] },
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
  windows: ['1W', '1M', '3M', 'YTD', '1Y'] as Window[],
  tableGroups: ['benchmarks', 'baskets'],
  maxSections: 5,
  instruments: defaultInstruments,
  baskets: defaultBaskets,
  rules: defaultRules,
};
