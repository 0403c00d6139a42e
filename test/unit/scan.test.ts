import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packHighlights, type PackedHighlights } from '../../src/core/highlights';
import { parseRegistry } from '../../src/core/registry';
import { scan, ScanCache } from '../../src/core/scan';
import type { ScanResult } from '../../src/core/types';
import { fastestMs } from './fastest';

const REGISTRY = parseRegistry(
  `entities:
  - id: mohsin-naqvi
    name: Mohsin Naqvi
    type: person
    aliases: [Naqvi]
  - id: wang-xiaohong
    name: Wang Xiaohong
    type: person
  - id: moi-pk
    name: Ministry of Interior
    type: organization
`,
  'registry.yaml',
);

const PARAGRAPHS = [
  '# Pakistan and China agree on security cooperation',
  '**ISLAMABAD, March 3, 2026** — Interior Minister Mohsin Naqvi met his Chinese counterpart, Wang Xiaohong, in Beijing on Tuesday.',
  'Naqvi said Pakistan and China agreed to hold a joint dialogue every three months and to finalise a framework by the end of June 2026.',
  'The two sides committed to:\n\n- expand training for police officers;\n- set up a hotline within 60 days.',
  '- Foreign Minister Amina Qureshi invited the delegation to attend the Lahore Water Forum in September.',
  'He pledged to open a liaison office, according to the National Agency for Maritime Affairs (NAMA).',
  'NAMA will provide equipment. Wang said China stands ready to support the [[moi-pk|Ministry]].',
  '> "We value this partnership," one official said, praising the `draft` text and a [report](https://example.org/r).',
  '| Country | Minister |\n|---|---|\n| Kenya | Cabinet Secretary Musalia Mudavadi |',
];

/** Paragraphs whose persons share short forms (Li, Wang, Qiang), with ties and counts deciding. */
const CROWDED = [
  'Foreign Minister Li Wei met Trade Minister Wang Li in Beijing on Monday.',
  'Li said both sides agreed to meet again in May 2026.',
  'Interior Minister Li Qiang joined the talks later.',
  'Wang thanked Qiang and Li for the visit.',
  'Defence Minister Wang Qiang said Li was right, and Wang agreed.',
  'Qiang pledged to open an office in Lahore.',
  '# Li and Wang in Lahore',
];

/** Articles in the genre: headings, datelines, lists, quotes, tables, explicit links. */
const article = fc.array(fc.constantFrom(...PARAGRAPHS), { minLength: 1, maxLength: 10 }).map((ps) => `---\ndate: 2026-03-03\n---\n\n${ps.join('\n\n')}\n`);

type Edit = { at: number; remove: number; insert: string };
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: 60 })),
  insert: fc.constantFrom('', 'x', ' ', '\n', '\n\n', 'Q', ', ', 'Naqvi', ' Forum', '.', '- ', '# ', 'Minister Li Wei said ', ' (NAMA)', '[[wang-xiaohong]]'),
});

function apply(text: string, e: { at: number; remove: number; insert: string }): string {
  const at = Math.floor(e.at * text.length);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

/** A scan result as plain data (no cache-shared object identities). */
const plain = (r: ScanResult): unknown => JSON.parse(JSON.stringify(r));

describe('scan: incremental', function () {
  this.timeout(120_000);

  it('gives what a cold scan gives after random edits, with and without a registry', () => {
    fc.assert(
      fc.property(article, fc.array(edit, { minLength: 1, maxLength: 8 }), fc.boolean(), (start, edits: Edit[], withRegistry) => {
        const registry = withRegistry ? REGISTRY : null;
        const cache = new ScanCache();
        let text = start;
        scan(text, { registry, cache });
        for (const e of edits) {
          text = apply(text, e);
          assert.deepStrictEqual(plain(scan(text, { registry, cache })), plain(scan(text, { registry })));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('gives what a cold scan gives when several edits come between two scans, or paragraphs move', () => {
    const move = fc.record({ from: fc.nat(), to: fc.nat() });
    fc.assert(
      fc.property(article, fc.array(fc.oneof(fc.array(edit, { minLength: 2, maxLength: 4 }), move), { minLength: 1, maxLength: 5 }), fc.boolean(), (start, steps, withRegistry) => {
        const registry = withRegistry ? REGISTRY : null;
        const cache = new ScanCache();
        let text = start;
        scan(text, { registry, cache });
        for (const step of steps) {
          if (Array.isArray(step)) text = step.reduce(apply, text);
          else {
            const paragraphs = text.split('\n\n');
            const [moved] = paragraphs.splice(step.from % paragraphs.length, 1);
            paragraphs.splice(step.to % (paragraphs.length + 1), 0, moved);
            text = paragraphs.join('\n\n');
          }
          assert.deepStrictEqual(plain(scan(text, { registry, cache })), plain(scan(text, { registry })));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('resolves short names shared by several persons as a cold scan does, however the edits move counts and first mentions', () => {
    // Li, Wang and Qiang each fit two or three persons: which one a short name is depends on mentions anywhere before it.
    const crowded = fc
      .array(fc.constantFrom(...CROWDED), { minLength: 2, maxLength: 12 })
      .map((ps) => ps.join('\n\n') + '\n');
    const nameEdit = fc.record({
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      remove: fc.oneof(fc.constant(0), fc.nat({ max: 3 }), fc.nat({ max: 40 })),
      insert: fc.constantFrom('', 'x', '\n\n', 'Li ', ' Wang', 'Qiang said. ', 'Minister Li Wei ', ' Wang Qiang', 'Minister Wang Li said ', 'e'),
    });
    fc.assert(
      fc.property(crowded, fc.array(fc.oneof(nameEdit, fc.array(nameEdit, { minLength: 2, maxLength: 3 })), { minLength: 1, maxLength: 8 }), (start, steps) => {
        const cache = new ScanCache();
        let text = start;
        scan(text, { cache });
        for (const step of steps) {
          text = Array.isArray(step) ? step.reduce(apply, text) : apply(text, step);
          assert.deepStrictEqual(plain(scan(text, { cache })), plain(scan(text)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('matches identical neighbouring segments each to its own reading when text is put before them', () => {
    const start = `${CROWDED[0]}\n\n${CROWDED[6]}\n\n${CROWDED[6]}\n\n${CROWDED[6]}\n\n${CROWDED[0]}\n`;
    const cache = new ScanCache();
    scan(start, { cache });
    const text = ` Wang Qiangnister Li Wei ${start}`;
    assert.deepStrictEqual(plain(scan(text, { cache })), plain(scan(text)));
  });

  it('hands over the highlights of the final mentions before reading commitments', () => {
    const text = `${PARAGRAPHS[1]}\n\n${PARAGRAPHS[2]}\n\n${PARAGRAPHS[6]}\n`;
    let early: PackedHighlights = new Int32Array(0);
    const result = scan(text, { registry: REGISTRY, onHighlights: (highlights) => (early = highlights) });
    assert.ok(result.mentions.length > 0);
    assert.deepStrictEqual(early, packHighlights(result.mentions));
  });

  it('keeps working with one cache whatever the registry of each scan', () => {
    const cache = new ScanCache();
    let text = `${PARAGRAPHS[1]}\n\n${PARAGRAPHS[2]}\n\n${PARAGRAPHS[6]}\n`;
    for (const [i, registry] of [REGISTRY, null, REGISTRY, REGISTRY, null].entries()) {
      text = text.replace('Naqvi said', i % 2 ? 'Naqvi said' : 'Naqvi then said');
      assert.deepStrictEqual(plain(scan(text, { registry, cache })), plain(scan(text, { registry })));
    }
  });

  it('re-reads every paragraph when an edit elsewhere changes what a name stands for', () => {
    const cache = new ScanCache();
    const before = `${PARAGRAPHS[5]}\n\nThe minister thanked NAMA for its help.\n`;
    assert.ok(scan(before, { cache }).mentions.some((m) => m.text === 'NAMA' && m.start > PARAGRAPHS[5].length));
    // Without its definition the acronym in the second paragraph (not edited) is no longer a mention.
    const after = before.replace(' (NAMA)', '');
    const second = scan(after, { cache });
    assert.deepStrictEqual(plain(second), plain(scan(after)));
    assert.ok(!second.mentions.some((m) => m.text === 'NAMA'));
  });

  it('follows a registry change with the same cache', () => {
    const cache = new ScanCache();
    const text = `${PARAGRAPHS[1]}\n\n${PARAGRAPHS[2]}\n`;
    const cold = scan(text, { cache });
    assert.ok(cold.mentions.every((m) => m.id === null));
    const linked = scan(text, { registry: REGISTRY, cache });
    assert.ok(linked.mentions.some((m) => m.id === 'mohsin-naqvi'));
    assert.deepStrictEqual(plain(linked), plain(scan(text, { registry: REGISTRY })));
  });
});

describe('scan: linear in the text', function () {
  this.timeout(120_000);

  /** Genre text of about `size` characters, every paragraph with its own names. */
  function genre(size: number): string {
    const parts: string[] = [];
    let length = 0;
    for (let i = 0; length < size; i++) {
      const name = `Ka${'ran'.repeat(1 + (i % 3))}${String.fromCharCode(97 + (i % 26))} Mo${String.fromCharCode(97 + ((i * 7) % 26))}li`;
      const p = `Foreign Minister ${name} met his counterpart in Nairobi on Tuesday, according to the Ministry of Trade. ${name.split(' ')[1]} said Kenya and Peru agreed to meet every three months and to sign a framework by the end of March 2027.`;
      parts.push(p);
      length += p.length + 2;
    }
    return parts.join('\n\n');
  }

  it('takes less than eight times as long on four times the text', function () {
    // Linear gives ×4 and a quadratic step ×16: a factor of two either way is left for noise (a full
    // collection of a heap other tests have grown, a burst of load on a shared machine), which twice
    // the text against a bound of ×3 did not leave.
    this.retries(2);
    const small = genre(40_000);
    const large = genre(160_000);
    scan(small);
    const ratio = fastestMs(() => scan(large)) / fastestMs(() => scan(small));
    assert.ok(ratio < 8, `four times the text took ${ratio.toFixed(2)}× as long`);
  });
});
