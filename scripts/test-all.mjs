// `npm test`: build, unit tests, then the real-VS-Code stages (code-server setup, extension-host suites,
// browser scenario). Every stage runs and reports even when an earlier one failed, except that the
// VS Code stages need a fresh build and an installed code-server. Exits non-zero if any stage failed;
// the last line sums the tests of all stages as "N passed, N failed".
import { spawn } from 'node:child_process';
import { root, seconds } from './vscode-harness.mjs';

const node = process.execPath;
const stages = [
  { name: 'build', cmd: [node, 'scripts/build.mjs'] },
  { name: 'unit', cmd: [node, 'node_modules/mocha/bin/mocha.js'] },
  { name: 'setup-vscode', cmd: [node, 'scripts/setup-vscode.mjs'] },
  { name: 'integration', cmd: [node, 'scripts/run-integration.mjs', '--no-build'], needs: ['build', 'setup-vscode'] },
  { name: 'e2e', cmd: [node, 'scripts/run-e2e.mjs', '--no-build'], needs: ['build', 'setup-vscode'] },
];

/** Runs a command with its output streamed through, and keeps the output to read the counts from. */
function run([cmd, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      process.stderr.write(chunk);
    });
    child.on('close', (code, sig) => resolve({ code: code ?? (sig ? 128 : 1), output }));
  });
}

/** Test counts from our runners' "N passed, N failed" line, or from mocha's "N passing / N failing". */
function counts(output) {
  const ours = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  if (ours) return { passed: Number(ours[1]), failed: Number(ours[2]) };
  const passing = /^\s*(\d+) passing/m.exec(output);
  const failing = /^\s*(\d+) failing/m.exec(output);
  if (!passing && !failing) return null;
  return { passed: Number(passing?.[1] ?? 0), failed: Number(failing?.[1] ?? 0) };
}

const started = Date.now();
const results = new Map();
let vscodeVersion = 'not run';
for (const stage of stages) {
  const missing = (stage.needs ?? []).filter((name) => !results.get(name)?.ok);
  if (missing.length > 0) {
    console.log(`\n=== ${stage.name}: skipped (needs ${missing.join(', ')})`);
    results.set(stage.name, { ok: false, status: `skipped, needs ${missing.join(', ')}`, counts: null });
    continue;
  }
  console.log(`\n=== ${stage.name}: ${stage.cmd.slice(1).join(' ')}`);
  const stageStart = Date.now();
  const { code, output } = await run(stage.cmd);
  const tests = counts(output);
  const version = stage.needs && /VS Code (\d+\.\d+\.\d+)/.exec(output);
  if (version) vscodeVersion = version[1];
  const ok = code === 0 && (tests?.failed ?? 0) === 0;
  results.set(stage.name, { ok, status: `${ok ? 'ok' : `FAILED (exit ${code})`} in ${seconds(stageStart)}`, counts: tests });
}

console.log('\n=== summary');
let passed = 0;
let failed = 0;
for (const [name, result] of results) {
  const tests = result.counts ? `: ${result.counts.passed} passed, ${result.counts.failed} failed` : '';
  console.log(`  ${name.padEnd(13)} ${result.status}${tests}`);
  passed += result.counts?.passed ?? 0;
  // A stage that failed without reporting a failed test (a crash, a build error) counts as one failure.
  failed += Math.max(result.counts?.failed ?? 0, result.ok ? 0 : 1);
}
console.log(`  VS Code ${vscodeVersion} (code-server); ${seconds(started)} in all`);
console.log(`${passed} passed, ${failed} failed`);
process.exit([...results.values()].every((r) => r.ok) ? 0 : 1);
