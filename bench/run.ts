// `npm run bench`: every figure is a median of several runs, reported beside a baseline measured in the
// same process on the same input, so the ratios hold on a noisy shared machine. `--json` prints JSON.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { readProse } from '../src/core/markdown';
import AhoCorasick from 'modern-ahocorasick';
import { RegistryMatcher } from '../src/core/matcher';
import { fold, surfacesOf } from '../src/core/nameRules';
import { parseRegistry } from '../src/core/registry';
import { highlightRanges } from '../src/core/highlights';
import { packScan, type PackedScan, unpackScan } from '../src/core/packedScan';
import { lineStarts } from '../src/core/positions';
import { scan, ScanCache } from '../src/core/scan';
import { ENTITY_TYPES, type ScanResult } from '../src/core/types';
import { splitSentences } from '../src/core/sentences';
import { detectMentions } from '../src/core/detect';
import { article, registry, type GoldSpan } from './generate';
import { benchRegistryLoad, benchRestart, benchWorkspace, collect } from './workspace';

export interface Row {
  group: string;
  measure: string;
  value: number;
  unit: string;
  baseline?: string;
  baselineValue?: number;
  ratio?: number;
  floor?: string;
  ok?: boolean;
}

const rows: Row[] = [];
const json = process.argv.includes('--json');
const quick = process.argv.includes('--quick');
const log = (s: string): void => void (json ? process.stderr.write(s + '\n') : process.stdout.write(s + '\n'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time in ms of `runs` calls (after one warm-up). */
function time(fn: () => unknown, runs = quick ? 3 : 5): number {
  fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

const parser = unified().use(remarkParse).use(remarkGfm);

function scanVsParse(): void {
  for (const size of [5_000, 50_000, 250_000, 1_000_000]) {
    const { text } = article(7, size);
    const base = time(() => parser.parse(text));
    const full = time(() => scan(text));
    const kb = `${Math.round(text.length / 1000)} KB`;
    const reading = time(() => readProse(text));
    rows.push({ group: 'scan', measure: `markdown → prose (readProse), ${kb}`, value: reading, unit: 'ms', baseline: 'bare remark+gfm parse', baselineValue: base, ratio: reading / base });
    rows.push({ group: 'scan', measure: `full cold scan, ${kb}`, value: full, unit: 'ms', baseline: 'bare remark+gfm parse', baselineValue: base, ratio: full / base, floor: size === 1_000_000 ? 'ratio ≤ 1.5' : undefined, ok: size === 1_000_000 ? full / base <= 1.5 : undefined });
  }
}

/**
 * The k-th of a series of edits spread over the document, as an analyst makes them one after another:
 * a letter typed inside a word, a letter typed inside a name, a blank line added, a blank line removed.
 */
function keystrokeEdit(text: string, k: number): string {
  const at = Math.floor((text.length * ((k * 7919) % 100)) / 100);
  const insert = (i: number, s: string): string => text.slice(0, i) + s + text.slice(i);
  switch (k % 4) {
    case 0:
      return insert(text.indexOf(' the ', at) + 3, 'e');
    case 1: {
      const name = /\b[A-Z][a-z]+ [A-Z][a-z]{3,}/g;
      name.lastIndex = at;
      const found = name.exec(text) ?? { index: 0, 0: '' };
      return insert(found.index + found[0].length - 2, 'a');
    }
    case 2:
      return insert(text.indexOf('\n\n', at), '\n');
    default: {
      const i = text.indexOf('\n\n', at);
      return text.slice(0, i) + text.slice(i + 1);
    }
  }
}

function keystroke(): void {
  let text = article(11, 1_000_000).text;
  let cache: ScanCache | undefined = new ScanCache();
  scan(text, { cache });
  let last: ScanResult | undefined;
  const toHighlights: number[] = [];
  const toResult: number[] = [];
  const sent: { packed: PackedScan; text: string }[] = [];
  const enabled = new Set(ENTITY_TYPES);
  for (let k = 0; k < 16; k++) {
    text = keystrokeEdit(text, k);
    let highlighted = 0;
    const t0 = performance.now();
    // What the editor waits for: the scan up to its mentions, their transfer from the worker, ranges from a line table.
    const result = scan(text, {
      cache,
      onHighlights: (highlights) => {
        const ranges = highlightRanges(structuredClone(highlights), lineStarts(text), enabled);
        highlighted = performance.now() - t0 + (ranges.length > 0 ? 0 : 1);
      },
    });
    sent.push({ packed: packScan(result), text });
    last = result;
    toResult.push(performance.now() - t0);
    toHighlights.push(highlighted);
  }
  const cold = time(() => scan(text), 3);
  const value = median(toHighlights);
  rows.push({ group: 'edit', measure: 'keystroke → updated decorations, 1 MB (16 edits: in a word, in a name, blank line added/removed)', value, unit: 'ms', baseline: 'cold scan of the same text', baselineValue: cold, ratio: value / cold, floor: '≤ 50 ms', ok: value <= 50 });
  const full = median(toResult);
  rows.push({ group: 'edit', measure: 'keystroke → whole result (commitments too) packed in the worker, 1 MB', value: full, unit: 'ms', baseline: 'cold scan of the same text', baselineValue: cold, ratio: full / cold });

  // The host's side, after the edits: the packed message arrives (one clone), then is rebuilt a slice
  // per turn; beside it, the whole result cloned. The worker's caches live in another thread's heap in
  // the editor, so they are let go first: their collection is not the host's pause.
  cache = undefined;
  collect();
  const received: number[] = [];
  let longest = 0;
  for (const { packed, text } of sent) {
    const h0 = performance.now();
    const copy = structuredClone(packed);
    longest = Math.max(longest, performance.now() - h0);
    const steps = unpackScan(copy, text);
    for (let done = false; !done;) {
      const s0 = performance.now();
      done = steps.next().done === true;
      longest = Math.max(longest, performance.now() - s0);
    }
    received.push(performance.now() - h0);
  }
  const whole = time(() => structuredClone(last), 3);
  rows.push({ group: 'edit', measure: 'host: longest turn receiving a 1 MB result (packed clone, then a slice per turn; worst of 16)', value: longest, unit: 'ms', baseline: 'structured clone of the whole result (ms)', baselineValue: whole, ratio: longest / whole, floor: '≤ 100 ms', ok: longest <= 100 });
  rows.push({ group: 'edit', measure: 'host: receiving a 1 MB result, all turns together (median)', value: median(received), unit: 'ms', baseline: 'structured clone of the whole result (ms)', baselineValue: whole, ratio: median(received) / whole });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function registryMatching(): void {
  const reg = registry(3, 50_000);
  const parsedMs = time(() => parseRegistry(reg.yaml, 'bench.yaml'), quick ? 1 : 3);
  const parsed = parseRegistry(reg.yaml, 'bench.yaml');
  rows.push({ group: 'registry', measure: '50,000-entity registry: parse + validate (cold)', value: parsedMs, unit: 'ms', floor: '≤ 5000 ms (off the main thread)', ok: parsedMs <= 5000 });
  const buildMs = time(() => new RegistryMatcher(parsed), quick ? 1 : 3);
  // The package alone, on the same folded keys: the automaton we replaced it with must beat it.
  const keys = [...new Set(surfacesOf(parsed).map((s) => s.key))].map((pattern) => ({ pattern }));
  let library: AhoCorasick | undefined;
  const libraryBuildMs = time(() => (library = new AhoCorasick(keys)), 1);
  rows.push({ group: 'registry', measure: '50,000-entity matcher build', value: buildMs, unit: 'ms', baseline: 'modern-ahocorasick build (ms)', baselineValue: libraryBuildMs, ratio: buildMs / libraryBuildMs });
  const matcher = new RegistryMatcher(parsed);
  const { text } = article(5, 1_000_000);
  const prose = readProse(text);
  const ms = time(() => matcher.find(prose));
  const mbps = text.length / 1e6 / (ms / 1000);
  const aliases = reg.entities.flatMap((e) => [e.name, ...e.aliases]).sort((a, b) => b.length - a.length);
  const naive = new RegExp(`\\b(?:${aliases.map(escapeRe).join('|')})\\b`, 'g');
  const naiveMs = time(() => [...prose.prose.matchAll(naive)].length, quick ? 1 : 3);
  rows.push({ group: 'registry', measure: 'registry matching, 1 MB × 50,000 entities', value: mbps, unit: 'MB/s', baseline: 'naive RegExp alternation (ms)', baselineValue: naiveMs, ratio: naiveMs / ms, floor: '≥ 50 MB/s', ok: mbps >= 50 });
  // Non-ASCII input sends the package through Intl.Segmenter, quadratic on Node 20 (hours for 1 MB):
  // it gets the folded prose with every non-ASCII unit as \x01, same length, its fast path.
  const ascii = fold(prose.prose).replace(/[^\x00-\x7f]/g, '\x01');
  const libraryMs = time(() => library!.search(ascii, { strategy: 'leftmost-longest' }).length, quick ? 1 : 3);
  rows.push({ group: 'registry', measure: 'registry matching, 1 MB × 50,000 entities (vs the package)', value: mbps, unit: 'MB/s', baseline: 'modern-ahocorasick alone, leftmost-longest (ms)', baselineValue: libraryMs, ratio: libraryMs / ms });
  compiledMatcher(parsed, prose, buildMs);
}

/**
 * MB of JS heap that `make`'s result holds on to (between full collections). Array buffers are left
 * out: V8 frees them lazily, so `arrayBuffers` lags behind by whatever was built and dropped.
 */
function heapMb(make: () => unknown): number {
  collect();
  collect();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  collect();
  collect();
  return kept === undefined ? NaN : (process.memoryUsage().heapUsed - before) / 1e6;
}

/** The matcher as bytes: what a cache file or a SharedArrayBuffer holds, what loading it costs, per-thread memory. */
function compiledMatcher(parsed: ReturnType<typeof parseRegistry>, prose: ReturnType<typeof readProse>, buildMs: number): void {
  const bytes = new RegistryMatcher(parsed).save({ shared: true });
  rows.push({ group: 'registry', measure: '50,000-entity matcher: save() size', value: bytes.byteLength / 1e6, unit: 'MB' });
  const loadMs = time(() => RegistryMatcher.load(parsed, bytes), quick ? 5 : 9);
  rows.push({ group: 'registry', measure: '50,000-entity matcher: load() from shared bytes (checked, no copy)', value: loadMs, unit: 'ms', baseline: 'matcher build (ms)', baselineValue: buildMs, ratio: loadMs / buildMs });
  // A built matcher owns its bytes; loaded ones view bytes shared by every thread, counted once.
  const builtMb = heapMb(() => {
    const matcher = new RegistryMatcher(parsed);
    matcher.find(prose);
    return matcher;
  }) + bytes.byteLength / 1e6;
  const loadedMb = heapMb(() => {
    const matcher = RegistryMatcher.load(parsed, bytes);
    matcher.find(prose);
    return matcher;
  });
  rows.push({ group: 'registry', measure: '50,000-entity matcher: memory per thread after a 1 MB find, loaded (heap; the shared bytes counted once)', value: loadedMb, unit: 'MB', baseline: 'built in the thread: heap + its bytes (MB)', baselineValue: builtMb, ratio: loadedMb / builtMb });
}

function f1(pred: { start: number; end: number; type: string }[], gold: GoldSpan[]): number {
  const used = new Set<number>();
  let tp = 0;
  for (const g of gold) {
    const i = pred.findIndex((p, k) => !used.has(k) && p.type === g.type && p.start < g.end && p.end > g.start);
    if (i >= 0) {
      used.add(i);
      tp++;
    }
  }
  const p = tp / Math.max(1, pred.length);
  const r = tp / Math.max(1, gold.length);
  return (2 * p * r) / Math.max(1e-9, p + r);
}

async function coldDetection(): Promise<void> {
  const nlp = (await import('compromise')).default;
  const { text, gold } = article(17, quick ? 50_000 : 250_000);
  const prose = readProse(text);
  const sentences = splitSentences(prose);
  const ours = (): ReturnType<typeof detectMentions> => detectMentions(prose, sentences, []);
  const ms = time(ours, 3);
  type Off = { offset: { start: number; length: number } };
  const theirs = (): { start: number; end: number; type: string }[] => {
    const doc = nlp(prose.prose);
    const out: { start: number; end: number; type: string }[] = [];
    const add = (list: Off[], type: string): void => {
      for (const x of list) out.push({ start: x.offset.start, end: x.offset.start + x.offset.length, type });
    };
    add(doc.people().out('offset') as Off[], 'person');
    add(doc.places().out('offset') as Off[], 'place');
    add(doc.organizations().out('offset') as Off[], 'organization');
    return out;
  };
  const t0 = performance.now();
  const compromisePred = theirs();
  const cms = performance.now() - t0;
  const kb = `${Math.round(text.length / 1000)} KB`;
  rows.push({ group: 'detect', measure: `cold detection time, ${kb}`, value: ms, unit: 'ms', baseline: 'compromise NER (ms)', baselineValue: cms, ratio: ms / cms });
  const oursF1 = f1(ours(), gold);
  const theirF1 = f1(compromisePred, gold);
  rows.push({ group: 'detect', measure: 'cold detection F1 on generated gold', value: oursF1, unit: 'F1', baseline: 'compromise F1', baselineValue: theirF1, ratio: oursF1 / Math.max(1e-9, theirF1) });
}

function print(): void {
  if (json) {
    process.stdout.write(JSON.stringify({ machine: machine(), rows }, null, 2) + '\n');
    return;
  }
  const fmt = (n: number | undefined): string => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(3));
  const header = ['measure', 'value', 'unit', 'baseline', 'baseline value', 'ratio', 'floor', 'ok'];
  const body = rows.map((r) => [r.measure, fmt(r.value), r.unit, r.baseline ?? '', fmt(r.baselineValue), r.ratio === undefined ? '' : `${fmt(r.ratio)}×`, r.floor ?? '', r.ok === undefined ? '' : r.ok ? 'yes' : 'NO']);
  log(`\n${machine()}\n`);
  log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const b of body) log(`| ${b.join(' | ')} |`);
}

function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * The workspace sizes, each in a process of its own (unless `--in-process`): memory growth is read
 * from the process's RSS, which the other groups (and the other size) would otherwise have grown.
 */
async function workspaces(): Promise<void> {
  const asked = process.argv.find((a) => a.startsWith('--articles='))?.slice(11);
  const counts = asked ? asked.split(',').map(Number) : quick ? [1000] : [1000, 10_000];
  if (process.argv.includes('--in-process')) return benchWorkspace(rows, counts);
  for (const count of counts) {
    const child = spawnSync(process.execPath, [__filename, '--only=workspace', `--articles=${count}`, '--in-process', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`the ${count}-article workspace run failed (exit ${child.status ?? child.signal})`);
    rows.push(...(JSON.parse(child.stdout) as { rows: Row[] }).rows);
  }
}

async function main(): Promise<void> {
  const restart = process.argv.find((a) => a.startsWith('--restart='))?.slice(10);
  if (restart) {
    await benchRestart(rows, restart);
    return print();
  }
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  const steps: [string, () => unknown][] = [
    ['scan', scanVsParse],
    ['edit', keystroke],
    ['registry', registryMatching],
    ['registry-load', () => benchRegistryLoad(rows, { quick })],
    ['detect', coldDetection],
    ['workspace', workspaces],
  ];
  for (const [name, step] of steps) {
    if (only && !only.split(',').includes(name)) continue;
    log(`… ${name}`);
    await step();
  }
  print();
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
