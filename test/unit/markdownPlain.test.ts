import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readProse } from '../../src/core/markdown';
import { splitChunks } from '../../src/core/markdownLines';
import { readPlainChunk, readPlainFrontMatter } from '../../src/core/markdownPlain';

/** The hand reader must give what remark gives: the whole reading, compared with the hand reader off. */
function assertSame(text: string): void {
  assert.deepEqual(readProse(text), readProse(text, { plain: false }), JSON.stringify(text));
}

/** How many chunks of `text` the hand reader takes (front matter aside), of how many. */
function chunksByHand(text: string): [number, number] {
  const chunks = splitChunks(text, 0).filter((c) => !c.frontMatter);
  return [chunks.filter((c) => readPlainChunk(text.slice(c.start, c.end)) !== null).length, chunks.length];
}
const readByHand = (text: string): boolean => {
  const [byHand, all] = chunksByHand(text);
  return byHand === all;
};

// Pieces of the genre: mostly plain prose, with every kind of syntax the hand reader must refuse or get right.
const WORDS = ['Minister', 'Ali Khan', 'Wang Yi', 'said', 'the', 'Foreign Ministry', 'agreed', 'on Tuesday', '2026', '1.5', '3', 'Nairobi',
  '北京', 'Москва', 'القاهرة', 'Ñandú', '🇰🇪', 'état', 'w', 'ww', 'W.', 'mailto:x', 'http', 'a:b', '#5', 'C#', 'x=y', 'a+b', 'a-b', '^', '$', '%'];
const PUNCTUATION = [' ', ' ', ' ', ' ', ', ', '. ', '"', "'", '“', '”', '(', ')', ': ', '; ', '!', '?', ' — ', '  ', '-', '+', '=', '#', '…'];
const INLINE_SYNTAX = ['`draft`', '`a|b`', '`x` ', '``', '`open', '`` c ``', '[report](https://example.org/r)', '[example.org](https://example.org)',
  '[x](u_v*w~)', '[x](a b)', '[x]()', '[](u)', '[ x ](u)', '[^1]', '[ref][r]', '[ref]', '![img](p.png)', '*x*', '**Ali**', '_y_', 'snake_case',
  '~~z~~', '<b>', '</b>', '<!-- c -->', '<https://a.b>', 'www.example.com', 'WWW.x.org', 'http://x.org', 'https://x.org/a', 'a@b.org', '&amp;',
  '&', '\\*', '\\', '|', '>', '<', ']', '[', '\t', '\u0000', '\r', 'x ', '\u00a0', '\u2028',
  '*Nairobi, March 14*', '**MEXICO CITY**', '_Ciudad de México_', '__x__', '***x***', '*x *', '* x*', 'a*b*', '*a*b', '*a*.', '(*a*)', '*a*_b_',
  '**a*', '*1*', '*é*', '*😀*', '*a', 'b*', '*[x](u)*', '*`c`*', '_a_b', 'a__b__'];
const PREFIXES = ['', '', '', '', ' ', '  ', '   ', '    ', '# ', '## ', '###### ', '####### ', '#', '- ', '* ', '+ ', '1. ', '2) ', '10. ',
  '1234567890. ', '> ', '>', '>  ', '> > ', '> - ', '> # ', '  - ', '    - ', '- [ ] ', '- [x] ', '-     ', '-', '\t', ' > ', '    > ', '[x]: '];
const WHOLE_LINES = ['', '', '', '   ', '---', '===', '***', '- - -', '```', '```js', '~~~', '    code', '| a | b |', '|---|---|', 'a | b',
  '--- | ---', '- | -', ':---', '<div>', '</div>', '[r]: https://x.org', '[^1]: note', '>', '#', '# #', '# Title #', '# Title#', '#\tT', '-', '1.',
  '````', '   ```', '    ```', '``` a`b', '~~~ a`b', '- ```', '> ```', '```  ', '~~~~', '*Moscow, June 20, 2026*'];
const FENCED = ['```\nMinister *Code*\n```', '```js\nx = 1\n    ```', '```\ncode\n- ```', '``` a`b\ncode\n```', '~~~ a`b\ncode\n~~~',
  '````\ncode\n```\nmore\n````', '```\ncode\n```\ntext after', '```\ncode\n```  ', '~~~\ncode\n```\n~~~', '   ```\n\ncode\n   ```', '```\n```'];
const ENDINGS = ['\n', '\n', '\n', '\n\n', '\r\n', '\r\n\r\n', '  \n', '\\\n', ' \n'];
const FRONT_MATTER = ['', '', '', '---\ntitle: Talks\ndate: 2026-01-07\n---\n', '---\r\ntitle: Talks\r\n---\r\n', '---\n---\n', '---\n\n---\n',
  '+++\ntitle = "Talks"\ndraft = false\n+++\n', '---  \ntitle: x\n---\n', '---\ntitle: x\n---  \n', '---\ntitle: [unclosed\n---\n', '---\na: 1\n---\nrest',
  '\uFEFF---\ndate: 2026-01-07\n---\n'];

const weighted = <T>(common: T[], rare: T[], odds: number): fc.Arbitrary<T> =>
  fc.oneof({ weight: odds, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
const inlinePiece = weighted([...WORDS, ...PUNCTUATION], INLINE_SYNTAX, 12);
const line = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(weighted([''], PREFIXES, 2), fc.array(inlinePiece, { maxLength: 8 })).map(([p, xs]) => p + xs.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(...WHOLE_LINES) },
  { weight: 1, arbitrary: fc.constantFrom(...FENCED) },
);
const markdown = fc.tuple(
  fc.constantFrom(...FRONT_MATTER),
  fc.array(fc.tuple(line, weighted(['\n'], ENDINGS, 4)), { maxLength: 12 }),
).map(([fm, lines]) => fm + lines.map(([l, e]) => l + e).join(''));

describe('hand reader of plain markdown (markdownPlain.ts)', () => {
  it('reads generated markdown exactly as remark does', () => {
    let byHand = 0;
    let all = 0;
    fc.assert(fc.property(markdown, (text) => {
      const [n, of] = chunksByHand(text);
      byHand += n;
      all += of;
      assertSame(text);
    }), { numRuns: Number(process.env.PLAIN_RUNS ?? 300) });
    // The generator must exercise the hand reader, not only remark.
    assert.ok(byHand > all / 5, `${byHand} of ${all} chunks read by hand`);
  });

  it('reads the genre by hand: paragraphs, headings, list items, quotes, code spans and links', () => {
    const text = [
      '---', 'title: Talks', '---', '', '# Ministers meet #', '',
      'Foreign Minister Ali Khan met Wang Yi in 北京, according to the Ministry (MoFA).',
      'He said: "We agreed."', '',
      '- The two sides pledged to meet by March 2027.', '1) Second, `draft` text', '* Third', '',
      '> "We value this partnership," one official said, praising the `draft` text and a [report](https://example.org/r).',
      '> Second line', 'lazy line', '>', '> Next paragraph', '',
    ].join('\n');
    assert.ok(readByHand(text));
    assertSame(text);
  });

  it('refuses what remark reads differently from plain text', () => {
    const refused = [
      'Para\n---\n', 'Para\n===\n', 'Para\n- - -\n', '    code\n', 'Para\n# Head\n'.replace('# Head', '#Head'), 'a | b\n--- | ---\n',
      'x | y\n', 'See www.example.com.\n', 'http://x.org\n', 'write to a@b.org\n', 'a &amp; b\n', 'a \\* b\n', 'a*x*\n', '*x *\n', '**x*\n', 'snake_case\n',
      '![img](p.png)\n', '[ref]\n', '[x](a b)\n', '[^1]\n', '``a``\n', '`open\n', '- item\n\n  continued\n', '- a\n  - b\n', '> a\n> > b\n',
      '> a\n>\nlazy\n', 'Tab\there\n', 'a\rb\n', '1. \n', '2. second\n'.replace('2.', '2.\n'), '-     code\n',
      '```\ncode\n    ```\n', '``` a`b\ncode\n```\n', '```\ncode\n```\n    indented\n', '````\ncode\n```\n', '```\ncode\n',
    ];
    for (const text of refused) {
      assert.equal(readByHand(text), false, JSON.stringify(text));
      assertSame(text);
    }
  });

  it('gets the boundaries right where it reads by hand', () => {
    const accepted = [
      'Para\n    indented continuation\n', 'Para\ncontinued 2. not a list\n', '1) first\n', '10. tenth\nlazy\n', '-    four spaces\n',
      '# Title #\n', '# Title#\n', '# #\n', '#\n', '###### Six\n', '   # Indented\n', '# Head\nPara under it\n', 'Trailing spaces  \nhard break\n',
      'CRLF line\r\nnext\r\n', '> quote\nlazy\n', '>no space\n>  two spaces\n', '> # Quoted heading\n> text\n', '> \n> after blank\n',
      '[example.org](https://example.org)\n', '[ spaced ](u)\n', 'a `<b>` code\n', 'Wow! Great?\n', 'w ww W. wwx\n', 'Para\nC# and #5\n', 'Para\n1) a new list\n',
      'Blank lines after\n\n\n   \n', '```\ncode *x*\n```\n\n', '~~~ info `x`\ncode\n\nmore\n~~~~\n', '   ```\ncode\n   ```  \n',
      '*Nairobi, March 14* — text\n', '- **Mexico**: the Undersecretary\n', '_Ciudad de México, 9 de julio_ — text\n', 'a *b* c, *d*.\n',
    ];
    for (const text of accepted) {
      assert.equal(readByHand(text), true, JSON.stringify(text));
      assertSame(text);
    }
    assert.equal(readByHand('####### Seven\n'), false);
  });

  it('reads front matter fenced by exact `---` or `+++` lines, and leaves the rest to remark', () => {
    for (const fm of ['---\ntitle: x\n---\n', '---\r\ntitle: x\r\n---\r\n', '---\n---\n', '---\n\n---\n', '+++\ntitle = "x"\n+++\n', '---\na: 1\n---']) {
      assert.ok(readPlainFrontMatter(fm), JSON.stringify(fm));
      assertSame(`${fm}\nBody.\n`);
    }
    for (const fm of ['---  \ntitle: x\n---\n', '---\ntitle: x\n---  \n', '---\ntitle: x\n----\n']) assert.equal(readPlainFrontMatter(fm), null);
  });
});
