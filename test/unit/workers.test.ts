// The worker side of scale: the index's entity map, the compiled registry cache, reading articles
// (size and binary checks before scanning), and the pool's jobs run in process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_ANALYSED_LENGTH } from '../../src/core/documentLimits';
import type { Mention } from '../../src/core/types';
import { relativeInside } from '../../src/features/registryPaths';
import { lineStarts } from '../../src/core/positions';
import { FileIndex, indexFiles } from '../../src/workers/fileIndex';
import { readArticle } from '../../src/workers/jobs';
import { recordOf, type FileScan } from '../../src/workers/indexRecord';
import { loadRegistryFiles } from '../../src/workers/registryLoad';
import { WorkerPool } from '../../src/workers/scanPool';
import { unpackScanNow } from '../../src/core/packedScan';
import { ARTICLE, REGISTRY } from './workerFixtures';

function mention(entity: string, start: number, id: string | null = entity): Mention {
  return { start, end: start + 3, text: 'abc', type: 'person', id, source: id ? 'registry' : 'detected', entity };
}

function scanOf(mentions: Mention[]): FileScan {
  return recordOf('', 'h', 'r', { date: null, mentions, entities: [], commitments: [] });
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attache-workers-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('workers: FileIndex', () => {
  it('answers which files mention an entity, by registry id or entity key, and forgets replaced scans', () => {
    const index = new FileIndex();
    index.set('a.md', scanOf([mention('wang-yi', 0), mention('wang-yi', 10), mention('person:li', 20, null)]));
    index.set('b.md', scanOf([mention('wang-yi', 5)]));
    assert.deepEqual(index.filesMentioning('wang-yi').sort(), ['a.md', 'b.md']);
    assert.deepEqual(index.mentionsOf('wang-yi').map(([f, ms]) => [f, ms.map((m) => m.start)]).sort(), [['a.md', [0, 10]], ['b.md', [5]]]);
    assert.deepEqual(index.filesMentioning('person:li'), ['a.md']);
    index.set('a.md', scanOf([mention('person:li', 3, null)]));
    assert.deepEqual(index.filesMentioning('wang-yi'), ['b.md']);
    assert.equal(index.delete('b.md'), true);
    assert.deepEqual(index.filesMentioning('wang-yi'), []);
    assert.deepEqual(index.mentionsOf('person:li').map(([f, ms]) => [f, ms.length]), [['a.md', 1]]);
    assert.equal(index.delete('b.md'), false);
  });

  it('finds a mention under its registry id when its entity key differs', () => {
    const index = new FileIndex();
    index.set('a.md', scanOf([mention('cluster-1', 0, 'wang-yi')]));
    assert.deepEqual(index.filesMentioning('wang-yi'), ['a.md']);
    assert.deepEqual(index.filesMentioning('cluster-1'), ['a.md']);
  });

  it('lineStarts lists where each line begins', () => {
    assert.deepEqual(lineStarts('ab\ncd\n\ne'), [0, 3, 6, 7]);
    assert.deepEqual(lineStarts(''), [0]);
  });
});

describe('workers: compiled registry cache', () => {
  it('reads back exactly what parsing gave, and only for the same contents', () => {
    const sources = [{ file: 'team.yaml', text: REGISTRY }];
    const cold = loadRegistryFiles(sources, tmp);
    const warm = loadRegistryFiles(sources, tmp);
    assert.equal(cold.cached, false);
    assert.equal(warm.cached, true);
    // Read back lazily: each entity stands for its JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(warm.registry.entities)), JSON.parse(JSON.stringify(cold.registry.entities)));
    assert.deepEqual(warm.registry.problems, cold.registry.problems);
    assert.equal(warm.registry.version, cold.registry.version);
    assert.equal(warm.registry.byId.get('asean')?.name, 'Association of Southeast Asian Nations');
    const edited = loadRegistryFiles([{ file: 'team.yaml', text: REGISTRY.replace('Wang Yi', 'Wang Yi Jr') }], tmp);
    assert.equal(edited.cached, false);
    assert.equal(edited.registry.byId.get('wang-yi')?.name, 'Wang Yi Jr');
  });

  it('keeps a file that stops parsing at its last good text, and reports the new text\'s problems', () => {
    const loaded = loadRegistryFiles([{ file: 'team.yaml', text: 'entities: [', lastGood: REGISTRY }], tmp);
    assert.equal(loaded.files[0].used, 'last-good');
    assert.ok(loaded.files[0].problems.some((p) => p.severity === 'error'));
    assert.ok(loaded.registry.byId.has('wang-yi'));
    assert.equal(loadRegistryFiles([{ file: 'team.yaml', text: 'entities: [' }]).files[0].used, 'none');
  });

  it('reports cross-file problems apart: a duplicate id in a second file', () => {
    const second = 'entities:\n  - id: wang-yi\n    name: Someone Else\n    type: person\n';
    const loaded = loadRegistryFiles([{ file: 'a.yaml', text: REGISTRY }, { file: 'b.yaml', text: second }], tmp);
    assert.ok(loaded.crossFile.some((p) => p.rule === 'registry/duplicate-id'));
    const warm = loadRegistryFiles([{ file: 'a.yaml', text: REGISTRY }, { file: 'b.yaml', text: second }], tmp);
    assert.equal(warm.cached, true);
    assert.deepEqual(warm.crossFile, loaded.crossFile);
  });

  it('works without a usable cache folder', () => {
    const blocked = path.join(tmp, 'a-file');
    fs.writeFileSync(blocked, 'not a folder');
    const loaded = loadRegistryFiles([{ file: 'team.yaml', text: REGISTRY }], path.join(blocked, 'cache'));
    assert.equal(loaded.registry.entities.length, 2);
    assert.equal(loadRegistryFiles([{ file: 'team.yaml', text: REGISTRY }], path.join(blocked, 'cache')).cached, false);
  });
});

describe('workers: reading articles', () => {
  it('refuses a file too large from its size alone, and binary or non-UTF-8 content', () => {
    const huge = path.join(tmp, 'huge.md');
    const fd = fs.openSync(huge, 'w');
    fs.ftruncateSync(fd, MAX_ANALYSED_LENGTH * 3 + 1); // sparse: nothing is written or read
    fs.closeSync(fd);
    assert.deepEqual(readArticle(huge), { skip: { reason: 'too-large', size: MAX_ANALYSED_LENGTH * 3 + 1 } });
    const binary = path.join(tmp, 'blob.md');
    fs.writeFileSync(binary, Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7) % 32)));
    assert.deepEqual(readArticle(binary), { skip: { reason: 'not-text' } });
    const latin1 = path.join(tmp, 'latin1.md');
    fs.writeFileSync(latin1, Buffer.from('Caf\xe9 au lait', 'latin1'));
    assert.deepEqual(readArticle(latin1), { skip: { reason: 'not-text' } });
    const ok = path.join(tmp, 'ok.md');
    fs.writeFileSync(ok, ARTICLE);
    const read = readArticle(ok);
    assert.ok('text' in read);
    assert.equal(read.text, ARTICLE);
    assert.equal(read.disk.size, Buffer.byteLength(ARTICLE));
    // Just written: its time is not trusted (a change within the file system's resolution would not show).
    assert.equal(read.disk.mtimeMs, -1);
    fs.utimesSync(ok, new Date('2020-01-01'), new Date('2020-01-01'));
    assert.deepEqual((readArticle(ok) as { disk: unknown }).disk, { size: Buffer.byteLength(ARTICLE), mtimeMs: Date.parse('2020-01-01') });
  });
});

describe('workers: pool (in process)', () => {
  it('scans files with the registry, answers the second time from the scan cache, and skips what is not text', async () => {
    const pool = new WorkerPool(undefined);
    try {
      const cache = path.join(tmp, 'cache');
      const loaded = await pool.loadRegistry([{ file: 'team.yaml', text: REGISTRY }], cache);
      assert.equal(loaded.registry.entities.length, 2);
      const files = ['a.md', 'b.md', 'c.md'].map((n) => path.join(tmp, n));
      fs.writeFileSync(files[0], ARTICLE);
      fs.writeFileSync(files[1], ARTICLE.replace('Jakarta', 'Manila'));
      fs.writeFileSync(files[2], Buffer.alloc(4096, 1));
      const index = new FileIndex();
      const outcomes: string[] = [];
      const versions = new Set<string>();
      const run = (): Promise<unknown> => indexFiles(pool, files, { cacheDir: cache, onIndexed: (f, o) => {
        outcomes.push(`${path.basename(f)}:${o.kind}${o.kind === 'scanned' && o.cached ? ':cached' : ''}`);
        if (o.kind === 'scanned') {
          index.set(f, o.scan);
          versions.add(o.scan.registryVersion);
        }
      } });
      await run();
      assert.deepEqual(outcomes.sort(), ['a.md:scanned', 'b.md:scanned', 'c.md:skipped']);
      assert.deepEqual(index.filesMentioning('wang-yi').sort(), files.slice(0, 2));
      const first = index.get(files[0])!;
      assert.deepEqual([...versions], [loaded.registry.version]);
      outcomes.length = 0;
      await run();
      assert.deepEqual(outcomes.sort(), ['a.md:scanned:cached', 'b.md:scanned:cached', 'c.md:skipped']);
      const again = index.get(files[0])!;
      assert.deepEqual(again, first);
      // A record is read back from the cache by its text's hash (what the Commitments view does), here in the host.
      const scanned = await pool.scanFile(files[1], cache);
      assert.equal(scanned.kind, 'scanned');
      if (scanned.kind === 'scanned') assert.deepEqual(await pool.cachedRecord(cache, scanned.scan.hash), scanned.scan);
      assert.equal(await pool.cachedRecord(cache, 'f'.repeat(40)), null);
    } finally {
      await pool.dispose();
    }
  });

  it('analyses an open document again after an edit, and a closed pool answers with failures', async () => {
    const pool = new WorkerPool(undefined);
    await pool.loadRegistry([{ file: 'team.yaml', text: REGISTRY }]);
    const before = unpackScanNow((await pool.analyse('doc', ARTICLE)).result, ARTICLE);
    assert.ok(before.mentions.some((m) => m.id === 'wang-yi'));
    const edited = ARTICLE.replace('Foreign Minister Wang Yi', 'The minister');
    const after = unpackScanNow((await pool.analyse('doc', edited)).result, edited);
    assert.ok(after.mentions.every((m) => m.text !== 'Wang Yi'));
    await pool.dispose();
    assert.deepEqual(await pool.scanFile(path.join(tmp, 'x.md')), { kind: 'failed', message: 'the worker pool is closed' });
  });
});

describe('workers: pool, idle workers', () => {
  const idle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('stops an idle worker and starts it again, with the registry in force, for the next job', async () => {
    const pool = new WorkerPool(undefined, 1, { idleMs: 20 });
    try {
      await pool.loadRegistry([{ file: 'team.yaml', text: REGISTRY }]);
      const file = path.join(tmp, 'idle.md');
      fs.writeFileSync(file, ARTICLE);
      const first = await pool.scanFile(file);
      assert.equal(pool.running, 1);
      await idle(80);
      assert.equal(pool.running, 0);
      const again = await pool.scanFile(file);
      assert.equal(pool.running, 1);
      assert.ok(first.kind === 'scanned' && again.kind === 'scanned');
      assert.deepEqual(again.scan, first.scan);
      assert.ok(again.scan.keys.includes('wang-yi'));
    } finally {
      await pool.dispose();
    }
  });

  it('keeps a worker holding an open document\'s analysis longer, and analyses it afresh once stopped', async () => {
    const pool = new WorkerPool(undefined, 1, { idleMs: 20, documentIdleMs: 200 });
    try {
      await pool.loadRegistry([{ file: 'team.yaml', text: REGISTRY }]);
      const before = unpackScanNow((await pool.analyse('doc', ARTICLE)).result, ARTICLE);
      await idle(80);
      assert.equal(pool.running, 1);
      await idle(300);
      assert.equal(pool.running, 0);
      // Its cache is gone: the edited text is analysed as a fresh document's would be.
      const edited = ARTICLE.replace('Foreign Minister Wang Yi', 'The minister');
      const after = unpackScanNow((await pool.analyse('doc', edited)).result, edited);
      assert.deepEqual(after, unpackScanNow((await pool.analyse('fresh', edited)).result, edited));
      assert.ok(before.mentions.some((m) => m.text === 'Wang Yi') && after.mentions.every((m) => m.text !== 'Wang Yi'));
      // Once its documents are closed, the worker stops as soon as any idle worker.
      pool.forget('doc');
      pool.forget('fresh');
      await idle(80);
      assert.equal(pool.running, 0);
    } finally {
      await pool.dispose();
    }
  });
});

describe('registry paths', () => {
  it('keeps configured paths inside the workspace folder and refuses the others', () => {
    const folder = path.join(tmp, 'ws');
    assert.equal(relativeInside(folder, '.attache/registry.yaml'), '.attache/registry.yaml');
    assert.equal(relativeInside(folder, 'team/../.attache/*.yaml'), '.attache/*.yaml');
    assert.equal(relativeInside(folder, path.join(folder, 'reg', 'a.yaml')), 'reg/a.yaml');
    for (const outside of ['../registry.yaml', '../../etc/passwd', '/etc/passwd', path.join(tmp, 'other', 'r.yaml'), '.', 'a/../../b.yaml']) {
      assert.equal(relativeInside(folder, outside), null, outside);
    }
  });
});
