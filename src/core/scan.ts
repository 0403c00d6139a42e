// The whole annotation pipeline for one document:
// markdown → prose segments → mentions → entities → commitments.
import { findArticleDate } from './articleDate';
import { findCommitments } from './commitments';
import { resolveEntities } from './coreference';
import { detectMentions } from './detect';
import { findExplicitLinks } from './links';
import { readProse, type ProseCache } from './markdown';
import { RegistryMatcher } from './matcher';
import { splitSentences } from './sentences';
import type { Mention, Registry, ScanResult } from './types';

export interface ScanOptions {
  registry?: Registry | null;
  /** A matcher built for `registry` (shared across documents); built on demand when absent. */
  matcher?: RegistryMatcher | null;
  /** Chunk cache for incremental re-reads of the same document. */
  cache?: ProseCache;
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

const byPosition = (a: Mention, b: Mention): number => a.start - b.start || b.end - a.end;

export function scan(text: string, options: ScanOptions = {}): ScanResult {
  const prose = readProse(text, { cache: options.cache });
  const sentences = splitSentences(prose);
  const date = findArticleDate(prose);
  const registry = options.registry ?? null;

  const links = findExplicitLinks(prose, registry);
  const matcher = registry ? (options.matcher ?? matcherFor(registry)) : null;
  const registered = matcher ? withoutOverlaps(links.mentions, matcher.find(prose)) : [];
  const known = [...links.mentions, ...registered].sort(byPosition);
  const detected = detectMentions(prose, sentences, known);
  const resolved = resolveEntities(prose, [...known, ...detected].sort(byPosition), registry);
  const commitments = findCommitments(prose, sentences, resolved.entities, resolved.mentions, date);

  return {
    date,
    prose,
    mentions: resolved.mentions,
    entities: resolved.entities,
    commitments,
    problems: [...links.problems, ...resolved.problems],
  };
}

/** `extra` mentions that do not overlap any of `first`. */
function withoutOverlaps(first: Mention[], extra: Mention[]): Mention[] {
  if (first.length === 0) return extra;
  return extra.filter((m) => !first.some((f) => m.start < f.end && m.end > f.start));
}
