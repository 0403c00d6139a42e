// The workbench features: commands, views, status bar, CodeLens, graph and export.
import * as vscode from 'vscode';
import { ChecklistWriter } from './checklistWriter';
import { registerCodeLens } from './codeLens';
import {
  AddSelectionToRegistryCommand,
  AddToRegistryCommand,
  CommandManager,
  GenerateChecklistCommand,
  OpenRegistryCommand,
  OpenRegistryEntryCommand,
  PickEntityCommand,
  RegenerateAllChecklistsCommand,
  ShowMentionsCommand,
} from './commands';
import { registerCommitmentsTree } from './commitmentsTree';
import { registerEntitiesTree } from './entitiesTree';
import { ExportAnnotationsCommand } from './exportCommand';
import { GraphPanel, ShowGraphCommand } from './graphView';
import type { AttacheServices } from './services';
import { registerStatusBar } from './statusBar';

export function registerWorkbench(services: AttacheServices): vscode.Disposable {
  const writer = new ChecklistWriter(services);
  const graph = new GraphPanel(services);
  const commands = new CommandManager();
  commands.register(new GenerateChecklistCommand(writer));
  commands.register(new RegenerateAllChecklistsCommand(writer));
  commands.register(new AddSelectionToRegistryCommand(services));
  commands.register(new OpenRegistryCommand(services));
  commands.register(new OpenRegistryEntryCommand(services));
  commands.register(new AddToRegistryCommand(services));
  commands.register(new PickEntityCommand(services));
  commands.register(new ShowMentionsCommand(services));
  commands.register(new ShowGraphCommand(graph));
  commands.register(new ExportAnnotationsCommand(services));
  return vscode.Disposable.from(
    commands,
    graph,
    registerEntitiesTree(services),
    registerCommitmentsTree(services),
    registerStatusBar(services),
    registerCodeLens(services),
  );
}
