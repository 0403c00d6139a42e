// The one atomic write: temporary file + rename, and never over a change made on disk meanwhile.
// Driven through an in-memory file system that can change a file "behind our back" between reads.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { AtomicFiles, ChangedOnDiskError, type FileSystem, type FileUri } from '../../src/features/fileWrites';

class MemUri implements FileUri {
  constructor(readonly path: string) {}
  with(change: { path: string }): MemUri {
    return new MemUri(change.path);
  }
}

class NotFound extends Error {
  readonly code = 'FileNotFound';
}

/** Files and folders in memory; `onRead` runs before each read (another writer acting), `failRename` breaks renames. */
class MemoryFs implements FileSystem {
  readonly files = new Map<string, string>();
  readonly folders = new Set<string>(['/']);
  readonly log: string[] = [];
  onRead: (path: string) => void = () => undefined;
  failRename = false;

  async readFile(uri: FileUri): Promise<Uint8Array> {
    this.onRead(uri.path);
    const text = this.files.get(uri.path);
    if (text === undefined) throw new NotFound(uri.path);
    return new TextEncoder().encode(text);
  }
  async writeFile(uri: FileUri, content: Uint8Array): Promise<void> {
    if (!this.folders.has(path.posix.dirname(uri.path))) throw new NotFound(path.posix.dirname(uri.path));
    this.log.push(`write ${uri.path}`);
    this.files.set(uri.path, new TextDecoder().decode(content));
  }
  async rename(source: FileUri, target: FileUri): Promise<void> {
    if (this.failRename) throw new Error('disk full');
    this.log.push(`rename ${path.posix.basename(source.path)} → ${target.path}`);
    this.files.set(target.path, this.files.get(source.path)!);
    this.files.delete(source.path);
  }
  async delete(uri: FileUri): Promise<void> {
    this.files.delete(uri.path);
  }
  async createDirectory(uri: FileUri): Promise<void> {
    for (let p = uri.path; p !== '/'; p = path.posix.dirname(p)) this.folders.add(p);
  }
}

const uri = (p: string): MemUri => new MemUri(p);

describe('AtomicFiles', () => {
  it('reads undefined for a missing file and the text of an existing one', async () => {
    const fs = new MemoryFs();
    fs.files.set('/a.md', 'héllo');
    const files = new AtomicFiles(fs);
    assert.equal(await files.read(uri('/a.md')), 'héllo');
    assert.equal(await files.read(uri('/missing.md')), undefined);
  });

  it('writes through a temporary file beside the target, creating the folder, and leaves no temporary file', async () => {
    const fs = new MemoryFs();
    await new AtomicFiles(fs).replace(uri('/ws/.attache/registry.yaml'), 'entities: []\n');
    assert.equal(fs.files.get('/ws/.attache/registry.yaml'), 'entities: []\n');
    assert.deepEqual([...fs.files.keys()], ['/ws/.attache/registry.yaml']);
    assert.equal(fs.log.length, 2);
    assert.match(fs.log[0], /^write \/ws\/\.attache\/\.registry\.yaml\.\w+\.tmp$/);
    assert.match(fs.log[1], /^rename \.registry\.yaml\.\w+\.tmp → \/ws\/\.attache\/registry\.yaml$/);
  });

  it('keeps the old file and removes the temporary one when the rename fails', async () => {
    const fs = new MemoryFs();
    fs.files.set('/a.md', 'old');
    fs.failRename = true;
    await assert.rejects(new AtomicFiles(fs).replace(uri('/a.md'), 'new'), /disk full/);
    assert.deepEqual([...fs.files.entries()], [['/a.md', 'old']]);
  });

  it('creates a missing file from undefined, and writes nothing when the change changes nothing', async () => {
    const fs = new MemoryFs();
    const files = new AtomicFiles(fs);
    assert.equal(await files.update(uri('/c.md'), (existing) => (existing ?? '') + 'first\n'), true);
    assert.equal(fs.files.get('/c.md'), 'first\n');
    const writes = fs.log.length;
    assert.equal(await files.update(uri('/c.md'), (existing) => existing ?? ''), false);
    assert.equal(fs.log.length, writes);
  });

  it('re-applies the change to a file changed on disk while it worked: the other write is kept', async () => {
    const fs = new MemoryFs();
    fs.files.set('/list.md', '- [x] ticked by the analyst\n');
    let reads = 0;
    // Between our first read and the check before writing, a sync tool adds a line.
    fs.onRead = () => {
      if (++reads === 2) fs.files.set('/list.md', fs.files.get('/list.md') + '- [ ] added elsewhere\n');
    };
    const seen: Array<string | undefined> = [];
    const written = await new AtomicFiles(fs).update(uri('/list.md'), (existing) => {
      seen.push(existing);
      return `${existing ?? ''}- [ ] regenerated\n`;
    });
    assert.equal(written, true);
    assert.equal(seen.length, 2, 'the change ran again on the newer text');
    assert.equal(fs.files.get('/list.md'), '- [x] ticked by the analyst\n- [ ] added elsewhere\n- [ ] regenerated\n');
  });

  it('gives up without writing when the file keeps changing', async () => {
    const fs = new MemoryFs();
    fs.files.set('/busy.md', 'v0');
    let version = 0;
    fs.onRead = () => fs.files.set('/busy.md', `v${++version}`);
    await assert.rejects(new AtomicFiles(fs).update(uri('/busy.md'), (t) => `${t}+ours`), ChangedOnDiskError);
    assert.doesNotMatch(fs.files.get('/busy.md')!, /ours/);
    assert.ok(!fs.log.some((l) => l.startsWith('write')), 'nothing was written');
  });

  it('passes on errors other than a missing file', async () => {
    const fs = new MemoryFs();
    fs.onRead = () => {
      throw Object.assign(new Error('permission denied'), { code: 'NoPermissions' });
    };
    await assert.rejects(new AtomicFiles(fs).update(uri('/x.md'), () => 'x'), /permission denied/);
    assert.equal(fs.files.size, 0);
  });
});
