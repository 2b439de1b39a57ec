import { describe, expect, it } from 'vitest';
import { buildEdition } from '../../src/edition/build.js';
import { compileMjml, GMAIL_CLIP_BYTES, personalizer, RECIPIENT_TOKENS } from '../../src/render/index.js';
import { escapeRegExp } from '../../src/shared/escape.js';
import { formatChange } from '../../src/shared/format.js';
import { scenarioNames } from '../../src/market/index.js';
import { testContext } from '../helpers/context.js';

describe('rendered digest', () => {
  it.each(scenarioNames)('%s: strict-valid MJML, under the Gmail clip, with every part', async (scenario) => {
    const ctx = testContext();
    const edition = await buildEdition(ctx, { data: `demo:${scenario}` });
    expect(edition.id).toBe('2026-W47');
    expect(Buffer.byteLength(edition.html)).toBeLessThan(GMAIL_CLIP_BYTES);
    expect(edition.html).not.toMatch(/fonts\.googleapis|<link[^>]+stylesheet/);
    expect(edition.subject.startsWith('[DEMO DATA] ')).toBe(true);
    for (const part of ['The week in numbers', 'Risk note', 'not investment advice', ctx.config.postalAddress.replace(/&/g, '&amp;'), 'Unsubscribe', 'Demo data:']) {
      expect(edition.html, part).toContain(part);
    }
    expect(edition.html).toContain(`<title>${edition.subject.replace(/&/g, '&amp;').replace(/'/g, '&#x27;')}</title>`);
    for (const token of Object.values(RECIPIENT_TOKENS)) {
      expect(edition.html).toContain(token);
      expect(edition.text).toContain(token);
    }
    // No other Handlebars token survives.
    expect(edition.html.replace(/\{\{(unsubscribeUrl|email)\}\}/g, '')).not.toMatch(/\{\{|\}\}/);
    // The web version: no recipient footer, no link to itself; the sectors stay in the plain text.
    for (const token of Object.values(RECIPIENT_TOKENS)) {
      expect(edition.web.html).not.toContain(token);
      expect(edition.web.text).not.toContain(token);
    }
    expect(edition.web.html).not.toContain('View in browser');
    expect(edition.web.html).toContain('to get it by email');
    expect(edition.web.text).toContain('to get it by email');
    expect(edition.text).toContain('SECTORS THIS WEEK');
    // The market strip opens both parts.
    expect(edition.html).toMatch(/<ul class="market"[^>]*><li[^>]*><div[^>]*>S&amp;P 500<\/div><div[^>]*>[\d,.]+<\/div>/);
    expect(edition.text).toMatch(/^S&P 500 [\d,.]+ \([+\u2212][\d.]+%\) · Nasdaq .* · VIX [\d.]+ \([+\u2212][\d.]+ pts\)$/m);
    // The numbers table is a data table a screen reader can follow.
    expect(edition.html).toMatch(/<caption[^>]*>Prices in percent/);
    expect(edition.html).toContain('<th scope="col"');
    expect(edition.html).toContain('<th scope="row"');
  });

  it('shows every table number in both parts, equal to the analysed value', async () => {
    const ctx = testContext();
    const edition = await buildEdition(ctx, { data: 'demo:risk-off' });
    const spx = edition.analysis.metrics.get('^GSPC')!;
    const points = edition.snapshot.series.find((s) => s.symbol === '^GSPC')!.points;
    // Independently from the closes: the week's base is Friday 2026-11-13.
    const base = points.find((p) => p.date === '2026-11-13')!.close;
    expect(spx.windows['1W']!.change).toBeCloseTo((points.at(-1)!.close / base - 1) * 100, 10);
    for (const metric of edition.analysis.metrics.values()) {
      if (!ctx.config.tableGroups.includes(metric.group)) continue;
      for (const window of ctx.config.windows) {
        const text = formatChange(metric.windows[window]!.change, metric.unit);
        expect(edition.html, `${metric.symbol} ${window}`).toContain(`>${text}<`);
        // Gains green, losses red, by the sign as shown (the minus is U+2212); rates and volatility neutral.
        const change = Number(metric.windows[window]!.change.toFixed(metric.unit === 'bp' ? 0 : 1));
        const expected = metric.unit !== 'pct' || change === 0 ? 'flat' : change > 0 ? 'up' : 'down';
        expect(edition.html, `${metric.symbol} ${window} tone`).toMatch(new RegExp(`class="${expected}( hide-\\d+)?"[^>]*>${escapeRegExp(text)}<`));
        expect(edition.text).toContain(text);
      }
    }
  });

  it('fails strict MJML validation with the file and line', async () => {
    await expect(compileMjml('<mjml><mj-body><mj-section><mj-column>\n<mj-text colour="red">x</mj-text></mj-column></mj-section></mj-body></mjml>', 'bad.mjml')).rejects.toThrow(
      /^bad\.mjml:2: invalid MJML: Attribute colour is illegal/,
    );
  });

  it('fills recipient fields HTML-escaped, leaving the rest byte for byte', () => {
    const fill = personalizer('<a href="{{unsubscribeUrl}}">{{email}}</a>', 'html');
    expect(fill({ unsubscribeUrl: 'https://x.test/u?token=a&b', email: '"o\'neil"@x.test' })).toBe('<a href="https://x.test/u?token=a&amp;b">&quot;o&#39;neil&quot;@x.test</a>');
    expect(personalizer('{{email}} and {{email}}', 'text')({ unsubscribeUrl: '', email: 'a@b.c' })).toBe('a@b.c and a@b.c');
  });
});
