// Word classes of the genre: the words around names that tell what a capitalised phrase is.
// All lists are lower-case; lookups lower-case the word first.
import { demonymCountry, isCountry, placeWordsFrom } from './gazetteer';
import type { Token } from './tokens';

const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

/** Heads of titles that precede a person's name ("Interior Minister X", "DG X"). */
export const TITLE_HEADS = words(`
  minister ministers secretary secretaries ambassador ambassadors director directors president presidents
  chairman chairwoman chairperson chair governor governors mayor commissioner commissioners envoy envoys
  spokesperson spokesman spokeswoman chief head premier chancellor king queen prince princess emir amir
  sultan counsellor counselor consul adviser advisor advisers advisors undersecretary senator senators
  congressman congresswoman lawmaker officer commander inspector superintendent marshal admiral colonel
  captain lieutenant judge justice speaker leader coordinator administrator prosecutor delegate delegates
  negotiator representative representatives attaché attache dg dgs igp dig ceo mp mna mpa pm fm ssp
  vice-president vice-chairman secretary-general director-general under-secretary deputy-director
  president-elect prime-minister foreign-minister first-lady crown-prince official officials counterpart
  councillor councillors councilor councilors khokim hokim akim wali vali emirs amirs chancellors premiers
  vice-premier vice-premiers governor-general taoiseach prefect préfet ombudsman rapporteur emissary envoy-designate
  chargé minister-counsellor minister-counselor viceroy monarch brigadier general-secretary attorney attorney-general
  presidente presidenta vicepresidente vicepresidenta canciller vicecanciller chanceler ministro ministra
  embajador embajadora embaixador embaixadora secretario secretaria secretário secretária ministre président présidente
`);

/** Heads of administrative areas and waters: "Asokoro District", "District of Abidjan", "Beibu Gulf". */
export const AREA_HEADS = words(`district province county governorate prefecture municipality oblast gulf bay strait sea river lake peninsula`);

/** Courtesy titles; "Mr." and "H.E." arrive with their dot removed. */
export const HONORIFICS = words(`mr mrs ms miss dr prof sir dame lord lady sheikh sheikha shaikh sayyid sayyida sayed h.e hrh excellency hon madam`);

/**
 * Words that modify titles or name the portfolio or unit in them ("Deputy", "Foreign", "Public Security",
 * "International Cooperation"): never part of a person's name.
 */
export const TITLE_WORDS = words(`
  vice deputy state federal foreign interior home acting prime first second third senior junior assistant
  associate executive permanent special principal additional joint chief general national provincial
  regional municipal central cabinet defence defense finance financial trade commerce health education
  justice energy water agriculture industry industries planning development information broadcasting
  communications communication technology science sciences culture cultural tourism labour labor
  environment climate transport infrastructure housing urban rural social welfare women youth sports
  human rights resources petroleum mining mines minerals investment investments immigration citizenship
  police public security affairs relations strategic policy legal consular protocol political
  parliamentary religious overseas digital maritime fisheries customs revenue treasury budget cyber
  counterterrorism counter-terrorism terrorism intelligence operations operation administration
  management cooperation co-operation integration international internal external economic economy bilateral
  multilateral emergency disaster peace migration narcotics control crime crimes investigation
  investigations office department division bureau directorate section wing unit desk branch people
  europe european asia asian africa african america americas middle east west north south central
  pacific gulf affair liaison media press communications standing select committee commission council
  republic region regions county province district territory city capital metropolitan
  training research planning anti-corruption corruption audit statistics railways railway aviation
  ports shipping oceans fisheries livestock food nutrition wildlife forestry forests lands land
  heritage arts information-technology telecommunications post posts military army navy air armed
  forces force staff joint-chiefs chiefs coast guard border borders highway highways roads works
  electricity power oil gas states nations countries islands territories
  irrigation protection reconstruction solidarity employment innovation modernisation modernization
  transformation equality gender family children veterans refugees diaspora emigrants expatriates
  endowments awqaf hajj sanitation reform reforms decentralisation decentralization cooperatives
  entrepreneurship enterprises privatisation privatization humanitarian relief recovery safety prevention
  governance ecology biodiversity marine space aerospace nuclear atomic
`);

/** Words of a state's formal name before "of <country>" ("Federal Democratic Republic of Ethiopia"). */
export const STATE_FORM_WORDS = words(`
  republic kingdom federation federal democratic people socialist islamic arab united plurinational
  bolivarian hashemite state commonwealth sultanate emirate principality grand duchy oriental cooperative
`);
/** The noun of such a name, which must stand just before "of". */
export const STATE_NOUNS = words(`republic kingdom federation state commonwealth sultanate emirate principality duchy`);

/** Heads of organisation names ("… Agency", "Ministry of …"). */
export const ORG_HEADS = words(`
  ministry ministries agency bureau commission authority academy university organization organisation
  council committee group bank fund institute institution corporation union association party force
  forces police department office directorate division secretariat embassy consulate court tribunal
  parliament senate league alliance federation chamber centre center foundation company board service
  services network army navy guard corps community college school hospital electronics motors airlines
  airways holdings technologies telecom mechanism administration trust railway railways mission entity
`);

/** Organisation heads that, inside a title, name a sub-unit of the office ("Counterterrorism Department"). */
export const SUBUNIT_HEADS = words(`department office division directorate section wing unit desk branch`);

/** Heads of buildings, venues, ports and routes, named places: "Merdeka Palace", "Great Hall of the People", "Blair House". */
export const VENUE_HEADS = words(`
  palace palais palacio palácio palazzo istana hall house residence mansion castle château villa
  airport stadium arena pavilion complex building tower square guesthouse corridor route port seaport dam bridge terminal bhavan bhawan qasr
  mosque cathedral church temple shrine
`);
/** Venue heads whose name follows them: "Palais des Nations", "Palacio de Nariño", "Istana Merdeka". */
export const VENUE_HEADS_FIRST = words(`palais palacio palácio palazzo istana château qasr`);
/** Words that make a "… Centre" a venue rather than a body ("International Convention Centre"). */
export const VENUE_CENTRE_WORDS = words(`convention conference congress exhibition exhibitions expo press trade media events`);

/** Heads of named events. */
export const EVENT_HEADS = words(`
  forum summit conference dialogue expo games olympics congress assembly meeting symposium roundtable
  exhibition fair festival consultations retreat cup championship championships talks session readings week
`);

/** Modifiers that make an "… Assembly" or "… Congress" a standing body rather than an event. */
export const LEGISLATURE_MARKERS = words(`national legislative constituent federal provincial state people`);

/** Particles inside names: "bin", "van", "de" lower-case; "al-"/"el-" joined by a hyphen. */
export const NAME_PARTICLES = words(`al el bin bint ibn binti abu ben van von der den de del della des du da di dos das la le y`);

/** Capitalised words that start sentences or stand in headings and are never names. */
export const FUNCTION_WORDS = words(`
  the a an this that these those both our their his her its my your we they he she it i you all each
  every some any other another last next in on at for from with by during after before under over as
  and but or also meanwhile however earlier later today yesterday tomorrow tonight speaking addressing
  according while when where what which who whom whose why how if then there here such no not yes
  mr mrs ms dr upon about against between among amid through throughout since until toward towards
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday read see note photo image source update
  breaking exclusive live video watch related more
  paragraph annex article section chapter part
`);

/** Verbs of saying and meeting that follow or precede a bare person name. */
export const PERSON_VERBS_AFTER = words(`
  said says told added noted stressed emphasised emphasized stated remarked urged thanked welcomed
  expressed praised underlined highlighted reiterated invited met meets visited called briefed
  assured affirmed reaffirmed conveyed explained announced pledged vowed agreed warned insisted
  hosted received led signed
`);
export const PERSON_VERBS_BEFORE = words(`met meets meeting thanked invited received hosted welcomed told urged with by`);

/** Words after which a comma-separated list of people follows ("The delegation included A, B and C"). */
export const LIST_CUES = words(`included including include includes comprised comprising comprises accompanied joined namely were are`);

/** The word in lower case without an abbreviation's dot ("Mr." → "mr"). */
export const bare = (t: Token): string => (t.lower.endsWith('.') ? t.lower.slice(0, -1) : t.lower);

// Word classes as bits of `Token.classes`: a token is classified the first time it is asked about
// (most words never are) and a word once per process, so the finders, which ask about the same
// token many times, test a bit instead of looking words up.
const TITLE_HEAD = 1;
const TITLE_WORD = 2;
const HONORIFIC = 4;
const FUNCTION_WORD = 8;
const ORG_HEAD = 16;
const EVENT_HEAD = 32;
const DEMONYM = 64;
const COUNTRY = 128;
const NUMERAL = 256;
const VENUE_HEAD = 512;
const NEVER_IN_NAME = TITLE_HEAD | TITLE_WORD | HONORIFIC | FUNCTION_WORD | ORG_HEAD | EVENT_HEAD | DEMONYM | COUNTRY | NUMERAL;
/** The bits above hold the gazetteer's `placeWordsFrom` of the word. */
const PLACE_WORDS_SHIFT = 16;

/** Classes by word as written; cleared when full, since a workspace's names are unbounded. */
const classesByWord = new Map<string, number>();
const MAX_CLASSIFIED_WORDS = 100_000;

/** `Token.classes` of a token not asked about yet. */
export const UNCLASSIFIED = -1;

function classesOf(t: Token): number {
  if (t.classes === UNCLASSIFIED) t.classes = wordClasses(t.text);
  return t.classes;
}

/** The word classes of a word as written (`Token.text`). */
function wordClasses(text: string): number {
  let classes = classesByWord.get(text);
  if (classes === undefined) {
    classes = classify(text);
    if (classesByWord.size >= MAX_CLASSIFIED_WORDS) classesByWord.clear();
    classesByWord.set(text, classes);
  }
  return classes;
}

function classify(text: string): number {
  const lower = text.toLowerCase();
  const bareWord = lower.endsWith('.') ? lower.slice(0, -1) : lower;
  const parts = bareWord.split(/[-‐‑]/);
  const compound = parts.length > 1;
  let classes = 0;
  if (TITLE_HEADS.has(bareWord) || (compound && parts.some((p) => TITLE_HEADS.has(p)))) classes |= TITLE_HEAD;
  if (TITLE_WORDS.has(lower) || (compound && parts.every((p) => TITLE_WORDS.has(p)))) classes |= TITLE_WORD;
  if (HONORIFICS.has(bareWord)) classes |= HONORIFIC;
  if (FUNCTION_WORDS.has(bareWord)) classes |= FUNCTION_WORD;
  if (ORG_HEADS.has(lower)) classes |= ORG_HEAD;
  if (EVENT_HEADS.has(lower)) classes |= EVENT_HEAD;
  if (VENUE_HEADS.has(lower)) classes |= VENUE_HEAD;
  if (demonymCountry(text) !== undefined) classes |= DEMONYM;
  if (isCountry(text)) classes |= COUNTRY;
  if (/^\p{N}/u.test(text)) classes |= NUMERAL;
  return classes | (placeWordsFrom(text) << PLACE_WORDS_SHIFT);
}

export const isTitleHead = (t: Token): boolean => (classesOf(t) & TITLE_HEAD) !== 0;
export const isHonorific = (t: Token): boolean => t.cap && (classesOf(t) & HONORIFIC) !== 0;
export const isTitleWord = (t: Token): boolean => (classesOf(t) & TITLE_WORD) !== 0;
export const isDemonym = (t: Token): boolean => (classesOf(t) & DEMONYM) !== 0;
/** A function word, with or without an abbreviation's dot ("The", "Mr."). */
export const isFunctionWord = (t: Token): boolean => (classesOf(t) & FUNCTION_WORD) !== 0;
export const isOrgHeadWord = (t: Token): boolean => (classesOf(t) & ORG_HEAD) !== 0;
export const isEventHeadWord = (t: Token): boolean => (classesOf(t) & EVENT_HEAD) !== 0;
export const isVenueHeadWord = (t: Token): boolean => (classesOf(t) & VENUE_HEAD) !== 0;
/** Most words a place name starting with the token can have (see gazetteer.ts); 0 when none starts so. */
export const placeWords = (t: Token): number => classesOf(t) >>> PLACE_WORDS_SHIFT;

/** A capitalised word that can be part of a person's name: not a title, unit, function word, demonym or country. */
export function isNameWord(t: Token): boolean {
  return t.cap && !t.acronym && !t.noise && (classesOf(t) & NEVER_IN_NAME) === 0;
}

/** A name word written in capitals ("LAVROV" in "MINISTER LAVROV:"), read as its title-cased form would be. */
export function isCapitalsNameWord(t: Token): boolean {
  if (!t.acronym || t.noise || (classesOf(t) & NEVER_IN_NAME) !== 0) return false;
  return (wordClasses(t.text[0] + t.text.slice(1).toLowerCase()) & NEVER_IN_NAME) === 0;
}
