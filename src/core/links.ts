// Explicit entity links written by the analyst: [[entity-id]] or [[entity-id|shown text]].
// They settle by hand what detection cannot (an ambiguous short name, a nickname …).
import { LineIndex } from './positions';
import type { Mention, Problem, ProseDocument, Registry, Span } from './types';

export interface ExplicitLink extends Span {
  id: string;
  /** Span of the id inside the brackets. */
  idSpan: Span;
  /** Span of the shown text (the id itself when there is no `|`). */
  shown: Span;
}

const LINK = /\[\[([^\[\]|\n]{1,200}?)(?:\|([^\[\]\n]{1,200}?))?\]\]/g;

export function parseExplicitLinks(prose: string): ExplicitLink[] {
  const links: ExplicitLink[] = [];
  for (const m of prose.matchAll(LINK)) {
    const start = m.index;
    const rawId = m[1];
    const id = rawId.trim();
    const idStart = start + 2 + rawId.indexOf(id);
    const idSpan = { start: idStart, end: idStart + id.length };
    let shown = idSpan;
    if (m[2] !== undefined) {
      const rawShown = m[2];
      const s = rawShown.trim();
      const sStart = start + 2 + rawId.length + 1 + rawShown.indexOf(s);
      shown = { start: sStart, end: sStart + s.length };
    }
    if (id) links.push({ start, end: start + m[0].length, id, idSpan, shown });
  }
  return links;
}

/** Mentions for the explicit links in a document, and a problem for each link to an unknown id. */
export function findExplicitLinks(doc: ProseDocument, registry: Registry | null): { mentions: Mention[]; problems: Problem[] } {
  const mentions: Mention[] = [];
  const problems: Problem[] = [];
  const links = parseExplicitLinks(doc.prose);
  if (links.length === 0) return { mentions, problems };
  const lines = new LineIndex(doc.text);
  for (const link of links) {
    const entity = registry?.byId.get(link.id);
    if (!entity) {
      problems.push({
        severity: 'warning',
        rule: 'link/unknown-id',
        message: `Unexpected entity id \`${link.id}\`, expected an id from the registry`,
        start: lines.positionAt(link.idSpan.start),
        end: lines.positionAt(link.idSpan.end),
        span: link.idSpan,
      });
      continue;
    }
    mentions.push({
      start: link.shown.start,
      end: link.shown.end,
      text: doc.text.slice(link.shown.start, link.shown.end),
      type: entity.type,
      id: entity.id,
      source: 'link',
      entity: entity.id,
    });
  }
  return { mentions, problems };
}
