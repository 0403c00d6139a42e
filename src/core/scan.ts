// The whole annotation pipeline for one document:
// markdown → prose segments → mentions → entities → commitments.
// The document is read segment by segment (segments.ts); with a ScanCache kept between scans of
// one document, an edit re-reads only the segments it changed, and the document-wide steps
// (surface propagation, coreference, commitments' parties) run over the readings already made.
import { findArticleDate, topText } from './articleDate';
import { CommitmentMemo, findCommitments } from './commitments';
import { COUNTRY_WINDOW, countryIn, resolveEntities, type NameRun, nameRuns } from './coreference';
import { type Candidate, type LocalDetection, detectLocal, propagate, surfacesOf, toMentions } from './detect';
import { findExplicitLinks } from './links';
import { readProse, ProseCache } from './markdown';
import { RegistryMatcher } from './matcher';
import { Memo } from './memo';
import { segmentDocument, segmentKey, segmentsOf } from './segments';
import { splitSentences } from './sentences';
import type { Mention, ProseDocument, Registry, ScanResult, Sentence } from './types';

export interface ScanOptions {
  registry?: Registry | null;
  /** A matcher built for `registry` (shared across documents); built on demand when absent. */
  matcher?: RegistryMatcher | null;
  /** Readings kept between scans of the same document (one cache per document). */
  cache?: ScanCache;
}

/** A segment's detection, and its propagation for the surfaces of the last document it was in. */
interface SegmentDetection {
  local: LocalDetection;
  propagated?: { surfaces: number; found: Candidate[]; runs: NameRun[] };
}

/** What is kept of one segment: its sentences, registry hits by registry version, detection by known spans. */
interface SegmentReading {
  sentences: Sentence[];
  registered: Map<string, Mention[]>;
  detections: Map<string, SegmentDetection>;
}

/**
 * What the scans of one document keep for the next: the markdown readings and, per segment (keyed
 * by its prose and block shape), its sentences, registry hits and detection; per sentence, what
 * commitments read from its words. Each scan keeps only what it used.
 */
export class ScanCache {
  readonly prose = new ProseCache();
  readonly segments = new Memo<SegmentReading>();
  readonly dates = new Memo<string | null>();
  readonly countries = new Memo<string | undefined>();
  readonly commitments = new CommitmentMemo();
  /** The surface table of the last scan, and a number that changes with it. */
  private surfaces = { signature: '', version: 0 };

  /** The version of a surface table, the same as the last scan's while the table is. */
  surfacesVersion(signature: string): number {
    if (signature !== this.surfaces.signature) this.surfaces = { signature, version: this.surfaces.version + 1 };
    return this.surfaces.version;
  }

  settle(): void {
    for (const memo of [this.segments, this.dates, this.countries]) memo.settle();
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

/** A mention found in a segment, placed in the document. */
const placed = (doc: ProseDocument, m: Mention, offset: number): Mention =>
  ({ ...m, start: m.start + offset, end: m.end + offset, text: doc.text.slice(m.start + offset, m.end + offset) });

export function scan(text: string, options: ScanOptions = {}): ScanResult {
  // A cold scan is a scan with an empty cache: one code path, so an incremental scan cannot differ.
  const cache = options.cache ?? new ScanCache();
  const prose = readProse(text, { cache: cache.prose });
  const registry = options.registry ?? null;
  const matcher = registry ? (options.matcher ?? matcherFor(registry)) : null;
  const links = findExplicitLinks(prose, registry);
  const date = cache.dates.get(`${prose.frontMatter ? text.slice(prose.frontMatter.start, prose.frontMatter.end) : ''}\u0000${topText(prose)}`, () => findArticleDate(prose));

  const sentences: Sentence[] = [];
  const known: Mention[] = [];
  const parts: { offset: number; segment: ProseDocument; known: Mention[]; detection: SegmentDetection }[] = [];
  let nextLink = 0;
  for (const segment of segmentsOf(prose)) {
    const doc = segmentDocument(prose, segment);
    const reading = cache.segments.get(segmentKey(doc), () => ({ sentences: splitSentences(doc), registered: new Map(), detections: new Map() }));
    const own = reading.sentences;
    for (const s of own) sentences.push({ start: s.start + segment.start, end: s.end + segment.start, block: s.block + segment.firstBlock });

    const linked: Mention[] = [];
    while (nextLink < links.mentions.length && links.mentions[nextLink].start < segment.end) {
      const m = links.mentions[nextLink++];
      linked.push({ ...m, start: m.start - segment.start, end: m.end - segment.start });
    }
    const registered = matcher ? remembered(reading.registered, matcher.version, () => matcher.find(doc)) : [];
    const segmentKnown = [...linked, ...withoutOverlaps(linked, registered)].sort(byPosition);
    for (const m of segmentKnown) known.push(placed(prose, m, segment.start));

    const knownKey = segmentKnown.map((m) => `${m.start}-${m.end}`).join(',');
    const detection = remembered(reading.detections, knownKey, () => ({ local: detectLocal(doc.prose, own, segmentKnown, doc.text) }));
    parts.push({ offset: segment.start, segment: doc, known: segmentKnown, detection });
  }

  // Surfaces found anywhere are looked for everywhere: each segment's propagation holds while they stay the same.
  const surfaces = surfacesOf(parts.map((p) => p.detection.local));
  const version = cache.surfacesVersion(surfaces.signature);
  const detected: Mention[] = [];
  const runs: NameRun[] = [];
  for (const { offset, segment, known: segmentKnown, detection } of parts) {
    if (detection.propagated?.surfaces !== version) {
      const found = propagate(segment.prose, detection.local, surfaces);
      const covered = [...segmentKnown, ...detection.local.chosen, ...found];
      detection.propagated = { surfaces: version, found, runs: nameRuns(segment.prose, detection.local.tokens, covered) };
    }
    const all = detection.local.chosen.concat(detection.propagated.found).sort(byPosition);
    detected.push(...toMentions(prose, all, offset));
    for (const r of detection.propagated.runs) runs.push({ ...r, start: r.start + offset, end: r.end + offset });
  }

  const countryBefore = (offset: number): string | undefined => {
    const window = prose.prose.slice(Math.max(0, offset - COUNTRY_WINDOW), offset);
    return cache.countries.get(window, () => countryIn(window));
  };
  const resolved = resolveEntities(prose, [...known, ...detected].sort(byPosition), registry, { nameRuns: runs, countryBefore });
  const commitments = findCommitments(prose, sentences, resolved.entities, resolved.mentions, date, cache.commitments);
  cache.settle();

  return {
    date,
    prose,
    mentions: resolved.mentions,
    entities: resolved.entities,
    commitments,
    problems: [...links.problems, ...resolved.problems],
  };
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
