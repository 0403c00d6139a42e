// brat standoff (.ann) export and reader.
// brat reads its .txt with Python, so its offsets count Unicode code points, while ours count UTF-16
// code units. The export converts every offset to code points (they differ only after astral
// characters such as emoji); parseBrat returns code points as written, and CodePointIndex converts back.
import { commitmentIds } from '../checklist';
import type { EntityType, ScanResult, Span } from '../types';

export const BRAT_TYPES: Record<EntityType, string> = {
  person: 'Person',
  organization: 'Organization',
  place: 'Place',
  event: 'Event',
};

export interface BratTextBound {
  id: string;
  type: string;
  /** Code point offsets, end exclusive; several when the span was cut at line breaks. */
  fragments: [number, number][];
  text: string;
}

export interface BratNote {
  id: string;
  target: string;
  text: string;
}

export interface BratDocument {
  textBounds: BratTextBound[];
  notes: BratNote[];
}

/** Converts between UTF-16 offsets and code point offsets of one text. */
export class CodePointIndex {
  /** UTF-16 offsets at which an astral character (a surrogate pair) starts. */
  private readonly astral: number[] = [];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) this.astral.push(i++);
      }
    }
  }

  /** How many of the sorted values in `xs` satisfy `below(x)` (a prefix of the list). */
  private static count(xs: number[], below: (x: number, i: number) => boolean): number {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (below(xs[mid], mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  toCodePoint(utf16: number): number {
    return utf16 - CodePointIndex.count(this.astral, (a) => a < utf16 - 1);
  }

  toUtf16(codePoint: number): number {
    return codePoint + CodePointIndex.count(this.astral, (a, i) => a - i < codePoint);
  }
}

/** A span cut at line breaks, each piece trimmed of surrounding white space (brat spans hold no newline). */
function fragments(text: string, span: Span): Span[] {
  const out: Span[] = [];
  let from = span.start;
  for (const piece of text.slice(span.start, span.end).split('\n')) {
    const lead = piece.length - piece.trimStart().length;
    const trimmed = piece.trim();
    if (trimmed) out.push({ start: from + lead, end: from + lead + trimmed.length });
    from += piece.length + 1;
  }
  return out;
}

const oneLine = (s: string): string => s.replace(/[\t\r\n]+/g, ' ');

export function exportBrat(text: string, result: ScanResult): string {
  const index = new CodePointIndex(text);
  const lines: string[] = [];
  let t = 0;
  let note = 0;
  const textBound = (type: string, span: Span): string | null => {
    const parts = fragments(text, span);
    if (parts.length === 0) return null;
    const id = `T${++t}`;
    const offsets = parts.map((p) => `${index.toCodePoint(p.start)} ${index.toCodePoint(p.end)}`).join(';');
    lines.push(`${id}\t${type} ${offsets}\t${parts.map((p) => oneLine(text.slice(p.start, p.end))).join(' ')}`);
    return id;
  };
  const annotatorNote = (target: string, value: string): void => {
    lines.push(`#${++note}\tAnnotatorNotes ${target}\t${oneLine(value)}`);
  };
  for (const m of result.mentions) {
    const id = textBound(BRAT_TYPES[m.type], m);
    if (id && m.id) annotatorNote(id, `registry:${m.id}`);
  }
  const ids = commitmentIds(result.commitments);
  result.commitments.forEach((c, i) => {
    const id = textBound('Commitment', c);
    if (!id) return;
    const facts = [`id=${ids[i]}`, `kind=${c.kind}`, `actors=${c.actors.join(' | ')}`];
    if (c.due) facts.push(`due=${c.due}`);
    if (c.recurrence) facts.push(`recurrence=${c.recurrence}`);
    annotatorNote(id, facts.join('; '));
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** Reads text-bound annotations and annotator notes; other brat lines (relations, events …) are skipped. */
export function parseBrat(ann: string): BratDocument {
  const doc: BratDocument = { textBounds: [], notes: [] };
  for (const line of ann.split(/\r?\n/)) {
    const [id, middle, ...rest] = line.split('\t');
    if (middle === undefined) continue;
    const value = rest.join('\t');
    if (/^T\d+$/.test(id)) {
      const m = /^(\S+) (\d+ \d+(?:;\d+ \d+)*)$/.exec(middle);
      if (!m) continue;
      const frags = m[2].split(';').map((f) => f.split(' ').map(Number) as [number, number]);
      doc.textBounds.push({ id, type: m[1], fragments: frags, text: value });
    } else if (/^#\d+$/.test(id)) {
      const m = /^AnnotatorNotes (\S+)$/.exec(middle);
      if (m) doc.notes.push({ id, target: m[1], text: value });
    }
  }
  return doc;
}
