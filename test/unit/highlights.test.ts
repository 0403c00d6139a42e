import assert from 'node:assert/strict';
import fc from 'fast-check';
import { highlightRanges, packHighlights, STYLES } from '../../src/core/highlights';
import { Edit } from '../../src/core/memo';
import { LineIndex, lineStarts } from '../../src/core/positions';
import { ENTITY_TYPES, type Mention } from '../../src/core/types';

/** Text of short lines, and mentions in text order inside it. */
const textAndMentions = fc
  .array(fc.constantFrom('Wang', ' met ', 'Naqvi', '\n', '\n\n', 'in Beijing', ' é', '…'), { minLength: 1, maxLength: 60 })
  .map((parts) => parts.join(''))
  .chain((text) =>
    fc.array(fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 12 }), fc.constantFrom(...ENTITY_TYPES), fc.boolean()), { maxLength: 20 }).map((spans) => {
      const mentions: Mention[] = spans
        .map(([start, length, type, linked]) => ({ start, end: Math.min(text.length, start + length), text: '', type, id: linked ? 'x' : null, source: 'detected' as const, entity: 'e' }))
        .sort((a, b) => a.start - b.start);
      return { text, mentions };
    }),
  );

describe('highlights', () => {
  it('places every mention where a per-offset line look-up does, grouped by type and look', () => {
    fc.assert(
      fc.property(textAndMentions, ({ text, mentions }) => {
        const lines = new LineIndex(text);
        const expected = STYLES.map(({ type, look }) =>
          mentions
            .filter((m) => m.type === type && (m.id ? 'linked' : 'detected') === look)
            .flatMap((m) => [lines.positionAt(m.start), lines.positionAt(m.end)].flatMap((p) => [p.line - 1, p.column - 1])),
        );
        assert.deepStrictEqual(highlightRanges(packHighlights(mentions), lineStarts(text), new Set(ENTITY_TYPES)), expected);
      }),
    );
  });

  it('gives the lines asked for alone, and leaves out types not enabled', () => {
    fc.assert(
      fc.property(textAndMentions, fc.nat(), fc.nat(), ({ text, mentions }, a, b) => {
        const starts = lineStarts(text);
        const [fromLine, toLine] = [a % starts.length, b % starts.length].sort((x, y) => x - y);
        const all = highlightRanges(packHighlights(mentions), starts, new Set(['person']));
        const some = highlightRanges(packHighlights(mentions), starts, new Set(['person']), { fromLine, toLine });
        STYLES.forEach(({ type }, style) => {
          if (type !== 'person') assert.deepStrictEqual(all[style], []);
          const quads = (r: number[]) => Array.from({ length: r.length / 4 }, (_, i) => r.slice(i * 4, i * 4 + 4));
          assert.deepStrictEqual(quads(some[style]), quads(all[style]).filter(([line]) => line >= fromLine && line <= toLine));
        });
      }),
    );
  });
});

describe('Edit', () => {
  it('finds only unchanged places, the same content in both versions', () => {
    const piece = fc.constantFrom('a', 'b', '\n', 'ab', ' ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), fc.array(piece, { maxLength: 30 }), fc.nat(), fc.nat(), (x, y, s, l) => {
        const [before, after] = [x.join(''), y.join('')];
        const edit = Edit.between([before], [after]);
        const start = s % (after.length + 1);
        const end = Math.min(after.length, start + (l % 8));
        const was = edit.previous(start, end);
        if (was >= 0) assert.equal(before.slice(was, was + end - start), after.slice(start, end));
        assert.ok(edit.head + edit.tail <= Math.min(before.length, after.length));
      }),
    );
  });

  it('keeps the whole text when only one character changed', () => {
    const before = 'x'.repeat(10_000);
    const after = `${before.slice(0, 5_000)}y${before.slice(5_001)}`;
    const edit = Edit.between([before], [after]);
    assert.equal(edit.previous(0, 5_000), 0);
    assert.equal(edit.previous(5_001, 10_000), 5_001);
    assert.equal(edit.previous(4_999, 5_001), -1);
  });
});
