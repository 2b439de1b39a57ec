/** The layout's own parts of the view: bold lead-ins, and each chart beside the story it illustrates. */
import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/commentary/index.js';
import { leadIn, placeSections } from '../../src/render/view-parts.js';

const section = (topic: Section['topic'], signalIds: string[], paragraphs = ['First sentence here. Second one.']): Section => ({ topic, title: topic, paragraphs, signalIds });
const chart = (name: string) => ({ name, src: `cid:${name}`, width: 380, height: 200, alt: name, title: name });

describe('lead-ins', () => {
  it('the first sentence; a long one up to its last clause break, the words unchanged', () => {
    expect(leadIn('For the year, the S&P 500 is up 2.9%. The VIX fell.')).toEqual({ lead: 'For the year, the S&P 500 is up 2.9%.', rest: 'The VIX fell.' });
    const long = 'This week, the gap between 10-year and 2-year Treasury yields moved by 8 basis points to +57 bp: the curve steepened.';
    const { lead, rest } = leadIn(long);
    expect(lead).toBe('This week, the gap between 10-year and 2-year Treasury yields moved by 8 basis points to +57 bp:');
    expect(`${lead} ${rest}`).toBe(long);
  });
});

describe('charts beside their story', () => {
  it('the bars with the sectors, the small-cap line with the small caps against large caps', () => {
    const sections = [section('market', ['market-week']), section('leadership', ['nasdaq-vs-dow-week', 'small-caps-vs-large-week']), section('sectors', ['sector-leaders-week'])];
    const placed = placeSections(sections, [chart('week-returns'), chart('small-vs-large')]);
    expect(placed.sections.map((s) => s.charts.map((c) => c.title))).toEqual([[], ['small-vs-large'], ['week-returns']]);
    expect(placed.unplaced).toEqual([]);
    expect(placed.sections[0]).toMatchObject({ lead: 'First sentence here.', leadRest: 'Second one.' });
  });

  it('with no sectors section the bars go with the market; with no story for a chart it stays at the end', () => {
    const placed = placeSections([section('market', ['market-week']), section('rates', ['ten-year-yield-week'])], [chart('week-returns'), chart('small-vs-large')]);
    expect(placed.sections[0]!.charts.map((c) => c.title)).toEqual(['week-returns']);
    expect(placed.unplaced.map((c) => c.title)).toEqual(['small-vs-large']);
  });
});
