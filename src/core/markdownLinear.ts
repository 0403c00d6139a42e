// The linear fallback reader: masks markdown syntax line by line and inline, in time linear in the
// text, for chunks on which remark would be too slow. Best effort where CommonMark is subtle, but it
// never lets code, link destinations, HTML or comments through as prose.
import type { BlockKind, ProseBlock } from './types';
import { isBlankLine, lineEnd, readLinePrefix, startsWithTable, VerbatimBlock } from './markdownLines';

/** Per character: not prose, prose that may still be syntax, or prose for sure (an escaped character). */
const MASKED = 0;
const CANDIDATE = 1;
const LITERAL = 2;

/** `text` with every character outside the kept ranges, and every NUL, turned into a space (line breaks stay). */
export function proseFromKeep(text: string, keep: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < text.length;) {
    let j = i;
    if (keep[i]) {
      while (j < text.length && keep[j]) j++;
      // NUL is never prose (remark reads it as U+FFFD).
      parts.push(text.slice(i, j).replace(/\u0000/g, ' '));
    } else {
      while (j < text.length && !keep[j]) j++;
      parts.push(text.slice(i, j).replace(/[^\r\n]/g, ' '));
    }
    i = j;
  }
  return parts.join('');
}

const THEMATIC_BREAK = /^[ \t>]*(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})\r?$/;
const SETEXT_UNDERLINE = /^(?:=+|-+)[ \t]*\r?$/;
const LINK_DEFINITION = /^\[[^\]^\n][^\]\n]{0,998}\]:/;
const FOOTNOTE_LABEL = /^\[\^[^\]\n]{1,999}\]:/;

/** Reads a chunk without remark: prose by masking, blocks by lines. */
export function readLinear(text: string): { prose: string; blocks: ProseBlock[] } {
  const keep = new Uint8Array(text.length);
  const blocks = markLines(text, keep);
  for (const b of blocks) maskInline(text, keep, b.start, b.end);
  return { prose: proseFromKeep(text, keep), blocks };
}

/** Marks each line's content as candidate prose, masking block syntax; returns the blocks. */
function markLines(text: string, keep: Uint8Array): ProseBlock[] {
  const blocks: ProseBlock[] = [];
  const table = startsWithTable(text);
  const verbatim = new VerbatimBlock();
  /** The block that the next plain line continues, if any. */
  let open: ProseBlock | null = null;
  // Indentation columns of the open list items, outermost first: depth from indentation.
  const listIndents: number[] = [];
  const begin = (kind: BlockKind, from: number, to: number, listDepth: number, quoted: boolean): ProseBlock => {
    const block = { kind, start: from, end: to, listDepth, quoted };
    blocks.push(block);
    return block;
  };
  for (let ls = 0, line = 0; ls < text.length; line++) {
    const le = lineEnd(text, ls);
    const next = le + 1;
    const prefix = readLinePrefix(text, ls, le);
    if (verbatim.takes(text, ls, le, prefix)) {
      ls = next;
      continue;
    }
    const content = text.slice(prefix.content, le);
    if (verbatim.opens(text, prefix, le, ls) || isBlankLine(text, prefix.content, le) || LINK_DEFINITION.test(content)) {
      open = null;
    } else if (THEMATIC_BREAK.test(text.slice(ls, le))) {
      open = null;
      listIndents.length = 0;
    } else if (SETEXT_UNDERLINE.test(content) && open && !prefix.listMarkers) {
      open.kind = 'heading';
      open = null;
    } else if (table) {
      if (line !== 1) markTableRow(text, keep, prefix.content, le, prefix.quoted, blocks);
    } else {
      const heading = /^#{1,6}(?=[ \t]|\r?$)/.exec(content);
      const footnote = FOOTNOTE_LABEL.exec(content);
      let from = prefix.content + (footnote ? footnote[0].length : 0);
      let to = le > ls && text.charCodeAt(le - 1) === 13 ? le - 1 : le;
      if (heading) {
        from += heading[0].length;
        const closing = /[ \t]#+[ \t]*$/.exec(text.slice(from, to));
        if (closing) to = from + closing.index;
        listIndents.length = 0;
        begin('heading', from, to, 0, prefix.quoted);
        open = null;
      } else if (prefix.listMarkers) {
        while (listIndents.length && listIndents[listIndents.length - 1] >= prefix.indent) listIndents.pop();
        listIndents.push(prefix.indent);
        if (/^\[[ xX]\][ \t]/.test(content)) from += 3;
        open = begin('listItem', from, to, listIndents.length + prefix.listMarkers - 1, prefix.quoted);
      } else if (open && open.quoted === prefix.quoted && !footnote) {
        // A continuation line: its own prefix stays masked, only [from, to) is prose.
        open.end = to;
      } else if (listIndents.length && prefix.content > ls) {
        open = begin('listItem', from, to, listIndents.length, prefix.quoted);
      } else {
        listIndents.length = 0;
        open = begin('paragraph', from, to, 0, prefix.quoted);
      }
      keep.fill(CANDIDATE, from, to);
    }
    ls = next;
  }
  return blocks;
}

/** One table row: every cell between unescaped pipes becomes a table-cell block. */
function markTableRow(text: string, keep: Uint8Array, from: number, to: number, quoted: boolean, blocks: ProseBlock[]): void {
  let cellStart = from;
  for (let i = from; i <= to; i++) {
    const c = text.charCodeAt(i);
    if (i < to && c === 92 /* \ */) {
      i++;
      continue;
    }
    if (i < to && c !== 124 /* | */) continue;
    if (i > cellStart) {
      keep.fill(CANDIDATE, cellStart, i);
      blocks.push({ kind: 'tableCell', start: cellStart, end: i, listDepth: 0, quoted });
    }
    cellStart = i + 1;
  }
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Masks inline syntax inside [start, end): escapes, code spans, HTML, URLs, links, emphasis. */
function maskInline(text: string, keep: Uint8Array, start: number, end: number): void {
  for (let i = start; i < end - 1; i++) {
    if (text.charCodeAt(i) === 92 && keep[i] === CANDIDATE && /[!-/:-@[-`{-~\n]/.test(text[i + 1])) {
      keep[i] = MASKED;
      if (keep[i + 1]) keep[i + 1] = LITERAL;
      i++;
    }
  }
  maskCodeSpans(text, keep, start, end);
  maskHtml(text, keep, start, end);
  maskUrls(text, keep, start, end);
  maskLinks(text, keep, start, end);
  for (let i = start; i < end; i++) {
    if (keep[i] !== CANDIDATE) continue;
    const c = text[i];
    if (c === '*' || c === '~' || (c === '_' && !(isWordChar(text[i - 1]) && isWordChar(text[i + 1])))) keep[i] = MASKED;
  }
}

/** Code spans: a backtick run closed by the next run of the same length. Linear: one cursor per length. */
function maskCodeSpans(text: string, keep: Uint8Array, start: number, end: number): void {
  const runs: { at: number; length: number }[] = [];
  for (let i = start; i < end;) {
    if (text.charCodeAt(i) !== 96 || keep[i] !== CANDIDATE) {
      i++;
      continue;
    }
    let j = i;
    while (j < end && text.charCodeAt(j) === 96) j++;
    runs.push({ at: i, length: j - i });
    i = j;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((r, k) => {
    const list = byLength.get(r.length);
    if (list) list.push(k);
    else byLength.set(r.length, [k]);
  });
  const cursor = new Map<number, number>();
  for (let k = 0; k < runs.length; k++) {
    const same = byLength.get(runs[k].length) as number[];
    let c = cursor.get(runs[k].length) ?? 0;
    while (c < same.length && same[c] <= k) c++;
    cursor.set(runs[k].length, c);
    const closer = c < same.length ? runs[same[c]] : null;
    const to = closer ? closer.at + closer.length : runs[k].at + runs[k].length;
    keep.fill(MASKED, runs[k].at, to);
    // Runs inside the span are code too: skip them.
    if (closer) k = same[c];
  }
}

/** HTML tags, comments and autolinks. Each scan stops at the next `<`, so the work is linear. */
function maskHtml(text: string, keep: Uint8Array, start: number, end: number): void {
  let commentsClosed = true;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) !== 60 || keep[i] !== CANDIDATE) continue;
    if (commentsClosed && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close >= 0 && close + 3 <= end) {
        keep.fill(MASKED, i, close + 3);
        i = close + 2;
        continue;
      }
      // No closing `-->` after here means none after any later opener either.
      commentsClosed = false;
    }
    if (!/[A-Za-z/!?]/.test(text[i + 1] ?? '')) continue;
    let j = i + 1;
    while (j < end && text[j] !== '>' && text[j] !== '<') j++;
    if (j < end && text[j] === '>') {
      keep.fill(MASKED, i, j + 1);
      i = j;
    }
  }
}

/** Bare URLs, which GFM turns into links whose text is the address. */
function maskUrls(text: string, keep: Uint8Array, start: number, end: number): void {
  const slice = text.slice(start, end);
  for (const m of slice.matchAll(/(?:\b[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s<>()[\]]*/gi)) {
    const from = start + (m.index as number);
    if (keep[from] === CANDIDATE) keep.fill(MASKED, from, from + m[0].length);
  }
}

/** End (after `)`) of an inline link destination and title starting after `(` at `from`, or -1. */
function destinationEnd(text: string, from: number, end: number): number {
  const stops = (c: string): boolean => c === '[' || c === ']';
  let i = from;
  while (i < end && /\s/.test(text[i])) i++;
  if (text[i] === '<') {
    while (i < end && text[i] !== '>' && text[i] !== '\n' && !stops(text[i])) i++;
    if (text[i] !== '>') return -1;
    i++;
  } else {
    let depth = 0;
    while (i < end && !/\s/.test(text[i]) && !stops(text[i])) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')' && depth-- === 0) return i + 1;
      i++;
    }
  }
  while (i < end && /\s/.test(text[i])) i++;
  const quote = text[i];
  if (quote === '"' || quote === "'" || quote === '(') {
    const closer = quote === '(' ? ')' : quote;
    i++;
    while (i < end && text[i] !== closer && !stops(text[i])) i++;
    if (text[i] !== closer) return -1;
    i++;
    while (i < end && /\s/.test(text[i])) i++;
  }
  return text[i] === ')' ? i + 1 : -1;
}

/** Links and images: brackets, destinations, reference labels and image alt text are masked. */
function maskLinks(text: string, keep: Uint8Array, start: number, end: number): void {
  const openers: { at: number; image: boolean }[] = [];
  for (let i = start; i < end; i++) {
    if (keep[i] !== CANDIDATE) continue;
    const c = text[i];
    if (c === '[') {
      const image = i > start && text[i - 1] === '!' && keep[i - 1] === CANDIDATE;
      openers.push({ at: image ? i - 1 : i, image });
      continue;
    }
    if (c !== ']') continue;
    let to = i + 1;
    if (text[to] === '(') {
      const d = destinationEnd(text, to + 1, end);
      if (d > 0) to = d;
    } else if (text[to] === '[') {
      let j = to + 1;
      while (j < end && text[j] !== ']' && text[j] !== '[' && text[j] !== '\n') j++;
      if (text[j] === ']') to = j + 1;
    }
    const opener = openers.pop();
    // Images lose their alt text, footnote references `[^1]` their label.
    if (opener && (opener.image || text[opener.at + 1] === '^')) keep.fill(MASKED, opener.at, to);
    else {
      if (opener) keep[opener.at] = MASKED;
      keep.fill(MASKED, i, to);
    }
    i = to - 1;
  }
  for (const o of openers) keep.fill(MASKED, o.at, o.image ? o.at + 2 : o.at + 1);
}
