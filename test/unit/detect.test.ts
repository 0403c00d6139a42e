import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Coverage, detectMentions, resolveEntities } from '../../src/core/detect';
import { readProse } from '../../src/core/markdown';
import type { EntityType, Mention, ProseDocument } from '../../src/core/types';

/** A plain-text document; front matter is masked as the markdown reader would. */
function plainDoc(text: string): ProseDocument {
  const prose = text.replace(/^---\n[\s\S]*?\n---\n/, (m) => m.replace(/[^\n]/g, ' '));
  return { text, prose, blocks: [], frontMatter: null, fallback: false };
}

function detect(text: string, known: Mention[] = []): Mention[] {
  return detectMentions(plainDoc(text), [], known);
}

const spans = (mentions: Mention[], type?: EntityType) => mentions.filter((m) => !type || m.type === type).map((m) => m.text);

interface Gold {
  doc: string;
  entities: Array<{ type: EntityType; mentions: string[] }>;
  ignore?: string[];
}

/** Entity F1 exactly as shared/eval/score.mjs computes it (gold surface forms, longest first, hyphen rule). */
function entityF1(text: string, gold: Gold, predicted: Mention[]): { f1: number; misses: string[]; falses: string[] } {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const cands: Array<{ start: number; end: number; text: string; type: EntityType }> = [];
  for (const e of gold.entities) {
    for (const m of e.mentions) {
      const re = new RegExp(`(?<![\\p{L}\\p{N}_-])${esc(m)}(?![\\p{L}\\p{N}_]|-[\\p{L}])`, 'gu');
      for (const x of text.matchAll(re)) cands.push({ start: x.index, end: x.index + m.length, text: m, type: e.type });
    }
  }
  const frontMatterEnd = /^---\n[\s\S]*?\n---\n/.exec(text)?.[0].length ?? 0;
  cands.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const golds: typeof cands = [];
  for (const c of cands) {
    if (c.start < frontMatterEnd || golds.some((o) => c.start < o.end && c.end > o.start)) continue;
    golds.push(c);
  }
  const norm = (s: string) => s.replace(/[’']s$/u, '').trim();
  const used = new Set<number>();
  const misses: string[] = [];
  for (const g of golds) {
    const i = predicted.findIndex((p, k) => !used.has(k) && p.type === g.type && p.start < g.end && p.end > g.start &&
      (norm(p.text) === g.text || (norm(p.text).includes(g.text) && norm(p.text).length <= g.text.length + 12)));
    if (i >= 0) used.add(i);
    else misses.push(`${g.text}/${g.type}`);
  }
  const ignore = new Set((gold.ignore ?? []).map((s) => s.toLowerCase()));
  const falses = predicted.filter((p, k) => !used.has(k) && !ignore.has(norm(p.text).toLowerCase())).map((p) => `${p.text}/${p.type}`);
  const tp = used.size;
  const precision = tp / Math.max(1, tp + falses.length);
  const recall = tp / Math.max(1, tp + misses.length);
  return { f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), misses, falses };
}

describe('detectMentions', () => {
  const cases = [
    path.join(__dirname, '../../../shared/eval/cases/seed.md'),
    ...fs.readdirSync(path.join(__dirname, '../fixtures/articles')).filter((f) => f.endsWith('.md')).map((f) => path.join(__dirname, '../fixtures/articles', f)),
  ].filter((f) => fs.existsSync(f));

  for (const file of cases) {
    it(`reaches entity F1 ≥ 0.95 on ${path.basename(file)}`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const gold = JSON.parse(fs.readFileSync(file.replace(/\.md$/, '.gold.json'), 'utf8')) as Gold;
      const doc = plainDoc(text);
      const { mentions } = resolveEntities(doc, detectMentions(doc, [], []), null);
      for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.text);
      const score = entityF1(text, gold, mentions);
      assert.ok(score.f1 >= 0.95, `F1 ${score.f1.toFixed(3)}; missed ${score.misses.join(', ')}; false ${score.falses.join(', ')}`);
    });
  }

  it('finds the name after a title, not the title', () => {
    const m = detect('Interior Minister Mohsin Naqvi met the press. The Interior Minister left.');
    assert.deepEqual(spans(m), ['Mohsin Naqvi']);
    assert.equal(m[0].type, 'person');
    assert.equal(m[0].title, 'Interior Minister');
    assert.equal(m[0].source, 'detected');
    assert.equal(m[0].id, null);
    assert.equal(m[0].entity, 'person:Mohsin Naqvi');
  });

  it('reads plural titles as several names', () => {
    const m = detect('Attending were Vice Ministers Xu Datong and Yu Xiuhe, among others.');
    assert.deepEqual(spans(m, 'person'), ['Xu Datong', 'Yu Xiuhe']);
    assert.deepEqual(m.map((x) => x.title), ['Vice Ministers', 'Vice Ministers']);
  });

  it('takes the org and place of a long title apart, and skips sub-units', () => {
    const m = detect('They met Beijing Deputy Mayor and Director General (DG) of the Beijing Public Security Bureau Cen Yuanbiao and Director General of the Counterterrorism Department Gao Qiu.');
    assert.deepEqual(m.map((x) => `${x.type}:${x.text}`), [
      'place:Beijing', 'organization:Beijing Public Security Bureau', 'person:Cen Yuanbiao', 'person:Gao Qiu',
    ]);
  });

  it('keeps a possessive country apart from the organisation it owns', () => {
    const m = detect('He spoke at China’s Ministry of Public Security on Monday.');
    assert.deepEqual(m.map((x) => `${x.type}:${x.text}`), ['place:China', 'organization:Ministry of Public Security']);
  });

  it('links a defined acronym to its organisation', () => {
    const m = detect('Support for the National Cyber Crimes Investigation Agency (NCCIA) grew. NCCIA officers agreed.');
    assert.deepEqual(spans(m), ['National Cyber Crimes Investigation Agency', 'NCCIA', 'NCCIA']);
    assert.equal(new Set(m.map((x) => x.entity)).size, 1);
    assert.ok(m.every((x) => x.type === 'organization'));
  });

  it('finds names introduced by apposition, speech verbs and delegation lists', () => {
    const m = detect('Kenya hosted Musalia Mudavadi, the Foreign Minister. Later Rebecca Miano said trade grew. The delegation included Amina Mohamed, Peter Mathuki and Raychelle Omamo.');
    assert.deepEqual(spans(m, 'person'), ['Musalia Mudavadi', 'Rebecca Miano', 'Amina Mohamed', 'Peter Mathuki', 'Raychelle Omamo']);
  });

  it('detects named events and not lower-case meetings', () => {
    const m = detect('The Joint Working Group meeting prepared the Global Security Cooperation Forum and the Shanghai Cooperation Organisation Summit.');
    assert.deepEqual(m.map((x) => `${x.type}:${x.text}`), [
      'organization:Joint Working Group', 'event:Global Security Cooperation Forum', 'event:Shanghai Cooperation Organisation Summit',
    ]);
  });

  it('skips demonyms, hyphenated pairs, handles, lower-case bodies and sentence-initial words', () => {
    const m = detect('Both sides discussed Islamabad-Beijing cooperation with Chinese officials at the ministry. — X@MOIofficialGOP');
    assert.deepEqual(m, []);
  });

  it('reads capitals in datelines and formal state names', () => {
    const m = detect('NEW DELHI — The Republic of Colombia and the Kingdom of Saudi Arabia signed.');
    assert.deepEqual(m.map((x) => `${x.type}:${x.text}`), ['place:NEW DELHI', 'place:Republic of Colombia', 'place:Kingdom of Saudi Arabia']);
    assert.equal(m[1].entity, 'place:CO');
  });

  it('never overlaps what the registry already found', () => {
    const text = 'Interior Minister Mohsin Naqvi visited Beijing.';
    const known: Mention[] = [{ start: 18, end: 30, text: 'Mohsin Naqvi', type: 'person', id: 'mohsin-naqvi', source: 'registry', entity: 'mohsin-naqvi' }];
    assert.deepEqual(spans(detect(text, known)), ['Beijing']);
  });

  it('joins two modifier runs by "and" into one organisation, not across places or names', () => {
    assert.deepEqual(spans(detect('Visit the Northern Corridor Transit and Transport Coordination Authority site.'), 'organization'), ['Northern Corridor Transit and Transport Coordination Authority']);
    assert.deepEqual(spans(detect('Ambassador to Kenya Bacha Debele and Ethiopian Investment Commission Commissioner Zeleke Temesgen.'), 'organization'), ['Ethiopian Investment Commission']);
  });

  it('reads comma lists of topics, en-dash pairs and nested complements', () => {
    assert.deepEqual(spans(detect('Uzbekistan’s Minister of Investment, Industry and Trade Jamshid Rakhimov met Wang Yi, Ali Khan and Li Qiang.'), 'person'), ['Jamshid Rakhimov', 'Wang Yi', 'Ali Khan', 'Li Qiang']);
    assert.deepEqual(spans(detect('He visited the Ministry of Investment, Industry and Trade.'), 'organization'), ['Ministry of Investment, Industry and Trade']);
    assert.deepEqual(spans(detect('They will hold the China–Central Asia Business Forum.'), 'event'), ['China–Central Asia Business Forum']);
    assert.deepEqual(spans(detect('The Council of the League of Arab States decided.'), 'organization'), ['Council of the League of Arab States']);
    assert.deepEqual(spans(detect('They set up a Binational Commission on Migration and Human Mobility, which meets.'), 'organization'), ['Binational Commission on Migration and Human Mobility']);
  });

  it('takes a small town only where a preposition says a place follows, then everywhere', () => {
    assert.deepEqual(spans(detect('Clearance at Moyale takes a day. The Moyale post is busy.'), 'place'), ['Moyale', 'Moyale']);
    assert.deepEqual(spans(detect('The Moyale post is busy.'), 'place'), []);
    assert.deepEqual(spans(detect('“ኢትዮጵያ እና ኬንያ” are neighbours.'), 'place'), ['ኢትዮጵያ', 'ኬንያ']);
  });

  it('never joins name words across masked markup', () => {
    const found = (markdown: string) => spans(detectMentions(readProse(markdown), [], []), 'person');
    assert.deepEqual(found('<span>Minister Ali</span> Mohsin Naqvi agreed.\n'), ['Ali', 'Mohsin Naqvi']);
    assert.deepEqual(found('Minister Ali ~~Khan~~ left.\n'), ['Ali']);
    // A link round the whole name keeps the title's reach; a link round part of it gives each part as a
    // mention of the whole name, since a mention's text is the document's and never carries the link's destination.
    assert.deepEqual(found('Minister [Ali Khan](https://example.org/x) left.\n'), ['Ali Khan']);
    const cut = (markdown: string) => detectMentions(readProse(markdown), [], []).filter((m) => m.type === 'person').map((m) => `${m.text}=${m.entity}`);
    assert.deepEqual(cut('Minister [Ali](https://example.org/x) Khan left.\n'), ['Ali=person:Ali Khan', 'Khan=person:Ali Khan']);
    assert.deepEqual(cut('Minister Omar [Farouk](https://example.org/x) left.\n'), ['Omar=person:Omar Farouk', 'Farouk=person:Omar Farouk']);
    assert.deepEqual(cut('Minister [Ali](https://example.org/x), Khan and others left.\n'), ['Ali=person:Ali']);
    assert.deepEqual(found('The [Ali](https://example.org/x) Khan Road is long.\n'), []);
    // A surface found elsewhere is not looked for across markup either.
    assert.deepEqual(found('Minister Ali Khan spoke. Ali <b></b>Khan left.\n'), ['Ali Khan']);
    // Emphasis round the whole name is fine.
    assert.deepEqual(found('Foreign Minister **Ali Khan** agreed.\n'), ['Ali Khan']);
  });

  it('reads local and other-language titles before a name', () => {
    const m = detect('Khokim Erkinjon Turdimov met Wali Saud Al Busaidi, Vice-Premier Ding Xuexiang, State Councillor Wang Xiaohong, Governor-General Cindy Kiro and Sayyid Badr Albusaidi. Hakim Ziyech said so.');
    assert.deepEqual(m.filter((x) => x.type === 'person').map((x) => `${x.title ?? ''}|${x.text}`), [
      'Khokim|Erkinjon Turdimov', 'Wali|Saud Al Busaidi', 'Vice-Premier|Ding Xuexiang', 'State Councillor|Wang Xiaohong',
      'Governor-General|Cindy Kiro', 'Sayyid|Badr Albusaidi', '|Hakim Ziyech',
    ]);
  });

  it('types named venues as places, bodies and plain words not', () => {
    const typed = (text: string) => detect(text).map((x) => `${x.type}:${x.text}`);
    assert.deepEqual(typed('They met at the Merdeka Palace and later at Blair House.'), ['place:Merdeka Palace', 'place:Blair House']);
    assert.deepEqual(typed('Talks at the Great Hall of the People went on.'), ['place:Great Hall of the People']);
    assert.deepEqual(typed('Consultations at the Palais des Nations and the Palacio de Nariño ended.'), ['place:Palais des Nations', 'place:Palacio de Nariño']);
    assert.deepEqual(typed('It was held at the Oman Convention and Exhibition Centre.'), ['place:Oman Convention and Exhibition Centre']);
    assert.deepEqual(typed('The Kremlin said the Élysée Palace had called.'), ['place:Kremlin', 'place:Élysée Palace']);
    assert.deepEqual(typed('A welcome at Rashtrapati Bhavan, then lunch at Qasr Al Watan.'), ['place:Rashtrapati Bhavan', 'place:Qasr Al Watan']);
    // A "… Centre" that is a body, a chamber, and lower-case houses stay what they are.
    assert.deepEqual(typed('The National Counter Terrorism Centre briefed the House of Representatives.'), [
      'organization:National Counter Terrorism Centre', 'organization:House of Representatives',
    ]);
    assert.deepEqual(typed('He went into the house and the palace. Hall passes were issued.'), []);
  });

  it('finds the person in a speaker label, in any case, and never the question', () => {
    const persons = (text: string) => spans(detect(text), 'person');
    assert.deepEqual(persons('MINISTER LAVROV: We agreed.\nQ: When?\nQUESTION: Where?\nMINISTER FIDAN: Soon.'), ['LAVROV', 'FIDAN']);
    assert.deepEqual(persons('Spokesperson Mao Ning: Good afternoon.\n'), ['Mao Ning']);
    assert.deepEqual(spans(detectMentions(readProse('**Foreign Minister Wang Yi:** We agree.\n'), [], []), 'person'), ['Wang Yi']);
    // Capitals outside a label are not names: a headline, or a label with no title.
    assert.deepEqual(persons('MINISTER LAVROV SPEAKS TO THE PRESS\n\nQ: When?'), []);
    assert.deepEqual(persons('NOTE: Minister spoke.'), []);
  });

  it('finds a name after a title in lower case', () => {
    const persons = (text: string) => spans(detect(text), 'person');
    assert.deepEqual(persons('The representative of Algeria, Amar Bendjama, noted the report.'), ['Amar Bendjama']);
    assert.deepEqual(persons('The foreign minister of Peru, Elmer Schialer, arrived.'), ['Elmer Schialer']);
    assert.deepEqual(persons('Talks with the prime minister of Papua New Guinea, James Marape, ended.'), ['James Marape']);
    assert.deepEqual(persons('India’s ambassador to Luanda, Vidhu P. Nair, met officials.'), ['Vidhu P. Nair']);
    assert.deepEqual(persons('Côte d’Ivoire’s minister of trade Souleymane Diarrassouba and Senegal’s minister of energy Birame Souleye Diop spoke.'), ['Souleymane Diarrassouba', 'Birame Souleye Diop']);
    // No title: a country, then a comma, then a name is no cue.
    assert.deepEqual(persons('The delegates of Peru, Chile and Ecuador, Lima Rotary Club, arrived.'), []);
    assert.deepEqual(persons('The capital of Peru, Lima Norte, grew.'), []);
  });

  it('takes a building cued like a person for a building, not a surname', () => {
    const typed = (text: string) => detect(text).map((x) => `${x.type}:${x.text}`);
    assert.deepEqual(typed('Government House hosted a reception.'), ['place:Government House']);
    assert.deepEqual(typed('Stuart Hall said the talks went well.'), ['person:Stuart Hall']);
  });

  it('reads the outlet of a question in a transcript as an organisation', () => {
    const typed = (text: string) => detect(text).map((x) => `${x.type}:${x.text}`);
    assert.deepEqual(typed('Q (Kazinform): When?\nQUESTION (Al Jazeera): Why?\nQuestion (Press Trust of India): How?'), [
      'organization:Kazinform', 'organization:Al Jazeera', 'organization:Press Trust of India',
    ]);
    assert.deepEqual(typed('Q: When (Monday or Tuesday)?\nThe Q (Reuters) tag: none.'), []);
  });

  it('takes a name before an adverb and a verb, bodies "… and the …", and datelines in capitals', () => {
    assert.deepEqual(spans(detect('Сергей Лавров later met Jean-Noël Barrot in Paris.'), 'person'), ['Сергей Лавров', 'Jean-Noël Barrot']);
    assert.deepEqual(spans(detect('He briefed the UN Office for West Africa and the Sahel (UNOWAS). UNOWAS agreed.'), 'organization'), [
      'UN Office for West Africa and the Sahel', 'UNOWAS', 'UNOWAS',
    ]);
    assert.deepEqual(detect('UNITED NATIONS, New York — Talks ended.').map((x) => `${x.type}:${x.text}`), ['organization:UNITED NATIONS', 'place:New York']);
  });

  it('reads the topic of an event after "on", and exonyms of cities', () => {
    assert.deepEqual(spans(detect('The Ministerial Meeting on Illegal Fishing opened in Geneva.')), ['Ministerial Meeting on Illegal Fishing', 'Geneva']);
    assert.deepEqual(spans(detect('The Conference on Tuesday ended.')), []);
  });

  it('reads Spanish and Portuguese titles before a name', () => {
    assert.deepEqual(spans(detect('Presidente Gabriel Boric Font met Canciller Elmer Schialer.'), 'person'), ['Gabriel Boric Font', 'Elmer Schialer']);
    // Without a title or a cue, two capitalised words are no person.
    assert.deepEqual(spans(detect('Gabriel Boric Font arrives.'), 'person'), []);
  });

  it('reads the questioner and the outlet of a question in a transcript', () => {
    const found = detect('QUESTION (Nnamdi Okafor, Channels Television): Will it happen?\n');
    assert.deepEqual(spans(found, 'person'), ['Nnamdi Okafor']);
    assert.deepEqual(spans(found, 'organization'), ['Channels Television']);
    // Not a label: no colon after the bracket.
    assert.deepEqual(spans(detect('QUESTION (Nnamdi Okafor, Channels Television) was asked.\n'), 'person'), []);
  });

  it('finds a name after a title split by commas or followed by its body’s acronym', () => {
    assert.deepEqual(spans(detect('The AU Commissioner for Political Affairs, Peace and Security, Bankole Adeoye, spoke.'), 'person'), ['Bankole Adeoye']);
    assert.deepEqual(spans(detect('The Secretary-General of the Gulf Cooperation Council (GCC), Jasem Mohamed Albudaiwi, spoke.'), 'person'), ['Jasem Mohamed Albudaiwi']);
    // Portfolio words after a comma continue only a title: after a forum's name no person follows.
    assert.deepEqual(spans(detect('The Dialogue on Trade, Peace and Security, Bankole Adeoye, spoke.'), 'person'), []);
  });

  it('reads administrative areas named before or after their head', () => {
    assert.deepEqual(spans(detect('They met in the Asokoro District of Abuja.'), 'place'), ['Asokoro District', 'Abuja']);
    assert.deepEqual(spans(detect('The Governor of the District of Abidjan spoke.'), 'place'), ['District of Abidjan']);
    assert.deepEqual(spans(detect('The District said nothing.'), 'place'), []);
  });

  it('takes a name after "at the" for a venue when nothing else follows it', () => {
    assert.deepEqual(spans(detect('They met at the Westin Josun Busan on Wednesday.'), 'place'), ['Westin Josun Busan']);
    assert.deepEqual(spans(detect('He was received at the Ak Orda.'), 'place'), ['Ak Orda']);
    assert.deepEqual(spans(detect('She spoke at the Chancellery in Berlin.'), 'organization'), ['Chancellery']);
    // "at the Trump administration": a name before a common noun is no venue.
    assert.deepEqual(spans(detect('Officials at the Trump administration declined.'), 'place'), []);
  });

  it('parts a body named in full from the body of its "of the" complement', () => {
    const found = spans(detect('The Mediation and Security Council of the Economic Community of West African States met.'), 'organization');
    assert.deepEqual(found, ['Mediation and Security Council', 'Economic Community of West African States']);
    // A head without its own coordinated name keeps its complement.
    assert.deepEqual(spans(detect('The Council of the League of Arab States met.'), 'organization'), ['Council of the League of Arab States']);
    assert.deepEqual(spans(detect('The Standing Committee of the National People’s Congress met.'), 'organization').length, 1);
  });

  it('keeps "of Heads of State and Government" in an event’s name', () => {
    assert.deepEqual(spans(detect('The CELAC Summit of Heads of State and Government opens.'), 'event'), ['CELAC Summit of Heads of State and Government']);
    assert.deepEqual(spans(detect('The CELAC Summit of Heads of State opens.'), 'event'), ['CELAC Summit of Heads of State']);
  });

  it('takes "the Council" for the first body named "… Council", only after "the" or before "members"', () => {
    const text = 'The Saudi Coordination Council met. Later the Council agreed. Council staff left. He invited Council members.';
    const orgs = detect(text).filter((m) => m.type === 'organization');
    assert.deepEqual(orgs.map((m) => m.text), ['Saudi Coordination Council', 'Council', 'Council']);
    assert.equal(orgs[1].entity, orgs[0].entity);
    assert.equal(orgs[1].start, text.indexOf('the Council') + 4);
  });

  it('takes a name in another script in brackets for the same entity, and ends the name at the bracket', () => {
    const m = detect('Foreign Minister Wang Yi (王毅) met Minister of Foreign Affairs Battsetseg Batmunkh (Батцэцэг Батмөнх) today.');
    const persons = m.filter((x) => x.type === 'person');
    assert.deepEqual(persons.map((x) => x.text), ['Wang Yi', '王毅', 'Battsetseg Batmunkh', 'Батцэцэг Батмөнх']);
    assert.equal(persons[1].entity, persons[0].entity);
    assert.equal(persons[3].entity, persons[2].entity);
    // Latin letters or digits in the brackets are no rendering of the name.
    const latin = detect('Foreign Minister Wang Yi (PRC) and Foreign Minister Sugiono (2024) spoke.');
    assert.ok(!latin.some((x) => x.text === 'PRC' && x.type === 'person'));
    assert.ok(!latin.some((x) => x.text === '2024'));
  });

  it('reads "Fu Cong (China)" as a delegate named before his country, not a place or a longer run', () => {
    const m = detect('After the vote, Fu Cong (China) said the regime must be enforced.');
    assert.deepEqual(spans(m, 'person'), ['Fu Cong']);
    assert.ok(spans(m, 'place').includes('China'));
    assert.deepEqual(spans(detect('Talks were held in Port Louis (Mauritius) on Monday.'), 'person'), []);
    assert.deepEqual(spans(detect('A note went to Reuters Desk (Reuters) today.'), 'person'), []);
  });

  it('finds a name without its patronymic once it was given in full', () => {
    const text = 'Minister of Foreign Affairs Sergey Viktorovich Lavrov held talks. Later, Sergey Lavrov and the guest left.';
    const persons = detect(text).filter((x) => x.type === 'person');
    assert.deepEqual(persons.map((x) => x.text), ['Sergey Viktorovich Lavrov', 'Sergey Lavrov']);
    assert.equal(persons[1].entity, persons[0].entity);
    // A middle name that is no patronymic gives no short form.
    const plain = detect('Secretary of State Anna Maria Berg spoke. Anna Berg and the guest left.').filter((x) => x.type === 'person');
    assert.ok(!plain.some((x) => x.text === 'Anna Berg'));
  });

  it('reads the names of a dashed route as places, not dashed pairs of peoples or persons', () => {
    assert.deepEqual(spans(detect('Work on the Lao Cai–Hanoi–Hai Phong railway will speed up.'), 'place'), ['Lao Cai', 'Hanoi', 'Hai Phong']);
    assert.deepEqual(spans(detect('Trucks used the Naushki–Sukhbaatar border crossing.'), 'place'), ['Naushki', 'Sukhbaatar']);
    assert.deepEqual(spans(detect('The Saudi–Jordanian Coordination Council met.'), 'place'), []);
    assert.deepEqual(spans(detect('Observers followed the Kovacs–Lindqvist talks closely.'), 'place'), []);
  });

  it('opens a name with a function word capitalised after a title, never at a sentence start', () => {
    const m = detect('The Ambassador to Viet Nam He Wei attended the talks. He said the embassy would open an office.');
    assert.deepEqual(spans(m, 'person'), ['He Wei']);
  });

  it('reads waters, railways, a seat before an acronym and "the Force"', () => {
    assert.ok(spans(detect('Patrols in the Beibu Gulf will resume.'), 'place').includes('Beibu Gulf'));
    assert.ok(spans(detect('The Ulaanbaatar Railway joint venture was modernised.'), 'organization').includes('Ulaanbaatar Railway'));
    const binuh = detect('The Council extended the United Nations Integrated Office in Haiti (BINUH). BINUH welcomed it.');
    assert.deepEqual(spans(binuh, 'organization'), ['United Nations Integrated Office in Haiti', 'BINUH', 'BINUH']);
    // Without an acronym after it, the seat stays a place of its own.
    const plain = detect('The United Nations Integrated Office in Haiti reported.');
    assert.deepEqual(spans(plain, 'place'), ['Haiti']);
    const force = detect('The Gang Suppression Force was deployed. Funds for the Force arrived. Force was not used.');
    assert.deepEqual(spans(force, 'organization'), ['Gang Suppression Force', 'Force']);
  });

  it('takes "the Council" for the last "… Council" named before it', () => {
    const orgs = detect('The Gulf Cooperation Council and the Security Council met. The Council agreed.').filter((m) => m.type === 'organization');
    assert.deepEqual(orgs.map((m) => m.text), ['Gulf Cooperation Council', 'Security Council', 'Council']);
    assert.equal(orgs[2].entity, orgs[1].entity);
    // Before any body is named in the piece, the first one named in the document.
    const early = detect('The Council met. The Security Council spoke.').filter((m) => m.type === 'organization');
    assert.deepEqual(early.map((m) => m.text), ['Council', 'Security Council']);
  });

  it('reads a family name in capitals before the given name (Japanese style)', () => {
    const text = 'Foreign Minister OKADA Haruto met Parliamentary Vice-Minister MIYAZAWA Rina. Mr. ENDO Takuma attended.';
    assert.deepEqual(spans(detect(text), 'person'), ['OKADA Haruto', 'MIYAZAWA Rina', 'ENDO Takuma']);
    // An acronym before a plain word is no name, nor a two-letter word in capitals.
    assert.deepEqual(spans(detect('Minister NATO Summit was held. Ambassador UN Women spoke. NATO Allies agreed. The OPEC Members said so.'), 'person'), []);
    const r = resolveEntities(plainDoc(text + ' Okada said the talks went well.'), detect(text + ' Okada said the talks went well.'), null);
    assert.deepEqual(r.mentions.filter((m) => m.text === 'Okada').map((m) => m.entity), ['person:OKADA Haruto']);
  });

  it('reads formal names with "the", towns with "City", states and places after "port of"', () => {
    assert.deepEqual(spans(detect('He visited the Republic of the Philippines and Davao City.'), 'place'), ['Republic of the Philippines', 'Davao City']);
    assert.deepEqual(spans(detect('Clashes in Upper Nile State and Kaduna State continued.'), 'place'), ['Upper Nile State', 'Kaduna State']);
    assert.deepEqual(spans(detect('Every Member State and the Islamic State were named.'), 'place'), []);
    assert.deepEqual(spans(detect('A workshop at the port of Villeta, near the town of Nuevo Mundo. Villeta grew.'), 'place'), ['Villeta', 'Nuevo Mundo', 'Villeta']);
    assert.deepEqual(spans(detect('The state of Emergency was lifted in the province of Governor Ali.'), 'place'), []);
    assert.deepEqual(spans(detect('They met in Cartagena de Indias and Santiago de Chile on Monday.'), 'place'), ['Cartagena de Indias', 'Santiago de Chile']);
    assert.deepEqual(spans(detect('Ambassador Santiago de Alba arrived in Bogotá de noche.'), 'place'), ['Bogotá']);
  });

  it('reads comma lists of any topics, adjectives before a noun and mixed-case acronyms in bodies’ names', () => {
    assert.deepEqual(spans(detect('It met the Committee on Counter-Terrorism, Stabilisation and Post-Conflict Reconstruction of IGAD.'), 'organization'),
      ['Committee on Counter-Terrorism, Stabilisation and Post-Conflict Reconstruction', 'IGAD']);
    assert.deepEqual(spans(detect('The Commission on Trade, Economic, Scientific and Technical Cooperation met in May.'), 'organization'),
      ['Commission on Trade, Economic, Scientific and Technical Cooperation']);
    assert.deepEqual(spans(detect('The Binational Commission for Political Consultation met. Within the Binational Commission, talks went on.'), 'organization'),
      ['Binational Commission for Political Consultation', 'Binational Commission']);
    const m = detect('It urged the Transitional Government of National Unity (TGoNU) to act. TGoNU agreed.').filter((x) => x.type === 'organization');
    assert.deepEqual(spans(m), ['Transitional Government of National Unity', 'TGoNU', 'TGoNU']);
    assert.equal(new Set(m.map((x) => x.entity)).size, 1);
    // A government named by its country or people is no body of its own name.
    assert.deepEqual(spans(detect('The Kenyan Government and the Government welcomed it.'), 'organization'), []);
    assert.deepEqual(spans(detect('They thanked the United Nations Mission in South Sudan (UNMISS).'), 'organization'), ['United Nations Mission in South Sudan', 'UNMISS']);
  });

  it('takes a place named after a ruler for a place, and an expo’s name after its head', () => {
    const m = detect('The delegation visited the Sultan Qaboos Grand Mosque and the King Fahd Causeway Bridge. Sultan Haitham bin Tarik received them.');
    assert.deepEqual(m.filter((x) => x.type !== 'person').map((x) => `${x.type}:${x.text}`), ['place:Sultan Qaboos Grand Mosque', 'place:King Fahd Causeway Bridge']);
    assert.deepEqual(spans(m, 'person'), ['Haitham bin Tarik']);
    assert.deepEqual(spans(detect('Exporters will join the Expo Paraguay Internacional in July.'), 'event'), ['Expo Paraguay Internacional']);
    assert.deepEqual(spans(detect('Expo organisers met.'), 'event'), []);
  });

  it('reads the seat of an office holder as a body, and "the Sultanate" for the monarchy named before', () => {
    assert.deepEqual(spans(detect('They met at the Chancellery of the Prime Minister on Tuesday.'), 'organization'), ['Chancellery of the Prime Minister']);
    assert.deepEqual(spans(detect('The Office of the President said so.'), 'organization'), ['Office of the President']);
    assert.deepEqual(spans(detect('The meeting was at the Chancellery.'), 'organization'), ['Chancellery']);
    const m = detect('He arrived in the Sultanate of Oman. The Ambassador to the Sultanate spoke. Sultanate rules differ.').filter((x) => x.type === 'place');
    assert.deepEqual(spans(m), ['Sultanate of Oman', 'Sultanate']);
    assert.equal(m[1].entity, m[0].entity);
    assert.deepEqual(spans(detect('The Kingdom of Heaven is a film.'), 'place'), []);
  });

  it('returns valid, non-overlapping spans on arbitrary text', () => {
    const word = fc.constantFrom('Minister', 'Wang', 'Xiaohong', 'of', 'the', 'Agency', '(NCCIA)', 'China’s', 'al-Sisi', 'and', ',', '.', '\n', 'Forum', 'Kenya', 'said', 'X@handle', 'De', 'la', 'Fuente', 'Ministry', 'LAVROV', 'MINISTER', ':', 'Palace', 'Palais', 'des', 'Centre', 'Convention', 'minister', 'on');
    fc.assert(
      fc.property(fc.array(word, { maxLength: 60 }), (words) => {
        const text = words.join(' ');
        const doc = plainDoc(text);
        const { mentions } = resolveEntities(doc, detectMentions(doc, [], []), null);
        let end = -1;
        for (const m of mentions) {
          assert.equal(text.slice(m.start, m.end), m.text);
          assert.ok(m.start >= end, 'mentions overlap');
          end = m.end;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('stays fast on pathological runs of capitals and connectors', () => {
    for (const unit of ['Minister ', 'Ali Khan and ', 'A ', 'of the ', 'X@y ', 'MINISTER LAVROV: ', 'Palais des ', 'minister of trade ', 'Meeting on A ', 'Peru, ']) {
      const text = unit.repeat(Math.ceil(200_000 / unit.length));
      const started = Date.now();
      const doc = plainDoc(text);
      resolveEntities(doc, detectMentions(doc, [], []), null);
      assert.ok(Date.now() - started < 10_000, `${JSON.stringify(unit)} took ${Date.now() - started} ms`);
    }
  });
});

describe('Coverage', () => {
  it('answers as a flag per character would, whatever is added in whatever order', () => {
    const range = fc.tuple(fc.nat(60), fc.nat(12)).map(([start, length]) => [start, start + length] as const);
    const step = fc.oneof(
      range.map(([start, end]) => ({ op: 'add' as const, start, end })),
      range.map(([start, end]) => ({ op: 'isFree' as const, start, end })),
      fc.nat(75).map((at) => ({ op: 'covers' as const, start: at, end: at + 1 })),
      fc.constant({ op: 'copy' as const, start: 0, end: 0 }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        let coverage = new Coverage();
        const flags = new Uint8Array(80);
        for (const { op, start, end } of steps) {
          if (op === 'add') {
            coverage.add(start, end);
            flags.fill(1, start, end);
          } else if (op === 'copy') {
            coverage = new Coverage(coverage);
          } else if (op === 'covers') {
            assert.equal(coverage.covers(start), flags[start] === 1);
          } else {
            assert.equal(coverage.isFree(start, end), flags.subarray(start, end).every((f) => f === 0));
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('is not changed by a copy made from it', () => {
    const original = new Coverage();
    original.add(2, 5);
    const copy = new Coverage(original);
    copy.add(5, 9);
    assert.ok(original.isFree(5, 9));
    assert.ok(!copy.isFree(5, 9));
  });
});
