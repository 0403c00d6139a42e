import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectMentions } from '../../src/core/detect';
import { countryIn, resolveEntities } from '../../src/core/coreference';
import { demonymCountry, isCountry, placeCode } from '../../src/core/gazetteer';
import type { Mention, ProseDocument, Registry, RegistryEntity } from '../../src/core/types';

function plainDoc(text: string): ProseDocument {
  return { text, prose: text, blocks: [], frontMatter: null, fallback: false };
}

function resolve(text: string, known: Mention[] = [], registry: Registry | null = null) {
  const doc = plainDoc(text);
  return resolveEntities(doc, [...known, ...detectMentions(doc, [], known)], registry);
}

/** "text→entity key" of the person mentions, in order. */
const persons = (mentions: Mention[]) => mentions.filter((m) => m.type === 'person').map((m) => `${m.text}→${m.entity}`);

describe('resolveEntities', () => {
  it('links a later family name to the full name (Western and South Asian order)', () => {
    const r = resolve('Interior Minister Mohsin Naqvi arrived. Naqvi said the talks went well.');
    assert.deepEqual(persons(r.mentions), ['Mohsin Naqvi→person:Mohsin Naqvi', 'Naqvi→person:Mohsin Naqvi']);
    assert.equal(r.mentions[1].source, 'coreference');
    assert.equal(r.entities.length, 1);
    assert.equal(r.entities[0].mentions.length, 2);
  });

  it('links short names to persons introduced by a lower-case title or a local title', () => {
    const r = resolve('The foreign minister of Chile, Rodrigo Vial Larraín, met Khokim Erkinjon Turdimov. Vial thanked Turdimov.');
    assert.deepEqual(persons(r.mentions), [
      'Rodrigo Vial Larraín→person:Rodrigo Vial Larraín', 'Erkinjon Turdimov→person:Erkinjon Turdimov',
      'Vial→person:Rodrigo Vial Larraín', 'Turdimov→person:Erkinjon Turdimov',
    ]);
    // A building cued like a person is no person, so its words are no short names either.
    assert.deepEqual(persons(resolve('Government House hosted a dinner. The House voted.').mentions), []);
  });

  it('links a family name that comes first (Chinese, Korean) and a given name (Ethiopian, Vietnamese)', () => {
    const r = resolve('Minister Wang Xiaohong met Prime Minister Abiy Ahmed Ali and Foreign Minister Bui Thanh Son. Wang thanked Abiy, and Son agreed.');
    assert.deepEqual(persons(r.mentions).slice(3), [
      'Wang→person:Wang Xiaohong', 'Abiy→person:Abiy Ahmed Ali', 'Son→person:Bui Thanh Son',
    ]);
  });

  it('links the first of two Spanish surnames, alone or with the second', () => {
    const r = resolve('Foreign Minister Pedro García Márquez spoke. García Márquez later met the press, and García left.');
    assert.deepEqual(persons(r.mentions), [
      'Pedro García Márquez→person:Pedro García Márquez', 'García Márquez→person:Pedro García Márquez', 'García→person:Pedro García Márquez',
    ]);
  });

  it('keeps particles and accepts them capitalised at a sentence start', () => {
    const r = resolve('President Abdel Fattah al-Sisi and Secretary of Foreign Affairs Juan Ramón de la Fuente Ramírez met. Al-Sisi spoke first. De la Fuente replied.');
    const keys = r.mentions.filter((m) => m.type === 'person').map((m) => m.entity);
    assert.deepEqual(keys, [
      'person:Abdel Fattah al-Sisi', 'person:Juan Ramón de la Fuente Ramírez', 'person:Abdel Fattah al-Sisi', 'person:Juan Ramón de la Fuente Ramírez',
    ]);
  });

  it('flags a real tie between two earlier names with candidates and a positioned problem', () => {
    const r = resolve('Director General Wang Xiaohong and Director Wang Yong attended.\nLater, Wang said the forum would go ahead.');
    const wang = r.mentions.find((m) => m.text === 'Wang')!;
    assert.deepEqual(wang.candidates, ['person:Wang Xiaohong', 'person:Wang Yong']);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].rule, 'entity/ambiguous');
    assert.equal(r.problems[0].severity, 'warning');
    assert.deepEqual(r.problems[0].start, { line: 2, column: 8 });
  });

  it('prefers the more salient of two names', () => {
    const r = resolve('Minister Wang Xiaohong opened.\n\nWang Xiaohong spoke. Director Wang Yong listened.\n\nWang closed the meeting.');
    const wang = r.mentions.find((m) => m.text === 'Wang')!;
    assert.equal(wang.entity, 'person:Wang Xiaohong');
    assert.equal(wang.candidates, undefined);
    assert.equal(r.problems.length, 0);
  });

  it('prefers the name in the same paragraph when salience ties', () => {
    const r = resolve('Minister Mohsin Naqvi arrived.\n\nMinister Wang Xiaohong spoke.\n\nDirector Wang Yong spoke too. Wang then left.');
    assert.equal(r.mentions.find((m) => m.text === 'Wang')!.entity, 'person:Wang Yong');
  });

  it('does not link honorific or shared tokens on their own', () => {
    const r = resolve('NCCIA DG Syed Khurram Ali and Chief Commissioner Muhammad Ali Randhawa attended. Syed and Muhammad were thanked.');
    assert.deepEqual(r.mentions.filter((m) => m.source === 'coreference'), []);
  });

  it('folds a detected short name after a title into the full name', () => {
    const r = resolve('Interior Minister Mohsin Naqvi arrived on Monday. On Tuesday Interior Minister Naqvi left.');
    assert.deepEqual(persons(r.mentions), ['Mohsin Naqvi→person:Mohsin Naqvi', 'Naqvi→person:Mohsin Naqvi']);
    assert.equal(r.entities.filter((e) => e.type === 'person').length, 1);
  });

  it('does not take part of an unknown longer name for a short name', () => {
    const r = resolve('President Abiy Ahmed Ali spoke. Ahmed Shide, the Finance Minister, followed.');
    assert.ok(!r.mentions.some((m) => m.source === 'coreference'));
  });

  it('links a short name written in capitals (a speaker label), keeping its text and offsets', () => {
    const text = 'President Omar Alieu Touray spoke.\n\nTOURAY: The door remains open.\n\nMR TOURAY: Thank you.';
    const r = resolve(text);
    const refs = r.mentions.filter((m) => m.text === 'TOURAY');
    assert.equal(refs.length, 2);
    for (const m of refs) {
      assert.equal(m.entity, 'person:Omar Alieu Touray');
      assert.equal(text.slice(m.start, m.end), 'TOURAY');
    }
    // Capitals that are no short form of anyone stay unlinked.
    assert.deepEqual(persons(resolve('President Omar Alieu Touray spoke.\n\nMODERATOR: Next.').mentions), ['Omar Alieu Touray→person:Omar Alieu Touray']);
  });

  it('links a two-word name written later in the other order to the earlier one', () => {
    const r = resolve('Foreign Minister Kamikawa Yoko arrived. Yoko Kamikawa, as reports name her, pledged aid. Kamikawa left.');
    assert.deepEqual(persons(r.mentions), [
      'Kamikawa Yoko→person:Kamikawa Yoko', 'Yoko Kamikawa→person:Kamikawa Yoko', 'Kamikawa→person:Kamikawa Yoko',
    ]);
    // Two different names sharing no order are not joined.
    const two = resolve('Minister Kamikawa Yoko met Minister Yoko Tanaka.');
    assert.equal(new Set(two.mentions.filter((m) => m.type === 'person').map((m) => m.entity)).size, 2);
  });

  it('reads whose actor someone is from a demonym or possessive country', () => {
    const r = resolve('Interior Minister Mohsin Naqvi met his Chinese counterpart, Wang Xiaohong, at China’s Ministry of Public Security.');
    const country = (key: string) => r.entities.find((e) => e.key === key)?.country;
    assert.equal(country('person:Wang Xiaohong'), 'CN');
    assert.equal(country('person:Mohsin Naqvi'), undefined);
    assert.equal(country('organization:Ministry of Public Security'), 'CN');
    assert.equal(country('place:CN'), 'CN');
    assert.equal(r.entities.find((e) => e.key === 'person:Mohsin Naqvi')?.title, 'Interior Minister');
  });

  it('uses the registry for names, ids and countries, and still resolves unregistered short names', () => {
    const entity: RegistryEntity = {
      id: 'mohsin-naqvi', name: 'Mohsin Naqvi', type: 'person', aliases: [], country: 'PK', roles: [],
      source: { file: 'r.yaml', span: { start: 0, end: 1 }, idSpan: { start: 0, end: 1 }, start: { line: 1, column: 1 } },
    };
    const registry: Registry = { entities: [entity], byId: new Map([['mohsin-naqvi', entity]]), problems: [], version: 'v' };
    const text = 'Interior Minister Mohsin Naqvi arrived. Naqvi spoke.';
    const known: Mention[] = [{ start: 18, end: 30, text: 'Mohsin Naqvi', type: 'person', id: 'mohsin-naqvi', source: 'registry', entity: 'mohsin-naqvi' }];
    const r = resolve(text, known, registry);
    const naqvi = r.mentions.find((m) => m.text === 'Naqvi')!;
    assert.equal(naqvi.id, 'mohsin-naqvi');
    assert.equal(naqvi.entity, 'mohsin-naqvi');
    assert.equal(naqvi.source, 'coreference');
    assert.deepEqual(r.entities.map((e) => [e.key, e.name, e.id, e.country]), [['mohsin-naqvi', 'Mohsin Naqvi', 'mohsin-naqvi', 'PK']]);
  });
});

describe('coreference: the fast readings are the plain ones', function () {
  /** countryIn as first written: every word of the window, left to right, then walked back. */
  function slowCountryIn(before: string): string | undefined {
    const glueWords = new Set(['the', 'of', 'for', 'to', 'his', 'her', 'its', 'their', 'counterpart', 'counterparts']);
    const words = [...before.matchAll(/[\p{L}\p{M}'’-]+|[^\s\p{L}\p{M}]/gu)].map((m) => m[0]);
    for (let i = words.length - 1; i >= 0; i--) {
      const word = words[i];
      const possessive = /['’]s$/.test(word);
      const base = possessive ? word.slice(0, -2) : word;
      const demonym = demonymCountry(`${words[i - 1] ?? ''} ${base}`) ?? demonymCountry(base);
      if (demonym) return demonym;
      if (isCountry(base) && (possessive || /^\p{Lu}/u.test(words[i + 1] ?? ''))) return placeCode(base) || undefined;
      const glue = glueWords.has(word.toLowerCase()) || /^\p{Lu}/u.test(word) || (word === ',' && /^counterparts?$/i.test(words[i - 1] ?? ''));
      if (!glue) return undefined;
    }
    return undefined;
  }

  it('countryIn reads the words before a mention as a left-to-right reading does', () => {
    const word = fc.constantFrom(
      'Chinese', 'China', 'China’s', "Kenya's", 'Saudi', 'Arabia', 'South', 'Korean', 'UAE', 'Minister', 'of', 'the', 'his',
      'counterpart', 'counterparts', 'met', 'Foreign', 'State', 'déjà', 'Ñuñoa', 'São', 'e\u0301', '🇰🇪', '\ud83d', '\ude00', 'x-y', "'", '’', '-',
    );
    const gap = fc.constantFrom(' ', '', ', ', ',', '\n', '\u00a0', '\t', '  ', '. ', '(', ')');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { maxLength: 10 }), gap, (parts, first) => {
        const before = first + parts.map(([w, g]) => w + g).join('');
        assert.equal(countryIn(before), slowCountryIn(before), JSON.stringify(before));
      }),
      { numRuns: 3000 },
    );
  });
});
