// Interop exports of one scanned document: W3C Web Annotation, brat standoff, CSV, iCalendar.
import type { ScanResult } from '../types';
import { exportBrat } from './brat';
import { exportCsv } from './csv';
import { exportIcs } from './ics';
import { exportW3c } from './w3c';

export type ExportFormat = 'w3c' | 'brat' | 'csv' | 'ics';
export const EXPORT_FORMATS: ExportFormat[] = ['w3c', 'brat', 'csv', 'ics'];

export function exportAnnotations(format: ExportFormat, input: { file: string; text: string; result: ScanResult }): string {
  const { file, text, result } = input;
  switch (format) {
    case 'w3c':
      return exportW3c(file, text, result);
    case 'brat':
      return exportBrat(text, result);
    case 'csv':
      return exportCsv(result);
    case 'ics':
      return exportIcs(file, result);
  }
}
