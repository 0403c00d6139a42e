// The hand reader: a chunk whose markdown is plain — paragraphs and ATX headings, or one list item
// or block quote of them, whose text has no inline syntax but simple code spans, inline links and
// emphasis; or one fenced code block — is read without remark into exactly what remark's tree gives
// (markdownPlain.test.ts compares the two on generated markdown). Anything outside that subset is
// refused (null) and goes to remark.
// The subset is what makes it exact, so it stays narrow: any character that could start other
// syntax, anywhere in the text, sends the whole chunk to remark.
import { proseFromKeep } from './markdownLinear';
import { lineEnd } from './markdownLines';
import type { BlockKind, ProseBlock } from './types';

export interface PlainReading {
  prose: string;
  /** Paragraph and heading blocks, not yet narrowed to their prose. */
  blocks: ProseBlock[];
}

/** Front matter fenced by `---` (YAML) or `+++` (TOML) lines with nothing else on them. */
export interface PlainFrontMatter {
  toml: boolean;
  /** End of the closing fence, before its line ending. */
  end: number;
  /** The lines between the fences. */
  value: string;
}

const SPACE = 32;
const BACKTICK = 96;

/** ASCII characters that may start inline or block syntax, or an autolink literal (`@` of an e-mail). */
const NOT_TEXT = asciiSet('*_~<>&\\]|@');
/** ASCII characters that may not be in a plain link destination: they could open a title, nested parentheses, an escape, a reference. */
const NOT_DESTINATION = asciiSet('()<>[]\\`"\'&|');
/** Tabs (columns), NUL (read as U+FFFD), other controls and a CR that is not part of CRLF (a line ending of its own). */
const AWKWARD_CONTROL = /[\x00-\x09\x0b-\x0c\x0e-\x1f]|\r(?!\n)/;
/** What may follow the first digits of a line without making it an ordered list marker. */
const ORDERED_MARKER = /^\d+[.)](?: |$)/;

/** The whole chunk read by hand, or null when it is not plain. */
export function readPlainChunk(source: string): PlainReading | null {
  if (AWKWARD_CONTROL.test(source)) return null;
  if (isFencedCodeChunk(source)) return { prose: blankProse(source), blocks: [] };
  const reader = new PlainReader(source);
  return reader.read() ? { prose: proseFromKeep(source, reader.keep), blocks: reader.blocks } : null;
}

/** The container every line of a plain chunk is in, set by its first line. */
type Container = 'none' | 'listItem' | 'quote';

class PlainReader {
  readonly keep: Uint8Array;
  readonly blocks: ProseBlock[] = [];
  /** The paragraph the next line may continue. */
  private open: ProseBlock | null = null;

  constructor(private readonly source: string) {
    this.keep = new Uint8Array(source.length).fill(1);
  }

  /** Reads every line; false as soon as one is outside the subset. */
  read(): boolean {
    const s = this.source;
    let container: Container | null = null;
    let afterBlank = false;
    for (let ls = 0; ls < s.length;) {
      const le = lineEnd(s, ls);
      const end = le > ls && s.charCodeAt(le - 1) === 13 ? le - 1 : le;
      const at = skipSpaces(s, ls, end);
      if (at === end) {
        // Only blank lines may follow a blank line: after one, a line may continue a list item or a
        // quote, or start something the chunk split did not expect.
        afterBlank = true;
        this.open = null;
      } else if (afterBlank) {
        return false;
      } else if (container === null) {
        container = this.containerOf(ls, at, end);
        if (!this.firstLine(container, ls, at, end)) return false;
      } else if (!this.line(container, ls, at, end)) return false;
      ls = le + 1;
    }
    return true;
  }

  private containerOf(ls: number, at: number, end: number): Container {
    if (at - ls >= 4) return 'none';
    if (this.source.charCodeAt(at) === 62 /* > */) return 'quote';
    return listContentStart(this.source, at, end) >= 0 ? 'listItem' : 'none';
  }

  private firstLine(container: Container, ls: number, at: number, end: number): boolean {
    if (container !== 'listItem') return this.line(container, ls, at, end);
    const content = listContentStart(this.source, at, end);
    this.keep.fill(0, ls, content);
    return this.paragraphLine(0, content, end, 'listItem', 1, false);
  }

  /** A line [ls, end) after the first, its first non-space character at `at`. */
  private line(container: Container, ls: number, at: number, end: number): boolean {
    const s = this.source;
    if (container === 'none') return this.flowLine(at - ls, at, end, false);
    if (container === 'quote' && at - ls < 4 && s.charCodeAt(at) === 62) {
      const inner = s.charCodeAt(at + 1) === SPACE ? at + 2 : at + 1;
      this.keep.fill(0, ls, inner);
      const content = skipSpaces(s, inner, end);
      if (content === end) {
        this.open = null;
        return true;
      }
      return this.flowLine(content - inner, content, end, true);
    }
    // A line without its container's marker can only continue the open paragraph (lazily, in a quote).
    return this.open !== null && this.paragraphLine(at - ls, at, end, 'paragraph', 0, false);
  }

  /** A line's content from `at`, `indent` spaces in from its container: an ATX heading or paragraph text. */
  private flowLine(indent: number, at: number, end: number, quoted: boolean): boolean {
    const heading = indent < 4 && this.source.charCodeAt(at) === 35 /* # */ ? atxHeading(this.source, at, end) : null;
    if (!heading) return this.paragraphLine(indent, at, end, 'paragraph', 0, quoted);
    const [from, to] = heading;
    this.keep.fill(0, at, from);
    this.keep.fill(0, to, end);
    this.open = null;
    this.blocks.push({ kind: 'heading', start: at, end: to, listDepth: 0, quoted });
    return this.inline(from, to);
  }

  /** Paragraph text from `at`: continues the open paragraph, or opens one of this kind. */
  private paragraphLine(indent: number, at: number, end: number, kind: BlockKind, listDepth: number, quoted: boolean): boolean {
    if (!startsText(this.source, at, end)) return false;
    if (this.open) this.open.end = end;
    else if (indent >= 4) return false; // indented code
    else {
      this.open = { kind, start: at, end, listDepth, quoted };
      this.blocks.push(this.open);
    }
    return this.inline(at, end);
  }

  /** Checks the text [from, to) of one line, masking its code spans and link syntax. */
  private inline(from: number, to: number): boolean {
    const s = this.source;
    for (let i = from; i < to; i++) {
      const c = s.charCodeAt(i);
      if (c === BACKTICK) {
        const close = codeSpanEnd(s, i, to);
        if (close < 0) return false;
        this.keep.fill(0, i, close);
        i = close - 1;
      } else if (c === 91 /* [ */) {
        const close = this.link(i, to);
        if (close < 0) return false;
        i = close - 1;
      } else if (c === 42 || c === 95 /* * _ */) {
        const close = this.emphasis(i, from, to);
        if (close < 0) return false;
        i = close - 1;
      } else if (!isTextAt(s, i)) return false;
    }
    return true;
  }

  /** An inline link `[text](destination)` at `at`: masks its syntax, returns its end or -1. */
  private link(at: number, to: number): number {
    const s = this.source;
    let k = at + 1;
    while (k < to && isLinkTextAt(s, k)) k++;
    if (k === at + 1 || s.charCodeAt(k) !== 93 /* ] */ || s.charCodeAt(k + 1) !== 40 /* ( */) return -1;
    let d = k + 2;
    while (d < to && isDestinationChar(s.charCodeAt(d))) d++;
    if (d === k + 2 || s.charCodeAt(d) !== 41 /* ) */) return -1;
    const shown = showsDestination(s.slice(k + 2, d), s.slice(at + 1, k));
    this.keep.fill(0, shown ? at : k, d + 1);
    this.keep[at] = 0;
    return d + 1;
  }

  /**
   * Emphasis `*text*`, `**text**`, `_text_` or `__text__` at `at` on the line that starts at `from`:
   * masks its delimiters, returns its end or -1. Only the shape whose delimiters can pair with
   * nothing else: the opener after a space or the line's start and before a letter or digit (it can
   * only open), plain text, the closer after a letter or digit and before a space, punctuation or the
   * line's end (it can only close).
   */
  private emphasis(at: number, from: number, to: number): number {
    const s = this.source;
    const c = s.charCodeAt(at);
    let open = at;
    while (open < to && s.charCodeAt(open) === c) open++;
    const length = open - at;
    if (length > 2 || (at > from && s.charCodeAt(at - 1) !== SPACE) || !LETTER_OR_DIGIT.test(s.charAt(open))) return -1;
    let close = open;
    while (close < to && isLinkTextAt(s, close)) close++;
    let end = close;
    while (end < to && s.charCodeAt(end) === c) end++;
    if (end - close !== length || !LETTER_OR_DIGIT.test(s.charAt(close - 1))) return -1;
    if (end < to && s.charCodeAt(end) !== SPACE && !PUNCTUATION.test(s.charAt(end))) return -1;
    this.keep.fill(0, at, open);
    this.keep.fill(0, close, end);
    return end;
  }
}

/**
 * True when the chunk is one fenced code block: an opening fence at its start, the first closing
 * fence as its last line but blank ones. The chunk split ends a fence where its line content closes
 * it, even after a list or quote marker; remark does not, so the closing line must be a bare fence.
 */
function isFencedCodeChunk(source: string): boolean {
  const first = lineEnd(source, 0);
  const at = skipSpaces(source, 0, first);
  const char = source.charCodeAt(at);
  if (at > 3 || (char !== BACKTICK && char !== 126 /* ~ */)) return false;
  let run = at;
  while (run < first && source.charCodeAt(run) === char) run++;
  if (run - at < 3 || (char === BACKTICK && source.slice(run, first).includes('`'))) return false;
  let closed = false;
  for (let ls = first + 1; ls < source.length;) {
    const le = lineEnd(source, ls);
    const end = le > ls && source.charCodeAt(le - 1) === 13 ? le - 1 : le;
    if (closed) {
      if (skipSpaces(source, ls, end) < end) return false;
    } else {
      const fence = skipSpaces(source, ls, end);
      let j = fence;
      while (j < end && source.charCodeAt(j) === char) j++;
      closed = fence - ls <= 3 && j - fence >= run - at && skipSpaces(source, j, end) === end;
    }
    ls = le + 1;
  }
  return closed;
}

/** The text with everything but line breaks blanked: none of it is prose. */
export function blankProse(source: string): string {
  return source.replace(/[^\r\n]/g, ' ');
}

/** The front matter chunk read by hand, when its fences are exactly `---` or `+++` lines. */
export function readPlainFrontMatter(source: string): PlainFrontMatter | null {
  const fence = source.slice(0, 3);
  if (fence !== '---' && fence !== '+++') return null;
  const open = /^(?:---|\+\+\+)\r?\n/.exec(source);
  if (!open) return null;
  const from = open[0].length;
  for (let ls = from; ls < source.length;) {
    const le = lineEnd(source, ls);
    const line = source.slice(ls, le);
    if (line === fence || line === `${fence}\r`) {
      const valueEnd = ls === from ? from : source.charCodeAt(ls - 2) === 13 ? ls - 2 : ls - 1;
      // The chunk ends at the closing fence's line: anything after it is not this shape.
      return le + 1 >= source.length ? { toml: fence === '+++', end: ls + 3, value: source.slice(from, valueEnd) } : null;
    }
    // A fence line with trailing spaces closes it for remark, but it is not this exact shape.
    if (line.trimEnd() === fence) return null;
    ls = le + 1;
  }
  return null;
}

/** An autolink (`<https://…>`, a bare `www.…`, an e-mail address) shows its destination as its text. */
export function showsDestination(url: string, text: string): boolean {
  const bare = (s: string): string => s.replace(/^(?:mailto:|[a-z][a-z0-9+.-]*:\/\/)/i, '');
  return bare(text) === bare(url);
}

function skipSpaces(s: string, i: number, end: number): number {
  while (i < end && s.charCodeAt(i) === SPACE) i++;
  return i;
}

/** Where a list item's content starts after a marker at `at` (`-`, `+`, `*`, `1.`, `1)` and 1–4 spaces), or -1. */
function listContentStart(s: string, at: number, end: number): number {
  let j = at;
  const c = s.charCodeAt(at);
  if (c === 45 || c === 43 || c === 42) j++;
  else {
    while (j < end && j - at < 9 && isDigit(s.charCodeAt(j))) j++;
    const d = s.charCodeAt(j);
    if (j === at || (d !== 46 && d !== 41)) return -1;
    j++;
  }
  const content = skipSpaces(s, j, end);
  // Five spaces or more make the content indented code.
  return content > j && content - j <= 4 && content < end ? content : -1;
}

/** [start, end) of an ATX heading's text (`#` at `at`), without its closing `#`s, or null when the line is none. */
function atxHeading(s: string, at: number, end: number): [number, number] | null {
  let j = at;
  while (j < end && s.charCodeAt(j) === 35) j++;
  if (j - at > 6 || (j < end && s.charCodeAt(j) !== SPACE)) return null;
  const from = skipSpaces(s, j, end);
  let to = end;
  while (to > from && s.charCodeAt(to - 1) === SPACE) to--;
  let closing = to;
  while (closing > from && s.charCodeAt(closing - 1) === 35) closing--;
  if (closing < to && (closing === from || s.charCodeAt(closing - 1) === SPACE)) {
    to = closing;
    while (to > from && s.charCodeAt(to - 1) === SPACE) to--;
  }
  return [from, to];
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** Characters that make an emphasis delimiter run flanking on their side (one UTF-16 unit: astral ones are refused). */
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
/** Unicode punctuation as micromark counts it (P and S). */
const PUNCTUATION = /^[\p{P}\p{S}]$/u;

/**
 * True when a line whose content starts at `at` can only be paragraph text: no block starts with
 * its first character (heading, list item, quote, fence, HTML, thematic break, setext underline,
 * table delimiter row).
 */
function startsText(s: string, at: number, end: number): boolean {
  const c = s.charCodeAt(at);
  if (c === 35 || c === 45 || c === 43 || c === 61 || c === 58) return false; // # - + = :
  if (c === BACKTICK) return s.charCodeAt(at + 1) !== BACKTICK;
  if (isDigit(c)) return !ORDERED_MARKER.test(s.slice(at, Math.min(end, at + 12)));
  return true;
}

/** Text that is neither syntax nor the start of an autolink literal (`http://`, `www.`). */
function isTextAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128 && NOT_TEXT[c]) return false;
  if (c === 33 /* ! */) return s.charCodeAt(i + 1) !== 91;
  if (c === 58 /* : */) return !s.startsWith('//', i + 1);
  if ((c | 32) === 119 /* w */) return !((s.charCodeAt(i + 1) | 32) === 119 && (s.charCodeAt(i + 2) | 32) === 119 && s.charCodeAt(i + 3) === 46);
  return true;
}

function isLinkTextAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c !== 91 && c !== BACKTICK && c !== 94 /* ^ */ && isTextAt(s, i);
}

function isDestinationChar(c: number): boolean {
  return c >= 0x80 || (c > SPACE && c < 0x7f && !NOT_DESTINATION[c]);
}

function asciiSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (const c of chars) set[c.charCodeAt(0)] = 1;
  return set;
}

/** End of a one-backtick code span on this line opening at `at`, or -1. */
function codeSpanEnd(s: string, at: number, to: number): number {
  if (s.charCodeAt(at + 1) === BACKTICK) return -1;
  const close = s.indexOf('`', at + 1);
  return close > at && close < to && s.charCodeAt(close + 1) !== BACKTICK ? close + 1 : -1;
}
