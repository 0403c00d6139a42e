// The manifest's welcome content and walkthrough: every command link names a command that exists,
// and every file a step shows exists and is packaged (.vscodeignore keeps it).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

interface Manifest {
  name: string;
  publisher: string;
  contributes: {
    commands: { command: string }[];
    viewsWelcome: { view: string; contents: string; when?: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; steps: { id: string; description: string; media: { markdown?: string; image?: string }; completionEvents?: string[] }[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as Manifest;
/** Commands of VS Code itself that the welcome content may link to. */
const WORKBENCH = new Set(['workbench.action.quickOpen']);

/** Whether vsce would package `file`: the last .vscodeignore pattern that matches it decides. */
function packaged(file: string): boolean {
  let included = true;
  for (const raw of fs.readFileSync('.vscodeignore', 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const glob = negated ? line.slice(1) : line;
    const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
    if (new RegExp(`^${pattern}$`).test(file)) included = negated;
  }
  return included;
}

const commandLinks = (text: string): string[] => [...text.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]);

describe('manifest: welcome content and walkthrough', () => {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

  it('links only to commands that exist', () => {
    const texts = [...manifest.contributes.viewsWelcome.map((w) => w.contents), ...manifest.contributes.walkthroughs.flatMap((w) => w.steps.map((s) => s.description))];
    const links = texts.flatMap(commandLinks);
    assert.ok(links.length >= 5, `${links.length} command links`);
    for (const command of links) assert.ok(contributed.has(command) || WORKBENCH.has(command), command);
  });

  it('gives each view a welcome while the index builds and one once it is built', () => {
    for (const view of Object.values(manifest.contributes.views).flat()) {
      const welcomes = manifest.contributes.viewsWelcome.filter((w) => w.view === view.id);
      // Exactly one shows in any state of the two keys (unset before activation: indexing).
      const showing = (indexed: boolean, indexing: boolean): string[] => welcomes.filter((w) => {
        const when = w.when ?? '';
        if (when === 'attache.indexed && !attache.indexing') return indexed && !indexing;
        if (when === '!attache.indexed || attache.indexing') return !indexed || indexing;
        throw new Error(`unexpected when clause: ${when}`);
      }).map((w) => w.contents);
      for (const indexing of [false, true]) assert.match(showing(false, indexing).join('|'), /^Indexing[^|]*$/, view.id);
      assert.match(showing(true, true).join('|'), /^Indexing[^|]*$/, view.id);
      assert.match(showing(true, false).join('|'), /^No [^|]*$/, view.id);
    }
  });

  it('completes steps on commands and views that exist', () => {
    const views = new Set(Object.values(manifest.contributes.views).flat().map((v) => v.id));
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
      assert.ok(step.completionEvents?.length, `${step.id} says when it is done`);
      for (const event of step.completionEvents ?? []) {
        const [kind, arg] = event.split(':');
        if (kind === 'onCommand') assert.ok(contributed.has(arg), event);
        else if (kind === 'onView') assert.ok(views.has(arg), event);
        else assert.ok(['onLanguage', 'onStepSelected'].includes(kind), event);
      }
    }
  });

  it('shows files that exist and are packaged, with the images they use', () => {
    for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
      const file = step.media.markdown ?? step.media.image ?? '';
      assert.ok(fs.existsSync(file), `${step.id}: ${file}`);
      assert.ok(packaged(file), `${file} is packaged`);
      if (!step.media.markdown) continue;
      for (const [, image] of fs.readFileSync(file, 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), image));
        assert.ok(fs.existsSync(target), `${file} shows ${target}`);
        assert.ok(packaged(target), `${target} is packaged`);
      }
    }
    assert.equal(packaged('media/screenshots/highlights.png'), false, 'the README-only screenshots stay out');
  });
});
