// The whole annotation pipeline for one document:
// markdown → prose segments → mentions → entities → commitments.
// The document is read segment by segment (segments.ts); with a ScanCache kept between scans of
// one document, an edit re-reads only the segments it changed (the others are found by position,
// their contributions shifted by the edit), and the document-wide steps (surface propagation,
// coreference, commitments' parties) run over the readings already made.
import { findArticleDate, topText } from './articleDate';
import { CommitmentMemo, findCommitments } from './commitments';
import { COUNTRY_WINDOW, countryIn, entitiesOf, type NameForms, type NameRun, nameRuns, resolveMentions } from './coreference';
import { type Candidate, type LocalDetection, type Surfaces, detectLocal, propagate, surfacesOf, toMentions } from './detect';
import { findExplicitLinks } from './links';
import { readProse, ProseCache } from './markdown';
import { RegistryMatcher } from './matcher';
import { Edit, Memo } from './memo';
import { type Segment, sameShape, segmentDocument, segmentKey, segmentsOf } from './segments';
import { splitSentences } from './sentences';
import type { Mention, ProseBlock, ProseDocument, Registry, ScanResult, Sentence } from './types';

export interface ScanOptions {
  registry?: Registry | null;
  /** A matcher built for `registry` (shared across documents); built on demand when absent. */
  matcher?: RegistryMatcher | null;
  /** Readings kept between scans of the same document (one cache per document). */
  cache?: ScanCache;
  /** Called with the final mentions as soon as they are known, before commitments are read (highlights need no more). */
  onMentions?: (mentions: readonly Mention[]) => void;
}

/** A segment's detection, and its propagation for the surfaces of the last document it was in. */
interface SegmentDetection {
  local: LocalDetection;
  propagated?: { surfaces: number; found: Candidate[]; runs: NameRun[] };
}

/** What is kept of one segment's text: its sentences, registry hits by registry version, detection by known spans. */
interface SegmentReading {
  sentences: Sentence[];
  registered: Map<string, Mention[]>;
  detections: Map<string, SegmentDetection>;
}

/** What one segment put into the document: sentences and mentions (known and detected, in order). */
interface Contribution {
  /** Where it was placed: the segment's offset and first block, and the surface table it was propagated with. */
  at: number;
  firstBlock: number;
  surfaces: number;
  sentences: Sentence[];
  mentions: Mention[];
}

/** One segment as the last scan read it. */
interface SegmentState {
  segment: Segment;
  /** The blocks of the document it was in (the segment's are [firstBlock, endBlock)). */
  blocks: readonly ProseBlock[];
  reading: SegmentReading;
  /** The registry (and matcher) version its known mentions were found with. */
  knownWith: string;
  /** Known mentions: explicit links and registry hits, offsets relative to the segment. */
  known: Mention[];
  detection: SegmentDetection;
  contribution?: Contribution;
}

/** The last scan of a document: its text and prose, segments, surface table and country look-ups. */
interface LastScan {
  text: string;
  prose: string;
  segments: SegmentState[];
  surfaces: Surfaces;
  surfacesVersion: number;
  countries: Map<number, string | undefined>;
}

/**
 * What the scans of one document keep for the next: the markdown readings, the last scan's segments
 * (found again by position when the edit left their text alone) and, per sentence, what commitments
 * read from its words. Each scan keeps only what it used.
 */
export class ScanCache {
  readonly prose = new ProseCache();
  readonly dates = new Memo<string | null>();
  readonly names = new Memo<NameForms>();
  readonly commitments = new CommitmentMemo();
  last: LastScan | null = null;
  private version = 0;

  /** The version of a surface table: the last scan's while the table is the same. */
  surfacesVersion(surfaces: Surfaces): number {
    return this.last && surfaces.signature === this.last.surfaces.signature ? this.last.surfacesVersion : ++this.version;
  }
}

const matchers = new Map<string, RegistryMatcher>();

/** One matcher per registry version, shared by every document that uses it. */
export function matcherFor(registry: Registry): RegistryMatcher {
  let m = matchers.get(registry.version);
  if (!m) {
    if (matchers.size >= 4) matchers.clear();
    m = new RegistryMatcher(registry);
    matchers.set(registry.version, m);
  }
  return m;
}

const byPosition = (a: { start: number; end: number }, b: { start: number; end: number }): number => a.start - b.start || b.end - a.end;

export function scan(text: string, options: ScanOptions = {}): ScanResult {
  // A cold scan is a scan with an empty cache: one code path, so an incremental scan cannot differ.
  const cache = options.cache ?? new ScanCache();
  const prose = readProse(text, { cache: cache.prose });
  const registry = options.registry ?? null;
  const matcher = registry ? (options.matcher ?? matcherFor(registry)) : null;
  const knownWith = `${registry?.version ?? ''}\u0000${matcher?.version ?? ''}`;
  const links = findExplicitLinks(prose, registry);
  const date = cache.dates.get(`${prose.frontMatter ? text.slice(prose.frontMatter.start, prose.frontMatter.end) : ''}\u0000${topText(prose)}`, () => findArticleDate(prose));
  const last = cache.last;
  const edit = last ? Edit.between([last.text, last.prose], [text, prose.prose]) : Edit.whole(text.length);

  const states: SegmentState[] = [];
  let nextLink = 0;
  let nextOld = 0;
  let changed: Map<string, SegmentState[]> | undefined;
  for (const segment of segmentsOf(prose)) {
    // The same segment in the last scan: same text and prose where the edit left them, same blocks.
    const was = edit.previous(segment.start, segment.end);
    let old: SegmentState | undefined;
    if (was >= 0 && last) {
      while (nextOld < last.segments.length && last.segments[nextOld].segment.start < was) nextOld++;
      const candidate = last.segments[nextOld];
      if (candidate?.segment.start === was && sameShape(candidate.blocks, candidate.segment, prose.blocks, segment)) old = candidate;
    }
    // Between the unchanged ends (several edits since the last scan, a paragraph moved) segments are found by their content.
    let doc: ProseDocument | undefined;
    const docOf = (): ProseDocument => (doc ??= segmentDocument(prose, segment));
    if (!old && last) old = (changed ??= changedSegments(last, edit)).get(segmentKey(docOf()))?.shift();
    const linked: Mention[] = [];
    while (nextLink < links.mentions.length && links.mentions[nextLink].start < segment.end) {
      const m = links.mentions[nextLink++];
      linked.push({ ...m, start: m.start - segment.start, end: m.end - segment.start });
    }
    if (old && old.knownWith === knownWith) {
      // The last scan's states are not read again: this one moves on with the document.
      old.segment = segment;
      old.blocks = prose.blocks;
      states.push(old);
      continue;
    }
    const reading = old?.reading ?? { sentences: splitSentences(docOf()), registered: new Map(), detections: new Map() };
    const registered = matcher ? remembered(reading.registered, matcher.version, () => matcher.find(docOf())) : [];
    const known = [...linked, ...withoutOverlaps(linked, registered)].sort(byPosition);
    const knownKey = known.map((m) => `${m.start}-${m.end}`).join(',');
    const detection = remembered(reading.detections, knownKey, () => ({ local: detectLocal(docOf().prose, reading.sentences, known, docOf().text) }));
    states.push({ segment, blocks: prose.blocks, reading, knownWith, known, detection });
  }

  // Surfaces found anywhere are looked for everywhere: each segment's propagation holds while they stay the same.
  const surfaces = last && sameSurfaces(last.segments, states) ? last.surfaces : surfacesOf(states.map((s) => s.detection.local));
  const version = cache.surfacesVersion(surfaces);
  const mentions: Mention[] = [];
  const runs: { at: number; runs: NameRun[] }[] = [];
  for (const state of states) {
    const c = (state.contribution = contributionOf(prose, state, surfaces, version));
    for (const m of c.mentions) mentions.push(m);
    runs.push({ at: c.at, runs: state.detection.propagated!.runs });
  }

  // A country read from the prose before an offset holds while that prose is unchanged.
  const countries = new Map<number, string | undefined>();
  const countryBefore = (offset: number): string | undefined => {
    const from = Math.max(0, offset - COUNTRY_WINDOW);
    const was = edit.previous(from, offset);
    const then = was + offset - from;
    // Only a window of the same length: one cut short by the start of the text may have grown.
    const known = last && was >= 0 && Math.max(0, then - COUNTRY_WINDOW) === was && last.countries.has(then);
    const code = known ? last.countries.get(then) : countryIn(prose.prose.slice(from, offset));
    countries.set(offset, code);
    return code;
  };
  const context = { nameRuns: runs, countryBefore, names: cache.names };
  const resolved = resolveMentions(prose, mentions, registry, context);
  options.onMentions?.(resolved.mentions);
  const entities = entitiesOf(prose, resolved.mentions, registry, context);
  const sentences: Sentence[] = [];
  for (const state of states) for (const s of state.contribution!.sentences) sentences.push(s);
  const commitments = findCommitments(prose, sentences, entities, resolved.mentions, date, cache.commitments);
  cache.dates.settle();
  cache.names.settle();
  cache.last = { text, prose: prose.prose, segments: states, surfaces, surfacesVersion: version, countries };

  return {
    date,
    prose,
    mentions: resolved.mentions,
    entities,
    commitments,
    problems: [...links.problems, ...resolved.problems],
  };
}

/** The last scan's segments that the edit may have changed, by their content (each is taken once: its state moves on). */
function changedSegments(last: LastScan, edit: Edit): Map<string, SegmentState[]> {
  const byKey = new Map<string, SegmentState[]>();
  for (const state of last.segments) {
    const { start, end } = state.segment;
    if (end <= edit.head || start >= edit.before - edit.tail) continue;
    const doc = { text: last.text, prose: last.prose, blocks: state.blocks as ProseBlock[], frontMatter: null, fallback: false };
    const key = segmentKey(segmentDocument(doc, state.segment));
    byKey.set(key, [...(byKey.get(key) ?? []), state]);
  }
  return byKey;
}

/**
 * Whether the surfaces and acronyms of the segments, in order, are the same as the last scan's: the
 * surface table is made of nothing else. Only the segments between the unchanged ends are compared.
 */
function sameSurfaces(before: readonly SegmentState[], after: readonly SegmentState[]): boolean {
  let head = 0;
  while (head < before.length && head < after.length && before[head].detection.local === after[head].detection.local) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail].detection.local === after[after.length - 1 - tail].detection.local) tail++;
  const middle = (states: readonly SegmentState[]): LocalDetection[] => states.slice(head, states.length - tail).map((s) => s.detection.local);
  const [b, a] = [middle(before), middle(after)];
  const flat = <T>(parts: LocalDetection[], pick: (d: LocalDetection) => readonly T[]): T[] => parts.flatMap(pick);
  const same = <T>(x: readonly T[], y: readonly T[], eq: (p: T, q: T) => boolean): boolean => x.length === y.length && x.every((p, i) => eq(p, y[i]));
  return same(flat(b, (d) => d.surfaces), flat(a, (d) => d.surfaces), (p, q) => p[0] === q[0] && p[1] === q[1] && p[2] === q[2]) &&
    same(flat(b, (d) => d.acronyms), flat(a, (d) => d.acronyms), (p, q) => p[0] === q[0] && p[1].type === q[1].type && p[1].key === q[1].key);
}

/** A segment's contribution at its place in this document: the last one's, shifted, while its readings hold. */
function contributionOf(prose: ProseDocument, state: SegmentState, surfaces: Surfaces, version: number): Contribution {
  const { segment, detection, known } = state;
  const before = state.contribution;
  if (before && before.surfaces === version && detection.propagated?.surfaces === version) {
    const by = segment.start - before.at;
    const blocksBy = segment.firstBlock - before.firstBlock;
    if (by === 0 && blocksBy === 0) return before;
    return {
      at: segment.start,
      firstBlock: segment.firstBlock,
      surfaces: version,
      sentences: blocksBy === 0 && by === 0 ? before.sentences : before.sentences.map((s) => ({ start: s.start + by, end: s.end + by, block: s.block + blocksBy })),
      mentions: by === 0 ? before.mentions : before.mentions.map((m) => ({ ...m, start: m.start + by, end: m.end + by })),
    };
  }
  if (detection.propagated?.surfaces !== version) {
    const doc = segmentDocument(prose, segment);
    const found = propagate(doc.prose, detection.local, surfaces);
    const covered = [...known, ...detection.local.chosen, ...found];
    detection.propagated = { surfaces: version, found, runs: nameRuns(doc.prose, detection.local.tokens, covered) };
  }
  const at = segment.start;
  const detected = toMentions(prose, detection.local.chosen.concat(detection.propagated.found).sort(byPosition), at);
  // Known before detected on equal spans, as a stable sort of all known then all detected would have them.
  const mentions = known.map((m) => placed(prose, m, at)).concat(detected).sort(byPosition);
  return {
    at,
    firstBlock: segment.firstBlock,
    surfaces: version,
    sentences: state.reading.sentences.map((s) => ({ start: s.start + at, end: s.end + at, block: s.block + segment.firstBlock })),
    mentions,
  };
}

/** A mention found in a segment, placed in the document. */
const placed = (doc: ProseDocument, m: Mention, offset: number): Mention =>
  ({ ...m, start: m.start + offset, end: m.end + offset, text: doc.text.slice(m.start + offset, m.end + offset) });

/** A segment's value for `key` (a registry version, a set of known spans): few per segment, all kept with it. */
function remembered<V>(values: Map<string, V>, key: string, compute: () => V): V {
  let value = values.get(key);
  if (value === undefined) {
    value = compute();
    values.set(key, value);
  }
  return value;
}

/** `extra` mentions that do not overlap any of `first`. */
function withoutOverlaps(first: Mention[], extra: Mention[]): Mention[] {
  if (first.length === 0) return extra;
  return extra.filter((m) => !first.some((f) => m.start < f.end && m.end > f.start));
}
