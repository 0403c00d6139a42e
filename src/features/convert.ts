// The one place where core positions (UTF-16 offsets, 1-based line:column) become editor ranges.
import * as vscode from 'vscode';
import type { Position, Problem, Severity, Span } from '../core/types';
import { lineAt, lineStarts } from '../core/positions';

/** Anything that can turn an offset into a position: a TextDocument, or a LineStarts of indexed text. */
export interface OffsetMapper {
  positionAt(offset: number): vscode.Position;
}

export function spanToRange(doc: OffsetMapper, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

export function toVsPosition(p: Position): vscode.Position {
  return new vscode.Position(Math.max(0, p.line - 1), Math.max(0, p.column - 1));
}

/** A problem's place: its end when known, else the rest of its start line. */
export function problemRange(p: Problem): vscode.Range {
  const start = toVsPosition(p.start);
  const end = p.end ? toVsPosition(p.end) : new vscode.Position(start.line, Number.MAX_SAFE_INTEGER);
  return new vscode.Range(start, end.isBefore(start) ? start : end);
}

const SEVERITIES: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function toDiagnosticSeverity(s: Severity): vscode.DiagnosticSeverity {
  return SEVERITIES[s];
}

/**
 * Offsets → positions for text that is no longer kept in memory (the workspace index stores
 * thousands of documents): only where each line starts is remembered.
 */
export class LineStarts implements OffsetMapper {
  /** `starts`: the offset at which each line begins. */
  constructor(private readonly starts: Uint32Array) {}

  static of(text: string): LineStarts {
    return new LineStarts(Uint32Array.from(lineStarts(text)));
  }

  positionAt(offset: number): vscode.Position {
    const line = lineAt(this.starts, offset);
    return new vscode.Position(line, Math.max(0, offset - this.starts[line]));
  }
}

/** The smallest single replacement turning `before` into `after` (keeps undo and cursors tidy). */
export function minimalEdit(doc: OffsetMapper, before: string, after: string): vscode.TextEdit | null {
  if (before === after) return null;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) {
    endB--;
    endA--;
  }
  return vscode.TextEdit.replace(spanToRange(doc, { start, end: endB }), after.slice(start, endA));
}
