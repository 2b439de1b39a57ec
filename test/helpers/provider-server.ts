/**
 * A local stand-in for the market data providers on 127.0.0.1: Yahoo chart v8, FRED observations and
 * Alpha Vantage TIME_SERIES_DAILY, in their exact response formats and failure shapes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Close {
  date: string;
  close: number | null;
}

export type Fault =
  | { kind: 'hang' }
  | { kind: 'fail'; times: number; status: number; retryAfter?: string }
  | { kind: 'rate-limit' }
  | { kind: 'malformed' }
  | { kind: 'av-note' }
  | { kind: 'av-information' }
  | { kind: 'fred-bad-key' }
  /** HTTP 200 and a JSON-looking body of this many bytes, streamed (an oversized answer). */
  | { kind: 'huge'; bytes: number };

export interface ProviderServer {
  url: string;
  /** Closes served per provider symbol (Yahoo and Alpha Vantage share them; FRED by series id). */
  data: Map<string, Close[]>;
  faults: Map<string, Fault>;
  /** FRED's release calendar: what /fred/releases/dates lists (release_id, release_name, date). */
  releases: Array<{ release_id: number; release_name: string; date: string }>;
  /**
   * ALFRED: a FRED series as it read over time, by series id; each vintage holds from its date until the
   * next. /fred/series/observations answers from the vintage in force on realtime_end (today without it).
   */
  vintages: Map<string, Array<{ from: string; closes: Close[] }>>;
  /** FRED's today: release dates up to it have data (the default list leaves out the dates ahead). */
  today: string;
  /** Requests seen, as "provider symbol". */
  requests: string[];
  lastUserAgent?: string;
  close(): Promise<void>;
}

/** 09:30 New York on that date, in UTC seconds: what Yahoo puts in `timestamp`. */
const newYorkHour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' });

export function sessionOpenEpoch(date: string): number {
  for (const hour of [13, 14]) {
    const instant = Date.parse(`${date}T${hour}:30:00Z`);
    const nyHour = newYorkHour.format(instant);
    if (Number(nyHour) === 9) return instant / 1000;
  }
  throw new Error(`no 09:30 New York on ${date}`);
}

const DAY = 86_400;

function yahooBody(symbol: string, closes: Close[], from: number, to: number) {
  const inRange = closes.filter((c) => sessionOpenEpoch(c.date) >= from && sessionOpenEpoch(c.date) < to);
  const meta = {
    currency: 'USD',
    symbol,
    exchangeName: 'SNP',
    instrumentType: 'INDEX',
    gmtoffset: -18000,
    timezone: 'EST',
    exchangeTimezoneName: 'America/New_York',
    dataGranularity: '1d',
    range: '',
  };
  if (inRange.length === 0) return { chart: { result: [{ meta, indicators: { quote: [{}] } }], error: null } };
  return {
    chart: {
      result: [
        {
          meta,
          timestamp: inRange.map((c) => sessionOpenEpoch(c.date)),
          indicators: {
            quote: [
              {
                open: inRange.map((c) => c.close),
                high: inRange.map((c) => c.close),
                low: inRange.map((c) => c.close),
                close: inRange.map((c) => c.close),
                volume: inRange.map(() => 0),
              },
            ],
            adjclose: [{ adjclose: inRange.map((c) => c.close) }],
          },
        },
      ],
      error: null,
    },
  };
}

export async function startProviderServer(): Promise<ProviderServer> {
  const data = new Map<string, Close[]>();
  const faults = new Map<string, Fault>();
  const requests: string[] = [];
  const failures = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const state: Partial<ProviderServer> & Pick<ProviderServer, 'releases' | 'vintages' | 'today'> = {
    releases: [],
    vintages: new Map(),
    today: new Date().toISOString().slice(0, 10),
  };
  /** The closes of a FRED series as known on a day: its vintage then, or the plain data without vintages. */
  const knownOn = (id: string, day: string): Close[] | undefined => {
    const vintages = state.vintages.get(id);
    if (!vintages) return data.get(id);
    return vintages.filter((v) => v.from <= day).at(-1)?.closes ?? [];
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  /** Applies a fault; true when it answered. */
  function fault(provider: string, symbol: string, res: ServerResponse): boolean {
    const f = faults.get(symbol);
    if (!f) return false;
    switch (f.kind) {
      case 'hang':
        hanging.push(res);
        return true;
      case 'fail': {
        const seen = failures.get(symbol) ?? 0;
        if (seen >= f.times) return false;
        failures.set(symbol, seen + 1);
        res.writeHead(f.status, { 'content-type': 'text/html', ...(f.retryAfter ? { 'retry-after': f.retryAfter } : {}) });
        res.end(`<html><body>${f.status}</body></html>`);
        return true;
      }
      case 'rate-limit':
        res.writeHead(429, { 'content-type': 'text/plain' });
        res.end('Too Many Requests');
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"chart":{"result":[{"meta":');
        return true;
      case 'av-note':
        if (provider !== 'alphavantage') return false;
        json(res, 200, { Note: 'Thank you for using Alpha Vantage! Our standard API call frequency is 5 calls per minute and 500 calls per day.' });
        return true;
      case 'av-information':
        if (provider !== 'alphavantage') return false;
        json(res, 200, { Information: 'We have detected your API key as demo and our standard API rate limit is 25 requests per day.' });
        return true;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, '[100,');
        let left = f.bytes;
        const pump = () => {
          while (left > 0 && !res.destroyed) {
            const piece = chunk.subarray(0, Math.min(chunk.length, left));
            left -= piece.length;
            if (!res.write(piece)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return true;
      }
      case 'fred-bad-key':
        if (provider !== 'fred') return false;
        json(res, 400, {
          error_code: 400,
          error_message: 'Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.',
        });
        return true;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const yahoo = /^\/v8\/finance\/chart\/([^/]+)$/.exec(url.pathname);
    if (yahoo) {
      const symbol = decodeURIComponent(yahoo[1]!);
      requests.push(`yahoo ${symbol}`);
      state.lastUserAgent = req.headers['user-agent'];
      if (fault('yahoo', symbol, res)) return;
      const closes = data.get(symbol);
      if (!closes) return json(res, 404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } });
      const from = Number(url.searchParams.get('period1'));
      const to = Number(url.searchParams.get('period2'));
      return json(res, 200, yahooBody(symbol, closes, from, to || from + 400 * DAY));
    }
    if (url.pathname === '/fred/series/observations') {
      const id = url.searchParams.get('series_id') ?? '';
      requests.push(`fred ${id}`);
      if (fault('fred', id, res)) return;
      if (url.searchParams.get('file_type') !== 'json') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        return res.end('<?xml version="1.0" encoding="utf-8" ?><observations></observations>');
      }
      // FRED's real-time period defaults to today; each observation carries the period asked for.
      const realtime = { realtime_start: url.searchParams.get('realtime_start') ?? state.today, realtime_end: url.searchParams.get('realtime_end') ?? state.today };
      if (realtime.realtime_start > realtime.realtime_end)
        return json(res, 400, { error_code: 400, error_message: 'Bad Request.  The real-time period start date is after the real-time period end date.' });
      const closes = knownOn(id, realtime.realtime_end);
      if (!closes) return json(res, 400, { error_code: 400, error_message: 'Bad Request.  The series does not exist.' });
      const start = url.searchParams.get('observation_start') ?? '1776-07-04';
      const end = url.searchParams.get('observation_end') ?? '9999-12-31';
      const observations = closes.filter((c) => c.date >= start && c.date <= end).map((c) => ({ ...realtime, date: c.date, value: c.close === null ? '.' : String(c.close) }));
      return json(res, 200, {
        ...realtime,
        observation_start: start,
        observation_end: end,
        units: 'lin',
        output_type: 1,
        file_type: 'json',
        order_by: 'observation_date',
        sort_order: 'asc',
        count: observations.length,
        offset: 0,
        limit: 100000,
        observations,
      });
    }
    if (url.pathname === '/fred/releases/dates') {
      const upcoming = url.searchParams.get('include_release_dates_with_no_data') === 'true';
      // The week ahead asks for dates without data yet; the week behind for those that published.
      const name = upcoming ? 'release calendar' : 'release dates';
      requests.push(`fred ${name}`);
      if (fault('fred', name, res)) return;
      const start = url.searchParams.get('realtime_start') ?? '0000';
      const end = url.searchParams.get('realtime_end') ?? '9999';
      // Without include_release_dates_with_no_data FRED lists only dates that already have data: none ahead.
      const release_dates = state.releases.filter((r) => r.date >= start && r.date <= end && (upcoming || r.date <= state.today));
      return json(res, 200, {
        realtime_start: start,
        realtime_end: end,
        order_by: 'release_date',
        sort_order: 'asc',
        count: release_dates.length,
        offset: 0,
        limit: 1000,
        release_dates,
      });
    }
    if (url.pathname === '/query' && url.searchParams.get('function') === 'TIME_SERIES_DAILY') {
      const symbol = url.searchParams.get('symbol') ?? '';
      requests.push(`alphavantage ${symbol}`);
      if (fault('alphavantage', symbol, res)) return;
      const closes = data.get(symbol);
      if (!closes)
        return json(res, 200, { 'Error Message': 'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.' });
      const latest = closes
        .filter((c) => c.close !== null)
        .slice(-100)
        .reverse();
      return json(res, 200, {
        'Meta Data': {
          '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
          '2. Symbol': symbol,
          '3. Last Refreshed': latest[0]?.date,
          '4. Output Size': 'Compact',
          '5. Time Zone': 'US/Eastern',
        },
        'Time Series (Daily)': Object.fromEntries(
          latest.map((c) => [c.date, { '1. open': String(c.close), '2. high': String(c.close), '3. low': String(c.close), '4. close': String(c.close), '5. volume': '1000' }]),
        ),
      });
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    data,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as ProviderServer;
}
