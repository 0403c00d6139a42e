// The compiled registry: one byte layout for the disk cache, the workers' shared copy and what the
// host holds. Round trips, damaged files (checksum), lazily decoded entities, the word index that
// answers completion, the shared matcher, and the pool loading, sharing and reloading it (in process,
// and in worker threads).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { unpackScanNow } from '../../src/core/packedScan';
import { scan } from '../../src/core/scan';
import type { Registry, RegistryEntity } from '../../src/core/types';
import {
  CompiledRegistry,
  compiledName,
  compileRegistry,
  hostRegistry,
  lazyRegistry,
  loadRegistryFiles,
  readCompiledShared,
  sharedRegistry,
} from '../../src/workers/registryLoad';
import type { RegistrySource } from '../../src/workers/protocol';
import { WorkerPool } from '../../src/workers/scanPool';

const FIRST = ['Wang', 'Li', 'Élodie', 'Søren', 'Ngozi', 'Kwame', 'Анна', 'Yusuf', 'Mariam', 'Tomás'];
const LAST = ['Yi', 'Okafor', 'Dubois', 'Kjær', 'Mensah', 'Иванова', 'Demir', 'Haddad', 'Ruiz', 'Chen'];

/** A registry of `n` people and organisations (names with accents and Cyrillic, aliases, roles, a country). */
function registryYaml(n: number, rename = ''): string {
  const lines = ['# generated', 'entities:'];
  for (let i = 0; i < n; i++) {
    const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]}${i >= 100 ? ` ${i}` : ''}${i === 0 ? rename : ''}`;
    lines.push(`  - id: e-${i}`, `    name: ${name}`, `    type: ${i % 3 === 0 ? 'organization' : 'person'}`);
    if (i % 2 === 0) lines.push(`    aliases: [${name.split(' ')[0]} ${i}]`);
    if (i % 5 === 0) lines.push('    country: FR', '    roles:', '      - title: Minister', '        from: 2020-01-01');
  }
  return `${lines.join('\n')}\n`;
}

const ARTICLE = '# Talks\n\nWang Yi met Élodie Yi and Søren Yi in Paris on Tuesday. Анна Yi and the Li Yi delegation agreed.\n\nWang Yi said Mariam Yi would follow.\n';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'attache-registry-load-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Registries that must read alike: same entities, same problems, same version. */
function assertSameRegistry(actual: Registry, expected: Registry): void {
  assert.equal(actual.version, expected.version);
  assert.deepEqual(actual.problems, expected.problems);
  assert.equal(actual.entities.length, expected.entities.length);
  actual.entities.forEach((e, i) => {
    const want = expected.entities[i];
    for (const key of ['id', 'name', 'type', 'aliases', 'country', 'roles', 'notes', 'source'] as const) assert.deepEqual(e[key], want[key], `${want.id}.${key}`);
    assert.equal(actual.byId.get(want.id), e);
  });
}

describe('compiled registry: bytes', () => {
  const sources: RegistrySource[] = [{ file: 'team.yaml', text: registryYaml(60) }];

  it('decodes to what parsing gave, at once and on the host', async () => {
    const parsed = loadRegistryFiles(sources);
    const bytes = compileRegistry(sources);
    const compiled = CompiledRegistry.openChecked(bytes);
    assert.equal(compiled.count, 60);
    const whole = lazyRegistry(compiled);
    assertSameRegistry(whole.registry, parsed.registry);
    assert.deepEqual(whole.files, parsed.files);
    const host = await hostRegistry(bytes);
    assertSameRegistry(host.loaded.registry, parsed.registry);
    assert.deepEqual(host.loaded.files, parsed.files);
    assert.equal(host.compiled.count, 60);
  });

  it('decodes an entity only when a field beyond its id is read, and serialises it as the entity', async () => {
    const parsed = loadRegistryFiles(sources).registry;
    const { registry } = (await hostRegistry(compileRegistry(sources))).loaded;
    const decoded = (): number => registry.entities.filter((e) => (e as unknown as { decoded?: unknown }).decoded !== undefined).length;
    assert.deepEqual(registry.entities.map((e) => e.id), parsed.entities.map((e) => e.id));
    assert.ok(registry.byId.has('e-7'));
    assert.equal(decoded(), 0);
    assert.equal(registry.byId.get('e-7')?.name, parsed.byId.get('e-7')?.name);
    assert.equal(decoded(), 1);
    assert.deepEqual(JSON.parse(JSON.stringify(registry.entities[5])), JSON.parse(JSON.stringify(parsed.entities[5])));
  });

  it('gives a worker entities decoded when read, and a matcher on the shared bytes that finds what a fresh one finds', () => {
    const parsed = loadRegistryFiles(sources).registry;
    const bytes = compileRegistry(sources);
    assert.ok(bytes.buffer instanceof SharedArrayBuffer);
    const { registry, matcher } = sharedRegistry(CompiledRegistry.open(bytes));
    assertSameRegistry(registry, parsed);
    assert.ok(matcher);
    const fresh = scan(ARTICLE, { registry: parsed });
    const shared = scan(ARTICLE, { registry, matcher });
    assert.ok(fresh.mentions.some((m) => m.id === 'e-0'));
    assert.deepEqual(shared.mentions, fresh.mentions);
    assert.deepEqual(shared.entities.map((e) => [e.key, e.name, e.country]), fresh.entities.map((e) => [e.key, e.name, e.country]));
  });

  it('holds an empty registry, and the problems and file states of one that does not parse', () => {
    const empty = sharedRegistry(CompiledRegistry.open(compileRegistry([])));
    assert.equal(empty.registry.entities.length, 0);
    assert.equal(empty.matcher, null);
    const broken = lazyRegistry(CompiledRegistry.open(compileRegistry([{ file: 'team.yaml', text: 'entities: [' }])));
    assert.equal(broken.files[0].used, 'none');
    assert.ok(broken.files[0].problems.some((p) => p.severity === 'error'));
  });

  it('refuses a truncated, foreign or altered file, never decoding it to something else', async () => {
    const bytes = compileRegistry(sources);
    const copy = (): Uint8Array => Uint8Array.from(bytes);
    assert.throws(() => CompiledRegistry.open(bytes.subarray(0, bytes.length - 1)), /Compiled registry/);
    assert.throws(() => CompiledRegistry.open(new Uint8Array(10)), /Compiled registry/);
    assert.throws(() => CompiledRegistry.open(Buffer.from(JSON.stringify({ version: 'x', entities: [] }))), /Compiled registry/);
    const format = copy();
    format[4]++;
    assert.throws(() => CompiledRegistry.open(format), /format/);
    const offsets = copy();
    offsets.fill(0xff, 68, 72);
    assert.throws(() => CompiledRegistry.open(offsets), /offsets/);
    // Any byte changed anywhere (header, offsets, JSON, word index, matcher, the checksum itself): refused.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, flip) => {
        const altered = copy();
        altered[i] ^= flip;
        assert.throws(() => CompiledRegistry.openChecked(altered), /Compiled registry/);
        await assert.rejects(hostRegistry(altered), /Compiled registry/);
      }),
      { numRuns: 200 },
    );
  });
});

/** The slow definition of the word index: the entities with a word (after a non-letter) of a folded surface starting with the folded prefix. */
function entitiesWithWordStarting(entities: readonly RegistryEntity[], prefix: string): Set<string> {
  const fold = (t: string): string => t.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/gu, ' ').trim();
  const wanted = fold(prefix);
  const words = (surface: string): string[] => [...surface.matchAll(/(?<![\p{L}\p{N}])[\p{L}\p{N}]/gu)].map((m) => surface.slice(m.index)).concat(surface);
  return new Set(entities.filter((e) => [e.id, e.name, ...e.aliases].some((s) => words(fold(s)).some((w) => w.startsWith(wanted)))).map((e) => e.id));
}

describe('compiled registry: word index (completion)', () => {
  const sources: RegistrySource[] = [{ file: 'team.yaml', text: `${registryYaml(150)}  - id: mohsin-naqvi\n    name: Mohsin  Naqvi\n    type: person\n    aliases: ["Naqvi (Interior)", São Tomé]\n` }];
  const parsed = loadRegistryFiles(sources).registry;
  const compiled = CompiledRegistry.openChecked(compileRegistry(sources));
  const found = (prefix: string, limit = Infinity): string[] => compiled.entitiesWithWordStarting(prefix, limit).map((i) => parsed.entities[i].id);

  it('finds entities by the start of any word of an id, name or alias, case and accents aside', () => {
    assert.deepEqual(found('Naq'), ['mohsin-naqvi']);
    assert.deepEqual(found('mohsin n'), ['mohsin-naqvi']);
    assert.deepEqual(found('INTERIOR'), ['mohsin-naqvi']);
    assert.deepEqual(found('sao to'), ['mohsin-naqvi']);
    assert.deepEqual(found('tomé'), ['mohsin-naqvi']);
    assert.ok(found('élo').includes('e-2'));
    assert.deepEqual(new Set(found('elodie')), new Set(found('ÉLODIE')));
    assert.deepEqual(found('zz'), []);
  });

  it('finds exactly what the slow definition finds, and a limit keeps the first of them', () => {
    const words = parsed.entities.flatMap((e) => [e.id, e.name, ...e.aliases]).flatMap((s) => s.split(/[\s-]+/));
    const prefixes = fc.oneof(
      fc.constantFrom(...words).chain((w) => fc.integer({ min: 0, max: w.length }).map((n) => w.slice(0, n))),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(prefixes, fc.integer({ min: 1, max: 20 }), (prefix, limit) => {
        const all = found(prefix);
        assert.equal(new Set(all).size, all.length);
        assert.deepEqual(new Set(all), entitiesWithWordStarting(parsed.entities, prefix));
        assert.deepEqual(found(prefix, limit), all.slice(0, limit));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compiled registry: checksum', () => {
  it('is refused by the CLI\'s read when one byte of the cache file changed: the files are parsed again', () => {
    const sources: RegistrySource[] = [{ file: 'team.yaml', text: registryYaml(30) }];
    loadRegistryFiles(sources, tmp);
    const file = path.join(tmp, compiledName(sources));
    const bytes = fs.readFileSync(file);
    bytes[bytes.indexOf('"e-3"') + 2] ^= 1;
    fs.writeFileSync(file, bytes);
    assert.equal(loadRegistryFiles(sources, tmp).cached, false);
    assert.equal(loadRegistryFiles(sources, tmp).cached, true);
  });
});

describe('compiled registry: cache files', () => {
  const sources: RegistrySource[] = [{ file: 'team.yaml', text: registryYaml(30) }];

  it('is read back onto a SharedArrayBuffer, and names change with the sources and the code', async () => {
    loadRegistryFiles(sources, tmp);
    const name = compiledName(sources);
    const shared = await readCompiledShared(path.join(tmp, name));
    assert.ok(shared && shared.buffer instanceof SharedArrayBuffer);
    assert.deepEqual(Buffer.from(shared), fs.readFileSync(path.join(tmp, name)));
    assert.equal(await readCompiledShared(path.join(tmp, 'missing.bin')), null);
    assert.notEqual(compiledName([{ file: 'team.yaml', text: registryYaml(30, ' Jr') }]), name);
    assert.notEqual(compiledName(sources, 'other-code'), name);
    assert.notEqual(compiledName([{ ...sources[0], lastGood: sources[0].text }]), name);
  });

  it('ignores a damaged file, parses instead, and writes it again', () => {
    const cold = loadRegistryFiles(sources, tmp);
    const file = path.join(tmp, compiledName(sources));
    fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 1000));
    const again = loadRegistryFiles(sources, tmp);
    assert.equal(again.cached, false);
    assertSameRegistry(again.registry, cold.registry);
    assert.equal(loadRegistryFiles(sources, tmp).cached, true);
  });

  it('keeps only the most recent compiled registries', () => {
    for (let i = 0; i < 6; i++) loadRegistryFiles([{ file: 'team.yaml', text: registryYaml(3 + i) }], tmp);
    const kept = fs.readdirSync(tmp);
    assert.equal(kept.length, 3);
    assert.ok(kept.includes(compiledName([{ file: 'team.yaml', text: registryYaml(8) }])));
  });
});

/** Documents whose analysis lands on each worker of a pool of two. */
const ON_EACH_WORKER = ['a', 'b'];

async function mentionsInEachWorker(pool: WorkerPool, text = ARTICLE): Promise<string[][]> {
  const results = await Promise.all(ON_EACH_WORKER.map((d) => pool.analyse(d, text)));
  return results.map((r) => unpackScanNow(r.result, text).mentions.filter((m) => m.id).map((m) => `${m.id}:${m.text}`));
}

function pools(): [string, (options?: { idleMs?: number }) => WorkerPool][] {
  let script: string | undefined;
  const threaded = (options?: { idleMs?: number }): WorkerPool => {
    if (!script) {
      // The worker bundle of this very source (a prebuilt dist/ could be another version).
      script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'attache-worker-')), 'indexWorker.js');
      buildSync({ entryPoints: [path.join(__dirname, '../../src/workers/worker.ts')], outfile: script, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
    }
    return new WorkerPool(script, 2, options);
  };
  return [
    ['in process', (options?: { idleMs?: number }) => new WorkerPool(undefined, 1, options)],
    ['worker threads', threaded],
  ];
}

for (const [kind, makePool] of pools()) {
  describe(`compiled registry: the pool (${kind})`, function () {
    this.timeout(60_000);
    const sources: RegistrySource[] = [{ file: 'team.yaml', text: registryYaml(40) }];
    const expected = (): Registry => loadRegistryFiles(sources).registry;

    it('loads cold, then warm from the cache, with the same registry on the host and the same hits in every worker', async () => {
      const cold = makePool();
      let coldHits: string[][];
      try {
        const loaded = await cold.loadRegistry(sources, tmp);
        assert.equal(loaded.cached, false);
        assertSameRegistry(loaded.registry, expected());
        coldHits = await mentionsInEachWorker(cold);
        assert.ok(coldHits[0].includes('e-0:Wang Yi'));
        assert.deepEqual(coldHits[1], coldHits[0]);
      } finally {
        await cold.dispose();
      }
      const warm = makePool();
      try {
        const loaded = await warm.loadRegistry(sources, tmp);
        assert.equal(loaded.cached, true);
        assertSameRegistry(loaded.registry, expected());
        assert.deepEqual(await mentionsInEachWorker(warm), coldHits);
      } finally {
        await warm.dispose();
      }
    });

    it('applies a registry edit in every worker, and survives a damaged cache file', async () => {
      const pool = makePool();
      try {
        await pool.loadRegistry(sources, tmp);
        const edited = [{ file: 'team.yaml', text: registryYaml(40).replace('name: Wang Yi', 'name: Wang Yi Jr') }];
        const loaded = await pool.loadRegistry(edited, tmp);
        assert.equal(loaded.registry.byId.get('e-0')?.name, 'Wang Yi Jr');
        for (const hits of await mentionsInEachWorker(pool, 'Wang Yi Jr spoke; Wang 0 listened.\n')) assert.deepEqual(hits, ['e-0:Wang Yi Jr', 'e-0:Wang 0']);
        fs.writeFileSync(path.join(tmp, 'registry', compiledName(sources, codeOf(pool))), 'not a registry');
        const back = await pool.loadRegistry(sources, tmp);
        assert.equal(back.cached, false);
        assert.equal(back.registry.byId.get('e-0')?.name, 'Wang Yi');
        for (const hits of await mentionsInEachWorker(pool, 'Wang Yi Jr spoke.\n')) assert.deepEqual(hits, ['e-0:Wang Yi']);
      } finally {
        await pool.dispose();
      }
    });

    it('loads without a cache folder, and a worker that compiled the registry stops once idle', async () => {
      const pool = makePool({ idleMs: 50 });
      try {
        const loaded = await pool.loadRegistry(sources);
        assert.equal(loaded.cached, false);
        assertSameRegistry(loaded.registry, expected());
        const until = Date.now() + 10_000;
        while (pool.running > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(pool.running, 0);
        // Started again by the next job, with the registry.
        assert.ok((await mentionsInEachWorker(pool))[0].includes('e-0:Wang Yi'));
      } finally {
        await pool.dispose();
      }
    });

    if (kind === 'worker threads') {
      it('replaces a worker that stops, and the new one holds the shared registry', async () => {
        const pool = makePool();
        try {
          await pool.loadRegistry(sources, tmp);
          const before = await mentionsInEachWorker(pool);
          const stopped = workersOf(pool)[1].executor;
          await stopped.terminate();
          while (workersOf(pool)[1].executor === stopped) await new Promise((resolve) => setTimeout(resolve, 10));
          assert.deepEqual(await mentionsInEachWorker(pool), before);
        } finally {
          await pool.dispose();
        }
      });
    }
  });
}

/** The pool's code version (it names the compiled registries). */
function codeOf(pool: WorkerPool): string {
  return (pool as unknown as { code: string }).code;
}

function workersOf(pool: WorkerPool): { executor: { terminate(): Promise<unknown> } }[] {
  return (pool as unknown as { slots: { executor: { terminate(): Promise<unknown> } }[] }).slots;
}
