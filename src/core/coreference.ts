// In-document coreference: later short names ("Naqvi", "Wang", "Abiy", "al-Sisi", "García Márquez")
// join the earlier full name they belong to, whatever the culture's name order; all mentions are then
// clustered into the document's entities. Real ties are flagged, not guessed.
import type { DocEntity, EntityType, Mention, Problem, ProseDocument, Registry, Span } from './types';
import { demonymCountry, isCountry, placeCode } from './gazetteer';
import { NAME_PARTICLES, isHonorific, isNameWord, isTitleHead } from './lexicon';
import type { Memo } from './memo';
import { LineIndex } from './positions';
import { type Token, phrase, tokenize } from './tokens';

/** Tokens that many names share or that are honorifics: never a reference on their own. */
const NEVER_ALONE = new Set(`
  syed sayed sayyid sheikh shaikh haji hajji mian sri datuk dato tun puan muhammad mohammad mohammed mohamed
  muhammed mohamad abdul abdel abd abu umm ibn bin bint al el
`.trim().split(/\s+/));
/** A person's longest short form worth looking for, in tokens ("García Márquez", "bin Zayed Al Nahyan"). */
const MAX_FORM_TOKENS = 3;
const LEAD_BONUS = 2;

/** "Al-Sisi" and "De la Fuente" at a sentence start are "al-Sisi" and "de la Fuente"; curly and straight apostrophes are one. */
function formKey(form: string): string {
  const key = form.replace(/’/g, "'");
  const particle = /^(\p{L}+)(?=[-‐‑ ])/u.exec(key)?.[1] ?? '';
  const hyphened = /^(?:ad|as|ash|at|az|an|ar)$/i.test(particle) && /^\p{L}+[-‐‑]/u.test(key);
  return NAME_PARTICLES.has(particle.toLowerCase()) || hyphened ? particle.toLowerCase() + key.slice(particle.length) : key;
}

/** Every contiguous part of a full name shorter than the name, as it may be used alone later. */
function shortForms(name: string): string[] {
  const words = name.split(/\s+/);
  const forms: string[] = [];
  for (let len = Math.min(MAX_FORM_TOKENS, words.length - 1); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      const part = words.slice(i, i + len);
      // A form may open with particles ("de la Fuente", "bin Farhan") but must end on a name.
      if (/^\p{Ll}+$/u.test(part[len - 1]) || part.every((w) => /^\p{Ll}+$/u.test(w) || NAME_PARTICLES.has(w.toLowerCase()))) continue;
      if (len === 1 && (NEVER_ALONE.has(part[0].toLowerCase()) || part[0].replace(/\.$/, '').length < 2)) continue;
      forms.push(formKey(part.join(' ')));
    }
  }
  return forms;
}

interface Person {
  key: string;
  name: string;
  id: string | null;
  first: number;
  /** Mentions so far, while the document is read in order. */
  count: number;
  lastBlock: number;
  inLead: boolean;
}

/** What coreference reads from a person's name: its word count, its form key and its short forms. */
export interface NameForms {
  words: number;
  key: string;
  short: string[];
}

function nameForms(name: string): NameForms {
  return { words: name.split(/\s+/).length, key: formKey(name), short: shortForms(name) };
}

/** A name without a possessive "'s". */
function bare(text: string): string {
  return text.endsWith("'s") || text.endsWith('’s') ? text.slice(0, -2) : text;
}

/** A run of name words and the short-name form it spells; offsets are relative to the prose it was found in. */
export interface NameRun {
  start: number;
  end: number;
  form: string;
}

/** What a caller that keeps readings between scans already knows (computed from the document when absent). */
export interface ResolveContext {
  /** nameRuns of the whole document, in pieces, each with the offset its runs are relative to. */
  nameRuns?: readonly { at: number; runs: readonly NameRun[] }[];
  /** nameForms by name, kept between scans of a document. */
  names?: Memo<NameForms>;
  /** countryBefore over the document's prose, memoised. */
  countryBefore?: (offset: number) => string | undefined;
}

interface Reference {
  start: number;
  end: number;
  form: string;
  /** The existing mention this is (a detected "Naqvi" after "Minister"), if any. */
  mention?: Mention;
}

/** Paragraph index of offsets: the document's blocks, or blank-line paragraphs when there are none. */
function paragraphIndex(doc: ProseDocument): (offset: number) => number {
  const starts = doc.blocks.length > 0 ? doc.blocks.map((b) => b.start) : [0, ...[...doc.text.matchAll(/\n\s*\n/g)].map((m) => m.index + m[0].length)];
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/**
 * Clusters all mentions (registry + detected) into document entities, adds short-name coreference
 * mentions, and flags short names that fit two earlier names equally.
 */
export function resolveEntities(
  doc: ProseDocument,
  mentions: Mention[],
  registry: Registry | null,
  context: ResolveContext = {},
): { mentions: Mention[]; entities: DocEntity[]; problems: Problem[] } {
  const resolved = resolveMentions(doc, mentions, registry, context);
  return { ...resolved, entities: entitiesOf(doc, resolved.mentions, registry, context) };
}

/** The mentions with short names joined to their full names (and coreference mentions added), in text order; ties flagged. */
export function resolveMentions(
  doc: ProseDocument,
  mentions: Mention[],
  registry: Registry | null,
  context: ResolveContext = {},
): { mentions: Mention[]; problems: Problem[] } {
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  const paragraphOf = paragraphIndex(doc);
  const nameOf = (m: Mention): string => (m.id && registry?.byId.get(m.id)?.name) || bare(m.text);
  const formsOf = (name: string): NameForms => (context.names ? context.names.get(name, () => nameForms(name)) : nameForms(name));

  // Full names: persons whose name is not itself a short form of a longer person's name.
  const personMentions = sorted.filter((m) => m.type === 'person');
  const persons = new Map<string, Person>();
  const leadParagraph = personMentions.length > 0 ? paragraphOf(personMentions[0].start) : -1;
  for (const m of personMentions) {
    const name = nameOf(m);
    const p = persons.get(m.entity);
    if (!p) persons.set(m.entity, { key: m.entity, name, id: m.id, first: m.start, count: 0, lastBlock: -1, inLead: false });
    else if (name !== p.name && formsOf(name).words > formsOf(p.name).words) p.name = name;
  }
  if (leadParagraph >= 0) {
    for (const m of personMentions) {
      if (paragraphOf(m.start) > leadParagraph) break;
      if (paragraphOf(m.start) === leadParagraph) persons.get(m.entity)!.inLead = true;
    }
  }
  const formIndex = new Map<string, Person[]>();
  for (const p of persons.values()) {
    for (const form of formsOf(p.name).short) {
      const list = formIndex.get(form) ?? [];
      list.push(p);
      formIndex.set(form, list);
    }
  }
  // A person known only by a short form ("Minister Naqvi") is a reference to a fuller name, not a person of its own.
  const shortPersons = new Set([...persons.values()].filter((p) => (formIndex.get(formsOf(p.name).key) ?? []).some((q) => q !== p)));
  const isShort = (p: Person) => shortPersons.has(p);

  const references: Reference[] = [];
  for (const m of personMentions) {
    const p = persons.get(m.entity)!;
    if (isShort(p) && !m.id) references.push({ start: m.start, end: m.end, form: formsOf(p.name).key, mention: m });
  }
  if (formIndex.size > 0) {
    for (const { at, runs } of context.nameRuns ?? [{ at: 0, runs: nameRuns(doc.prose, tokenize(doc.prose, [], doc.text), sorted) }]) {
      for (const run of runs) if (formIndex.has(run.form)) references.push({ start: run.start + at, end: run.end + at, form: run.form });
    }
  }

  // Read the document in order so that "earlier", "more mentions so far" and "nearer" mean what they say.
  type Step = { at: number; mention?: Mention; reference?: Reference };
  const steps: Step[] = [
    ...personMentions.filter((m) => !isShort(persons.get(m.entity)!) || m.id).map((m) => ({ at: m.start, mention: m })),
    ...references.map((r) => ({ at: r.start, reference: r })),
  ].sort((a, b) => a.at - b.at);
  let lines: LineIndex | undefined;
  const problems: Problem[] = [];
  const resolved = new Map<Mention, Mention>();
  const added: Mention[] = [];
  const fitsOf = new Map<string, Person[]>();
  for (const step of steps) {
    if (step.mention) {
      const p = persons.get(step.mention.entity)!;
      p.count++;
      p.lastBlock = paragraphOf(step.at);
      continue;
    }
    const ref = step.reference!;
    let fits = fitsOf.get(ref.form);
    if (!fits) fitsOf.set(ref.form, (fits = (formIndex.get(ref.form) ?? []).filter((p) => !isShort(p))));
    const earlier = fits.filter((p) => p.first < ref.start);
    // A headline may use the short name before the body gives the full one: accept a unique later name.
    const pool = earlier.length > 0 ? earlier : fits.length === 1 ? fits : [];
    if (pool.length === 0) continue;
    const choice = choose(pool, paragraphOf(ref.start));
    const text = doc.text.slice(ref.start, ref.end);
    const base = ref.mention ?? { start: ref.start, end: ref.end, text, type: 'person' as EntityType, source: 'coreference' as const };
    let mention: Mention;
    if (choice) {
      choice.count++;
      choice.lastBlock = paragraphOf(ref.start);
      mention = { ...base, id: choice.id, entity: choice.key };
    } else {
      const candidates = pool.map((p) => p.key);
      mention = { ...base, id: null, entity: `person:${text}`, candidates };
      lines ??= new LineIndex(doc.text);
      const start = lines.positionAt(ref.start);
      problems.push({
        severity: 'warning',
        rule: 'entity/ambiguous',
        message: `Unexpected ambiguous short name "${text}", expected one of: ${pool.map((p) => p.name).join(', ')}`,
        start,
        end: lines.positionAt(ref.end),
        span: { start: ref.start, end: ref.end },
      });
    }
    if (ref.mention) resolved.set(ref.mention, mention);
    else added.push(mention);
  }

  const all = resolved.size > 0 ? sorted.map((m) => resolved.get(m) ?? m) : sorted;
  return { mentions: added.length > 0 ? all.concat(added).sort((a, b) => a.start - b.start) : all, problems };
}

/** The document's entities from its resolved mentions (see resolveMentions). */
export function entitiesOf(doc: ProseDocument, mentions: readonly Mention[], registry: Registry | null, context: ResolveContext = {}): DocEntity[] {
  return buildEntities(mentions, registry, context.countryBefore ?? ((offset: number) => countryBefore(doc.prose, offset)));
}

/** The more salient candidate (mentions so far, principal of the lead), else the one in this paragraph; null on a real tie. */
function choose(pool: Person[], paragraph: number): Person | null {
  const score = (p: Person) => p.count + (p.inLead ? LEAD_BONUS : 0);
  const ranked = [...pool].sort((a, b) => score(b) - score(a));
  if (ranked.length === 1 || score(ranked[0]) > score(ranked[1])) return ranked[0];
  const tied = ranked.filter((p) => score(p) === score(ranked[0]));
  const near = tied.filter((p) => p.lastBlock === paragraph);
  return near.length === 1 ? near[0] : null;
}

/**
 * Uncovered runs of name words that may be a short name ("Wang said", "Al-Sisi"), whichever persons
 * the document names: those whose form is a person's short form become references. Runs never
 * cross a line, so a document's runs are the runs of its pieces put together.
 */
export function nameRuns(prose: string, tokens: readonly Token[], mentions: readonly Span[]): NameRun[] {
  const covered = new Uint8Array(prose.length + 1);
  for (const m of mentions) covered.fill(1, m.start, m.end);
  const isFree = (t: Token) => !covered[t.start] && !covered[t.end - 1];
  const joined = (a: Token, b: Token) => !b.afterMask && /^[ \t]+$/.test(prose.slice(a.end, b.start));
  const out: NameRun[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isNameWord(tokens[i]) || !isFree(tokens[i])) continue;
    // The run of name words this token starts must be the short name itself, not part of an unknown longer name.
    let end = i + 1;
    while (end < tokens.length && end - i < MAX_FORM_TOKENS && !tokens[end - 1].possessive && joined(tokens[end - 1], tokens[end]) && isFree(tokens[end]) && isNameWord(tokens[end])) end++;
    const prev = tokens[i - 1];
    if (prev && joined(prev, tokens[i]) && isNameWord(prev) && !isTitleHead(prev) && !isHonorific(prev) && isFree(prev)) {
      i = end - 1;
      continue;
    }
    const next = tokens[end];
    const runEnds = !next || tokens[end - 1].possessive || !joined(tokens[end - 1], next) || !isNameWord(next) || !isFree(next);
    if (runEnds) out.push({ start: tokens[i].start, end: tokens[end - 1].end, form: formKey(phrase(prose, tokens, i, end - 1)) });
    i = end - 1;
  }
  return out;
}

/** Groups mentions by entity key; name, title and country come from the registry or the text around them. */
function buildEntities(mentions: readonly Mention[], registry: Registry | null, countryAt: (offset: number) => string | undefined): DocEntity[] {
  const byKey = new Map<string, DocEntity>();
  for (const m of mentions) {
    let e = byKey.get(m.entity);
    if (!e) {
      const reg = m.id ? registry?.byId.get(m.id) : undefined;
      e = { key: m.entity, name: reg?.name ?? m.text, type: reg?.type ?? m.type, id: m.id, mentions: [] };
      if (reg?.country) e.country = reg.country;
      byKey.set(m.entity, e);
    }
    e.mentions.push(m);
    const bareText = bare(m.text);
    if (!e.id && m.source !== 'coreference' && bareText.length > e.name.length) e.name = bareText;
    if (!e.title && m.title) e.title = m.title;
  }
  for (const e of byKey.values()) {
    if (e.country) continue;
    let code = e.type === 'place' ? placeCode(e.name) : undefined;
    for (const m of e.type === 'place' ? [] : e.mentions) {
      code = countryAt(m.start);
      if (code) break;
    }
    if (code) e.country = code;
  }
  return [...byKey.values()];
}

/** Lower-case words that may stand between a nationality and the person it qualifies. */
const QUALIFIER_GLUE = new Set(['the', 'of', 'for', 'to', 'his', 'her', 'its', 'their', 'counterpart', 'counterparts']);

/**
 * A demonym or possessive country in the words just before a mention: "Chinese Interior Minister X",
 * "his Chinese counterpart, X", "China’s Ministry of …". Walks back over capitalised words and glue only.
 */
function countryBefore(prose: string, start: number): string | undefined {
  return countryIn(prose.slice(Math.max(0, start - COUNTRY_WINDOW), start));
}

/** Chars before a mention in which its nationality is looked for. */
export const COUNTRY_WINDOW = 120;

/** The country qualifying whatever follows `before` (see countryBefore). */
export function countryIn(before: string): string | undefined {
  const words = [...before.matchAll(/[\p{L}\p{M}'’-]+|[^\s\p{L}\p{M}]/gu)].map((m) => m[0]);
  for (let i = words.length - 1; i >= 0; i--) {
    const word = words[i];
    const possessive = /['’]s$/.test(word);
    const base = possessive ? word.slice(0, -2) : word;
    const demonym = demonymCountry(`${words[i - 1] ?? ''} ${base}`) ?? demonymCountry(base);
    if (demonym) return demonym;
    // "China’s Ministry …", or a country used as an adjective before a title: "UAE Minister of State X".
    if (isCountry(base) && (possessive || /^\p{Lu}/u.test(words[i + 1] ?? ''))) return placeCode(base) || undefined;
    const glue = QUALIFIER_GLUE.has(word.toLowerCase()) || /^\p{Lu}/u.test(word) || (word === ',' && /^counterparts?$/i.test(words[i - 1] ?? ''));
    if (!glue) return undefined;
  }
  return undefined;
}
