// The sentences and lines of the fixture articles, for checks that a gate or a pre-screen never hides
// a match in real text.
import fs from 'node:fs';
import path from 'node:path';

const DIRS = ['test/fixtures/articles', 'test/fixtures/commitments', 'test/fixtures/heldout', 'test/fixtures/heldout-commitments'];

/** Every sentence (split after . ! ?) and line of the fixture articles. */
export function fixtureLines(): string[] {
  const files = DIRS.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.md')).map((f) => path.join(d, f)));
  return files.flatMap((file) => fs.readFileSync(file, 'utf8').split(/(?<=[.!?])\s+|\n/));
}
