// The workspace index at scale: compact records (the same answers as the scans they come from, and
// bytes that round-trip or are refused, never crash), and the index snapshot (a restart reads it for
// unchanged files, re-hashes files whose time alone changed, scans the others, and ignores a damaged
// or foreign snapshot).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { scan } from '../../src/core/scan';
import { ENTITY_TYPES, type Mention } from '../../src/core/types';
import { FileIndex, indexFiles } from '../../src/workers/fileIndex';
import { commitmentsOf, decodeRecord, encodeRecord, entitiesOf, keysOf, recordOf, spansOf, type FileScan } from '../../src/workers/indexRecord';
import { WorkerPool } from '../../src/workers/scanPool';
import { SNAPSHOT_FILE } from '../../src/workers/snapshot';
import { ARTICLE, REGISTRY } from './workerFixtures';

const ARTICLES = [
  ARTICLE,
  '---\ndate: 2024-03-05\n---\n# Visit\n\nPresident Maria Okonkwo of Nigeria pledged to sign a trade deal with ASEAN by June 2025.\n\nOkonkwo and Wang Yi will meet every six months — “a new chapter”, she said.\n',
  '# Note\n\nNothing here names anyone.\n',
];

describe('index records', () => {
  it('keep what the features read of a scan: entities, commitments, every mention under its keys, lines', () => {
    for (const text of ARTICLES) {
      const result = scan(text);
      const record = recordOf(text, 'h', 'v', result);
      assert.deepEqual(
        entitiesOf(record, (k) => record.keys[k]),
        result.entities.map((e) => ({ key: e.key, name: e.name, type: e.type, id: e.id, mentionCount: e.mentions.length })),
      );
      assert.deepEqual(
        commitmentsOf(record),
        result.commitments.map(({ start, end, line, text: t, kind, action, actors, due, recurrence }) => ({ start, end, line, text: t, kind, action, actors, due, recurrence })),
      );
      record.keys.forEach((key, k) => {
        const expected = result.mentions.filter((m) => keysOf(m).includes(key)).map((m) => ({ start: m.start, end: m.end }));
        assert.deepEqual(spansOf(record, k), expected);
      });
      assert.deepEqual([...record.lines], [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)]);
      assert.deepEqual(decodeRecord(encodeRecord(record)), record);
    }
  });

  it('answer look-ups as a scan over every mention would (property)', () => {
    const key = fc.constantFrom('person:a', 'person:b', 'place:c', 'org:d');
    const mention = fc.record({ start: fc.nat(1000), len: fc.integer({ min: 1, max: 20 }), entity: key, id: fc.option(fc.constantFrom('wang-yi', 'asean', 'person:a'), { nil: null }) });
    const files = fc.array(fc.array(mention, { maxLength: 12 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(files, fc.array(fc.nat(5), { maxLength: 4 }), (contents, removed) => {
        const index = new FileIndex();
        const kept = new Map<string, Mention[]>();
        contents.forEach((ms, i) => {
          const mentions = ms.map((m): Mention => ({ start: m.start, end: m.start + m.len, text: 'x', type: 'person', id: m.id, source: 'detected', entity: m.entity }));
          index.set(`f${i}`, recordOf('', 'h', 'v', { date: null, mentions, entities: [], commitments: [] }));
          kept.set(`f${i}`, mentions);
        });
        for (const r of removed) {
          assert.equal(index.delete(`f${r}`), kept.delete(`f${r}`));
        }
        for (const k of ['person:a', 'person:b', 'place:c', 'org:d', 'wang-yi', 'asean', 'nobody']) {
          const expected = [...kept]
            .map(([f, ms]) => [f, ms.filter((m) => keysOf(m).includes(k)).map((m) => ({ start: m.start, end: m.end }))] as const)
            .filter(([, ms]) => ms.length > 0);
          assert.deepEqual(index.mentionsOf(k).sort(), expected.map(([f, ms]) => [f, ms]).sort());
          assert.deepEqual(index.filesMentioning(k).sort(), expected.map(([f]) => f).sort());
        }
      }),
    );
  });

  it('refuse damaged bytes without throwing: every truncation, and random changes (property)', () => {
    const record = recordOf(ARTICLES[1], 'h', 'v', scan(ARTICLES[1]));
    const bytes = encodeRecord(record);
    for (let n = 0; n < bytes.length; n++) assert.equal(decodeRecord(bytes.subarray(0, n)), null);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), (changes) => {
        const damaged = Uint8Array.from(bytes);
        for (const [at, value] of changes) damaged[at] = value;
        const decoded = decodeRecord(damaged);
        if (decoded) checkUsable(decoded);
      }),
    );
  });
});

/** A decoded record can be read through without an index leaving it. */
function checkUsable(r: FileScan): void {
  for (const e of entitiesOf(r, (k) => r.keys[k])) assert.ok(ENTITY_TYPES.includes(e.type) && typeof e.key === 'string');
  commitmentsOf(r);
  r.keys.forEach((_, k) => spansOf(r, k).forEach((s) => assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end))));
}

describe('index snapshot (pool in process)', () => {
  let tmp: string;
  let cache: string;
  let files: string[];
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attache-snapshot-'));
    cache = path.join(tmp, 'cache');
    files = ARTICLES.map((text, i) => {
      const file = path.join(tmp, `a${i}.md`);
      fs.writeFileSync(file, text);
      // Written long ago: size and time are trusted.
      fs.utimesSync(file, new Date('2021-01-01'), new Date('2021-01-01'));
      return file;
    });
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Indexes `files` in a fresh pool (a restart), counting the files that had to be scanned. */
  async function start(registry = REGISTRY, save = true): Promise<{ index: FileIndex; scanned: string[]; exact: boolean }> {
    const pool = new WorkerPool(undefined);
    try {
      await pool.loadRegistry([{ file: 'team.yaml', text: registry }], cache);
      const scanned: string[] = [];
      const scanFile = pool.scanFile.bind(pool);
      pool.scanFile = (file, dir) => {
        scanned.push(path.basename(file));
        return scanFile(file, dir);
      };
      const index = new FileIndex();
      const { snapshotExact } = await indexFiles(pool, files, { cacheDir: cache, onIndexed: (f, o) => o.kind === 'scanned' && index.set(f, o.scan, { path: f, disk: o.disk }) });
      if (save) await pool.saveSnapshot(cache, index.snapshotEntries());
      return { index, scanned: scanned.sort(), exact: snapshotExact };
    } finally {
      await pool.dispose();
    }
  }

  const snapshotFile = (): string => {
    const scans = path.join(cache, 'scans');
    return path.join(scans, fs.readdirSync(scans)[0], SNAPSHOT_FILE);
  };
  const answers = (index: FileIndex): unknown => files.map((f) => index.get(f)).concat(['wang-yi', 'asean'].map((id) => index.mentionsOf(id).sort()) as never[]);

  it('answers a restart from the snapshot alone, with the same index', async () => {
    const cold = await start();
    assert.deepEqual(cold.scanned, ['a0.md', 'a1.md', 'a2.md']);
    assert.equal(cold.exact, false);
    const warm = await start();
    assert.deepEqual(warm.scanned, []);
    assert.equal(warm.exact, true);
    assert.deepEqual(answers(warm.index), answers(cold.index));
  });

  it('scans a changed file, re-hashes one whose time alone changed, and forgets a deleted one', async () => {
    const cold = await start();
    fs.writeFileSync(files[0], ARTICLES[0].replace('Jakarta', 'Manila'));
    fs.utimesSync(files[0], new Date('2022-01-01'), new Date('2022-01-01'));
    fs.utimesSync(files[1], new Date('2023-01-01'), new Date('2023-01-01'));
    const [gone] = files.splice(2, 1, path.join(tmp, 'new.md'));
    fs.rmSync(gone);
    fs.writeFileSync(files[2], ARTICLES[2]);
    const warm = await start();
    // new.md goes to a worker (the snapshot does not list it), whose scan cache answers: it has the text of a deleted file.
    assert.deepEqual(warm.scanned, ['a0.md', 'new.md']);
    assert.equal(warm.index.get(files[1])?.hash, cold.index.get(files[1])?.hash);
    assert.deepEqual(warm.index.snapshotEntries().find((e) => e.path === files[1])?.mtimeMs, Date.parse('2023-01-01'));
    const again = await start();
    assert.deepEqual(again.scanned, []);
    assert.equal(again.index.size, 3);
  });

  it('prunes the records of texts no article has any more when it writes the snapshot', async () => {
    const records = (): string[] => fs.readdirSync(path.dirname(snapshotFile())).filter((n) => n.endsWith('.bin')).sort();
    const hashes = (index: FileIndex): string[] => [...new Set(files.map((f) => `${index.get(f)!.hash}.bin`))].sort();
    const cold = await start();
    assert.deepEqual(records(), hashes(cold.index));
    const before = cold.index.get(files[0])!.hash;
    fs.writeFileSync(files[0], ARTICLES[0].replace('Jakarta', 'Manila'));
    fs.utimesSync(files[0], new Date('2022-01-01'), new Date('2022-01-01'));
    const warm = await start();
    assert.notEqual(warm.index.get(files[0])!.hash, before);
    assert.deepEqual(records(), hashes(warm.index), 'the edited article’s old record is gone, the new one kept');
    // A record newer than the snapshot's start may be a scan the host has not listed yet: it stays.
    const stray = path.join(path.dirname(snapshotFile()), 'f'.repeat(40) + '.bin');
    fs.writeFileSync(stray, 'x');
    fs.utimesSync(stray, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    await start();
    assert.ok(fs.existsSync(stray));
  });

  it('ignores a damaged, truncated or foreign snapshot and indexes every file all the same', async () => {
    const cold = await start();
    const good = fs.readFileSync(snapshotFile());
    const damages: [string, Buffer][] = [
      ['truncated', good.subarray(0, Math.floor(good.length * 0.7))],
      ['garbage', Buffer.from('not a snapshot at all')],
      ['empty', Buffer.alloc(0)],
      ['manifest changed', Buffer.from(good.toString('latin1').replace('"generation":"', '"generation":"x'), 'latin1')],
      ['records damaged', Buffer.concat([good.subarray(0, good.length - 40), Buffer.alloc(40, 0xff)])],
    ];
    for (const [what, bytes] of damages) {
      fs.writeFileSync(snapshotFile(), bytes);
      const { index } = await start(REGISTRY, false);
      assert.deepEqual(answers(index), answers(cold.index), what);
    }
    // Another registry: another generation, the old snapshot is not read.
    const other = await start(REGISTRY.replace('Wang Yi', 'Wang Yi Jr'));
    assert.deepEqual(other.scanned, ['a0.md', 'a1.md', 'a2.md']);
  });
});
