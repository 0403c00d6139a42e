// In-document coreference: later short names ("Naqvi", "Wang", "Abiy", "al-Sisi", "García Márquez")
// join the earlier full name they belong to, whatever the culture's name order; all mentions are then
// clustered into the document's entities. Real ties are flagged, not guessed.
import type { DocEntity, EntityType, Mention, Problem, ProseDocument, Registry, Span } from './types';
import { demonymCountry, isCountry, placeCode } from './gazetteer';
import { NAME_PARTICLES, isCapitalsNameWord, isHonorific, isNameWord, isTitleHead } from './lexicon';
import { Edit } from './memo';
import { LineIndex, lineAt } from './positions';
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

/**
 * Every contiguous part of a full name shorter than the name, as it may be used alone later; and a
 * two-word name in the other order, since reports name East Asians both ways ("Kamikawa Yoko", "Yoko Kamikawa").
 */
function shortForms(name: string): string[] {
  // "OKADA Haruto" (family name in capitals, Japanese style) is "Okada" later on.
  const mixed = !CAPITALS.test(name);
  const words = name.split(/\s+/).map((w) => (mixed && CAPITALS_WORD.test(w) ? titleCased(w) : w));
  const forms: string[] = [];
  if (words.length === 2 && words.every((w) => /^\p{Lu}/u.test(w) && !NAME_PARTICLES.has(w.toLowerCase()))) forms.push(formKey(`${words[1]} ${words[0]}`));
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

/** A person as the document names it, kept between scans while its name, id, first mention and lead status hold. */
interface Person {
  key: string;
  name: string;
  id: string | null;
  /** Offset of its first mention (kept up to date as edits move it). */
  first: number;
  /** Named in the lead paragraph. */
  inLead: boolean;
  /** Known only by a short form of a fuller name: its mentions are references, not a person of its own. */
  short: boolean;
  /** The form key of its name, and the short forms it may be referred to by. */
  keyForm: string;
  forms: readonly string[];
  /** Mentions so far, while the document is read in order. */
  count: number;
}

/** The persons a short form may stand for: all that have it, and those that are persons of their own (fits). */
interface FormEntry {
  persons: Person[];
  fits: Person[];
}

function nameForms(name: string): { words: number; key: string; short: string[] } {
  // A name in capitals ("MR TOURAY:" in a transcript) is looked up as its title-cased form.
  const key = CAPITALS.test(name) ? titleCased(name) : name;
  return { words: name.split(/\s+/).length, key: formKey(key), short: shortForms(name) };
}

const CAPITALS = /^(?=.*\p{Lu}{2})[\p{Lu}\s'’.-]+$/u;
const CAPITALS_WORD = /^\p{Lu}{3,}$/u;

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

/** What entitiesOf reads besides the mentions (computed from the document when absent). */
export interface ResolveContext {
  /** countryBefore over the document's prose, memoised. */
  countryBefore?: (offset: number) => string | undefined;
}

/**
 * One piece of a document (a segment: no name, run or paragraph crosses its ends) as coreference
 * reads it; offsets of its mentions and runs are relative to `at`.
 */
export interface Piece {
  at: number;
  end: number;
  /** The document's block it starts with. */
  firstBlock: number;
  /** Its mentions in text order. */
  mentions: readonly Mention[];
  /** Its uncovered runs of name words (see nameRuns). */
  runs: readonly NameRun[];
  /** The same object for as long as `mentions` and `runs` are the same: what was read of them is kept with it. */
  key: object;
}

/** A short name that fits several earlier names equally; offsets relative to its piece. */
interface Ambiguity {
  start: number;
  end: number;
  text: string;
  names: string[];
}

/** A piece after coreference: its mentions with short names joined to full names (coreference mentions added), in text order. */
export interface ResolvedPiece {
  mentions: Mention[];
  ambiguities: Ambiguity[];
}

/** What a piece says of its persons: each once, in order of first mention, with its fullest name; and who its lead paragraph names. */
interface PieceSummary {
  persons: { key: string; name: string; id: string | null; first: number }[];
  /** The persons named in its first paragraph that names any (null when it names none). */
  lead: Set<string> | null;
}

/** A piece's resolution, and what it depends on besides the tables: the counts it weighed (ties are settled by them). */
interface PieceResolution {
  resolved: ResolvedPiece;
  /** A person for each mention it counted. */
  counted: Person[];
  /** The persons whose counts it compared, and their counts where the piece starts. */
  weighed: Person[];
  weighedCounts: number[];
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
  return (offset) => lineAt(starts, offset);
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
  const resolved = resolveMentions(doc, mentions, registry);
  return { ...resolved, entities: entitiesOf(doc, resolved.mentions, registry, context) };
}

/** The mentions with short names joined to their full names (and coreference mentions added), in text order; ties flagged. */
export function resolveMentions(doc: ProseDocument, mentions: Mention[], registry: Registry | null): { mentions: Mention[]; problems: Problem[] } {
  const sorted = [...mentions].sort((a, b) => a.start - b.start);
  const runs = sorted.some((m) => m.type === 'person') ? nameRuns(doc.prose, tokenize(doc.prose, [], doc.text), sorted) : [];
  const piece: Piece = { at: 0, end: doc.text.length, firstBlock: 0, mentions: sorted, runs, key: {} };
  const [resolved] = new Coreference().resolve(doc, [piece], registry, Edit.whole(doc.text.length));
  return { mentions: resolved.mentions, problems: ambiguityProblems(doc.text, [piece], [resolved]) };
}

/** The problems of the ambiguous short names of resolved pieces. */
export function ambiguityProblems(text: string, pieces: readonly Piece[], resolved: readonly ResolvedPiece[]): Problem[] {
  let lines: LineIndex | undefined;
  const problems: Problem[] = [];
  resolved.forEach((r, i) => {
    const at = pieces[i].at;
    for (const a of r.ambiguities) {
      lines ??= new LineIndex(text);
      problems.push({
        severity: 'warning',
        rule: 'entity/ambiguous',
        message: `Unexpected ambiguous short name "${a.text}", expected one of: ${a.names.join(', ')}`,
        start: lines.positionAt(a.start + at),
        end: lines.positionAt(a.end + at),
        span: { start: a.start + at, end: a.end + at },
      });
    }
  });
  return problems;
}

/** The document's entities from its resolved mentions (see resolveMentions). */
export function entitiesOf(doc: ProseDocument, mentions: readonly Mention[], registry: Registry | null, context: ResolveContext = {}): DocEntity[] {
  return buildEntities(mentions, registry, context.countryBefore ?? ((offset: number) => countryBefore(doc.prose, offset)));
}

/**
 * Coreference over a document read as pieces, kept between scans of one document. The persons and
 * the short forms they answer to are tables of the whole document; each piece is then read in order
 * with the persons' mention counts so far. A piece's reading is kept while it is where it was (the
 * edit left it in the unchanged head or tail), none of the persons and forms it looked up changed,
 * and the counts it compared are the same: then it is what a reading of the whole document gives.
 */
export class Coreference {
  private persons = new Map<string, Person>();
  private readonly forms = new Map<string, FormEntry>();
  private readonly summaries = new WeakMap<object, PieceSummary>();
  private readonly resolutions = new WeakMap<object, PieceResolution>();

  resolve(doc: ProseDocument, pieces: readonly Piece[], registry: Registry | null, edit: Edit): ResolvedPiece[] {
    let paragraphs: ((offset: number) => number) | undefined;
    const paragraphOf = (offset: number): number => (paragraphs ??= paragraphIndex(doc))(offset);
    const changed = this.update(pieces.map((p) => this.summaryOf(p, registry, paragraphOf)), pieces, edit);
    for (const p of this.persons.values()) p.count = 0;
    return pieces.map((piece) => {
      let r = this.resolutions.get(piece.key);
      const kept = r && edit.previous(piece.at, piece.end) >= 0 && r.weighed.every((p, i) => p.count === r!.weighedCounts[i]) &&
        !(changed.keys.size + changed.forms.size > 0 && this.dependsOn(piece, changed));
      if (kept) for (const p of r!.counted) p.count++;
      else this.resolutions.set(piece.key, (r = this.read(doc, piece, paragraphOf)));
      return r!.resolved;
    });
  }

  /** What a piece says of its persons (see PieceSummary), read once per piece. */
  private summaryOf(piece: Piece, registry: Registry | null, paragraphOf: (offset: number) => number): PieceSummary {
    let summary = this.summaries.get(piece.key);
    if (summary) return summary;
    summary = { persons: [], lead: null };
    const byKey = new Map<string, PieceSummary['persons'][number]>();
    let leadParagraph = -1;
    for (const m of piece.mentions) {
      if (m.type !== 'person') continue;
      const name = (m.id && registry?.byId.get(m.id)?.name) || bare(m.text);
      const p = byKey.get(m.entity);
      // The fullest name is the first with the most words.
      if (!p) byKey.set(m.entity, { key: m.entity, name, id: m.id, first: m.start });
      else if (name !== p.name && words(name) > words(p.name)) p.name = name;
      const paragraph = paragraphOf(piece.at + m.start);
      if (leadParagraph < 0) leadParagraph = paragraph;
      if (paragraph === leadParagraph) (summary.lead ??= new Set()).add(m.entity);
    }
    summary.persons = [...byKey.values()];
    this.summaries.set(piece.key, summary);
    return summary;
  }

  /**
   * Brings the tables up to date with this version's persons; answers which persons and forms
   * changed. A person whose first mention is where the edit was counts as changed: its place
   * among the others' may have moved.
   */
  private update(summaries: readonly PieceSummary[], pieces: readonly Piece[], edit: Edit): { keys: Set<string>; forms: Set<string> } {
    const now = new Map<string, { name: string; id: string | null; first: number }>();
    summaries.forEach((summary, i) => {
      for (const s of summary.persons) {
        const seen = now.get(s.key);
        if (!seen) now.set(s.key, { name: s.name, id: s.id, first: s.first + pieces[i].at });
        else if (s.name !== seen.name && words(s.name) > words(seen.name)) seen.name = s.name;
      }
    });
    const lead = summaries.find((s) => s.lead)?.lead;
    const keys = new Set<string>();
    const forms = new Set<string>();
    const changes = (p: Person): void => {
      keys.add(p.key);
      for (const f of p.forms) forms.add(f);
    };
    const persons = new Map<string, Person>();
    for (const [key, s] of now) {
      const inLead = lead?.has(key) ?? false;
      let p = this.persons.get(key);
      if (!p || p.name !== s.name) {
        if (p) changes(p);
        const { key: keyForm, short } = nameForms(s.name);
        p = { key, name: s.name, id: s.id, first: s.first, inLead, short: false, keyForm, forms: short, count: 0 };
        changes(p);
      } else if (p.id !== s.id || p.inLead !== inLead || edit.previous(s.first, s.first + 1) !== p.first) {
        Object.assign(p, { id: s.id, inLead });
        changes(p);
      }
      p.first = s.first;
      persons.set(key, p);
    }
    for (const [key, p] of this.persons) if (!persons.has(key)) changes(p);
    this.persons = persons;

    // Who has each changed form, in order of first mention.
    const entries = new Map<string, Person[]>([...forms].map((f) => [f, []]));
    for (const p of persons.values()) for (const f of p.forms) entries.get(f)?.push(p);
    for (const [f, list] of entries) {
      if (list.length > 0) this.forms.set(f, { persons: list, fits: [] });
      else this.forms.delete(f);
    }
    // A person known by a short form of another's name is a reference to it, not a person of its own.
    for (const p of persons.values()) {
      if (!keys.has(p.key) && !forms.has(p.keyForm)) continue;
      // Of two names in either order, the later one refers to the earlier.
      const short = (this.forms.get(p.keyForm)?.persons ?? []).some((q) => q !== p && (words(q.name) > words(p.name) || q.first < p.first));
      if (short === p.short) continue;
      p.short = short;
      changes(p);
    }
    for (const f of forms) {
      const entry = this.forms.get(f);
      if (entry) entry.fits = entry.persons.filter((p) => !p.short);
    }
    return { keys, forms };
  }

  private dependsOn(piece: Piece, changed: { keys: Set<string>; forms: Set<string> }): boolean {
    for (const m of piece.mentions) {
      if (m.type === 'person' && (changed.keys.has(m.entity) || changed.forms.has(this.persons.get(m.entity)!.keyForm))) return true;
    }
    return piece.runs.some((r) => changed.forms.has(r.form));
  }

  /** Reads a piece in order, so that "earlier", "more mentions so far" and "nearer" mean what they say. */
  private read(doc: ProseDocument, piece: Piece, paragraphOf: (offset: number) => number): PieceResolution {
    const { at } = piece;
    const counted: Person[] = [];
    const weighed: Person[] = [];
    const weighedCounts: number[] = [];
    const raised = new Map<Person, number>();
    // Paragraphs before the piece's are none of its own: only those inside it are compared.
    const lastBlock = new Map<Person, number>();
    const count = (p: Person, offset: number): void => {
      p.count++;
      counted.push(p);
      raised.set(p, (raised.get(p) ?? 0) + 1);
      lastBlock.set(p, paragraphOf(at + offset));
    };

    type Step = { at: number; person?: Person; reference?: Reference };
    const mentionSteps: Step[] = [];
    const references: Step[] = [];
    for (const m of piece.mentions) {
      if (m.type !== 'person') continue;
      const p = this.persons.get(m.entity)!;
      if (!p.short || m.id) mentionSteps.push({ at: m.start, person: p });
      else references.push({ at: m.start, reference: { start: m.start, end: m.end, form: p.keyForm, mention: m } });
    }
    for (const run of piece.runs) if (this.forms.has(run.form)) references.push({ at: run.start, reference: run });
    const steps = mentionSteps.concat(references).sort((a, b) => a.at - b.at);

    const resolved = new Map<Mention, Mention>();
    const added: Mention[] = [];
    const ambiguities: Ambiguity[] = [];
    for (const step of steps) {
      if (step.person) {
        count(step.person, step.at);
        continue;
      }
      const ref = step.reference!;
      const fits = this.forms.get(ref.form)?.fits ?? [];
      const earlier = fits.filter((p) => p.first < ref.start + at);
      // A headline may use the short name before the body gives the full one: accept a unique later name.
      const pool = earlier.length > 0 ? earlier : fits.length === 1 ? fits : [];
      if (pool.length === 0) continue;
      if (pool.length > 1) {
        for (const p of pool) {
          if (weighed.includes(p)) continue;
          weighed.push(p);
          weighedCounts.push(p.count - (raised.get(p) ?? 0));
        }
      }
      const paragraph = paragraphOf(at + ref.start);
      const choice = choose(pool, (p) => lastBlock.get(p) === paragraph);
      const text = doc.text.slice(at + ref.start, at + ref.end);
      const base = ref.mention ?? { start: ref.start, end: ref.end, text, type: 'person' as EntityType, source: 'coreference' as const };
      let mention: Mention;
      if (choice) {
        count(choice, ref.start);
        mention = { ...base, id: choice.id, entity: choice.key };
      } else {
        mention = { ...base, id: null, entity: `person:${text}`, candidates: pool.map((p) => p.key) };
        ambiguities.push({ start: ref.start, end: ref.end, text, names: pool.map((p) => p.name) });
      }
      if (ref.mention) resolved.set(ref.mention, mention);
      else added.push(mention);
    }
    const all = resolved.size > 0 ? piece.mentions.map((m) => resolved.get(m) ?? m) : [...piece.mentions];
    const mentions = added.length > 0 ? all.concat(added).sort((a, b) => a.start - b.start) : all;
    return { resolved: { mentions, ambiguities }, counted, weighed, weighedCounts };
  }
}

const words = (name: string): number => name.split(/\s+/).length;

/** The more salient candidate (mentions so far, principal of the lead), else the one in this paragraph; null on a real tie. */
function choose(pool: Person[], inParagraph: (p: Person) => boolean): Person | null {
  const score = (p: Person) => p.count + (p.inLead ? LEAD_BONUS : 0);
  const ranked = [...pool].sort((a, b) => score(b) - score(a));
  if (ranked.length === 1 || score(ranked[0]) > score(ranked[1])) return ranked[0];
  const tied = ranked.filter((p) => score(p) === score(ranked[0]));
  const near = tied.filter(inParagraph);
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
    // A run is of name words, or all of words in capitals ("TOURAY:" in a transcript), read as title-cased.
    const capitals = !isNameWord(tokens[i]) && isCapitalsNameWord(tokens[i]);
    const isName = capitals ? isCapitalsNameWord : isNameWord;
    if (!isName(tokens[i]) || !isFree(tokens[i])) continue;
    // The run of name words this token starts must be the short name itself, not part of an unknown longer name.
    let end = i + 1;
    while (end < tokens.length && end - i < MAX_FORM_TOKENS && !tokens[end - 1].possessive && joined(tokens[end - 1], tokens[end]) && isFree(tokens[end]) && isName(tokens[end])) end++;
    const prev = tokens[i - 1];
    if (prev && joined(prev, tokens[i]) && isName(prev) && !isTitleHead(prev) && !isHonorific(prev) && isFree(prev)) {
      i = end - 1;
      continue;
    }
    const next = tokens[end];
    const runEnds = !next || tokens[end - 1].possessive || !joined(tokens[end - 1], next) || !isName(next) || !isFree(next);
    const written = phrase(prose, tokens, i, end - 1);
    if (runEnds) out.push({ start: tokens[i].start, end: tokens[end - 1].end, form: formKey(capitals ? titleCased(written) : written) });
    i = end - 1;
  }
  return out;
}

/** "TAE-YUL CHO" → "Tae-yul Cho": each word's first letter kept, the rest in lower case. */
function titleCased(written: string): string {
  return written.replace(/\S+/g, (w) => w[0] + w.slice(1).toLowerCase());
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
  // Read word by word from the end: the walk back mostly stops within a few words of the mention.
  let right: string | undefined;
  let token = tokenBefore(before, before.length);
  while (token) {
    const left = tokenBefore(before, token.start);
    const word = token.text;
    const possessive = /['’]s$/.test(word);
    const base = possessive ? word.slice(0, -2) : word;
    const demonym = demonymCountry(`${left?.text ?? ''} ${base}`) ?? demonymCountry(base);
    if (demonym) return demonym;
    // "China’s Ministry …", or a country used as an adjective before a title: "UAE Minister of State X".
    if (isCountry(base) && (possessive || /^\p{Lu}/u.test(right ?? ''))) return placeCode(base) || undefined;
    const glue = QUALIFIER_GLUE.has(word.toLowerCase()) || /^\p{Lu}/u.test(word) || (word === ',' && /^counterparts?$/i.test(left?.text ?? ''));
    if (!glue) return undefined;
    right = word;
    token = left;
  }
  return undefined;
}

const WORD_CHAR = /^[\p{L}\p{M}'’-]$/u;
const SPACE = /^\s$/u;

/**
 * The token of `text` that ends last before `end`, whitespace skipped: a run of letters, marks,
 * apostrophes and hyphens, or any other single character (a code point). Read backwards, the
 * tokens are those of a left-to-right /[\p{L}\p{M}'’-]+|[^\s\p{L}\p{M}]/gu.
 */
function tokenBefore(text: string, end: number): { start: number; text: string } | null {
  let at = end;
  while (at > 0 && isBefore(text, at, SPACE)) at -= widthBefore(text, at);
  if (at === 0) return null;
  let start = at - widthBefore(text, at);
  if (isBefore(text, at, WORD_CHAR)) {
    while (start > 0 && isBefore(text, start, WORD_CHAR)) start -= widthBefore(text, start);
  }
  return { start, text: text.slice(start, at) };
}

/** Is the code point that ends at `at` of `kind` (WORD_CHAR or SPACE)? ASCII is answered without a regex. */
function isBefore(text: string, at: number, kind: RegExp): boolean {
  const c = text.charCodeAt(at - 1);
  if (c >= 128) return kind.test(text.slice(at - widthBefore(text, at), at));
  if (kind === SPACE) return c === 32 || (c >= 9 && c <= 13);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 39 || c === 45;
}

/** Length of the code point that ends at `at`: 2 for a surrogate pair, else 1 (a lone surrogate is one). */
function widthBefore(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xdc00 && c <= 0xdfff && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800 ? 2 : 1;
}
