import assert from 'node:assert/strict';
import fc from 'fast-check';
import { article } from '../../bench/generate';
import { ProseCache, readProse, readProseWhole } from '../../src/core/markdown';
import { readLinear } from '../../src/core/markdownLinear';
import { looksCostly, splitChunks } from '../../src/core/markdownLines';
import type { ProseDocument } from '../../src/core/types';
import { fixtureArticles } from './fixtureLines';

/** The prose under the n-th occurrence of `needle` in the text. */
function proseAt(doc: ProseDocument, needle: string, nth = 0): string {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = doc.text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in the text`);
  return doc.prose.slice(at, at + needle.length);
}
const blank = (s: string): string => s.replace(/[^\r\n]/g, ' ');
function assertMasked(doc: ProseDocument, needle: string, nth = 0): void {
  assert.equal(proseAt(doc, needle, nth), blank(needle), `"${needle}" should be masked`);
}
function assertKept(doc: ProseDocument, needle: string, nth = 0): void {
  assert.equal(proseAt(doc, needle, nth), needle, `"${needle}" should be prose`);
}
function assertShape(doc: ProseDocument): void {
  assert.equal(doc.prose.length, doc.text.length);
  for (let i = 0; i < doc.text.length; i++) {
    const t = doc.text[i];
    const p = doc.prose[i];
    if (t === '\n' || t === '\r') assert.equal(p, t, `line break at ${i} kept`);
    else assert.ok(p === t || p === ' ', `char ${i} is the original or a space`);
  }
  let last = -1;
  for (const b of doc.blocks) {
    assert.ok(b.start >= last && b.start < b.end && b.end <= doc.text.length, 'blocks in order, inside the text');
    assert.ok(doc.prose.slice(b.start, b.end).trim().length > 0, 'blocks hold prose');
    last = b.end;
  }
}
const blockTexts = (doc: ProseDocument): string[] => doc.blocks.map((b) => doc.text.slice(b.start, b.end));

describe('readProse', () => {
  it('masks code, links, images, HTML, comments and markup, keeping text at its offsets', () => {
    const text = [
      '# Talks in *Beijing* #',
      '',
      'Minister **Wang** met `Naqvi` at the [ministry](https://mps.gov.cn/a "MPS") and ![the flag](flag.png).',
      '',
      'See <b>Ali</b> <!-- editor: check --> and <https://example.org/x> or www.example.com today.',
      '',
      '```python',
      'Minister = "Fake Person"',
      '```',
      '',
      '    indented Code Person',
      '',
      '<div>',
      'Html Block Person',
      '</div>',
      '',
      '| Name | Role |',
      '|------|------|',
      '| Xu Datong | Vice Minister |',
    ].join('\n');
    const doc = readProse(text);
    assertShape(doc);
    assert.equal(doc.fallback, false);
    assertMasked(doc, '# ');
    assertMasked(doc, ' #\n');
    assertMasked(doc, '*', 0);
    assertKept(doc, 'Talks in ');
    assertKept(doc, 'Beijing');
    assertKept(doc, 'Wang');
    assertMasked(doc, '**Wang**'.slice(0, 2));
    assertMasked(doc, '`Naqvi`');
    assertKept(doc, 'ministry');
    assertMasked(doc, '](https://mps.gov.cn/a "MPS")');
    assertMasked(doc, '[ministry'.slice(0, 1));
    assertMasked(doc, '![the flag](flag.png)');
    assertMasked(doc, '<b>');
    assertMasked(doc, '</b>');
    assertKept(doc, 'Ali');
    assertMasked(doc, '<!-- editor: check -->');
    assertMasked(doc, '<https://example.org/x>');
    assertMasked(doc, 'www.example.com');
    assertMasked(doc, '```python\nMinister = "Fake Person"\n```');
    assertMasked(doc, 'indented Code Person');
    assertMasked(doc, '<div>\nHtml Block Person\n</div>');
    assertMasked(doc, '| Name |'.slice(0, 2));
    assertMasked(doc, '|------|------|');
    assertKept(doc, 'Xu Datong');
    assertKept(doc, 'Vice Minister');
    assert.deepEqual(doc.blocks.map((b) => b.kind), ['heading', 'paragraph', 'paragraph', 'tableCell', 'tableCell', 'tableCell', 'tableCell']);
    assert.deepEqual(blockTexts(doc).slice(3), ['Name', 'Role', 'Xu Datong', 'Vice Minister']);
  });

  it('reads YAML front matter (span and data) and masks it', () => {
    const text = '---\ntitle: Talks\ndate: 2026-01-07\ntags: [a, b]\n---\nBody text.\n';
    const doc = readProse(text);
    assert.deepEqual(doc.frontMatter, { start: 0, end: text.indexOf('\nBody'), data: { title: 'Talks', date: '2026-01-07', tags: ['a', 'b'] } });
    assertMasked(doc, 'title: Talks');
    assertKept(doc, 'Body text.');
  });

  it('gives {} for invalid YAML front matter and reads TOML front matter', () => {
    const bad = readProse('---\ntitle: [unclosed\n---\nText.\n');
    assert.deepEqual(bad.frontMatter?.data, {});
    assertMasked(bad, 'title: [unclosed');
    const toml = readProse('+++\ntitle = "Talks"\ndate = 2026-01-07\ndraft = false\n+++\nText.\n');
    assert.deepEqual(toml.frontMatter?.data, { title: 'Talks', date: '2026-01-07', draft: false });
    assertKept(toml, 'Text.');
  });

  it('marks list items with their depth and quotes as quoted, masking markers', () => {
    const text = 'Intro.\n\n- First item\n  - Nested item\n    1. Deeper item\n- Second\n\n> Quoted line one\n> line two\n>\n> - quoted item\n';
    const doc = readProse(text);
    assertShape(doc);
    const summary = doc.blocks.map((b) => [text.slice(b.start, b.end), b.kind, b.listDepth, b.quoted]);
    assert.deepEqual(summary, [
      ['Intro.', 'paragraph', 0, false],
      ['First item', 'listItem', 1, false],
      ['Nested item', 'listItem', 2, false],
      ['Deeper item', 'listItem', 3, false],
      ['Second', 'listItem', 1, false],
      ['Quoted line one\n> line two', 'paragraph', 0, true],
      ['quoted item', 'listItem', 1, true],
    ]);
    assertMasked(doc, '> line two'.slice(0, 2));
    assertKept(doc, 'line two');
    assertMasked(doc, '1. ');
    assertMasked(doc, '- quoted'.slice(0, 2));
  });

  it('keeps a loose list item continued after a blank line as prose, not code', () => {
    const text = '- First point of the talks.\n\n    Continued by Minister Ali Khan.\n\n- Second point.\n';
    const doc = readProse(text);
    assertKept(doc, 'Continued by Minister Ali Khan.');
    assert.deepEqual(doc.blocks.map((b) => [b.kind, b.listDepth]), [['listItem', 1], ['listItem', 1], ['listItem', 1]]);
  });

  it('masks fenced code and HTML comments that contain blank lines', () => {
    const text = 'Before.\n\n~~~\ncode One\n\nMinister Code Two\n~~~\n\n<!--\n\nHidden Minister\n\n-->\n\n> ```\n> quoted code\n\n After.\n';
    const doc = readProse(text);
    assertShape(doc);
    assertMasked(doc, 'Minister Code Two');
    assertMasked(doc, 'Hidden Minister');
    assertMasked(doc, 'quoted code');
    assertKept(doc, 'After.');
    assert.deepEqual(blockTexts(doc), ['Before.', 'After.']);
  });

  it('resolves reference links defined in another chunk', () => {
    const text = 'The [Ministry of Interior][moi] said so[^1].\n\nMore text.\n\n[moi]: https://interior.gov.pk "MoI"\n[^1]: A footnote.\n';
    const doc = readProse(text);
    assertKept(doc, 'Ministry of Interior');
    assertMasked(doc, '][moi]');
    assertMasked(doc, '[^1]');
    assertMasked(doc, '[moi]: https://interior.gov.pk "MoI"');
    assertKept(doc, 'A footnote.');
  });

  it('takes as a shared definition only what remark reads as one, wherever it stands', () => {
    const texts = [
      // An empty destination defines nothing: the label later defined is used by the first line.
      '[x]: \n\n```\nMinister *Code*\n```\n[x]: Minister\n',
      // Inside a fence, in a paragraph it would continue: no definition.
      'See [x] here.\n\n```\n[x]: https://a.org\n```\n',
      'See [x] here.\n\nPara\n[x]: https://a.org\n',
      // In a block quote or a list item, and over several lines: a definition.
      'See [x] here.\n\n> [x]: https://a.org\n',
      'See [x] here.\n\n- [x]: https://a.org\n',
      'See [x] and [y][] here.\n\n[x]: <https://a.org/a b> "T\\"t"\n[y]:\n  https://b.org\n  \'title\'\n',
      'See [a&amp;b] here.\n\n[a&amp;b]: https://a.org?x=1&amp;y=2\n',
      'Note[^n] here.\n\n> [^n]: quoted note\n',
      // A BOM inside the document is a character: the line after it defines nothing.
      'Para one.\n\n\uFEFF[moi]: https://x.org\n\nSee [moi].\n',
    ];
    for (const text of texts) assert.deepEqual(readProse(text), readProseWhole(text), JSON.stringify(text));
    assertKept(readProse(texts[0]), 'x');
    assertMasked(readProse(texts[0]), '[x]: ', 1);
    assertKept(readProse(texts[1]), '[x]');
    assert.equal(proseAt(readProse(texts[3]), '[x]'), ' x ', 'a link by a definition in a quote');
  });

  it('shares link definitions between chunks as one remark call over the whole text would (property)', () => {
    const words = ['Minister', 'Ali Khan', 'said', 'the', 'agreed', 'on Tuesday', 'Nairobi', '北京', 'état', ',', '.', ' ', ' ', ' '];
    const references = ['[ref]', '[x]', '[ref][r]', '[MoI]', '[^1]', '[^n]', '[a](https://x.org)', '*em*', '**Ali**', '`code`', '[x][]', '\\[x]'];
    const definitions = ['[r]: https://x.org', '[x]: ', '[x]: https://x.org "T"', '[ref]: <https://a.org/a b>', '[moi]: https://x.org', '[^1]: note',
      '[^n]: A note\n    continued', '[x]:\n  https://b.org', '[ref]: https://x.org\n"title"'];
    const prefixes = ['', '', '', '', '- ', '1. ', '> ', '# ', '   ', '  '];
    const text = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...words) }, { weight: 1, arbitrary: fc.constantFrom(...references) }), { minLength: 1, maxLength: 8 })
      .map((xs) => xs.join('').trim() || 'x');
    const block = fc.oneof(
      { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...prefixes), text, fc.array(fc.tuple(fc.constantFrom('', '', '> ', '  '), text), { maxLength: 2 }))
        .map(([p, t, more]) => [p + t, ...more.map(([q, u]) => q + u)].join('\n')) },
      // Definitions where they count (in a quote or a list item too) and where they do not (a fence, indented code, a comment).
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', '', '> ', '- ', '   '), fc.constantFrom(...definitions)).map(([p, d]) => p + d) },
      { weight: 1, arbitrary: fc.constantFrom(...definitions).map((d) => `\`\`\`\n${d}\n\`\`\``) },
      { weight: 1, arbitrary: fc.constantFrom('| a | b |\n|---|---|\n| [x] | [ref] |', '---', '<!-- [x]: https://c.org -->', '    [x]: https://code.org') },
    );
    const documents = fc.tuple(fc.constantFrom('', '', '---\ntitle: x\n---\n', '\uFEFF'), fc.array(fc.tuple(block, fc.constantFrom('\n', '\n\n', '\n\n', '\r\n\r\n')), { maxLength: 14 }))
      .map(([opening, blocks]) => opening + blocks.map(([b, e]) => b + e).join(''));
    fc.assert(fc.property(documents, (doc) => {
      assert.deepEqual(readProse(doc), readProseWhole(doc), JSON.stringify(doc));
    }), { numRuns: Number(process.env.MARKDOWN_RUNS ?? 200) });
  });

  it('follows a definition through edits that change what surrounds it', () => {
    const cache = new ProseCache();
    const base = 'See [x] here.\n\nText.\n\n[x]: https://a.org\n';
    const steps = [base, base.replace('Text.', '```'), base.replace('Text.', '```').concat('```\n'), base.replace('\n\n[x]', '\n[x]'), base];
    for (const text of steps) {
      assert.deepEqual(readProse(text, { cache }), readProseWhole(text), JSON.stringify(text));
      assert.deepEqual(readProse(text, { cache }), readProse(text), JSON.stringify(text));
    }
  });

  it('ends a fence where remark does, next to list markers, indented code and HTML blocks', () => {
    const texts = [
      // A list marker inside a top-level fence is code: "- ```" does not close it.
      '```\ncode\n- ```\n~~~\ncode\n```\n~~~\nMinister\n',
      // Four spaces in a paragraph's continuation open no fence.
      'rest```js\nx = 1\n    ```\n~~~ a`b\ncode\n~~~\n\n```\nMinister *Code*\n```\n',
      // A block-level HTML tag runs to the blank line: the fence inside it is HTML.
      '1. Minister\n</div>\n~~~ a`b\ncode\n~~~\nMinister\n',
      // A fence in a list item ends with the item.
      '- ```\n  code\n```\nMinister\n```\n',
      // An empty list item (a bare marker): the fence indented past it is in the item, and ends with it.
      '-\n   ```\n[x]: \n```\ncode\n```\nMinister\n',
    ];
    for (const text of texts) assert.deepEqual(readProse(text), readProseWhole(text), JSON.stringify(text));
  });

  it('reads every fixture article and generated articles as one remark call over the whole text would', () => {
    const articles = fixtureArticles();
    assert.ok(articles.length >= 40, `${articles.length} fixture articles`);
    for (const { file, text } of articles) assert.deepEqual(readProse(text), readProseWhole(text), file);
    for (let seed = 1; seed <= 20; seed++) {
      const { text } = article(seed, 12_000);
      assert.deepEqual(readProse(text), readProseWhole(text), `generated article ${seed}`);
    }
  });

  it('handles CRLF, a BOM and NUL bytes with offsets into the text as read', () => {
    const text = '\uFEFF# Title\r\n\r\nMinister **Ali**\u0000 agreed.\r\n';
    const doc = readProse(text);
    assertShape(doc);
    assert.equal(doc.prose[0], ' ');
    assertKept(doc, 'Title');
    assertKept(doc, 'Ali');
    assert.equal(proseAt(doc, '\u0000'), ' ');
    assert.deepEqual(blockTexts(doc), ['Title', 'Minister **Ali**\u0000 agreed.']);
    const frontMatter = readProse('\uFEFF---\r\ndate: 2026-01-07\r\n---\r\nText.');
    assert.equal(frontMatter.frontMatter?.data.date, '2026-01-07');
    assert.equal(frontMatter.frontMatter?.start, 1);
    assert.deepEqual(readProse('\u0000\r\n').blocks, [], 'a NUL alone is no prose');
  });

  it('never throws and keeps its shape on random markdown-like input', () => {
    const pieces = ['# ', '> ', '- ', '1. ', '*', '_', '`', '```\n', '[', '](', ')', '<b>', '<!--', '-->', '|', '\n', '\n\n', '  ', 'Ali', 'Khan ', '.', '\r\n', '\\', '---\n', '!['];
    fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
      assertShape(readProse(parts.join('')));
    }), { numRuns: 300 });
  });

  it('re-reads an edited document from the cache with the same result as a cold read', () => {
    const text = Array.from({ length: 40 }, (_, i) => `## Part ${i}\n\nMinister Ali Khan met [envoy ${i}](https://x.org/${i}) on *Monday*.\n\n- item ${i}\n`).join('\n');
    const cache = new ProseCache();
    assert.deepEqual(readProse(text, { cache }), readProse(text));
    const at = text.indexOf('envoy 20');
    const edited = `${text.slice(0, at)}X${text.slice(at)}`;
    assert.deepEqual(readProse(edited, { cache }), readProse(edited));
  });

  // Lines whose meaning depends on the lines around them: setext underlines, lazy continuations,
  // fences and HTML blocks (an HTML line then a fence: the state a split carries into the next chunk),
  // definitions used elsewhere, front matter, list items and indented lines.
  const lines = ['Minister Ali Khan met envoys.', 'Wang Yi', '===', '---', '# Head', '> quoted', '- item', '1. first', '2) second', '   indented', '    code', '<b>bold</b> text', '[moi]: https://x.org', 'the [MoI] said', 'see [moi][]', '| a | b |', '|---|---|', 'date: 2026-01-07', '<i>HTML</i>\n~~~\n~~~', '', '', ''];
  /** Lines that open a block running to its closing line: rarer, or every document would be one block. */
  const openers = ['```', '~~~', '\tcode', '<div>', '<!-- c', '-->', '+++', '***'];
  const line = fc.oneof({ arbitrary: fc.constantFrom(...lines), weight: 12 }, { arbitrary: fc.constantFrom(...openers), weight: 1 });
  const documentOf = fc.tuple(fc.boolean(), fc.array(line, { minLength: 20, maxLength: 80 })).map(([bom, ls]) => (bom ? '\uFEFF' : '') + ls.join('\n'));
  /** An edit: where it starts (in thousandths of the text), how much it deletes, what it inserts. */
  const editOf = fc.record({
    at: fc.nat({ max: 1000 }),
    remove: fc.nat({ max: 12 }),
    insert: fc.oneof(fc.constantFrom('', 'e', '\n', '\n\n', ']:', '`', '<', '#', '>', '-', ' ', '[', ']'), line.map((l) => `${l}\n`)),
  });

  /** The chunks and batches a read leaves in its cache, where they are and how they were read. */
  const structure = (cache: ProseCache): unknown => cache.last && {
    chunks: cache.last.chunks,
    batches: cache.last.batches.map(({ first, count, start, variant, firstBlock }) => ({ first, count, start, variant, firstBlock })),
  };

  it('reads any sequence of edits incrementally exactly as a cold read, with the same chunks and batches', () => {
    fc.assert(fc.property(documentOf, fc.array(editOf, { minLength: 1, maxLength: 8 }), (start, edits) => {
      const cache = new ProseCache();
      let text = start;
      readProse(text, { cache });
      for (const { at, remove, insert } of edits) {
        const i = Math.floor((at * text.length) / 1000);
        text = text.slice(0, i) + insert + text.slice(i + remove);
        const cold = new ProseCache();
        assert.deepEqual(readProse(text, { cache }), readProse(text, { cache: cold }), JSON.stringify(text));
        assert.deepEqual(structure(cache), structure(cold), JSON.stringify(text));
      }
    }), { numRuns: Number(process.env.MARKDOWN_RUNS ?? 100) });
  });

  it('keeps the unchanged head and tail of a long document on a keystroke, and reads it as a cold read', () => {
    const text = Array.from({ length: 300 }, (_, i) => `## Part ${i}\n\nMinister Ali Khan met [envoy ${i}](https://x.org/${i}) on *Monday*.\n\n- item ${i}\n`).join('\n');
    const cache = new ProseCache();
    const before = readProse(text, { cache });
    const at = text.indexOf('envoy 150');
    const edited = `${text.slice(0, at)}X${text.slice(at)}`;
    const after = readProse(edited, { cache });
    assert.deepEqual(after, readProse(edited));
    assert.equal(after.blocks[0], before.blocks[0], 'blocks before the edit are the same objects');
    assert.ok(after.blocks.length === before.blocks.length);
  });
});

describe('chunks and the cost pre-screen', () => {
  it('splits at blank lines and top-level blocks, never inside fences or front matter', () => {
    const text = '---\na: 1\n\nb: 2\n---\nPara one\n# Head\n- a\n- b\n\n```\nx\n\ny\n```\nLast\n';
    const chunks = splitChunks(text, 0).map((c) => text.slice(c.start, c.end));
    assert.deepEqual(chunks, ['---\na: 1\n\nb: 2\n---\n', 'Para one\n', '# Head\n', '- a\n', '- b\n\n', '```\nx\n\ny\n```\n', 'Last\n']);
  });

  it('splits paragraphs indented by up to three spaces, unless they may continue a list item', () => {
    const text = ' First paragraph.\n\n  Second paragraph.\n\n- item\n\n  item continued\n';
    const chunks = splitChunks(text, 0).map((c) => text.slice(c.start, c.end));
    assert.deepEqual(chunks, [' First paragraph.\n\n', '  Second paragraph.\n\n', '- item\n\n  item continued\n']);
  });

  it('does not let an ordered marker other than 1 interrupt a paragraph', () => {
    const text = 'The year was\n1984. Then more.\n';
    assert.equal(splitChunks(text, 0).length, 1);
    assertKept(readProse(text), '1984.');
  });

  it('flags pathological chunks and passes ordinary ones', () => {
    assert.equal(looksCostly('Minister **Ali** met [Wang](https://x.org) in `Beijing`.\n'), false);
    assert.equal(looksCostly('*_'.repeat(1000)), true);
    assert.equal(looksCostly('> - '.repeat(40) + 'x\n'), true);
    assert.equal(looksCostly('['.repeat(2000)), true);
    assert.equal(looksCostly('x'.repeat(70_000)), true);
    const table = '| a | b |\n|---|---|\n' + '| **Ali** | _agreed_ |\n'.repeat(500);
    assert.equal(looksCostly(table), false, 'a table counts emphasis per row');
  });
});

describe('linear fallback reader', () => {
  it('masks block and inline syntax like the full reader', () => {
    const text = '# Heading *x* #\n\n> quoted **Ali** and `code Person` <i>tag</i> <!-- note -->\n\n- [x] item [link text](http://a.b/c "t") ![alt Person](p.png) [ref][r] https://x.org/y\n  - nested item\n\n```\nFence Person\n```\n';
    const { prose, blocks } = readLinear(text);
    const doc: ProseDocument = { text, prose, blocks: blocks.map((b) => ({ ...b })), frontMatter: null, fallback: true };
    for (const gone of ['# ', '*x*'.slice(0, 1), '> quoted'.slice(0, 2), '**', '`code Person`', '<i>', '</i>', '<!-- note -->', '[x]', '](http://a.b/c "t")', '![alt Person](p.png)', '][r]', 'https://x.org/y', 'Fence Person', '  - nested'.slice(0, 4)]) assertMasked(doc, gone);
    for (const kept of ['Heading', 'quoted', 'Ali', 'tag', 'item', 'link text', 'ref', 'nested item']) assertKept(doc, kept);
    const summary = blocks.map((b) => [b.kind, b.listDepth, b.quoted]);
    assert.deepEqual(summary, [['heading', 0, false], ['paragraph', 0, true], ['listItem', 1, false], ['listItem', 2, false]]);
  });

  it('reads table rows into cells', () => {
    const text = '| Name | Role |\n|---|---|\n| Ali Khan | Minister |\n';
    const { prose, blocks } = readLinear(text);
    assert.deepEqual(blocks.map((b) => prose.slice(b.start, b.end).trim()), ['Name', 'Role', 'Ali Khan', 'Minister']);
    assert.ok(blocks.every((b) => b.kind === 'tableCell'));
    assert.equal(prose.includes('|'), false);
  });

  it('is used for the pathological inputs, each read within the time budget', function () {
    this.timeout(60_000);
    const cases: [string, string][] = [
      ['emphasis markers', `${'*_'.repeat(60000)}\n`],
      ['nested quotes and lists', ('> - '.repeat(2000) + 'Minister Ali Khan agreed.\n').repeat(50)],
      ['100k-char capitalised line', `${'Minister '.repeat(12000)}Ali.\n`],
      ['20,000-row table', '| a | b |\n|---|---|\n' + '| Minister Ali Khan | agreed to meet annually |\n'.repeat(20000)],
      ['binary garbage', Buffer.from(Array.from({ length: 200000 }, (_, i) => (i * 7919) % 256)).toString('utf8')],
    ];
    for (const [name, text] of cases) {
      const t0 = performance.now();
      const doc = readProse(text);
      const ms = performance.now() - t0;
      // Measured well under 2 s each; the bound leaves room for a loaded machine, a quadratic parse takes minutes.
      assert.ok(ms < 5000, `${name}: ${ms.toFixed(0)} ms`);
      assert.equal(doc.fallback, true, name);
      assert.equal(doc.prose.length, text.length);
    }
    const nested = readProse(('> - '.repeat(2000) + 'Minister Ali Khan agreed.\n').repeat(50));
    assert.equal(nested.blocks.length, 50);
    assertKept(nested, 'Minister Ali Khan agreed.', 49);
    assert.ok(nested.blocks.every((b) => b.quoted && b.kind === 'listItem'));
  });
});
