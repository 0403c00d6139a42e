// Commitment checklists: a markdown file the analyst ticks and annotates, regenerated from the article
// without losing that work. Each item carries a stable id (kind + actors + action, not its offset),
// so regeneration after an edit elsewhere in the article finds the same items again.
import { parse as parseYaml } from 'yaml';
import { readProse } from './markdown';
import type { Commitment, CommitmentKind, DocEntity } from './types';

export interface ChecklistInput {
  articlePath: string;
  articleText: string;
  date: string | null;
  commitments: Commitment[];
  entities: DocEntity[];
}

export interface ChecklistItem {
  id: string;
  checked: boolean;
  /** 1-based line of the item's `- [ ]` line in the checklist. */
  line: number;
  /** Every line of the item: its generated lines and the analyst's lines under it. */
  lines: string[];
  /** True when the item sits in the "No longer found in the article" section. */
  vanished: boolean;
}

export interface ParsedChecklist {
  article: string | null;
  articleHash: string | null;
  items: ChecklistItem[];
}

const VANISHED_HEADING = '## No longer found in the article';
const EMPTY_NOTICE = '_No commitments found in the article._';
const TITLE_PREFIX = '# Commitments: ';
/** Front matter keys written by Attaché; other keys belong to the analyst. */
const GENERATED_KEYS = ['attache', 'article', 'articleHash', 'generated-from-date'];

const HEAD = /^\s*[-*+] \[([ xX])\] .*<!-- attache:(c-[0-9a-f]{8}(?:-\d+)?) -->\s*$/;
const META = /^ {2}\S.*\[line \d+\]\([^)]*#L\d+>?\)\s*$/;
const QUOTE = /^ {2}> /;

const KIND_WORDS: Record<CommitmentKind, string> = {
  agree: 'agreed',
  pledge: 'pledged',
  sign: 'signed',
  invite: 'invited',
  offer: 'offered',
  announce: 'announced',
  request: 'requested',
  decide: 'decided',
  meet: 'to meet',
  consensus: 'consensus',
};

// ---------- hashing & ids ----------

/** A 64-bit FNV-1a hash as 16 hex digits: stable across runs and platforms, no crypto needed. */
export function hashString(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

/** The hash a checklist records of its article. Line endings are normalised, so a CRLF checkout is not "changed". */
export function articleHash(articleText: string): string {
  return hashString(articleText.replace(/\r\n?/g, '\n'));
}

function normalise(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .trim();
}

/**
 * Checklist ids of commitments, in the same order. Built from kind, actors and action only; a second
 * commitment with the same identity gets `-2`, `-3` … in article order.
 */
export function commitmentIds(commitments: readonly Commitment[]): string[] {
  const seen = new Map<string, number>();
  return commitments.map((c) => {
    const actors = c.actors.map(normalise).sort().join('|');
    const base = `c-${hashString(`${c.kind}\n${actors}\n${normalise(c.action)}`).slice(0, 8)}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  });
}

// ---------- rendering ----------

/** Escapes what would turn article text into markup (links, emphasis, HTML) inside a checklist line. */
function inline(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`);
}

function linkTarget(path: string, line: number): string {
  return `${encodeURI(path).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}#L${line}`;
}

export interface DurationParts {
  years: number;
  months: number;
  weeks: number;
  days: number;
}

/** The date parts of an ISO-8601 duration (P1Y, P3M, P2W, P1Y6M …); null for other shapes. */
export function parseDuration(duration: string): DurationParts | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  if (!m || duration === 'P') return null;
  const [years, months, weeks, days] = m.slice(1).map((x) => Number(x ?? 0));
  return { years, months, weeks, days };
}

/** "P3M" → "every 3 months", "P1Y" → "every year"; other shapes are shown as they are. */
export function describeRecurrence(duration: string): string {
  const d = parseDuration(duration);
  if (!d) return duration;
  const parts = (['year', 'month', 'week', 'day'] as const)
    .map((unit) => [unit, d[`${unit}s`]] as const)
    .filter(([, n]) => n > 0);
  if (parts.length === 0) return duration;
  if (parts.length === 1 && parts[0][1] === 1) return `every ${parts[0][0]}`;
  return `every ${parts.map(([unit, n]) => `${n} ${unit}${n === 1 ? '' : 's'}`).join(' ')}`;
}

/** The article's title: front matter `title`, else its first heading, else the file name. */
export function articleTitle(articleText: string, articlePath: string): string {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\s*(?:\r?\n|$)/.exec(articleText);
  let body = articleText;
  if (fm) {
    body = articleText.slice(fm[0].length);
    try {
      const data: unknown = parseYaml(fm[1]);
      const title = data && typeof data === 'object' ? (data as Record<string, unknown>).title : undefined;
      if (typeof title === 'string' && title.trim()) return title.trim();
    } catch {
      // Front matter that is not YAML has no title: fall through to the first heading.
    }
  }
  let fence: string | null = null;
  for (const line of body.split(/\r?\n/)) {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (fence === null) fence = f[1][0];
      else if (f[1][0] === fence) fence = null;
      continue;
    }
    const h = fence === null ? /^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (h) return h[1];
  }
  const name = articlePath.split('/').pop() ?? articlePath;
  return name.replace(/\.(md|markdown)$/i, '') || 'article';
}

/** A front matter value: plain when YAML reads it back as the same string, JSON-quoted otherwise. */
function yamlValue(value: string | null): string {
  if (value === null) return 'null';
  try {
    if (parseYaml(value) === value) return value;
  } catch {
    // Not a plain YAML scalar: quote it below.
  }
  return JSON.stringify(value);
}

/**
 * The source sentence as a reader sees it: its prose (emphasis, link and other markup gone, see
 * readProse), whitespace collapsed; the raw text where the prose has none, or where the commitment
 * does not come from this text.
 */
function quoteOf(c: Commitment, text: string, prose: string): string {
  const seen = text.slice(c.start, c.end) === c.text ? prose.slice(c.start, c.end).trim() : '';
  return inline(seen || c.text);
}

function itemLines(c: Commitment, id: string, input: ChecklistInput, prose: string): string[] {
  const actors = c.actors.length ? `**${c.actors.map(inline).join(', ')}**` : '**(unnamed parties)**';
  const head = `- [ ] ${actors} ${KIND_WORDS[c.kind]}: ${inline(c.action) || inline(c.text)} <!-- attache:${id} -->`;
  const when: string[] = [];
  if (c.due) when.push(`Due **${c.due}**${c.dueText ? ` (“${inline(c.dueText)}”)` : ''}`);
  if (c.recurrence) when.push(`Repeats ${describeRecurrence(c.recurrence)} (${c.recurrence})`);
  if (when.length === 0) when.push('No date');
  const meta = `  ${when.join(' · ')} · ${c.kind} · [line ${c.line}](${linkTarget(input.articlePath, c.line)})`;
  const quote = `  > ${quoteOf(c, input.articleText, prose)}`;
  return [head, meta, quote];
}

export function renderChecklist(input: ChecklistInput): string {
  const ordered = [...input.commitments].sort((a, b) => a.start - b.start);
  const ids = commitmentIds(ordered);
  const out = [
    '---',
    'attache: checklist',
    `article: ${yamlValue(input.articlePath)}`,
    `articleHash: ${yamlValue(articleHash(input.articleText))}`,
    `generated-from-date: ${yamlValue(input.date)}`,
    '---',
    '',
    `${TITLE_PREFIX}${inline(articleTitle(input.articleText, input.articlePath))}`,
    '',
  ];
  if (ordered.length === 0) out.push(EMPTY_NOTICE, '');
  const prose = ordered.length ? readProse(input.articleText).prose : '';
  ordered.forEach((c, i) => out.push(...itemLines(c, ids[i], input, prose), ''));
  return out.join('\n');
}

// ---------- parsing ----------

interface Block {
  id: string;
  checked: boolean;
  line: number;
  vanished: boolean;
  head: string;
  /** The generated meta and quote lines, when present. */
  generated: string[];
  /** Everything else under the item, trailing blank lines removed. */
  analyst: string[];
}

interface Parsed {
  frontMatter: string[] | null;
  /** Lines between the front matter and the first item. */
  preamble: string[];
  blocks: Block[];
  eol: string;
}

function splitFrontMatter(lines: string[]): { frontMatter: string[] | null; rest: number } {
  if (lines[0] !== '---') return { frontMatter: null, rest: 0 };
  const close = lines.indexOf('---', 1);
  if (close < 0) return { frontMatter: null, rest: 0 };
  return { frontMatter: lines.slice(1, close), rest: close + 1 };
}

function trimTrailingBlanks(lines: string[]): string[] {
  let n = lines.length;
  while (n > 0 && lines[n - 1].trim() === '') n--;
  return lines.slice(0, n);
}

function toBlock(id: string, checked: boolean, line: number, vanished: boolean, lines: string[]): Block {
  // The generated meta and quote lines are the first of their shape under the head; anything else
  // (including later lines of the same shape) is the analyst's.
  const generated: string[] = [];
  const analyst: string[] = [];
  let meta = false;
  let quote = false;
  for (const l of lines.slice(1)) {
    if (!meta && !quote && META.test(l)) {
      meta = true;
      generated.push(l);
    } else if (!quote && QUOTE.test(l)) {
      quote = true;
      generated.push(l);
    } else analyst.push(l);
  }
  return { id, checked, line, vanished, head: lines[0], generated, analyst: trimTrailingBlanks(analyst) };
}

function parseLines(text: string): Parsed {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const { frontMatter, rest } = splitFrontMatter(lines);
  const preamble: string[] = [];
  const blocks: Block[] = [];
  let current: { id: string; checked: boolean; line: number; vanished: boolean; lines: string[] } | null = null;
  let vanished = false;
  const flush = (): void => {
    if (current) blocks.push(toBlock(current.id, current.checked, current.line, current.vanished, current.lines));
  };
  for (let i = rest; i < lines.length; i++) {
    const l = lines[i];
    if (l.trim() === VANISHED_HEADING) {
      vanished = true;
      continue;
    }
    if (l.trim() === EMPTY_NOTICE) continue;
    const head = HEAD.exec(l);
    if (head) {
      flush();
      current = { id: head[2], checked: head[1] !== ' ', line: i + 1, vanished, lines: [l] };
    } else if (current) current.lines.push(l);
    else preamble.push(l);
  }
  flush();
  return { frontMatter, preamble, blocks, eol };
}

function frontMatterValue(frontMatter: string[] | null, key: string): string | null {
  const line = frontMatter?.find((l) => l.startsWith(`${key}:`));
  if (!line) return null;
  const raw = line.slice(key.length + 1).trim();
  try {
    const v: unknown = parseYaml(raw);
    return v === null || v === undefined ? null : String(v);
  } catch {
    return raw;
  }
}

export function parseChecklist(text: string): ParsedChecklist {
  const parsed = parseLines(text);
  return {
    article: frontMatterValue(parsed.frontMatter, 'article'),
    articleHash: frontMatterValue(parsed.frontMatter, 'articleHash'),
    items: parsed.blocks.map((b) => ({
      id: b.id,
      checked: b.checked,
      line: b.line,
      lines: [b.head, ...b.generated, ...b.analyst],
      vanished: b.vanished,
    })),
  };
}

/** True when the checklist was generated from a different version of the article. */
export function isChecklistStale(checklistText: string, articleText: string): boolean {
  const hash = parseChecklist(checklistText).articleHash;
  return hash !== null && hash !== articleHash(articleText);
}

// ---------- merging ----------

function withTick(head: string, checked: boolean): string {
  return head.replace(/\[[ xX]\]/, checked ? '[x]' : '[ ]');
}

/** The analyst's front matter with Attaché's own keys refreshed (added when missing). */
function mergeFrontMatter(existing: string[] | null, regenerated: string[] | null): string[] | null {
  if (!regenerated) return existing;
  if (!existing) return regenerated;
  const merged = [...existing];
  for (const key of GENERATED_KEYS) {
    const fresh = regenerated.find((l) => l.startsWith(`${key}:`));
    if (!fresh) continue;
    const at = merged.findIndex((l) => l.startsWith(`${key}:`));
    if (at >= 0) merged[at] = fresh;
    else merged.push(fresh);
  }
  return merged;
}

function blockLines(b: Block, head: string, generated: string[]): string[] {
  return [head, ...generated, ...b.analyst, ''];
}

/** An item the analyst has worked on: ticked, or with lines of their own under it. */
function touched(b: Block): boolean {
  return b.checked || b.analyst.some((l) => l.trim() !== '');
}

/**
 * Regenerates a checklist while keeping the analyst's work: ticks and every added line survive,
 * items follow the regenerated order, and items whose commitment disappeared but were ticked or
 * annotated move to a "No longer found in the article" section. Lines the analyst wrote between two
 * items travel with the item above them.
 */
export function mergeChecklist(existing: string, regenerated: string): string {
  const old = parseLines(existing);
  const fresh = parseLines(regenerated);
  const oldById = new Map<string, Block>();
  for (const b of old.blocks) {
    const first = oldById.get(b.id);
    // The same id twice (the analyst copied an item): one item, ticked if either copy is, with both sets of notes.
    if (first) oldById.set(b.id, { ...first, checked: first.checked || b.checked, analyst: [...first.analyst, ...b.analyst] });
    else oldById.set(b.id, b);
  }

  const freshTitle = fresh.preamble.find((l) => l.startsWith(TITLE_PREFIX));
  const preamble = trimTrailingBlanks(old.preamble.map((l) => (l.startsWith(TITLE_PREFIX) && freshTitle ? freshTitle : l)));

  const out: string[] = [];
  const frontMatter = mergeFrontMatter(old.frontMatter, fresh.frontMatter);
  if (frontMatter) out.push('---', ...frontMatter, '---');
  out.push(...preamble, '');

  const freshIds = new Set(fresh.blocks.map((b) => b.id));
  if (fresh.blocks.length === 0) out.push(EMPTY_NOTICE, '');
  for (const f of fresh.blocks) {
    const o = oldById.get(f.id);
    if (o) out.push(...blockLines(o, withTick(f.head, o.checked), f.generated));
    else out.push(...blockLines(f, f.head, f.generated));
  }

  const gone = [...oldById.values()].filter((b) => !freshIds.has(b.id) && touched(b));
  if (gone.length) {
    out.push(VANISHED_HEADING, '');
    for (const b of gone) out.push(...blockLines(b, withTick(b.head, b.checked), b.generated));
  }
  return out.join(old.eol);
}
