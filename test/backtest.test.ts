import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backtest, weekEnds } from '../src/edition/backtest.js';
import { tempDir, testContext } from './helpers/context.js';

describe('backtest', () => {
  it('takes the last session of each week, holidays included', () => {
    expect(weekEnds('2026-11-16', '2026-12-04')).toEqual(['2026-11-20', '2026-11-27', '2026-12-04']);
    expect(weekEnds('2026-03-30', '2026-04-03')).toEqual(['2026-04-02']); // Good Friday
  });

  it('two years of demo editions: no contradictions, no phrasing repeated week to week, an index page', async () => {
    const ctx = testContext();
    const out = join(tempDir(), 'archive');
    const report = await backtest(ctx, { from: '2024-11-22', to: '2026-11-20', data: 'demo:small-cap-rally', out });
    expect(report.weeks.length).toBeGreaterThanOrEqual(104);
    expect(report.weeks.flatMap((w) => w.contradictions)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.lookbacks)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.style)).toEqual([]);
    expect(report.weeks.flatMap((w) => w.repeated)).toEqual([]);
    expect(new Set(report.weeks.map((w) => w.headline)).size).toBeGreaterThan(50);
    expect(report.weeks.at(-1)).toMatchObject({ id: '2026-W47', asOf: '2026-11-20' });
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('<a href="2026-W47.html">2026-W47</a>');
    expect(index).toContain('0 contradictions; 0 look-back errors; 0 style problems; 0 phrasings repeated');
    expect(existsSync(join(out, '2025-W10.html'))).toBe(true);
    expect(readFileSync(join(out, '2026-W47.html'), 'utf8')).toContain('src="2026-W47-week-returns.png#chart=week-returns"');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).weeks).toHaveLength(report.weeks.length);
  }, 120_000);

  it('refuses the network and a reversed range', async () => {
    const ctx = testContext();
    await expect(backtest(ctx, { from: '2026-01-01', to: '2025-01-01', data: 'demo', out: tempDir() })).rejects.toThrow(/must be before/);
    await expect(backtest(ctx, { from: '2025-01-01', to: '2026-01-01', data: 'live', out: tempDir() })).rejects.toThrow(/never the network/);
    await expect(backtest(ctx, { from: '2025-01-01', to: '2026-01-01', data: 'csv:/no/such/folder', out: tempDir() })).rejects.toThrow(/no folder \/no\/such\/folder/);
  });
});
