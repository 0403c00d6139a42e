// Commitments as CSV, one row per commitment (RFC 4180: quoted fields, CRLF line ends).
import { stringify } from 'csv-stringify/sync';
import type { ScanResult } from '../types';

export const CSV_COLUMNS = ['actors', 'action', 'kind', 'due', 'recurrence', 'line', 'quote'] as const;

/** Spreadsheets run a cell that starts with = + - @ as a formula; a leading apostrophe keeps it text (OWASP). */
function cell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function exportCsv(result: ScanResult): string {
  const rows = result.commitments.map((c) => [
    cell(c.actors.join('; ')),
    cell(c.action),
    c.kind,
    c.due ?? '',
    c.recurrence ?? '',
    c.line,
    cell(c.text.trim()),
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], record_delimiter: 'windows' });
}
