import assert from 'node:assert/strict';
import fc from 'fast-check';
import { RegistryMatcher } from '../../src/core/matcher';
import { chooseMentions, fold, judgeHit, surfacesOf, type Candidate } from '../../src/core/nameRules';
import { registryFromEntries, type EntityEntry } from '../../src/core/registry';
import type { Mention, ProseDocument, Registry } from '../../src/core/types';

function doc(text: string, prose = text): ProseDocument {
  return { text, prose, blocks: [], frontMatter: null, fallback: false };
}

function find(entries: EntityEntry[], text: string, prose?: string) {
  return new RegistryMatcher(registryFromEntries(entries)).find(doc(text, prose));
}

const found = (entries: EntityEntry[], text: string) => find(entries, text).map((m) => m.text);

const PLACES: EntityEntry[] = [
  { id: 'china', name: 'China', type: 'place' },
  { id: 'islamabad', name: 'Islamabad', type: 'place' },
  { id: 'beijing', name: 'Beijing', type: 'place' },
  { id: 'new-delhi', name: 'New Delhi', type: 'place' },
];

describe('RegistryMatcher', () => {
  it('finds every name and alias with exact offsets and registry ids', () => {
    const text = 'Interior Minister Mohsin Naqvi met Wang Xiaohong. Naqvi said Wang agreed.';
    const mentions = find(
      [
        { id: 'mohsin-naqvi', name: 'Mohsin Naqvi', type: 'person', aliases: ['Naqvi'] },
        { id: 'wang-xiaohong', name: 'Wang Xiaohong', type: 'person', aliases: ['Wang'] },
      ],
      text,
    );
    assert.deepEqual(
      mentions.map((m) => [m.text, m.id, m.entity, m.type, m.source]),
      [
        ['Mohsin Naqvi', 'mohsin-naqvi', 'mohsin-naqvi', 'person', 'registry'],
        ['Wang Xiaohong', 'wang-xiaohong', 'wang-xiaohong', 'person', 'registry'],
        ['Naqvi', 'mohsin-naqvi', 'mohsin-naqvi', 'person', 'registry'],
        ['Wang', 'wang-xiaohong', 'wang-xiaohong', 'person', 'registry'],
      ],
    );
    for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.text);
  });

  it('prefers the leftmost-longest match and never overlaps', () => {
    const entries: EntityEntry[] = [
      { id: 'beijing', name: 'Beijing', type: 'place' },
      { id: 'bpsb', name: 'Beijing Public Security Bureau', type: 'organization' },
      { id: 'psb', name: 'Public Security Bureau', type: 'organization' },
    ];
    assert.deepEqual(found(entries, 'the Beijing Public Security Bureau and Beijing'), ['Beijing Public Security Bureau', 'Beijing']);
  });

  it('requires word boundaries in space-delimited scripts', () => {
    assert.deepEqual(found(PLACES, 'Chinatown, Indochina, China2 and China.'), ['China']);
    assert.deepEqual(found([{ id: 'moskva', name: 'Москва', type: 'place' }], 'Москвалес, Москва!'), ['Москва']);
    assert.deepEqual(found([{ id: 'delhi', name: 'दिल्ली', type: 'place' }], 'नईदिल्लीवाला दिल्ली में'), ['दिल्ली']);
  });

  it('needs no boundary next to Chinese, Japanese, Korean or Thai characters', () => {
    assert.deepEqual(found([{ id: 'wang-yi', name: '王毅', type: 'person' }], '外长王毅表示'), ['王毅']);
    assert.deepEqual(found([{ id: 'tokyo', name: '東京', type: 'place' }], '東京都で'), ['東京']);
    assert.deepEqual(found([{ id: 'seoul', name: '서울', type: 'place' }], '서울에서 회담'), ['서울']);
    assert.deepEqual(found([{ id: 'bkk', name: 'กรุงเทพ', type: 'place' }], 'ที่กรุงเทพวันนี้'), ['กรุงเทพ']);
    assert.deepEqual(found([{ id: 'asean', name: 'ASEAN', type: 'organization' }], '东盟ASEAN会议'), ['ASEAN']);
  });

  it('does not match inside a hyphenated compound', () => {
    assert.deepEqual(found(PLACES, 'Islamabad-Beijing sister-city cooperation; pro-China; Beijing - Islamabad'), ['Beijing', 'Islamabad']);
  });

  it('matches possessives and treats curly and straight apostrophes alike', () => {
    const entries: EntityEntry[] = [...PLACES, { id: 'jones', name: 'Jones', type: 'person' }, { id: 'obrien', name: "Conor O'Brien", type: 'person' }];
    assert.deepEqual(found(entries, 'China’s ministry, China\'s role, Jones\' plan, Conor O’Brien’s visit'), ['China', 'China', 'Jones', 'Conor O’Brien']);
  });

  it('keeps apostrophe-joined words whole, except a lower-case elision', () => {
    const entries: EntityEntry[] = [{ id: 'neill', name: 'Neill', type: 'person' }, { id: 'union', name: 'Union', type: 'organization' }];
    assert.deepEqual(found(entries, "O'Neill spoke of l'Union."), ['Union']);
  });

  it('is tolerant of case only where it is safe', () => {
    const entries: EntityEntry[] = [
      ...PLACES,
      { id: 'nccia', name: 'National Cyber Crimes Investigation Agency', type: 'organization', aliases: ['NCCIA'] },
      { id: 'sisi', name: 'al-Sisi', type: 'person' },
    ];
    assert.deepEqual(found(entries, 'NEW DELHI — CHINA said'), ['NEW DELHI', 'CHINA'], 'all caps');
    assert.deepEqual(found(entries, 'New Delhi and the National Cyber Crimes Investigation Agency'), ['New Delhi', 'National Cyber Crimes Investigation Agency']);
    assert.deepEqual(found(entries, 'the National Cyber Crimes Investigation agency'), [], 'not title-cased');
    assert.deepEqual(found(entries, 'New delhi, new Delhi'), [], 'multi-word hits must be title-cased');
    assert.deepEqual(found(entries, 'fine china and NEW DELHI'), ['NEW DELHI'], 'never a lower-case single word');
    assert.deepEqual(found(entries, 'Nccia or nccia, then NCCIA'), ['NCCIA'], 'acronyms exactly');
    assert.deepEqual(found(entries, 'Al-Sisi and al-Sisi'), ['Al-Sisi', 'al-Sisi'], 'particle capitalised at sentence start');
  });

  it('accepts title case in headlines for multi-word names', () => {
    const entries: EntityEntry[] = [{ id: 'mps', name: 'Ministry of Public Security', type: 'organization' }];
    assert.deepEqual(found(entries, '# Naqvi Visits Ministry Of Public Security'), ['Ministry Of Public Security']);
  });

  it('treats regex metacharacters in names literally', () => {
    const entries: EntityEntry[] = [{ id: 'cpp', name: 'C++ (Working) Group*', type: 'organization' }, { id: 'us', name: 'U.S.', type: 'place' }];
    assert.deepEqual(found(entries, 'The C++ (Working) Group* met U.S. officials; C+ (Working) Group and UxSx did not.'), ['C++ (Working) Group*', 'U.S.']);
  });

  it('matches names broken across a line', () => {
    const entries: EntityEntry[] = [{ id: 'mn', name: 'Mohsin Naqvi', type: 'person' }];
    assert.deepEqual(found(entries, 'Minister Mohsin\nNaqvi said'), ['Mohsin\nNaqvi']);
  });

  it('returns an ambiguous mention when two entities share a surface', () => {
    const entries: EntityEntry[] = [
      { id: 'wang-xiaohong', name: 'Wang Xiaohong', type: 'person', aliases: ['Wang'] },
      { id: 'wang-yong', name: 'Wang Yong', type: 'person', aliases: ['Wang'] },
    ];
    const [m] = find(entries, 'Wang said.');
    assert.equal(m.id, null);
    assert.deepEqual(m.candidates, ['wang-xiaohong', 'wang-yong']);
    assert.equal(m.type, 'person');
  });

  it('prefers an exact-case claim over a case-tolerant one', () => {
    const entries: EntityEntry[] = [
      { id: 'who', name: 'WHO', type: 'organization' },
      { id: 'who-office', name: 'Who', type: 'person' },
    ];
    const [m] = find(entries, 'WHO said.');
    assert.equal(m.id, 'who');
  });

  it('only reads prose: masked markup yields nothing, offsets stay in the text', () => {
    const text = 'See `China` and [Beijing](https://china.example) in Islamabad.';
    const prose = text.replace(/`China`/, '       ').replace(/\(https:\/\/china\.example\)/, ' '.repeat('(https://china.example)'.length)).replace(/[[\]]/g, ' ');
    const mentions = find(PLACES, text, prose);
    assert.deepEqual(mentions.map((m) => m.text), ['Beijing', 'Islamabad']);
    for (const m of mentions) assert.equal(text.slice(m.start, m.end), m.text);
  });

  it('keeps offsets exact around astral characters and any text', () => {
    const entries: EntityEntry[] = [...PLACES, { id: 'han', name: '𠀀京', type: 'place' }];
    const parts = ['China', 'Beijing', ' ', '😀', '𠀀京', 'é', '’s', '-', '\n', 'x', 'NEW DELHI', 'İstanbul'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 30 }), (chunks) => {
        const text = chunks.join('');
        const mentions = find(entries, text);
        let last = 0;
        for (const m of mentions) {
          if (text.slice(m.start, m.end) !== m.text || m.start < last) return false;
          last = m.end;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('exposes the registry version', () => {
    const reg = registryFromEntries(PLACES);
    assert.equal(new RegistryMatcher(reg).version, reg.version);
  });

  it('finds every mention with a large registry in a long text (speed is measured by the bench)', () => {
    const entries: EntityEntry[] = [];
    for (let i = 0; i < 5000; i++) entries.push({ id: `e${i}`, name: `Name${i} Family${i % 97}`, type: 'person', aliases: [`Alias${i}`] });
    const matcher = new RegistryMatcher(registryFromEntries(entries));
    const text = 'Name42 Family42 met Alias4999 in Chinatown. '.repeat(5000);
    const mentions = matcher.find(doc(text));
    assert.equal(mentions.length, 10000);
    assert.deepEqual(new Set(mentions.map((m) => m.id)), new Set(['e42', 'e4999']));
  });

  // The reference: no automaton, every surface compared at every offset, then the same rules.
  function naiveFind(registry: Registry, d: ProseDocument): Mention[] {
    const folded = fold(d.prose);
    const surfaces = surfacesOf(registry);
    const candidates: Candidate[] = [];
    for (let start = 0; start < d.prose.length; start++) {
      for (const surface of surfaces) {
        if (!folded.startsWith(surface.key, start)) continue;
        const exact = judgeHit(d.prose, start, surface);
        if (exact !== null) candidates.push({ start, end: start + surface.key.length, entity: surface.entity, exact });
      }
    }
    return chooseMentions(d.text, candidates);
  }

  /** Random registries and texts: the automaton must find exactly what the naive scan finds. */
  function agreesWithNaiveScan(pieces: string[], extra: EntityEntry[], numRuns: number): void {
    const name = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 5 }).map((p) => p.join(''));
    const type = fc.constantFrom<EntityEntry['type']>('person', 'place');
    const entries = fc.array(fc.record({ name, aliases: fc.array(name, { maxLength: 2 }), type }), { minLength: 1, maxLength: 8 });
    const chunks = fc.array(fc.oneof(fc.constantFrom(...pieces, '\n', 'x'), name), { maxLength: 40 });
    fc.assert(
      fc.property(entries, chunks, (list, parts) => {
        const registry = registryFromEntries([...list.map((e, i) => ({ id: `e${i}`, ...e })), ...extra]);
        // Names pasted as they are, upper-cased and lower-cased: the case rules get exercised too.
        const text = parts.map((c, i) => (i % 3 === 1 ? c.toUpperCase() : i % 5 === 2 ? c.toLowerCase() : c)).join('');
        const d = doc(text);
        const matcher = new RegistryMatcher(registry);
        const expected = naiveFind(registry, d);
        assert.deepEqual(matcher.find(d), expected);
        assert.deepEqual(RegistryMatcher.load(registry, matcher.save()).find(d), expected, 'after save and load');
      }),
      { numRuns },
    );
  }

  it('finds exactly what a naive scan of every name at every position finds', () => {
    // Few pieces, so names overlap, nest and repeat: failure links and output chains get exercised.
    const pieces = ['a', 'A', 'ab', 'Ab', 'AB', 'b', 'д', 'Д', '京', '王', 'ก', '𠀀', '😀', 'İ', 'ß', 'Σ', 'ς', '1', "'", '’', '-', ' ', '.'];
    agreesWithNaiveScan(pieces, [], 1000);
  });

  it('agrees with the naive scan at the edges of words, where the automaton skips what cannot start a name', () => {
    // Units that fold onto letters (Kelvin sign), combining marks, digits, joiners, astral letters and a
    // letter in no name ('x', from the texts): each either lets a name start after it or does not.
    const pieces = ['a', 'k', 'K', 'K', 'é', 'e\u0301', '1', '_', 'ـ', '\u200d', '𝐀', '京', "'", '’', '-', ' ', 'ab a'];
    agreesWithNaiveScan(pieces, [], 1000);
  });

  it('agrees with the naive scan where most states have no dense row', () => {
    // 20,000 distinct characters widen the alphabet so far that only a few dozen states get dense rows,
    // and 64 more names fill depth 1: from depth 2 on, sorted-children lookups and failure walks run.
    const han = (i: number): string => String.fromCharCode(0x4e00 + i);
    const wide: EntityEntry = { id: 'wide', name: Array.from({ length: 20_000 }, (_, i) => han(i)).join(''), type: 'place' };
    const shallow = Array.from({ length: 64 }, (_, i): EntityEntry => ({ id: `han${i}`, name: han(i) + han(i + 1000), type: 'place' }));
    agreesWithNaiveScan(['a', 'b', 'A', 'ab', ' ', '京'], [wide, ...shallow], 100);
  });
});

describe('RegistryMatcher save and load', () => {
  const ENTRIES: EntityEntry[] = [
    ...PLACES,
    { id: 'mohsin-naqvi', name: 'Mohsin Naqvi', type: 'person', aliases: ['Naqvi', '  Mohsin   Naqvi '] },
    { id: 'wang-xiaohong', name: 'Wang Xiaohong', type: 'person', aliases: ['Wang', '王小洪'] },
    { id: 'wang-yong', name: 'Wang Yong', type: 'person', aliases: ['Wang'] },
    { id: 'nccia', name: 'National Cyber Crimes Investigation Agency', type: 'organization', aliases: ['NCCIA'] },
    { id: 'obrien', name: 'Conor O’Brien', type: 'person' },
  ];
  const TEXT = 'NEW DELHI — Mohsin\nNaqvi met Wang and 王小洪 in Beijing; the NCCIA and Conor O\'Brien’s team, China’s role, Chinatown.';
  const registry = registryFromEntries(ENTRIES);
  const built = new RegistryMatcher(registry);
  const expected = built.find(doc(TEXT));

  it('gives the same mentions after a round trip, and the bytes name no entity', () => {
    assert.ok(expected.length >= 7);
    const bytes = built.save();
    const loaded = RegistryMatcher.load(registry, bytes);
    assert.equal(loaded.version, registry.version);
    assert.deepEqual(loaded.find(doc(TEXT)), expected);
    assert.deepEqual(loaded.save(), bytes, 'saving a loaded matcher gives the same bytes');
    assert.deepEqual(new RegistryMatcher(registry).save(), bytes, 'building is deterministic');
    const asText = Buffer.from(bytes).toString('latin1') + Buffer.from(bytes).toString('utf16le');
    assert.ok(!asText.includes('mohsin-naqvi') && !asText.includes('Naqvi'), 'ids and names stay in the registry');
  });

  it('loads from a SharedArrayBuffer, as views: the bytes are not copied', () => {
    const shared = built.save({ shared: true });
    assert.ok(shared.buffer instanceof SharedArrayBuffer);
    const loaded = RegistryMatcher.load(registry, shared);
    assert.deepEqual(loaded.find(doc(TEXT)), expected);
    // Zeroed tables map every unit to "in no name": a loaded matcher that copied would still find names.
    shared.fill(0);
    assert.deepEqual(loaded.find(doc(TEXT)), []);
  });

  it('loads from any offset in a larger buffer (a file read, a slice of a message)', () => {
    const bytes = built.save();
    for (const offset of [4, 8, 1, 3]) {
      const host = new Uint8Array(new SharedArrayBuffer(bytes.length + 16));
      host.set(bytes, offset);
      assert.deepEqual(RegistryMatcher.load(registry, host.subarray(offset, offset + bytes.length)).find(doc(TEXT)), expected, `offset ${offset}`);
    }
  });

  const refuses = (bytes: Uint8Array, message: RegExp, reg: Registry = registry): void =>
    assert.throws(() => RegistryMatcher.load(reg, bytes), (e: Error) => e instanceof Error && /^Registry matcher bytes:/.test(e.message) && message.test(e.message));

  it('saves and loads a matcher for an empty registry', () => {
    const empty = registryFromEntries([]);
    assert.deepEqual(RegistryMatcher.load(empty, new RegistryMatcher(empty).save()).find(doc(TEXT)), []);
  });

  it('refuses foreign, truncated and extended buffers', () => {
    const bytes = built.save();
    refuses(new Uint8Array(0), /too short/);
    refuses(new TextEncoder().encode(JSON.stringify({ entities: ENTRIES })), /not a compiled registry matcher/);
    refuses(bytes.subarray(0, bytes.length - 4), /bytes, expected/);
    refuses(bytes.subarray(0, 44), /bytes, expected/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    refuses(longer, /bytes, expected/);
  });

  it('refuses another format number', () => {
    const bytes = built.save();
    new Int32Array(bytes.buffer, 4, 1)[0] = RegistryMatcher.FORMAT + 1;
    refuses(bytes, new RegExp(`format ${RegistryMatcher.FORMAT + 1}, expected ${RegistryMatcher.FORMAT}`));
  });

  it('refuses a matcher built for another registry', () => {
    const bytes = built.save();
    refuses(bytes, /built for registry/, registryFromEntries(PLACES));
    refuses(bytes, /built for registry/, registryFromEntries([...ENTRIES.slice(0, -1), { ...ENTRIES[ENTRIES.length - 1], name: 'Conor OBrien' }]));
  });

  it('refuses any damaged byte, never returning wrong mentions', () => {
    const bytes = built.save();
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, flip) => {
        const damaged = bytes.slice();
        damaged[at] ^= flip;
        assert.throws(() => RegistryMatcher.load(registry, damaged), /^Error: Registry matcher bytes:/);
      }),
      { numRuns: 500 },
    );
  });
});

