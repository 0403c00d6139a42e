// Strings held once, by number: the workspace index's entity keys and group names. A workspace of
// 10,000 articles holds some 260,000 distinct keys (most of them names detected in one article); as
// JavaScript strings in maps each costs about 70 bytes beside its text, and the keys split out of
// each record keep their record's whole key list alive. Here each string is UTF-8 in one growing
// byte buffer, found through one open-addressing table of numbers, with a reference count so a
// string nobody holds any more is dropped (its number reused, its bytes reclaimed by compaction).
// Strings are held as Unicode: a lone surrogate (never in a record's keys: see indexRecord.ts) would
// read back as U+FFFD.

const EMPTY = -1;
const DELETED = -2;
const MIN_SLOTS = 1024;

export class Atoms {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private end = 0;
  /** Bytes of dropped strings still in `bytes` (reclaimed when they outweigh the live ones). */
  private garbage = 0;
  private starts = new Uint32Array(256);
  private lengths = new Uint32Array(256);
  private refs = new Uint32Array(256);
  /** Atom numbers ever given out (the arrays' used length); dropped ones wait in `free`. */
  private count = 0;
  private readonly free: number[] = [];
  private live = 0;
  /** Open addressing (linear probing): an atom's number, EMPTY or DELETED. */
  private slots = new Int32Array(MIN_SLOTS).fill(EMPTY);
  private deleted = 0;
  private scratch = Buffer.allocUnsafe(1024);

  /** How many distinct strings are held. */
  get size(): number {
    return this.live;
  }

  /** The number of `text`, holding it once more (added if new). */
  add(text: string): number {
    // Encoded where a new string is kept: when it is new, it is already in place.
    if (this.end + 3 * text.length > this.bytes.length) this.makeRoom(3 * text.length);
    const length = this.bytes.write(text, this.end, 'utf8');
    const hash = hashOf(this.bytes, length, this.end);
    const found = this.lookUp(this.bytes, this.end, hash, length);
    if (found >= 0) {
      this.refs[found]++;
      return found;
    }
    if (2 * (this.live + this.deleted + 1) > this.slots.length) this.resize();
    const n = this.free.pop() ?? this.count++;
    if (n >= this.starts.length) this.grow();
    this.starts[n] = this.end;
    this.lengths[n] = length;
    this.refs[n] = 1;
    this.end += length;
    this.live++;
    this.place(n, hash);
    return n;
  }

  /** The number of `text` if held, else -1 (no reference taken). */
  find(text: string): number {
    if (3 * text.length > this.scratch.length) this.scratch = Buffer.allocUnsafe(3 * text.length);
    const length = this.scratch.write(text, 'utf8');
    return this.lookUp(this.scratch, 0, hashOf(this.scratch, length), length);
  }

  /** Numbers given out so far are below this. */
  get bound(): number {
    return this.count;
  }

  /** Lets go of one hold on atom `n`: when none is left, the string is dropped. Answers whether it is still held. */
  release(n: number): boolean {
    if (n >= this.count || this.refs[n] === 0) throw new RangeError(`atom ${n} is not held`);
    if (--this.refs[n] > 0) return true;
    const hash = hashOf(this.bytes, this.lengths[n], this.starts[n]);
    const mask = this.slots.length - 1;
    let s = hash & mask;
    while (this.slots[s] !== n) s = (s + 1) & mask;
    this.slots[s] = DELETED;
    this.deleted++;
    this.live--;
    this.garbage += this.lengths[n];
    this.free.push(n);
    return false;
  }

  /** The string of atom `n`. */
  text(n: number): string {
    return this.bytes.toString('utf8', this.starts[n], this.starts[n] + this.lengths[n]);
  }

  /** The atom whose bytes are `length` bytes of `bytes` from `from`, else -1. */
  private lookUp(bytes: Buffer, from: number, hash: number, length: number): number {
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const n = this.slots[s];
      if (n === EMPTY) return -1;
      if (n >= 0 && this.lengths[n] === length && this.bytes.compare(bytes, from, from + length, this.starts[n], this.starts[n] + length) === 0) return n;
    }
  }

  private place(n: number, hash: number): void {
    const mask = this.slots.length - 1;
    let s = hash & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    if (this.slots[s] === DELETED) this.deleted--;
    this.slots[s] = n;
  }

  /** A table at most a quarter full of live atoms, without deleted marks. */
  private resize(): void {
    let size = MIN_SLOTS;
    while (size < 4 * (this.live + 1)) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.deleted = 0;
    for (let n = 0; n < this.count; n++) if (this.refs[n] > 0) this.place(n, hashOf(this.bytes, this.lengths[n], this.starts[n]));
  }

  private grow(): void {
    const size = Math.ceil(this.starts.length * 1.5);
    for (const name of ['starts', 'lengths', 'refs'] as const) {
      const bigger = new Uint32Array(size);
      bigger.set(this[name]);
      this[name] = bigger;
    }
  }

  /** Room for `length` more bytes: the live strings compacted when dropped ones take half, else a larger buffer. */
  private makeRoom(length: number): void {
    const compact = this.garbage > this.end / 2;
    const needed = (compact ? this.end - this.garbage : this.end) + length;
    const bytes = Buffer.allocUnsafe(Math.max(needed, compact ? this.bytes.length : Math.ceil(this.bytes.length * 1.5)));
    if (!compact) {
      this.bytes.copy(bytes, 0, 0, this.end);
      this.bytes = bytes;
      return;
    }
    let end = 0;
    for (let n = 0; n < this.count; n++) {
      if (this.refs[n] === 0) continue;
      this.bytes.copy(bytes, end, this.starts[n], this.starts[n] + this.lengths[n]);
      this.starts[n] = end;
      end += this.lengths[n];
    }
    this.bytes = bytes;
    this.end = end;
    this.garbage = 0;
  }
}

/** FNV-1a over bytes `from` .. `from + length - 1`. */
function hashOf(bytes: Uint8Array, length: number, from = 0): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}
