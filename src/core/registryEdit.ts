// Edits of a hand-kept registry file that change only what they must. Each edit finds its place
// through the node ranges of yaml's Document and splices new text in, so comments, blank lines,
// key order and the flow/block style of every other entry stay byte-for-byte as the analyst wrote them.
// The new text itself is rendered by yaml, so quoting is always right.
import { Document, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import { surfaceKey, type EntityEntry } from './registry';

/** An edit that cannot be made safely (unreadable file, unknown id …); the message is for the user. */
export class RegistryEditError extends Error {
  override name = 'RegistryEditError';
}

interface Splice {
  at: number;
  remove: number;
  insert: string;
}

function apply(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.at - a.at)) out = out.slice(0, s.at) + s.insert + out.slice(s.at + s.remove);
  return out;
}

function load(text: string) {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new RegistryEditError(`The registry is not valid YAML (line ${e.linePos?.[0].line ?? '?'}): fix it before editing.`);
  }
  return doc;
}

function entitiesOf(doc: Document.Parsed): YamlNode[] {
  const list = isMap(doc.contents) ? doc.contents.get('entities', true) : undefined;
  return isSeq(list) ? (list.items as YamlNode[]) : [];
}

function findEntity(doc: Document.Parsed, id: string): YAMLMap {
  for (const item of entitiesOf(doc)) {
    if (isMap(item) && String((item.get('id', true) as Scalar | undefined)?.value) === id) return item;
  }
  throw new RegistryEditError(`No entity with id "${id}" in the registry.`);
}

/** Where to add a line after a node: the end of the line its value ends on (after any comment there). */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === '\n') return offset - 1;
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** Just after the last item of a flow collection closed at `close`, so "{ a: 1 }" gains ", b: 2" before its padding. */
function beforeClose(text: string, close: number): number {
  let i = close;
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** The "- " marker's column of a block sequence item whose node starts at `nodeStart`. */
function dashColumn(text: string, nodeStart: number): number {
  let i = nodeStart - 1;
  while (i >= 0 && text[i] === ' ') i--;
  return text[i] === '-' ? columnOf(text, i) : Math.max(0, columnOf(text, nodeStart) - 2);
}

function indent(block: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return block.split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
}

const RENDER = { flowCollectionPadding: false, lineWidth: 0 } as const;

/** One value as yaml writes it in flow context (quoted when it must be). */
function flowValue(value: unknown): string {
  const doc = new Document([value]);
  (doc.contents as unknown as { flow: boolean }).flow = true;
  return doc.toString(RENDER).trim().slice(1, -1);
}

/** The entry's keys in the documented order, empty ones left out. */
function orderedEntry(entry: EntityEntry): Record<string, unknown> {
  const ordered: Record<string, unknown> = { id: entry.id, name: entry.name, type: entry.type };
  if (entry.aliases && entry.aliases.length > 0) ordered.aliases = entry.aliases;
  if (entry.country) ordered.country = entry.country;
  if (entry.roles && entry.roles.length > 0) ordered.roles = entry.roles.map((r) => ({ ...r }));
  if (entry.notes) ordered.notes = entry.notes;
  return ordered;
}

/** The entry as a block sequence item ("- id: …"), aliases and roles in flow style as the docs show them. */
function renderEntry(entry: EntityEntry): string {
  const doc = new Document([orderedEntry(entry)]);
  const aliases = doc.getIn([0, 'aliases'], true);
  if (isSeq(aliases)) aliases.flow = true;
  const roles = doc.getIn([0, 'roles'], true);
  if (isSeq(roles)) for (const role of roles.items) if (isMap(role)) role.flow = true;
  return doc.toString(RENDER).replace(/\n$/, '');
}

/**
 * Lower-case kebab-case id from a name: Latin letters lose their accents ("José Ñúñez" → "jose-nunez"),
 * other scripts are kept ("王毅" → "王毅").
 */
export function suggestId(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .replace(/[łŁ]/g, 'l')
    .normalize('NFC')
    .toLowerCase();
  return folded.replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'entity';
}

function uniqueId(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  let n = 2;
  while (taken.has(`${wanted}-${n}`)) n++;
  return `${wanted}-${n}`;
}

/** Appends an entity to `entities:` (creating the list, or the file, when missing). A taken id gets "-2", "-3" … */
export function addEntity(text: string, entry: EntityEntry): string {
  const doc = load(text);
  const items = entitiesOf(doc);
  const taken = new Set(items.map((i) => (isMap(i) ? String((i.get('id', true) as Scalar | undefined)?.value) : '')));
  const unique = { ...entry, id: uniqueId(entry.id, taken) };
  const rendered = renderEntry(unique);
  const top = doc.contents;
  if (top === null || (isScalar(top) && top.value === null)) {
    // Empty or comments only: keep them, start the list below.
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}entities:\n${indent(rendered, 2)}\n`;
  }
  if (!isMap(top)) throw new RegistryEditError('The registry must be a mapping with an "entities:" list.');
  const pair = top.items.find((p) => isScalar(p.key) && p.key.value === 'entities');
  if (!pair) {
    const at = lineEndAfter(text, top.range![1]);
    return apply(text, [{ at, remove: 0, insert: `\nentities:\n${indent(rendered, 2)}` }]);
  }
  const list = pair.value as YamlNode | null;
  const keyEnd = (pair.key as YamlNode).range![1];
  if (isSeq(list) && list.items.length > 0) {
    if (list.flow) {
      const at = beforeClose(text, text.lastIndexOf(']', list.range![1]));
      return apply(text, [{ at, remove: 0, insert: `, ${flowValue(orderedEntry(unique))}` }]);
    }
    const last = list.items[list.items.length - 1] as YamlNode;
    const at = lineEndAfter(text, last.range![1]);
    return apply(text, [{ at, remove: 0, insert: `\n${indent(rendered, dashColumn(text, last.range![0]))}` }]);
  }
  if (list === null || isSeq(list) || (isScalar(list) && list.value === null)) {
    // `entities: []` or `entities:` with nothing: a block list replaces the empty value.
    const colon = text.indexOf(':', keyEnd);
    const end = isSeq(list) ? list.range![1] : colon + 1;
    const keyColumn = columnOf(text, (pair.key as YamlNode).range![0]);
    return apply(text, [{ at: colon + 1, remove: end - colon - 1, insert: `\n${indent(rendered, keyColumn + 2)}` }]);
  }
  throw new RegistryEditError('"entities" must be a list.');
}

/** Renders `value` in place of an existing scalar, keeping its quote style where the value allows it. */
function replaceScalar(node: Scalar, value: string): Splice {
  const [start, end] = node.range!;
  let insert: string;
  if (node.type === 'QUOTE_DOUBLE') insert = JSON.stringify(value);
  else if (node.type === 'QUOTE_SINGLE') insert = `'${value.replace(/'/g, "''")}'`;
  else insert = flowValue(value);
  return { at: start, remove: end - start, insert };
}

/** Renames an entity id, and every `org:` that refers to it. */
export function renameEntityId(text: string, oldId: string, newId: string): string {
  if (oldId === newId) return text;
  const doc = load(text);
  const entity = findEntity(doc, oldId);
  const items = entitiesOf(doc);
  if (items.some((i) => isMap(i) && String((i.get('id', true) as Scalar | undefined)?.value) === newId)) {
    throw new RegistryEditError(`The id "${newId}" is already used.`);
  }
  const splices = [replaceScalar(entity.get('id', true) as Scalar, newId)];
  for (const item of items) {
    const roles = isMap(item) ? item.get('roles', true) : undefined;
    if (!isSeq(roles)) continue;
    for (const role of roles.items) {
      const org = isMap(role) ? role.get('org', true) : undefined;
      if (isScalar(org) && String(org.value) === oldId) splices.push(replaceScalar(org, newId));
    }
  }
  return apply(text, splices);
}

/** Adds an alias to an entity, in the style its aliases are already written in. Known names are left alone. */
export function addAlias(text: string, id: string, alias: string): string {
  const doc = load(text);
  const entity = findEntity(doc, id);
  const name = entity.get('name', true) as YamlNode | undefined;
  const list = entity.get('aliases', true);
  const known = [name, ...(isSeq(list) ? list.items : [list])].map((n) => (isScalar(n) ? surfaceKey(String(n.value)) : ''));
  if (known.includes(surfaceKey(alias))) return text;
  const value = flowValue(alias);
  if (isSeq(list) && list.flow) {
    const at = beforeClose(text, text.lastIndexOf(']', list.range![1]));
    return apply(text, [{ at, remove: 0, insert: list.items.length > 0 ? `, ${value}` : value }]);
  }
  if (isSeq(list) && list.items.length > 0) {
    const last = list.items[list.items.length - 1] as YamlNode;
    const at = lineEndAfter(text, last.range![1]);
    return apply(text, [{ at, remove: 0, insert: `\n${' '.repeat(dashColumn(text, last.range![0]))}- ${value}` }]);
  }
  if (isScalar(list) && list.value !== null) {
    // A single alias written as a plain value: make it a list of both.
    return apply(text, [{ at: list.range![0], remove: list.range![1] - list.range![0], insert: `[${flowValue(String(list.value))}, ${value}]` }]);
  }
  const pair = entity.items.find((p) => isScalar(p.key) && p.key.value === 'aliases');
  if (pair) {
    // `aliases:` with nothing, or an empty block: give it a flow list right after the colon.
    const colon = text.indexOf(':', (pair.key as YamlNode).range![1]);
    const end = isSeq(list) ? list.range![1] : colon + 1;
    return apply(text, [{ at: colon + 1, remove: end - colon - 1, insert: ` [${value}]` }]);
  }
  if (entity.flow) {
    const at = beforeClose(text, text.lastIndexOf('}', entity.range![1]));
    return apply(text, [{ at, remove: 0, insert: `, aliases: [${value}]` }]);
  }
  const anchor = (name ?? entity.items[entity.items.length - 1].value) as YamlNode;
  const keyColumn = columnOf(text, (entity.items[0].key as YamlNode).range![0]);
  const at = lineEndAfter(text, anchor.range![1]);
  return apply(text, [{ at, remove: 0, insert: `\n${' '.repeat(keyColumn)}aliases: [${value}]` }]);
}
