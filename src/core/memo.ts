// Memo tables for the repeated scans of one document: a scan after an edit finds what the scan
// before computed for the parts that did not change. Each scan keeps only what it used, so a table
// never holds more than two versions of the document's parts.

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
