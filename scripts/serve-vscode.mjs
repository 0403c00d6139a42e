// `npm start` without desktop VS Code: serves VS Code (code-server 4.100.3) on 127.0.0.1 with the
// sample workspace and this repo's extension loaded live from dist/ (rebuild, then "Reload Window"),
// and prints the URL to open. Runs until Ctrl-C, then stops code-server and everything it started.
//
// Usage: node scripts/serve-vscode.mjs [folder]   (default: samples/workspace; env PORT picks the port)
import fs from 'node:fs';
import path from 'node:path';
import { ensureCodeServer } from './setup-vscode.mjs';
import { root, createSandbox, freePort, startCodeServer, workbenchUrl, stopProcessTree } from './vscode-harness.mjs';

ensureCodeServer();
const folder = path.resolve(process.argv[2] ?? path.join(root, 'samples/workspace'));
const sandbox = createSandbox('start', { copyWorkspace: false });
const port = Number(process.env.PORT) || (await freePort());
const codeServer = await startCodeServer(sandbox, port);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server');
  await stopProcessTree(codeServer.pid);
  fs.rmSync(sandbox.dir, { recursive: true, force: true });
  process.exit(0);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, stop);
codeServer.once('exit', (code) => {
  if (stopping) return;
  console.error(`code-server exited (${code}); its log: ${sandbox.log}`);
  process.exit(1);
});

console.log(`VS Code is serving ${path.relative(process.cwd(), folder) || folder} with Attaché loaded from ${root}`);
console.log(`Open this URL in a browser (Ctrl-C stops it):\n\n  ${workbenchUrl(port, folder, [['extensionDevelopmentPath', root]])}\n`);
