// Shared data shapes of the annotation pipeline:
// markdown → prose segments → mentions → entities → commitments → checklist.
// Offsets are JavaScript string offsets (UTF-16 code units) into the document text as read, end exclusive.

export type EntityType = 'person' | 'organization' | 'place' | 'event';
export const ENTITY_TYPES: readonly EntityType[] = ['person', 'organization', 'place', 'event'];

export interface Span {
  start: number;
  end: number;
}

/** 1-based line and column, as editors and compilers print them. */
export interface Position {
  line: number;
  column: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in an input, reported as data (never thrown). */
export interface Problem {
  severity: Severity;
  /** Stable rule id, e.g. `registry/duplicate-id`. */
  rule: string;
  /** Worded "Unexpected X, expected Y" where it fits. */
  message: string;
  /** Where: 1-based. `end` is optional. */
  start: Position;
  end?: Position;
  /** Offset range in the file, when known. */
  span?: Span;
  /** The file it is in, when problems of several files are listed together (merged registries). */
  file?: string;
}

// ---------- markdown → prose ----------

export type BlockKind = 'heading' | 'paragraph' | 'listItem' | 'blockquote' | 'tableCell' | 'html' | 'other';

/** One block of prose: a paragraph, a heading, a list item's own text, a table cell … */
export interface ProseBlock extends Span {
  kind: BlockKind;
  /** Nesting depth of lists (0 outside lists); list items under a lead-in inherit its actors. */
  listDepth: number;
  /** True when the block is (inside) a block quote. */
  quoted: boolean;
}

export interface FrontMatter extends Span {
  /** Parsed YAML values; `{}` when the front matter is not valid YAML. */
  data: Record<string, unknown>;
}

export interface ProseDocument {
  text: string;
  /**
   * Same length as `text`: every character that is not prose (markup, code, link destinations,
   * HTML, comments, front matter) is replaced by a space; newlines are kept. Detection runs on
   * this string, so its offsets are offsets into `text`.
   */
  prose: string;
  blocks: ProseBlock[];
  frontMatter: FrontMatter | null;
  /** True when some part of the text was too costly for the full parser and a linear fallback read it. */
  fallback: boolean;
}

/** A sentence inside a prose block. */
export interface Sentence extends Span {
  block: number;
}

// ---------- registry ----------

export interface Role {
  title: string;
  org?: string;
  /** ISO date (YYYY, YYYY-MM or YYYY-MM-DD) or undefined (open). */
  from?: string;
  to?: string;
}

export interface RegistryEntity {
  id: string;
  name: string;
  type: EntityType;
  aliases: string[];
  country?: string;
  roles: Role[];
  notes?: string;
  /** Where the entry is in its file: the `- id:` item's span and the id value's span. */
  source: { file: string; span: Span; idSpan: Span; start: Position };
}

export interface Registry {
  entities: RegistryEntity[];
  byId: Map<string, RegistryEntity>;
  problems: Problem[];
  /** Hash of the inputs it was built from, used to share matchers and caches. */
  version: string;
}

// ---------- mentions & entities ----------

export type MentionSource = 'registry' | 'detected' | 'coreference' | 'link';

export interface Mention extends Span {
  text: string;
  type: EntityType;
  /** Registry id when linked. */
  id: string | null;
  source: MentionSource;
  /** Key of the document-level entity this mention belongs to (see DocEntity). */
  entity: string;
  /** A title found before a person's name ("Interior Minister"). */
  title?: string;
  /** For an ambiguous short mention: the keys of the entities it could be. */
  candidates?: string[];
}

/** One entity as this document knows it: a cluster of mentions. */
export interface DocEntity {
  key: string;
  name: string;
  type: EntityType;
  id: string | null;
  title?: string;
  country?: string;
  mentions: Mention[];
}

// ---------- commitments ----------

export type CommitmentKind =
  | 'agree' | 'pledge' | 'sign' | 'invite' | 'offer' | 'announce' | 'request' | 'decide' | 'meet' | 'consensus';

export interface Commitment extends Span {
  /** The sentence or list item that states it. */
  text: string;
  kind: CommitmentKind;
  /** Display names of the parties. */
  actors: string[];
  /** Entity keys of the parties when resolved. */
  actorKeys: string[];
  /** What was committed to, in the article's words. */
  action: string;
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  due: string | null;
  /** ISO-8601 duration: P3M, P1Y … */
  recurrence: string | null;
  /** The words that gave due / recurrence. */
  dueText?: string;
  recurrenceText?: string;
  /** 1-based line of `start`. */
  line: number;
}

// ---------- the whole scan ----------

export interface ScanResult {
  date: string | null;
  prose: ProseDocument;
  mentions: Mention[];
  entities: DocEntity[];
  commitments: Commitment[];
  problems: Problem[];
}
