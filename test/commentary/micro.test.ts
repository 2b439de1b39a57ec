import { describe, expect, it } from 'vitest';
import type { NameInfo } from '../../src/commentary/helpers.js';
import { createDiscourse, openerOf } from '../../src/commentary/micro/discourse.js';
import { fillLede } from '../../src/commentary/plan/discourse.js';
import { mentionsOf, subjectOf } from '../../src/commentary/micro/subject.js';
import { lintEdition } from '../../src/commentary/lint.js';
import type { Commentary } from '../../src/commentary/compose.js';

const names: Record<string, NameInfo> = {
  '^GSPC': { shortName: 'S&P 500', article: true, theme: 'large caps', later: 'the index' },
  '^RUT': { shortName: 'Russell 2000', article: true, theme: 'small caps', later: 'the index' },
  '^VIX': { shortName: 'VIX', article: true },
  DGS10: { shortName: '10-year yield', article: true, later: 'the yield' },
  XLE: { shortName: 'Energy', article: false },
};

describe('the subject of a sentence', () => {
  it('is the instrument its first words name, possessive or not; mentions are every name in it', () => {
    expect(subjectOf('The S&P 500 fell 2.1% this week.', names)).toEqual({ symbol: '^GSPC', phrase: 'The S&P 500', possessive: false });
    expect(subjectOf("The S&P 500's close was its lowest since 2020.", names)?.possessive).toBe(true);
    expect(subjectOf('Energy led the sectors.', names)?.symbol).toBe('XLE');
    expect(subjectOf('Stocks fell.', names)).toBeUndefined();
    expect(mentionsOf('The Russell 2000 rose 2%, against a 1.0% loss for the S&P 500.', names).sort()).toEqual(['^GSPC', '^RUT']);
  });

  it('hears an opener in its first two words', () => {
    expect(openerOf('The S&P 500 fell.')).toBe('the s&p');
    expect(openerOf("The S&P 500's close was a record.")).toBe('the s&p');
    expect(openerOf('On Monday, the Dow fell.')).toBe('on monday');
  });
});

describe('the discourse', () => {
  it('turns a subject said again in its paragraph into "it" when it was the last subject, else "the index" when that means one thing', () => {
    const d = createDiscourse(names);
    expect(d.paragraph('The S&P 500 fell 2.1% this week. The S&P 500 has fallen three weeks running.')).toBe('The S&P 500 fell 2.1% this week. It has fallen three weeks running.');
    // Named before but not the last subject: "the index", the only index named.
    expect(createDiscourse(names).paragraph("Energy fell 3.0%, more than the S&P 500. The VIX rose 3.0 points. The S&P 500's close was its lowest since 2020.")).toBe(
      "Energy fell 3.0%, more than the S&P 500. The VIX rose 3.0 points. The index's close was its lowest since 2020.",
    );
    // A sentence about the subject of the sentence before last moves up beside it, and says "it".
    expect(createDiscourse(names).paragraph("The S&P 500 fell 2.1%. The VIX rose 3.0 points. The S&P 500's close was its lowest since 2020.")).toBe(
      'The S&P 500 fell 2.1%. Its close was its lowest since 2020. The VIX rose 3.0 points.',
    );
  });

  it('never says "the index" when another index was named in the paragraph, nor "it" across paragraphs', () => {
    const d = createDiscourse(names);
    const text = d.paragraph('Energy fell 2.1%, against a 3.0% loss for the Russell 2000 and the S&P 500. The VIX rose. The S&P 500 closed at 3,600.');
    expect(text).not.toMatch(/The index|\bIt\b/);
    // A new paragraph: "It" would have no antecedent, so the name stays (or the sentence opens on its day).
    expect(d.paragraph('The S&P 500 closed at a low on Monday, its lowest since 2020.')).toBe('On Monday, the S&P 500 closed at a low, its lowest since 2020.');
  });

  it('keeps the subject through a sentence that comments on the one before', () => {
    expect(createDiscourse(names).paragraph('The Russell 2000 rose 2.0%. That came as the 10-year yield fell. The Russell 2000 has led four weeks running.')).toBe(
      'The Russell 2000 rose 2.0%. That came as the 10-year yield fell. It has led four weeks running.',
    );
  });

  it('says the time frame once, and moves a repeated opening phrase to its clause', () => {
    const d = createDiscourse(names);
    expect(d.paragraph('This week, the S&P 500 fell 2.1%. On Monday, Energy fell 3.0%.')).toBe('This week, the S&P 500 fell 2.1%. On Monday, Energy fell 3.0%.');
    expect(d.paragraph('This week, the VIX rose 3.0 points. On Monday, the 10-year yield fell 5 basis points.')).toBe(
      'The VIX rose 3.0 points. The 10-year yield fell 5 basis points on Monday.',
    );
  });
});

const edition = (lede: string, ...paragraphs: string[]): Commentary => ({
  headline: 'Stocks fall',
  lede,
  ledeSignalIds: [],
  ledeFacts: [],
  preheader: '',
  sections: paragraphs.map((p) => ({ topic: 'breadth', title: 'Breadth', paragraphs: [p, 'Second sentence here. Third one.'], signalIds: ['a', 'b'] })),
  story: 'market-week',
  mustTell: [],
  ranking: [],
});

describe('the lint of pronouns and openers', () => {
  it('finds a paragraph that opens on a pronoun, and two sentences of a paragraph that open alike', () => {
    const rules = (c: Commentary) => lintEdition(c).map((f) => f.rule);
    expect(rules(edition('The S&P 500 fell 2.1%. It closed at 3,600.', 'Energy fell 3.0%. Utilities rose.'))).toEqual([]);
    expect(rules(edition('The S&P 500 fell 2.1%. It closed at 3,600.', 'It fell 3.0% too. Utilities rose.'))).toEqual(['orphan-pronoun']);
    expect(rules(edition('The S&P 500 fell 2.1%. The S&P 500 closed at 3,600.', 'Energy fell 3.0%. Utilities rose.'))).toEqual(['repeated-opener']);
  });

  it('finds "a" before a figure said with a vowel sound', () => {
    expect(lintEdition(edition('The S&P 500 fell less, against a 8.8% loss for the Dow. Energy rose.', 'Energy fell 3.0%. Utilities rose.')).map((f) => f.rule)).toEqual([
      'grammar',
    ]);
  });
});

describe('the lede filled from the body', () => {
  const section = (title: string, id: string, ...paragraphs: string[]) => ({ topic: 'breadth' as const, title, paragraphs, signalIds: paragraphs.map((_, i) => `${id}${i}`) });
  const titleOf = (id: string) => `title of ${id}`;

  it('takes one-sentence sections while the lede has room, beside the sentence about the same instrument', () => {
    const out = fillLede(
      'The S&P 500 fell 2.1% this week. The VIX rose 3.0 points.',
      [
        section('Records', 'r', 'The S&P 500 closed at a low on Monday.'),
        section('Sectors', 's', 'Energy fell 3.0%. Utilities rose 1.0%.'),
        section('Rates', 'y', 'The 10-year yield fell.'),
      ],
      titleOf,
      { most: 3, names },
    );
    expect(out.lede).toBe('The S&P 500 fell 2.1% this week. The S&P 500 closed at a low on Monday. The VIX rose 3.0 points.');
    expect(out.movedIds).toEqual(['r0']);
    expect(out.sections.map((s) => s.title)).toEqual(['Sectors', 'Rates']);
  });

  it('gives a one-sentence lede a second from the first paragraph that fits, and the section the next title', () => {
    const out = fillLede('The S&P 500 closed at 3,600.', [section('Breadth', 'b', 'Energy fell 3.0%. Utilities rose 1.0%.', 'The Russell 2000 rose 2.0%. It led.')], titleOf, {
      most: 3,
      names,
    });
    expect(out.lede).toBe('The S&P 500 closed at 3,600. Energy fell 3.0%. Utilities rose 1.0%.');
    expect(out.sections).toEqual([{ topic: 'breadth', title: 'title of b1', paragraphs: ['The Russell 2000 rose 2.0%. It led.'], signalIds: ['b1'] }]);
  });

  it('leaves two one-sentence sections together rather than one alone', () => {
    const out = fillLede('The S&P 500 fell 2.1%. The VIX rose.', [section('A', 'a', 'Energy fell 3.0%.'), section('B', 'b', 'The 10-year yield fell.')], titleOf, {
      most: 3,
      names,
    });
    expect(out.movedIds).toEqual([]);
  });
});
