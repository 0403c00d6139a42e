// Line-level reading of markdown, linear in the text: block-container prefixes, the split of a
// document into independently parseable chunks, and the cost pre-screen that decides whether a
// chunk may go to remark (whose worst cases are quadratic) or to the linear reader.

/** What opens a line: block quote markers, list markers and the indentation before them. */
export interface LinePrefix {
  /** Offset of the first character after the container markers and their spaces. */
  content: number;
  quoted: boolean;
  /** List markers on this line (`- > 1. ` counts 2: `-` and `1.`). */
  listMarkers: number;
  /** Columns of indentation before the first list marker (nested lists are written indented). */
  indent: number;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c !== 0xfeff);

/** Reads the container markers at the start of the line [start, end). */
export function readLinePrefix(text: string, start: number, end: number): LinePrefix {
  let i = start;
  let quoted = false;
  let listMarkers = 0;
  let indent = -1;
  for (;;) {
    const spacesFrom = i;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (i >= end) break;
    if (c === 62 /* > */) {
      quoted = true;
      i++;
      continue;
    }
    let marker = 0;
    if ((c === 45 || c === 42 || c === 43) && isSpace(text.charCodeAt(i + 1)) && i + 1 < end) marker = 1;
    else if (isDigit(c)) {
      let j = i;
      while (j < end && j - i < 9 && isDigit(text.charCodeAt(j))) j++;
      const d = text.charCodeAt(j);
      if ((d === 46 || d === 41) && j + 1 < end && isSpace(text.charCodeAt(j + 1))) marker = j + 1 - i;
    }
    if (!marker) break;
    if (indent < 0) indent = i - spacesFrom;
    listMarkers++;
    i += marker;
  }
  return { content: i, quoted, listMarkers, indent: Math.max(indent, 0) };
}

/** End of the line that starts at `start` (the offset of its `\n`, or the text's length). */
export function lineEnd(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? text.length : nl;
}

export function isBlankLine(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!isSpace(c) && c !== 13) return false;
  }
  return true;
}

interface Fence {
  char: string;
  length: number;
  quoted: boolean;
  /** Opened after a list marker: the columns of the item's content, which every line of the block needs. */
  itemIndent: number;
}

/** A code fence opening at `at` (``` or ~~~, three or more; a backtick fence's info has no backtick). */
function fenceAt(text: string, at: number, end: number, quoted: boolean, itemIndent = 0): Fence | null {
  const char = text[at];
  if (char !== '`' && char !== '~') return null;
  let j = at;
  while (j < end && text[j] === char) j++;
  if (j - at < 3) return null;
  if (char === '`' && text.slice(j, end).includes('`')) return null;
  return { char, length: j - at, quoted, itemIndent };
}

/** Where a line's content starts after its block quote markers (each with one optional space). */
function afterQuoteMarkers(text: string, start: number, end: number): number {
  let i = start;
  for (;;) {
    let j = i;
    while (j < end && j - i < 3 && text.charCodeAt(j) === 32) j++;
    if (text.charCodeAt(j) !== 62) return i;
    i = j + 1;
    if (text.charCodeAt(i) === 32) i++;
  }
}

/** The column of a line's content (after its list markers) counted from where its block quote markers end. */
function contentColumn(text: string, prefix: LinePrefix, start: number, end: number): number {
  return prefix.content - (prefix.quoted ? afterQuoteMarkers(text, start, end) : start);
}

/** True when the line content at `at` closes `fence`: the fence character repeated, then only spaces. */
function closesFence(text: string, at: number, end: number, fence: Fence): boolean {
  let j = at;
  while (j < end && text[j] === fence.char) j++;
  return j - at >= fence.length && isBlankLine(text, j, end);
}

/** The block-level tags whose line opens an HTML block even inside a paragraph (CommonMark type 6). */
const HTML_BLOCK_TAG = /^<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s>]|\/>|$)/i;

/** HTML blocks that may contain blank lines (CommonMark types 1–5) and the text that ends each. */
const HTML_RAW_BLOCKS: readonly [RegExp, string][] = [
  [/^<(?:script|pre|style|textarea)(?:[\s>]|$)/i, '</'],
  [/^<!--/, '-->'],
  [/^<\?/, '?>'],
  [/^<!\[CDATA\[/, ']]>'],
  [/^<![A-Za-z]/, '>'],
];

/** Text that ends the raw HTML block opening at `at`, or null when none opens there. */
function rawHtmlEnd(text: string, at: number, end: number): string | null {
  if (text.charCodeAt(at) !== 60) return null;
  const head = text.slice(at, Math.min(end, at + 12));
  for (const [opener, closer] of HTML_RAW_BLOCKS) {
    if (!opener.test(head)) continue;
    // The end marker on the opening line itself closes the block at once.
    const openLength = closer === '-->' ? 4 : 2;
    return text.slice(at + openLength, end).includes(closer) ? null : closer;
  }
  return null;
}

/** The fenced code or raw HTML block a line-by-line scan is in, if any. */
export class VerbatimBlock {
  private fence: Fence | null = null;
  private htmlEnd: string | null = null;

  get isOpen(): boolean {
    return this.fence !== null || this.htmlEnd !== null;
  }

  /** Whether the line [start, end) belongs to the open block (its closing line included). */
  takes(text: string, start: number, end: number, prefix: LinePrefix): boolean {
    if (this.htmlEnd) {
      if (text.slice(start, end).includes(this.htmlEnd)) this.htmlEnd = null;
      return true;
    }
    if (!this.fence) return false;
    // A fence opened inside a block quote ends with the quote.
    if (this.fence.quoted && !prefix.quoted) {
      this.fence = null;
      return false;
    }
    // Inside the fence, list markers are code: the closing fence is read after the quote markers
    // only, indented at most three columns past the item's content.
    const content = this.fence.quoted ? afterQuoteMarkers(text, start, end) : start;
    let at = content;
    while (at < end && text.charCodeAt(at) === 32) at++;
    if (this.fence.itemIndent && at < end && at - content < this.fence.itemIndent && !isBlankLine(text, at, end)) {
      // Not indented as the item's content: the item, and its fence, ended on the line before.
      this.fence = null;
      return false;
    }
    if (at - content - this.fence.itemIndent <= 3 && closesFence(text, at, end, this.fence)) this.fence = null;
    return true;
  }

  /**
   * Opens a block when the line's content starts one; true when it did. `itemColumn`: the content
   * column of the list item open above the line (0: none), or null when the caller does not know.
   */
  opens(text: string, prefix: LinePrefix, end: number, start: number, itemColumn: number | null = null): boolean {
    const column = contentColumn(text, prefix, start, end);
    let itemIndent = prefix.listMarkers ? column : 0;
    if (!prefix.listMarkers && itemColumn !== null) {
      // Indented as the open item's content, the line is in the item; four columns past where its
      // block starts (the item's content, or the margin) it is indented code or a paragraph's continuation.
      itemIndent = itemColumn > 0 && column >= itemColumn ? itemColumn : 0;
      if (column - itemIndent >= 4) itemIndent = -1;
    }
    this.fence = itemIndent < 0 ? null : fenceAt(text, prefix.content, end, prefix.quoted, itemIndent);
    this.htmlEnd = this.fence ? null : rawHtmlEnd(text, prefix.content, end);
    return this.isOpen;
  }
}

export interface Chunk {
  start: number;
  end: number;
  /** The chunk is the document's front matter. */
  frontMatter: boolean;
  /** An HTML line above is not yet ended by a blank line: the one state a split carries into the chunk. */
  afterHtml: boolean;
}

const ATX_HEADING = /^#{1,6}(?:[ \t]|\r?$)/;
/** A list marker alone on its line (an empty list item where a block may start). */
const BARE_MARKER = /^([-+*]|\d{1,9}[.)])[ \t]*\r?$/;
const BULLET_ITEM = /^[-*+][ \t]+\S/;
const ORDERED_ITEM = /^(\d{1,9})([.)])[ \t]+\S/;

/** The fence (`---` or `+++`) of a front-matter block the line at `from` may open, or null. */
export function frontMatterFence(text: string, from: number): string | null {
  const fence = text.slice(from, lineEnd(text, from)).trimEnd();
  return fence === '---' || fence === '+++' ? fence : null;
}

/** Length of a front-matter block opening at `from`, or 0. */
export function frontMatterLength(text: string, from: number): number {
  const fence = frontMatterFence(text, from);
  if (!fence) return 0;
  const first = lineEnd(text, from);
  for (let ls = first + 1; ls < text.length;) {
    const le = lineEnd(text, ls);
    if (text.slice(ls, le).trimEnd() === fence) return Math.min(le + 1, text.length) - from;
    ls = le + 1;
  }
  return 0;
}

/**
 * Whether a list item line reads the same at the start of a chunk as right after a line of text: not
 * when its content opens another list item (a marker, even one alone on the line: "- *", "1. -"),
 * which remark reads as text when the outer item interrupts a paragraph.
 */
function readsAloneAsAfterText(text: string, prefix: LinePrefix): boolean {
  const c = text.charCodeAt(prefix.content);
  return prefix.listMarkers === 1 && c !== 45 && c !== 42 && c !== 43 && !isDigit(c);
}

/**
 * Splits [from, text.length) into chunks that remark reads the same alone as in the whole text:
 * at blank lines followed by a line at column 0, and before top-level headings and list items —
 * never inside front matter, a fenced code block or a raw HTML block. Indented lines after a blank
 * line stay with the chunk above (they continue a list item or a code block).
 */
export function splitChunks(text: string, from: number): Chunk[] {
  const fm = frontMatterLength(text, from);
  const chunks: Chunk[] = fm ? [{ start: from, end: from + fm, frontMatter: true, afterHtml: false }] : [];
  return splitFrom(text, from + fm, false, chunks);
}

/**
 * Splits the text again from `start`, where a chunk of an earlier split started with `afterHtml`
 * (the first line of a chunk is read the same whatever came before it, but for that state). It
 * stops at the first cut where `known(at, afterHtml)` says a chunk of the earlier split starts with
 * the same state on the same text: from there on, the split is the earlier one. The last chunk
 * returned ends at that cut, or at the end of the text.
 */
export function resplitChunks(text: string, start: number, afterHtml: boolean, known: (at: number, afterHtml: boolean) => boolean): Chunk[] {
  return splitFrom(text, start, afterHtml, [], known);
}

function splitFrom(text: string, start: number, afterHtml: boolean, chunks: Chunk[], known?: (at: number, afterHtml: boolean) => boolean): Chunk[] {
  let chunkStart = start;
  let chunkAfterHtml = afterHtml;
  const verbatim = new VerbatimBlock();
  let inHtmlBlock = afterHtml;
  /** The HTML block is one that a blank line alone ends (CommonMark type 6), fences and all. */
  let htmlBlockLevel = false;
  let prevBlank = false;
  let orderedDelimiter: string | null = null;
  let chunkHasList = false;
  /** The content column of the last list item opened in the chunk (0: none). */
  let itemColumn = 0;
  /** Whether the last line that was not blank was indented 4 columns or more (indented code, or a list item's text). */
  let afterIndented = false;
  /** Cuts at `at`; true when the split from there on is known. */
  const startChunk = (at: number): boolean => {
    chunks.push({ start: chunkStart, end: at, frontMatter: false, afterHtml: chunkAfterHtml });
    chunkStart = at;
    chunkAfterHtml = inHtmlBlock;
    chunkHasList = false;
    itemColumn = 0;
    return known?.(at, inHtmlBlock) ?? false;
  };
  for (let ls = chunkStart; ls < text.length;) {
    const le = lineEnd(text, ls);
    const next = le + 1;
    // Most lines of prose start with a letter: they open no block, fence or HTML.
    if (!verbatim.isOpen && ls > chunkStart && isLetter(text.charCodeAt(ls))) {
      if (prevBlank) {
        if (startChunk(ls)) return chunks;
        orderedDelimiter = null;
      }
      prevBlank = false;
      afterIndented = false;
      ls = next;
      continue;
    }
    const prefix = readLinePrefix(text, ls, le);
    const inVerbatim = verbatim.isOpen;
    if (verbatim.takes(text, ls, le, prefix)) {
      afterIndented = false;
      // Whatever follows a closed fence or HTML block starts a new block, as after a blank line.
      if (!verbatim.isOpen) prevBlank = true;
      ls = next;
      continue;
    }
    if (isBlankLine(text, ls, le)) {
      prevBlank = true;
      inHtmlBlock = false;
      htmlBlockLevel = false;
      ls = next;
      continue;
    }
    // Columns of indentation, up to 4 (a tab reaches the next multiple of 4: one at the start is 4).
    let indent = 0;
    for (let i = ls; indent < 4 && isSpace(text.charCodeAt(i)); i++) indent = text.charCodeAt(i) === 9 ? indent + 4 - (indent % 4) : indent + 1;
    if (indent === 0) {
      const head = text.slice(ls, Math.min(le, ls + 16));
      const ordered = ORDERED_ITEM.exec(head);
      const startsBlock = ATX_HEADING.test(head) || (BULLET_ITEM.test(head) && readsAloneAsAfterText(text, prefix))
        // An ordered item other than "1." cannot interrupt a paragraph, only continue a list.
        || (ordered !== null && (ordered[1] === '1' || ordered[2] === orderedDelimiter) && readsAloneAsAfterText(text, prefix));
      // Nor, for remark, does one follow indented code (even across blank lines) as a list: it stays with it.
      const startsAfterBlank = prevBlank && !(afterIndented && ordered !== null && ordered[1] !== '1');
      if (ls > chunkStart && (startsAfterBlank || (startsBlock && !inHtmlBlock)) && startChunk(ls)) return chunks;
      if (ls === chunkStart) orderedDelimiter = ordered ? ordered[2] : null;
    } else if (prevBlank && ls > chunkStart && (indent === 1 || (indent < 4 && !chunkHasList))) {
      // After a blank line, 1–3 spaces continue a list item only where a list is open (at least 2).
      if (startChunk(ls)) return chunks;
      orderedDelimiter = null;
    }
    // A line less indented than the open item's content, after a blank line or a fence it ended, is outside the item.
    if (!prefix.listMarkers && (prevBlank || inVerbatim) && prefix.content - ls < itemColumn) itemColumn = 0;
    // A bare marker where a block starts is an empty list item: what follows, indented past it, is in the item.
    const bare = !prefix.listMarkers && (prevBlank || inVerbatim || ls === chunkStart) ? BARE_MARKER.exec(text.slice(prefix.content, le)) : null;
    if (bare) itemColumn = contentColumn(text, prefix, ls, le) + bare[1].length + 1;
    if (prefix.listMarkers) {
      chunkHasList = true;
      // Five spaces or more after the marker: the content starts after one, the rest is indented code.
      let spaces = 0;
      while (text.charCodeAt(prefix.content - 1 - spaces) === 32) spaces++;
      itemColumn = contentColumn(text, prefix, ls, le) - (spaces >= 5 ? spaces - 1 : 0);
    }
    prevBlank = false;
    afterIndented = indent >= 4;
    // An HTML block of block-level tags runs to the next blank line, whatever it holds: no fence opens in it.
    if (!htmlBlockLevel && !verbatim.opens(text, prefix, le, ls, itemColumn) && text.charCodeAt(prefix.content) === 60 && /^<[A-Za-z/]/.test(text.slice(prefix.content, prefix.content + 2))) {
      inHtmlBlock = true;
      htmlBlockLevel = indent < 4 && HTML_BLOCK_TAG.test(text.slice(prefix.content, Math.min(le, prefix.content + 14)));
    }
    ls = next;
  }
  if (chunkStart < text.length || chunks.length === 0) chunks.push({ start: chunkStart, end: text.length, frontMatter: false, afterHtml: chunkAfterHtml });
  return chunks;
}

const DELIMITER_ROW = /^[ \t]*(?:\|[ \t]*)?:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*(?:\|[ \t]*)?\r?$/;

/** True when the text's second line is a GFM table delimiter row (`|---|:--:|`). */
export function startsWithTable(text: string): boolean {
  const firstEnd = lineEnd(text, 0);
  return firstEnd < text.length && DELIMITER_ROW.test(text.slice(firstEnd + 1, lineEnd(text, firstEnd + 1)));
}

// Thresholds measured on remark-parse 11 (see test/unit/markdown.test.ts and the report): below
// them a chunk parses in well under 50 ms; the pathological inputs are far above them.
const MAX_CHUNK_CHARS = 64_000;
const MAX_EMPHASIS_RUNS = 400;
const MAX_BRACKETS = 1_000;
const MAX_ANGLES = 1_000;
const MAX_NESTING = 16;

/**
 * Cheap linear check for chunks on which remark would be slow: too long, too many emphasis
 * delimiter runs in one inline context, too many brackets or angle brackets, too deep nesting.
 */
export function looksCostly(text: string): boolean {
  if (text.length > MAX_CHUNK_CHARS) return true;
  // A table's cells are separate inline contexts, so its emphasis is counted per row.
  const table = startsWithTable(text);
  let runs = 0;
  let brackets = 0;
  let angles = 0;
  for (let ls = 0; ls < text.length;) {
    const le = lineEnd(text, ls);
    const prefix = readLinePrefix(text, ls, le);
    if (prefix.listMarkers + (prefix.quoted ? 1 : 0) > 0) {
      let quotes = 0;
      for (let i = ls; i < prefix.content; i++) if (text.charCodeAt(i) === 62) quotes++;
      if (quotes + prefix.listMarkers + (prefix.indent >> 1) > MAX_NESTING) return true;
    }
    if (table) runs = 0;
    let prev = 0;
    for (let i = prefix.content; i < le; i++) {
      const c = text.charCodeAt(i);
      if ((c === 42 || c === 95 || c === 126) && c !== prev) runs++;
      else if (c === 91 || c === 93) brackets++;
      else if (c === 60) angles++;
      prev = c;
    }
    if (runs > MAX_EMPHASIS_RUNS || brackets > MAX_BRACKETS || angles > MAX_ANGLES) return true;
    ls = le + 1;
  }
  return false;
}
