// The workspace entity registry: YAML in, validated entities and problems out (never throws).
// Analysts edit the file by hand, so every problem carries a 1-based line:column and a rule id.
import { isMap, isScalar, isSeq, Pair, parseDocument, type Node as YamlNode, type YAMLError } from 'yaml';
import { getAlpha2Codes } from 'i18n-iso-countries';
import { readPlainYaml } from './plainYaml';
import { LineIndex } from './positions';
import {
  ENTITY_TYPES,
  type EntityType,
  type Position,
  type Problem,
  type Registry,
  type RegistryEntity,
  type Role,
  type Severity,
  type Span,
} from './types';

/** An entry as a person or a tool states it, before it has a place in a file. */
export interface EntityEntry {
  id: string;
  name: string;
  type: EntityType;
  aliases?: string[];
  country?: string;
  roles?: Role[];
  notes?: string;
}

const ENTITY_KEYS = ['id', 'name', 'type', 'aliases', 'country', 'roles', 'notes'];
const ROLE_KEYS = ['title', 'org', 'from', 'to'];
const TOP_KEYS = ['entities'];

/** Lower-case kebab-case in any script: "mohsin-naqvi", "王毅", "сергей-лавров". */
export const ID_PATTERN = /^[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+(?:-[\p{Ll}\p{Lo}\p{Lm}\p{M}\p{N}]+)*$/u;
const DATE_PATTERN = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

const ISO_ALPHA2 = new Set(Object.keys(getAlpha2Codes()));

/** Where a name or alias was written, kept for collision warnings after a merge (positions need the file's text). */
interface SurfaceSite {
  surface: string;
  file: string;
  span: Span;
  start: Position;
  end: Position;
}
const surfaceSites = new WeakMap<RegistryEntity, SurfaceSite[]>();
/** Where each role's `org:` value was written, for the unknown-reference check. */
const orgSites = new WeakMap<RegistryEntity, SurfaceSite[]>();

/** Rules that compare entities with each other; a merge recomputes them over all files. */
const CROSS_ENTITY_RULES = new Set(['registry/name-collision', 'registry/unknown-org']);

// ---------- hashing ----------

/** FNV-1a twice (two offset bases) for a 64-bit hex digest: fast, and collisions are unlikely enough for caches. */
export function contentHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

// ---------- surface keys ----------

/** The key two surfaces collide on: case, apostrophe style and spacing do not make names different. */
export function surfaceKey(surface: string): string {
  return surface.replace(/[’‘ʼ]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}

// ---------- dates ----------

/** True for YYYY, YYYY-MM and YYYY-MM-DD naming a real month and day. */
export function isPartialDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const daysInMonth = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth;
}

/** First day a partial date can mean: 2024 → 2024-01-01. */
function earliest(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** Last day a partial date can mean: 2024-02 → 2024-02-31 (compares after every real day of the month). */
function latest(date: string): string {
  return date.length === 4 ? `${date}-12-31` : date.length === 7 ? `${date}-31` : date;
}

/**
 * Roles held at `date`. Partial dates are periods, and a role counts when its period overlaps the
 * date's (a role from 2024-03 is held "in 2024"). With no date, the roles still open (no `to`).
 */
export function roleAt(entity: RegistryEntity, date: string | null): Role[] {
  if (date === null) return entity.roles.filter((r) => r.to === undefined);
  const from = earliest(date);
  const to = latest(date);
  return entity.roles.filter((r) => (r.from === undefined || earliest(r.from) <= to) && (r.to === undefined || latest(r.to) >= from));
}

// ---------- parsing ----------

class ProblemSink {
  readonly problems: Problem[] = [];
  private readonly lines: LineIndex;
  private readonly length: number;

  constructor(text: string, readonly file: string) {
    this.lines = new LineIndex(text);
    this.length = text.length;
  }

  site(surface: string, start: number, end: number): SurfaceSite {
    return { surface, file: this.file, span: { start, end }, start: this.lines.positionAt(start), end: this.lines.positionAt(end) };
  }

  position(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  add(severity: Severity, rule: string, message: string, rawStart: number, rawEnd = rawStart): void {
    // The parser may point one past the end (an error "at end of file"); keep spans inside the text.
    const start = Math.max(0, Math.min(rawStart, this.length));
    const end = Math.max(start, Math.min(rawEnd, this.length));
    this.problems.push({
      severity,
      rule,
      message,
      start: this.lines.positionAt(start),
      end: this.lines.positionAt(end),
      span: { start, end },
      file: this.file,
    });
  }

  at(severity: Severity, rule: string, message: string, node: YamlNode | null | undefined, fallback: number): void {
    const [start, end] = node?.range ?? [fallback, fallback];
    this.add(severity, rule, message, start, end);
  }
}

/** What a YAML error code means, worded as the thing we expected instead. */
const YAML_EXPECTATIONS: Record<string, string> = {
  BAD_INDENT: 'consistent indentation',
  TAB_AS_INDENT: 'spaces for indentation (tabs are not allowed)',
  MISSING_CHAR: 'a closing bracket, quote or "-" item marker',
  MULTILINE_IMPLICIT_KEY: 'a key on a single line',
  DUPLICATE_KEY: 'each key once per mapping',
  BLOCK_AS_IMPLICIT_KEY: 'a plain key',
  UNEXPECTED_TOKEN: 'a key, a value or a "-" item',
  BAD_DQ_ESCAPE: 'a valid escape in the double-quoted string',
  MULTIPLE_DOCS: 'a single YAML document',
};

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const rest = text.slice(offset).split('\n', 1)[0].trim();
  if (rest === '') return 'line break';
  return `"${rest.length > 24 ? `${rest.slice(0, 24)}…` : rest}"`;
}

/** Offset of the last `[` or `{` before `offset` that is not closed before it, or -1 (quotes and comments skipped). */
function unclosedFlowOpener(text: string, offset: number): number {
  const stack: number[] = [];
  let quote = '';
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n') quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? offset : nl;
    } else if (c === '[' || c === '{') stack.push(i);
    else if ((c === ']' || c === '}') && stack.length) stack.pop();
  }
  return stack.length ? stack[stack.length - 1] : -1;
}

function reportYamlError(sink: ProblemSink, text: string, error: YAMLError, severity: Severity): void {
  const detail = error.message.split('\n', 1)[0].replace(/ at line \d+, column \d+:?$/, '');
  const [start, end] = error.pos;
  // An unclosed [ or { is reported by the parser where it gives up; the analyst needs the opener.
  const opener = /flow (sequence|mapping)/i.test(detail) ? unclosedFlowOpener(text, start) : -1;
  if (opener >= 0) {
    const closing = text[opener] === '[' ? ']' : '}';
    sink.add(severity, 'registry/yaml', `Unexpected unclosed "${text[opener]}", expected a closing "${closing}" on the same entry (${detail})`, opener, opener + 1);
    return;
  }
  const expected = YAML_EXPECTATIONS[error.code] ?? 'valid YAML';
  sink.add(severity, 'registry/yaml', `Unexpected ${describeFound(text, start)}, expected ${expected} (${detail})`, start, Math.max(start, end));
}

function keyName(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Nearest allowed key when a key looks like a typo of one ("alias" → "aliases"). */
function suggestKey(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of allowed) {
    const d = editDistance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function reportUnknownKeys(sink: ProblemSink, pairs: Pair[], allowed: readonly string[], where: string, severity: Severity): void {
  for (const pair of pairs) {
    const key = keyName(pair);
    if (allowed.includes(key)) continue;
    const hint = suggestKey(key, allowed);
    const expected = hint ? `"${hint}"` : allowed.map((k) => `"${k}"`).join(', ');
    sink.at(severity, 'registry/unknown-key', `Unexpected key "${key}" in ${where}, expected ${expected}`, pair.key as YamlNode, 0);
  }
}

/** A scalar's text when it is a string or number (YAML reads `2024` and `123` as numbers). */
function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'string') return node.value;
  if (typeof node.value === 'number') return String(node.value);
  return undefined;
}

function kindOf(node: unknown): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'an empty value' : `${typeof node.value} ${JSON.stringify(node.value)}`;
  return 'a value';
}

function parseRole(sink: ProblemSink, node: unknown, fallback: number, orgs: SurfaceSite[]): Role | null {
  if (!isMap(node)) {
    sink.at('error', 'registry/shape', `Unexpected ${kindOf(node)} in roles, expected a mapping with "title"`, node as YamlNode, fallback);
    return null;
  }
  reportUnknownKeys(sink, node.items as Pair[], ROLE_KEYS, 'a role', 'warning');
  const titleNode = node.get('title', true);
  const title = scalarText(titleNode);
  if (!title) {
    sink.at('error', 'registry/shape', `Unexpected ${kindOf(titleNode)} as role title, expected a string`, titleNode ?? node, fallback);
    return null;
  }
  const role: Role = { title };
  const orgNode = node.get('org', true);
  if (orgNode !== undefined) {
    const org = scalarText(orgNode);
    if (org && isScalar(orgNode) && orgNode.range) {
      role.org = org;
      orgs.push(sink.site(org, orgNode.range[0], orgNode.range[1]));
    } else {
      sink.at('warning', 'registry/shape', `Unexpected ${kindOf(orgNode)} as role org, expected an entity id`, orgNode, fallback);
    }
  }
  for (const key of ['from', 'to'] as const) {
    const dateNode = node.get(key, true);
    if (dateNode === undefined || (isScalar(dateNode) && dateNode.value === null)) continue;
    const value = scalarText(dateNode);
    if (value === undefined || !isPartialDate(value)) {
      sink.at('error', 'registry/date', `Unexpected ${kindOf(dateNode)} as "${key}", expected a date YYYY, YYYY-MM or YYYY-MM-DD`, dateNode, fallback);
      return null;
    }
    role[key] = value;
  }
  if (role.from && role.to && earliest(role.from) > latest(role.to)) {
    sink.at('error', 'registry/date', `Unexpected "to: ${role.to}" before "from: ${role.from}", expected from ≤ to`, node.get('to', true) as YamlNode, fallback);
    return null;
  }
  return role;
}

/** The offset of the "- " that opens a sequence item, so the item's span starts where a reader sees it start. */
function itemStart(text: string, nodeStart: number): number {
  let i = nodeStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i >= 0 && text[i] === '-' ? i : nodeStart;
}

function trimmedEnd(text: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  return e;
}

function parseEntity(sink: ProblemSink, text: string, node: unknown, fallback: number): RegistryEntity | null {
  if (!isMap(node)) {
    sink.at('error', 'registry/shape', `Unexpected ${kindOf(node)} in entities, expected a mapping with "id", "name" and "type"`, node as YamlNode, fallback);
    return null;
  }
  const [nodeStart, nodeEnd] = node.range ?? [fallback, fallback];
  reportUnknownKeys(sink, node.items as Pair[], ENTITY_KEYS, 'an entity', 'warning');

  const idNode = node.get('id', true);
  const id = scalarText(idNode);
  const nameNode = node.get('name', true);
  const name = scalarText(nameNode)?.trim();
  const typeNode = node.get('type', true);
  const type = scalarText(typeNode);
  let valid = true;
  if (!id) {
    sink.at('error', 'registry/missing-id', `Unexpected ${idNode ? kindOf(idNode) : 'entity without "id"'}, expected an id such as "${name ? suggestIdFrom(name) : 'mohsin-naqvi'}"`, idNode ?? node, nodeStart);
    valid = false;
  } else if (!ID_PATTERN.test(id)) {
    sink.at('warning', 'registry/id-format', `Unexpected id "${id}", expected lower-case kebab-case such as "${suggestIdFrom(id)}"`, idNode, nodeStart);
  }
  if (!name) {
    sink.at('error', 'registry/missing-name', `Unexpected ${nameNode ? kindOf(nameNode) : 'entity without "name"'}, expected a name string`, nameNode ?? node, nodeStart);
    valid = false;
  }
  if (!type || !(ENTITY_TYPES as readonly string[]).includes(type)) {
    const found = typeNode ? `type "${type ?? kindOf(typeNode)}"` : 'entity without "type"';
    sink.at('error', 'registry/unknown-type', `Unexpected ${found}, expected one of ${ENTITY_TYPES.join(', ')}`, typeNode ?? node, nodeStart);
    valid = false;
  }

  const sites: SurfaceSite[] = [];
  if (name && nameNode?.range) sites.push(sink.site(name, nameNode.range[0], nameNode.range[1]));
  const aliases = parseAliases(sink, node.get('aliases', true), sites, nodeStart);

  let country: string | undefined;
  const countryNode = node.get('country', true);
  if (countryNode !== undefined) {
    const code = scalarText(countryNode);
    if (code && ISO_ALPHA2.has(code)) country = code;
    else if (code && ISO_ALPHA2.has(code.toUpperCase())) {
      country = code.toUpperCase();
      sink.at('warning', 'registry/country', `Unexpected "${code}", expected upper case "${country}"`, countryNode, nodeStart);
    } else {
      sink.at('warning', 'registry/country', `Unexpected country ${code ? `"${code}"` : kindOf(countryNode)}, expected an ISO 3166-1 alpha-2 code such as "PK"`, countryNode, nodeStart);
    }
  }

  const roles: Role[] = [];
  const orgs: SurfaceSite[] = [];
  const rolesNode = node.get('roles', true);
  if (isSeq(rolesNode)) {
    for (const item of rolesNode.items) {
      const role = parseRole(sink, item, rolesNode.range?.[0] ?? nodeStart, orgs);
      if (role) roles.push(role);
    }
  } else if (rolesNode !== undefined && !(isScalar(rolesNode) && rolesNode.value === null)) {
    sink.at('error', 'registry/shape', `Unexpected ${kindOf(rolesNode)} as roles, expected a list of roles`, rolesNode, nodeStart);
  }

  let notes: string | undefined;
  const notesNode = node.get('notes', true);
  if (notesNode !== undefined) {
    notes = scalarText(notesNode);
    if (notes === undefined && !(isScalar(notesNode) && notesNode.value === null)) {
      sink.at('warning', 'registry/shape', `Unexpected ${kindOf(notesNode)} as notes, expected text`, notesNode, nodeStart);
    }
  }

  if (!valid || !id || !name || !type) return null;
  const spanStart = itemStart(text, nodeStart);
  const idRange = (idNode as YamlNode).range ?? [nodeStart, nodeStart];
  const entity: RegistryEntity = {
    id,
    name,
    type: type as EntityType,
    aliases,
    roles,
    source: {
      file: sink.file,
      span: { start: spanStart, end: Math.max(spanStart, trimmedEnd(text, nodeEnd)) },
      idSpan: { start: idRange[0], end: idRange[1] },
      start: sink.position(spanStart),
    },
  };
  if (country) entity.country = country;
  if (notes !== undefined) entity.notes = notes;
  surfaceSites.set(entity, sites);
  orgSites.set(entity, orgs);
  return entity;
}

function parseAliases(sink: ProblemSink, node: unknown, sites: SurfaceSite[], fallback: number): string[] {
  if (node === undefined || (isScalar(node) && node.value === null)) return [];
  const items = isSeq(node) ? node.items : [node];
  if (!isSeq(node)) {
    sink.at('warning', 'registry/shape', `Unexpected ${kindOf(node)} as aliases, expected a list such as [${JSON.stringify(scalarText(node) ?? 'Alias')}]`, node as YamlNode, fallback);
  }
  const aliases: string[] = [];
  for (const item of items) {
    const alias = scalarText(item)?.trim();
    if (!alias) {
      sink.at('error', 'registry/shape', `Unexpected ${kindOf(item)} in aliases, expected a non-empty string`, item as YamlNode, fallback);
      continue;
    }
    aliases.push(alias);
    const range = (item as YamlNode).range;
    if (range) sites.push(sink.site(alias, range[0], range[1]));
  }
  return aliases;
}

/** kebab-case for messages; registryEdit.suggestId is the full version (ASCII folding). */
function suggestIdFrom(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '') || 'entity';
}


// ---------- fast reader ----------


/** Problems that make a registry file unusable as a whole: the CLI stops, the editor keeps the last good one. */
export function isFatalRegistryProblem(p: Problem): boolean {
  return p.severity === 'error' && (p.rule === 'registry/yaml' || p.rule === 'registry/root');
}

/** Reads a registry file. Never throws: broken entries are skipped and reported, valid ones returned. */
export function parseRegistry(text: string, file: string): Registry {
  const sink = new ProblemSink(text, file);
  const entities: RegistryEntity[] = [];
  let top = readPlainYaml(text);
  if (!top) {
    let doc;
    try {
      doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
    } catch (err) {
      // The yaml package reports problems as data; this only guards against an internal failure.
      sink.add('error', 'registry/yaml', `Unexpected failure reading YAML, expected a readable file (${String(err)})`, 0);
      return buildRegistry(entities, sink.problems, contentHash(text));
    }
    for (const error of doc.errors) reportYamlError(sink, text, error, 'error');
    for (const warning of doc.warnings) reportYamlError(sink, text, warning, 'warning');
    top = doc.contents;
  }
  if (top === null || (isScalar(top) && top.value === null)) {
    return buildRegistry(entities, sink.problems, contentHash(text));
  }
  if (!isMap(top)) {
    sink.at('error', 'registry/root', `Unexpected ${kindOf(top)} at the top, expected a mapping with an "entities:" list`, top as YamlNode, 0);
    return buildRegistry(entities, sink.problems, contentHash(text));
  }
  reportUnknownKeys(sink, top.items as Pair[], TOP_KEYS, 'the registry', 'info');
  const list = top.get('entities', true);
  if (list === undefined) {
    sink.at('error', 'registry/root', 'Unexpected mapping without "entities:", expected an "entities:" list', top, 0);
  } else if (isSeq(list)) {
    const firstLine = new Map<string, RegistryEntity>();
    for (const item of list.items) {
      const entity = parseEntity(sink, text, item, list.range?.[0] ?? 0);
      if (!entity) continue;
      const first = firstLine.get(entity.id);
      if (first) {
        sink.add('error', 'registry/duplicate-id', `Unexpected duplicate id "${entity.id}", expected a unique id (first defined on line ${first.source.start.line})`, entity.source.idSpan.start, entity.source.idSpan.end);
        continue;
      }
      firstLine.set(entity.id, entity);
      entities.push(entity);
    }
  } else if (!(isScalar(list) && list.value === null)) {
    sink.at('error', 'registry/root', `Unexpected ${kindOf(list)} as "entities", expected a list of entities`, list as YamlNode, 0);
  }
  return buildRegistry(entities, [...sink.problems, ...crossCheck(entities)], contentHash(text));
}

/** Problems only visible when entities are compared: shared names or aliases, and `org:` ids that name no entity. */
function crossCheck(entities: readonly RegistryEntity[]): Problem[] {
  const problems: Problem[] = [];
  const claims = new Map<string, { entity: RegistryEntity; site?: SurfaceSite }[]>();
  for (const entity of entities) {
    const sites = surfaceSites.get(entity);
    const surfaces: { surface: string; site?: SurfaceSite }[] = sites
      ? sites.map((site) => ({ surface: site.surface, site }))
      : [entity.name, ...entity.aliases].map((surface) => ({ surface }));
    const seen = new Set<string>();
    for (const { surface, site } of surfaces) {
      const key = surfaceKey(surface);
      if (seen.has(key)) continue; // repeated inside one entity: harmless
      seen.add(key);
      const list = claims.get(key) ?? [];
      list.push({ entity, site });
      claims.set(key, list);
    }
  }
  for (const list of claims.values()) {
    if (list.length < 2) continue;
    for (const claim of list) {
      const others = list.filter((c) => c !== claim).map((c) => `${c.entity.id} (${c.entity.source.file}:${c.entity.source.start.line})`);
      const surface = claim.site?.surface ?? claim.entity.name;
      problems.push(siteProblem('warning', 'registry/name-collision', `Unexpected "${surface}" shared with ${others.join(', ')}, expected each name or alias to belong to one entity (mentions of it will be ambiguous)`, claim.entity, claim.site));
    }
  }
  const ids = new Set(entities.map((e) => e.id));
  for (const entity of entities) {
    for (const site of orgSites.get(entity) ?? []) {
      if (!ids.has(site.surface)) {
        problems.push(siteProblem('info', 'registry/unknown-org', `Unexpected org "${site.surface}", expected the id of an entity in the registry`, entity, site));
      }
    }
  }
  return problems;
}

function siteProblem(severity: Severity, rule: string, message: string, entity: RegistryEntity, site: SurfaceSite | undefined): Problem {
  const src = entity.source;
  return site
    ? { severity, rule, message, start: site.start, end: site.end, span: site.span, file: site.file }
    : { severity, rule, message, start: src.start, span: src.span, file: src.file };
}

function buildRegistry(entities: RegistryEntity[], problems: Problem[], version: string): Registry {
  return { entities, byId: new Map(entities.map((e) => [e.id, e])), problems, version };
}

/**
 * One registry from several files (a team may split it). Ids must stay unique across files: a later
 * duplicate is dropped and reported; name collisions and `org:` references are rechecked over all files.
 */
export function mergeRegistries(parts: readonly Registry[]): Registry {
  // One file has been checked whole when it was parsed (its ids are unique, its names compared): the
  // merge would give its entities and problems again, only the version is the merge's.
  if (parts.length === 1) return { ...parts[0], version: contentHash(parts[0].version) };
  const entities: RegistryEntity[] = [];
  const problems: Problem[] = [];
  const byId = new Map<string, RegistryEntity>();
  for (const part of parts) {
    problems.push(...part.problems.filter((p) => !CROSS_ENTITY_RULES.has(p.rule)));
    for (const entity of part.entities) {
      const first = byId.get(entity.id);
      if (first) {
        const src = entity.source;
        problems.push({
          severity: 'error',
          rule: 'registry/duplicate-id',
          message: `Unexpected duplicate id "${entity.id}", expected a unique id (first defined in ${first.source.file}:${first.source.start.line})`,
          start: src.start,
          span: src.idSpan,
          file: src.file,
        });
        continue;
      }
      byId.set(entity.id, entity);
      entities.push(entity);
    }
  }
  return buildRegistry(entities, [...problems, ...crossCheck(entities)], contentHash(parts.map((p) => p.version).join(':')));
}

/** A registry from plain entries (tests, generated registries): no file positions, same checks of names. */
export function registryFromEntries(entries: readonly EntityEntry[], file = '<memory>'): Registry {
  const origin = { line: 1, column: 1 };
  const entities = entries.map((e): RegistryEntity => ({
    id: e.id,
    name: e.name,
    type: e.type,
    aliases: e.aliases ?? [],
    roles: e.roles ?? [],
    ...(e.country ? { country: e.country } : {}),
    ...(e.notes !== undefined ? { notes: e.notes } : {}),
    source: { file, span: { start: 0, end: 0 }, idSpan: { start: 0, end: 0 }, start: origin },
  }));
  return buildRegistry(entities, crossCheck(entities), contentHash(JSON.stringify(entries)));
}
