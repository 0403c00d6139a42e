// Where `attache.registry.files` may point: inside the workspace folder only. A workspace's settings
// must not make the extension read (or write new entries to) files elsewhere on the machine.
import * as path from 'node:path';

/** A configured path (relative to the folder, or absolute) as a path relative to the folder; null when it is outside. */
export function relativeInside(folder: string, pattern: string): string | null {
  const relative = path.relative(folder, path.resolve(folder, pattern.trim()));
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}
