import assert from 'node:assert/strict';
import * as chrono from 'chrono-node';
import fc from 'fast-check';
import { findArticleDate } from '../../src/core/articleDate';
import { readProse } from '../../src/core/markdown';
import type { ProseDocument } from '../../src/core/types';

const dateOf = (markdown: string): string | null => findArticleDate(readProse(markdown));
const filler = 'The two delegations discussed trade, security and cultural exchanges at length. ';

describe('findArticleDate', () => {
  it('reads front matter dates: ISO strings, timestamps and Date values', () => {
    assert.equal(dateOf('---\ndate: 2026-01-07\n---\nText on March 3, 2025.\n'), '2026-01-07');
    assert.equal(dateOf('---\ndate: "2026-01-07T22:30:00+05:00"\n---\nText.\n'), '2026-01-07');
    assert.equal(dateOf('---\ndate: March 4, 2026\n---\nText.\n'), '2026-03-04');
    const doc: ProseDocument = { text: 'x', prose: 'x', blocks: [], frontMatter: { start: 0, end: 0, data: { date: new Date(Date.UTC(2026, 0, 7)) } }, fallback: false };
    assert.equal(findArticleDate(doc), '2026-01-07');
  });

  const cases: [string, string, string | null][] = [
    ['a month-day-year dateline', '*Nairobi, March 14, 2026* — Kenya and Ethiopia agreed to meet.', '2026-03-14'],
    ['a day-month-year dateline in bold capitals', '**NEW DELHI, 9 October 2026** — India and Japan signed a pact.', '2026-10-09'],
    ['a dateline on its own line', '_Addis Ababa, 9 October 2026_\n\nThe ministers met.', '2026-10-09'],
    ['a "date" line', ' date 2026-01-07 Interior Minister Mohsin Naqvi met Wang Xiaohong on January 8, 2026.', '2026-01-07'],
    ['a "Published:" line', 'Published: 2026-01-07\n\nThe talks were held on December 30, 2025.', '2026-01-07'],
    ['the first full date of the lead', 'Officials met in Cairo on January 7, 2026, and agreed to meet again on March 1, 2026.', '2026-01-07'],
    ['a dateline without a year and no year in sight', '*Nairobi, March 14* — Kenya and Ethiopia agreed to meet again.', null],
    ['a dateline without a year, the year given nearby', '*Nairobi, March 14* — The ministers met at the start of 2026.', '2026-03-14'],
    ['a French date', 'Paris, 7 janvier 2026 — La France et le Maroc ont signé un accord.', '2026-01-07'],
    ['a Spanish date', 'Santiago, 7 de enero de 2026 — Chile y Perú firmaron un acuerdo.', '2026-01-07'],
    ['a bare weekday', 'The ministers met on Wednesday and agreed to meet again.', null],
    ['no date', 'Both sides agreed to strengthen cooperation.', null],
    ['a date only in code', '```\n2026-01-07\n```\n\nThe ministers met.', null],
    ['"to date" in prose', 'To date, the ministers have met twice, last on March 3, 2025.', '2025-03-03'],
    ['a date far below the top', `# Talks\n\n${Array.from({ length: 8 }, () => filler.repeat(2)).join('\n\n')}\n\nThey met on May 2, 2026.`, null],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.equal(dateOf(text), expected));
  }

  it('finds the date of a seed-like article: a date line, then headlines and a lead', () => {
    const text = ' date 2026-01-07 Interior Minister Mohsin Naqvi meets his Chinese counterpart at the ministry on January 7, 2026. — X@MOIofficialGOP\n\nPakistan, China underline need for closer coordination.\n\nThe government has announced new measures, the minister said on Wednesday.\n';
    assert.equal(dateOf(text), '2026-01-07');
  });
});

describe('findArticleDate on ISO front matter dates', () => {
  // The date is read without chrono when it is a valid ISO date: the answer must be chrono's.
  const viaChrono = (iso: string): string | null => {
    const found = chrono.strict.parse(iso).find((r) => r.start.isCertain('day') && r.start.isCertain('month') && r.start.isCertain('year'));
    if (!found) return null;
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    return `${pad(found.start.get('year') ?? 0, 4)}-${pad(found.start.get('month') ?? 0, 2)}-${pad(found.start.get('day') ?? 0, 2)}`;
  };
  const withDate = (date: string): ProseDocument => ({ text: 'x', prose: 'x', blocks: [], frontMatter: { start: 0, end: 0, data: { date } }, fallback: false });

  it('reads every ISO date, valid or not, as chrono does', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), two(13), two(32), (year, month, day) => {
        const iso = `${year}-${month}-${day}`;
        assert.equal(findArticleDate(withDate(iso)), viaChrono(iso), iso);
      }),
      { numRuns: 300 },
    );
    for (const iso of ['2026-02-29', '2028-02-29', '2100-02-29', '2000-02-29', '2026-04-31', '2026-00-10', '2026-12-31', '2026-01-00']) {
      assert.equal(findArticleDate(withDate(iso)), viaChrono(iso), iso);
    }
  });
});
