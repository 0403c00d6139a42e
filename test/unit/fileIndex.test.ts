// The index's workspace summaries (entity groups, commitment groups, co-occurrences, key postings),
// kept current per file set and delete: always what a walk over every file's record would give.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Commitment, DocEntity, EntityType, Mention } from '../../src/core/types';
import { FileIndex, groupLabel, groupOf } from '../../src/workers/fileIndex';
import { commitmentDatesOf, commitmentsOf, entitiesOf, recordOf, type FileScan } from '../../src/workers/indexRecord';

const TYPES: EntityType[] = ['person', 'organization', 'place', 'event'];

/** A record with these entities (each mentioned `count` times under its key) and commitments. */
function record(entities: { name: string; type: EntityType; id: string | null; count: number }[], dates: { due: string | null; recurrence: string | null }[]): FileScan {
  const docEntities: DocEntity[] = entities.map((e, i) => {
    const key = `${e.type}:${e.name}:${i}`;
    const mentions: Mention[] = Array.from({ length: e.count }, (_, m) => ({ start: 10 * i + m, end: 10 * i + m + 1, text: 'x', type: e.type, id: e.id, source: e.id ? 'registry' : 'detected', entity: key }));
    return { key, name: e.name, type: e.type, id: e.id, mentions };
  });
  const commitments: Commitment[] = dates.map((d, i) => ({ start: i, end: i + 1, line: 1, text: `Text ${i}`, kind: 'pledge', actors: ['A', 'B'], actorKeys: [], action: 'Text', ...d }));
  return recordOf('x\n', `h${Math.random()}`, 'r', { date: null, mentions: docEntities.flatMap((e) => e.mentions), entities: docEntities, commitments });
}

/** Registry ids have one type each, as in a registry. */
const REGISTERED: Record<string, EntityType> = { 'wang-yi': 'person', asean: 'organization' };
const entityArb = fc
  .record({
    name: fc.constantFrom('Li', 'li', 'Wang Yi', 'ASEAN', 'Jakarta', 'Summit'),
    type: fc.constantFrom(...TYPES),
    id: fc.option(fc.constantFrom(...Object.keys(REGISTERED)), { nil: null }),
    count: fc.integer({ min: 1, max: 3 }),
  })
  .map((e) => (e.id ? { ...e, type: REGISTERED[e.id] } : e));
const dateArb = fc.record({
  due: fc.option(fc.constantFrom('2024', '2024-05', '2024-05-02', '2025-01-31'), { nil: null }),
  recurrence: fc.option(fc.constantFrom('P1M', 'P1Y'), { nil: null }),
});
const opArb = fc.record({
  file: fc.constantFrom('a.md', 'b.md', 'c.md', 'd.md'),
  remove: fc.boolean(),
  /** Summarize part of what is queued after this step (summaries may lag sets and deletes). */
  summarizeSome: fc.boolean(),
  entities: fc.array(entityArb, { maxLength: 5 }),
  dates: fc.array(dateArb, { maxLength: 4 }),
});

/** The summaries as a walk over every record computes them. */
function slow(files: Map<string, FileScan>) {
  const groups = new Map<string, { type: EntityType; mentions: number; files: Set<string> }>();
  const labels = new Map<string, [string, string, number][]>();
  for (const [file, scan] of files) {
    for (const e of entitiesOf(scan, (k) => scan.keys[k])) {
      const g = groups.get(groupOf(e)) ?? { type: e.type, mentions: 0, files: new Set<string>() };
      g.mentions += e.mentionCount;
      g.files.add(file);
      groups.set(groupOf(e), g);
    }
    for (const c of commitmentsOf(scan)) labels.set(groupLabel(c), [...(labels.get(groupLabel(c)) ?? []), [file, c.text, c.start]]);
  }
  return { groups, labels };
}

describe('FileIndex summaries', () => {
  it('read commitment dates as the full decoding does', () => {
    fc.assert(
      fc.property(fc.array(dateArb, { maxLength: 6 }), (dates) => {
        const scan = record([], dates);
        assert.deepEqual(commitmentDatesOf(scan), commitmentsOf(scan).map(({ due, recurrence }) => ({ due, recurrence })));
      }),
    );
  });

  it('stay what a walk over every record gives, through any sequence of sets and deletes, commitment texts held or read again (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 12 }), fc.boolean(), async (ops, rereading) => {
        const files = new Map<string, FileScan>();
        // Read again: the file's record as it is now (as the scan cache gives it).
        const index = new FileIndex(rereading ? async (path) => files.get(path) ?? null : undefined);
        for (const op of ops) {
          if (op.remove) {
            assert.equal(index.delete(op.file), files.delete(op.file));
          } else {
            const scan = record(op.entities, op.dates);
            index.set(op.file, scan, rereading ? { path: op.file, disk: { size: 2, mtimeMs: 1 } } : undefined);
            files.set(op.file, scan);
          }
          if (op.summarizeSome) index.summarize(0);
        }
        assert.equal(index.summarize(), true);
        const { groups, labels } = slow(files);
        assert.equal(index.size, files.size);
        assert.deepEqual(index.entityGroupCounts(), TYPES.map((t) => [...groups.values()].filter((g) => g.type === t).length));
        const top = index.topEntities(1000);
        assert.deepEqual(
          top.map((e) => [e.group, e.type, e.mentions, e.documents]),
          [...groups]
            .sort(([a, x], [b, y]) => y.mentions - x.mentions || (a < b ? -1 : 1))
            .map(([group, g]) => [group, g.type, g.mentions, g.files.size]),
        );
        for (const e of top) assert.equal(groupOf(e), e.group);
        // A short page is the head of the full order, per type too.
        assert.deepEqual(index.topEntities(2), top.slice(0, 2));
        for (const t of TYPES) assert.deepEqual(index.topEntities(1, t), top.filter((e) => e.type === t).slice(0, 1));
        assert.deepEqual(new Map(index.commitmentCounts()), new Map([...labels].map(([l, cs]) => [l, cs.length])));
        for (const [label, cs] of labels) {
          const all = await index.commitmentsIn(label);
          assert.deepEqual(all.map(([f, c]) => [f, c.text, c.start]).sort(), cs.sort());
          // By due date, then file, then place; pages are slices of that order.
          const order = all.map(([f, c]) => [c.due ?? '', f, c.start] as const);
          assert.deepEqual(order, [...order].sort((a, b) => (a[0] !== b[0] ? (a[0] < b[0] ? -1 : 1) : a[1] !== b[1] ? (a[1] < b[1] ? -1 : 1) : a[2] - b[2])));
          assert.deepEqual([...(await index.commitmentsIn(label, 0, 2)), ...(await index.commitmentsIn(label, 2, 100))], all);
        }
        const co = index.cooccurrences(3);
        const kept = co.entities.map((e) => e.group);
        assert.deepEqual(kept, top.slice(0, 3).map((e) => e.group));
        assert.equal(co.omitted, groups.size - kept.length);
        const expected = new Map<string, number>();
        for (let a = 0; a < kept.length; a++) {
          for (let b = a + 1; b < kept.length; b++) {
            const both = [...groups.get(kept[a])!.files].filter((f) => groups.get(kept[b])!.files.has(f)).length;
            if (both > 0) expected.set(`${a}:${b}`, both);
          }
        }
        assert.deepEqual(new Map(co.pairs.map(([a, b, n]) => [`${a}:${b}`, n])), expected);
        for (const [file, scan] of files) {
          for (const key of scan.keys) assert.ok(index.filesMentioning(key).includes(file));
        }
        for (const key of ['wang-yi', 'asean']) {
          assert.deepEqual(index.filesMentioning(key).sort(), [...files].filter(([, s]) => s.keys.includes(key)).map(([f]) => f).sort());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives no commitments of a file changed since it was filed, until it is filed again', async () => {
    const first = record([], [{ due: '2024-05-02', recurrence: null }]);
    const changed = record([], [{ due: '2024-05-09', recurrence: null }]);
    let onDisk = first;
    const index = new FileIndex(async () => onDisk);
    index.set('a.md', first, { path: '/a.md', disk: { size: 2, mtimeMs: 1 } });
    index.summarize();
    assert.deepEqual((await index.commitmentsIn('2024-05')).map(([f, c]) => [f, c.due]), [['a.md', '2024-05-02']]);
    onDisk = changed;
    assert.deepEqual(await index.commitmentsIn('2024-05'), []);
    index.set('a.md', changed, { path: '/a.md', disk: { size: 2, mtimeMs: 2 } });
    index.summarize();
    assert.deepEqual((await index.commitmentsIn('2024-05')).map(([f, c]) => [f, c.due]), [['a.md', '2024-05-09']]);
  });

  it('finds a key holding a separator or a lone surrogate, as the record holds it', () => {
    const index = new FileIndex();
    const scan = recordOf('x\n', 'h', 'r', { date: null, mentions: [{ start: 0, end: 1, text: 'x', type: 'person', id: null, source: 'detected', entity: 'person:A\u0000\uD800' }], entities: [], commitments: [] });
    index.set('a.md', scan);
    assert.deepEqual(index.filesMentioning('person:A\u0000\uD800'), ['a.md']);
    assert.deepEqual(index.mentionsOf('person:A\u0000\uD800'), [['a.md', [{ start: 0, end: 1 }]]]);
  });
});
