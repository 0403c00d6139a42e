import assert from 'node:assert/strict';
import fc from 'fast-check';
import ICAL from 'ical.js';
import { commitmentIds } from '../../src/core/checklist';
import { CodePointIndex, exportBrat, parseBrat } from '../../src/core/exports/brat';
import { exportCsv } from '../../src/core/exports/csv';
import { dueDay, exportIcs, recurrenceRule } from '../../src/core/exports/ics';
import { EXPORT_FORMATS, exportAnnotations } from '../../src/core/exports/index';
import { reanchor, selectorsFor, toAnnotations, type Selector } from '../../src/core/exports/w3c';
import type { Commitment, DocEntity, EntityType, Mention, ScanResult } from '../../src/core/types';

const TEXT = [
  '*Nairobi, 21 October 2026* — Cabinet Secretary Wanjiru Kamau met State Minister Tadesse Worku Gebremariam. 🤝',
  '',
  'Kamau said the 🇰🇪 Kenya Revenue Authority (KRA) would pilot the exchange next month.',
  '',
  'The committee agreed to review progress of the LAPSSET corridor',
  'quarterly through a joint working group, and "to meet annually", said Tadesse.',
  '',
  'Both sides committed to harmonise certificates by the end of June 2027.',
  '',
].join('\n');

function at(needle: string, nth = 0): number {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = TEXT.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not in text`);
  return i;
}

function mention(text: string, type: EntityType, id: string | null, entity: string, nth = 0): Mention {
  const start = at(text, nth);
  return { start, end: start + text.length, text, type, id, source: id ? 'registry' : 'detected', entity };
}

const MENTIONS: Mention[] = [
  mention('Nairobi', 'place', 'nairobi', 'nairobi'),
  mention('Wanjiru Kamau', 'person', 'wanjiru-kamau', 'wanjiru-kamau'),
  mention('Tadesse Worku Gebremariam', 'person', null, 'p:tadesse'),
  mention('Kamau', 'person', 'wanjiru-kamau', 'wanjiru-kamau', 1),
  mention('Kenya Revenue Authority', 'organization', 'kra', 'kra'),
  mention('KRA', 'organization', 'kra', 'kra'),
  mention('LAPSSET corridor', 'place', null, 'p:lapsset'),
  mention('Tadesse', 'person', null, 'p:tadesse', 1),
];

const ENTITIES: DocEntity[] = [
  { key: 'wanjiru-kamau', name: 'Wanjiru Kamau', type: 'person', id: 'wanjiru-kamau', mentions: [] },
  { key: 'p:tadesse', name: 'Tadesse Worku Gebremariam', type: 'person', id: null, mentions: [] },
];

function commitment(sentence: string, over: Partial<Commitment>): Commitment {
  const start = at(sentence);
  return {
    start,
    end: start + sentence.length,
    text: sentence,
    kind: 'agree',
    actors: ['Wanjiru Kamau', 'Tadesse Worku Gebremariam'],
    actorKeys: ['wanjiru-kamau', 'p:tadesse'],
    action: sentence,
    due: null,
    recurrence: null,
    line: TEXT.slice(0, start).split('\n').length,
    ...over,
  };
}

const REVIEW = commitment('The committee agreed to review progress of the LAPSSET corridor\nquarterly through a joint working group, and "to meet annually", said Tadesse.', {
  action: 'review progress of the LAPSSET corridor, quarterly',
  recurrence: 'P3M',
});
const HARMONISE = commitment('Both sides committed to harmonise certificates by the end of June 2027.', {
  kind: 'pledge',
  actors: ['Both sides'],
  action: '=harmonise certificates, "SPS" first',
  due: '2027-06',
  dueText: 'by the end of June 2027',
});
const PILOT = commitment('Kamau said the 🇰🇪 Kenya Revenue Authority (KRA) would pilot the exchange next month.', {
  kind: 'announce',
  actors: ['Kenya Revenue Authority'],
  action: 'pilot the exchange',
});

function result(over: Partial<ScanResult> = {}): ScanResult {
  return {
    date: '2026-10-21',
    prose: { text: TEXT, prose: TEXT, blocks: [], frontMatter: null, fallback: false },
    mentions: MENTIONS,
    entities: ENTITIES,
    commitments: [PILOT, REVIEW, HARMONISE],
    problems: [],
    ...over,
  };
}

describe('exports: index', () => {
  it('offers the four formats and dispatches to each', () => {
    assert.deepEqual(EXPORT_FORMATS, ['w3c', 'brat', 'csv', 'ics']);
    const input = { file: 'articles/ke-et.md', text: TEXT, result: result() };
    assert.equal(JSON.parse(exportAnnotations('w3c', input))['@context'], 'http://www.w3.org/ns/anno.jsonld');
    assert.match(exportAnnotations('brat', input), /^T1\tPlace /);
    assert.match(exportAnnotations('csv', input), /^actors,action,kind,due,recurrence,line,quote\r\n/);
    assert.match(exportAnnotations('ics', input), /^BEGIN:VCALENDAR\r\n/);
  });
});

describe('exports: w3c', () => {
  const json = JSON.parse(exportAnnotations('w3c', { file: 'articles/ke-et.md', text: TEXT, result: result() }));
  const items = json.first.items;

  it('is an AnnotationCollection with one annotation per mention and per commitment', () => {
    assert.equal(json.type, 'AnnotationCollection');
    assert.equal(json.total, MENTIONS.length + 3);
    assert.equal(items.length, json.total);
    assert.equal(new Set(items.map((a: { id: string }) => a.id)).size, items.length);
  });

  it('targets each mention with a quote (32 characters of context) and a position', () => {
    const kamau = items[3];
    const m = MENTIONS[3];
    assert.equal(kamau.target.source, 'articles/ke-et.md');
    assert.deepEqual(kamau.target.selector[0], { type: 'TextQuoteSelector', exact: 'Kamau', prefix: TEXT.slice(m.start - 32, m.start), suffix: TEXT.slice(m.end, m.end + 32) });
    assert.deepEqual(kamau.target.selector[1], { type: 'TextPositionSelector', start: m.start, end: m.end });
    assert.deepEqual(kamau.body.map((b: { value: string }) => b.value), ['person', 'registry:wanjiru-kamau', 'Wanjiru Kamau']);
    assert.equal(kamau.motivation, 'identifying');
    assert.equal(items[2].motivation, 'classifying');
  });

  it('describes commitments by kind, action, actors, due and recurrence', () => {
    const review = items[MENTIONS.length + 1];
    const values = review.body.map((b: { value: string }) => b.value);
    assert.deepEqual(values, ['commitment:agree', REVIEW.action, 'actor:Wanjiru Kamau', 'actor:Tadesse Worku Gebremariam', 'recurrence:P3M']);
    assert.equal(review.id.endsWith(commitmentIds([PILOT, REVIEW, HARMONISE])[1]), true);
  });

  it('never cuts a surrogate pair in the context', () => {
    const text = `🤝${'x'.repeat(31)}Kamau${'y'.repeat(31)}🤝 end`;
    const [quote, position] = selectorsFor(text, 33, 38);
    assert.equal(quote.exact, 'Kamau');
    assert.equal(quote.prefix, `🤝${'x'.repeat(31)}`);
    assert.equal(quote.suffix, `${'y'.repeat(31)}🤝`);
    assert.deepEqual(position, { type: 'TextPositionSelector', start: 33, end: 38 });
  });
});

describe('exports: w3c re-anchoring', () => {
  const stored = toAnnotations('a.md', TEXT, result());
  const selectorsOf = (i: number): Selector[] => stored[i].target.selector;

  it('finds every annotation again after text is inserted before it', () => {
    const edited = `# Added heading\n\nA new first paragraph mentions Kamau and KRA.\n\n${TEXT}`;
    const shift = edited.length - TEXT.length;
    stored.forEach((a, i) => {
      const p = a.target.selector[1];
      assert.deepEqual(reanchor(selectorsOf(i), edited), { start: p.start + shift, end: p.end + shift }, a.id);
    });
  });

  it('falls back to the position when the context changed but the position still holds the quote', () => {
    const m = MENTIONS[1];
    const edited = `${TEXT.slice(0, m.start - 20)}${'#'.repeat(20)}${TEXT.slice(m.start)}`.replace('Nairobi', 'Mombasa');
    assert.deepEqual(reanchor(selectorsOf(1), edited), { start: m.start, end: m.end });
  });

  it('falls back to the quote alone, nearest the old position, and gives up when the quote is gone', () => {
    const m = MENTIONS[4];
    const edited = `Intro.\n${TEXT.slice(0, m.start - 15)}---${TEXT.slice(m.start, m.end)}--- and more`;
    assert.deepEqual(reanchor(selectorsOf(4), edited), { start: m.start - 15 + 7 + 3, end: m.end - 15 + 7 + 3 });
    assert.equal(reanchor(selectorsOf(4), TEXT.replace('Kenya Revenue Authority', 'KRA')), null);
    assert.deepEqual(reanchor([{ type: 'TextPositionSelector', start: 2, end: 5 }], 'abcdef'), { start: 2, end: 5 });
    assert.equal(reanchor([{ type: 'TextPositionSelector', start: 2, end: 50 }], 'abcdef'), null);
  });

  it('property: annotations follow random insertions outside them', () => {
    const spans = stored.map((a) => a.target.selector[1]);
    fc.assert(
      fc.property(fc.nat(TEXT.length), fc.stringMatching(/^[a-z0-9 .,\n]{1,40}$/), (offset, insert) => {
        if (spans.some((s) => offset > s.start && offset < s.end)) return;
        const edited = TEXT.slice(0, offset) + insert + TEXT.slice(offset);
        stored.forEach((a, i) => {
          const s = spans[i];
          const shift = offset <= s.start ? insert.length : 0;
          assert.deepEqual(reanchor(selectorsOf(i), edited), { start: s.start + shift, end: s.end + shift }, a.id);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('exports: brat', () => {
  const ann = exportBrat(TEXT, result());
  const lines = ann.trimEnd().split('\n');
  const index = new CodePointIndex(TEXT);

  it('writes text-bound lines with brat types and registry notes', () => {
    const m = MENTIONS[1];
    assert.equal(lines[2], `T2\tPerson ${m.start} ${m.end}\tWanjiru Kamau`);
    assert.equal(lines[3], '#2\tAnnotatorNotes T2\tregistry:wanjiru-kamau');
    assert.ok(lines.some((l) => /^T\d+\tOrganization \d+ \d+\tKRA$/.test(l)));
    assert.ok(!lines.some((l) => /AnnotatorNotes T3\t/.test(l)), 'an unlinked mention gets no registry note');
  });

  it('counts code points, as brat does, after astral characters', () => {
    const kra = MENTIONS[4];
    const line = lines.find((l) => l.endsWith('\tKenya Revenue Authority'));
    // Two astral characters before it: 🤝 on line 1 and the flag's two regional indicators on line 3.
    assert.equal(line, `T5\tOrganization ${kra.start - 3} ${kra.end - 3}\tKenya Revenue Authority`);
    assert.equal(index.toCodePoint(kra.start), kra.start - 3);
    assert.equal(index.toUtf16(kra.start - 3), kra.start);
  });

  it('cuts a commitment spanning a line break into fragments', () => {
    const line = lines.find((l) => l.includes('Commitment') && l.includes(';'));
    assert.ok(line);
    const doc = parseBrat(`${line}\n`);
    assert.equal(doc.textBounds[0].fragments.length, 2);
    assert.ok(!line.slice(0, -1).includes('\n'));
    assert.ok(lines.some((l) => /AnnotatorNotes T\d+\tid=c-[0-9a-f]{8}; kind=agree; actors=Wanjiru Kamau \| Tadesse Worku Gebremariam; recurrence=P3M$/.test(l)));
  });

  it('round-trips: parsed offsets point back at the same text', () => {
    const doc = parseBrat(ann);
    assert.equal(doc.textBounds.length, MENTIONS.length + 3);
    for (const t of doc.textBounds) {
      const pieces = t.fragments.map(([s, e]) => TEXT.slice(index.toUtf16(s), index.toUtf16(e)));
      assert.equal(pieces.join(' '), t.text);
    }
    const spans = doc.textBounds.slice(0, MENTIONS.length).map((t) => [index.toUtf16(t.fragments[0][0]), index.toUtf16(t.fragments[0][1])]);
    assert.deepEqual(spans, MENTIONS.map((m) => [m.start, m.end]));
    const linked = doc.notes.filter((n) => n.text.startsWith('registry:')).map((n) => n.text);
    assert.deepEqual(linked, MENTIONS.filter((m) => m.id).map((m) => `registry:${m.id}`));
  });

  it('property: code point offsets convert back for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const idx = new CodePointIndex(s);
        let cp = 0;
        for (let i = 0; i <= s.length; ) {
          assert.equal(idx.toCodePoint(i), cp);
          assert.equal(idx.toUtf16(cp), i);
          const c = s.codePointAt(i);
          i += c !== undefined && c > 0xffff ? 2 : 1;
          cp++;
        }
      }),
    );
  });
});

describe('exports: csv', () => {
  const csv = exportCsv(result());
  const rows = csv.split('\r\n');

  it('has a header and one CRLF-terminated row per commitment', () => {
    assert.equal(rows[0], 'actors,action,kind,due,recurrence,line,quote');
    assert.ok(csv.endsWith('\r\n'));
    const outsideQuotes = csv.replace(/"(?:[^"]|"")*"/g, '""');
    assert.ok(!/[^\r]\n/.test(outsideQuotes), 'bare LF only inside quoted fields');
  });

  it('quotes commas, quotes and newlines (RFC 4180) and defuses formulas', () => {
    assert.equal(rows[1], 'Kenya Revenue Authority,pilot the exchange,announce,,,3,Kamau said the 🇰🇪 Kenya Revenue Authority (KRA) would pilot the exchange next month.');
    assert.ok(csv.includes(`"${REVIEW.text.replace(/"/g, '""')}"`));
    assert.ok(csv.includes(`Both sides,"'=harmonise certificates, ""SPS"" first",pledge,2027-06,,8,`));
  });
});

describe('exports: ics', () => {
  const ics = exportIcs('articles/ke-et.md', result());
  const vcal = new ICAL.Component(ICAL.parse(ics));
  const events = vcal.getAllSubcomponents('vevent');

  it('maps durations to RRULEs and partial dates to the last day', () => {
    assert.equal(recurrenceRule('P3M'), 'FREQ=MONTHLY;INTERVAL=3');
    assert.equal(recurrenceRule('P1Y'), 'FREQ=YEARLY');
    assert.equal(recurrenceRule('P6M'), 'FREQ=MONTHLY;INTERVAL=6');
    assert.equal(recurrenceRule('P2Y'), 'FREQ=YEARLY;INTERVAL=2');
    assert.equal(recurrenceRule('P1W'), 'FREQ=WEEKLY');
    assert.equal(recurrenceRule('P1Y6M'), 'FREQ=MONTHLY;INTERVAL=18');
    assert.equal(recurrenceRule('PT3H'), null);
    assert.deepEqual(dueDay('2027'), [2027, 12, 31]);
    assert.deepEqual(dueDay('2028-02'), [2028, 2, 29]);
    assert.deepEqual(dueDay('2027-06-15'), [2027, 6, 15]);
  });

  it('parses with ical.js: one all-day event per dated or recurring commitment', () => {
    assert.equal(events.length, 2, 'the undated, non-recurring commitment is left out');
    const [review, harmonise] = events.map((e) => new ICAL.Event(e));
    assert.equal(review.startDate.toString(), '2026-10-21');
    assert.equal(review.startDate.isDate, true);
    assert.equal(review.component.getFirstPropertyValue('rrule')?.toString(), 'FREQ=MONTHLY;INTERVAL=3');
    assert.equal(harmonise.startDate.toString(), '2027-06-30');
    assert.equal(harmonise.endDate.toString(), '2027-07-01');
    assert.equal(harmonise.summary, 'Both sides: =harmonise certificates, "SPS" first');
    assert.match(harmonise.description, /Due: by the end of June 2027/);
    const next = review.iterator();
    next.next();
    assert.equal(next.next().toString(), '2027-01-21');
  });

  it('gives stable, unique UIDs from the checklist ids and the same file on every export', () => {
    const ids = commitmentIds([PILOT, REVIEW, HARMONISE]);
    const uids = events.map((e) => String(e.getFirstPropertyValue('uid')));
    assert.ok(uids[0].startsWith(`${ids[1]}.`));
    assert.ok(uids[1].startsWith(`${ids[2]}.`));
    assert.equal(exportIcs('articles/ke-et.md', result()), ics);
    assert.notEqual(exportIcs('articles/other.md', result()), ics);
  });

  it('skips a recurrence with no date to start from', () => {
    const out = exportIcs('a.md', result({ date: null }));
    assert.equal(new ICAL.Component(ICAL.parse(out)).getAllSubcomponents('vevent').length, 1);
  });
});
