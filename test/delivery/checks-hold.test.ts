/**
 * Copy that fails a check never reaches the list: every build runs the truth checks and the editor's
 * lint (src/commentary/review.ts); a list send of an edition with findings is held with them in its one
 * line, while a test send and a dry run still show it to the publisher. Real builds, a real SMTP sink.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { weeklyDigest } from '../../jobs/weekly-digest.js';
import { testContext } from '../helpers/context.js';
import { templatesTalkingAboutThemselves } from '../helpers/templates.js';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.close();
  sink = undefined;
});

describe('an edition whose copy fails a check', () => {
  it('is held from the list, saying what was found; --send-despite-checks sends it; a test send and a dry run go', async () => {
    sink = await startSmtpSink();
    const ctx = testContext({ SMTP_URL: sink.url }, undefined, { templatesDir: templatesTalkingAboutThemselves() });
    await ctx.subscribers.add('reader@example.com');
    const week = { asOf: '2026-11-20', allowDemoData: true };
    const dry = await weeklyDigest.run(ctx, { ...week, dryRun: true });
    expect(dry.findings.length).toBeGreaterThan(0);
    expect(dry.findings.every((f) => f.startsWith('self-reference: ') || f.startsWith('grammar: ') || f.includes('threshold'))).toBe(true);
    const saved = JSON.parse(readFileSync(dry.files.json, 'utf8'));
    expect(saved.review.style.join('\n')).toMatch(/self-reference: .*threshold/);
    await expect(weeklyDigest.run(ctx, week)).rejects.toThrow(
      /^not sending 2026-W47: its copy failed \d+ checks? \(self-reference: .*threshold.*\); read it at .*2026-W47\.mail\.html, fix the config or templates and run again, or pass --send-despite-checks to send it as it is$/,
    );
    expect(sink.received).toHaveLength(0);
    const test = await weeklyDigest.run(ctx, { ...week, to: ['publisher@example.com'] });
    expect(test.delivery).toMatchObject({ sent: 1 });
    const sent = await weeklyDigest.run(ctx, { ...week, sendDespiteChecks: true });
    expect(sent.delivery).toMatchObject({ sent: 1, failed: 0 });
    expect(sink.received.flatMap((m) => m.envelopeTo).sort()).toEqual(['publisher@example.com', 'reader@example.com']);
  });

  it("the project's own templates pass every check on each demo scenario, so nothing of ours is held", async () => {
    const ctx = testContext();
    for (const data of ['demo', 'demo:small-cap-rally', 'demo:risk-off', 'demo:quiet-week', 'demo:mega-cap-melt-up']) {
      const built = await weeklyDigest.run(ctx, { asOf: '2026-11-20', data, dryRun: true });
      expect(built.findings, data).toEqual([]);
    }
  });
});
