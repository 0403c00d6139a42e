import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { parseYamlData } from '../../src/core/markdown';
import { readPlainYaml } from '../../src/core/plainYaml';

/** Front matter as analysts write it: dates, titles with punctuation, numbers, flags, quoted text, short lists. */
const scalar = fc.oneof(
  fc.constantFrom('2026-09-17', '2026-09', '17 September 2026', 'true', 'no', 'null', '~', '12', '0x1f', '1.5e3', '.inf', '-3', '007'),
  fc.constantFrom('Talks in Nairobi', 'Joint statement: full text', "Ministers' meeting", 'A # not a comment', 'Rabat #1', 'Visit, day 2', 'Dialogue — “Water”', '"quoted: text"', "'single'", 'Ali Khan (Minister)', 'x: y'),
  fc.string({ maxLength: 12 }),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }).map((xs) => `\n${xs.map((x) => `  - ${x}`).join('\n')}`), fc.array(scalar, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`));
const key = fc.constantFrom('title', 'date', 'source', 'tags', 'country', 'published', 'date', 'lang', 'x-y', '_id', 'null', '1');
const frontMatter = fc.array(fc.tuple(key, value, fc.constantFrom('', ' ', '  # note')), { maxLength: 6 }).map((pairs) => pairs.map(([k, v, tail]) => `${k}:${v.startsWith('\n') ? tail.trim() ? ` ${tail.trim()}` : '' : ` ${v}${tail}`}${v.startsWith('\n') ? v : ''}`).join('\n'));

/** The data the yaml package gives, as the front matter reader reports it. */
function byYamlPackage(text: string): Record<string, unknown> {
  try {
    const data: unknown = parse(text, { logLevel: 'error' });
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

describe('front matter data', () => {
  it('is what the yaml package reads, whichever reader takes it', () => {
    fc.assert(
      fc.property(frontMatter, (text) => {
        assert.deepEqual(parseYamlData(text), byYamlPackage(text), text);
      }),
      { numRuns: 1500 },
    );
  });

  it('reads the usual fields, in one pass when the YAML is plain', () => {
    assert.notEqual(readPlainYaml('title: Talks in Nairobi\ndate: 2026-09-17\n'), null);
    assert.deepEqual(parseYamlData('title: Talks in Nairobi\ndate: 2026-09-17\ntags: [trade, water]\n'), { title: 'Talks in Nairobi', date: '2026-09-17', tags: ['trade', 'water'] });
    assert.deepEqual(parseYamlData('date: [unclosed\n'), {});
    assert.deepEqual(parseYamlData('date: 1\ndate: 2\n'), {});
  });
});
