// Commitments: sentences (or list items) in which the parties agree, pledge, sign, invite, offer,
// announce, decide, request or fix a meeting. Cues are verbs in their frame ("agreed to",
// "reached consensus on", "invited X to"), never "will" alone, which over-codes badly; negated,
// speculative, conditional, historical and quoted statements are left out.
import { LineIndex } from './positions';
import { findDue, findRecurrence, type DueDate, type Recurrence } from './temporal';
import type { Commitment, CommitmentKind, DocEntity, Mention, ProseDocument, Sentence } from './types';

interface CuePattern {
  kind: CommitmentKind;
  pattern: RegExp;
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
const AGREEMENT_NOUNS = '(?:agreements?|memorand(?:um|a)|MoUs?|accords?|protocols?|treat(?:y|ies)|contracts?|deals?|declarations?|frameworks?|letters?\\s+of\\s+intent|documents|pacts?|roadmaps?|charters?|conventions?|arrangements?)';
const MEETING_VERBS = '(?:meet|convene|reconvene|hold|host|co-host|organi[sz]e)';

const CUES: CuePattern[] = [
  { kind: 'consensus', action: 'after', pattern: /\b(?:reached|reach|reaches|arrived\s+at|forged)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?consensus\s+(?:on|to|that|regarding|over|about)\s+/gi },
  { kind: 'consensus', action: 'after', pattern: /\bconsensus\s+was\s+reached\s+(?:on|to|that|regarding)\s+/gi },
  { kind: 'agree', action: 'after', pattern: /\b(?:reached|reach|reaches)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:agreement|understanding)\s+(?:on|to|that|regarding|over)\s+/gi },
  { kind: 'agree', action: 'after', pattern: /\bagree(?:d|s)?(?:\s+in\s+principle)?(?:\s+(?:to|on|upon|that)\s+|(?=\s*:))/gi },
  { kind: 'agree', action: 'after', pattern: /\baccepted\s+(?:an?\s+|the\s+|his\s+|her\s+|their\s+)?invitation\s+to\s+/gi },
  { kind: 'pledge', action: 'after', pattern: /\b(?:pledged?|pledges|promised?|promises|vowed?|vows|undert(?:ook|akes?)|commit(?:ted|s)?(?:\s+(?:themselves|itself|himself|herself|ourselves))?)\s+to(?:\s+|(?=\s*:))/gi },
  { kind: 'pledge', action: 'after', pattern: /\b(?:pledged|vowed)\s+(?!to\b)/gi },
  { kind: 'sign', action: 'after', prefix: 'sign ', pattern: new RegExp(`\\b(?:signed|inked|signs?|signing(?:\\s+of)?)\\s+(?=(?:[^\\s.;:]+\\s+){0,6}?${AGREEMENT_NOUNS}\\b)`, 'gi') },
  { kind: 'sign', action: 'after', prefix: 'sign ', pattern: new RegExp(`\\bexchanged\\s+(?=(?:[^\\s.;:]+\\s+){0,2}?${AGREEMENT_NOUNS}\\b)`, 'gi') },
  { kind: 'decide', action: 'after', pattern: /\b(?:decided|decides|decide|resolved|resolves)\s+(?:to|that)\s+/gi },
  { kind: 'invite', action: 'after', prefix: 'invite ', pattern: /\b(?:invited|invites|invite)\s+(?=[^.;:]{1,80}?\bto\b)/gi },
  { kind: 'invite', action: 'after', prefix: 'invite ', pattern: /\bextended\s+(?:an?\s+)?(?:[\w-]+\s+)?invitation\s+to\s+/gi },
  { kind: 'offer', action: 'after', pattern: /\b(?:offered|offers|offer)\s+to\s+/gi },
  { kind: 'offer', action: 'after', pattern: /\boffered\s+(?=(?:[\w’'-]+\s+){0,3}?(?:assistance|support|help|training|scholarships?|expertise|aid|facilities)\b)/gi },
  { kind: 'offer', action: 'after', pattern: /\b(?:readiness|willingness|preparedness)\s+to\s+/gi },
  { kind: 'offer', action: 'after', pattern: /\b(?:stands?|stood|is|are|was|were)\s+ready\s+to\s+/gi },
  { kind: 'announce', action: 'after', pattern: /\b(?:announced|announces|announce)\s+(?=[^.;]{0,120}?\b(?:establish|launch|creat|set(?:ting)?\s+up|open|formation|plans?\b|new\b|will\b))/gi },
  // "called on the President to discuss" is a courtesy call, not a request.
  { kind: 'request', action: 'after', pattern: /\b(?:requested|requests|called\s+(?:on|upon))\s+(?=[^.;:]{1,60}?\bto\s+(?!discuss|exchange|review|convey|brief|pay|hold\s+talks)\w)/gi },
  { kind: 'meet', action: 'clause', needsTime: true, pattern: new RegExp(`\\b(?:will|shall|would)\\s+(?:also\\s+|again\\s+|jointly\\s+)*${MEETING_VERBS}\\b`, 'gi') },
  { kind: 'meet', action: 'clause', needsTime: true, pattern: /\b(?:will|shall|would)\s+(?:also\s+)?(?:be\s+(?:held|convened|hosted|organi[sz]ed)|take\s+place)\b/gi },
  // A mechanism with a time: "a hotline will be established within 60 days".
  { kind: 'announce', action: 'clause', needsTime: true, pattern: /\b(?:will|shall|would)\s+be\s+(?:established|set\s+up|launched|created|opened|formed|convened|completed|implemented|finali[sz]ed|built|signed)\b/gi },
  { kind: 'meet', action: 'clause', needsTime: true, pattern: /\b(?:scheduled|slated)\s+(?:to\s+(?:be\s+held|take\s+place|convene|meet)|for)\b|\bto\s+be\s+held\b/gi },
  // "both sides will …" + a concrete action (not "will discuss", "will remain" …)
  {
    kind: 'agree', action: 'after',
    pattern: new RegExp(`(?<=\\b(?:both|the\\s+two)\\s+(?:${PRINCIPAL_NOUNS})\\s+|\\bthe\\s+parties\\s+)(?:will|shall)\\s+(?:also\\s+|further\\s+|jointly\\s+)*(?!(?:discuss|consider|explore|study|remain|be|look|continue|work)\\b)(?=[a-z])`, 'gi'),
  },
  // "China will provide …", "Pakistan would send …": a named party and a concrete deed.
  {
    kind: 'pledge', action: 'after', namedSubject: true,
    pattern: /\b(?:will|would|shall)\s+(?:also\s+|further\s+)?(?=(?:provide|supply|donate|fund|finance|build|construct|establish|set\s+up|open|launch|deploy|send|train|grant|extend|invest|deliver|dispatch|upgrade)\b)/gi,
  },
];

/** Where a sentence can hold two commitments: "…, while the ministers will meet annually". */
const CLAUSE_BOUNDARY = /;\s*|,\s+(?:while|whereas|but)\s+|\s+while\s+|,\s+and\s+(?=(?:the|both|they|he|she|we)\b|[A-Z])/g;
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
const ACTION_END = /[;:]|,\s+(?:while|whereas|but|which|who)\b|,\s+and\s+(?:also\s+)?[a-z]+ed\b|,\s+(?:[^,;]{0,80}?\s)?(?:said|announced|told|added|stated)\b|\s+while\s+|\s+and\s+(?:said|added|noted|conveyed|thanked|expressed|hosted|praised|welcomed|described|briefed|emphasi[sz]ed|stressed|underlined|reiterated)\b/;
const PREPOSITION_BEFORE = /\b(?:of|in|at|to|from|with|for|on|by|during|after|before|about|under|between|among|into|towards?|than|like|including)\s+(?:the\s+)?$/i;
const INTRO_WORDS = new Set([
  'according', 'during', 'in', 'on', 'at', 'after', 'before', 'following', 'meanwhile', 'additionally', 'also',
  'furthermore', 'moreover', 'however', 'separately', 'earlier', 'later', 'today', 'yesterday', 'under', 'with',
  'for', 'as', 'by', 'through', 'to', 'finally', 'first', 'second', 'third', 'besides', 'likewise', 'similarly',
]);
const PRINCIPAL_SUBJECT = new RegExp(`^(?:(?:both|the\\s+two)\\s+(?:[\\w-]+\\s+)?(${PRINCIPAL_NOUNS})|the\\s+(?:[\\w-]+\\s+){0,2}?(${PRINCIPAL_NOUNS})|(they|we))\\b`, 'i');
/** "AMMAN —", "*Nairobi, March 14* —": a place and date before a dash, no lowercase words. */
const DATELINE = /^[^—–\n]{1,80}?\s[—–]\s*/;
/** What only the parties together do: "it was agreed that …" is theirs. */
const JOINT_KINDS = new Set<CommitmentKind>(['agree', 'consensus', 'decide', 'sign']);
/** "agreed that …" commits only to what will or should happen, not to a shared opinion. */
const MODAL = /\b(?:will|would|shall|should|must|(?:is|are)\s+to)\b/i;
const REPORTING = /^[^,;]{1,80}?\b(?:said|says|stated|noted|added|told\s+(?:reporters|journalists|the\s+[\w-]+))\s+(?:on\s+\w+\s+)?(?:that\s+)?(?=\S)/;
const PLACE_NOUNS = /^(?:countries|nations|states|governments)$/i;
const TITLE_GAP = /^(?:\s*(?:[A-Z\p{Lu}][\p{L}’'.-]*|the|of|and|for|&|-))*\s*$/u;
const JOINER = /^\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)$/;
const POSSESSIVE_TITLE = /^[’']s\s+(?:[A-Z\p{Lu}][\p{L}’'.-]*\s+|of\s+|and\s+|the\s+)*$/u;

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

function findCues(text: string): Cue[] {
  const found: Cue[] = [];
  for (const pattern of CUES) {
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

/** Clause spans [start, end) of a sentence, offsets relative to it. */
function clausesOf(text: string): Array<{ start: number; end: number }> {
  const clauses: Array<{ start: number; end: number }> = [];
  let start = 0;
  CLAUSE_BOUNDARY.lastIndex = 0;
  for (let m = CLAUSE_BOUNDARY.exec(text); m; m = CLAUSE_BOUNDARY.exec(text)) {
    clauses.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  clauses.push({ start, end: text.length });
  return clauses;
}

function timeOf(text: string, articleDate: string | null): Time {
  return { due: findDue(text, articleDate), recurrence: findRecurrence(text) };
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
function isHistory(clause: string, due: DueDate | null, articleDate: string | null): boolean {
  if (!articleDate || due) return false;
  const articleYear = Number(articleDate.slice(0, 4));
  return LAST_PERIOD.test(clause) || [...clause.matchAll(PAST_YEAR)].some((m) => Number(m[1]) < articleYear);
}

/**
 * The parties of a document when it says "both sides", "the two ministers" or "they": the two
 * most mentioned persons (earliest first on a tie), or places for "both countries".
 */
function principalsOf(entities: DocEntity[]): { persons: DocEntity[]; places: DocEntity[] } {
  const top = (type: DocEntity['type']): DocEntity[] =>
    entities
      .filter((e) => e.type === type && e.mentions.length > 0)
      .sort((a, b) => b.mentions.length - a.mentions.length || a.mentions[0].start - b.mentions[0].start)
      .slice(0, 2);
  return { persons: top('person'), places: top('place') };
}

const toActors = (list: DocEntity[]): Actors => ({ keys: list.map((e) => e.key), names: list.map((e) => e.name) });

class CommitmentReader {
  private readonly prose: string;
  private readonly lines: LineIndex;
  private readonly byKey: Map<string, DocEntity>;
  private readonly mentions: Mention[];
  private readonly principals: { persons: DocEntity[]; places: DocEntity[] };
  private lastPerson: DocEntity | null = null;

  constructor(private readonly doc: ProseDocument, entities: DocEntity[], mentions: Mention[], private readonly articleDate: string | null) {
    this.prose = doc.prose;
    this.lines = new LineIndex(doc.text);
    this.byKey = new Map(entities.map((e) => [e.key, e]));
    this.mentions = [...mentions].sort((a, b) => a.start - b.start);
    this.principals = principalsOf(entities);
  }

  read(sentences: Sentence[]): Commitment[] {
    const perBlock = new Map<number, number>();
    for (const s of sentences) perBlock.set(s.block, (perBlock.get(s.block) ?? 0) + 1);
    const out: Commitment[] = [];
    let leadIn: LeadIn | null = null;
    let leadInItem = -1;
    for (const sentence of sentences) {
      const block = this.doc.blocks[sentence.block];
      if (!block || block.kind === 'heading' || block.kind === 'html') continue;
      if (leadIn && sentence.block !== leadIn.block && !(block.kind === 'listItem' && block.listDepth > leadIn.depth)) leadIn = null;
      const whole = perBlock.get(sentence.block) === 1 && block.kind === 'listItem' ? trimSpan(this.doc.text, block) : trimSpan(this.doc.text, sentence);
      const text = maskQuotes(this.prose.slice(whole.start, whole.end));
      const cues = findCues(text);
      const subject = this.subjectAt(whole.start, whole.start + (cues[0]?.start ?? text.length));
      if (subject.person) this.lastPerson = subject.person;

      if (leadIn && sentence.block !== leadIn.block && cues.length === 0) {
        if (leadInItem !== sentence.block) {
          leadInItem = sentence.block;
          const item = this.fromLeadIn(leadIn, block.kind === 'listItem' ? trimSpan(this.doc.text, block) : whole);
          if (item) out.push(item);
        }
        continue;
      }
      const found = this.fromSentence(whole, text, cues, leadIn);
      if (found.leadIn) {
        leadIn = { ...found.leadIn, depth: block.listDepth, block: sentence.block };
        leadInItem = -1;
      }
      out.push(...found.commitments);
    }
    return out;
  }

  /** One list item under "The two sides committed to:": the lead-in's kind and parties. */
  private fromLeadIn(leadIn: LeadIn, span: { start: number; end: number }): Commitment | null {
    const text = maskQuotes(this.prose.slice(span.start, span.end));
    const own = timeOf(text, this.articleDate);
    if (isDiscounted(text, text.length) || isHistory(text, own.due, this.articleDate)) return null;
    const time: Time = { due: own.due ?? leadIn.time.due, recurrence: own.recurrence ?? leadIn.time.recurrence };
    const action = this.actionText(span.start, span.end, own);
    return this.commitment(span, leadIn.kind, leadIn.actors, action, time);
  }

  private fromSentence(
    whole: { start: number; end: number },
    text: string,
    cues: Cue[],
    leadIn: LeadIn | null,
  ): { commitments: Commitment[]; leadIn?: Omit<LeadIn, 'depth' | 'block'> } {
    interface Found { cue: Cue; clauseStart: number; clauseEnd: number; time: Time }
    const found: Found[] = [];
    let next = 0;
    for (const clause of clausesOf(text)) {
      const inClause: Cue[] = [];
      while (next < cues.length && cues[next].start < clause.end) {
        if (cues[next].start >= clause.start) inClause.push(cues[next]);
        next++;
      }
      if (inClause.length === 0) continue;
      const clauseText = text.slice(clause.start, clause.end);
      const time = timeOf(clauseText, this.articleDate);
      if (isHistory(clauseText, time.due, this.articleDate)) continue;
      const cue = inClause.find((c) =>
        !isDiscounted(clauseText, c.start - clause.start) &&
        (!/\bthat\s*$/i.test(text.slice(c.start, c.end)) || MODAL.test(text.slice(c.end, Math.min(clause.end, c.end + 200)))) &&
        (!c.pattern.needsTime || hasTime(time) || NEXT_MEETING.test(clauseText)) &&
        (!c.pattern.namedSubject || this.followsMention(whole.start + c.start)));
      if (cue) found.push({ cue, clauseStart: clause.start, clauseEnd: clause.end, time });
    }
    if (found.length === 0) return { commitments: [] };

    // A later clause is a commitment of its own only when it states its own, different time.
    const groups: Found[][] = [];
    for (const f of found) {
      const last = groups[groups.length - 1];
      if (last && !(hasTime(f.time) && !sameTime(f.time, last[0].time))) last.push(f);
      else groups.push([f]);
    }

    const commitments: Commitment[] = [];
    groups.forEach((group, i) => {
      const first = group[0];
      // The first clause keeps the sentence's opening, the last its end.
      const span = trimSpan(this.doc.text, {
        start: i === 0 ? whole.start : whole.start + first.clauseStart,
        end: i === groups.length - 1 ? whole.end : whole.start + group[group.length - 1].clauseEnd,
      });
      const spanText = text.slice(span.start - whole.start, span.end - whole.start);
      const time = groups.length === 1 ? timeOf(spanText, this.articleDate) : first.time;
      const cueStart = whole.start + first.cue.start;
      const subject = this.subjectAt(whole.start + first.clauseStart, cueStart);
      const actors = subject.actors.keys.length > 0 ? subject.actors
        : leadIn?.actors ?? (JOINT_KINDS.has(first.cue.kind) ? this.principalActors('') : subject.actors);
      const actionStart = first.cue.pattern.action === 'clause' ? whole.start + first.clauseStart : whole.start + first.cue.end;
      const action = (first.cue.pattern.prefix ?? '') + this.actionText(actionStart, whole.start + first.clauseEnd, time);
      commitments.push(this.commitment(span, first.cue.kind, actors, action, time));
    });

    // "The two sides committed to:" introduces the list that follows instead of stating one.
    if (groups.length === 1 && /:\s*$/.test(text)) {
      const only = commitments[0];
      return { commitments: [], leadIn: { kind: only.kind, actors: { keys: only.actorKeys, names: only.actors }, time: timeOf(text, this.articleDate) } };
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

  /** The verb phrase from `start`, cut at the next clause, without trailing time words. */
  private actionText(start: number, end: number, time: Time): string {
    let text = this.prose.slice(start, end);
    const stop = ACTION_END.exec(text);
    if (stop) text = text.slice(0, stop.index);
    const trailing = [time.due?.text, time.recurrence?.text].filter((t): t is string => !!t);
    for (let again = true; again;) {
      again = false;
      text = text.replace(/[\s.,;:!?"“”]+$/u, '');
      for (const t of trailing) {
        if (text.length > t.length && text.endsWith(t)) {
          text = text.slice(0, -t.length);
          again = true;
        }
      }
    }
    return text.replace(/\s+/g, ' ').trim();
  }

  /** The principals a plural subject means: places for "countries", else persons when two are named. */
  private principalActors(noun: string): Actors {
    const { persons, places } = this.principals;
    const preferPlaces = PLACE_NOUNS.test(noun) ? places.length >= 2 : persons.length < 2;
    return toActors(preferPlaces ? places : persons);
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
  private subjectAt(start: number, end: number): { actors: Actors; person: DocEntity | null } {
    let from = start;
    for (let i = 0; i < 3; i++) {
      const intro = /^\s*([^,]{1,100}?),\s+/.exec(this.prose.slice(from, end));
      const first = intro ? /^[\p{L}’'-]+/u.exec(intro[1])?.[0].toLowerCase() ?? '' : '';
      if (!intro || !(INTRO_WORDS.has(first) || /(?:ing|ly)$/.test(first))) break;
      from += intro[0].length;
    }
    const head = this.prose.slice(from, end).trimStart();
    const dateline = DATELINE.exec(head);
    from = end - head.length + (dateline && !/\b[a-z]{4,}\b/.test(dateline[0]) ? dateline[0].length : 0);
    // "Cho said the ROK stands ready …": the reported subject acts, the speaker is the fallback.
    const reporting = REPORTING.exec(this.prose.slice(from, end));
    if (!reporting) return this.phraseSubject(from, end);
    const speaker = this.phraseSubject(from, from + reporting[0].length);
    const reported = this.phraseSubject(from + reporting[0].length, end);
    return { actors: reported.actors.keys.length > 0 ? reported.actors : speaker.actors, person: speaker.person ?? reported.person };
  }

  /** The subject a phrase opens with: a plural of the principals, "he"/"she", or named entities. */
  private phraseSubject(from: number, end: number): { actors: Actors; person: DocEntity | null } {
    const head = this.prose.slice(from, end).trimStart();
    const principal = PRINCIPAL_SUBJECT.exec(head);
    if (principal) return { actors: this.principalActors(principal[1] ?? principal[2] ?? ''), person: null };
    if (/^(?:he|she)\b/i.test(head)) return { actors: toActors(this.lastPerson ? [this.lastPerson] : []), person: this.lastPerson };

    const mentions = this.mentionsIn(from, end).filter((m) => !PREPOSITION_BEFORE.test(this.prose.slice(Math.max(0, m.start - 25), m.start)));
    if (mentions.length === 0) return { actors: toActors([]), person: null };
    const opening = TITLE_GAP.test(this.prose.slice(from, mentions[0].start));
    const chosen: Mention[] = [mentions[0]];
    for (const m of mentions.slice(1)) {
      const gap = this.prose.slice(chosen[chosen.length - 1].end, m.start);
      if (JOINER.test(gap)) chosen.push(m);
      else if (m.type === 'person' && POSSESSIVE_TITLE.test(gap)) chosen[chosen.length - 1] = m;
      else break;
    }
    const entities = unique(chosen.map((m) => this.byKey.get(m.entity)).filter((e): e is DocEntity => !!e));
    const person = opening && entities[0]?.type === 'person' ? entities[0] : null;
    return { actors: toActors(entities), person };
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
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
): Commitment[] {
  return new CommitmentReader(doc, entities, mentions, articleDate).read(sentences);
}
