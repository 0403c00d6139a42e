// The whole annotation pipeline for one document:
// markdown → prose segments → mentions → entities → commitments.
// The document is read segment by segment (segments.ts); with a ScanCache kept between scans of
// one document, an edit re-reads only the segments it changed (the others are found by position;
// what they found is kept relative to them and placed in the document only once highlights are out),
// and the document-wide steps (surface propagation, coreference, commitments' parties) reuse the
// readings already made.
import { findArticleDate, topText } from './articleDate';
import { CommitmentMemo, findCommitments } from './commitments';
import { COUNTRY_WINDOW, Coreference, ambiguityProblems, countryIn, entitiesOf, type NameRun, nameRuns, type Piece } from './coreference';
import { type Candidate, type LocalDetection, type Surfaces, detectLocal, propagate, surfacesOf, toMentions } from './detect';
import { findExplicitLinks } from './links';
import { readProse, ProseCache } from './markdown';
import { RegistryMatcher } from './matcher';
import { packHighlights, type PackedHighlights } from './highlights';
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
  /** Called with the highlights (packHighlights of the final mentions) as soon as they are known, before the rest is placed and read. */
  onHighlights?: (highlights: PackedHighlights) => void;
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

/** What one segment puts into the document, relative to it: sentences and mentions (known and detected, in order), name runs. */
interface Contribution {
  /** The surface table it was propagated with. */
  surfaces: number;
  sentences: Sentence[];
  mentions: Mention[];
  runs: NameRun[];
  /** Its sentences as last placed in the document. */
  placed?: { at: number; firstBlock: number; sentences: Sentence[] };
}

/** One segment as the last scan read it. */
interface SegmentState {
  segment: Segment;
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
  /** Where each of those segments was, and the blocks it was read with: the states themselves move on with later scans. */
  spans: Segment[];
  blocks: readonly ProseBlock[];
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
  readonly coreference = new Coreference();
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
      while (nextOld < last.spans.length && last.spans[nextOld].start < was) nextOld++;
      const span = last.spans[nextOld];
      if (span?.start === was && sameShape(last.blocks, span, prose.blocks, segment)) old = last.segments[nextOld];
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
      states.push(old);
      continue;
    }
    const reading = old?.reading ?? { sentences: splitSentences(docOf()), registered: new Map(), detections: new Map() };
    const registered = matcher ? remembered(reading.registered, matcher.version, () => matcher.find(docOf())) : [];
    const known = [...linked, ...withoutOverlaps(linked, registered)].sort(byPosition);
    const knownKey = known.map((m) => `${m.start}-${m.end}`).join(',');
    const detection = remembered(reading.detections, knownKey, () => ({ local: detectLocal(docOf().prose, reading.sentences, known, docOf().text) }));
    states.push({ segment, reading, knownWith, known, detection });
  }

  // Surfaces found anywhere are looked for everywhere: each segment's propagation holds while they stay the same.
  const surfaces = last && sameSurfaces(last.segments, states) ? last.surfaces : surfacesOf(states.map((s) => s.detection.local));
  const version = cache.surfacesVersion(surfaces);
  // A new table changes a segment's propagation only through the first words whose surfaces changed.
  const changedWords = last && version !== last.surfacesVersion ? firstWordsChanged(last.surfaces, surfaces) : null;
  const pieces: Piece[] = states.map((state) => {
    if (changedWords && propagationHolds(state.detection, last!.surfacesVersion, changedWords)) {
      state.detection.propagated!.surfaces = version;
      if (state.contribution?.surfaces === last!.surfacesVersion) state.contribution.surfaces = version;
    }
    const c = (state.contribution = contributionOf(prose, state, surfaces, version));
    const { start, end, firstBlock } = state.segment;
    return { at: start, end, firstBlock, mentions: c.mentions, runs: c.runs, key: c };
  });
  const resolved = cache.coreference.resolve(prose, pieces, registry, edit);
  options.onHighlights?.(highlightsOf(pieces, resolved));

  const mentions: Mention[] = [];
  const sentences: Sentence[] = [];
  pieces.forEach((piece, i) => {
    for (const m of placedMentions(resolved[i].mentions, piece.at)) mentions.push(m);
    for (const s of placedSentences(states[i].contribution!, states[i].segment)) sentences.push(s);
  });

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
  const entities = entitiesOf(prose, mentions, registry, { countryBefore });
  const commitments = findCommitments(prose, sentences, entities, mentions, date, cache.commitments);
  cache.dates.settle();
  cache.last = { text, prose: prose.prose, segments: states, spans: states.map((s) => s.segment), blocks: prose.blocks, surfaces, surfacesVersion: version, countries };

  return {
    date,
    prose,
    mentions,
    entities,
    commitments,
    problems: [...links.problems, ...ambiguityProblems(text, pieces, resolved)],
  };
}

/** The last scan's segments that the edit may have changed, by their content (each is taken once: its state moves on). */
function changedSegments(last: LastScan, edit: Edit): Map<string, SegmentState[]> {
  const byKey = new Map<string, SegmentState[]>();
  const doc = { text: last.text, prose: last.prose, blocks: last.blocks as ProseBlock[], frontMatter: null, fallback: false };
  last.segments.forEach((state, i) => {
    const span = last.spans[i];
    if (span.end <= edit.head || span.start >= edit.before - edit.tail) return;
    const key = segmentKey(segmentDocument(doc, span));
    byKey.set(key, [...(byKey.get(key) ?? []), state]);
  });
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

/** First words whose surfaces differ between two tables: propagation reads nothing else of a table. */
function firstWordsChanged(before: Surfaces, after: Surfaces): Set<string> {
  type List = NonNullable<ReturnType<Surfaces['byFirstWord']['get']>>;
  const same = (x: List, y: List | undefined): boolean =>
    !!y && x.length === y.length && x.every((s, i) => s.text === y[i].text && s.type === y[i].type && s.key === y[i].key);
  const words = new Set<string>();
  for (const [word, list] of after.byFirstWord) if (!same(list, before.byFirstWord.get(word))) words.add(word);
  for (const word of before.byFirstWord.keys()) if (!after.byFirstWord.has(word)) words.add(word);
  return words;
}

/** Whether a segment propagated with the last table finds the same with this one: none of its capitalised words starts a changed surface. */
function propagationHolds(detection: SegmentDetection, lastVersion: number, changedWords: ReadonlySet<string>): boolean {
  return detection.propagated?.surfaces === lastVersion && !detection.local.tokens.some((t) => t.cap && !t.noise && changedWords.has(t.text));
}

/** A segment's contribution: the last one's while its readings hold. */
function contributionOf(prose: ProseDocument, state: SegmentState, surfaces: Surfaces, version: number): Contribution {
  const { segment, detection, known } = state;
  const before = state.contribution;
  if (before && before.surfaces === version && detection.propagated?.surfaces === version) return before;
  const doc = segmentDocument(prose, segment);
  if (detection.propagated?.surfaces !== version) {
    const found = propagate(doc.prose, detection.local, surfaces);
    const covered = [...known, ...detection.local.chosen, ...found];
    detection.propagated = { surfaces: version, found, runs: nameRuns(doc.prose, detection.local.tokens, covered) };
  }
  const detected = toMentions(doc, detection.local.chosen.concat(detection.propagated.found).sort(byPosition));
  // Known before detected on equal spans, as a stable sort of all known then all detected would have them.
  const mentions = known.map((m) => ({ ...m, text: doc.text.slice(m.start, m.end) })).concat(detected).sort(byPosition);
  return { surfaces: version, sentences: state.reading.sentences, mentions, runs: detection.propagated.runs };
}

/** The highlights of the resolved pieces, placed in the document: each piece's packed once, then shifted. */
function highlightsOf(pieces: readonly Piece[], resolved: readonly { mentions: Mention[] }[]): PackedHighlights {
  const packs = resolved.map((r) => {
    let packed = packedOf.get(r.mentions);
    if (!packed) packedOf.set(r.mentions, (packed = packHighlights(r.mentions)));
    return packed;
  });
  const all = new Int32Array(packs.reduce((n, p) => n + p.length, 0));
  let i = 0;
  packs.forEach((packed, k) => {
    const { at } = pieces[k];
    for (let j = 0; j < packed.length; j += 3, i += 3) {
      all[i] = packed[j] + at;
      all[i + 1] = packed[j + 1] + at;
      all[i + 2] = packed[j + 2];
    }
  });
  return all;
}

const packedOf = new WeakMap<readonly Mention[], PackedHighlights>();
const placedOf = new WeakMap<readonly Mention[], { at: number; mentions: Mention[] }>();

/** A piece's mentions placed at `at` in the document: the same objects while the piece has not moved. */
function placedMentions(mentions: Mention[], at: number): Mention[] {
  const last = placedOf.get(mentions);
  if (last?.at === at) return last.mentions;
  const placed = mentions.map((m) => ({ ...m, start: m.start + at, end: m.end + at }));
  placedOf.set(mentions, { at, mentions: placed });
  return placed;
}

/** A segment's sentences placed in the document: the same objects while the segment has not moved. */
function placedSentences(c: Contribution, segment: Segment): Sentence[] {
  const { start: at, firstBlock } = segment;
  if (c.placed?.at !== at || c.placed.firstBlock !== firstBlock) {
    c.placed = { at, firstBlock, sentences: c.sentences.map((s) => ({ start: s.start + at, end: s.end + at, block: s.block + firstBlock })) };
  }
  return c.placed.sentences;
}

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
