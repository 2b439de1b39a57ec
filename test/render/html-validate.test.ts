/**
 * html-validate's accessibility rules (its WCAG techniques H30, H32, H36, H37, H63, H67, H71 and the
 * a11y preset's ARIA rules) on the email and the web version of every demo scenario.
 */
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { buildEdition } from '../../src/edition/build.js';
import { scenarioNames } from '../../src/market/index.js';
import { testContext } from '../helpers/context.js';

const validator = new HtmlValidate({
  extends: ['html-validate:a11y'],
  rules: {
    ...Object.fromEntries(['h30', 'h32', 'h36', 'h37', 'h63', 'h67', 'h71'].map((rule) => [`wcag/${rule}`, 'error'])),
    // role="article" on the email's wrapper is what screen readers in webmail need: clients strip <article>.
    'prefer-native-element': ['error', { exclude: ['article'] }],
  },
});

describe("html-validate's WCAG and ARIA rules", () => {
  it.each(scenarioNames)(
    '%s: the email and its web version pass',
    async (scenario) => {
      const edition = await buildEdition(testContext(), { data: `demo:${scenario}` });
      for (const html of [edition.html, edition.web.html]) {
        const report = await validator.validateString(html);
        expect(report.results.flatMap((r) => r.messages).map((m) => `${m.ruleId} at line ${m.line}: ${m.message}`)).toEqual([]);
      }
    },
    60_000,
  );
});
