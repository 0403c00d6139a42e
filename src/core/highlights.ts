// Highlights: what the editor needs of a scan's mentions to decorate them — span, entity type and
// look (registry-linked or detected only) — packed in one typed array (a worker sends it without
// copying object by object), and turned into line/character ranges with a line table in one pass,
// the lines in view first.
import { lineAt } from './positions';
import { ENTITY_TYPES, type EntityType, type Mention } from './types';

export type Look = 'linked' | 'detected';
const LOOKS: readonly Look[] = ['linked', 'detected'];

/** Mentions as [start, end, style] triples in text order; style = type index × 2 + (detected ? 1 : 0). */
export type PackedHighlights = Int32Array;

/** One decoration style per entity type and look: its index in a style list. */
function styleOf(type: EntityType, look: Look): number {
  return ENTITY_TYPES.indexOf(type) * 2 + (look === 'linked' ? 0 : 1);
}

export const STYLES: readonly { type: EntityType; look: Look }[] = ENTITY_TYPES.flatMap((type) => LOOKS.map((look) => ({ type, look })));

export function packHighlights(mentions: readonly Mention[]): PackedHighlights {
  const packed = new Int32Array(mentions.length * 3);
  mentions.forEach((m, i) => {
    packed[i * 3] = m.start;
    packed[i * 3 + 1] = m.end;
    packed[i * 3 + 2] = styleOf(m.type, m.id ? 'linked' : 'detected');
  });
  return packed;
}

/**
 * Ranges per style, as flat [startLine, startCharacter, endLine, endCharacter] quads (0-based), of
 * the highlights whose start is on lines [fromLine, toLine] (all lines by default) and whose type is
 * enabled. `starts` are the offsets at which the text's lines start.
 */
export function highlightRanges(
  packed: PackedHighlights,
  starts: ArrayLike<number>,
  enabled: ReadonlySet<EntityType>,
  lines: { fromLine: number; toLine: number } = { fromLine: 0, toLine: starts.length - 1 },
): number[][] {
  const ranges: number[][] = STYLES.map(() => []);
  const wanted = STYLES.map((s) => enabled.has(s.type));
  const count = packed.length / 3;
  const from = lines.fromLine < starts.length ? starts[lines.fromLine] : Infinity;
  const to = lines.toLine + 1 < starts.length ? starts[lines.toLine + 1] : Infinity;
  // The first highlight at or after `from`: mentions are in text order.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (packed[mid * 3] < from) lo = mid + 1;
    else hi = mid;
  }
  let line = lo < count ? lineAt(starts, packed[lo * 3]) : 0;
  for (let i = lo; i < count && packed[i * 3] < to; i++) {
    const start = packed[i * 3];
    const end = packed[i * 3 + 1];
    const style = packed[i * 3 + 2];
    // Starts only grow, so the line walks forward; an end is on its start's line or a later one.
    while (line + 1 < starts.length && starts[line + 1] <= start) line++;
    if (!wanted[style]) continue;
    let endLine = line;
    while (endLine + 1 < starts.length && starts[endLine + 1] <= end) endLine++;
    ranges[style].push(line, start - starts[line], endLine, end - starts[endLine]);
  }
  return ranges;
}
