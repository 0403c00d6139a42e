// Problems panel: unregistered officials, ambiguous short names, links to unknown ids and other scan
// problems in open articles; registry problems at their line:column; checklists whose article
// changed since they were generated. The computing is in the core; this file only places results.
import * as vscode from 'vscode';
import { isChecklistStale } from '../core/checklist';
import type { Mention, ScanResult } from '../core/types';
import { articleUriFor } from './checklistWriter';
import { problemRange, spanToRange, toDiagnosticSeverity } from './convert';
import { isArticle, isChecklist } from './documentAnalysis';
import { readText } from './registryStore';
import type { AttacheServices } from './services';

export const DIAGNOSTIC_SOURCE = 'attache';
export const Codes = {
  unregistered: 'attache.unregistered',
  ambiguous: 'attache.ambiguous',
  staleChecklist: 'attache.staleChecklist',
  fallback: 'attache.parserFallback',
} as const;

const UNREGISTERED_SEVERITY: Record<string, vscode.DiagnosticSeverity | null> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
  off: null,
};

function diagnostic(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity, code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = code;
  return d;
}

/** An ambiguous short mention: it could be one of several entities of this document. */
export function isAmbiguous(m: Mention): boolean {
  return (m.candidates?.length ?? 0) > 1;
}

export function articleDiagnostics(document: vscode.TextDocument, result: ScanResult): vscode.Diagnostic[] {
  const out: vscode.Diagnostic[] = [];
  const setting = vscode.workspace.getConfiguration('attache', document).get<string>('diagnostics.unregistered', 'information');
  const unregistered = UNREGISTERED_SEVERITY[setting] ?? null;
  if (unregistered !== null) {
    for (const entity of result.entities) {
      // An official: a person named with a title. One diagnostic per entity, at its first mention.
      const first = entity.mentions[0];
      if (entity.id || entity.type !== 'person' || !first || !(entity.title ?? entity.mentions.some((m) => m.title))) continue;
      out.push(diagnostic(spanToRange(document, first), `${entity.name} is not in the registry`, unregistered, Codes.unregistered));
    }
  }
  const ambiguous = result.mentions.filter(isAmbiguous);
  for (const m of ambiguous) {
    const names = (m.candidates ?? []).map((key) => result.entities.find((e) => e.key === key)?.name ?? key);
    out.push(diagnostic(spanToRange(document, m), `“${m.text}” could be ${names.join(' or ')}: link the one meant`, vscode.DiagnosticSeverity.Warning, Codes.ambiguous));
  }
  for (const p of result.problems) {
    // The core may also report ambiguity; the mention-based diagnostic above already covers it.
    if (p.span && ambiguous.some((m) => m.start === p.span!.start && m.end === p.span!.end)) continue;
    const range = p.span ? spanToRange(document, p.span) : problemRange(p);
    out.push(diagnostic(range, p.message, toDiagnosticSeverity(p.severity), p.rule));
  }
  if (result.prose.fallback) {
    out.push(diagnostic(new vscode.Range(0, 0, 0, 0), 'Part of this document was too costly for the full markdown parser; a simpler, linear reader was used there, so some markup may be read as prose.', vscode.DiagnosticSeverity.Information, Codes.fallback));
  }
  return out;
}

async function checklistDiagnostics(document: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const article = articleUriFor(document.uri);
  const articleText = article ? await readText(article) : null;
  if (articleText === null || !isChecklistStale(document.getText(), articleText)) return [];
  const line = Math.max(0, document.getText().split('\n').findIndex((l) => l.startsWith('articleHash:')));
  const range = document.lineAt(line).range;
  return [diagnostic(range, 'The article changed since this checklist was generated: regenerate it to pick up new or changed commitments.', vscode.DiagnosticSeverity.Warning, Codes.staleChecklist)];
}

export function registerDiagnostics(services: AttacheServices): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  let registryUris: vscode.Uri[] = [];

  const update = async (document: vscode.TextDocument): Promise<void> => {
    if (document.isClosed) return;
    if (isArticle(document)) collection.set(document.uri, articleDiagnostics(document, services.analysis.get(document)));
    else if (document.languageId === 'markdown' && isChecklist(document.uri)) collection.set(document.uri, await checklistDiagnostics(document));
  };
  const updateOpen = (): void => {
    for (const d of vscode.workspace.textDocuments) void update(d);
  };
  const updateRegistry = (): void => {
    for (const uri of registryUris) collection.delete(uri);
    const all = services.registry.problems();
    registryUris = all.map((f) => f.uri);
    for (const { uri, problems } of all) {
      collection.set(uri, problems.map((p) => diagnostic(problemRange(p), p.message, toDiagnosticSeverity(p.severity), p.rule)));
    }
  };
  updateOpen();
  updateRegistry();

  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument((d) => void update(d)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (!services.registry.isRegistryFile(d.uri)) collection.delete(d.uri);
    }),
    services.analysis.onDidChange((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) void update(document);
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isChecklist(e.document.uri) && e.contentChanges.length > 0) void update(e.document);
    }),
    // An article edited (or saved) elsewhere can make an open checklist stale.
    services.index.onDidChange(() => {
      for (const d of vscode.workspace.textDocuments) if (isChecklist(d.uri)) void update(d);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('attache.diagnostics')) updateOpen();
    }),
    services.registry.onDidChangeProblems(updateRegistry),
  );
}
