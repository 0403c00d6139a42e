// The fixture articles, and their sentences and lines, for checks that a gate or a pre-screen never
// hides a match in real text, and that the chunked reading is the whole document's.
import fs from 'node:fs';
import path from 'node:path';

const DIRS = ['test/fixtures/articles', 'test/fixtures/commitments', 'test/fixtures/heldout', 'test/fixtures/heldout-commitments'];

/** Every article under test/fixtures and samples/, with its path. */
export function fixtureArticles(): { file: string; text: string }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.md')) files.push(file);
    }
  };
  walk('test/fixtures');
  walk('samples');
  return files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

/** Every sentence (split after . ! ?) and line of the fixture articles. */
export function fixtureLines(): string[] {
  const files = DIRS.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.md')).map((f) => path.join(d, f)));
  return files.flatMap((file) => fs.readFileSync(file, 'utf8').split(/(?<=[.!?])\s+|\n/));
}
