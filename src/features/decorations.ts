// Highlights: one decoration type per entity type and link state (registry-linked: solid underline;
// detected only: dashed), coloured by themable colours. Applied at once when an editor shows, and
// after the analysis settles while typing (DocumentAnalysis debounces).
import * as vscode from 'vscode';
import { ENTITY_TYPES, type EntityType, type Mention } from '../core/types';
import { spanToRange } from './convert';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

type Look = 'linked' | 'detected';
const LOOKS: readonly Look[] = ['linked', 'detected'];

/** What a test sees of the highlights of the active editor: the decorated text per type and look. */
export type DecorationsSnapshot = Record<EntityType, Record<Look, Array<{ text: string; start: number; end: number }>>>;

function createType(type: EntityType, look: Look): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor(`attache.${type}.background`),
    borderColor: new vscode.ThemeColor(`attache.${type}.border`),
    borderStyle: look === 'linked' ? 'none none solid none' : 'none none dashed none',
    borderWidth: '0 0 2px 0',
    overviewRulerColor: look === 'linked' ? new vscode.ThemeColor(`attache.${type}.border`) : undefined,
    overviewRulerLane: vscode.OverviewRulerLane.Center,
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
}

function enabledTypes(document: vscode.TextDocument): Set<EntityType> {
  const config = vscode.workspace.getConfiguration('attache', document);
  if (!config.get<boolean>('highlight.enabled', true)) return new Set();
  const types = config.get<Partial<Record<EntityType, boolean>>>('highlight.types', {});
  return new Set(ENTITY_TYPES.filter((t) => types?.[t] !== false));
}

export function registerDecorations(services: AttacheServices): vscode.Disposable {
  const kinds = new Map<string, vscode.TextEditorDecorationType>();
  for (const type of ENTITY_TYPES) for (const look of LOOKS) kinds.set(`${type}/${look}`, createType(type, look));
  const applied = new WeakMap<vscode.TextEditor, DecorationsSnapshot>();

  const decorate = (editor: vscode.TextEditor): void => {
    const document = editor.document;
    const grouped = new Map<string, Mention[]>([...kinds.keys()].map((k) => [k, []]));
    if (isArticle(document)) {
      const enabled = enabledTypes(document);
      for (const m of services.analysis.get(document).mentions) {
        if (enabled.has(m.type)) grouped.get(`${m.type}/${m.id ? 'linked' : 'detected'}`)?.push(m);
      }
    }
    const snapshot = {} as DecorationsSnapshot;
    for (const type of ENTITY_TYPES) {
      snapshot[type] = { linked: [], detected: [] };
      for (const look of LOOKS) {
        const mentions = grouped.get(`${type}/${look}`) ?? [];
        // All ranges of a type in one call: the editor redraws once per type.
        editor.setDecorations(kinds.get(`${type}/${look}`)!, mentions.map((m) => spanToRange(document, m)));
        snapshot[type][look] = mentions.map((m) => ({ text: m.text, start: m.start, end: m.end }));
      }
    }
    applied.set(editor, snapshot);
  };
  const decorateVisible = (): void => vscode.window.visibleTextEditors.forEach(decorate);
  decorateVisible();

  return vscode.Disposable.from(
    ...kinds.values(),
    vscode.window.onDidChangeVisibleTextEditors(decorateVisible),
    services.analysis.onDidChange((uri) => {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri.toString()) decorate(editor);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('attache.highlight')) decorateVisible();
    }),
    vscode.commands.registerCommand('attache._decorationsForTest', () => {
      const editor = vscode.window.activeTextEditor;
      return editor ? applied.get(editor) : undefined;
    }),
  );
}
