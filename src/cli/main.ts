// `attache`: the annotation engine, headless. Every command reads files, runs the pure core, and
// prints or writes the result; errors are one clear line on stderr, never a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { mergeChecklist, renderChecklist } from '../core/checklist';
import { exportAnnotations, EXPORT_FORMATS, type ExportFormat } from '../core/exports';
import { scan } from '../core/scan';
import type { ScanResult } from '../core/types';
import { CliError, findWorkspaceRegistry, formatProblem, loadRegistry, readTextFile, writeFileAtomic } from './io';
import { scanJson } from './scanJson';

const VERSION = '0.3.1';

const HELP = `attache ${VERSION}: annotate diplomatic transcripts from the command line

Usage:
  attache scan <file.md|folder>... [--registry <file.yaml>]... [--pretty]
      Print one JSON object: {file, date, entities[], commitments[]}. Offsets are
      JavaScript string offsets into the file's text as read (end exclusive).
      Several files, or a folder (its .md articles, checklists aside): one JSON
      object a line (JSON Lines), in path order.
  attache checklist <file.md|folder>... [--out <file>] [--registry <file.yaml>]...
      Write the commitment checklist (default: <file>.checklist.md beside the
      article). An existing checklist is merged: ticks and analyst notes are kept.
      Several files or folders: a checklist for each article (--out needs one).
  attache export <file.md> --format w3c|brat|csv|ics [--out <file>] [--registry <file.yaml>]...
      Export entity mentions and commitments: W3C Web Annotation JSON-LD, brat
      standoff (.ann), CSV (one row per commitment) or iCalendar (dated and
      recurring commitments). Writes to stdout unless --out is given.
  attache validate <registry.yaml>...
      Check registry files; prints problems as file:line:column and exits 1 on errors.

Options:
  --registry <file>  Registry YAML (repeatable). Default: .attache/registry.yaml in
                     the file's folder or the nearest folder above it.
  --no-registry      Do not look for a workspace registry.
  --out <file>       Where to write (checklist, export).
  --format <name>    Export format: ${EXPORT_FORMATS.join(', ')}.
  --pretty           Indent JSON output.
  -h, --help         Show this help.
  -v, --version      Show the version.

Exit codes: 0 success, 1 bad input (message on stderr), 2 bad usage. With several
files, one that cannot be read is reported and the others are still done (exit 1).
`;

interface Parsed {
  command: string | undefined;
  files: string[];
  registry: string[];
  noRegistry: boolean;
  out?: string;
  format?: string;
  pretty: boolean;
}

function parse(argv: string[]): Parsed | 'help' | 'version' {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        registry: { type: 'string', multiple: true },
        'no-registry': { type: 'boolean' },
        out: { type: 'string', short: 'o' },
        format: { type: 'string', short: 'f' },
        pretty: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    }));
  } catch (e) {
    throw new CliError(`${(e as Error).message}. Run \`attache --help\` for usage.`, 2);
  }
  if (values.help) return 'help';
  if (values.version) return 'version';
  const [command, ...files] = positionals;
  return {
    command,
    files,
    registry: values.registry ?? [],
    noRegistry: values['no-registry'] ?? false,
    out: values.out,
    format: values.format,
    pretty: values.pretty ?? false,
  };
}

function oneFile(args: Parsed): string {
  if (args.files.length !== 1) throw new CliError(`\`attache ${args.command}\` takes exactly one file, got ${args.files.length}. Run \`attache --help\`.`, 2);
  return args.files[0];
}

const warn = (line: string): void => void process.stderr.write(`${line}\n`);

/** Registries loaded in this run, by their files: articles of one workspace share one. */
const registries = new Map<string, ReturnType<typeof loadRegistry>>();

function registryFor(file: string, args: Parsed): ReturnType<typeof loadRegistry> | null {
  const files = args.registry.length > 0 ? args.registry : args.noRegistry ? [] : [findWorkspaceRegistry(file)].filter((f): f is string => f !== null);
  if (files.length === 0) return null;
  const key = files.map((f) => path.resolve(f)).join('\u0000');
  let loaded = registries.get(key);
  if (!loaded) registries.set(key, (loaded = loadRegistry(files, warn)));
  return loaded;
}

function scanFile(file: string, args: Parsed): { text: string; result: ScanResult } {
  const text = readTextFile(file);
  const loaded = registryFor(file, args);
  const result = scan(text, { registry: loaded?.registry ?? null, matcher: loaded?.matcher });
  if (result.prose.fallback) warn(`${file}: some markdown was too costly to parse fully; a simpler reader was used for it`);
  for (const p of result.problems) if (p.severity !== 'info') warn(formatProblem(file, p));
  return { text, result };
}

function writeChecklist(file: string, args: Parsed): void {
  const { text, result } = scanFile(file, args);
  const out = args.out ?? file.replace(/(\.md|\.markdown)?$/i, '.checklist.md');
  const articlePath = path.relative(path.dirname(path.resolve(out)), path.resolve(file)).split(path.sep).join('/');
  const fresh = renderChecklist({ articlePath, articleText: text, date: result.date, commitments: result.commitments, entities: result.entities });
  const existing = fs.existsSync(out) ? readTextFile(out) : null;
  writeFileAtomic(out, existing === null ? fresh : mergeChecklist(existing, fresh));
  process.stderr.write(`${existing === null ? 'wrote' : 'merged'} ${out} (${result.commitments.length} commitments)\n`);
}

/**
 * The articles named: files as given, folders as the markdown files below them (checklists, and
 * folders whose name starts with a dot or is node_modules, left out), each folder's in path order.
 */
function articles(args: Parsed): string[] {
  if (args.files.length === 0) throw new CliError(`\`attache ${args.command}\` takes one or more files or folders. Run \`attache --help\`.`, 2);
  const found: string[] = [];
  const walk = (dir: string): void => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      } else if (/\.(md|markdown)$/i.test(entry.name) && !/\.checklist\.md$/i.test(entry.name)) found.push(full);
    }
  };
  for (const given of args.files) {
    if (fs.statSync(given, { throwIfNoEntry: false })?.isDirectory()) walk(given);
    else found.push(given);
  }
  if (found.length === 0) throw new CliError(`no markdown articles in ${args.files.join(', ')}`);
  return found;
}

/** Runs `job` on each article; with several, one that fails is reported and the rest still run. */
function eachArticle(files: string[], job: (file: string) => void): void {
  if (files.length === 1) return job(files[0]);
  for (const file of files) {
    try {
      job(file);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      warn(`attache: ${e.message}`);
      process.exitCode = 1;
    }
  }
}

function output(content: string, out: string | undefined): void {
  if (out) writeFileAtomic(out, content);
  else process.stdout.write(content);
}

function run(argv: string[]): void {
  const args = parse(argv);
  if (args === 'help') return void process.stdout.write(HELP);
  if (args === 'version') return void process.stdout.write(`${VERSION}\n`);
  switch (args.command) {
    case 'scan': {
      const files = articles(args);
      // One file: one JSON object (indented with --pretty); several: JSON Lines.
      const indent = files.length === 1 && args.pretty ? 2 : undefined;
      eachArticle(files, (file) => {
        const { result } = scanFile(file, args);
        process.stdout.write(JSON.stringify(scanJson(file, result), null, indent) + '\n');
      });
      return;
    }
    case 'checklist': {
      const files = articles(args);
      if (args.out && files.length !== 1) throw new CliError(`--out names one checklist, but ${files.length} articles were given`, 2);
      eachArticle(files, (file) => writeChecklist(file, args));
      return;
    }
    case 'export': {
      const file = oneFile(args);
      const format = args.format as ExportFormat | undefined;
      if (!format || !EXPORT_FORMATS.includes(format)) {
        throw new CliError(`--format: expected one of ${EXPORT_FORMATS.join(', ')}, got ${format ?? 'nothing'}`, 2);
      }
      const { text, result } = scanFile(file, args);
      output(exportAnnotations(format, { file, text, result }), args.out);
      return;
    }
    case 'validate': {
      if (args.files.length === 0) throw new CliError('`attache validate` takes one or more registry files', 2);
      let errors = 0;
      const { registry } = loadRegistry(args.files, (line) => {
        if (/: error: /.test(line)) errors++;
        warn(line);
      });
      process.stdout.write(`${registry.entities.length} entities, ${errors} errors\n`);
      if (errors > 0) process.exitCode = 1;
      return;
    }
    case undefined:
      throw new CliError('no command given. Run `attache --help` for usage.', 2);
    default:
      throw new CliError(`unknown command \`${args.command}\`, expected scan, checklist, export or validate. Run \`attache --help\`.`, 2);
  }
}

try {
  run(process.argv.slice(2));
} catch (e) {
  if (e instanceof CliError) {
    process.stderr.write(`attache: ${e.message}\n`);
    process.exitCode = e.exitCode;
  } else {
    process.stderr.write(`attache: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 70;
  }
}
