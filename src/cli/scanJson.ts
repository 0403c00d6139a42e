// The `attache scan` JSON contract (other tools rely on it: keep it exact).
import type { ScanResult } from '../core/types';

export interface ScanJson {
  file: string;
  date: string | null;
  entities: { start: number; end: number; text: string; type: string; id: string | null }[];
  commitments: { start: number; end: number; text: string; kind: string; actors: string[]; due: string | null; recurrence: string | null }[];
}

export function scanJson(file: string, r: ScanResult): ScanJson {
  return {
    file,
    date: r.date,
    entities: r.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text, type: m.type, id: m.id })),
    commitments: r.commitments.map((c) => ({
      start: c.start,
      end: c.end,
      text: c.text,
      kind: c.kind,
      actors: c.actors,
      due: c.due,
      recurrence: c.recurrence,
    })),
  };
}
