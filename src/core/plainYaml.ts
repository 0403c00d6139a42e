// A one-pass reader for plain block YAML, building the yaml package's own nodes.
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node as YamlNode } from 'yaml';
/*
 * The yaml package needs seconds for a 50,000-entity registry (issue 4), mostly building its token
 * stream. Registries are nearly always plain block YAML, so this reader builds the same nodes (values
 * and the ranges parsing uses) for that subset in one pass over the lines, and gives up (null) at the
 * first thing outside it; the full parser then reads the file, so results never depend on the path.
 */

const BAIL = Symbol('outside the plain subset');
const PLAIN_KEY = /[A-Za-z_][A-Za-z0-9_-]*/y;
// Words and numbers the YAML core schema reads as non-strings; only small integers are built here.
const SPECIAL_WORD = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const SAFE_INT = /^(?:0|[1-9][0-9]{0,14})$/;
// Tabs, a CR not ending a line, control characters and BOMs have rules of their own in YAML: leave
// them to the full parser. CRLF line ends (a registry checked out on Windows) are read here.
const UNSUPPORTED_CHAR = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u2028\u2029]|\r(?!\n)/;
// A plain scalar may not start with an indicator; flow brackets are left out of plain values entirely.
const PLAIN_START_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;
const BLOCK_PLAIN_UNSAFE = /[[\]{}]|: |:$/;
const FLOW_PLAIN_UNSAFE = /[[\]{}#:]/;

const enum LineKind { Blank, Comment, Content }

class PlainYamlReader {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private readonly kinds: LineKind[] = [];
  /** The first line not yet consumed. */
  private line = 0;

  constructor(private readonly text: string) {
    let start = 0;
    while (start <= text.length) {
      const nl = text.indexOf('\n', start);
      const end = nl < 0 ? text.length : text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      let i = start;
      while (i < end && text.charCodeAt(i) === 32) i++;
      this.starts.push(start);
      this.ends.push(end);
      this.indents.push(i - start);
      this.kinds.push(i === end ? LineKind.Blank : text[i] === '#' ? LineKind.Comment : LineKind.Content);
      if (nl < 0) break;
      start = nl + 1;
    }
  }

  read(): YamlNode {
    const first = this.peek(Infinity);
    if (first < 0 || this.indents[first] !== 0 || this.isDash(first)) throw BAIL;
    const top = this.map(first, 0, 0);
    if (this.peek(Infinity) >= 0) throw BAIL;
    return top;
  }

  /**
   * The next content line, or -1. YAML attaches a comment line to the innermost open collection
   * indented no deeper than it, which moves the end of entity and role ranges; so inside an entity
   * (`limit`) only comments left of the collection are accepted.
   */
  private peek(limit: number): number {
    for (let i = this.line; i < this.kinds.length; i++) {
      if (this.kinds[i] === LineKind.Content) return i;
      if (this.kinds[i] === LineKind.Comment && this.indents[i] >= limit) throw BAIL;
    }
    return -1;
  }

  /** At the end of a collection indented `indent`: a comment it would take in moves its end, so decline. */
  private closeAt(indent: number): void {
    this.peek(indent);
  }

  private isDash(line: number): boolean {
    const at = this.starts[line] + this.indents[line];
    return this.text[at] === '-' && (at + 1 === this.ends[line] || this.text[at + 1] === ' ');
  }

  /** End offset of a key at `at` when `key: …` starts there, else -1. */
  private keyEnd(at: number, lineEnd: number): number {
    PLAIN_KEY.lastIndex = at;
    const m = PLAIN_KEY.exec(this.text);
    if (!m) return -1;
    const end = at + m[0].length;
    const after = end + 1;
    return this.text[end] === ':' && (after === lineEnd || this.text[after] === ' ') ? end : -1;
  }

  /** Offset just past the line's break: where YAML ends a value written on that line. */
  private lineAfter(line: number): number {
    return line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
  }

  private block(line: number, depth: number): YamlNode {
    return this.isDash(line) ? this.seq(line, depth) : this.map(line, this.indents[line], depth);
  }

  private map(first: number, column: number, depth: number): YAMLMap {
    const map = new YAMLMap();
    const seen = new Set<string>();
    const limit = depth >= 2 ? column : Infinity;
    let line = first;
    let end = 0;
    for (;;) {
      const keyStart = this.starts[line] + column;
      const lineEnd = this.ends[line];
      const keyEnd = this.keyEnd(keyStart, lineEnd);
      const key = this.text.slice(keyStart, keyEnd);
      if (keyEnd < 0 || SPECIAL_WORD.test(key) || seen.has(key)) throw BAIL;
      seen.add(key);
      this.line = line + 1;
      let valueStart = keyEnd + 1;
      while (valueStart < lineEnd && this.text.charCodeAt(valueStart) === 32) valueStart++;
      let value: YamlNode;
      if (valueStart === lineEnd || this.text[valueStart] === '#') {
        // An empty value: only a nested block (deeper, or a list at the key's own indent) is taken.
        const next = this.peek(limit);
        if (next < 0) throw BAIL;
        if (this.indents[next] > column) value = this.block(next, depth + 1);
        else if (this.indents[next] === column && this.isDash(next)) value = this.seq(next, depth + 1);
        else throw BAIL;
      } else {
        value = this.inline(valueStart, line);
      }
      map.items.push(new Pair(scalarNode(key, keyStart, keyEnd, keyEnd), value));
      end = (value.range as [number, number, number])[2];
      const next = this.peek(limit);
      if (next < 0 || this.indents[next] < column) break;
      if (this.indents[next] > column || this.isDash(next)) throw BAIL;
      line = next;
    }
    this.closeAt(column);
    const start = this.starts[first] + column;
    map.range = [start, end, end];
    return map;
  }

  private seq(first: number, depth: number): YAMLSeq {
    const seq = new YAMLSeq();
    const dash = this.indents[first];
    const limit = depth >= 2 ? dash : Infinity;
    let line = first;
    let end = 0;
    for (;;) {
      const lineStart = this.starts[line];
      const lineEnd = this.ends[line];
      let at = lineStart + dash + 1;
      while (at < lineEnd && this.text.charCodeAt(at) === 32) at++;
      if (at === lineEnd || this.text[at] === '#' || this.text[at] === '-') throw BAIL;
      this.line = line + 1;
      const item = this.keyEnd(at, lineEnd) >= 0 ? this.map(line, at - lineStart, depth + 1) : this.inline(at, line);
      seq.items.push(item);
      end = (item.range as [number, number, number])[2];
      const next = this.peek(limit);
      if (next < 0 || this.indents[next] < dash) break;
      if (this.indents[next] > dash) throw BAIL;
      if (!this.isDash(next)) break; // the parent map's next key, level with this list
      line = next;
    }
    this.closeAt(dash);
    seq.range = [this.starts[first] + dash, end, end];
    return seq;
  }

  /** A value written on the rest of a line: quoted, plain or a `[…]` list, then at most a comment. */
  private inline(start: number, line: number): YamlNode {
    const lineEnd = this.ends[line];
    const after = this.lineAfter(line);
    const c = this.text[start];
    let node: YamlNode;
    let close: number;
    if (c === '"' || c === "'") {
      close = this.quotedEnd(start, lineEnd);
      node = scalarNode(this.quotedValue(start, close), start, close, after);
    } else if (c === '[') {
      const seq = this.flowSeq(start, lineEnd);
      close = (seq.range as [number, number, number])[1];
      seq.range = [start, close, after];
      node = seq;
    } else {
      let valueEnd = start;
      while (valueEnd < lineEnd && !(this.text[valueEnd] === '#' && this.text[valueEnd - 1] === ' ')) valueEnd++;
      while (this.text.charCodeAt(valueEnd - 1) === 32) valueEnd--;
      const raw = this.text.slice(start, valueEnd);
      if (BLOCK_PLAIN_UNSAFE.test(raw)) throw BAIL;
      return scalarNode(plainValue(raw), start, valueEnd, after);
    }
    let rest = close;
    while (rest < lineEnd && this.text.charCodeAt(rest) === 32) rest++;
    if (rest < lineEnd && (this.text[rest] !== '#' || rest === close)) throw BAIL;
    return node;
  }

  /** Offset past the closing quote on the same line; escapes in double quotes are left to the full parser. */
  private quotedEnd(start: number, lineEnd: number): number {
    const quote = this.text[start];
    for (let i = start + 1; i < lineEnd; i++) {
      const c = this.text[i];
      if (quote === '"' && c === '\\') throw BAIL;
      if (c !== quote) continue;
      if (quote === "'" && this.text[i + 1] === "'") i++;
      else return i + 1;
    }
    throw BAIL;
  }

  private quotedValue(start: number, close: number): string {
    const inner = this.text.slice(start + 1, close - 1);
    return this.text[start] === "'" ? inner.replaceAll("''", "'") : inner;
  }

  private flowSeq(open: number, lineEnd: number): YAMLSeq {
    const seq = new YAMLSeq();
    seq.flow = true;
    let i = open + 1;
    const skip = (): void => {
      while (i < lineEnd && this.text.charCodeAt(i) === 32) i++;
    };
    skip();
    if (this.text[i] === ']') {
      seq.range = [open, i + 1, i + 1];
      return seq;
    }
    for (;;) {
      const start = i;
      let end: number;
      let value: string | number;
      if (this.text[i] === '"' || this.text[i] === "'") {
        end = this.quotedEnd(i, lineEnd);
        value = this.quotedValue(i, end);
        i = end;
      } else {
        while (i < lineEnd && this.text[i] !== ',' && this.text[i] !== ']') i++;
        end = i;
        while (end > start && this.text.charCodeAt(end - 1) === 32) end--;
        const raw = this.text.slice(start, end);
        if (raw === '' || FLOW_PLAIN_UNSAFE.test(raw)) throw BAIL;
        value = plainValue(raw);
      }
      seq.items.push(scalarNode(value, start, end, end));
      skip();
      if (this.text[i] === ']') {
        seq.range = [open, i + 1, i + 1];
        return seq;
      }
      if (this.text[i] !== ',') throw BAIL;
      i++;
      skip();
      if (i >= lineEnd || this.text[i] === ']' || this.text[i] === ',') throw BAIL;
    }
  }
}

function scalarNode(value: string | number, start: number, end: number, after: number): Scalar {
  const node = new Scalar(value);
  node.range = [start, end, after];
  return node;
}

/** A plain scalar's value under the core schema, for the forms this reader takes. */
function plainValue(raw: string): string | number {
  if (PLAIN_START_INDICATOR.test(raw) || SPECIAL_WORD.test(raw)) throw BAIL;
  if (SAFE_INT.test(raw)) return Number(raw);
  if (CORE_NUMBER.test(raw)) throw BAIL;
  return raw;
}

/** The document's top node when the text is plain block YAML this reader fully understands, else null. */
export function readPlainYaml(text: string): YamlNode | null {
  if (UNSUPPORTED_CHAR.test(text)) return null;
  try {
    return new PlainYamlReader(text).read();
  } catch (err) {
    if (err === BAIL) return null;
    throw err;
  }
}
