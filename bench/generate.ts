// Deterministic generator of benchmark material in the genre: articles (with gold entity spans),
// registries of any size, and workspaces of many articles. Seeded, so every run measures the same text.

export type Rng = () => number;

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const SYLLABLES = ['ka', 'ran', 'mo', 'li', 'sa', 'ten', 'vor', 'bel', 'du', 'nash', 'ri', 'qi', 'zan', 'fel', 'tor', 'ma', 'hu', 'el', 'an', 'sor', 'vi', 'lo', 'gar', 'hen', 'dro', 'pa', 'wen', 'yu', 'ba', 'ish'];
const TITLES = ['Foreign Minister', 'Interior Minister', 'Trade Minister', 'Deputy Foreign Minister', 'Ambassador', 'State Minister for Trade', 'Director General', 'Vice Minister', 'Defence Secretary', 'Chief Commissioner'];
const COUNTRIES = ['Kenya', 'Ethiopia', 'Pakistan', 'China', 'Egypt', 'Chile', 'Peru', 'Vietnam', 'Indonesia', 'Qatar', 'Norway', 'Brazil'];
const CITIES = ['Nairobi', 'Addis Ababa', 'Islamabad', 'Beijing', 'Cairo', 'Santiago', 'Lima', 'Hanoi', 'Jakarta', 'Doha', 'Oslo', 'Brasília'];
const ORG_HEADS = ['Ministry of', 'National Agency for', 'Commission on', 'Bureau of'];
const ORG_TOPICS = ['Trade', 'Water Resources', 'Public Security', 'Maritime Affairs', 'Energy', 'Customs', 'Digital Economy'];
const EVENTS = ['Forum', 'Summit', 'Dialogue', 'Conference'];

function word(r: Rng, min = 2, max = 3): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let w = '';
  for (let i = 0; i < n; i++) w += pick(r, SYLLABLES);
  return w[0].toUpperCase() + w.slice(1);
}

export interface GoldSpan {
  start: number;
  end: number;
  type: 'person' | 'organization' | 'place' | 'event';
  text: string;
}

export interface GeneratedArticle {
  text: string;
  gold: GoldSpan[];
  people: string[];
}

/** One article of roughly `targetBytes` characters, with gold spans for every entity it writes. */
export function article(seed: number, targetBytes: number): GeneratedArticle {
  const r = rng(seed);
  const gold: GoldSpan[] = [];
  const people: string[] = [];
  let text = `---\ntitle: Bilateral talks ${seed}\ndate: 2026-0${1 + (seed % 9)}-1${seed % 10}\n---\n\n# Ministers meet on cooperation\n\n`;
  const emit = (s: string, type?: GoldSpan['type']): void => {
    if (type) gold.push({ start: text.length, end: text.length + s.length, type, text: s });
    text += s;
  };
  while (text.length < targetBytes) {
    const a = `${word(r)} ${word(r)}`;
    const b = `${word(r)} ${word(r)}`;
    people.push(a, b);
    const [ca, cb] = [pick(r, COUNTRIES), pick(r, COUNTRIES)];
    const org = `${pick(r, ORG_HEADS)} ${pick(r, ORG_TOPICS)}`;
    const event = `${word(r)} ${pick(r, ORG_TOPICS)} ${pick(r, EVENTS)}`;
    emit(`${pick(r, TITLES)} `); emit(a, 'person'); emit(' met his counterpart, '); emit(b, 'person');
    emit(', in '); emit(pick(r, CITIES), 'place'); emit(' on Tuesday, according to the '); emit(org, 'organization'); emit('.\n\n');
    emit(`${a.split(' ')[1]}`, 'person'); emit(' said '); emit(ca, 'place'); emit(' and '); emit(cb, 'place');
    emit(' agreed to convene a joint commission every three months and to meet annually.\n\n');
    emit('- The two sides pledged to finalise a trade framework by the end of March 2027.\n');
    emit(`- ${b.split(' ')[1]}`, 'person'); emit(' invited the delegation to attend the '); emit(event, 'event'); emit(' in September.\n\n');
    emit('> "We value this partnership," one official said, praising the `draft` text and a [report](https://example.org/r).\n\n');
  }
  return { text, gold, people };
}

export interface GeneratedEntity {
  id: string;
  name: string;
  type: GoldSpan['type'];
  aliases: string[];
}

/** A registry of `n` entities with aliases, as YAML (with comments, as analysts keep it). */
export function registry(seed: number, n: number, include: string[] = []): { yaml: string; entities: GeneratedEntity[] } {
  const r = rng(seed);
  const entities: GeneratedEntity[] = include.map((name, i) => ({ id: `known-${i}`, name, type: 'person', aliases: [name.split(' ')[1]] }));
  const seen = new Set(entities.flatMap((e) => [e.name, ...e.aliases]));
  while (entities.length < n) {
    const name = `${word(r)} ${word(r, 2, 4)}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const alias = `${name.split(' ')[0]} ${word(r, 1, 2)}`;
    const aliases = seen.has(alias) ? [] : [alias];
    aliases.forEach((x) => seen.add(x));
    entities.push({ id: `e-${entities.length}`, name, type: pick(r, ['person', 'person', 'organization', 'place', 'event'] as const), aliases });
  }
  let yaml = '# Generated registry for benchmarks\nentities:\n';
  for (const e of entities) {
    yaml += `  - id: ${e.id}\n    name: ${e.name}\n    type: ${e.type}\n`;
    if (e.aliases.length) yaml += `    aliases: [${e.aliases.join(', ')}]\n`;
  }
  return { yaml, entities };
}

/** `count` small articles (2–8 KB), as a workspace would hold them. */
export function* workspace(seed: number, count: number): Generator<{ path: string; text: string }> {
  for (let i = 0; i < count; i++) {
    const r = rng(seed + i);
    yield { path: `articles/${String(i).padStart(5, '0')}.md`, text: article(seed + i, 2000 + Math.floor(r() * 6000)).text };
  }
}
