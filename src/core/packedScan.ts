// A scan result as a worker sends it to the editor: numbers in typed arrays, each string once in one
// table, and nothing the editor already has (mention and commitment texts are read back from the
// document's text). Cloning it across threads copies a few blocks of memory instead of some 40,000
// objects, and the editor rebuilds the result a slice at a time, so no turn of its event loop is held long.
import { ENTITY_TYPES, type BlockKind, type Commitment, type CommitmentKind, type DocEntity, type FrontMatter, type Mention, type MentionSource, type Problem, type ProseBlock, type ScanResult } from './types';

export interface PackedScan {
  date: string | null;
  /** The string table: all strings concatenated, and their lengths. */
  strings: string;
  stringLengths: Int32Array;
  /** MENTION_WORDS per mention; strings as table indexes (-1: none), lists as [start, count] in `lists`. */
  mentions: Int32Array;
  entities: Int32Array;
  /** Each entity's mentions, as indexes into the mentions. */
  entityMentions: Int32Array;
  commitments: Int32Array;
  /** String indexes of candidates, actors and actor keys. */
  lists: Int32Array;
  /** [start, end, kind, listDepth, quoted] per block. */
  blocks: Int32Array;
  prose: string;
  frontMatter: FrontMatter | null;
  fallback: boolean;
  problems: Problem[];
}

const MENTION_WORDS = 9;
const ENTITY_WORDS = 8;
const COMMITMENT_WORDS = 13;
const BLOCK_WORDS = 5;
const SOURCES: readonly MentionSource[] = ['registry', 'detected', 'coreference', 'link'];
const KINDS: readonly BlockKind[] = ['heading', 'paragraph', 'listItem', 'blockquote', 'tableCell', 'html', 'other'];
/** Objects rebuilt per slice: a few milliseconds of the editor's thread. */
const SLICE = 4096;

/** The result of scanning `text`, packed (see PackedScan). */
export function packScan(result: ScanResult): PackedScan {
  const index = new Map<string, number>();
  const table: string[] = [];
  const str = (s: string | null | undefined): number => {
    if (s === null || s === undefined) return -1;
    let i = index.get(s);
    if (i === undefined) {
      index.set(s, (i = table.length));
      table.push(s);
    }
    return i;
  };
  const lists: number[] = [];
  const list = (items: readonly string[] | undefined): [number, number] => {
    if (!items) return [-1, 0];
    const start = lists.length;
    for (const s of items) lists.push(str(s));
    return [start, items.length];
  };
  const { mentions, entities, commitments, prose } = result;
  const mentionIndex = new Map<Mention, number>(mentions.map((m, i) => [m, i]));
  const packedMentions = new Int32Array(mentions.length * MENTION_WORDS);
  mentions.forEach((m, i) => {
    packedMentions.set([m.start, m.end, ENTITY_TYPES.indexOf(m.type), SOURCES.indexOf(m.source), str(m.entity), str(m.id), str(m.title), ...list(m.candidates)], i * MENTION_WORDS);
  });
  const entityMentions: number[] = [];
  const packedEntities = new Int32Array(entities.length * ENTITY_WORDS);
  entities.forEach((e, i) => {
    packedEntities.set([str(e.key), str(e.name), ENTITY_TYPES.indexOf(e.type), str(e.id), str(e.title), str(e.country), entityMentions.length, e.mentions.length], i * ENTITY_WORDS);
    for (const m of e.mentions) entityMentions.push(mentionIndex.get(m) ?? -1);
  });
  const packedCommitments = new Int32Array(commitments.length * COMMITMENT_WORDS);
  commitments.forEach((c, i) => {
    packedCommitments.set([
      c.start, c.end, c.line, str(c.kind), str(c.action), str(c.due), str(c.recurrence), str(c.dueText), str(c.recurrenceText),
      ...list(c.actors), ...list(c.actorKeys),
    ], i * COMMITMENT_WORDS);
  });
  const blocks = new Int32Array(prose.blocks.length * BLOCK_WORDS);
  prose.blocks.forEach((b, i) => blocks.set([b.start, b.end, KINDS.indexOf(b.kind), b.listDepth, b.quoted ? 1 : 0], i * BLOCK_WORDS));
  return {
    date: result.date,
    strings: table.join(''),
    stringLengths: Int32Array.from(table, (s) => s.length),
    mentions: packedMentions,
    entities: packedEntities,
    entityMentions: Int32Array.from(entityMentions),
    commitments: packedCommitments,
    lists: Int32Array.from(lists),
    blocks,
    prose: prose.prose,
    frontMatter: prose.frontMatter,
    fallback: prose.fallback,
    problems: result.problems,
  };
}

/**
 * The scan result of `text` from its packed form, rebuilt a slice at a time: the generator yields
 * after each `slice` objects, and returns the result.
 */
export function* unpackScan(packed: PackedScan, text: string, slice = SLICE): Generator<void, ScanResult, void> {
  const table: string[] = [];
  for (let i = 0, at = 0; i < packed.stringLengths.length; at += packed.stringLengths[i++]) table.push(packed.strings.slice(at, at + packed.stringLengths[i]));
  const str = (i: number): string | null => (i < 0 ? null : table[i]);
  const list = (start: number, count: number): string[] => Array.from(packed.lists.subarray(start, start + count), (i) => table[i]);
  let done = 0;

  const mentions: Mention[] = new Array(packed.mentions.length / MENTION_WORDS);
  for (let i = 0; i < mentions.length; i++) {
    const w = packed.mentions.subarray(i * MENTION_WORDS, (i + 1) * MENTION_WORDS);
    const m: Mention = { start: w[0], end: w[1], text: text.slice(w[0], w[1]), type: ENTITY_TYPES[w[2]], id: str(w[5]), source: SOURCES[w[3]], entity: table[w[4]] };
    if (w[6] >= 0) m.title = table[w[6]];
    if (w[7] >= 0) m.candidates = list(w[7], w[8]);
    mentions[i] = m;
    if (++done % slice === 0) yield;
  }
  const entities: DocEntity[] = new Array(packed.entities.length / ENTITY_WORDS);
  for (let i = 0; i < entities.length; i++) {
    const w = packed.entities.subarray(i * ENTITY_WORDS, (i + 1) * ENTITY_WORDS);
    const e: DocEntity = { key: table[w[0]], name: table[w[1]], type: ENTITY_TYPES[w[2]], id: str(w[3]), mentions: Array.from(packed.entityMentions.subarray(w[6], w[6] + w[7]), (k) => mentions[k]) };
    if (w[4] >= 0) e.title = table[w[4]];
    if (w[5] >= 0) e.country = table[w[5]];
    entities[i] = e;
    if (++done % slice === 0) yield;
  }
  const commitments: Commitment[] = new Array(packed.commitments.length / COMMITMENT_WORDS);
  for (let i = 0; i < commitments.length; i++) {
    const w = packed.commitments.subarray(i * COMMITMENT_WORDS, (i + 1) * COMMITMENT_WORDS);
    const c: Commitment = {
      start: w[0], end: w[1], text: text.slice(w[0], w[1]), kind: table[w[3]] as CommitmentKind, actors: list(w[9], w[10]), actorKeys: list(w[11], w[12]),
      action: table[w[4]], due: str(w[5]), recurrence: str(w[6]), line: w[2],
    };
    if (w[7] >= 0) c.dueText = table[w[7]];
    if (w[8] >= 0) c.recurrenceText = table[w[8]];
    commitments[i] = c;
    if (++done % slice === 0) yield;
  }
  const blocks: ProseBlock[] = new Array(packed.blocks.length / BLOCK_WORDS);
  for (let i = 0; i < blocks.length; i++) {
    const w = packed.blocks.subarray(i * BLOCK_WORDS, (i + 1) * BLOCK_WORDS);
    blocks[i] = { start: w[0], end: w[1], kind: KINDS[w[2]], listDepth: w[3], quoted: w[4] === 1 };
    if (++done % slice === 0) yield;
  }
  return {
    date: packed.date,
    prose: { text, prose: packed.prose, blocks, frontMatter: packed.frontMatter, fallback: packed.fallback },
    mentions,
    entities,
    commitments,
    problems: packed.problems,
  };
}

/** The whole result at once (see unpackScan). */
export function unpackScanNow(packed: PackedScan, text: string): ScanResult {
  const steps = unpackScan(packed, text);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
