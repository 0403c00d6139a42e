// Very large and non-text documents in the editor: not analysed (no hang on a 50 MB log or a binary
// opened as markdown), and the analyst is told why, once per document. The rule is the core's
// `refusalFor`; this wraps the document analysis every feature reads through.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeRefusal, refusalFor, SAMPLE_LENGTH, type Refusal } from '../core/documentLimits';
import type { ScanResult } from '../core/types';
import { DocumentAnalysis, NOTHING_FOUND } from './documentAnalysis';
import type { RegistryStore } from './registryStore';

/** The refusal for a document, read without copying its whole text. */
export function refusalOf(document: vscode.TextDocument): Refusal | null {
  const end = document.lineAt(document.lineCount - 1).range.end;
  const length = document.offsetAt(end);
  const head = document.getText(new vscode.Range(new vscode.Position(0, 0), document.positionAt(SAMPLE_LENGTH)));
  return refusalFor(length, head);
}

export class LimitedDocumentAnalysis extends DocumentAnalysis {
  private readonly verdicts = new Map<string, { version: number; refusal: Refusal | null }>();
  /** Documents already told about, with the kind of refusal, so one document gets one message. */
  private readonly told = new Map<string, Refusal['kind']>();
  private readonly closed: vscode.Disposable;

  constructor(registry: RegistryStore, private readonly tell: (message: string) => void) {
    super(registry);
    this.closed = vscode.workspace.onDidCloseTextDocument((d) => {
      this.verdicts.delete(d.uri.toString());
      this.told.delete(d.uri.toString());
    });
  }

  override get(document: vscode.TextDocument): ScanResult {
    const refusal = this.refusal(document);
    if (!refusal) return super.get(document);
    const key = document.uri.toString();
    if (this.told.get(key) !== refusal.kind) {
      this.told.set(key, refusal.kind);
      this.tell(describeRefusal(refusal, path.posix.basename(document.uri.path)));
    }
    return NOTHING_FOUND;
  }

  override current(document: vscode.TextDocument, waitMs?: number): Promise<ScanResult> {
    return this.refusal(document) ? Promise.resolve(this.get(document)) : super.current(document, waitMs);
  }

  /** The refusal for this version of the document (null when it is analysed). */
  refusal(document: vscode.TextDocument): Refusal | null {
    const key = document.uri.toString();
    const known = this.verdicts.get(key);
    if (known && known.version === document.version) return known.refusal;
    const refusal = refusalOf(document);
    this.verdicts.set(key, { version: document.version, refusal });
    if (!refusal) this.told.delete(key);
    return refusal;
  }

  override dispose(): void {
    this.closed.dispose();
    super.dispose();
  }
}
