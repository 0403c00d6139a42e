import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  articleHash,
  articleTitle,
  commitmentIds,
  describeRecurrence,
  isChecklistStale,
  mergeChecklist,
  parseChecklist,
  renderChecklist,
} from '../../src/core/checklist';
import { scan } from '../../src/core/scan';
import type { Commitment, CommitmentKind } from '../../src/core/types';

const ARTICLE = `---
title: China and Uzbekistan agree on a trade corridor
date: 2026-03-04
---

*Tashkent, March 4* — The ministers met.

The two sides agreed to:

1. open the joint logistics hub in Andijan by the end of March 2027;
2. convene the customs subcommittee every three months;
`;

function commitment(over: Partial<Commitment> = {}): Commitment {
  return {
    start: 100,
    end: 160,
    text: 'open the joint logistics hub in Andijan by the end of March 2027;',
    kind: 'agree',
    actors: ['Wang Jianmin', 'Jamshid Rakhimov'],
    actorKeys: ['wang-jianmin', 'jamshid-rakhimov'],
    action: 'open the joint logistics hub in Andijan',
    due: '2027-03-31',
    recurrence: null,
    dueText: 'by the end of March 2027',
    line: 10,
    ...over,
  };
}

const HUB = commitment();
const SUBCOMMITTEE = commitment({
  start: 170,
  end: 220,
  text: 'convene the customs subcommittee every three months;',
  action: 'convene the customs subcommittee',
  due: null,
  dueText: undefined,
  recurrence: 'P3M',
  recurrenceText: 'every three months',
  line: 11,
});

function render(commitments: Commitment[], articleText = ARTICLE): string {
  return renderChecklist({ articlePath: '../articles/uz trade.md', articleText, date: '2026-03-04', commitments, entities: [] });
}

describe('checklist: render', () => {
  const out = render([SUBCOMMITTEE, HUB]);
  const lines = out.split('\n');

  it('writes front matter the editor can read back', () => {
    assert.equal(lines[0], '---');
    assert.ok(lines.includes('attache: checklist'));
    assert.ok(lines.includes('article: ../articles/uz trade.md'));
    assert.ok(render([], 'x').includes('articleHash: '));
    assert.ok(lines.includes('generated-from-date: 2026-03-04'));
    const parsed = parseChecklist(out);
    assert.equal(parsed.article, '../articles/uz trade.md');
    assert.equal(parsed.articleHash, articleHash(ARTICLE));
  });

  it('titles the checklist after the article and lists items in article order', () => {
    assert.ok(lines.includes('# Commitments: China and Uzbekistan agree on a trade corridor'));
    const items = parseChecklist(out).items;
    assert.deepEqual(items.map((i) => i.id), commitmentIds([HUB, SUBCOMMITTEE]));
    assert.match(items[0].lines[0], /^- \[ \] \*\*Wang Jianmin, Jamshid Rakhimov\*\* agreed: open the joint logistics hub in Andijan <!-- attache:c-[0-9a-f]{8} -->$/);
  });

  it('shows due, recurrence in words and ISO, kind, a line link and the quote', () => {
    const [hub, sub] = parseChecklist(out).items;
    assert.equal(hub.lines[1], '  Due **2027-03-31** (“by the end of March 2027”) · agree · [line 10](../articles/uz%20trade.md#L10)');
    assert.equal(hub.lines[2], '  > open the joint logistics hub in Andijan by the end of March 2027;');
    assert.equal(sub.lines[1], '  Repeats every 3 months (P3M) · agree · [line 11](../articles/uz%20trade.md#L11)');
  });

  it('escapes markup from the article so it cannot become links, HTML or a fake id', () => {
    const nasty = commitment({ action: 'sign [x](command:evil) <img src=x> <!-- attache:c-00000000 -->', text: 'a\nb *c*' });
    const item = parseChecklist(render([nasty])).items;
    assert.equal(item.length, 1);
    assert.ok(!item[0].lines[0].includes('[x](command'));
    assert.ok(item[0].lines[0].includes('\\<img src=x\\>'));
    assert.equal(item[0].lines[2], '  > a b \\*c\\*');
  });

  it('quotes the source sentence as a reader sees it, without the article’s markup', () => {
    const articleText = '# Talks\n\n*Tashkent, March 4* — Minister **Ali Karimov** agreed to open a hub in [Andijan](https://x.org/a) by March 2027.\n';
    const result = scan(articleText);
    assert.equal(result.commitments.length, 1);
    const out = renderChecklist({ articlePath: 'a.md', articleText, date: '2026-03-04', commitments: result.commitments, entities: result.entities });
    const quote = parseChecklist(out).items[0].lines[2];
    assert.match(quote, /^ {2}> .*Minister Ali Karimov agreed to open a hub in Andijan by March 2027\.$/);
    assert.ok(!/[*\\[\]()]/.test(quote), quote);
  });

  it('says so when there is nothing to check', () => {
    assert.match(render([]), /_No commitments found in the article\._/);
  });
});

describe('checklist: ids', () => {
  it('do not depend on offsets, line, case or punctuation', () => {
    const moved = commitment({ start: 5000, end: 5060, line: 99, action: 'Open the joint logistics hub, in Andijan', actors: ['Jamshid Rakhimov', 'Wang Jianmin'] });
    assert.deepEqual(commitmentIds([moved]), commitmentIds([HUB]));
  });

  it('differ by kind, action and actors', () => {
    const [a] = commitmentIds([HUB]);
    assert.notEqual(commitmentIds([commitment({ kind: 'pledge' })])[0], a);
    assert.notEqual(commitmentIds([commitment({ action: 'close the hub' })])[0], a);
    assert.notEqual(commitmentIds([commitment({ actors: ['Wang Jianmin'] })])[0], a);
  });

  it('stay unique when a commitment repeats', () => {
    const ids = commitmentIds([HUB, commitment({ start: 900 }), commitment({ start: 990 })]);
    assert.equal(new Set(ids).size, 3);
    assert.match(ids[2], /^c-[0-9a-f]{8}-3$/);
  });
});

describe('checklist: helpers', () => {
  it('describes recurrences in words', () => {
    assert.equal(describeRecurrence('P3M'), 'every 3 months');
    assert.equal(describeRecurrence('P1Y'), 'every year');
    assert.equal(describeRecurrence('P6M'), 'every 6 months');
    assert.equal(describeRecurrence('P2Y'), 'every 2 years');
    assert.equal(describeRecurrence('P1W'), 'every week');
    assert.equal(describeRecurrence('R/odd'), 'R/odd');
  });

  it('finds a title in front matter, else the first heading outside code, else the file name', () => {
    assert.equal(articleTitle('# Readout\ntext', 'a.md'), 'Readout');
    assert.equal(articleTitle('```\n# not a title\n```\n## Real one ##\n', 'a.md'), 'Real one');
    assert.equal(articleTitle('---\ntitle: [broken\n---\nNo heading', 'dir/2026-05 talks.md'), '2026-05 talks');
  });

  it('hashes articles independently of line endings, and reports a stale checklist', () => {
    assert.equal(articleHash('a\r\nb'), articleHash('a\nb'));
    assert.notEqual(articleHash('a\nb'), articleHash('a\nc'));
    const checklist = render([HUB]);
    assert.equal(isChecklistStale(checklist, ARTICLE), false);
    assert.equal(isChecklistStale(checklist, ARTICLE + 'More news.\n'), true);
  });
});

describe('checklist: merge', () => {
  const first = render([HUB, SUBCOMMITTEE]);
  const [hubId, subId] = commitmentIds([HUB, SUBCOMMITTEE]);

  function tick(text: string, id: string): string {
    return text.split('\n').map((l) => (l.includes(`attache:${id} `) ? l.replace('- [ ]', '- [x]') : l)).join('\n');
  }

  it('keeps ticks and notes, and refreshes the generated lines', () => {
    const edited = tick(first, hubId).replace(
      '  > open the joint logistics hub in Andijan by the end of March 2027;',
      '  > open the joint logistics hub in Andijan by the end of March 2027;\n  - Asked the embassy for the hub’s opening date.',
    );
    const fresh = render([commitment({ line: 14, due: '2027-03' }), SUBCOMMITTEE], ARTICLE + '\nAn added paragraph.\n');
    const merged = mergeChecklist(edited, fresh);
    const items = parseChecklist(merged).items;
    assert.equal(items[0].id, hubId);
    assert.equal(items[0].checked, true);
    assert.match(items[0].lines[1], /^ {2}Due \*\*2027-03\*\*.*\[line 14\]/);
    assert.equal(items[0].lines[3], '  - Asked the embassy for the hub’s opening date.');
    assert.equal(parseChecklist(merged).articleHash, articleHash(ARTICLE + '\nAn added paragraph.\n'));
  });

  it('moves ticked or annotated vanished items to their own section and drops untouched ones', () => {
    const third = commitment({ action: 'publish a list of certified exporters', start: 300, line: 12 });
    const withThird = render([HUB, SUBCOMMITTEE, third]);
    const thirdId = commitmentIds([third])[0];
    const edited = tick(withThird, subId);
    const merged = mergeChecklist(edited, render([HUB]));
    const parsed = parseChecklist(merged);
    assert.deepEqual(parsed.items.map((i) => [i.id, i.checked, i.vanished]), [[hubId, false, false], [subId, true, true]]);
    assert.ok(!merged.includes(thirdId));
    assert.match(merged, /\n## No longer found in the article\n/);
  });

  it('brings a vanished item back when its commitment reappears', () => {
    const merged = mergeChecklist(tick(first, subId), render([HUB]));
    const back = mergeChecklist(merged, render([HUB, SUBCOMMITTEE]));
    assert.ok(!back.includes('No longer found'));
    assert.deepEqual(parseChecklist(back).items.map((i) => [i.id, i.checked]), [[hubId, false], [subId, true]]);
  });

  it('keeps analyst front matter, text around the list and the file’s line endings', () => {
    const edited = first
      .replace('attache: checklist\n', 'attache: checklist\nreviewer: A. Analyst\n')
      .replace('# Commitments:', 'Read with the March cable.\n\n# Commitments:')
      .concat('\nSee also the Samarkand forum file.\n')
      .replace(/\n/g, '\r\n');
    const merged = mergeChecklist(edited, render([HUB, SUBCOMMITTEE], ARTICLE + 'x'));
    assert.ok(merged.includes('reviewer: A. Analyst\r\n'));
    assert.ok(merged.includes('Read with the March cable.\r\n'));
    assert.ok(merged.includes('See also the Samarkand forum file.'));
    assert.ok(!/[^\r]\n/.test(merged));
    assert.equal(parseChecklist(merged).articleHash, articleHash(ARTICLE + 'x'));
  });

  it('folds an item the analyst duplicated back into one, keeping both notes', () => {
    const lines = first.split('\n');
    const hubStart = lines.findIndex((l) => l.includes(hubId));
    const copy = [lines[hubStart].replace('[ ]', '[x]'), '  copy note'];
    const edited = [...lines, ...copy, ''].join('\n');
    const merged = mergeChecklist(edited, first);
    const items = parseChecklist(merged).items.filter((i) => i.id === hubId);
    assert.equal(items.length, 1);
    assert.equal(items[0].checked, true);
    assert.ok(items[0].lines.includes('  copy note'));
  });

  it('is the identity on a freshly rendered checklist', () => {
    assert.equal(mergeChecklist(first, first), first);
  });
});

// ---------- property: regeneration never loses the analyst's work ----------

const KINDS: CommitmentKind[] = ['agree', 'pledge', 'invite', 'sign', 'decide'];
const POOL: Commitment[] = Array.from({ length: 8 }, (_, i) =>
  commitment({
    start: 100 * i,
    end: 100 * i + 50,
    kind: KINDS[i % KINDS.length],
    actors: i % 3 === 0 ? ['Both sides'] : ['Kamau', 'Tadesse'],
    action: `action number ${i} on ${['tea', 'livestock', 'customs', 'ports'][i % 4]}`,
    text: `The committee agreed on action number ${i}.`,
    due: i % 2 ? `2027-0${(i % 9) + 1}` : null,
    recurrence: i % 3 === 1 ? 'P6M' : null,
    line: 10 + i,
  }),
);

const subset = fc.subarray(POOL.map((_, i) => i)).map((ix) => ix.map((i) => POOL[i]));

/** A line an analyst might write: indented or not, any text, never one of the generated shapes. */
const noteText = fc
  .tuple(fc.constantFrom('', '  ', '    ', '- ', '  - [ ] '), fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }))
  .map(([indent, body]) => `${indent}${body}`)
  .filter((l) => !/[\r\n\u2028\u2029]/.test(l) && l.trim() !== '' && !l.includes('<!-- attache:') && !/^ {2}> /.test(l) && !/#L\d/.test(l) && !/^(#|_No commitments|---)/.test(l.trim()));

function blocksOf(text: string): { head: string[]; items: string[][] } {
  const lines = text.split('\n');
  const head: string[] = [];
  const items: string[][] = [];
  for (const l of lines) {
    if (/<!-- attache:c-/.test(l)) items.push([l]);
    else if (items.length) items[items.length - 1].push(l);
    else head.push(l);
  }
  return { head, items };
}

interface Edit {
  ticks: boolean[];
  order: number[];
  notes: { at: number; text: string }[];
}

const edits = fc.record({
  ticks: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8, maxLength: 8 }),
  notes: fc.array(fc.record({ at: fc.nat(), text: noteText }), { maxLength: 6 }),
});

/** Applies an analyst's session: ticks, reordering of items, notes at random lines after the front matter. */
function applyEdit(checklist: string, edit: Edit, tag: string): { text: string; notes: string[]; ticked: string[] } {
  const { head, items } = blocksOf(checklist);
  const ticked: string[] = [];
  items.forEach((item, i) => {
    if (!edit.ticks[i]) return;
    item[0] = item[0].replace(/\[[ xX]\]/, i % 2 ? '[X]' : '[x]');
  });
  for (const item of items) {
    const m = /^- \[[xX]\].*attache:(c-[0-9a-f-]+) /.exec(item[0]);
    if (m) ticked.push(m[1]);
  }
  const order = edit.order.filter((i) => i < items.length);
  const lines = [...head, ...order.flatMap((i) => items[i])];
  const frontEnd = lines.indexOf('---', 1) + 1;
  const notes = edit.notes.map((n, k) => ({ at: n.at, text: `${n.text} ·${tag}${k}` }));
  for (const n of notes) lines.splice(frontEnd + (n.at % (lines.length - frontEnd + 1)), 0, n.text);
  return { text: lines.join('\n'), notes: notes.map((n) => n.text), ticked };
}

describe('checklist: merge properties', () => {
  it('keeps every tick and analyst line across regenerations, without duplicates, idempotently', () => {
    fc.assert(
      fc.property(subset, fc.array(fc.tuple(edits, subset), { minLength: 1, maxLength: 3 }), (initial, rounds) => {
        let checklist = render(initial);
        const notes: string[] = [];
        const ticks = new Set<string>();
        rounds.forEach(([edit, next], round) => {
          const edited = applyEdit(checklist, edit, `r${round}n`);
          notes.push(...edited.notes);
          edited.ticked.forEach((id) => ticks.add(id));
          const regenerated = render(next);
          checklist = mergeChecklist(edited.text, regenerated);

          assert.equal(mergeChecklist(checklist, regenerated), checklist, 'merge is idempotent');
          const lines = checklist.split('\n');
          for (const note of notes) assert.equal(lines.filter((l) => l === note).length, 1, `note kept once: ${note}`);
          const items = parseChecklist(checklist).items;
          const ids = items.map((i) => i.id);
          assert.equal(new Set(ids).size, ids.length, 'no duplicate items');
          for (const id of ticks) assert.ok(items.some((i) => i.id === id && i.checked), `tick kept: ${id}`);
          const active = items.filter((i) => !i.vanished).map((i) => i.id);
          assert.deepEqual(active, commitmentIds(next), 'order follows the regenerated checklist');
          for (const i of items.filter((x) => x.vanished)) {
            assert.ok(i.checked || i.lines.slice(3).some((l) => l.trim() !== ''), 'vanished items are kept only when touched');
          }
        });
      }),
      { numRuns: 300 },
    );
  });
});
