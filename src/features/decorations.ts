// Highlights: one decoration type per entity type and link state (registry-linked: solid underline;
// detected only: dashed), coloured by themable colours. Applied at once when an editor shows, and
// after the analysis settles while typing (DocumentAnalysis debounces); for a large document as soon
// as a worker has the mentions, before the rest of its analysis. Ranges come from a line table in
// one pass over the mentions; in a document with many, the lines in view are decorated first.
import * as vscode from 'vscode';
import { highlightRanges, type Look, type PackedHighlights, STYLES } from '../core/highlights';
import { lineStarts } from '../core/positions';
import { ENTITY_TYPES, type EntityType } from '../core/types';
import { isArticle } from './documentAnalysis';
import type { AttacheServices } from './services';

/** Above this many highlights the lines in view are decorated first, the rest on the next turn. */
const VISIBLE_FIRST_ABOVE = 2_000;

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

/** [line, character, line, character] quads as editor ranges. */
function toRanges(quads: readonly number[]): vscode.Range[] {
  const ranges: vscode.Range[] = new Array(quads.length / 4);
  for (let i = 0; i < quads.length; i += 4) ranges[i / 4] = new vscode.Range(quads[i], quads[i + 1], quads[i + 2], quads[i + 3]);
  return ranges;
}

/** What was last applied to an editor, kept to skip a repeat and to answer the test command. */
interface Applied {
  version: number;
  packed: PackedHighlights;
  enabled: ReadonlySet<EntityType>;
}

const NONE: PackedHighlights = new Int32Array(0);

export function registerDecorations(services: AttacheServices): vscode.Disposable {
  const kinds = STYLES.map(({ type, look }) => createType(type, look));
  const applied = new WeakMap<vscode.TextEditor, Applied>();
  const lines = new WeakMap<vscode.TextDocument, { version: number; starts: number[] }>();
  /** The full pass each editor still waits for, so that a newer decoration cancels an older one's. */
  const pending = new WeakMap<vscode.TextEditor, ReturnType<typeof setTimeout>>();

  const lineTable = (document: vscode.TextDocument): number[] => {
    const known = lines.get(document);
    if (known?.version === document.version) return known.starts;
    const starts = lineStarts(document.getText());
    lines.set(document, { version: document.version, starts });
    return starts;
  };

  const apply = (editor: vscode.TextEditor, ranges: number[][]): void => {
    // All ranges of a type in one call: the editor redraws once per type.
    kinds.forEach((kind, style) => editor.setDecorations(kind, toRanges(ranges[style])));
  };

  const decorate = (editor: vscode.TextEditor, force = false): void => {
    const document = editor.document;
    const packed = isArticle(document) ? services.analysis.highlights(document) : NONE;
    const last = applied.get(editor);
    if (!force && last?.packed === packed && last.version === document.version) return;
    const enabled = enabledTypes(document);
    applied.set(editor, { version: document.version, packed, enabled });
    clearTimeout(pending.get(editor));
    const starts = lineTable(document);
    const visible = editor.visibleRanges;
    if (packed.length / 3 <= VISIBLE_FIRST_ABOVE || visible.length === 0) return apply(editor, highlightRanges(packed, starts, enabled));
    apply(editor, highlightRanges(packed, starts, enabled, { fromLine: visible[0].start.line, toLine: visible[visible.length - 1].end.line }));
    pending.set(editor, setTimeout(() => {
      if (applied.get(editor)?.packed === packed) apply(editor, highlightRanges(packed, starts, enabled));
    }, 0));
  };
  const decorateVisible = (force = false): void => vscode.window.visibleTextEditors.forEach((e) => decorate(e, force));
  decorateVisible();

  const decorateDocument = (uri: vscode.Uri): void => {
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri.toString()) decorate(editor);
  };

  return vscode.Disposable.from(
    ...kinds,
    vscode.window.onDidChangeVisibleTextEditors(() => decorateVisible()),
    services.analysis.onDidChange(decorateDocument),
    services.analysis.onDidHighlight(decorateDocument),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('attache.highlight')) decorateVisible(true);
    }),
    vscode.commands.registerCommand('attache._decorationsForTest', () => {
      const editor = vscode.window.activeTextEditor;
      const last = editor && applied.get(editor);
      return editor && last ? snapshotOf(editor.document, last) : undefined;
    }),
  );
}

/** The decorated text per type and look, as last applied. */
function snapshotOf(document: vscode.TextDocument, { packed, enabled }: Applied): DecorationsSnapshot {
  const snapshot = Object.fromEntries(ENTITY_TYPES.map((t) => [t, { linked: [], detected: [] }])) as unknown as DecorationsSnapshot;
  const text = document.getText();
  for (let i = 0; i < packed.length; i += 3) {
    const { type, look } = STYLES[packed[i + 2]];
    if (enabled.has(type)) snapshot[type][look].push({ text: text.slice(packed[i], packed[i + 1]), start: packed[i], end: packed[i + 1] });
  }
  return snapshot;
}
