// Words of the masked prose with their offsets, and the runs of capitalised words ("chunks") in which
// names, titles, organisations and places are found. One linear regex pass; no backtracking traps.
import type { Sentence } from './types';
import { HONORIFICS, NAME_PARTICLES } from './lexicon';

export interface Token {
  /** The word as written, without a possessive ’s; with its dot for "Mr." or "U.S.". */
  text: string;
  start: number;
  end: number;
  lower: string;
  /** The word carried a possessive ’s ("China’s"). */
  possessive: boolean;
  /** Starts with a capital, is in a script without case, or is a capitalised name behind a particle ("al-Sisi"). */
  cap: boolean;
  /** All capitals, two letters or more ("NCCIA", "DG"). */
  acronym: boolean;
  /** Written "(XYZ)". */
  inParens: boolean;
  /** Part of a handle, hashtag, URL or e-mail address: never a mention. */
  noise: boolean;
  /** Index of the sentence the token is in (0-based, counted along the text). */
  sentence: number;
}

/** Token index range [from, to) of capitalised words joined by spaces and lower-case connectors. */
export interface Chunk {
  from: number;
  to: number;
}

// Letters and digits with inner hyphens, apostrophes, dots and ampersands: "al-Sisi", "O’Brien", "U.S", "AT&T".
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-‐‑'’.&][\p{L}\p{M}\p{N}]+)*/gu;
// Anchored on "@" (then widened by hand), so a long word is never rescanned from each of its letters.
const NOISE = /(?:https?:\/\/|www\.)\S+|@[\p{L}\p{N}_.-]+|#[\p{L}\p{N}_]+/gu;
const HANDLE_CHAR = /[\p{L}\p{N}_.+-]/u;
const CAPITAL = /^[\p{Lu}\p{Lt}]|^\p{Lo}/u;
const PARTICLE_NAME = /^(?:al|el|ad|as|ash|at|az|an|ar|ibn|bin|abu|da|de|di|du|van|von|d|l)[-‐‑'’][\p{Lu}]/u;
const ACRONYM = /^[\p{Lu}\p{N}&.]+$/u;
const DOTTED = /^(?:\p{Lu}\.)*\p{Lu}$/u;
const SENTENCE_END = /[.!?:;\n—–]/;
const SKIPPED_BEFORE = /[\s"'“”‘’«»()[\]*_>-]/;

export const CONNECTORS = new Set(['of', 'for', 'to', 'on', 'in', 'and', 'the', ...NAME_PARTICLES]);

export function tokenize(prose: string, sentences: readonly Sentence[] = []): Token[] {
  const noise: Array<[number, number]> = [];
  for (const m of prose.matchAll(NOISE)) {
    let from = m.index;
    if (m[0][0] === '@') while (from > 0 && HANDLE_CHAR.test(prose[from - 1])) from--;
    noise.push([from, m.index + m[0].length]);
  }
  const sentenceStarts = new Set(sentences.map((s) => s.start));
  const tokens: Token[] = [];
  let noiseAt = 0;
  let sentence = 0;
  for (const m of prose.matchAll(WORD)) {
    let text = m[0];
    const start = m.index;
    let end = start + text.length;
    let possessive = false;
    const last = text.charCodeAt(text.length - 1);
    const apostrophe = text.charCodeAt(text.length - 2);
    if (last === 115 && (apostrophe === 39 || apostrophe === 0x2019) && text.length > 3) {
      text = text.slice(0, -2);
      end -= 2;
      possessive = true;
    }
    // Plural possessive: "Ministers’ Dialogue".
    if (!possessive && last === 115 && (prose[end] === "'" || prose[end] === '’') && /\s/.test(prose[end + 1] ?? '')) possessive = true;
    const bare = text.toLowerCase();
    if (prose[end] === '.' && !possessive && (HONORIFICS.has(bare) || (text.length < 8 && DOTTED.test(text)))) {
      text += '.';
      end += 1;
    }
    while (noiseAt < noise.length && noise[noiseAt][1] <= start) noiseAt++;
    const isNoise = noiseAt < noise.length && noise[noiseAt][0] < end;
    if (tokens.length > 0 && (sentenceStarts.has(start) || startsSentence(prose, start))) sentence++;
    const cap = CAPITAL.test(text) || PARTICLE_NAME.test(text);
    tokens.push({
      text,
      start,
      end,
      lower: text.toLowerCase(),
      possessive,
      cap,
      acronym: cap && ACRONYM.test(text) && (text.match(/\p{Lu}/gu) ?? []).length >= 2,
      inParens: prose[start - 1] === '(' && prose[m.index + m[0].length] === ')',
      noise: isNoise,
      sentence,
    });
  }
  return tokens;
}

/** True when only quotes, brackets or markup stand between the word and a sentence end (or the text start). */
function startsSentence(prose: string, start: number): boolean {
  let i = start - 1;
  while (i >= 0 && SKIPPED_BEFORE.test(prose[i]) && prose[i] !== '\n') i--;
  if (i < 0) return true;
  if (prose[i] === '.') {
    // "Mr. Smith", "John F. Kennedy", "the U.S. delegation": the dot ends an abbreviation, not a sentence.
    const word = /([\p{L}.]+)\.$/u.exec(prose.slice(Math.max(0, i - 12), i + 1))?.[1] ?? '';
    if (HONORIFICS.has(word.toLowerCase()) || DOTTED.test(word)) return false;
  }
  return SENTENCE_END.test(prose[i]);
}

/** May `next` continue the chunk that `prev` is in? Only spaces, a possessive ’s or "(" / ")" around an acronym. */
function joinable(prose: string, prev: Token, next: Token): boolean {
  const gap = prose.slice(prev.end, next.start);
  if (/^[ \t\u00a0]+$/.test(gap)) return true;
  if (prev.possessive && /^['’]s?[ \t\u00a0]+$/.test(gap)) return true;
  if (next.inParens && /^[ \t\u00a0]*\($/.test(gap)) return true;
  return prev.inParens && /^\)[ \t\u00a0]*$/.test(gap);
}

export function chunks(prose: string, tokens: readonly Token[]): Chunk[] {
  const out: Chunk[] = [];
  let from = -1;
  let lastCap = -1;
  const close = () => {
    if (from >= 0) out.push({ from, to: lastCap + 1 });
    from = -1;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const joined = from >= 0 && joinable(prose, tokens[k - 1], t);
    if (t.noise) close();
    else if (t.cap || t.acronym) {
      if (!joined) {
        close();
        from = k;
      }
      lastCap = k;
    } else if (!(joined && CONNECTORS.has(t.lower))) close();
  }
  close();
  return out;
}

/** The text between two token indices (inclusive), whitespace runs collapsed, curly apostrophes kept. */
export function phrase(prose: string, tokens: readonly Token[], from: number, to: number): string {
  return prose.slice(tokens[from].start, tokens[to].end).replace(/\s+/g, ' ');
}
