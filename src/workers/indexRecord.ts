// What the workspace index keeps of one article, compactly: mention spans grouped by the key they are
// found under, entity summaries, commitments and the line table as numbers (views on one buffer) and a
// few strings. The features need no more (hover counts, references, rename, the trees, the graph), and
// 10,000 articles fit in the extension host. Built in the workers from a scan; the same record, as
// bytes, is the persistent cache's (by content hash) and the index snapshot's.
import { createHash } from 'node:crypto';
import { lineStarts } from '../core/positions';
import { ENTITY_TYPES, type Commitment, type EntityType, type Mention, type ScanResult, type Span } from '../core/types';

export interface FileScan {
  /** sha1 of the text scanned. */
  hash: string;
  /** The registry version the file was scanned with. */
  registryVersion: string;
  date: string | null;
  /** The keys mentions are found under (entity keys, and registry ids where they differ), each once. */
  keys: string[];
  /** Key k's mentions are the (start, end) pairs i of `spans` for keyStarts[k] ≤ i < keyStarts[k + 1], in document order. */
  keyStarts: Uint32Array;
  spans: Uint32Array;
  /** Per entity: the index of its key in `keys`, of its type in ENTITY_TYPES, and its mention count. */
  entities: Uint32Array;
  /** Per entity its name, then its registry id ('' for none); each followed by NUL. */
  entityText: string;
  /** Per commitment: start, end, line, 1 + the offset of its action in its text (0: the action is stored), the action's length. */
  commitments: Uint32Array;
  /** Per commitment: text, kind, action (when stored), actors (joined by SOH), due, recurrence; each followed by NUL. */
  commitmentText: string;
  /** Offsets at which lines start, for offset → line/column once the text is gone. */
  lines: Uint32Array;
}

/** An entity as the index keeps it: enough to list, count and group it. */
export interface IndexedEntity {
  key: string;
  name: string;
  type: EntityType;
  id: string | null;
  mentionCount: number;
}

/** A commitment as the index keeps it: what the Commitments view shows and reveals. */
export type IndexedCommitment = Pick<Commitment, 'start' | 'end' | 'line' | 'text' | 'kind' | 'action' | 'actors' | 'due' | 'recurrence'>;

const END = '\u0000';
const ACTORS = '\u0001';
/**
 * The separators never occur in a field (a text holding one has it replaced), so fields always split
 * back as they were joined; nor do lone surrogates, so a field is the same after a trip through UTF-8.
 */
const plain = (field: string): string => field.replace(/[\u0000\u0001]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
const ENTITY_WORDS = 3;
const COMMITMENT_WORDS = 5;
const COMMITMENT_FIELDS = 6;
/** A stored record's number arrays, and the words before its numbers: their lengths and its string sections' lengths. */
const ARRAYS = 5;
const HEAD_WORDS = ARRAYS + 6;
const DIGEST_BYTES = 20;

/** A key as records hold it (see plain), for looking one up. */
export const indexKey = (key: string): string => plain(key);

/** The keys a mention is found under: its entity key, and its registry id when that differs. */
export function keysOf(m: Pick<Mention, 'entity' | 'id'>): string[] {
  return m.id !== null && m.id !== m.entity ? [m.entity, m.id] : [m.entity];
}

/** The index's record of a scanned text. */
export function recordOf(text: string, hash: string, registryVersion: string, result: Pick<ScanResult, 'date' | 'mentions' | 'entities' | 'commitments'>): FileScan {
  const byKey = new Map<string, number[]>();
  for (const m of result.mentions) {
    for (const key of keysOf(m).map(plain)) {
      const list = byKey.get(key);
      if (list) list.push(m.start, m.end);
      else byKey.set(key, [m.start, m.end]);
    }
  }
  // An entity always has a key, even in the unlikely case that none of its mentions are listed.
  for (const e of result.entities) if (!byKey.has(plain(e.key))) byKey.set(plain(e.key), []);
  const keys = [...byKey.keys()];
  const keyIndex = new Map(keys.map((k, i) => [k, i]));
  const keyStarts = [0];
  for (const list of byKey.values()) keyStarts.push(keyStarts[keyStarts.length - 1] + list.length / 2);
  // The action is usually a phrase of the commitment's sentence: then only where it is is kept.
  const actionAt = result.commitments.map((c) => c.text.indexOf(c.action));
  const views = viewsOn([
    keyStarts,
    [...byKey.values()].flat(),
    result.entities.flatMap((e) => [keyIndex.get(plain(e.key)) as number, ENTITY_TYPES.indexOf(e.type), e.mentions.length]),
    result.commitments.flatMap((c, i) => [c.start, c.end, c.line, actionAt[i] + 1, c.action.length]),
    lineStarts(text),
  ]);
  return {
    hash,
    registryVersion,
    date: result.date,
    keys,
    ...views,
    entityText: result.entities.map((e) => `${plain(e.name)}${END}${plain(e.id ?? '')}${END}`).join(''),
    commitmentText: result.commitments
      .map((c, i) => [...[c.text, c.kind, actionAt[i] < 0 ? c.action : ''].map(plain), c.actors.map(plain).join(ACTORS), ...[c.due ?? '', c.recurrence ?? ''].map(plain)].map((f) => f + END).join(''))
      .join(''),
  };
}

type Numbers = Pick<FileScan, 'keyStarts' | 'spans' | 'entities' | 'commitments' | 'lines'>;

/** The five number arrays of a record as views on one buffer: one allocation per record. */
function viewsOn(lists: ArrayLike<number>[]): Numbers {
  const all = new Uint32Array(lists.reduce((n, l) => n + l.length, 0));
  let at = 0;
  for (const list of lists) {
    all.set(list, at);
    at += list.length;
  }
  return split(all, lists.map((l) => l.length));
}

function split(all: Uint32Array, lengths: number[]): Numbers {
  let at = 0;
  const [keyStarts, spans, entities, commitments, lines] = lengths.map((n) => all.subarray(at, (at += n)));
  return { keyStarts, spans, entities, commitments, lines };
}

/** The mentions found under key k of a record. */
export function spansOf(scan: Pick<FileScan, 'keyStarts' | 'spans'>, k: number): Span[] {
  const found: Span[] = [];
  for (let i = scan.keyStarts[k]; i < scan.keyStarts[k + 1]; i++) found.push({ start: scan.spans[2 * i], end: scan.spans[2 * i + 1] });
  return found;
}

/** A record's entities; `keyOf(k)` is its key k (`scan.keys[k]` for a FileScan). */
export function entitiesOf(scan: Pick<FileScan, 'entities' | 'entityText'>, keyOf: (k: number) => string): IndexedEntity[] {
  return entityFactsOf(scan).map((e, i) => ({ key: keyOf(scan.entities[ENTITY_WORDS * i]), ...e }));
}

/** A record's entities without their keys (what grouping them needs). */
export function entityFactsOf(scan: Pick<FileScan, 'entities' | 'entityText'>): Omit<IndexedEntity, 'key'>[] {
  const text = scan.entityText.split(END);
  const found: Omit<IndexedEntity, 'key'>[] = [];
  for (let w = 0, i = 0; w < scan.entities.length; w += ENTITY_WORDS, i += 2) {
    found.push({ type: ENTITY_TYPES[scan.entities[w + 1]], mentionCount: scan.entities[w + 2], name: text[i], id: text[i + 1] || null });
  }
  return found;
}

export function commitmentsOf(scan: Pick<FileScan, 'commitments' | 'commitmentText'>): IndexedCommitment[] {
  const fields = scan.commitmentText.split(END);
  const words = scan.commitments;
  const found: IndexedCommitment[] = [];
  for (let w = 0, f = 0; w < words.length; w += COMMITMENT_WORDS, f += COMMITMENT_FIELDS) {
    const text = fields[f];
    const actionAt = words[w + 3];
    found.push({
      start: words[w],
      end: words[w + 1],
      line: words[w + 2],
      text,
      kind: fields[f + 1] as IndexedCommitment['kind'],
      action: actionAt > 0 ? text.slice(actionAt - 1, actionAt - 1 + words[w + 4]) : fields[f + 2],
      actors: fields[f + 3] === '' ? [] : fields[f + 3].split(ACTORS),
      due: fields[f + 4] || null,
      recurrence: fields[f + 5] || null,
    });
  }
  return found;
}

/** Each commitment's due date and recurrence alone (what groups it), read without decoding the rest. */
export function commitmentDatesOf(scan: Pick<FileScan, 'commitments' | 'commitmentText'>): Pick<IndexedCommitment, 'due' | 'recurrence'>[] {
  const text = scan.commitmentText;
  const found: Pick<IndexedCommitment, 'due' | 'recurrence'>[] = [];
  let at = 0;
  for (let w = 0; w < scan.commitments.length; w += COMMITMENT_WORDS) {
    // Skip text, kind, action and actors: due and recurrence are the last two fields.
    for (let f = 0; f < COMMITMENT_FIELDS - 2; f++) at = text.indexOf(END, at) + 1;
    const dueEnd = text.indexOf(END, at);
    const recurrenceEnd = text.indexOf(END, dueEnd + 1);
    found.push({ due: text.slice(at, dueEnd) || null, recurrence: text.slice(dueEnd + 1, recurrenceEnd) || null });
    at = recurrenceEnd + 1;
  }
  return found;
}

/**
 * A record as bytes (the scan cache's records, the snapshot's): the five arrays' lengths and the six
 * string sections' UTF-8 lengths, the numbers, then the strings (hash, registry version, date, keys
 * each followed by NUL, entity text, commitment text), so reading one back is a few native copies;
 * last, the sha1 of all that, so a damaged record is known and not used.
 */
export function encodeRecord(scan: FileScan): Uint8Array {
  const arrays = [scan.keyStarts, scan.spans, scan.entities, scan.commitments, scan.lines];
  const sections = [scan.hash, scan.registryVersion, scan.date ?? '', scan.keys.map((k) => k + END).join(''), scan.entityText, scan.commitmentText].map((t) => Buffer.from(t));
  const words = new Uint32Array(HEAD_WORDS + arrays.reduce((n, a) => n + a.length, 0));
  words.set([...arrays.map((a) => a.length), ...sections.map((b) => b.length)]);
  let at = HEAD_WORDS;
  for (const a of arrays) {
    words.set(a, at);
    at += a.length;
  }
  const body = Buffer.concat([new Uint8Array(words.buffer), ...sections]);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

/** A record from bytes, or null when they are not a whole, consistent record (a damaged or foreign file). */
export function decodeRecord(stored: Uint8Array): FileScan | null {
  if (stored.byteLength < 4 * HEAD_WORDS + DIGEST_BYTES) return null;
  const bytes = stored.subarray(0, stored.byteLength - DIGEST_BYTES);
  const digest = createHash('sha1').update(bytes).digest();
  if (!digest.equals(stored.subarray(bytes.byteLength))) return null;
  const head = new Uint32Array(copied(bytes, 0, 4 * HEAD_WORDS));
  const lengths = [...head.subarray(0, ARRAYS)];
  let at = 4 * (HEAD_WORDS + lengths.reduce((a, b) => a + b, 0));
  const numbersEnd = at;
  if (numbersEnd + head.subarray(ARRAYS).reduce((a, b) => a + b, 0) !== bytes.byteLength) return null;
  // A copy: the record must not keep the (large) buffer it was read from alive.
  const numbers = split(new Uint32Array(copied(bytes, 4 * HEAD_WORDS, numbersEnd)), lengths);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [hash, registryVersion, date, keys, entityText, commitmentText] = [...head.subarray(ARRAYS)].map((n) => buffer.toString('utf8', at, (at += n)));
  if (keys !== '' && !keys.endsWith(END)) return null;
  const scan: FileScan = { hash, registryVersion, date: date || null, keys: keys === '' ? [] : keys.slice(0, -1).split(END), entityText, commitmentText, ...numbers };
  return consistent(scan) ? scan : null;
}

/** Bytes start .. end - 1 in a buffer of their own (aligned for words; a Buffer's slice would be a view). */
function copied(bytes: Uint8Array, start: number, end: number): ArrayBuffer {
  const copy = new Uint8Array(end - start);
  copy.set(bytes.subarray(start, end));
  return copy.buffer;
}

/** Whether every index of a record points inside it, so the look-ups can trust it (a record of another writer, say). */
function consistent(s: FileScan): boolean {
  const { keyStarts, entities, commitments } = s;
  if (keyStarts.length !== s.keys.length + 1 || keyStarts[0] !== 0 || 2 * keyStarts[s.keys.length] !== s.spans.length) return false;
  for (let k = 1; k < keyStarts.length; k++) if (keyStarts[k] < keyStarts[k - 1]) return false;
  if (entities.length % ENTITY_WORDS !== 0 || commitments.length % COMMITMENT_WORDS !== 0 || s.lines.length === 0 || s.lines[0] !== 0) return false;
  for (let w = 0; w < entities.length; w += ENTITY_WORDS) if (entities[w] >= s.keys.length || entities[w + 1] >= ENTITY_TYPES.length) return false;
  // The texts' fields are as written: the digest says so, and the writer keeps separators out of fields.
  return true;
}
