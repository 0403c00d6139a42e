// Prose blocks → sentences. A block is split after `.`, `?`, `!` or an ellipsis (with any closing
// quotes and brackets) when a space and a new sentence's first letter follow; abbreviations,
// initials and dotted acronyms do not end a sentence, so titles and names are never cut.
import type { ProseDocument, Sentence } from './types';

/** Abbreviations that precede a name or a word and never end a sentence. */
const TITLE_ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'mx', 'messrs', 'mme', 'mlle', 'dr', 'prof', 'gen', 'lt', 'col', 'capt', 'cpt', 'sgt', 'maj',
  'brig', 'adm', 'cmdr', 'cdr', 'gov', 'sen', 'rep', 'amb', 'hon', 'rev', 'fr', 'pres', 'supt', 'insp', 'st', 'mt',
  'ft', 'dept', 'approx', 'vs', 'cf', 'viz', 'fig', 'sheikh', 'hh',
]);
/** Abbreviations that precede a number ("No. 5", "Jan. 7", "Art. 3"). */
const NUMBER_ABBREVIATIONS = new Set([
  'no', 'nos', 'art', 'arts', 'sec', 'vol', 'p', 'pp', 'para', 'paras', 'ch', 'ref',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec',
]);
/** Abbreviations that may end a sentence: they do when the next word is a usual sentence opener. */
const AMBIGUOUS_ABBREVIATIONS = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'jr', 'sr', 'bros', 'plc', 'al']);
const SENTENCE_OPENERS = new Set([
  'the', 'a', 'an', 'he', 'she', 'it', 'they', 'we', 'i', 'you', 'this', 'that', 'these', 'those', 'there', 'his',
  'her', 'its', 'their', 'our', 'but', 'and', 'in', 'on', 'at', 'both', 'however', 'meanwhile', 'according',
  'earlier', 'later', 'after', 'before', 'when', 'while', 'as', 'if', 'officials', 'separately', 'also',
]);

/** Sentence-final marks; the CJK, Arabic, Urdu and Devanagari ones need no following space. */
const FINAL = /[.?!…]/;
const FINAL_NO_SPACE = /[。！？؟۔।]/;
const CLOSERS = /["'”’»)\]\u2019]/;
const OPENERS = /["'“‘«(\[¿¡]/;

export function splitSentences(doc: ProseDocument): Sentence[] {
  const sentences: Sentence[] = [];
  doc.blocks.forEach((block, index) => {
    const push = (start: number, end: number): void => {
      while (start < end && /\s/.test(doc.prose[start])) start++;
      while (end > start && /\s/.test(doc.prose[end - 1])) end--;
      if (end > start) sentences.push({ start, end, block: index });
    };
    if (block.kind === 'heading') {
      push(block.start, block.end);
      return;
    }
    let from = block.start;
    for (const end of sentenceEnds(doc.prose, block.start, block.end)) {
      push(from, end);
      from = end;
    }
    push(from, block.end);
  });
  return sentences;
}

/** Offsets just after each sentence end inside [start, end) of the prose. */
function* sentenceEnds(prose: string, start: number, end: number): Generator<number> {
  const marks = /[.?!…。！？؟۔।]/g;
  const block = prose.slice(start, end);
  for (let m = marks.exec(block); m; m = marks.exec(block)) {
    const i = start + m.index;
    let j = i + 1;
    if (FINAL_NO_SPACE.test(m[0])) {
      while (j < end && CLOSERS.test(prose[j])) j++;
      marks.lastIndex = j - start;
      yield j;
      continue;
    }
    while (j < end && (FINAL.test(prose[j]) || CLOSERS.test(prose[j]))) j++;
    marks.lastIndex = j - start;
    // A mark inside a word or number ("3.5", "U.S.", "example.com") ends nothing.
    if (j < end && !/\s/.test(prose[j])) continue;
    let k = j;
    while (k < end && /\s/.test(prose[k])) k++;
    while (k < end && OPENERS.test(prose[k])) k++;
    if (k >= end) return;
    if (endsSentence(prose, start, i, k)) yield j;
  }
}

/** Whether the mark at `mark` ends a sentence, given that the next one would start at `next`. */
function endsSentence(prose: string, blockStart: number, mark: number, next: number): boolean {
  const following = prose[next];
  // A lower-case continuation ("e.g. the", "… said ten") never starts a sentence.
  if (/\p{Ll}/u.test(following)) return false;
  if (prose[mark] !== '.' || prose[mark + 1] === '.') return true;
  let t = mark;
  while (t > blockStart && /[\p{L}\p{M}.]/u.test(prose[t - 1])) t--;
  const token = prose.slice(t, mark);
  const word = token.toLowerCase();
  if (token === '') return true;
  if (/^\p{Lu}$/u.test(token)) return false; // an initial: "J. Smith", "H. E."
  if (TITLE_ABBREVIATIONS.has(word)) return false;
  if (/\p{N}/u.test(following)) return !NUMBER_ABBREVIATIONS.has(word);
  if (AMBIGUOUS_ABBREVIATIONS.has(word) || token.includes('.')) {
    // "U.S. President X" goes on; "… in the U.S. The talks …" ends.
    const nextWord = /^[\p{L}]+/u.exec(prose.slice(next, next + 20));
    return nextWord !== null && SENTENCE_OPENERS.has(nextWord[0].toLowerCase());
  }
  return true;
}
