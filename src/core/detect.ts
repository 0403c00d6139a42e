// Cold detection: persons, organisations, places and events that no registry knows, found from the
// shape of the genre (titles before names, "… Agency (ACRONYM)", gazetteer places, "… Forum").
// Works on runs of capitalised words (chunks), so it is linear in the text and never backtracks.
import type { EntityType, Mention, ProseDocument, Sentence, Span } from './types';
import { demonymCountry, isCountry, isInternationalOrg, mayStartInternationalOrg, placeCode, townCode } from './gazetteer';
import {
  AREA_HEADS, FUNCTION_WORDS, LEGISLATURE_MARKERS, LIST_CUES, NAME_PARTICLES, PERSON_VERBS_AFTER, PERSON_VERBS_BEFORE, STATE_FORM_WORDS, STATE_NOUNS,
  SUBUNIT_HEADS, TITLE_HEADS, VENUE_CENTRE_WORDS, VENUE_HEADS_FIRST, bare, isCapitalsNameWord, isDemonym, isEventHeadWord,
  isFunctionWord, isHonorific, isNameWord, isOrgHeadWord, isTitleHead, isTitleWord, isVenueHeadWord, placeWords,
} from './lexicon';
import { CONNECTORS, type Chunk, type Token, chunks, collapseSpaces, isSpaceRun, phrase, tokenize } from './tokens';

export { resolveEntities } from './coreference';

/** A detected span; offsets are relative to the prose it was found in. */
export interface Candidate {
  start: number;
  end: number;
  type: EntityType;
  key: string;
  title?: string;
  /** A town read from its context ("in Moyale"), to be looked for again where no context says so. */
  town?: boolean;
}

/** A surface already found, looked for again everywhere: "Foo Bar Forum" or a defined acronym. */
interface Surface {
  text: string;
  length: number;
  type: EntityType;
  key: string;
  /** Counts only after "the" or before "members": a body's head word standing for it ("the Council", "Council members"). */
  afterThe?: boolean;
}

/** Surfaces by their first word, longest first; `signature` changes whenever the table does. */
export interface Surfaces {
  byFirstWord: Map<string, Surface[]>;
  signature: string;
}

/**
 * What detection finds in one piece of prose on its own: a document, or a segment of one that no
 * step reads across (see segments.ts). Only the propagation of surfaces needs the other pieces.
 */
export interface LocalDetection {
  tokens: Token[];
  /** Chosen candidates, in text order. */
  chosen: Candidate[];
  /** Acronyms defined in the piece ("… Agency (NCCIA)"), in the order they were defined. */
  acronyms: Array<[string, { type: EntityType; key: string }]>;
  /** Characters covered by the known mentions and the chosen candidates. */
  covered: Coverage;
  /** The chosen candidates worth looking for elsewhere, as text, type and key, in text order. */
  surfaces: Array<[string, EntityType, string]>;
}

/** Longest name accepted as one person (with particles: "Faisal bin Farhan Al Saud"). */
const MAX_NAME_TOKENS = 7;
/** Heads after which an "… Assembly" of demonyms is not a standing body ("Chinese Ministry …"). */
const GOVERNMENT_HEADS = new Set(['ministry', 'embassy', 'consulate', 'department', 'police', 'army', 'navy', 'force', 'forces']);
/** Endings of adjectives ("Political", "Economic", "Executive", "Monetary"), which a name's complement cannot end in. */
const ADJECTIVE_ENDING = /(?:al|ic|ive|ary)$/;
/** An acronym with small letters for its small words: "TGoNU", "MoFA" (each small letter before a capital). */
const MIXED_ACRONYM = /^\p{Lu}(?:\p{Lu}|\p{Ll}(?=\p{Lu}))+$/u;
/** Titles of rulers that places are named after. */
const ROYAL_TITLES = new Set(['king', 'queen', 'sultan', 'prince', 'princess', 'emir', 'amir', 'sheikh', 'shaikh', 'sheikha', 'shah']);
/** A body's name before its complement, two words or more: "Binational Commission" of "Binational Commission for …". */
const SHORT_BODY = /^(\S+(?: \S+)+?) (?:of|for|on) /;
/** The markup of a link between two words of a name: "](url) " after the link text, " [" before it. */
const LINK_GAP = /^(?:\]\([^()\s]*\))?[ \t]+\[?$/;
/** Lower-case nouns before "of" and a place's name: "the port of Villeta", "the town of Moyale". */
const PLACE_NOUNS = new Set(['port', 'city', 'town', 'village', 'province', 'region', 'island', 'municipality', 'district', 'county', 'governorate', 'prefecture', 'oblast', 'state']);
/** Bodies named after the office holder they serve: "Office of the President". */
const SEAT_OF_TITLE = new Set(['office', 'chancellery', 'cabinet', 'secretariat', 'bureau']);
/** Particles inside Spanish and Portuguese town names. */
const PLACE_PARTICLES = new Set(['de', 'del', 'do', 'da', 'dos', 'das']);
const ROMAN = /^(?:II|III|IV|VI|VII|VIII)$/;
/** Venue heads that are common surnames too. */
const VENUE_SURNAMES = new Set(['hall', 'castle', 'villa']);
/** Adverbs that may stand between a bare name and its verb ("Lavrov later met …"). */
const ADVERBS_BEFORE_VERB = new Set(['later', 'also', 'then', 'further', 'again', 'subsequently', 'separately', 'earlier', 'previously', 'recently', 'reportedly', 'personally']);
/** Words after which a capitalised town name is a place. */
const PLACE_PREPOSITIONS = new Set(['in', 'at', 'from', 'near', 'outside', 'via']);
const MAX_VENUE_TOKENS = 4;
const SEAT_OFFICES = new Set(['chancellery', 'presidency']);
/** Heads that, after "the", stand for the body or monarchy named with them ("the Council", "the Sultanate"). */
const REFERENCE_HEADS = new Set(['Council', 'Commission', 'Committee', 'Force', 'Mission', 'Kingdom', 'Sultanate', 'Emirate', 'Principality']);
/** The last word of a body's name of two words or more, when it stands for the body after "the" ("Council" of "Security Council"). */
function referenceHead(name: string): string | undefined {
  const head = /\s(\S+)$/.exec(name)?.[1];
  return head && REFERENCE_HEADS.has(head) ? head : undefined;
}
/** A monarchy's formal name, whose state noun alone stands for it after "the". */
const MONARCHY = /\b(Kingdom|Sultanate|Emirate|Principality) of \S/;
/** Words that may follow a venue's name: "at the Chancellery on Monday", "… in Berlin", "… where …". */
const VENUE_FOLLOWERS = new Set(['on', 'in', 'for', 'with', 'and', 'where', 'to', 'during', 'near', 'after', 'before', 'by', 'from', 'at', 'which', 'when', 'today', 'yesterday']);
// On equal spans a gazetteer place ("West Bank") beats a shape-only organisation ("… Bank").
const TYPE_RANK: Record<EntityType, number> = { person: 0, place: 1, organization: 2, event: 3 };

const isOrgHead = (t: Token): boolean => t.cap && isOrgHeadWord(t);
const isEventHead = (t: Token): boolean => t.cap && isEventHeadWord(t);

/** Detector state for one document. */
class Detector {
  readonly tokens: Token[];
  private readonly chunkList: Chunk[];
  // Plain arrays: a segment is short, and a typed array costs more to make than to use here.
  /** placeEnd[i] = exclusive end token of the place starting at token i, or 0. */
  private readonly placeEnd: number[];
  /** countryAt[i]: that place is a country's name as written (asked for each name word). */
  private readonly countryAt: boolean[];
  readonly candidates: Candidate[] = [];
  /** Acronyms defined in the text ("… Agency (NCCIA)") → type and key of what they stand for. */
  readonly acronyms = new Map<string, { type: EntityType; key: string }>();
  /** End offset and sentence of the last person found, so list items after it join the list. */
  private lastPerson: { end: number; sentence: number; title?: string } | null = null;
  /** The chunk being read is a transcript's speaker label ("MINISTER LAVROV:"): names may be in capitals. */
  private inLabel = false;

  constructor(readonly prose: string, sentences: readonly Sentence[], private readonly text: string) {
    this.tokens = tokenize(prose, sentences, text);
    this.chunkList = chunks(prose, this.tokens);
    this.placeEnd = new Array<number>(this.tokens.length).fill(0);
    this.countryAt = new Array<boolean>(this.tokens.length).fill(false);
  }

  run(): Candidate[] {
    let previous: Chunk | null = null;
    let earlier: Chunk | null = null;
    for (const chunk of this.chunkList) {
      this.inLabel = this.isSpeakerLabel(chunk);
      this.findPlaces(chunk);
      this.findVenueAfterAt(chunk);
      this.findOrganisationsAndEvents(chunk);
      this.findTitledPersons(chunk);
      this.findCuedPersons(chunk, previous, earlier);
      [earlier, previous] = [previous, chunk];
    }
    this.findQuestionerOutlets();
    return this.candidates;
  }

  /**
   * "Q (Reuters):", "QUESTION (Al Jazeera):", "QUESTION (Nnamdi Okafor, Channels Television):": in a
   * transcript the questioner's outlet is an organisation, and a name before it a person.
   */
  private findQuestionerOutlets(): void {
    const { tokens, prose } = this;
    // Capitalised words, and connectors between them ("Press Trust of India"): the last token's index.
    const runEnd = (from: number): number => {
      let j = from;
      while (j + 1 < tokens.length && (tokens[j].cap || CONNECTORS.has(tokens[j].lower)) && isSpaceRun(prose, tokens[j].end, tokens[j + 1].start)) j++;
      return j;
    };
    const closes = (j: number): boolean => /^\)[ \t]*:/.test(prose.slice(tokens[j].end, tokens[j].end + 3));
    for (let i = 0; i + 1 < tokens.length; i++) {
      const q = tokens[i];
      if ((q.text !== 'Q' && q.lower !== 'question') || !q.cap || !this.opensLine(q) || !/^[ \t]*\($/.test(prose.slice(q.end, tokens[i + 1].start))) continue;
      let outlet = i + 1;
      let j = runEnd(outlet);
      if (j + 1 < tokens.length && /^[ \t]*,[ \t]*$/.test(prose.slice(tokens[j].end, tokens[j + 1].start))) {
        const k = runEnd(j + 1);
        const person = tokens.slice(i + 1, j + 1);
        if (closes(k) && person.length >= 2 && person.every((t) => isNameWord(t) || (!t.cap && NAME_PARTICLES.has(t.lower)))) {
          this.addPerson(i + 1, j + 1);
          [outlet, j] = [j + 1, k];
        }
      }
      if (tokens[outlet].cap && tokens[j].cap && closes(j)) this.add(outlet, j + 1, 'organization');
      i = j;
    }
  }

  /** Does the token open its line (masked markup aside)? */
  private opensLine(t: Token): boolean {
    const { prose } = this;
    for (let i = t.start - 1; i >= 0 && prose.charCodeAt(i) !== 10; i--) if (prose.charCodeAt(i) !== 32 && prose.charCodeAt(i) !== 9) return false;
    return true;
  }

  private add(from: number, to: number, type: EntityType, keyName?: string, title?: string): void {
    const start = this.tokens[from].start;
    const end = this.tokens[to - 1].end;
    const name = keyName ?? phrase(this.prose, this.tokens, from, to - 1);
    this.candidates.push({ start, end, type, key: `${type}:${name}`, ...(title ? { title } : {}) });
  }

  // ---------- places ----------

  private findPlaces(chunk: Chunk): void {
    const { tokens } = this;
    for (let i = chunk.from; i < chunk.to; i++) {
      const longest = tokens[i].cap ? placeWords(tokens[i]) : 0;
      for (let j = Math.min(chunk.to, i + longest); j > i; j--) {
        if (!tokens[j - 1].cap) continue;
        const name = phrase(this.prose, tokens, i, j - 1);
        // Headlines and datelines in capitals: "NEW DELHI", "CAIRO".
        let code = placeCode(name) ?? (tokens[i].acronym ? placeCode(titleCase(name)) : undefined);
        const town = code === undefined && this.placeFollows(i, j) ? townCode(name) : undefined;
        code ??= town;
        if (code === undefined) continue;
        const asWritten = isCountry(name);
        const country = asWritten || isCountry(titleCase(name));
        // "Davao City", "Quezon City": a town's "City" is part of its name.
        if (!country && j < chunk.to && tokens[j].text === 'City' && isSpaceRun(this.prose, tokens[j - 1].end, tokens[j].start)) j++;
        // "Cartagena de Indias", "Santiago de Chile": a Spanish or Portuguese town's name may go on after "de".
        else if (!country && j + 1 < chunk.to && PLACE_PARTICLES.has(tokens[j].lower) && !tokens[j].cap && tokens[j + 1].cap && !tokens[j + 1].acronym && !isTitleHead(tokens[j + 1]) &&
          (j + 2 === chunk.to || !tokens[j + 2].cap)) j += 2;
        this.placeEnd[i] = j;
        this.countryAt[i] = asWritten;
        this.add(this.formalStateStart(i, chunk.from, country), j, 'place', country ? code || name : name);
        if (town !== undefined) this.candidates[this.candidates.length - 1].town = true;
        i = j - 1;
        break;
      }
    }
    this.findAreas(chunk);
    this.findPlaceAfterNoun(chunk);
    for (let i = chunk.from; i < chunk.to; i++) {
      const t = tokens[i];
      // Datelines in capitals: "UNITED NATIONS, New York".
      const word = mayStartInternationalOrg(t.text) ? t.text : t.acronym ? titleCase(t.text) : '';
      if (!mayStartInternationalOrg(word)) continue;
      const pair = i + 1 < chunk.to ? phrase(this.prose, tokens, i, i + 1) : '';
      if (pair && (isInternationalOrg(pair) || (t.acronym && tokens[i + 1].acronym && isInternationalOrg(titleCase(pair))))) this.add(i, i + 2, 'organization');
      else if (isInternationalOrg(t.text)) this.add(i, i + 1, 'organization');
    }
  }

  /** "the port of Villeta", "the city of Mariano Roque Alonso": a whole chunk of name words after a lower-case place noun and "of". */
  private findPlaceAfterNoun(chunk: Chunk): void {
    const { tokens, prose } = this;
    const [noun, of] = [tokens[chunk.from - 2], tokens[chunk.from - 1]];
    if (!noun || noun.cap || !PLACE_NOUNS.has(noun.lower) || of.lower !== 'of' || of.sentence !== tokens[chunk.from].sentence) return;
    if (!isSpaceRun(prose, noun.end, of.start) || !isSpaceRun(prose, of.end, tokens[chunk.from].start) || this.placeEnd[chunk.from] > 0) return;
    if (chunk.to - chunk.from > MAX_VENUE_TOKENS - 1 || !tokens.slice(chunk.from, chunk.to).every((t) => isNameWord(t) && !t.possessive)) return;
    this.add(chunk.from, chunk.to, 'place');
    this.candidates[this.candidates.length - 1].town = true;
  }

  /** Administrative areas: "Asokoro District", "Kericho County", "District of Abidjan". */
  private findAreas(chunk: Chunk): void {
    const { tokens, prose } = this;
    const joined = (a: number): boolean => isSpaceRun(prose, tokens[a].end, tokens[a + 1].start);
    for (let k = chunk.from; k < chunk.to; k++) {
      const state = tokens[k].lower === 'state';
      if (!tokens[k].cap || (!AREA_HEADS.has(tokens[k].lower) && !state)) continue;
      let left = k;
      while (left > chunk.from && k - left < MAX_VENUE_TOKENS - 1 && isNameWord(tokens[left - 1]) && !tokens[left - 1].possessive && joined(left - 1)) left--;
      // "Upper Nile State", "Kaduna State"; a lone word before "State" must be a place ("Member State" is none).
      if (state && (left === k || (k - left === 1 && this.placeEnd[left] !== k))) continue;
      if (left < k) this.add(left, k + 1, 'place');
      else if (k + 2 < chunk.to && tokens[k + 1].lower === 'of' && this.placeEnd[k + 2] > 0) this.add(k, this.placeEnd[k + 2], 'place');
    }
  }

  /**
   * A building or compound named after "at the" with no head word ("at the Chancellery", "at the Ak
   * Orda", "at the Westin Josun Busan"): name words up to a lower-case connector or punctuation.
   */
  private findVenueAfterAt(chunk: Chunk): void {
    const { tokens, prose } = this;
    const i = chunk.from;
    const the = tokens[i - 1];
    const at = tokens[i - 2];
    if (!at || the.lower !== 'the' || the.cap || at.lower !== 'at' || at.sentence !== tokens[i].sentence) return;
    if (!isSpaceRun(prose, at.end, the.start) || !isSpaceRun(prose, the.end, tokens[i].start) || this.isCountryAt(i)) return;
    let end = i;
    while (end < chunk.to && end - i < MAX_VENUE_TOKENS && isNameWord(tokens[end]) && !tokens[end].possessive &&
      (end === i || isSpaceRun(prose, tokens[end - 1].end, tokens[end].start))) end++;
    if (end === i || this.placeEnd[i] === end) return;
    // What follows must end the name: "at the Trump administration" names no building.
    const next = tokens[end];
    const closed = !next || !isSpaceRun(prose, tokens[end - 1].end, next.start) || (!next.cap && VENUE_FOLLOWERS.has(next.lower));
    // "at the Chancellery": a single word that names the office seated there is the office.
    if (closed) this.add(i, end, end === i + 1 && SEAT_OFFICES.has(tokens[i].lower) ? 'organization' : 'place');
  }

  /** Is tokens [i, j) a whole chunk right after a place preposition ("in Moyale", "at Moyale by half")? */
  private placeFollows(i: number, j: number): boolean {
    const { tokens } = this;
    const before = tokens[i - 1];
    if (!before || before.cap || !PLACE_PREPOSITIONS.has(before.lower) || before.sentence !== tokens[i].sentence) return false;
    if (!isSpaceRun(this.prose, before.end, tokens[i].start)) return false;
    return j === tokens.length || !tokens[j].cap || !isSpaceRun(this.prose, tokens[j - 1].end, tokens[j].start);
  }

  /** Start of "Republic of Colombia", "Kingdom of Saudi Arabia" around the country at token `i` (else `i`). */
  private formalStateStart(i: number, from: number, country: boolean): number {
    const { tokens } = this;
    // "Republic of the Philippines": a country whose name takes "the".
    const of = tokens[i - 1]?.lower === 'the' && !tokens[i - 1].cap ? i - 2 : i - 1;
    if (!country || of - 1 < from || tokens[of].lower !== 'of' || !STATE_NOUNS.has(tokens[of - 1].lower)) return i;
    let left = of - 1;
    while (left > from && tokens[left - 1].cap && STATE_FORM_WORDS.has(bare(tokens[left - 1]))) left--;
    return left;
  }

  /** Does a country's name ("Viet Nam", "Kenya") start at token `i`? */
  private isCountryAt(i: number): boolean {
    return this.countryAt[i] === true;
  }

  // ---------- organisations and events ----------

  private findOrganisationsAndEvents(chunk: Chunk): void {
    const { tokens } = this;
    for (let k = chunk.from; k < chunk.to; k++) {
      const head = tokens[k];
      const event = isEventHead(head);
      const venue = this.isVenueHead(k, chunk.from);
      // "Transitional Government of National Unity": a government is a body when words of its own name it.
      const government = head.cap && head.lower === 'government';
      // "Chancellery of the Prime Minister" (alone, "at the Chancellery" is read as a venue's name).
      const seat = head.cap && SEAT_OFFICES.has(head.lower) && tokens[k + 1]?.lower === 'of';
      if (!event && !venue && !government && !seat && !isOrgHead(head)) continue;
      if (venue && VENUE_HEADS_FIRST.has(head.lower)) {
        const end = this.venueNameEnd(k, chunk.to);
        if (end > k + 1) {
          this.add(k, end, 'place');
          k = end - 1;
          continue;
        }
      }
      let left = this.modifiersStart(k, chunk.from, head);
      if (government && (left === k || tokens.slice(left, k).some((t, n) => isDemonym(t) || this.placeEnd[left + n] > 0))) continue;
      // "Sultan Qaboos Grand Mosque", "King Fahd Causeway": a place named after a ruler keeps the ruler's title.
      if (venue && left < k && left > chunk.from && ROYAL_TITLES.has(bare(tokens[left - 1]))) left--;
      let coordinated = false;
      // "Northern Corridor Transit and Transport Coordination Authority": two modifier runs joined by
      // "and" when they open the chunk (or follow "the"); no place in them ("Kenya and Tanzania …", "… Kenya Bacha Debele and …").
      if (left < k && left - 2 >= chunk.from && tokens[left - 1].lower === 'and' && !tokens[left - 1].cap) {
        const wider = this.modifiersStart(left - 2, chunk.from, head);
        const words = tokens.slice(wider, k);
        const opens = wider === chunk.from || tokens[wider - 1].lower === 'the';
        // A venue may be named after its country ("Oman Convention and Exhibition Centre").
        const placeFree = venue || words.every((_, n) => this.placeEnd[wider + n] === 0);
        if (opens && wider < left - 1 && this.canModify(tokens[left - 2], head) && placeFree) {
          left = wider;
          coordinated = true;
        }
      }
      // "House of Representatives", "House of Councillors", "House of Lords": a chamber, not a building.
      const chamber = venue && head.lower === 'house' && k + 2 < chunk.to && tokens[k + 1].lower === 'of' && tokens[k + 2].cap;
      let right = chamber ? k + 3 : this.complementEnd(k, chunk.to, coordinated);
      // "Expo Paraguay Internacional": an expo's name may follow its head.
      if (head.lower === 'expo' && left === k && right === k + 1) {
        while (right < chunk.to && !tokens[right].inParens && !isTitleHead(tokens[right]) && !isFunctionWord(tokens[right]) && isSpaceRun(this.prose, tokens[right - 1].end, tokens[right].start)) right++;
      }
      if (left === k && right === k + 1 && head.lower !== 'olympics') continue;
      const span = tokens.slice(left, right);
      let type: EntityType = event ? 'event' : 'organization';
      if (venue && !chamber) type = 'place';
      if (event && /^(?:assembly|congress)$/.test(head.lower) && span.some((t) => LEGISLATURE_MARKERS.has(t.lower))) type = 'organization';
      if (SUBUNIT_HEADS.has(head.lower) && this.insideTitle(chunk, left) && !span.some((_, n) => this.placeEnd[left + n] > 0)) continue;
      this.add(left, right, type);
      const after = tokens[right];
      if (right < chunk.to && after.inParens && (after.acronym || /^\p{Lu}{2,}[-‐‑]/u.test(after.text) || MIXED_ACRONYM.test(after.text))) {
        this.acronyms.set(after.text, { type, key: `${type}:${phrase(this.prose, tokens, left, right - 1)}` });
      }
    }
  }

  /** Does token `k` head a venue's name: "… Palace", "… House", or a "… Centre" for conventions and conferences? */
  private isVenueHead(k: number, from: number): boolean {
    const head = this.tokens[k];
    if (!head.cap) return false;
    if (isVenueHeadWord(head)) return true;
    return (head.lower === 'centre' || head.lower === 'center') && k > from && VENUE_CENTRE_WORDS.has(this.tokens[k - 1].lower);
  }

  /** Exclusive end of the name after a head that comes first ("Palais des Nations", "Palazzo Chigi"), or `k + 1`. */
  private venueNameEnd(k: number, to: number): number {
    const { tokens } = this;
    let j = k + 1;
    while (j < to && !tokens[j].cap && NAME_PARTICLES.has(tokens[j].lower)) j++;
    let end = j;
    while (end < to && tokens[end].cap && !tokens[end].inParens && !isFunctionWord(tokens[end]) && !isTitleHead(tokens[end])) end++;
    return end > j ? end : k + 1;
  }

  /** First token of the modifiers that run left from token `k` (exclusive of `k`'s own check) to a head. */
  private modifiersStart(k: number, from: number, head: Token): number {
    let left = k;
    while (left > from && this.canModify(this.tokens[left - 1], head)) left--;
    return left;
  }

  /** Can `t`, just left of an organisation or event head, be part of its name? */
  private canModify(t: Token, head: Token): boolean {
    if (!t.cap || t.inParens || isFunctionWord(t) || isHonorific(t)) return false;
    // "Foreign Ministers’ Strategic Dialogue", "Leaders’ Meeting": a possessive title belongs to the event's name.
    const eventPossessive = t.possessive && isEventHeadWord(head) && (isTitleHead(t) || isTitleWord(t) || /s$/.test(t.text));
    if (isTitleHead(t) && !eventPossessive) return false;
    if (t.possessive && !isTitleWord(t) && !eventPossessive) return false;
    return !(isDemonym(t) && GOVERNMENT_HEADS.has(head.lower));
  }

  /**
   * End of "Ministry of Public Security", "Forum on China-Africa Cooperation", "League of Arab States".
   * A body already named in full by coordinated words ("Mediation and Security Council") is not part
   * of the body in its "of the …" complement (`named`): "… Council of the Economic Community of …" are two.
   */
  private complementEnd(k: number, to: number, named = false): number {
    const { tokens } = this;
    let j = k + 1;
    // "Integrated Office in Haiti (BINUH)": a seat named before the body's acronym belongs to its name.
    if (j + 1 < to && tokens[j].lower === 'in' && this.placeEnd[j + 1] > 0) {
      const seatEnd = this.placeEnd[j + 1];
      if (seatEnd < to && tokens[seatEnd].inParens && tokens[seatEnd].acronym) return seatEnd;
    }
    if (j >= to || !/^(?:of|for|on)$/.test(tokens[j].lower)) return j;
    // "Ministerial Meeting on Illegal Fishing": an event's topic is named in words of any kind.
    const topic = tokens[j].lower === 'on' && isEventHeadWord(tokens[k]);
    j++;
    if (j < to && tokens[j].lower === 'the') j++;
    const first = tokens[j];
    if (j < to && tokens[j - 1].lower === 'the' && SEAT_OF_TITLE.has(tokens[k].lower)) {
      // "Office of the President", "Chancellery of the Prime Minister": the seat of an office holder.
      let n = j;
      while (n < to && n - j < 3 && tokens[n].cap && isTitleWord(tokens[n]) && !isTitleHead(tokens[n])) n++;
      if (n < to && isTitleHead(tokens[n]) && !tokens[n].possessive && (n + 1 === to || !tokens[n + 1].cap)) return n + 1;
    }
    if (j >= to || !first.cap || isTitleHead(first) || isFunctionWord(first)) return k + 1;
    // "Meeting of the Mexico-Colombia Binational Commission": a complement naming a body runs to its head.
    for (let n = j; n < to && tokens[n].cap && !isTitleHead(tokens[n]); n++) {
      // "Council of the League of Arab States": the named body may have a complement of its own.
      if (isOrgHeadWord(tokens[n]) || isEventHeadWord(tokens[n])) return named && tokens[j - 1].lower === 'the' ? k + 1 : this.complementEnd(n, to);
    }
    let end = j + 1;
    let listed = false;
    for (let n = j + 1; n < to; n++) {
      const t = tokens[n];
      // "Commission on Trade, Economic, Scientific and Technical Cooperation": chunks join a comma list
      // only after "of"/"for"/"on" (tokens.ts), and its items and the "and" item after it may be any words.
      if (t.cap && !isTitleHead(t) && !t.inParens && this.prose.charCodeAt(tokens[n - 1].end) === 44) {
        listed = true;
        end = n + 1;
        continue;
      }
      if (listed && t.lower === 'and') {
        let m = n + 1;
        while (m < to && tokens[m].cap && !isTitleHead(tokens[m]) && !tokens[m].inParens && !isFunctionWord(tokens[m])) m++;
        return m > n + 1 ? m : end;
      }
      // "Commission on Migration and Human Mobility": an "and" item that closes the chunk, however plain its words.
      if (t.lower === 'and' && to - n - 1 <= 2 && to - n - 1 > 0 && tokens.slice(n + 1, to).every((w) => w.cap && !isTitleHead(w) && !w.inParens)) return to;
      if (t.lower === 'and' && n + 1 < to && this.isComplementWord(tokens[n + 1], n + 1)) continue;
      // "Office for West Africa and the Sahel".
      if (t.lower === 'and' && n + 2 < to && tokens[n + 1].lower === 'the' && this.isComplementWord(tokens[n + 2], n + 2)) {
        n++;
        continue;
      }
      // "Summit of Heads of State and Government".
      if (t.lower === 'of' && tokens[n - 1].lower === 'heads' && n + 1 < to && /^(?:state|government)$/.test(tokens[n + 1].lower)) {
        const both = n + 3 < to && tokens[n + 2].lower === 'and' && /^(?:state|government)$/.test(tokens[n + 3].lower);
        end = both ? n + 4 : n + 2;
        n = end - 1;
        continue;
      }
      // "General Administration of Customs of China": a closing country belongs to the name.
      if (t.lower === 'of' && n + 1 < to && this.isCountryAt(n + 1) && this.placeEnd[n + 1] === to) return to;
      if (!t.cap || !(this.isComplementWord(t, n) || (topic && !isTitleHead(t) && !isFunctionWord(t) && !t.inParens))) break;
      end = n + 1;
    }
    // "… for Political Consultation": a complement does not end in an adjective; the noun after it belongs.
    const noun = tokens[end];
    if (end < to && ADJECTIVE_ENDING.test(tokens[end - 1].lower) && noun.cap && !isTitleHead(noun) && !isFunctionWord(noun) && !noun.inParens && isSpaceRun(this.prose, tokens[end - 1].end, noun.start)) return end + 1;
    return end;
  }

  private isComplementWord(t: Token, i: number): boolean {
    return !isTitleHead(t) && (isTitleWord(t) || isDemonym(t) || this.placeEnd[i] > 0 || isOrgHeadWord(t));
  }

  /** Is token `i` in the complement of a title ("Director General of the General Office")? */
  private insideTitle(chunk: Chunk, i: number): boolean {
    for (let n = i - 1; n >= chunk.from; n--) if (isTitleHead(this.tokens[n])) return true;
    return false;
  }

  // ---------- persons ----------

  /** A name word; in a speaker label also one in capitals. */
  private isName(t: Token): boolean {
    return isNameWord(t) || (this.inLabel && isCapitalsNameWord(t));
  }

  /**
   * Is the chunk a speaker label of a transcript: it opens a line (markup aside) and a colon closes it
   * ("Spokesperson Mao Ning:", "MINISTER LAVROV:", "**Foreign Minister Wang Yi:**")?
   */
  private isSpeakerLabel(chunk: Chunk): boolean {
    const { prose, tokens } = this;
    return prose.charCodeAt(tokens[chunk.to - 1].end) === 58 && this.opensLine(tokens[chunk.from]);
  }

  /** Exclusive end of the person name that starts at token `i` (or `i` when none does). */
  private nameEnd(i: number, to: number): number {
    const { tokens } = this;
    if ((!this.isName(tokens[i]) && !this.familyInCapitals(i, to)) || this.isCountryAt(i)) return i;
    // "Ambassador to Beijing Zhang Lan": a city after a connector is the title's, not the name's first word.
    if (this.placeEnd[i] > 0 && i > 0 && !tokens[i - 1].cap && CONNECTORS.has(tokens[i - 1].lower)) return i;
    let j = i + 1;
    while (j < to && !tokens[j - 1].possessive && j - i < MAX_NAME_TOKENS) {
      const t = tokens[j];
      // "Wang Yi (王毅)": a bracket ends the name; what it holds is another rendering.
      if (this.isCountryAt(j) || this.bracketBefore(j)) break;
      if (this.isName(t) || ROMAN.test(t.text)) j++;
      else if (!t.cap && NAME_PARTICLES.has(t.lower)) {
        // "de la Fuente", "van der Berg", "bin Farhan": particles count only when a name follows them.
        let k = j;
        while (k < to && !tokens[k].cap && NAME_PARTICLES.has(tokens[k].lower)) k++;
        if (k < to && this.isName(tokens[k])) j = k + 1;
        else break;
      }
      // A city inside a name is part of it ("Xu Datong"); a country is not.
      else if (this.placeEnd[j] === j + 1) j++;
      else break;
    }
    return j;
  }

  /**
   * Japanese style, family name in capitals before the given name, right after a title: "Mr. OKADA
   * Haruto", "Ambassador to the Philippines ENDO Takuma" (an acronym opening a run, "NATO Allies", is none).
   */
  private familyInCapitals(i: number, to: number): boolean {
    const { tokens, prose } = this;
    const [before, given] = [tokens[i - 1], tokens[i + 1]];
    if (i + 1 >= to || !before || !before.cap || (isFunctionWord(before) && !isHonorific(before)) || !isSpaceRun(prose, before.end, tokens[i].start)) return false;
    return isCapitalsNameWord(tokens[i]) && tokens[i].text.length > 2 && isNameWord(given) && isSpaceRun(prose, tokens[i].end, given.start);
  }

  /**
   * End of a name that a link cuts in two: "Minister [Ali](…) Khan", "Minister Omar [Farouk](…)";
   * `end` is where the name stops in its chunk (chunks never join across markup).
   */
  private nameAcrossLinks(i: number, end: number): number {
    const { tokens, prose } = this;
    let j = end;
    while (j < tokens.length && j - i < MAX_NAME_TOKENS && tokens[j].afterMask && LINK_GAP.test(this.text.slice(tokens[j - 1].end, tokens[j].start)) && this.isName(tokens[j])) {
      j++;
      while (j < tokens.length && j - i < MAX_NAME_TOKENS && !tokens[j].afterMask && isSpaceRun(prose, tokens[j - 1].end, tokens[j].start) && this.isName(tokens[j])) j++;
    }
    return j;
  }

  /** Does a bracket open between token `j` and the one before it? */
  private bracketBefore(j: number): boolean {
    return this.prose.slice(this.tokens[j - 1].end, this.tokens[j].start).includes('(');
  }

  /** "Interior Minister X", "Vice Ministers X and Y", "Ambassador to China X", "President X and Prime Minister Y". */
  private findTitledPersons(chunk: Chunk): void {
    const { tokens } = this;
    let lastHead = -1;
    let titleStart = -1;
    let previous: { end: number; title: string } | null = null;
    for (let i = chunk.from; i < chunk.to; ) {
      const t = tokens[i];
      const generalBeforeName = t.lower === 'general' && i + 1 < chunk.to && isNameWord(tokens[i + 1]);
      if (isTitleHead(t) || isHonorific(t) || generalBeforeName) {
        lastHead = i;
        if (titleStart < 0) titleStart = i;
        i++;
        continue;
      }
      if (titleStart < 0 && t.cap && isTitleWord(t)) titleStart = i;
      if (this.isCountryAt(i)) {
        i = this.placeEnd[i];
        continue;
      }
      let end = this.nameEnd(i, chunk.to);
      // "Ambassador to Viet Nam He Wei": a function word capitalised inside a sentence, after a title, opens a name.
      if (end === i && lastHead >= 0 && t.cap && isFunctionWord(t) && i > chunk.from && i + 1 < chunk.to && isSpaceRun(this.prose, t.end, tokens[i + 1].start)) {
        const rest = this.nameEnd(i + 1, chunk.to);
        if (rest > i + 1) end = rest;
      }
      if (end === i) {
        i++;
        continue;
      }
      // "Sultan Qaboos Grand Mosque": a name that ends in a building's head names the building.
      if (isVenueHeadWord(tokens[end - 1]) && !VENUE_SURNAMES.has(tokens[end - 1].lower)) {
        i = end;
        continue;
      }
      const continuesList: boolean = previous !== null && previous.end === i - 1 && tokens[i - 1].lower === 'and';
      // "X Water Board" continues a title's complement; "X and …", "X of Kenya", "X to the …" end a name.
      const follows = end === chunk.to || !tokens[end].cap || this.bracketBefore(end);
      const long = end - i >= 2 || lastHead === i - 1 || (i > chunk.from && this.isCountryAt(i - 1) && lastHead >= 0);
      if (follows && long && (continuesList || (lastHead >= 0 && titleStart >= 0))) {
        const title: string = continuesList && previous ? previous.title : phrase(this.prose, tokens, titleStart, i - 1);
        this.addPerson(i, end, title, end === chunk.to);
        previous = { end, title };
        lastHead = -1;
        titleStart = -1;
      }
      i = end;
    }
  }

  /** A person at tokens [from, to); `mayGoOn`: the chunk ends there, so a link may cut the name ("[Ali](…) Khan"). */
  private addPerson(from: number, to: number, title?: string, mayGoOn = false): void {
    const full = mayGoOn ? this.nameAcrossLinks(from, to) : to;
    // Each piece between links is a mention of the whole name: a mention never spans markup.
    const name = phrase(this.prose, this.tokens, from, full - 1);
    let piece = from;
    for (let k = from + 1; k <= full; k++) {
      if (k < full && !this.tokens[k].afterMask) continue;
      this.add(piece, k, 'person', full > to ? name : undefined, title);
      piece = k;
    }
    this.lastPerson = { end: this.tokens[full - 1].end, sentence: this.tokens[from].sentence, title };
  }

  /**
   * Bare names that the context marks as persons: "X said", "met X", "counterpart, X",
   * "X, the Foreign Minister", and list items after a person or after "included".
   */
  private findCuedPersons(chunk: Chunk, previous: Chunk | null, earlier: Chunk | null): void {
    const runs = this.nameRuns(chunk);
    if (runs.length === 0) return;
    const { tokens, prose } = this;
    const first = tokens[chunk.from];
    const before = chunk.from > 0 ? tokens[chunk.from - 1] : null;
    const after = chunk.to < tokens.length ? tokens[chunk.to] : null;
    const gapBefore = before ? prose.slice(before.end, first.start) : '';
    const gapAfter = after ? prose.slice(tokens[chunk.to - 1].end, after.start) : '';
    const spaced = (gap: string) => /^\s+$/.test(gap) && !gap.includes('\n');
    const lowerBefore = before && !before.cap && before.sentence === first.sentence ? before.lower : '';
    const cued =
      (after && !after.cap && spaced(gapAfter) && this.verbFollows(chunk.to)) ||
      (lowerBefore && spaced(gapBefore) && PERSON_VERBS_BEFORE.has(lowerBefore)) ||
      (lowerBefore && /^,?\s+$/.test(gapBefore) && this.lowerTitleEndsAt(chunk.from - 1)) ||
      (previous !== null && /^\s*,\s*$/.test(prose.slice(tokens[previous.to - 1].end, first.start)) && this.lowerTitleOf(previous)) ||
      (previous !== null && this.titleBeforeMarkup(previous, chunk)) ||
      (lowerBefore && spaced(gapBefore) && LIST_CUES.has(lowerBefore)) ||
      this.continuesPersonList(chunk) ||
      (previous !== null && (this.isBareTitle(previous) || (earlier !== null && this.continuesTitle(earlier, previous))) &&
        /^\)?\s*,\s*$/.test(prose.slice(tokens[previous.to - 1].end, first.start))) ||
      (/^\s*,\s*$/.test(gapAfter) && this.titleFollows(chunk.to));
    if (!cued) return;
    for (const [from, to] of runs) {
      // "Government House hosted …": a building, unless its head is also a surname ("Stuart Hall said").
      const last = this.tokens[to - 1];
      if (isVenueHeadWord(last) && !VENUE_SURNAMES.has(last.lower)) continue;
      if (to - from >= 2 || (runs.length === 1 && previous !== null && this.titleBeforeMarkup(previous, chunk))) this.addPerson(from, to, undefined, to === chunk.to);
    }
  }

  /** Does a verb of saying or meeting start at token `k`, perhaps after one adverb ("later met", "also said")? */
  private verbFollows(k: number): boolean {
    const { tokens } = this;
    const t = tokens[k];
    if (PERSON_VERBS_AFTER.has(t.lower)) return true;
    const next = tokens[k + 1];
    return next !== undefined && ADVERBS_BEFORE_VERB.has(t.lower) && !next.cap && isSpaceRun(this.prose, t.end, next.start) && PERSON_VERBS_AFTER.has(next.lower);
  }

  /**
   * Does a title in lower case end at token `k`: "the foreign minister", "minister of trade",
   * "the representative of" (before a country chunk)? Walks left over portfolio words to a title head.
   */
  private lowerTitleEndsAt(k: number): boolean {
    const { tokens, prose } = this;
    if (k < 0) return false;
    const sentence = tokens[k].sentence;
    for (let n = k; n >= 0 && k - n < 8 && tokens[n].sentence === sentence; n--) {
      const t = tokens[n];
      if (n < k && !isSpaceRun(prose, t.end, tokens[n + 1].start)) return false;
      if (!t.cap && TITLE_HEADS.has(t.lower)) return true;
      const fits = /^(?:of|for|to|in|the|and)$/.test(t.lower) || isTitleWord(t) || isDemonym(t);
      if (!fits || (n === k && /^(?:the|and)$/.test(t.lower))) return false;
    }
    return false;
  }

  /** Is the chunk the complement of a title in lower case: "the representative of Algeria", "the envoy for the Sahel"? */
  private lowerTitleOf(chunk: Chunk): boolean {
    let k = chunk.from - 1;
    if (k >= 0 && this.tokens[k].lower === 'the') k--;
    return k >= 0 && /^(?:of|for|to|in)$/.test(this.tokens[k].lower) && this.lowerTitleEndsAt(k);
  }

  /** Is `previous` a title ending in its head, with only masked markup before `chunk` ("Minister [Ali Khan](…)")? */
  private titleBeforeMarkup(previous: Chunk, chunk: Chunk): boolean {
    const { tokens, prose } = this;
    const last = tokens[previous.to - 1];
    const first = tokens[chunk.from];
    return first.afterMask && isTitleHead(last) && !last.possessive && isSpaceRun(prose, last.end, first.start) && chunk.from === previous.to;
  }

  /** The chunk as names joined by "and" ("Abiy Ahmed and William Ruto"), or [] when it is anything else. */
  private nameRuns(chunk: Chunk): Array<[number, number]> {
    const runs: Array<[number, number]> = [];
    let i = chunk.from;
    // A sentence may open with a participle, adverb or function word before the name ("Later Abiy Ahmed …").
    const opener = this.tokens[i];
    if ((/(?:ing|ly|ed)$/.test(opener.lower) || isFunctionWord(opener)) && chunk.to - i > 2) i++;
    while (i < chunk.to) {
      const end = this.nameEnd(i, chunk.to);
      if (end === i) return [];
      runs.push([i, end]);
      // "Takeshi Iwaya in Tokyo": a lower-case connector other than "and" ends the names.
      if (end === chunk.to || (!this.tokens[end].cap && this.tokens[end].lower !== 'and')) break;
      if (this.tokens[end].lower !== 'and' || end + 1 >= chunk.to) return [];
      // "Souleymane Diarrassouba and Senegal’s minister …": a country after "and" starts another phrase.
      if (this.isCountryAt(end + 1)) break;
      i = end + 1;
    }
    return runs;
  }

  /** A title with no name after it ("The Secretary of Foreign Affairs of Mexico"), so a name may follow after a comma. */
  private isBareTitle(chunk: Chunk): boolean {
    const last = this.tokens[chunk.to - 1];
    if (this.lastPerson && this.lastPerson.end === last.end) return false;
    for (let n = chunk.from; n < chunk.to; n++) if (isTitleHead(this.tokens[n])) return true;
    return false;
  }

  /**
   * Does `chunk` go on with the bare title `earlier`: the rest of a portfolio after a comma
   * ("Commissioner for Political Affairs, Peace and Security"), or the acronym of its body ("… Council (GCC)")?
   */
  private continuesTitle(earlier: Chunk, chunk: Chunk): boolean {
    const { tokens, prose } = this;
    const gap = prose.slice(tokens[earlier.to - 1].end, tokens[chunk.from].start);
    const words = tokens.slice(chunk.from, chunk.to);
    const acronym = words.length === 1 && words[0].inParens && /^\s*\($/.test(gap);
    const portfolio = /^\s*,\s*$/.test(gap) && words.every((t) => (t.cap && isTitleWord(t)) || (!t.cap && CONNECTORS.has(t.lower)));
    return (acronym || portfolio) && this.isBareTitle(earlier);
  }

  /** Is the chunk the next item of a list of people ("…, Khalil Hashmi, Muhammad Idrees and …")? */
  private continuesPersonList(chunk: Chunk): boolean {
    const last = this.lastPerson;
    const first = this.tokens[chunk.from];
    if (!last || last.sentence !== first.sentence) return false;
    return /^\s*,\s*(?:and\s+)?$/.test(this.prose.slice(last.end, first.start));
  }

  /** After "X, ": "the Foreign Minister", "Kenya’s Cabinet Secretary for Trade", "the Chinese interior minister". */
  private titleFollows(k: number): boolean {
    const { tokens } = this;
    const sentence = tokens[k - 1].sentence;
    for (let n = k; n < Math.min(tokens.length, k + 8) && tokens[n].sentence === sentence; n++) {
      const t = tokens[n];
      if (TITLE_HEADS.has(bare(t))) return true;
      if (n > k && /[,;()]/.test(this.prose.slice(tokens[n - 1].end, t.start))) return false;
      const fits = /^(?:the|a|an|his|her|its|their|of|for|and)$/.test(t.lower) || isTitleWord(t) || isDemonym(t) || this.placeEnd[n] > 0 || (t.possessive && t.cap);
      if (!fits) return false;
    }
    return false;
  }
}

function titleCase(name: string): string {
  return name.replace(/\p{L}+/gu, (w) => (w.length > 2 && w === w.toUpperCase() ? w[0] + w.slice(1).toLowerCase() : w));
}

/**
 * The characters that mentions take, as sorted, disjoint, non-empty ranges: a piece has few
 * mentions, so this is smaller and quicker to make than a flag per character.
 */
export class Coverage {
  private readonly starts: number[];
  private readonly ends: number[];

  constructor(from?: Coverage) {
    this.starts = from ? from.starts.slice() : [];
    this.ends = from ? from.ends.slice() : [];
  }

  /** Index of the first range that ends after `at` (ranges are disjoint, so ends are sorted too). */
  private firstEndingAfter(at: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] > at) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Is no character of [start, end) covered? */
  isFree(start: number, end: number): boolean {
    if (start >= end) return true;
    const i = this.firstEndingAfter(start);
    return i === this.ends.length || this.starts[i] >= end;
  }

  covers(at: number): boolean {
    return !this.isFree(at, at + 1);
  }

  add(start: number, end: number): void {
    if (start >= end) return;
    // Ranges from `first` to `last` (exclusive) overlap or touch [start, end): they merge into one.
    const first = this.firstEndingAfter(start - 1);
    let last = first;
    while (last < this.starts.length && this.starts[last] <= end) last++;
    const mergedStart = last > first ? Math.min(start, this.starts[first]) : start;
    const mergedEnd = last > first ? Math.max(end, this.ends[last - 1]) : end;
    this.starts.splice(first, last - first, mergedStart);
    this.ends.splice(first, last - first, mergedEnd);
  }
}

/**
 * Candidates in `prose` (sentences and known spans relative to it), the known spans left free;
 * `text` is what the prose masks, so no candidate spans blanked-out markup.
 */
export function detectLocal(prose: string, sentences: readonly Sentence[], known: readonly Span[], text: string = prose): LocalDetection {
  const detector = new Detector(prose, sentences, text);
  const candidates = detector.run().concat(delegatesByCountry(prose, detector.tokens));
  const covered = new Coverage();
  for (const m of known) covered.add(m.start, m.end);
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || TYPE_RANK[a.type] - TYPE_RANK[b.type]);
  const chosen: Candidate[] = [];
  for (const c of candidates) {
    if (!covered.isFree(c.start, c.end)) continue;
    chosen.push(c);
    covered.add(c.start, c.end);
  }
  for (const c of [...nativeRenderings(prose, chosen), ...routeEnds(prose, chosen)]) {
    if (!covered.isFree(c.start, c.end)) continue;
    chosen.push(c);
    covered.add(c.start, c.end);
  }
  chosen.sort((a, b) => a.start - b.start);
  const surfaces: Array<[string, EntityType, string]> = [];
  for (const c of chosen) {
    const text = collapseSpaces(prose.slice(c.start, c.end));
    // "Sergey Viktorovich Lavrov" is "Sergey Lavrov" too: a patronymic is often left out.
    const patronymic = c.type === 'person' ? PATRONYMIC_NAME.exec(text) : null;
    if (patronymic) surfaces.push([`${patronymic[1]} ${patronymic[2]}`, c.type, c.key]);
    // A one-word person counts when a title introduced it ("Foreign Minister Sugiono"), as an Indonesian mononym.
    if ((c.type !== 'place' || c.town) && (c.type !== 'person' || text.includes(' ') || c.title)) surfaces.push([text, c.type, c.key]);
    // "the Sultanate", "the Kingdom" for the "Sultanate of Oman" named before (see surfacesOf).
    else if (c.type === 'place' && MONARCHY.test(text)) surfaces.push([text, c.type, c.key]);
  }
  return { tokens: detector.tokens, chosen, acronyms: [...detector.acronyms], covered, surfaces };
}

/** Given name, patronymic (East Slavic "-ovich", "-evna" …) and surname. */
const PATRONYMIC_NAME = /^(\p{Lu}\p{Ll}+) \p{Lu}\p{Ll}+(?:ovich|evich|yevich|ievich|ich|ovna|evna|yevna|ichna|ична|ович|евич|овна|евна) (\p{Lu}\p{Ll}+)$/u;
/** A name in another script in brackets right after it: "Wang Yi (王毅)", "Battsetseg Batmunkh (Батцэцэг Батмөнх)". */
const NATIVE_RENDERING = /^[ \t\u00a0]*\(((?=[^()\n]*\p{L})[^\p{Script=Latin}\p{N}()\n,;:]{1,40})\)/u;

/** The native-script renderings of the chosen candidates, each a mention of the same entity. */
function nativeRenderings(prose: string, chosen: readonly Candidate[]): Candidate[] {
  const found: Candidate[] = [];
  for (const c of chosen) {
    const m = NATIVE_RENDERING.exec(prose.slice(c.end, c.end + 48));
    if (!m) continue;
    const inner = m[1].trim();
    const start = c.end + m[0].indexOf(inner);
    found.push({ start, end: start + inner.length, type: c.type, key: c.key });
  }
  return found;
}

/** UN summaries name a speaker by the country he speaks for: "Fu Cong (China) said …". */
function delegatesByCountry(prose: string, tokens: readonly Token[]): Candidate[] {
  const byEnd = new Map<number, number>();
  tokens.forEach((t, n) => byEnd.set(t.end, n));
  const found: Candidate[] = [];
  const bracket = /[ \t]\(([^()\n]{2,40})\)/g;
  for (let m = bracket.exec(prose); m; m = bracket.exec(prose)) {
    const last = byEnd.get(m.index);
    if (last === undefined || !isCountry(m[1])) continue;
    let first = last;
    const personal = (t: Token): boolean => isNameWord(t) && !isHonorific(t) && !isTitleWord(t) && placeCode(t.text) === undefined;
    while (first > 0 && last - first < 2 && personal(tokens[first - 1]) && isSpaceRun(prose, tokens[first - 1].end, tokens[first].start)) first--;
    if (!personal(tokens[last]) || first === last) continue;
    // A longer run of name words is no name said before its country.
    if (first > 0 && isNameWord(tokens[first - 1]) && isSpaceRun(prose, tokens[first - 1].end, tokens[first].start)) continue;
    const name = phrase(prose, tokens, first, last);
    if (placeCode(name) !== undefined) continue;
    found.push({ start: tokens[first].start, end: tokens[last].end, type: 'person', key: `person:${name}` });
  }
  return found;
}

/** Lower-case nouns after which a dashed run of names is a route between places ("Naushki–Sukhbaatar border"). */
const ROUTE_NOUNS = new Set(['railway', 'railroad', 'road', 'highway', 'motorway', 'pipeline', 'corridor', 'border', 'route', 'line', 'crossing', 'bridge', 'checkpoint', 'expressway', 'rail', 'ferry']);
/** Names joined by en dashes: "Lao Cai–Hanoi–Hai Phong". Each link is bounded, so this never backtracks far. */
const DASHED_NAMES = /(?<![\p{L}\p{N}'’-])\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){0,2}(?:–\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+){0,2})+/gu;

/**
 * A dashed run of names is a route when one of its names is a place already or a route noun
 * follows: then every free name in it is a place too.
 */
function routeEnds(prose: string, chosen: readonly Candidate[]): Candidate[] {
  const placeAt = new Map<number, Candidate>();
  const taken = new Set<number>();
  for (const c of chosen) {
    taken.add(c.start);
    if (c.type === 'place') placeAt.set(c.start, c);
  }
  const found: Candidate[] = [];
  DASHED_NAMES.lastIndex = 0;
  for (let m = DASHED_NAMES.exec(prose); m; m = DASHED_NAMES.exec(prose)) {
    const parts: Array<{ start: number; end: number; name: string }> = [];
    let at = m.index;
    for (const part of m[0].split('–')) {
      // A sentence's first word may open the run: "The Lao Cai–Hanoi …".
      const words = part.split(' ');
      let skip = 0;
      while (words.length - skip > 1 && FUNCTION_WORDS.has(words[skip].toLowerCase())) skip++;
      const name = words.slice(skip).join(' ');
      const start = at + part.length - name.length;
      parts.push({ start, end: start + name.length, name });
      at += part.length + 1;
    }
    // "Saudi–Jordanian" pairs peoples; "Lao Cai" starts with one and is a town.
    if (parts.some((p) => demonymCountry(p.name) !== undefined || (taken.has(p.start) && !placeAt.has(p.start)))) continue;
    const next = /^ ([a-z]+)/.exec(prose.slice(m.index + m[0].length, m.index + m[0].length + 24))?.[1];
    if (!parts.some((p) => placeAt.get(p.start)?.end === p.end) && !(next && ROUTE_NOUNS.has(next))) continue;
    for (const p of parts) if (!taken.has(p.start)) found.push({ start: p.start, end: p.end, type: 'place', key: `place:${p.name}` });
  }
  return found;
}

/**
 * The surfaces of every piece, in text order: persons with two words or more or a title, organisations,
 * events and towns read from context (other places are the gazetteer's), then the acronyms; the
 * first occurrence of a text sets its type, the last definition of an acronym its meaning.
 */
export function surfacesOf(parts: readonly LocalDetection[]): Surfaces {
  const byFirstWord = new Map<string, Surface[]>();
  const added: string[] = [];
  const seen = new Set<string>();
  const remember = (text: string, type: EntityType, key: string, afterThe = false) => {
    if (seen.has(text)) return;
    seen.add(text);
    const words = text.split(' ');
    const list = byFirstWord.get(words[0]) ?? [];
    list.push({ text, length: words.length, type, key, ...(afterThe ? { afterThe } : {}) });
    list.sort((a, b) => b.length - a.length);
    byFirstWord.set(words[0], list);
    added.push(`${text}\u0001${type}\u0001${key}${afterThe ? '\u0001the' : ''}`);
  };
  const acronyms = new Map<string, { type: EntityType; key: string }>();
  // "the Council", "Council members" stand for the first body named "… Council" (propagate prefers the last one named before them).
  const heads = new Map<string, [EntityType, string]>();
  for (const detection of parts) {
    for (const [text, type, key] of detection.surfaces) {
      remember(text, type, key);
      // "the Binational Commission" for the "Binational Commission for Political Consultation" named before.
      const named = type === 'organization' ? SHORT_BODY.exec(text)?.[1] : undefined;
      if (named && referenceHead(named)) remember(named, type, key, true);
      const head = type === 'organization' ? referenceHead(text) : type === 'place' ? MONARCHY.exec(text)?.[1] : undefined;
      if (head && !heads.has(head)) heads.set(head, [type, key]);
    }
    for (const [acronym, meaning] of detection.acronyms) acronyms.set(acronym, meaning);
  }
  for (const [acronym, { type, key }] of acronyms) remember(acronym, type, key);
  for (const [head, [type, key]] of heads) remember(head, type, key, true);
  return { byFirstWord, signature: added.join('\u0000') };
}

/** Every token run of the piece that spells a surface (and is still free) becomes a candidate too. */
export function propagate(prose: string, detection: LocalDetection, surfaces: Surfaces): Candidate[] {
  const { tokens } = detection;
  const covered = new Coverage(detection.covered);
  const found: Candidate[] = [];
  // "the Council" stands for the last "… Council" named before it in the piece (else the first in the document).
  const lastBody = new Map<string, string>();
  let passed = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    for (; passed < detection.chosen.length && detection.chosen[passed].end <= t.start; passed++) {
      const c = detection.chosen[passed];
      const head = c.type === 'organization' ? referenceHead(prose.slice(c.start, c.end)) : undefined;
      if (head) lastBody.set(head, c.key);
    }
    if (!t.cap || t.noise || covered.covers(t.start)) continue;
    for (const s of surfaces.byFirstWord.get(t.text) ?? []) {
      const last = i + s.length - 1;
      if (last >= tokens.length || phrase(prose, tokens, i, last) !== s.text || acrossMask(tokens, i, last)) continue;
      if (s.afterThe && tokens[i - 1]?.lower !== 'the' && tokens[last + 1]?.lower !== 'members') continue;
      if (!covered.isFree(t.start, tokens[last].end)) continue;
      const key = s.afterThe && s.length === 1 ? (lastBody.get(s.text) ?? s.key) : s.key;
      found.push({ start: t.start, end: tokens[last].end, type: s.type, key });
      covered.add(t.start, tokens[last].end);
      i = last;
      break;
    }
  }
  return found;
}

/** Does masked markup stand between any two of the tokens from `from` to `to` (inclusive)? */
function acrossMask(tokens: readonly Token[], from: number, to: number): boolean {
  for (let k = from + 1; k <= to; k++) if (tokens[k].afterMask) return true;
  return false;
}

/** Mentions of `doc` for candidates found at `offset` in it. */
export function toMentions(doc: ProseDocument, candidates: readonly Candidate[], offset = 0): Mention[] {
  return candidates.map((c) => ({
    start: c.start + offset,
    end: c.end + offset,
    text: doc.text.slice(c.start + offset, c.end + offset),
    type: c.type,
    id: null,
    source: 'detected' as const,
    entity: c.key,
    ...(c.title ? { title: c.title } : {}),
  }));
}

/**
 * Mentions of entities no registry knows, never overlapping `known` (registry hits win).
 * Runs on `doc.prose`; offsets are into `doc.text`.
 */
export function detectMentions(doc: ProseDocument, sentences: Sentence[], known: Mention[]): Mention[] {
  const detection = detectLocal(doc.prose, sentences, known, doc.text);
  const surfaces = surfacesOf([detection]);
  const all = detection.chosen.concat(propagate(doc.prose, detection, surfaces)).sort((a, b) => a.start - b.start);
  return toMentions(doc, all);
}
