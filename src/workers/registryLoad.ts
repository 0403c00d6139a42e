// The registry in force from its files: each file parsed (a file that does not parse falls back to
// its last good text), all merged. The result is kept in a compiled cache named by a hash of every
// input, the cache format and the running code, so the next start reads JSON instead of YAML.
// Shared by the editor's workers and the CLI.
import { isFatalRegistryProblem, mergeRegistries, parseRegistry } from '../core/registry';
import type { Problem, Registry, RegistryEntity } from '../core/types';
import { codeVersion, readRecord, sha1, writeRecord } from './diskCache';
import type { RegistryFileState, RegistrySource } from './protocol';

const FORMAT = 1;

export interface LoadedRegistry {
  registry: Registry;
  files: RegistryFileState[];
  crossFile: Problem[];
  /** True when the compiled cache answered. */
  cached: boolean;
}

/** The compiled form: problems that are shared between lists are stored once, by index. */
interface Compiled {
  version: string;
  entities: RegistryEntity[];
  problems: Problem[];
  files: { file: string; used: RegistryFileState['used']; problems: Problem[] }[];
  crossFile: number[];
}

export function loadRegistryFiles(sources: readonly RegistrySource[], cacheDir?: string): LoadedRegistry {
  const name = `registry-${sha1([FORMAT, codeVersion(), ...sources.flatMap((s) => [s.file, s.text, s.lastGood ?? '\u0000'])].join('\u0001'))}.json`;
  const hit = cacheDir ? readRecord(cacheDir, name) : null;
  if (hit !== null) {
    try {
      return { ...fromCompiled(JSON.parse(hit) as Compiled), cached: true };
    } catch {
      // A damaged record: parse the files instead (and write it again).
    }
  }
  const loaded = parseSources(sources);
  if (cacheDir) writeRecord(cacheDir, name, JSON.stringify(toCompiled(loaded)));
  return loaded;
}

function parseSources(sources: readonly RegistrySource[]): LoadedRegistry {
  const files: RegistryFileState[] = [];
  const good: Registry[] = [];
  for (const source of sources) {
    const parsed = parseRegistry(source.text, source.file);
    if (!parsed.problems.some(isFatalRegistryProblem)) {
      good.push(parsed);
      files.push({ file: source.file, problems: parsed.problems, used: 'current' });
      continue;
    }
    const last = source.lastGood === undefined ? null : parseRegistry(source.lastGood, source.file);
    if (last) good.push(last);
    files.push({ file: source.file, problems: parsed.problems, used: last ? 'last-good' : 'none' });
  }
  const registry = mergeRegistries(good);
  const own = new Set(good.flatMap((r) => r.problems));
  return { registry, files, crossFile: registry.problems.filter((p) => !own.has(p)), cached: false };
}

function toCompiled(loaded: LoadedRegistry): Compiled {
  const { registry } = loaded;
  const index = new Map(registry.problems.map((p, i) => [p, i]));
  return {
    version: registry.version,
    entities: registry.entities,
    problems: registry.problems,
    files: loaded.files,
    // Cross-file problems are taken from the merged list, so each has an index there.
    crossFile: loaded.crossFile.map((p) => index.get(p) as number),
  };
}

function fromCompiled(c: Compiled): Omit<LoadedRegistry, 'cached'> {
  return {
    registry: { entities: c.entities, byId: new Map(c.entities.map((e) => [e.id, e])), problems: c.problems, version: c.version },
    files: c.files,
    crossFile: c.crossFile.map((i) => c.problems[i]),
  };
}
