// Commitments: sentences (or list items) in which the parties agree, pledge, sign, invite, offer,
// announce, decide, request or fix a meeting. Cues are verbs in their frame ("agreed to",
// "reached consensus on", "invited X to"), never "will" alone, which over-codes badly; negated,
// speculative, conditional, historical and quoted statements are left out.
import { isCountry } from './gazetteer';
import { Memo } from './memo';
import { LineIndex } from './positions';
import { findDue, findRecurrence, type DueDate, type Recurrence } from './temporal';
import type { Commitment, CommitmentKind, DocEntity, Mention, ProseBlock, ProseDocument, Sentence } from './types';

interface CuePattern {
  kind: CommitmentKind;
  pattern: RegExp;
  /** Lower-case words one of which every match holds: a sentence without any is not searched. */
  words: readonly string[];
  /** Where the action starts: after the cue, or the whole clause (passive "will be held"). */
  action: 'after' | 'clause';
  /** Verb put before the action when the cue itself is the verb ("invite", "sign"). */
  prefix?: string;
  /** Meetings and mechanisms count only with a time (due or recurrence) or as "the next …". */
  needsTime?: boolean;
  /** Counts only right after a named entity ("China will provide …"). */
  namedSubject?: boolean;
}

interface Cue {
  kind: CommitmentKind;
  start: number;
  end: number;
  pattern: CuePattern;
}

interface Time {
  due: DueDate | null;
  recurrence: Recurrence | null;
}

interface Actors {
  keys: string[];
  names: string[];
}

interface LeadIn {
  kind: CommitmentKind;
  actors: Actors;
  time: Time;
  depth: number;
  block: number;
}

const PRINCIPAL_NOUNS = 'sides|countries|nations|states|parties|governments|ministers|leaders|presidents|delegations|heads\\s+of\\s+state';
const AGREEMENT_NOUNS = '(?:agreements?|memorand(?:um|a)|MoUs?|accords?|protocols?|treat(?:y|ies)|contracts?|deals?|declarations?|frameworks?|letters?\\s+of\\s+intent|documents|pacts?|roadmaps?|exchanges?\\s+of\\s+notes|charters?|conventions?|arrangements?)';
const MEETING_VERBS = '(?:meet|convene|reconvene|resume|hold|host|co-host|organi[sz]e)';
/** "will", "shall", and the arranged future "is to" / "are to". */
const FUTURE = '(?:will|shall|would|(?:is|are)\\s+to)';
/** When the agreement was made, said between the verb and its object ("agreed on Wednesday to …"): not part of the action. */
const WHEN_SAID = '(?:\\s+(?:on|late|early|earlier|last|this)?\\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|tonight)(?:\\s+(?:morning|afternoon|evening|night))?,?)?';

const CUES: CuePattern[] = [
  { kind: 'consensus', action: 'after', words: ['consensus'], pattern: new RegExp(`\\b(?:reached|reach|reaches|arrived\\s+at|forged)${WHEN_SAID}\\s+(?:an?\\s+|the\\s+)?(?:[\\w-]+\\s+){0,2}?consensus\\s+(?:on|to|that|regarding|over|about)\\s+`, 'gi') },
  { kind: 'consensus', action: 'after', words: ['consensus'], pattern: /\bconsensus\s+was\s+reached\s+(?:on|to|that|regarding)\s+/gi },
  { kind: 'agree', action: 'after', words: ['reach'], pattern: /\b(?:reached|reach|reaches)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:agreement|understanding)\s+(?:on|to|that|regarding|over)\s+/gi },
  // "agreed with the AU that …": the partner named between the verb and what was agreed.
  { kind: 'agree', action: 'after', words: ['agree', 'concur'], pattern: new RegExp(`\\b(?:agree(?:d|s)?|concur(?:red|s)?)${WHEN_SAID}(?:\\s+with\\s+(?:the\\s+)?[A-Z][^\\s.;:,]*(?:\\s+[A-Z][^\\s.;:,]*){0,4})?(?:\\s+in\\s+principle)?(?:\\s+(?:to|on|upon|that)\\s+|(?:\\s+(?:to|on|upon))?(?=\\s*:))`, 'gi') },
  { kind: 'agree', action: 'after', words: ['invitation'], pattern: /\baccepted\s+(?:an?\s+|the\s+|his\s+|her\s+|their\s+)?invitation\s+to\s+/gi },
  // An agreement named as a noun, reported by anyone: "welcomed the agreement to establish an observer programme".
  { kind: 'agree', action: 'after', words: ['agreement', 'deal', 'accord', 'understanding'], pattern: /\b(?:the|an?|their|its|this|that)\s+(?:[\w-]+\s+){0,2}?(?:agreement|deal|accord|understanding)\s+to\s+(?!(?:the|a|an|this|that|these|those|its|their|his|her|our|be)\b)(?=[a-z])/gi },
  { kind: 'pledge', action: 'after', words: ['pledge', 'promis', 'vow', 'undert', 'commit'], pattern: new RegExp(`\\b(?:pledged?|pledges|promised?|promises|vowed?|vows|undert(?:ook|akes?)|commit(?:ted|s)?(?:\\s+(?:themselves|itself|himself|herself|ourselves))?)${WHEN_SAID}\\s+to(?:\\s+|(?=\\s*:))`, 'gi') },
  // "reaffirmed their commitment to coordinate approaches": a verb with an object, not "commitment to peace".
  { kind: 'pledge', action: 'after', words: ['commitment'], pattern: /\b(?:their|its|his|her|our|a|the|joint)\s+(?:[\w-]+\s+)?commitment\s+to\s+(?!(?:the|a|an|this|that|these|those|its|their|his|her|our|be)\b)(?=[a-z]+\s+(?:the|a|an|their|its|our|all|[a-z]+s|[a-z]+ion)\b)/gi },
  { kind: 'pledge', action: 'after', words: ['pledged', 'vowed'], pattern: /\b(?:pledged|vowed)\s+(?!to\b)/gi },
  { kind: 'sign', action: 'after', prefix: 'sign ', words: ['sign', 'inked'], pattern: new RegExp(`\\b(?:signed|inked|signs?|signing(?:\\s+of)?)\\s+(?=(?:[^\\s.;:]+\\s+){0,6}?${AGREEMENT_NOUNS}\\b)`, 'gi') },
  // "A memorandum on mining was also signed": the agreement named before the passive verb.
  { kind: 'sign', action: 'clause', words: ['signed'], pattern: new RegExp(`\\b${AGREEMENT_NOUNS}\\b[^.;:]{0,120}?\\b(?:was|were|has\\s+been|have\\s+been)\\s+(?:also\\s+|jointly\\s+)?signed\\b`, 'gi') },
  { kind: 'sign', action: 'after', prefix: 'sign ', words: ['exchanged'], pattern: new RegExp(`\\bexchanged\\s+(?=(?:[^\\s.;:]+\\s+){0,2}?${AGREEMENT_NOUNS}\\b)`, 'gi') },
  { kind: 'decide', action: 'after', words: ['decide', 'resolve'], pattern: new RegExp(`\\b(?:decided|decides|decide|resolved|resolves)${WHEN_SAID}\\s+(?:(?:to|that)\\s+(?!remain\\b)|to(?=\\s*:))`, 'gi') },
  // "instructed their officials to prepare …", "tasked the secretariat with …": a decision others carry out.
  { kind: 'decide', action: 'after', words: ['instructed', 'tasked', 'directed', 'mandated'], pattern: /\b(?:instructed|tasked|directed|mandated)\s+(?=(?:the|their|its|his|her|our)\b[^.;:]{0,80}?\b(?:to|with)\s)/gi },
  { kind: 'invite', action: 'after', prefix: 'invite ', words: ['invite'], pattern: /\b(?:invited|invites|invite)\s+(?=[^.;:]{1,80}?\bto\b)/gi },
  { kind: 'invite', action: 'after', prefix: 'invite ', words: ['invitation'], pattern: /\b(?:extended|conveyed|delivered|renewed)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?invitation\s+(?:from\s+[^.;:]{1,80}?\s+)?to\s+/gi },
  { kind: 'offer', action: 'after', words: ['offer'], pattern: new RegExp(`\\b(?:offered|offers|offer)${WHEN_SAID}\\s+to\\s+`, 'gi') },
  { kind: 'offer', action: 'after', words: ['offered'], pattern: /\boffered\s+(?=(?:[\w’'-]+\s+){0,3}?(?:assistance|support|help|training|scholarships?|expertise|aid|facilities)\b)/gi },
  { kind: 'offer', action: 'after', words: ['readiness', 'willingness', 'preparedness'], pattern: /\b(?:readiness|willingness|preparedness)\s+to\s+/gi },
  { kind: 'offer', action: 'after', words: ['ready'], pattern: /\b(?:stands?|stood|is|are|was|were)\s+ready\s+to\s+/gi },
  { kind: 'announce', action: 'after', words: ['announce'], pattern: /\b(?:announced|announces|announce)\s+(?=[^.;]{0,120}?\b(?:establish|launch|creat|set(?:ting)?\s+up|open|formation|plans?\b|new\b|will\b))/gi },
  // "called on the President to discuss" is a courtesy call, not a request.
  { kind: 'request', action: 'after', words: ['request', 'called'], pattern: /\b(?:requested|requests|called\s+(?:on|upon))\s+(?=[^.;:]{1,100}?\bto\s+(?!discuss|exchange|review|convey|brief|pay|hold\s+talks)\w)/gi },
  { kind: 'meet', action: 'clause', needsTime: true, words: ['meet', 'convene', 'resume', 'hold', 'host', 'organi'], pattern: new RegExp(`\\b${FUTURE}\\s+(?:also\\s+|again\\s+|jointly\\s+)*${MEETING_VERBS}\\b`, 'gi') },
  { kind: 'meet', action: 'clause', needsTime: true, words: ['held', 'convened', 'hosted', 'organi', 'take'], pattern: new RegExp(`\\b${FUTURE}\\s+(?:also\\s+)?(?:be\\s+(?:held|convened|hosted|organi[sz]ed)|take\\s+place)\\b`, 'gi') },
  // A mechanism with a time: "a hotline will be established within 60 days".
  { kind: 'announce', action: 'clause', needsTime: true, words: ['will', 'shall', 'would'], pattern: /\b(?:will|shall|would)\s+be\s+(?:established|set\s+up|launched|created|opened|formed|convened|completed|implemented|finali[sz]ed|built|signed)\b/gi },
  { kind: 'meet', action: 'clause', needsTime: true, words: ['scheduled', 'slated', 'held'], pattern: /\b(?:scheduled|slated)\s+(?:to\s+(?:be\s+held|take\s+place|convene|meet)|for)\b|\bto\s+be\s+held\b/gi },
  // "both sides will …", "each Party shall …" + a concrete action (not "will discuss", "will remain" …)
  {
    kind: 'agree', action: 'after',
    words: ['will', 'shall'], pattern: new RegExp(`(?<=\\b(?:both|the\\s+two)\\s+(?:${PRINCIPAL_NOUNS})\\s+|\\bthe\\s+(?:contracting\\s+|high\\s+contracting\\s+)?parties\\s+|\\beach\\s+(?:party|side|member\\s+state)\\s+|\\bmember\\s+states\\s+)(?:will|shall)\\s+(?:also\\s+|further\\s+|jointly\\s+)*(?!(?:discuss|consider|explore|study|remain|be|look|continue|work|also|further|jointly)\\b)(?=[a-z])`, 'gi'),
  },
  // "China will provide …", "Pakistan would send …": a named party and a concrete deed.
  {
    kind: 'pledge', action: 'after', namedSubject: true,
    words: ['will', 'would', 'shall'], pattern: /\b(?:will|would|shall)\s+(?:also\s+|further\s+)?(?=(?:provide|supply|donate|contribute|allocate|disburse|fund|finance|build|construct|establish|set\s+up|open|launch|deploy|send|train|grant|extend|invest|deliver|dispatch|upgrade)\b)/gi,
  },
];

/**
 * Where a sentence can hold two commitments: "…, while the ministers will meet annually". A second
 * verb of the same subject (", and invited …": group 1) parts only two clauses that both state a time.
 */
const CLAUSE_BOUNDARY = /;\s*|,\s+(?:while|whereas|but)\s+|\s+while\s+|,\s+and\s+(?=(?:the|both|they|he|she|we)\b|[A-Z])|(,\s+and\s+)(?=(?:also\s+)?[a-z]+ed\s)/g;
const NEGATED = /\b(?:not|never|no\s+longer|failed\s+to|refused\s+to|declined\s+to|unable\s+to|yet\s+to)\s+(?:[\w-]+\s+)?$|n['’]t\s+(?:[\w-]+\s+)?$|\b(?:neither|no)\s+(?:side|party|country|one|agreement|consensus)\s+(?:[\w-]+\s+)?$/i;
const HYPOTHETICAL = /\b(?:if|unless|whether|could|might|would\s+have|should|expects?|expected|likely|unlikely|hopes?|hoped|hoping|aims?\s+to|observers|analysts|experts|commentators|critics|speculat\w*|predict\w*|possibly|perhaps|rumou?r\w*|reportedly)\b/i;
/** Lower-case only: "May" is also a month. */
const MAY = /\bmay\b/;
const HISTORICAL = /\b(?:previously|formerly|ago|in\s+the\s+past|earlier\s+(?:this|last|in)|last\s+(?:year|month|week|time))\b|\bhad\s+(?:already\s+|earlier\s+)?$/i;
const REAFFIRMED = /\bremain(?:s|ed)?\s+(?:fully\s+|firmly\s+|deeply\s+)?$/i;
const PAST_YEAR = /\b(?:in|since|of)\s+((?:19|20)\d{2})\b/g;
const LAST_PERIOD = /\blast\s+(?:year|month|week)\b/i;
const NEXT_MEETING = /\bnext\s+(?:[\w-]+\s+){0,2}?(?:meeting|round|session|summit|edition|dialogue|consultations?|talks)\b/i;
/** Where an action ends: a new clause, an attribution (", the minister said") or a second verb of the same subject ("… and conveyed …"). */
const ACTION_END = /[;:]|,\s+(?:while|whereas|but|which|who|at\s+an?|during|on\s+the\s+sidelines\s+of|following|[a-z]+ed\s+by)\b|,\s+and\s+(?:also\s+)?[a-z]+ed\b|,\s+(?:[^,;]{0,80}?\s)?(?:said|announced|told|added|stated)\b|\s+while\s+|\s+and\s+(?:said|added|noted|conveyed|thanked|expressed|hosted|praised|welcomed|described|briefed|emphasi[sz]ed|stressed|underlined|reiterated)\b/;
const PREPOSITION_BEFORE = /\b(?:of|in|at|to|from|with|for|on|by|during|after|before|about|under|between|among|into|towards?|than|like|including)\s+(?:the\s+)?$/i;
const INTRO_WORDS = new Set([
  'according', 'during', 'in', 'on', 'at', 'after', 'before', 'following', 'meanwhile', 'additionally', 'also',
  'furthermore', 'moreover', 'however', 'separately', 'earlier', 'later', 'today', 'yesterday', 'under', 'with',
  'for', 'as', 'by', 'through', 'to', 'finally', 'first', 'second', 'third', 'besides', 'likewise', 'similarly',
]);
/** "the three ministers": how many principals a plural subject names (two when it does not say). */
const PRINCIPAL_COUNTS: Record<string, number> = { three: 3, four: 4, five: 5 };
const MAX_PRINCIPALS = 5;
const PRINCIPAL_SUBJECT = new RegExp(`^(?:(?:both|the\\s+two)\\s+(?:[\\w-]+\\s+)?(${PRINCIPAL_NOUNS})|the\\s+(?:[\\w-]+\\s+){0,2}?(${PRINCIPAL_NOUNS})|(they|we))\\b`, 'i');
/** "AMMAN —", "*Nairobi, March 14* —": a place and date before a dash, no lowercase words. */
const DATELINE = /^[^—–\n]{1,80}?\s[—–]\s*/;
/** What only the parties together do: "it was agreed that …" is theirs. */
const JOINT_KINDS = new Set<CommitmentKind>(['agree', 'consensus', 'decide', 'sign']);
/** "agreed that …" commits only to what will or should happen, not to a shared opinion. */
const MODAL = /\b(?:will|would|shall|should|must|(?:is|are)\s+to)\b/i;
const REPORTING = /^[^,;]{1,80}?\b(?:said|says|stated|noted|added|stressed|emphasi[sz]ed|underlined|confirmed|explained|told\s+(?:reporters|journalists|the\s+[\w-]+))\s+(?:on\s+\w+\s+)?(?:that\s+)?(?=\S)/;
const PLACE_NOUNS = /^(?:countries|nations|states|governments)$/i;
const TITLE_GAP = /^(?:\s*(?:[A-Z\p{Lu}][\p{L}’'.-]*|the|of|and|for|&|-))*\s*$/u;
/** Between two parties: "and", a comma, "and the", after an acronym in brackets ("X (KRA) and the Y"). */
const JOINER = /^\s*(?:\([^()]{1,20}\)\s*)?(?:,\s*(?:and\s+)?|and\s+|&\s*)(?:the\s+)?$/;
/** "Foreign ministers of the Arab League", "the Government of Indonesia": the party named after "of" acts. */
const MEMBERS_OF = /^(?:the\s+)?(?:[\p{L}-]+\s+){0,2}?(?:ministers|leaders|members|member\s+states|heads\s+of\s+(?:state|government)|representatives|delegates|delegations|government)\s+of\s+(?:the\s+)?$/iu;
/** "’s Minister of Investment, Industry and Trade ": a possessive country's title, commas and "for" inside it, before the person who acts. */
const POSSESSIVE_TITLE = /^[’']s\s+(?:[A-Z\p{Lu}][\p{L}’'.-]*,?\s+|of\s+|and\s+|the\s+|for\s+)*$/u;

/** Blanks quoted speech ("…", “…”) so rhetoric in quotes gives no cue; offsets are kept. */
function maskQuotes(text: string): string {
  const closers: Record<string, string> = { '“': '”', '"': '"' };
  const unclosed = new Set<string>();
  let masked = '';
  let done = 0;
  const opener = /[“"]/g;
  for (let m = opener.exec(text); m; m = opener.exec(text)) {
    // Once a quote mark has no closer, no later one of its kind has: each scan runs once.
    const close = unclosed.has(m[0]) ? -1 : text.indexOf(closers[m[0]], m.index + 1);
    if (close < 0) {
      unclosed.add(m[0]);
      continue;
    }
    masked += text.slice(done, m.index) + ' '.repeat(close + 1 - m.index);
    done = close + 1;
    opener.lastIndex = done;
  }
  return masked + text.slice(done);
}

/** Every cue pattern with the words that let a sentence through to it: exported for the tests' check that the words never hide a match. */
export const CUE_GATES: ReadonlyArray<readonly [readonly string[], RegExp]> = CUES.map((c) => [c.words, c.pattern] as const);

function findCues(text: string): Cue[] {
  // The patterns match ASCII letters only as ASCII letters, which lower-case alike wherever they stand.
  const lower = text.toLowerCase();
  const found: Cue[] = [];
  for (const pattern of CUES) {
    if (!pattern.words.some((w) => lower.includes(w))) continue;
    pattern.pattern.lastIndex = 0;
    for (let m = pattern.pattern.exec(text); m; m = pattern.pattern.exec(text)) {
      found.push({ kind: pattern.kind, start: m.index, end: m.index + m[0].length, pattern });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  // Of overlapping cues the earliest (then longest) stands.
  let reached = 0;
  return found.filter((c) => {
    if (c.start < reached) return false;
    reached = c.end;
    return true;
  });
}

/** Clause spans [start, end) of a sentence, offsets relative to it; `verb` when it opens on a second verb. */
function clausesOf(text: string): Array<{ start: number; end: number; verb: boolean }> {
  const clauses: Array<{ start: number; end: number; verb: boolean }> = [];
  let start = 0;
  let verb = false;
  CLAUSE_BOUNDARY.lastIndex = 0;
  for (let m = CLAUSE_BOUNDARY.exec(text); m; m = CLAUSE_BOUNDARY.exec(text)) {
    clauses.push({ start, end: m.index, verb });
    start = m.index + m[0].length;
    verb = m[1] !== undefined;
  }
  clauses.push({ start, end: text.length, verb });
  return clauses;
}

/** The time a text states, each part read when first asked for: most clauses are asked for neither. */
class TimeOf implements Time {
  private foundDue: DueDate | null | undefined;
  private foundRecurrence: Recurrence | null | undefined;

  constructor(private readonly text: string, private readonly articleDate: string | null) {}

  get due(): DueDate | null {
    if (this.foundDue === undefined) this.foundDue = findDue(this.text, this.articleDate);
    return this.foundDue;
  }

  get recurrence(): Recurrence | null {
    if (this.foundRecurrence === undefined) this.foundRecurrence = findRecurrence(this.text);
    return this.foundRecurrence;
  }
}

const hasTime = (t: Time): boolean => t.due !== null || t.recurrence !== null;
const sameTime = (a: Time, b: Time): boolean =>
  a.due?.due === b.due?.due && a.recurrence?.recurrence === b.recurrence?.recurrence;

/** True when what precedes a cue makes it no commitment (negated, hypothetical, earlier …). */
function isDiscounted(clause: string, cueAt: number): boolean {
  // Bounded: what discounts a cue is said just before it.
  const before = clause.slice(Math.max(0, cueAt - 250), cueAt);
  const near = before.slice(-40);
  return NEGATED.test(near) || REAFFIRMED.test(near) || HYPOTHETICAL.test(before) || MAY.test(before) || HISTORICAL.test(before);
}

/** "signed in 2019", "agreed last year": a past time and nothing due after the article. */
function isHistory(clause: string, time: Time, articleDate: string | null): boolean {
  if (!articleDate) return false;
  const articleYear = Number(articleDate.slice(0, 4));
  const past = LAST_PERIOD.test(clause) || [...clause.matchAll(PAST_YEAR)].some((m) => Number(m[1]) < articleYear);
  return past && time.due === null;
}

/**
 * The parties of a document when it says "both sides", "the two ministers" or "they": the persons
 * the lead paragraph names (the principals a report opens with), then the most mentioned (earliest
 * first on a tie); or places for "both countries".
 */
function principalsOf(entities: DocEntity[], doc: ProseDocument): Principals {
  const lead = leadBlockPersons(entities, doc);
  const top = (type: DocEntity['type'], among = entities): DocEntity[] =>
    among
      .filter((e) => e.type === type && e.mentions.length > 0)
      .sort((a, b) => Number(lead.has(b)) - Number(lead.has(a)) || b.mentions.length - a.mentions.length || a.mentions[0].start - b.mentions[0].start)
      .slice(0, MAX_PRINCIPALS);
  // "Both countries" means countries: cities and regions only when fewer than two countries are named.
  const countries = entities.filter((e) => e.type === 'place' && isCountry(e.name));
  return { persons: top('person'), places: countries.length >= 2 ? top('place', countries) : top('place'), lead: Math.min(lead.size, MAX_PRINCIPALS) };
}

interface Principals {
  persons: DocEntity[];
  places: DocEntity[];
  /** How many persons the lead block names: "the ministers", with no number, are all of them. */
  lead: number;
}

/** The persons named in the first block (paragraph, list item …) that names any person. */
function leadBlockPersons(entities: DocEntity[], doc: ProseDocument): Set<DocEntity> {
  let start = Infinity;
  let entity: DocEntity | null = null;
  for (const e of entities) {
    if (e.type !== 'person') continue;
    for (const m of e.mentions) {
      if (m.start < start) [start, entity] = [m.start, e];
    }
  }
  if (!entity) return new Set();
  const block = doc.blocks.find((b) => b.start <= start && start < b.end);
  if (!block) return new Set([entity]);
  return new Set(entities.filter((e) => e.type === 'person' && e.mentions.some((m) => m.start >= block.start && m.start < block.end)));
}

const toActors = (list: DocEntity[]): Actors => ({ keys: list.map((e) => e.key), names: list.map((e) => e.name) });

/** A sentence's words as commitments read them: quotes blanked, cues found. Memoised by the sentence's prose. */
interface SentenceReading {
  text: string;
  cues: Cue[];
  /** Plans by article date and the answers of the cues that need a named subject. */
  plans: Map<string, SentencePlan>;
  /** As a list item under a lead-in, by article date; null when discounted. */
  items: Map<string, ItemPlan | null>;
}

/** One commitment a sentence states, without its parties; offsets relative to the sentence. */
interface PlannedCommitment {
  start: number;
  end: number;
  kind: CommitmentKind;
  action: string;
  time: Time;
  /** Where its subject is looked for: the clause's start up to the cue. */
  subjectStart: number;
  subjectEnd: number;
  /** States the second verb of the sentence's subject: its doer is the speaker, when one reports. */
  secondVerb?: boolean;
}

/** What a sentence states, read from its words alone: the parties are found per scan. */
interface SentencePlan {
  commitments: PlannedCommitment[];
  /** The sentence introduces a list ("The two sides committed to:") instead of stating one. */
  leadIn: boolean;
}

interface ItemPlan {
  action: string;
  time: Time;
}

/** Memoised sentence readings, kept between the scans of one document (see memo.ts). */
export class CommitmentMemo {
  readonly readings = new Memo<SentenceReading>();
}

class CommitmentReader {
  private readonly prose: string;
  private readonly lines: LineIndex;
  private readonly byKey: Map<string, DocEntity>;
  private readonly mentions: Mention[];
  private readonly principals: Principals;
  /** The sentences read, and the last person named as a subject up to each (filled on demand). */
  private sentences: Sentence[] = [];
  private perBlock = new Map<number, number>();
  private readonly lastPersonAt: (DocEntity | null | undefined)[] = [];

  constructor(
    private readonly doc: ProseDocument,
    entities: DocEntity[],
    mentions: Mention[],
    private readonly articleDate: string | null,
    private readonly memo: CommitmentMemo,
  ) {
    this.prose = doc.prose;
    this.lines = new LineIndex(doc.text);
    this.byKey = new Map(entities.map((e) => [e.key, e]));
    this.mentions = [...mentions].sort((a, b) => a.start - b.start);
    this.principals = principalsOf(entities, doc);
  }

  read(sentences: Sentence[]): Commitment[] {
    this.sentences = sentences;
    for (const s of sentences) this.perBlock.set(s.block, (this.perBlock.get(s.block) ?? 0) + 1);
    const out: Commitment[] = [];
    let leadIn: LeadIn | null = null;
    let leadInItem = -1;
    sentences.forEach((sentence, index) => {
      const block = this.doc.blocks[sentence.block];
      if (!block || block.kind === 'heading' || block.kind === 'html') return;
      if (leadIn && sentence.block !== leadIn.block && !(block.kind === 'listItem' && block.listDepth > leadIn.depth) && !this.isLetteredItem(block)) leadIn = null;
      const whole = this.wholeOf(sentence)!;
      const reading = this.reading(whole);
      if (leadIn && sentence.block !== leadIn.block && reading.cues.length === 0) {
        if (leadInItem !== sentence.block) {
          leadInItem = sentence.block;
          const item = this.fromLeadIn(leadIn, block.kind === 'listItem' ? trimSpan(this.doc.text, block) : whole);
          if (item) out.push(item);
        }
        return;
      }
      if (reading.cues.length === 0) return;
      const found = this.fromSentence(index, whole, reading, leadIn);
      if (found.leadIn) {
        leadIn = { ...found.leadIn, depth: block.listDepth, block: sentence.block };
        leadInItem = -1;
      }
      out.push(...found.commitments);
    });
    return out;
  }

  /** A paragraph written as a list item: "a) Conclude …", "(ii) To hold …" (markdown reads no list there). */
  private isLetteredItem(block: ProseBlock): boolean {
    return block.kind === 'paragraph' && LETTERED_ITEM.test(this.doc.text.slice(block.start, block.start + 8));
  }

  /** The span a sentence is read as (the whole item for a one-sentence list item); null for headings and HTML. */
  private wholeOf(sentence: Sentence): { start: number; end: number } | null {
    const block = this.doc.blocks[sentence.block];
    if (!block || block.kind === 'heading' || block.kind === 'html') return null;
    return this.perBlock.get(sentence.block) === 1 && block.kind === 'listItem' ? trimSpan(this.doc.text, block) : trimSpan(this.doc.text, sentence);
  }

  private reading(span: { start: number; end: number }): SentenceReading {
    const prose = this.prose.slice(span.start, span.end);
    return this.memo.readings.get(prose, () => {
      const text = maskQuotes(prose);
      return { text, cues: findCues(text), plans: new Map(), items: new Map() };
    });
  }

  /**
   * The last person named as the subject of a sentence up to sentence `index`, for "he" and "she".
   * Found walking back and remembered, so each sentence's subject is read at most once per scan.
   */
  private lastPersonUpTo(index: number): DocEntity | null {
    const pending: number[] = [];
    let found: DocEntity | null = null;
    for (let j = index; j >= 0; j--) {
      const known = this.lastPersonAt[j];
      if (known !== undefined) {
        found = known;
        break;
      }
      pending.push(j);
      const own = this.subjectPersonOf(j);
      if (own) {
        found = own;
        break;
      }
    }
    for (const k of pending) this.lastPersonAt[k] = found;
    return found;
  }

  /** The person a sentence opens with as its subject (up to its first cue). */
  private subjectPersonOf(index: number): DocEntity | null {
    const whole = this.wholeOf(this.sentences[index]);
    if (!whole) return null;
    const reading = this.reading(whole);
    return this.subjectAt(whole.start, whole.start + (reading.cues[0]?.start ?? reading.text.length), index - 1).person;
  }

  /** One list item under "The two sides committed to:": the lead-in's kind and parties. */
  private fromLeadIn(leadIn: LeadIn, span: { start: number; end: number }): Commitment | null {
    const reading = this.reading(span);
    const key = this.articleDate ?? '';
    let plan = reading.items.get(key);
    if (plan === undefined) {
      const { text } = reading;
      const own = new TimeOf(text, this.articleDate);
      const discounted = isDiscounted(text, text.length) || isHistory(text, own, this.articleDate);
      plan = discounted ? null : { time: own, action: actionText(this.prose.slice(span.start, span.end), 0, span.end - span.start, own) };
      reading.items.set(key, plan);
    }
    if (!plan) return null;
    const time: Time = { due: plan.time.due ?? leadIn.time.due, recurrence: plan.time.recurrence ?? leadIn.time.recurrence };
    return this.commitment(span, leadIn.kind, leadIn.actors, plan.action, time);
  }

  private fromSentence(
    index: number,
    whole: { start: number; end: number },
    reading: SentenceReading,
    leadIn: LeadIn | null,
  ): { commitments: Commitment[]; leadIn?: Omit<LeadIn, 'depth' | 'block'> } {
    // Only "China will provide …" cues depend on the mentions around them: their answers are part of the key.
    const answers = reading.cues.map((c) => (c.pattern.namedSubject ? (this.followsMention(whole.start + c.start) ? '1' : '0') : '-')).join('');
    const key = `${this.articleDate ?? ''}\u0000${answers}`;
    let plan = reading.plans.get(key);
    if (!plan) {
      plan = planSentence(this.prose.slice(whole.start, whole.end), reading, this.articleDate, answers);
      reading.plans.set(key, plan);
    }
    const commitments = plan.commitments.map((p) => {
      const subject = this.subjectAt(whole.start + p.subjectStart, whole.start + p.subjectEnd, index);
      const actors = p.secondVerb && subject.person ? toActors([subject.person])
        : subject.actors.keys.length > 0 ? subject.actors
        : leadIn?.actors ?? (JOINT_KINDS.has(p.kind) ? this.principalActors('') : subject.actors);
      // The sentence without the dateline it opens with ("*Tashkent, March 4* — "): the quote starts at the words.
      const from = whole.start + p.start;
      const span = trimSpan(this.doc.text, { start: from + (p.start === 0 ? datelineLength(this.prose.slice(from, whole.start + p.end)) : 0), end: whole.start + p.end });
      return this.commitment(span, p.kind, actors, p.action, p.time);
    });
    if (plan.leadIn) {
      const only = commitments[0];
      return { commitments: [], leadIn: { kind: only.kind, actors: { keys: only.actorKeys, names: only.actors }, time: plan.commitments[0].time } };
    }
    return { commitments };
  }

  private commitment(span: { start: number; end: number }, kind: CommitmentKind, actors: Actors, action: string, time: Time): Commitment {
    const c: Commitment = {
      start: span.start,
      end: span.end,
      text: this.doc.text.slice(span.start, span.end),
      kind,
      actors: actors.names,
      actorKeys: actors.keys,
      action,
      due: time.due?.due ?? null,
      recurrence: time.recurrence?.recurrence ?? null,
      line: this.lines.positionAt(span.start).line,
    };
    if (time.due) c.dueText = time.due.text;
    if (time.recurrence) c.recurrenceText = time.recurrence.text;
    return c;
  }

  /** The principals a plural subject means: places for "countries", else persons when two are named. */
  private principalActors(noun: string, count = 2): Actors {
    const { persons, places } = this.principals;
    const preferPlaces = PLACE_NOUNS.test(noun) ? places.length >= 2 : persons.length < 2;
    return toActors((preferPlaces ? places : persons).slice(0, count));
  }

  /** True when an entity mention ends right before `offset` (only spaces between). */
  private followsMention(offset: number): boolean {
    const before = this.mentionsIn(Math.max(0, offset - 200), offset);
    const last = before[before.length - 1];
    return !!last && /^\s*$/.test(this.prose.slice(last.end, offset));
  }

  private mentionsIn(start: number, end: number): Mention[] {
    let lo = 0;
    let hi = this.mentions.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.mentions[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    const found: Mention[] = [];
    for (let i = lo; i < this.mentions.length && this.mentions[i].end <= end; i++) found.push(this.mentions[i]);
    return found;
  }

  /**
   * Who does what in [start, end): after any introductory phrase ("According to officials, "),
   * the principals for "both sides"/"they", the last person for "he"/"she", else the named
   * entities that open the clause ("Pakistan and China", "Interior Minister Mohsin Naqvi").
   */
  private subjectAt(start: number, end: number, upTo: number): { actors: Actors; person: DocEntity | null } {
    let from = start;
    for (let i = 0; i < 3; i++) {
      const intro = /^\s*([^,]{1,100}?),\s+/.exec(this.prose.slice(from, end));
      const first = intro ? /^[\p{L}’'-]+/u.exec(intro[1])?.[0].toLowerCase() ?? '' : '';
      if (!intro || !(INTRO_WORDS.has(first) || /(?:ing|ly)$/.test(first))) break;
      from += intro[0].length;
    }
    const head = this.prose.slice(from, end).trimStart();
    from = end - head.length + datelineLength(head);
    // "Cho said the ROK stands ready …": the reported subject acts, the speaker is the fallback.
    const reporting = REPORTING.exec(this.prose.slice(from, end));
    if (!reporting) return this.phraseSubject(from, end, upTo);
    const speaker = this.phraseSubject(from, from + reporting[0].length, upTo);
    const reported = this.phraseSubject(from + reporting[0].length, end, upTo);
    return { actors: reported.actors.keys.length > 0 ? reported.actors : speaker.actors, person: speaker.person ?? reported.person };
  }

  /** The subject a phrase opens with: a plural of the principals, "he"/"she", or named entities. */
  private phraseSubject(from: number, end: number, upTo: number): { actors: Actors; person: DocEntity | null } {
    const head = this.prose.slice(from, end).trimStart();
    const principal = PRINCIPAL_SUBJECT.exec(head);
    if (principal) {
      // "both sides", "the two ministers", "they": two; "the three leaders": three; "the ministers": the lead's persons.
      const counted = principal[1] !== undefined || principal[3] !== undefined;
      const count = PRINCIPAL_COUNTS[/^the\s+(\w+)/i.exec(principal[0])?.[1].toLowerCase() ?? ''] ?? (counted ? 2 : Math.max(2, this.principals.lead));
      return { actors: this.principalActors(principal[1] ?? principal[2] ?? '', count), person: null };
    }
    if (/^(?:he|she)\b/i.test(head)) {
      const last = upTo >= 0 ? this.lastPersonUpTo(upTo) : null;
      return { actors: toActors(last ? [last] : []), person: last };
    }

    const mentions = this.mentionsIn(from, end).filter((m) =>
      !PREPOSITION_BEFORE.test(this.prose.slice(Math.max(0, m.start - 25), m.start)) || MEMBERS_OF.test(this.prose.slice(from, m.start).trimStart()));
    if (mentions.length === 0) return { actors: toActors([]), person: null };
    const opening = TITLE_GAP.test(this.prose.slice(from, mentions[0].start));
    const chosen: Mention[] = [mentions[0]];
    for (const m of mentions.slice(1)) {
      const gap = this.prose.slice(chosen[chosen.length - 1].end, m.start);
      // An acronym in brackets restates the mention before it.
      if (/^\s*\($/.test(gap)) continue;
      if (JOINER.test(gap)) chosen.push(m);
      else if (m.type === 'person' && POSSESSIVE_TITLE.test(gap)) chosen[chosen.length - 1] = m;
      else break;
    }
    const entities = unique(chosen.map((m) => this.byKey.get(m.entity)).filter((e): e is DocEntity => !!e));
    const person = opening && entities[0]?.type === 'person' ? entities[0] : null;
    return { actors: toActors(entities), person };
  }
}

/** The commitments a sentence states, from its words; `answers` says which named-subject cues follow a mention ("1"). */
function planSentence(prose: string, reading: SentenceReading, articleDate: string | null, answers: string): SentencePlan {
  const { text, cues } = reading;
  interface Found { cue: Cue; clauseStart: number; clauseEnd: number; time: Time; verb: boolean }
  const found: Found[] = [];
  let next = 0;
  for (const clause of clausesOf(text)) {
    const inClause: number[] = [];
    while (next < cues.length && cues[next].start < clause.end) {
      if (cues[next].start >= clause.start) inClause.push(next);
      next++;
    }
    if (inClause.length === 0) continue;
    const clauseText = text.slice(clause.start, clause.end);
    const time = new TimeOf(clauseText, articleDate);
    if (isHistory(clauseText, time, articleDate)) continue;
    const chosen = inClause.find((n) => {
      const c = cues[n];
      return !isDiscounted(clauseText, c.start - clause.start) &&
        (!/\bthat\s*$/i.test(text.slice(c.start, c.end)) || MODAL.test(text.slice(c.end, Math.min(clause.end, c.end + 200)))) &&
        (!c.pattern.needsTime || hasTime(time) || NEXT_MEETING.test(clauseText)) &&
        (!c.pattern.namedSubject || answers[n] === '1');
    });
    if (chosen === undefined) continue;
    // "agreed to hold …, to speed up …, and to launch …": each infinitive (or "and that …") a deed of its own.
    const cue = cues[chosen];
    let partStart = clause.start;
    let partCue = cue;
    for (const next of continuationsOf(text, cue, clause.end)) {
      found.push({ cue: partCue, clauseStart: partStart, clauseEnd: next.boundary, time: partStart === clause.start && next.boundary === clause.end ? time : new TimeOf(text.slice(partStart, next.boundary), articleDate), verb: partStart === clause.start && clause.verb });
      partStart = next.start;
      partCue = { kind: cue.kind, start: next.start, end: next.end, pattern: cue.pattern };
    }
    const lastTime = partStart === clause.start ? time : new TimeOf(text.slice(partStart, clause.end), articleDate);
    found.push({ cue: partCue, clauseStart: partStart, clauseEnd: clause.end, time: lastTime, verb: partStart === clause.start && clause.verb });
  }
  if (found.length === 0) return { commitments: [], leadIn: false };

  // A later clause is a commitment of its own only when it states its own, different time.
  const groups: Found[][] = [];
  for (const f of found) {
    const last = groups[groups.length - 1];
    if (last && !(hasTime(f.time) && !sameTime(f.time, last[0].time) && (!f.verb || hasTime(last[0].time)))) last.push(f);
    else groups.push([f]);
  }
  const commitments = groups.map((group, i): PlannedCommitment => {
    const first = group[0];
    // A clause that is the whole sentence has read the sentence's time already.
    const whole = first.clauseStart === 0 && first.clauseEnd === text.length;
    const time = groups.length > 1 || whole ? first.time : new TimeOf(text, articleDate);
    // A passive or meeting clause is the action, without its reporter ("Tajani stressed that …").
    const reporter = first.cue.pattern.action === 'clause' ? REPORTING.exec(text.slice(first.clauseStart, first.cue.start)) : null;
    const actionStart = first.cue.pattern.action === 'clause' ? first.clauseStart + (reporter?.[0].length ?? 0) : first.cue.end;
    return {
      // The first clause keeps the sentence's opening, the last its end.
      start: i === 0 ? 0 : first.clauseStart,
      end: i === groups.length - 1 ? text.length : group[group.length - 1].clauseEnd,
      kind: first.cue.kind,
      action: (first.cue.pattern.prefix ?? '') + actionText(prose, actionStart, first.clauseEnd, time),
      time,
      // A second verb's subject is the sentence's: "Ospina said … , and invited …".
      subjectStart: first.verb ? groups[0][0].clauseStart : first.clauseStart,
      subjectEnd: first.verb ? groups[0][0].cue.start : first.cue.start,
      ...(first.verb ? { secondVerb: true } : {}),
    };
  });
  // "The two sides committed to:" introduces the list that follows instead of stating one.
  return { commitments, leadIn: groups.length === 1 && /:\s*$/.test(text) };
}

const LETTERED_ITEM = /^(?:\(?[a-z]{1,4}\)|[a-z]\.)[ \t]/;

const CONTINUES_TO = /,\s+(?:and\s+)?(to\s+)(?!be\b)(?=[a-z])/g;
const CONTINUES_THAT = /,\s+and\s+(that\s+)(?=\S)/g;

/** Where a cue ending in "to" / "that" takes a further infinitive or "that" clause before `end`: the boundary and the repeated word. */
function continuationsOf(text: string, cue: Cue, end: number): Array<{ boundary: number; start: number; end: number }> {
  if (cue.pattern.action !== 'after') return [];
  const word = /\b(to|that)\s*$/i.exec(text.slice(cue.start, cue.end))?.[1].toLowerCase();
  if (!word) return [];
  const re = word === 'to' ? CONTINUES_TO : CONTINUES_THAT;
  const out: Array<{ boundary: number; start: number; end: number }> = [];
  re.lastIndex = cue.end;
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const start = m.index + m[0].length - m[1].length;
    out.push({ boundary: m.index, start, end: start + m[1].length });
  }
  return out;
}

/** The verb phrase from `start`, cut at the next clause, without trailing time words. */
function actionText(prose: string, start: number, end: number, time: Time): string {
let text = prose.slice(start, end);
  const stop = ACTION_END.exec(text);
  if (stop) text = text.slice(0, stop.index);
  const trailing = [time.due?.text, time.recurrence?.text].filter((t): t is string => !!t);
  for (let again = true; again;) {
    again = false;
    text = text.replace(/[\s.,;:!?"“”]+$/u, '');
    for (const t of trailing) {
      if (text.length > t.length && text.endsWith(t)) {
        // "meet in semi-annual sessions" leaves no dangling "in".
        text = text.slice(0, -t.length).replace(/\s+(?:in|on|at|for|during)\s*$/i, '');
        again = true;
      }
    }
  }
  return text.replace(/\s+/g, ' ').trim();
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** The length of the dateline `text` opens with ("Tashkent, March 4 — "): place and date words before a dash, no lower-case word of four letters or more; 0 when none. */
function datelineLength(text: string): number {
  const dateline = DATELINE.exec(text);
  return dateline && dateline[0].length < text.trimEnd().length && !/\b[a-z]{4,}\b/.test(dateline[0]) ? dateline[0].length : 0;
}

function trimSpan(text: string, span: { start: number; end: number }): { start: number; end: number } {
  let { start, end } = span;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

/**
 * Commitments stated in a document, in order. Each covers its sentence (the whole list item
 * when the item is one sentence, or one clause when a sentence states two commitments with
 * different times); list items under a lead-in ("The parties committed to:") inherit its kind
 * and parties.
 */
export function findCommitments(
  doc: ProseDocument,
  sentences: Sentence[],
  entities: DocEntity[],
  mentions: Mention[],
  articleDate: string | null,
  memo: CommitmentMemo = new CommitmentMemo(),
): Commitment[] {
  const commitments = new CommitmentReader(doc, entities, mentions, articleDate, memo).read(sentences);
  memo.readings.settle();
  return commitments;
}
