// A document as independent segments: runs of blocks separated by a blank line. No step of the
// pipeline reads across one (names, sentences and token runs never span a blank line), so each
// segment can be read on its own and its readings kept while other segments are edited.
import type { ProseBlock, ProseDocument } from './types';

export interface Segment {
  /** The segment covers [start, end) of the text; segments tile the whole document. */
  start: number;
  end: number;
  /** Its blocks: [firstBlock, endBlock) of the document's. */
  firstBlock: number;
  endBlock: number;
}

/** Segments of `doc`: a new one starts at each block with a blank line between it and the block before. */
export function segmentsOf(doc: ProseDocument): Segment[] {
  const { blocks, prose } = doc;
  const segments: Segment[] = [];
  let start = 0;
  let first = 0;
  for (let b = 1; b < blocks.length; b++) {
    if (!hasBlankLine(prose, blocks[b - 1].end, blocks[b].start)) continue;
    segments.push({ start, end: blocks[b].start, firstBlock: first, endBlock: b });
    start = blocks[b].start;
    first = b;
  }
  segments.push({ start, end: prose.length, firstBlock: first, endBlock: blocks.length });
  return segments;
}

/** Is the prose between two blocks blank, with a blank line in it? */
function hasBlankLine(prose: string, from: number, to: number): boolean {
  return BLANK_GAP.test(prose.slice(from, to));
}

const BLANK_GAP = /^\s*\n[ \t]*\n\s*$/;

/** The segment as a document of its own, offsets relative to its start. */
export function segmentDocument(doc: ProseDocument, segment: Segment): ProseDocument {
  const { start, end } = segment;
  return {
    text: doc.text.slice(start, end),
    prose: doc.prose.slice(start, end),
    blocks: doc.blocks.slice(segment.firstBlock, segment.endBlock).map((b) => ({ ...b, start: b.start - start, end: b.end - start })),
    frontMatter: null,
    fallback: doc.fallback,
  };
}

/** What the segment's readings depend on besides its prose: the kind and place of its blocks. */
export function segmentKey(segmentDoc: ProseDocument): string {
  const shape = segmentDoc.blocks.map((b) => `${b.kind}${b.listDepth}${b.quoted ? 'q' : ''}${b.start}-${b.end}`).join(',');
  // Detection reads where markup was masked too, so two texts with the same prose differ here.
  return `${shape}\u0000${segmentDoc.prose}\u0000${segmentDoc.text}`;
}

/**
 * Whether two segments (of two versions of a document, at offsets known to hold the same text and
 * prose) have the same blocks: then every reading of one holds for the other.
 */
export function sameShape(a: readonly ProseBlock[], sa: Segment, b: readonly ProseBlock[], sb: Segment): boolean {
  if (sa.end - sa.start !== sb.end - sb.start || sa.endBlock - sa.firstBlock !== sb.endBlock - sb.firstBlock) return false;
  for (let i = 0; i < sa.endBlock - sa.firstBlock; i++) {
    const x = a[sa.firstBlock + i];
    const y = b[sb.firstBlock + i];
    if (x.kind !== y.kind || x.listDepth !== y.listDepth || x.quoted !== y.quoted) return false;
    if (x.start - sa.start !== y.start - sb.start || x.end - sa.start !== y.end - sb.start) return false;
  }
  return true;
}
