// W3C Web Annotation (JSON-LD) export, and re-anchoring of stored annotations on edited text.
// Positions are UTF-16 code units on the text as read, as in the DOM and in Hypothesis; the quote
// selector carries enough context to find the text again when those positions drift.
import { commitmentIds, hashString } from '../checklist';
import type { Commitment, Mention, ScanResult, Span } from '../types';

export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

export type Selector = TextQuoteSelector | TextPositionSelector;

interface TextualBody {
  type: 'TextualBody';
  purpose: 'classifying' | 'identifying' | 'describing' | 'tagging';
  value: string;
}

export interface Annotation {
  id: string;
  type: 'Annotation';
  motivation: 'classifying' | 'identifying';
  body: TextualBody[];
  target: { source: string; selector: [TextQuoteSelector, TextPositionSelector] };
}

const CONTEXT = 32;

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/** Selectors for a span; the context never cuts a surrogate pair in half. */
export function selectorsFor(text: string, start: number, end: number): [TextQuoteSelector, TextPositionSelector] {
  let from = Math.max(0, start - CONTEXT);
  if (from > 0 && isLow(text.charCodeAt(from))) from--;
  let to = Math.min(text.length, end + CONTEXT);
  if (to < text.length && isHigh(text.charCodeAt(to - 1))) to++;
  return [
    { type: 'TextQuoteSelector', exact: text.slice(start, end), prefix: text.slice(from, start), suffix: text.slice(end, to) },
    { type: 'TextPositionSelector', start, end },
  ];
}

function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Finds a stored annotation's span in a new version of the text: the quote with its full context;
 * else the old position if it still holds the quote; else the occurrence of the quote whose context
 * matches best (nearest the old position on a tie). Null when the quote is gone.
 */
export function reanchor(selectors: readonly Selector[], newText: string): Span | null {
  const quote = selectors.find((s): s is TextQuoteSelector => s.type === 'TextQuoteSelector');
  const position = selectors.find((s): s is TextPositionSelector => s.type === 'TextPositionSelector');
  if (!quote) {
    return position && position.start >= 0 && position.start <= position.end && position.end <= newText.length
      ? { start: position.start, end: position.end }
      : null;
  }
  if (quote.exact === '') return null;
  const hint = position?.start ?? 0;
  let best: { start: number; score: number; distance: number } | null = null;
  for (let i = newText.indexOf(quote.exact); i >= 0; i = newText.indexOf(quote.exact, i + 1)) {
    const before = newText.slice(Math.max(0, i - quote.prefix.length), i);
    const after = newText.slice(i + quote.exact.length, i + quote.exact.length + quote.suffix.length);
    const full = before === quote.prefix && after === quote.suffix;
    const score = full ? Infinity : commonSuffixLength(before, quote.prefix) + commonPrefixLength(after, quote.suffix);
    const distance = Math.abs(i - hint);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { start: i, score, distance };
  }
  if (!best) return null;
  if (best.score !== Infinity && position && newText.slice(position.start, position.end) === quote.exact) {
    return { start: position.start, end: position.end };
  }
  return { start: best.start, end: best.start + quote.exact.length };
}

function mentionAnnotation(base: string, file: string, text: string, m: Mention, names: Map<string, string>): Annotation {
  const body: TextualBody[] = [{ type: 'TextualBody', purpose: 'classifying', value: m.type }];
  if (m.id) body.push({ type: 'TextualBody', purpose: 'identifying', value: `registry:${m.id}` });
  const name = names.get(m.entity);
  if (name) body.push({ type: 'TextualBody', purpose: 'describing', value: name });
  return {
    id: `${base}:mention:${m.start}-${m.end}`,
    type: 'Annotation',
    motivation: m.id ? 'identifying' : 'classifying',
    body,
    target: { source: file, selector: selectorsFor(text, m.start, m.end) },
  };
}

function commitmentAnnotation(base: string, file: string, text: string, c: Commitment, id: string): Annotation {
  const tag = (value: string): TextualBody => ({ type: 'TextualBody', purpose: 'tagging', value });
  const body: TextualBody[] = [
    { type: 'TextualBody', purpose: 'classifying', value: `commitment:${c.kind}` },
    { type: 'TextualBody', purpose: 'describing', value: c.action },
    ...c.actors.map((a) => tag(`actor:${a}`)),
  ];
  if (c.due) body.push(tag(`due:${c.due}`));
  if (c.recurrence) body.push(tag(`recurrence:${c.recurrence}`));
  return {
    id: `${base}:commitment:${id}`,
    type: 'Annotation',
    motivation: 'classifying',
    body,
    target: { source: file, selector: selectorsFor(text, c.start, c.end) },
  };
}

/** The annotations of one scanned document, entity mentions first, then commitments. */
export function toAnnotations(file: string, text: string, result: ScanResult): Annotation[] {
  const base = `urn:attache:${hashString(file)}`;
  const names = new Map(result.entities.map((e) => [e.key, e.name]));
  const ids = commitmentIds(result.commitments);
  return [
    ...result.mentions.map((m) => mentionAnnotation(base, file, text, m, names)),
    ...result.commitments.map((c, i) => commitmentAnnotation(base, file, text, c, ids[i])),
  ];
}

export function exportW3c(file: string, text: string, result: ScanResult): string {
  const items = toAnnotations(file, text, result);
  const collection = {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:attache:${hashString(file)}`,
    type: 'AnnotationCollection',
    label: `Attaché annotations of ${file}`,
    total: items.length,
    first: { type: 'AnnotationPage', startIndex: 0, items },
  };
  return `${JSON.stringify(collection, null, 2)}\n`;
}
