import assert from 'node:assert/strict';
import fc from 'fast-check';
import { demonymCountry, isCountry, placeWordsFrom } from '../../src/core/gazetteer';
import {
  EVENT_HEADS, FUNCTION_WORDS, HONORIFICS, ORG_HEADS, TITLE_HEADS, TITLE_WORDS, isDemonym, isEventHeadWord, isFunctionWord,
  isHonorific, isNameWord, isOrgHeadWord, isTitleHead, isTitleWord, placeWords,
} from '../../src/core/lexicon';
import { type Token, collapseSpaces, isSpaceRun, tokenize } from '../../src/core/tokens';

// The slow path: the word lists and the gazetteer asked directly, each time, as before word classes.
const bareOf = (t: Token): string => t.lower.replace(/\.$/, '');
const partsOf = (t: Token): string[] => bareOf(t).split(/[-‐‑]/);
const direct: Record<string, (t: Token) => boolean | number> = {
  isTitleHead: (t) => TITLE_HEADS.has(bareOf(t)) || (partsOf(t).length > 1 && partsOf(t).some((p) => TITLE_HEADS.has(p))),
  isTitleWord: (t) => TITLE_WORDS.has(t.lower) || (partsOf(t).length > 1 && partsOf(t).every((p) => TITLE_WORDS.has(p))),
  isHonorific: (t) => t.cap && HONORIFICS.has(bareOf(t)),
  isDemonym: (t) => demonymCountry(t.text) !== undefined,
  isFunctionWord: (t) => FUNCTION_WORDS.has(bareOf(t)),
  isOrgHeadWord: (t) => ORG_HEADS.has(t.lower),
  isEventHeadWord: (t) => EVENT_HEADS.has(t.lower),
  placeWords: (t) => placeWordsFrom(t.text),
  isNameWord: (t) =>
    t.cap && !t.acronym && !t.noise && !/^\p{N}/u.test(t.text) &&
    !(FUNCTION_WORDS.has(bareOf(t)) || direct.isTitleHead(t) || HONORIFICS.has(bareOf(t)) || direct.isTitleWord(t)) &&
    !(ORG_HEADS.has(t.lower) || EVENT_HEADS.has(t.lower) || direct.isDemonym(t)) && !isCountry(t.text),
};
const classified: Record<string, (t: Token) => boolean | number> = {
  isTitleHead, isTitleWord, isHonorific, isDemonym, isFunctionWord, isOrgHeadWord, isEventHeadWord, placeWords, isNameWord,
};

const CAPITAL = /^[\p{Lu}\p{Lt}]|^\p{Lo}/u;
const PARTICLE_NAME = /^(?:al|el|ad|as|ash|at|az|an|ar|ibn|bin|abu|da|de|di|du|van|von|d|l)[-‐‑'’][\p{Lu}]/u;

const listed = [...TITLE_HEADS, ...TITLE_WORDS, ...HONORIFICS, ...FUNCTION_WORDS, ...ORG_HEADS, ...EVENT_HEADS];
const word = fc.oneof(
  fc.constantFrom(...listed),
  fc.constantFrom(...listed).map((w) => w[0].toUpperCase() + w.slice(1)),
  fc.constantFrom(...listed).map((w) => w.toUpperCase()),
  fc.constantFrom(
    'Mr.', 'H.E.', 'U.S.', 'Vice-President', 'Deputy-Director', 'Foreign-Minister', 'Anti-Corruption', 'Kenya', 'KENYA', 'Kenyan',
    'China’s', "Ministers'", 'Viet', 'Nam', 'New', 'Delhi', 'Addis', 'Ababa', 'Côte', 'al-Sisi', 'bin', 'Farhan', '2026', '3rd',
    'NCCIA', '(NCCIA)', 'Xiaohong', '中国', 'Σ', 'İstanbul', 'ſ', '@handle', '#tag',
  ),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const text = fc.array(fc.tuple(word, fc.constantFrom(' ', ', ', '. ', '\n', '-', ' (', ') ')), { maxLength: 40 })
  .map((parts) => parts.map(([w, gap]) => w + gap).join(''));

describe('tokens and word classes', () => {
  it('answers every lexicon question as the word lists and the gazetteer do, asked in any order', () => {
    fc.assert(
      fc.property(text, fc.array(fc.constantFrom(...Object.keys(direct)), { minLength: 1, maxLength: 12 }), (prose, order) => {
        for (const t of tokenize(prose)) {
          for (const question of order) assert.equal(classified[question](t), direct[question](t), `${question}(${JSON.stringify(t.text)})`);
          assert.equal(t.cap, CAPITAL.test(t.text) || PARTICLE_NAME.test(t.text), `cap of ${JSON.stringify(t.text)}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('tells runs of spaces, tabs and no-break spaces as the pattern does', () => {
    const gap = fc.array(fc.constantFrom(' ', '\t', '\u00a0', '\n', 'a', '\u2003', ','), { maxLength: 8 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(gap, fc.nat(10), fc.nat(10), (s, from, to) => {
        assert.equal(isSpaceRun(s, from, to), /^[ \t\u00a0]+$/.test(s.slice(from, to)));
      }),
      { numRuns: 500 },
    );
  });

  it('collapses whitespace as a replace of every run would', () => {
    const chars = fc.array(fc.constantFrom(' ', '  ', '\t', '\u00a0', '\n', 'a', 'B', '\u2003', '\r\n'), { maxLength: 10 }).map((cs) => cs.join(''));
    fc.assert(fc.property(chars, (s) => assert.equal(collapseSpaces(s), s.replace(/\s+/g, ' '))), { numRuns: 500 });
  });
});
