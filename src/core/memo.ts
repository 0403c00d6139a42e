// What the repeated scans of one document keep between them: memo tables (a scan after an edit finds
// what the scan before computed for the parts that did not change), and the edit between two versions
// of the text, so readings of unchanged places are found by position instead of by their text.

export class Memo<V> {
  private previous = new Map<string, V>();
  private current = new Map<string, V>();

  /** The value for `key` from the last scan or this one, else `compute()`'s. */
  get(key: string, compute: () => V): V {
    if (this.current.has(key)) return this.current.get(key) as V;
    const value = this.previous.has(key) ? (this.previous.get(key) as V) : compute();
    this.current.set(key, value);
    return value;
  }

  /** Ends a scan: what it did not use is dropped. */
  settle(): void {
    this.previous = this.current;
    this.current = new Map();
  }
}

/**
 * How this version of a document relates to the last: an unchanged head and tail, the middle
 * replaced. Found by comparing the versions (their text and their prose together), so it holds
 * whatever the edit was, and costs a comparison of the two, not a parse.
 */
export class Edit {
  private constructor(
    /** [0, head) is the same in both versions. */
    readonly head: number,
    /** The last `tail` characters are the same in both versions. */
    readonly tail: number,
    /** Lengths of the last version and this one. */
    readonly before: number,
    readonly after: number,
  ) {}

  /** Everything changed: there is no last version. */
  static whole(length: number): Edit {
    return new Edit(0, 0, 0, length);
  }

  /** The edit from `before` to `after`, strings compared pairwise (each pair the same length). */
  static between(before: readonly string[], after: readonly string[]): Edit {
    const b = before[0].length;
    const a = after[0].length;
    let head = Math.min(a, b);
    for (let i = 0; i < before.length; i++) head = commonHead(before[i], after[i], head);
    let tail = Math.min(a, b) - head;
    for (let i = 0; i < before.length; i++) tail = commonTail(before[i], after[i], tail);
    return new Edit(head, tail, b, a);
  }

  /** Where [start, end) of this version was in the last one, when its content is unchanged; -1 when it may have changed. */
  previous(start: number, end: number): number {
    if (end <= this.head) return start;
    if (start >= this.after - this.tail) return start - (this.after - this.before);
    return -1;
  }
}

/** Characters compared at once: string equality of slices runs in native code. */
const STRIDE = 4096;

/** Length of the common head of `x` and `y`, at most `limit`. */
function commonHead(x: string, y: string, limit: number): number {
  let i = 0;
  while (i + STRIDE <= limit && x.slice(i, i + STRIDE) === y.slice(i, i + STRIDE)) i += STRIDE;
  while (i < limit && x.charCodeAt(i) === y.charCodeAt(i)) i++;
  return i;
}

/** Length of the common tail of `x` and `y`, at most `limit`. */
function commonTail(x: string, y: string, limit: number): number {
  let i = 0;
  const xl = x.length;
  const yl = y.length;
  while (i + STRIDE <= limit && x.slice(xl - i - STRIDE, xl - i) === y.slice(yl - i - STRIDE, yl - i)) i += STRIDE;
  while (i < limit && x.charCodeAt(xl - i - 1) === y.charCodeAt(yl - i - 1)) i++;
  return i;
}
