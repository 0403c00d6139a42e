// Bundles the extension, the CLI and the benchmark with esbuild. unified/remark are ESM-only;
// bundling to CommonJS lets VS Code's extension host and plain `node` load them.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The worker threads of the extension and the benchmark (the extension loads it by this name).
  { entryPoints: ['src/workers/worker.ts'], outfile: 'dist/indexWorker.js' },
];
for (const optional of [
  { entryPoints: ['bench/run.ts'], outfile: 'dist/bench.js' },
]) {
  if (fs.existsSync(path.join(root, optional.entryPoints[0]))) entries.push(optional);
}

await Promise.all(entries.map((e) => build({ ...common, ...e })));
fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
if (watch) console.log('built; watching is not supported, rerun `npm run build`');

