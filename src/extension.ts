// Wiring only: build the shared services, register each feature, hand back a small API for tests.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { registerCodeActions } from './features/codeActions';
import { registerCompletion } from './features/completion';
import { registerDecorations } from './features/decorations';
import { registerDefinition } from './features/definition';
import { registerDiagnostics } from './features/diagnostics';
import { registerHover } from './features/hover';
import { registerReferences } from './features/references';
import { registerRename } from './features/rename';
import { AttacheServices } from './features/services';
import { registerWorkbench } from './features/workbench';

export interface AttacheApi {
  services: AttacheServices;
}

export function activate(context: vscode.ExtensionContext): AttacheApi {
  const worker = path.join(context.extensionPath, 'dist', 'indexWorker.js');
  const services = new AttacheServices({
    storage: context.storageUri ?? context.globalStorageUri,
    indexWorker: fs.existsSync(worker) ? worker : undefined,
  });
  context.subscriptions.push(
    services,
    vscode.Disposable.from(
      registerDecorations(services),
      registerHover(services),
      registerDefinition(services),
      registerReferences(services),
      registerRename(services),
      registerCompletion(services),
      registerDiagnostics(services),
      registerCodeActions(services),
    ),
    registerWorkbench(services),
  );
  return { services };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
