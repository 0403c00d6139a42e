// Markdown → prose segments. The document is split into chunks that parse the same alone as in
// the whole (markdownLines.ts), grouped in small batches. In a batch, chunks of plain markdown are
// read by hand (markdownPlain.ts, exactly as remark would) and the runs of other chunks by remark;
// when a cheap pre-screen says remark would be slow on a batch, it is read chunk by chunk, the
// costly ones by the linear reader (markdownLinear.ts). A re-read after an edit keeps the last
// read's chunks and batches around it (see readProse) and reads only the batches that changed.
import type { Definition, Nodes } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseYaml } from 'yaml';
import { readPlainYaml } from './plainYaml';
import { proseFromKeep, readLinear } from './markdownLinear';
import { frontMatterFence, frontMatterLength, lineEnd, looksCostly, resplitChunks, splitChunks, type Chunk } from './markdownLines';
import { Edit } from './memo';
import { blankProse, readPlainChunk, readPlainFrontMatter, showsDestination } from './markdownPlain';
import type { BlockKind, FrontMatter, ProseBlock, ProseDocument } from './types';

/** What one chunk contributes, with offsets relative to the chunk's start. */
interface ChunkReading {
  prose: string;
  blocks: ProseBlock[];
  frontMatter: FrontMatter | null;
  fallback: boolean;
  /** The link reference definitions remark found in it, written out again (see definitionLine); none when absent. */
  definitions?: string[];
}

/** Chunks read together: chunks[first, first + count) of their read. */
interface Batch {
  first: number;
  count: number;
  start: number;
  /** Its text and the way it was read: the key of its reading in the cache. */
  source: string;
  variant: string;
  reading: ChunkReading;
  /** Index of its first block in the document's blocks. */
  firstBlock: number;
}

/** The last read of a document, what the next one keeps where the edit left the text alone. */
interface LastRead {
  plain: boolean;
  definitions: string;
  chunks: Chunk[];
  batches: Batch[];
  document: ProseDocument;
}

/**
 * What the reads of one document keep for the next (use one cache per document): the last read's
 * chunks and batches, found again by position around an edit, and the readings of its batches by
 * their text and the way they were read (front matter, shared definitions), found again when text
 * moves. It never holds more than the last version of the text.
 */
export class ProseCache {
  readonly readings = new Map<string, { variant: string; reading: ChunkReading }>();
  last: LastRead | null = null;
}

export interface ReadProseOptions {
  cache?: ProseCache;
  /** Read plain chunks by hand (the default); false sends them to remark, the reference the tests compare with. */
  plain?: boolean;
}

/** What every batch of one read shares. */
interface ReadContext {
  text: string;
  /** The document's link reference definitions, for chunks that may use them. */
  definitions: string;
  plain: boolean;
}

const parser = unified().use(remarkParse).use(remarkGfm);
const frontMatterParser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);

/** Link reference definitions: a chunk may use labels defined in another one. */
const DEFINITION_LINE = /^ {0,3}\[[^\]\n]{1,999}\]:[^\n]*/gm;
/** Above this, definitions are not shared between chunks (the cost would grow with every chunk). */
const MAX_SHARED_DEFINITIONS = 4_000;

/** Chunks are read in batches of about four, cut where a chunk's content says so (see batchChunks). */
const MAX_BATCH_CHARS = 8_000;

/**
 * Reads `text` as a cold read would. With a cache, after an edit the chunks and batches of the
 * unchanged head are kept up to the last batch that starts before the edit's line, the text is
 * split and batched again from there only until the split and the batches meet the last read's
 * again in the unchanged tail, whose batches are kept, moved by the edit's length.
 */
export function readProse(text: string, options: ReadProseOptions = {}): ProseDocument {
  const read = readWith(text, options, null);
  // The definitions a chunk may use are guessed from the text (or kept from the last read) before
  // reading; the definitions the readings found are the true ones (a definition's validity depends
  // on its surroundings: a fence, a paragraph it would continue, an empty destination). When the
  // guess was wrong, the text is read again with the true ones: only the batches that may use them
  // are not found in the cache. A second guess is right, as a definition does not depend on others.
  if (!text.includes(']:')) return read.document;
  const found = foundDefinitions(read.batches);
  return found === read.definitions ? read.document : readWith(text, options, found).document;
}

/**
 * The whole text read by one remark call, without chunks, batches or the hand reader: what
 * readProse must give (the tests compare the two), and far slower on long documents. Only whether
 * the text opens with front matter is decided as readProse decides it.
 */
export function readProseWhole(text: string): ProseDocument {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Front matter that is never closed is markdown (remark-frontmatter would take the quote or list
  // after its fence for text), as in readProse.
  const reading = readWithRemark(text.slice(from), frontMatterLength(text, from) > 0, '');
  return {
    text,
    prose: ' '.repeat(from) + reading.prose,
    blocks: reading.blocks.map((b) => movedBlock(b, from)),
    frontMatter: reading.frontMatter && moved(reading.frontMatter, from),
    fallback: false,
  };
}

function readWith(text: string, options: ReadProseOptions, knownDefinitions: string | null): LastRead {
  // A leading BOM is not part of the markdown; remark would count offsets without it.
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const plain = options.plain ?? true;
  const cache = options.cache;
  const last = cache?.last?.plain === plain ? cache.last : null;
  const edit = last ? Edit.between([last.document.text], [text]) : Edit.whole(text.length);
  const definitions = knownDefinitions ?? (last && !touchesDefinitions(last.document.text, text, edit) ? last.definitions : sharedDefinitions(text));
  const context: ReadContext = { text, definitions, plain };
  const kept = last && last.definitions === definitions ? keptBatches(last, edit, from) : 0;
  const shift = edit.after - edit.before;
  const tailFrom = edit.after - edit.tail;

  // The split: the kept head's chunks, then a new split until it meets the last one's in the tail.
  const restart = last && kept ? last.batches[kept] : null;
  let oldChunk = restart ? restart.first : 0;
  const knownAt = (at: number, afterHtml: boolean): boolean => {
    if (!last || at < tailFrom) return false;
    while (oldChunk < last.chunks.length && last.chunks[oldChunk].start < at - shift) oldChunk++;
    return last.chunks[oldChunk]?.start === at - shift && last.chunks[oldChunk].afterHtml === afterHtml;
  };
  const split = restart && last ? resplitChunks(text, restart.start, last.chunks[restart.first].afterHtml, knownAt) : splitChunks(text, from);
  const chunks = restart && last ? last.chunks.slice(0, restart.first) : [];
  for (const c of split) chunks.push(c);
  const resumedChunk = chunks.length;
  const resumed = chunks[chunks.length - 1].end < text.length;
  if (resumed && last) for (const c of last.chunks.slice(oldChunk)) chunks.push({ start: c.start + shift, end: c.end + shift, frontMatter: c.frontMatter, afterHtml: c.afterHtml });

  // The batches: likewise, until a new batch ends where one of the last read ended.
  const firstNew = restart ? restart.first : 0;
  let oldBatch = kept;
  const knownBatch = (next: number): boolean => {
    if (!last || !resumed || next < resumedChunk) return false;
    const old = next - chunks.length + last.chunks.length;
    while (oldBatch < last.batches.length && last.batches[oldBatch].first < old) oldBatch++;
    return last.batches[oldBatch]?.first === old;
  };
  const ranges = batchChunks(text, chunks, firstNew, knownBatch);
  const batches = last ? last.batches.slice(0, kept) : [];
  const blocks = last && kept ? last.document.blocks.slice(0, last.batches[kept].firstBlock) : [];
  const read: Batch[] = [];
  for (const [first, count] of ranges) {
    const batch = readBatchCached(context, chunks.slice(first, first + count), first, blocks.length, cache);
    for (const b of batch.reading.blocks) blocks.push(movedBlock(b, batch.start));
    read.push(batch);
    batches.push(batch);
  }
  const oldTail = last && ranges.length && knownBatch(ranges[ranges.length - 1][0] + ranges[ranges.length - 1][1]) ? oldBatch : last?.batches.length ?? 0;
  const tail = last ? last.batches.slice(oldTail) : [];
  const chunkShift = chunks.length - (last?.chunks.length ?? 0);
  const blockShift = blocks.length - (tail.length ? tail[0].firstBlock : 0);
  for (const b of tail) {
    batches.push({ first: b.first + chunkShift, count: b.count, start: b.start + shift, source: b.source, variant: b.variant, reading: b.reading, firstBlock: b.firstBlock + blockShift });
  }
  if (last && tail.length) for (const b of last.document.blocks.slice(tail[0].firstBlock)) blocks.push(movedBlock(b, shift));

  const prose = [
    last && kept ? last.document.prose.slice(0, last.batches[kept].start) : ' '.repeat(from),
    ...read.map((b) => b.reading.prose),
    last && tail.length ? last.document.prose.slice(tail[0].start) : '',
  ].join('');
  const opening = batches[0].reading.frontMatter;
  const frontMatter = opening && moved(opening, batches[0].start);
  const document: ProseDocument = { text, prose, blocks, frontMatter, fallback: batches.some((b) => b.reading.fallback) };
  const done: LastRead = { plain, definitions, chunks, batches, document };
  if (cache) {
    for (const b of last ? last.batches.slice(kept, oldTail) : []) cache.readings.delete(b.source);
    for (const b of read) cache.readings.set(b.source, { variant: b.variant, reading: b.reading });
    cache.last = done;
  }
  return done;
}

/** Front matter moved by `by` characters. */
function moved(frontMatter: FrontMatter, by: number): FrontMatter {
  return { ...frontMatter, start: frontMatter.start + by, end: frontMatter.end + by };
}

/** A block moved by `by` characters (a literal of its fields: a spread costs several times more on every keystroke). */
function movedBlock(b: ProseBlock, by: number): ProseBlock {
  return { kind: b.kind, start: b.start + by, end: b.end + by, listDepth: b.listDepth, quoted: b.quoted };
}

/**
 * How many of the last read's batches an edit leaves as they were: those before the last batch
 * that starts at least a line before the edit (the cut at its start is decided by its first line
 * and what comes before). None where front matter may come or go.
 */
function keptBatches(last: LastRead, edit: Edit, from: number): number {
  const { batches, chunks, document } = last;
  const text = document.text;
  if (!chunks[0].frontMatter && frontMatterFence(text, from)) return 0;
  let lo = 0;
  let hi = batches.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (batches[mid].start < edit.head) lo = mid;
    else hi = mid - 1;
  }
  while (lo > 0 && lineEnd(text, batches[lo].start) >= edit.head) lo--;
  return lo;
}

/** True when the lines an edit touched hold a link reference definition, before or after it. */
function touchesDefinitions(before: string, after: string, edit: Edit): boolean {
  const touched = (text: string, end: number): string => text.slice(text.lastIndexOf('\n', edit.head - 1) + 1, lineEnd(text, end));
  return touched(before, edit.before - edit.tail).includes(']:') || touched(after, edit.after - edit.tail).includes(']:');
}

/** Readings of consecutive pieces, placed at their offsets, as one reading. */
function joinReadings(parts: { at: number; reading: ChunkReading }[]): ChunkReading {
  const joined: ChunkReading = { prose: '', blocks: [], frontMatter: null, fallback: false };
  const prose: string[] = [];
  for (const { at, reading } of parts) {
    prose.push(reading.prose);
    if (reading.definitions) (joined.definitions ??= []).push(...reading.definitions);
    for (const b of reading.blocks) joined.blocks.push(movedBlock(b, at));
    if (reading.frontMatter) joined.frontMatter = moved(reading.frontMatter, at);
    joined.fallback ||= reading.fallback;
  }
  joined.prose = prose.join('');
  return joined;
}

/**
 * Groups chunks from `first` on into batches parsed together (each remark call has a fixed cost),
 * as [first, count]. A batch ends after a chunk whose sampled content hashes to 0 mod 4, so an
 * edit changes one batch, not the cut of every batch after it; front matter stays alone. Stops
 * after a batch that ends where `known(next)` says the batches from chunk `next` on are known.
 */
function batchChunks(text: string, chunks: Chunk[], first: number, known: (next: number) => boolean): [number, number][] {
  const batches: [number, number][] = [];
  let start = first;
  let size = 0;
  for (let i = first; i < chunks.length; i++) {
    const chunk = chunks[i];
    size += chunk.end - chunk.start;
    if (chunk.frontMatter || size >= MAX_BATCH_CHARS || contentHash(text, chunk) % 4 === 0 || i === chunks.length - 1) {
      batches.push([start, i + 1 - start]);
      if (known(i + 1)) break;
      start = i + 1;
      size = 0;
    }
  }
  return batches;
}

/** A cheap hash of a chunk: its length and sixteen characters sampled across it. */
function contentHash(text: string, chunk: Chunk): number {
  const length = chunk.end - chunk.start;
  let h = length;
  for (let k = 0; k < 16; k++) h = (h * 31 + text.charCodeAt(chunk.start + Math.floor((k * length) / 16))) >>> 0;
  return h;
}

/** A first guess at the document's definitions: the lines that look like one, each on its own. */
function sharedDefinitions(text: string): string {
  if (!text.includes(']:')) return '';
  const lines = text.match(DEFINITION_LINE);
  return sharedText(lines ? [...new Set(lines)] : []);
}

/** The definitions the batches' readings found, in the document's order. */
function foundDefinitions(batches: Batch[]): string {
  const found = new Set<string>();
  for (const b of batches) for (const d of b.reading.definitions ?? []) found.add(d);
  return sharedText([...found]);
}

/** Definitions as the text put before a chunk: a blank line apart, so that none can run into the next. */
function sharedText(definitions: string[]): string {
  const joined = definitions.join('\n\n');
  return joined.length <= MAX_SHARED_DEFINITIONS ? joined : '';
}

const oneLine = (label: string): string => label.replace(/\s+/g, ' ');

/**
 * A definition node written out as one line that defines the same label: the destination in angle
 * brackets and the title in quotes, every ASCII punctuation character in them escaped.
 */
function definitionLine(node: Definition): string {
  const escape = (value: string): string => value.replace(/[!-/:-@[-`{-~]/g, '\\$&');
  return `[${oneLine(node.label ?? node.identifier)}]: <${escape(node.url)}>${node.title == null ? '' : ` "${escape(node.title)}"`}`;
}

/** The definitions `source` may use: only a `]` that is not an inline link's can refer to one. */
function definitionsFor(source: string, definitions: string): string {
  return definitions && /\](?!\()/.test(source) ? definitions : '';
}

function readBatchCached(context: ReadContext, chunks: Chunk[], first: number, firstBlock: number, cache: ProseCache | undefined): Batch {
  const start = chunks[0].start;
  const source = context.text.slice(start, chunks[chunks.length - 1].end);
  const used = definitionsFor(source, context.definitions);
  const variant = chunks[0].frontMatter ? `F${used}` : used;
  const hit = cache?.readings.get(source);
  const reading = hit?.variant === variant ? hit.reading : chunks[0].frontMatter ? readFrontMatter(context, source) : readBatch(context, chunks, source);
  return { first, count: chunks.length, start, source, variant, reading, firstBlock };
}

/** Front matter has no links: it is read without the shared definitions, which must not come before it. */
function readFrontMatter(context: ReadContext, source: string): ChunkReading {
  const plain = context.plain ? readPlainFrontMatter(source) : null;
  if (!plain) return readWithRemarkSafely(source, true, '');
  const data = plain.toml ? parseTomlData(plain.value) : parseYamlData(plain.value);
  return { prose: blankProse(source), blocks: [], frontMatter: { start: 0, end: plain.end, data }, fallback: false };
}

/** A batch too costly for remark as a whole is read chunk by chunk, the costly chunks linearly. */
function readBatch(context: ReadContext, batch: Chunk[], source: string): ChunkReading {
  if (!looksCostly(source)) return readPlainAndRuns(context, batch);
  if (batch.length === 1) return readFallback(source);
  const { text } = context;
  const origin = batch[0].start;
  return joinReadings(batch.map((c) => ({ at: c.start - origin, reading: readBatch(context, [c], text.slice(c.start, c.end)) })));
}

/**
 * A line that may open a fenced code or raw HTML block, after any container markers. The chunk
 * split may end such a block where remark does not (a closing fence after a list marker): what
 * follows it in the batch stays with remark, which reads it as the whole batch would be read.
 */
const VERBATIM_OPENER = /^[ >*+\-\d.)]*(?:```|~~~|<)/m;

/** Plain chunks read by hand; each run of the others by one remark call. */
function readPlainAndRuns(context: ReadContext, batch: Chunk[]): ChunkReading {
  const { text } = context;
  const origin = batch[0].start;
  const parts: { at: number; reading: ChunkReading }[] = [];
  let runStart = -1;
  const endRun = (end: number): void => {
    if (runStart < 0) return;
    const source = text.slice(runStart, end);
    parts.push({ at: runStart - origin, reading: readWithRemarkSafely(source, false, definitionsFor(source, context.definitions)) });
    runStart = -1;
  };
  let byHand = context.plain;
  for (const chunk of batch) {
    const source = text.slice(chunk.start, chunk.end);
    const plain = byHand ? readPlainChunk(source) : null;
    if (!plain) {
      if (runStart < 0) runStart = chunk.start;
      if (VERBATIM_OPENER.test(source)) byHand = false;
      continue;
    }
    endRun(chunk.start);
    parts.push({ at: chunk.start - origin, reading: { prose: plain.prose, blocks: trimBlocks(plain.prose, plain.blocks), frontMatter: null, fallback: false } });
  }
  endRun(batch[batch.length - 1].end);
  return parts.length === 1 ? parts[0].reading : joinReadings(parts);
}

function readWithRemarkSafely(source: string, frontMatter: boolean, definitions: string): ChunkReading {
  try {
    return readWithRemark(source, frontMatter, definitions);
  } catch {
    // remark does not throw on any markdown we know of; should it, the linear reader still answers.
    return readFallback(source);
  }
}

function readFallback(source: string): ChunkReading {
  const { prose, blocks } = readLinear(source);
  return { prose, blocks: trimBlocks(prose, blocks), frontMatter: null, fallback: true };
}

function readWithRemark(source: string, frontMatter: boolean, definitions: string): ChunkReading {
  // Definitions go before the chunk: after it, a fence or HTML block left open at its end would swallow them.
  // A chunk that starts with U+FEFF gets a line break before it: remark drops a BOM at the start of
  // what it parses, and in the middle of a document it is a character like any other.
  // After the definitions, an HTML comment closes a footnote definition, which would otherwise take
  // the chunk's indented first lines as its own.
  const before = definitions ? `${definitions}\n\n<!---->\n\n` : source.charCodeAt(0) === 0xfeff ? '\n' : '';
  const lead = before.length;
  const tree = (frontMatter ? frontMatterParser : parser).parse(before + source);
  const reader = new TreeReader(source, lead);
  reader.visit(tree, 0, false);
  const prose = proseFromKeep(source, reader.keep);
  const reading: ChunkReading = { prose, blocks: trimBlocks(prose, reader.blocks), frontMatter: reader.frontMatter, fallback: false };
  if (reader.definitions.length) reading.definitions = reader.definitions;
  return reading;
}

/** Walks one chunk's syntax tree: text nodes are prose, blocks are paragraphs, headings and cells. */
class TreeReader {
  readonly keep: Uint8Array;
  readonly blocks: ProseBlock[] = [];
  readonly definitions: string[] = [];
  frontMatter: FrontMatter | null = null;

  /** `lead`: characters parsed before the chunk (shared definitions). */
  constructor(private readonly source: string, private readonly lead: number) {
    this.keep = new Uint8Array(source.length);
  }

  visit(node: Nodes, listDepth: number, quoted: boolean): void {
    const start = (node.position?.start.offset ?? 0) - this.lead;
    const end = Math.min((node.position?.end.offset ?? 0) - this.lead, this.source.length);
    // Nodes before the chunk come from the shared definitions.
    if (node.type !== 'root' && start < 0) return;
    // mdast's types know `yaml` front matter only; remark-frontmatter also makes `toml` nodes.
    if ((node.type as string) === 'toml') {
      this.frontMatter = { start, end, data: parseTomlData((node as unknown as { value: string }).value) };
      return;
    }
    switch (node.type) {
      case 'text':
        this.markText(start, end, quoted);
        return;
      case 'yaml':
        this.frontMatter = { start, end, data: parseYamlData(node.value) };
        return;
      case 'definition':
        this.definitions.push(definitionLine(node));
        return;
      case 'footnoteDefinition':
        // A reference needs only its label defined: the note's own text is read here, as prose.
        this.definitions.push(`[^${oneLine(node.label ?? node.identifier)}]: note`);
        break;
      case 'code':
      case 'inlineCode':
      case 'html':
      case 'image':
      case 'imageReference':
      case 'footnoteReference':
        return;
      case 'link':
        // An autolink (`<https://…>`, a bare `www.…`, an e-mail address) is not prose.
        if (node.children.length === 1 && node.children[0].type === 'text' && showsDestination(node.url, node.children[0].value)) return;
        break;
      case 'list':
        listDepth++;
        break;
      case 'blockquote':
        quoted = true;
        break;
      case 'paragraph':
      case 'heading':
      case 'tableCell': {
        const kind: BlockKind = node.type === 'paragraph' ? (listDepth > 0 ? 'listItem' : 'paragraph') : node.type;
        this.blocks.push({ kind, start, end, listDepth, quoted });
        break;
      }
    }
    if ('children' in node) for (const child of node.children) this.visit(child as Nodes, listDepth, quoted);
  }

  /** Copies a text node; on its continuation lines inside a block quote the `>` markers stay masked. */
  private markText(start: number, end: number, quoted: boolean): void {
    this.keep.fill(1, start, end);
    if (!quoted) return;
    for (let nl = this.source.indexOf('\n', start); nl >= 0 && nl < end; nl = this.source.indexOf('\n', nl + 1)) {
      let i = nl + 1;
      while (i < end && /[ \t>]/.test(this.source[i])) this.keep[i++] = 0;
    }
  }
}

/** Front matter's data: plain block YAML (nearly all front matter) is read in one pass, the rest by the yaml package. */
export function parseYamlData(value: string): Record<string, unknown> {
  try {
    const data: unknown = readPlainYaml(value)?.toJSON() ?? parseYaml(value, { logLevel: 'error' });
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Top-level `key = value` pairs of TOML front matter: enough for `date`, `title` and the like. */
function parseTomlData(value: string): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const line of value.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) break;
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    const raw = m[2];
    const quoted = /^(["'])(.*)\1$/.exec(raw);
    data[m[1]] = quoted ? quoted[2] : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(?:\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return data;
}

/** Blocks narrowed to their prose, without surrounding spaces; blocks with no prose are dropped. */
function trimBlocks(prose: string, blocks: ProseBlock[]): ProseBlock[] {
  const out: ProseBlock[] = [];
  for (const b of blocks) {
    let s = b.start;
    let e = b.end;
    while (s < e && /\s/.test(prose[s])) s++;
    while (e > s && /\s/.test(prose[e - 1])) e--;
    if (e > s) out.push({ ...b, start: s, end: e });
  }
  return out;
}
