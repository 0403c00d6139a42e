// Hostile and malformed input: property tests over generated and mutated genre-like markdown and
// registry YAML (the pipeline never throws, every offset it hands out is valid), and the
// pathological markdown families grow linearly.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRegistry } from '../../src/core/registry';
import { scan } from '../../src/core/scan';
import { splitSentences } from '../../src/core/sentences';
import type { Problem, Registry, ScanResult, Span } from '../../src/core/types';
import { fastestMs } from './fastest';

// ---------- generators ----------

const TITLES = ['Foreign Minister', 'Interior Minister', 'President', 'Vice Premier', 'Secretary-General', 'Ambassador', 'Prime Minister', 'Deputy Foreign Minister', 'Chief of Army Staff', 'وزير الخارجية', 'Министр'];
const NAMES = [
  'Mohsin Naqvi', 'Xu Datong', 'Seán O’Brien', "Ana María López-Obrador", 'Wang Yi', 'Ishaq Dar', 'Jean-Noël Barrot', 'Kim Jong Un',
  '王毅', 'Сергей Лавров', 'محمد إسحاق دار', 'नरेंद्र मोदी', 'Ταγίπ', '𝒜lice 𝔅ob', 'Li 𠀀𠀁', 'Naqvi’s', "Lavrov's",
];
const ORGS = ['the United Nations', 'ASEAN', 'the Ministry of Foreign Affairs', 'NATO', 'the Shanghai Cooperation Organisation (SCO)', 'the European Union', 'Организация'];
const PLACES = ['Beijing', 'Islamabad', 'Kuala Lumpur', 'New Delhi', 'Москва', 'القاهرة', 'Addis Ababa'];
const CLAUSES = [
  'agreed to meet every three months', 'pledged $2 billion by 2027', 'signed a memorandum on 5 March', 'will visit next week',
  'invited the delegation to attend the summit in September', 'announced a joint commission', 'called for a ceasefire', 'met on January 7, 2026',
  'decided to hold annual talks', 'reached a consensus on trade', 'said nothing', 'ratified the treaty by the end of the year',
];
const WORDS = ['the', 'talks', 'both sides', 'on Monday', 'in 2025', 'said', 'and', '—', '“quoted”', '(aside)', '…', '😀', 'e.g.', 'Dr.', 'U.S.', '3.5%'];
const CODE = ['Minister Ali Khan agreed', 'const x = 1;', 'President Wang Yi', '<script>alert(1)</script>'];

const pick = <T>(xs: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...xs);

const person = fc.tuple(fc.option(pick(TITLES), { nil: undefined }), pick(NAMES)).map(([t, n]) => (t ? `${t} ${n}` : n));
const phrase = fc.oneof(
  fc.tuple(person, pick(CLAUSES)).map(([p, c]) => `${p} ${c}`),
  fc.tuple(pick(ORGS), pick(CLAUSES), pick(PLACES)).map(([o, c, pl]) => `${o} ${c} in ${pl}`),
  pick(WORDS),
  fc.string({ maxLength: 12, unit: 'grapheme' }),
);

/** Inline markup wrapped around a phrase. */
const inline = fc.oneof(
  { weight: 4, arbitrary: phrase },
  phrase.map((p) => `**${p}**`),
  phrase.map((p) => `_${p}_`),
  phrase.map((p) => `~~${p}~~`),
  pick(CODE).map((c) => `\`${c}\``),
  fc.tuple(phrase, pick(NAMES)).map(([p, n]) => `[${p}](https://example.org/${encodeURIComponent(n)} "Minister ${n}")`),
  pick(NAMES).map((n) => `![${n}](img/${n}.png)`),
  pick(['mohsin-naqvi', 'wang-yi', 'no-such-id']).map((id) => `[[${id}]]`),
  fc.tuple(pick(['mohsin-naqvi', 'wang-yi']), pick(NAMES)).map(([id, n]) => `[[${id}|${n}]]`),
  pick(['<span>Minister Ali</span>', '<!-- President Xi -->', '<https://example.org/Minister>', '[^1]', '\\*', '&amp;', '<br>']),
);

const sentence = fc.array(inline, { minLength: 1, maxLength: 6 }).map((parts) => `${parts.join(' ')}.`);
const paragraph = fc.array(sentence, { minLength: 1, maxLength: 4 }).map((s) => s.join(' '));

const block = fc.oneof(
  { weight: 4, arbitrary: paragraph },
  fc.tuple(fc.integer({ min: 1, max: 6 }), sentence).map(([n, s]) => `${'#'.repeat(n)} ${s}`),
  fc.array(sentence, { minLength: 1, maxLength: 4 }).map((items) => items.map((s) => `- ${s}`).join('\n')),
  fc.array(sentence, { minLength: 1, maxLength: 3 }).map((items) => items.map((s, i) => `${i + 1}. ${s}\n   - ${s}`).join('\n')),
  paragraph.map((p) => `> ${p}\n> > ${p}`),
  pick(CODE).map((c) => `\`\`\`ts\n${c}\n\n${c}\n\`\`\``),
  pick(CODE).map((c) => `    ${c}`),
  fc.array(fc.tuple(inline, inline), { minLength: 1, maxLength: 4 }).map((rows) => ['| Who | What |', '|---|:---:|', ...rows.map(([a, b]) => `| ${a.replace(/\|/g, '\\|')} | ${b.replace(/\|/g, '\\|')} |`)].join('\n')),
  fc.constant('---'),
  fc.constant('[^1]: Footnote about Foreign Minister Wang Yi.'),
  fc.constant('<div>\nPresident <b>Xi</b>\n</div>'),
);

const frontMatter = fc.oneof(
  fc.constant(''),
  fc.constant('---\ndate: 2026-01-07\ntitle: Minister Ali Khan visits\n---\n'),
  fc.constant('---\ndate: [unclosed\n---\n'),
  fc.constant('+++\ndate = "2026-01-07"\n+++\n'),
);

const markdown = fc
  .record({
    front: frontMatter,
    blocks: fc.array(block, { minLength: 1, maxLength: 8 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    nul: fc.boolean(),
  })
  .map(({ front, blocks, crlf, bom, nul }) => {
    let text = front + blocks.join('\n\n') + '\n';
    if (nul) text = text.replace(/ /, ' \u0000');
    if (crlf) text = text.replace(/\n/g, '\r\n');
    return (bom ? '\uFEFF' : '') + text;
  });

const MARKUP = ['*', '_', '`', '```', '[', ']', '(', ')', '<', '>', '#', '|', '-', '~', '!', ':', '\\', '\n', '\r\n', '\u0000', '---\n', '> ', '- ', '[[', ']]', '$', '\uD83D', '\uDE00'];

type Mutation = { kind: 'insert'; at: number; piece: string } | { kind: 'delete' | 'duplicate'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), piece: pick(MARKUP) }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
);

/** Applies edits at positions taken modulo the current length (so every generated edit lands). */
function mutate(text: string, mutations: readonly Mutation[]): string {
  for (const m of mutations) {
    const at = text.length === 0 ? 0 : m.at % (text.length + 1);
    if (m.kind === 'insert') text = text.slice(0, at) + m.piece + text.slice(at);
    else if (m.kind === 'delete') text = text.slice(0, at) + text.slice(at + m.length);
    else text = text.slice(0, at) + text.slice(at, at + m.length) + text.slice(at);
  }
  return text;
}

const mutatedMarkdown = fc.tuple(markdown, fc.array(mutation, { minLength: 1, maxLength: 25 })).map(([t, ms]) => mutate(t, ms));

// ---------- a registry for the scans, and registry YAML ----------

const REGISTRY_YAML = `# test registry
entities:
  - id: mohsin-naqvi
    name: Mohsin Naqvi
    type: person
    aliases: [Naqvi, "Interior Minister"]
    country: PK
    roles:
      - { title: Interior Minister, org: moi-pk, from: 2024-03-11 }
  - id: moi-pk
    name: Ministry of Interior
    type: organization
  - id: wang-yi
    name: Wang Yi
    type: person
    aliases: [王毅]
  - id: un
    name: United Nations
    type: organization
    aliases: [UN]
  - id: beijing
    name: Beijing
    type: place
`;
const REGISTRY = parseRegistry(REGISTRY_YAML, 'registry.yaml');

const yamlEntry = fc
  .record({
    id: fc.oneof(pick(['a', 'b-c', 'mohsin-naqvi', 'x']), fc.string({ maxLength: 8 })),
    name: fc.oneof(pick(NAMES), fc.string({ maxLength: 10 })),
    type: pick(['person', 'organization', 'place', 'event', 'wizard', '42']),
    aliases: fc.array(fc.oneof(pick(NAMES), fc.string({ maxLength: 6 })), { maxLength: 3 }),
    from: pick(['2024-03-11', '2024', 'yesterday', '2024-13-45']),
  })
  .map((e) => `  - id: ${e.id}\n    name: ${JSON.stringify(e.name)}\n    type: ${e.type}\n    aliases: [${e.aliases.map((a) => JSON.stringify(a)).join(', ')}]\n    roles:\n      - { title: Minister, from: ${e.from} }\n    notes: "see [x](command:foo) <img src=x>"`);

const registryYaml = fc
  .tuple(fc.array(yamlEntry, { maxLength: 5 }), fc.array(mutation, { maxLength: 15 }), fc.boolean())
  .map(([entries, ms, crlf]) => {
    const text = mutate(`# comment\nentities:\n${entries.join('\n')}\n`, ms);
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

// ---------- invariants ----------

function assertSpan(span: Span, length: number, what: string): void {
  assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what}: integer offsets`);
  assert.ok(0 <= span.start && span.start <= span.end && span.end <= length, `${what}: ${span.start}..${span.end} outside 0..${length}`);
}

/** A 1-based line:column inside the text (the column may sit just past the line's last character). */
function assertPosition(text: string, position: { line: number; column: number }, what: string): void {
  const lines = text.split('\n');
  assert.ok(Number.isInteger(position.line) && position.line >= 1 && position.line <= lines.length, `${what}: line ${position.line} of ${lines.length}`);
  const width = lines[position.line - 1].length;
  assert.ok(Number.isInteger(position.column) && position.column >= 1 && position.column <= width + 1, `${what}: column ${position.column} of ${width + 1}`);
}

function assertProblems(text: string, problems: readonly Problem[]): void {
  for (const p of problems) {
    assertPosition(text, p.start, `problem ${p.rule}`);
    if (p.end) assertPosition(text, p.end, `problem ${p.rule} end`);
    if (p.span) assertSpan(p.span, text.length, `problem ${p.rule} span`);
  }
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function assertScan(text: string, result: ScanResult): void {
  const { prose } = result;
  assert.equal(prose.text, text);
  assert.equal(prose.prose.length, text.length, 'the prose mask keeps every offset');
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) assert.equal(prose.prose[i], '\n', `newline kept at ${i}`);
  if (prose.frontMatter) {
    assertSpan(prose.frontMatter, text.length, 'front matter');
    assert.match(prose.prose.slice(prose.frontMatter.start, prose.frontMatter.end), /^\s*$/, 'front matter is masked');
  }
  for (const b of prose.blocks) assertSpan(b, text.length, `${b.kind} block`);
  for (const s of splitSentences(prose)) {
    assertSpan(s, text.length, 'sentence');
    assert.ok(s.block >= 0 && s.block < prose.blocks.length, 'sentence names a block');
  }

  let previousEnd = 0;
  for (const m of result.mentions) {
    assertSpan(m, text.length, `mention ${JSON.stringify(m.text)}`);
    assert.ok(m.end > m.start, 'a mention is not empty');
    assert.equal(text.slice(m.start, m.end), m.text);
    assert.ok(m.start >= previousEnd, `mention ${JSON.stringify(m.text)} at ${m.start} overlaps the one before (ends ${previousEnd})`);
    previousEnd = m.end;
    // Code, link destinations, HTML and front matter are masked: none of their letters may be in a mention.
    for (let i = m.start; i < m.end; i++) {
      if (prose.prose[i] !== text[i]) assert.ok(!LETTER_OR_DIGIT.test(text[i]), `mention ${JSON.stringify(m.text)} reaches into masked text at ${i}`);
    }
    assert.equal(prose.prose[m.start], text[m.start], 'a mention starts on prose');
    assert.equal(prose.prose[m.end - 1], text[m.end - 1], 'a mention ends on prose');
  }
  const mentions = new Set(result.mentions);
  for (const e of result.entities) {
    for (const m of e.mentions) assert.ok(mentions.has(m) || result.mentions.some((x) => x.start === m.start && x.end === m.end), 'entity mentions are document mentions');
  }

  const lineOf = (offset: number): number => text.slice(0, offset).split('\n').length;
  for (const c of result.commitments) {
    assertSpan(c, text.length, 'commitment');
    assert.equal(text.slice(c.start, c.end), c.text, 'a commitment quotes the text at its offsets');
    assert.equal(c.line, lineOf(c.start), 'a commitment is on the line of its start');
    if (c.due !== null) assert.match(c.due, /^\d{4}(-\d{2}(-\d{2})?)?$/);
    if (c.recurrence !== null) assert.match(c.recurrence, /^P(\d+[YMWD])+$/);
  }
  if (result.date !== null) assert.match(result.date, /^\d{4}-\d{2}-\d{2}$/);
  assertProblems(text, result.problems);
}

function scanChecked(text: string, registry: Registry | null): void {
  let result: ScanResult;
  try {
    result = scan(text, { registry });
  } catch (e) {
    assert.fail(`scan threw on ${JSON.stringify(text.slice(0, 300))}: ${e instanceof Error ? e.stack : String(e)}`);
  }
  assertScan(text, result);
}

describe('robustness: scan over generated markdown', function () {
  this.timeout(120_000);

  it('never throws and hands out valid offsets on generated genre-like markdown', () => {
    fc.assert(fc.property(markdown, fc.boolean(), (text, withRegistry) => scanChecked(text, withRegistry ? REGISTRY : null)), { numRuns: 250 });
  });

  it('never throws and hands out valid offsets on mutated markdown', () => {
    fc.assert(fc.property(mutatedMarkdown, fc.boolean(), (text, withRegistry) => scanChecked(text, withRegistry ? REGISTRY : null)), { numRuns: 300 });
  });

  it('survives arbitrary strings, lone surrogates and control characters', () => {
    const anyText = fc.oneof(fc.string({ maxLength: 300, unit: 'binary' }), fc.string({ maxLength: 300, unit: 'grapheme' }));
    fc.assert(fc.property(anyText, (text) => scanChecked(text, REGISTRY)), { numRuns: 300 });
  });

  it('keeps mentions out of code, link destinations and front matter (a known case)', () => {
    const text = '---\ntitle: Mohsin Naqvi\n---\nSee `Mohsin Naqvi` and [the minister](https://x.org/Mohsin-Naqvi "Wang Yi").\n\n```\nWang Yi\n```\nMohsin Naqvi met Wang Yi in Beijing.\n';
    const result = scan(text, { registry: REGISTRY });
    assertScan(text, result);
    const prose = text.indexOf('Mohsin Naqvi met');
    assert.deepEqual(
      result.mentions.filter((m) => m.id !== null).map((m) => [m.text, m.start >= prose]),
      [['Mohsin Naqvi', true], ['Wang Yi', true], ['Beijing', true]],
    );
  });
});

describe('robustness: registry YAML', () => {
  it('parseRegistry never throws on mutated YAML and places every problem inside the file', () => {
    fc.assert(
      fc.property(registryYaml, (text) => {
        let registry: Registry;
        try {
          registry = parseRegistry(text, 'mutated.yaml');
        } catch (e) {
          assert.fail(`parseRegistry threw on ${JSON.stringify(text)}: ${String(e)}`);
        }
        assertProblems(text, registry.problems);
        for (const e of registry.entities) {
          assertSpan(e.source.span, text.length, `entry ${e.id}`);
          assertSpan(e.source.idSpan, text.length, `id of ${e.id}`);
          assertPosition(text, e.source.start, `entry ${e.id}`);
          assert.equal(registry.byId.get(e.id), e, 'byId indexes the entries');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('reports a syntax error at its line', () => {
    const registry = parseRegistry('entities:\n  - id: x\n    name: [unclosed\n    type: person\n', 'bad.yaml');
    const syntax = registry.problems.find((p) => p.severity === 'error');
    assert.ok(syntax, 'an error is reported');
    assert.ok(syntax.start.line >= 3, `at line ${syntax.start.line}`);
  });
});

// ---------- linear growth ----------

/** The pathological families of the robustness suite: each makes a document of size n; n is picked so the small one takes tens of milliseconds. */
const FAMILIES: Record<string, { make: (n: number) => string; n: number }> = {
  'nested quotes and lists': { make: (n) => ('> - '.repeat(200) + 'Minister Ali Khan agreed.\n').repeat(n), n: 80 },
  'long capitalised line': { make: (n) => 'Minister '.repeat(n * 100) + 'Ali.\n', n: 80 },
  'alternating emphasis markers': { make: (n) => '*_'.repeat(n * 500) + '\n', n: 80 },
  'huge table': { make: (n) => '| a | b |\n|---|---|\n' + '| Minister Ali Khan | agreed to meet annually |\n'.repeat(n * 5), n: 20 },
  'open brackets and backticks': { make: (n) => '[`<'.repeat(n * 300) + '\n', n: 80 },
  'many short paragraphs with names': {
    make: (n) => 'Foreign Minister Wang Yi met Interior Minister Mohsin Naqvi in Beijing and agreed to meet every three months.\n\n'.repeat(n * 3),
    n: 60,
  },
};

describe('robustness: time grows linearly on pathological markdown', function () {
  this.timeout(120_000);
  // A quadratic step gives ×4 every time; a burst of load on a shared machine gives it once.
  this.retries(2);

  for (const [name, { make, n }] of Object.entries(FAMILIES)) {
    it(`${name}: time at 2n is under 4× the time at n`, () => {
      const small = make(n);
      const large = make(2 * n);
      // Warm up the parser, the matcher and the JIT on both sizes before timing.
      scan(small, { registry: REGISTRY });
      scan(large, { registry: REGISTRY });
      const tSmall = fastestMs(() => scan(small, { registry: REGISTRY }));
      const tLarge = fastestMs(() => scan(large, { registry: REGISTRY }));
      // Below ~20 ms timer and GC noise dominate; the ratio means nothing there.
      const ratio = tLarge / Math.max(tSmall, 20);
      assert.ok(ratio < 4, `${small.length} chars: ${tSmall.toFixed(1)} ms; ${large.length} chars: ${tLarge.toFixed(1)} ms (×${ratio.toFixed(2)})`);
    });
  }
});
