// The CLI over several articles: folders expand to their articles (checklists and dot folders aside),
// scan prints JSON Lines, checklist writes one per article, and a file that cannot be read is
// reported while the others are still done.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MAIN = path.resolve('src/cli/main.ts');
/** tsx's loader, found from the project (the CLI runs in a temporary folder). */
const TSX = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;

function attache(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('attache CLI over several articles', function () {
  this.timeout(60_000);
  let dir: string;
  const article = (who: string): string => `# Talks\n\nForeign Minister ${who} agreed to open a trade office in Nairobi by March 2027.\n`;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'attache-cli-'));
    fs.mkdirSync(path.join(dir, 'articles/2026'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.attache'));
    fs.writeFileSync(path.join(dir, 'articles/b.md'), article('Amina Yusuf'));
    fs.writeFileSync(path.join(dir, 'articles/2026/a.md'), article('Jonas Berg'));
    fs.writeFileSync(path.join(dir, 'articles/old.checklist.md'), '- [x] not an article\n');
    fs.writeFileSync(path.join(dir, '.attache/notes.md'), article('Hidden Person'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('scans a folder as JSON Lines in path order, and one file as one JSON object', () => {
    const many = attache(dir, 'scan', 'articles', '--no-registry');
    assert.equal(many.status, 0, many.stderr);
    const lines = many.stdout.trim().split('\n').map((l) => JSON.parse(l) as { file: string; commitments: unknown[] });
    assert.deepEqual(lines.map((l) => l.file), [path.join('articles', '2026', 'a.md'), path.join('articles', 'b.md')]);
    assert.ok(lines.every((l) => l.commitments.length === 1));
    const one = attache(dir, 'scan', 'articles/b.md', '--no-registry', '--pretty');
    assert.equal(one.status, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as { file: string }).file, 'articles/b.md');
    assert.ok(one.stdout.includes('\n  "date"'), 'indented');
  });

  it('writes a checklist per article, and refuses --out for several', () => {
    const run = attache(dir, 'checklist', 'articles', '--no-registry');
    assert.equal(run.status, 0, run.stderr);
    for (const file of ['articles/2026/a.checklist.md', 'articles/b.checklist.md']) assert.ok(fs.existsSync(path.join(dir, file)), file);
    assert.equal(fs.readFileSync(path.join(dir, 'articles/old.checklist.md'), 'utf8'), '- [x] not an article\n', 'a checklist is not an article');
    const out = attache(dir, 'checklist', 'articles', '--out', 'x.md', '--no-registry');
    assert.equal(out.status, 2);
    assert.match(out.stderr, /--out names one checklist, but 2 articles/);
  });

  it('reports a file it cannot read and still does the others, exiting 1', () => {
    fs.writeFileSync(path.join(dir, 'articles/bad.md'), Buffer.from([0xc3, 0x28, 0x41, 0x0a]));
    const run = attache(dir, 'scan', 'articles', 'missing.md', '--no-registry');
    assert.equal(run.status, 1);
    assert.equal(run.stdout.trim().split('\n').length, 2, 'the two good articles');
    assert.match(run.stderr, /bad\.md:1:1: invalid UTF-8/);
    assert.match(run.stderr, /missing\.md: no such file/);
  });
});
