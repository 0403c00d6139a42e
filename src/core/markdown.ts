// Markdown → prose segments. The document is split into chunks that parse the same alone as in
// the whole (markdownLines.ts), grouped in small batches. In a batch, chunks of plain markdown are
// read by hand (markdownPlain.ts, exactly as remark would) and the runs of other chunks by remark;
// when a cheap pre-screen says remark would be slow on a batch, it is read chunk by chunk, the
// costly ones by the linear reader (markdownLinear.ts). Readings are memoised by their text, so a
// re-read after an edit only reads the batch that changed.
import type { Nodes } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { parse as parseYaml } from 'yaml';
import { readPlainYaml } from './plainYaml';
import { proseFromKeep, readLinear } from './markdownLinear';
import { looksCostly, splitChunks, type Chunk } from './markdownLines';
import { blankProse, readPlainChunk, readPlainFrontMatter, showsDestination } from './markdownPlain';
import type { BlockKind, FrontMatter, ProseBlock, ProseDocument } from './types';

/** What one chunk contributes, with offsets relative to the chunk's start. */
interface ChunkReading {
  prose: string;
  blocks: ProseBlock[];
  frontMatter: FrontMatter | null;
  fallback: boolean;
}

/**
 * Memoised chunk readings of one document (use one cache per document), keyed by the chunk's text
 * and the way it was read (front matter, shared definitions). Each read keeps only the chunks it
 * used, so the cache never holds more than the last version of the text.
 */
export class ProseCache {
  private previous = new Map<string, { variant: string; reading: ChunkReading }>();
  private current = new Map<string, { variant: string; reading: ChunkReading }>();

  /** A reading of `source` from the last read or this one, moved into this read's set. */
  take(source: string, variant: string): ChunkReading | undefined {
    const hit = this.current.get(source) ?? this.previous.get(source);
    if (!hit || hit.variant !== variant) return undefined;
    this.current.set(source, hit);
    return hit.reading;
  }

  put(source: string, variant: string, reading: ChunkReading): void {
    this.current.set(source, { variant, reading });
  }

  /** Ends a read: what it did not use is dropped. */
  settle(): void {
    this.previous = this.current;
    this.current = new Map();
  }
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

export function readProse(text: string, options: ReadProseOptions = {}): ProseDocument {
  // A leading BOM is not part of the markdown; remark would count offsets without it.
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const context: ReadContext = { text, definitions: sharedDefinitions(text), plain: options.plain ?? true };
  const parts = batchChunks(text, splitChunks(text, from)).map((batch) => ({
    at: batch[0].start,
    reading: readBatchCached(context, batch, options.cache),
  }));
  options.cache?.settle();
  const { prose, blocks, frontMatter, fallback } = joinReadings(parts, from);
  return { text, prose, blocks, frontMatter, fallback };
}

/** Readings of consecutive pieces, placed at their offsets, as one reading; `lead` blank characters come first. */
function joinReadings(parts: { at: number; reading: ChunkReading }[], lead: number): ChunkReading {
  const joined: ChunkReading = { prose: ' '.repeat(lead), blocks: [], frontMatter: null, fallback: false };
  const prose: string[] = [joined.prose];
  for (const { at, reading } of parts) {
    prose.push(reading.prose);
    for (const b of reading.blocks) joined.blocks.push({ ...b, start: b.start + at, end: b.end + at });
    if (reading.frontMatter) joined.frontMatter = { ...reading.frontMatter, start: reading.frontMatter.start + at, end: reading.frontMatter.end + at };
    joined.fallback ||= reading.fallback;
  }
  joined.prose = prose.join('');
  return joined;
}

/**
 * Groups chunks into batches parsed together (each remark call has a fixed cost). A batch ends
 * after a chunk whose sampled content hashes to 0 mod 4, so an edit changes one batch, not the
 * cut of every batch after it; front matter stays alone.
 */
function batchChunks(text: string, chunks: Chunk[]): Chunk[][] {
  const batches: Chunk[][] = [];
  let current: Chunk[] = [];
  let size = 0;
  for (const chunk of chunks) {
    if (chunk.frontMatter) {
      batches.push([chunk]);
      continue;
    }
    current.push(chunk);
    size += chunk.end - chunk.start;
    if (size >= MAX_BATCH_CHARS || contentHash(text, chunk) % 4 === 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** A cheap hash of a chunk: its length and sixteen characters sampled across it. */
function contentHash(text: string, chunk: Chunk): number {
  const length = chunk.end - chunk.start;
  let h = length;
  for (let k = 0; k < 16; k++) h = (h * 31 + text.charCodeAt(chunk.start + Math.floor((k * length) / 16))) >>> 0;
  return h;
}

function sharedDefinitions(text: string): string {
  if (!text.includes(']:')) return '';
  const lines = text.match(DEFINITION_LINE);
  const joined = lines ? [...new Set(lines)].join('\n') : '';
  return joined.length <= MAX_SHARED_DEFINITIONS ? joined : '';
}

/** The definitions `source` may use: only a `]` that is not an inline link's can refer to one. */
function definitionsFor(source: string, definitions: string): string {
  return definitions && /\](?!\()/.test(source) ? definitions : '';
}

function readBatchCached(context: ReadContext, batch: Chunk[], cache: ProseCache | undefined): ChunkReading {
  const source = context.text.slice(batch[0].start, batch[batch.length - 1].end);
  const used = definitionsFor(source, context.definitions);
  const variant = batch[0].frontMatter ? `F${used}` : used;
  const hit = cache?.take(source, variant);
  if (hit) return hit;
  const reading = batch[0].frontMatter ? readFrontMatter(context, source) : readBatch(context, batch, source);
  cache?.put(source, variant, reading);
  return reading;
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
  return joinReadings(batch.map((c) => ({ at: c.start - origin, reading: readBatch(context, [c], text.slice(c.start, c.end)) })), 0);
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
  return parts.length === 1 ? parts[0].reading : joinReadings(parts, 0);
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
  const lead = definitions ? definitions.length + 2 : 0;
  const tree = (frontMatter ? frontMatterParser : parser).parse(definitions ? `${definitions}\n\n${source}` : source);
  const reader = new TreeReader(source, lead);
  reader.visit(tree, 0, false);
  const prose = proseFromKeep(source, reader.keep);
  return { prose, blocks: trimBlocks(prose, reader.blocks), frontMatter: reader.frontMatter, fallback: false };
}

/** Walks one chunk's syntax tree: text nodes are prose, blocks are paragraphs, headings and cells. */
class TreeReader {
  readonly keep: Uint8Array;
  readonly blocks: ProseBlock[] = [];
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
      case 'code':
      case 'inlineCode':
      case 'html':
      case 'image':
      case 'imageReference':
      case 'definition':
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
