import assert from 'node:assert/strict';
import { readProse } from '../../src/core/markdown';
import { splitSentences } from '../../src/core/sentences';

/** The sentences of a markdown text, as strings. */
function sentencesOf(markdown: string): string[] {
  const doc = readProse(markdown);
  return splitSentences(doc).map((s) => doc.text.slice(s.start, s.end));
}

describe('splitSentences', () => {
  const cases: [string, string, string[]][] = [
    ['plain sentences', 'Both sides agreed. The talks ended.', ['Both sides agreed.', 'The talks ended.']],
    ['titles before names', 'Mr. Wang met Dr. Ali and Gen. Smith. Lt. Col. Khan attended.', ['Mr. Wang met Dr. Ali and Gen. Smith.', 'Lt. Col. Khan attended.']],
    ['dotted acronyms inside a sentence', 'The U.S. President spoke. The U.N. envoy agreed.', ['The U.S. President spoke.', 'The U.N. envoy agreed.']],
    ['a dotted acronym that ends a sentence', 'Sanctions came from the U.S. The talks go on.', ['Sanctions came from the U.S.', 'The talks go on.']],
    ['initials', 'H. E. Mr. Wang Yi and J. Smith met in St. Petersburg.', ['H. E. Mr. Wang Yi and J. Smith met in St. Petersburg.']],
    ['decimals', 'Trade rose 3.5 percent. Exports fell.', ['Trade rose 3.5 percent.', 'Exports fell.']],
    ['an ellipsis before a new sentence', 'He paused... Then he spoke.', ['He paused...', 'Then he spoke.']],
    ['an ellipsis inside a sentence', 'He said … and left.', ['He said … and left.']],
    ['closing quotes after the period', '"We agree." Wang said so.', ['"We agree."', 'Wang said so.']],
    ['a quote going on', '"We agree," he said. "Fully." They left.', ['"We agree," he said.', '"Fully."', 'They left.']],
    ['a bracket after the period', '(See the annex.) Next point.', ['(See the annex.)', 'Next point.']],
    ['question and exclamation marks', 'Will they meet? Yes! They will.', ['Will they meet?', 'Yes!', 'They will.']],
    ['number abbreviations', 'Resolution No. 5 passed. Talks on Jan. 7 followed.', ['Resolution No. 5 passed.', 'Talks on Jan. 7 followed.']],
    ['lower case after a period', 'Some groups, e.g. the police, took part. Others did not.', ['Some groups, e.g. the police, took part.', 'Others did not.']],
    ['ambiguous abbreviations', 'They met Acme Inc. officials. Acme Inc. The firm agreed.', ['They met Acme Inc. officials.', 'Acme Inc.', 'The firm agreed.']],
    ['CJK marks', '王毅会见了他。双方同意。', ['王毅会见了他。', '双方同意。']],
    ['sentences across soft line breaks', 'The first sentence goes\non here. A second one.', ['The first sentence goes\non here.', 'A second one.']],
    ['a link destination is no sentence end', 'They met [the envoy](http://a.b/c "Envoy. Page") today. Then left.', ['They met [the envoy](http://a.b/c "Envoy. Page") today.', 'Then left.']],
  ];
  for (const [name, text, expected] of cases) {
    it(name, () => assert.deepEqual(sentencesOf(text), expected));
  }

  it('makes a list item without end punctuation one sentence, and a heading one sentence', () => {
    assert.deepEqual(sentencesOf('# Talks in Beijing. A new era\n\n- Ambassador Khalil Hashmi\n- Director General Gao Qiu\n'), [
      'Talks in Beijing. A new era',
      'Ambassador Khalil Hashmi',
      'Director General Gao Qiu',
    ]);
  });

  it('numbers sentences by block and trims their spans', () => {
    const doc = readProse('  First one.   Second one.  \n\n> Quoted one. Quoted two.\n');
    const sentences = splitSentences(doc);
    assert.deepEqual(sentences.map((s) => [doc.text.slice(s.start, s.end), s.block]), [
      ['First one.', 0],
      ['Second one.', 0],
      ['Quoted one.', 1],
      ['Quoted two.', 1],
    ]);
  });

  it('splits the seed article into sentences that never cut a name', () => {
    const text = 'Senior officials included Vice Ministers Xu Datong and Yu Xiuhe, Beijing Deputy Mayor and Director General (DG) of the Beijing Public Security Bureau Cen Yuanbiao. The Pakistani delegation included Federal Interior Secretary Khurram Agha.';
    assert.equal(sentencesOf(text).length, 2);
  });
});
