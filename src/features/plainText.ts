// Article text as an analyst reads it. Tree labels and tooltips are plain strings, so a quote taken
// from the markdown source would show its markup (`*Tashkent, March 4*`, `[site](https://…)`):
// here the markup goes and the words stay. No `vscode` import, so it is unit-tested on its own.
import type { CommitmentKind } from '../core/types';

/** Markdown punctuation a backslash can escape; the escaped character is text, never markup. */
const ESCAPED = /\\([!-/:-@[-`{-~])/g;

const RULES: Array<[RegExp, string]> = [
  // Block markers at line starts (headings, quotes, bullets, numbers), nested ones too ("> - ").
  [/^[ \t]{0,3}(?:(?:#{1,6}|>|[-*+]|\d{1,9}[.)])[ \t]+|>)+/gm, ''],
  // Images and links keep their text; the destination (one level of parentheses inside it) goes.
  [/!?\[([^\]]*)\]\((?:[^()\n]|\([^()\n]*\))*\)/g, '$1'],
  // Explicit entity links: [[id|text]] reads as its text, [[id]] as the id.
  [/\[\[[^\]|\n]+\|([^\]\n]+)\]\]/g, '$1'],
  [/\[\[([^\]\n]+)\]\]/g, '$1'],
  // HTML tags (the text between them stays).
  [/<\/?[A-Za-z][^>\n]*>/g, ''],
  [/(?<!\\)`+/g, ''],
  // Emphasis and strike-through runs at a word's edge; the `_` inside snake_case stays.
  [/(^|[^\p{L}\p{N}\\*_~])[*_~]+(?=[^\s*_~])|(?<=[^\s\\*_~])[*_~]+(?=$|[^\p{L}\p{N}])/gu, '$1'],
];

/** `markdown` (a sentence or list item of an article) as readable text on one line. */
export function plainText(markdown: string): string {
  let text = markdown;
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.replace(ESCAPED, '$1').replace(/\s+/g, ' ').trim();
}

/**
 * A commitment's tree label: its kind, then what was committed to. When the action opens with the
 * kind's own verb ("invite member states…"), the verb is not said twice ("invite: member states…").
 */
export function commitmentLabel(kind: CommitmentKind, action: string, sentence: string): string {
  const what = plainText(action || sentence);
  const [first, ...rest] = what.split(' ');
  // The verb itself or its -s/-ed forms ("signed"), not a longer word that starts like it ("meetings").
  const repeatsKind = rest.length > 0 && new RegExp(`^${kind}(?:e?s|e?d)?$`).test(first.toLowerCase());
  return `${kind}: ${repeatsKind ? rest.join(' ') : what}`;
}
