// The article's own date: front matter `date`, else a labelled date line, a dateline or the first
// full date near the top. Only dates whose day, month and year are all stated count: a dateline
// without a year takes a year written nearby, or gives no date at all rather than a guess.
import * as chrono from 'chrono-node';
import type { ProseDocument } from './types';

const FRONT_MATTER_KEYS = ['date', 'published', 'publishDate', 'pubDate'];
/** How far down the article the date is looked for. */
const TOP_BLOCKS = 5;
const TOP_CHARS = 600;
/** Parsers tried in turn: English, then French, Spanish and German datelines. */
const PARSERS: chrono.Chrono[] = [chrono.strict, chrono.fr.strict, chrono.es.strict, chrono.de.strict];
const DATE_LABEL = /\b(?:date|dated|published|posted|updated|issued)\b\s*:?\s*/gi;
/** "Nairobi, March 14 —", "NEW DELHI, 9 October:" — a place, a comma, a date, a dash or colon. */
const DATELINE = /^\s*\p{Lu}[\p{L}\p{M} .'’-]{0,40},\s*([^—–:\n]{3,40}?)\s*(?:[—–:]|--|-\s)/u;

interface DayDate {
  year: number | null;
  month: number;
  day: number;
}

export function findArticleDate(doc: ProseDocument): string | null {
  const fromFrontMatter = frontMatterDate(doc.frontMatter?.data ?? {});
  if (fromFrontMatter) return fromFrontMatter;
  const top = topText(doc);
  if (!top) return null;
  for (const label of top.matchAll(DATE_LABEL)) {
    const after = (label.index as number) + label[0].length;
    const labelled = firstDate(top.slice(after, after + 40), true);
    if (labelled && labelled.index === 0) return format(labelled.date);
  }
  const dateline = DATELINE.exec(top);
  if (dateline) {
    const found = firstDate(dateline[1], false);
    if (found) {
      const year = found.date.year ?? yearInSight(top.slice(dateline[0].length));
      return year === null ? null : format({ ...found.date, year });
    }
  }
  const lead = firstDate(top, true);
  return lead ? format(lead.date) : null;
}

function frontMatterDate(data: Record<string, unknown>): string | null {
  for (const key of FRONT_MATTER_KEYS) {
    const value = data[key];
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
    if (typeof value !== 'string') continue;
    const found = firstDate(value.slice(0, 100), true);
    if (found) return format(found.date);
  }
  return null;
}

/** The prose of the first few blocks, joined by line breaks: all the article date is read from, with the front matter. */
export function topText(doc: ProseDocument): string {
  const first = doc.blocks[0];
  if (!first) return '';
  return doc.blocks
    .slice(0, TOP_BLOCKS)
    .filter((b) => b.start < first.start + TOP_CHARS)
    .map((b) => doc.prose.slice(b.start, Math.min(b.end, first.start + TOP_CHARS)))
    .join('\n');
}

/** A whole text that is an ISO date ("2026-01-07", as front matter has it). */
const ISO_DATE = /^([1-9]\d{3})-(\d{2})-(\d{2})$/;

/** The first date in `text` with a stated day and month (and a stated year when `needYear`). */
function firstDate(text: string, needYear: boolean): { date: DayDate; index: number } | null {
  // A valid ISO date (front matter's usual form) is what chrono would read (a test holds them to it), without its four parsers.
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    const valid = new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day && month >= 1 && month <= 12;
    if (valid) return { date: { year, month, day }, index: 0 };
  }
  for (const parser of PARSERS) {
    for (const r of parser.parse(text)) {
      const s = r.start;
      if (!s.isCertain('day') || !s.isCertain('month')) continue;
      const year = s.isCertain('year') ? (s.get('year') as number) : null;
      if (needYear && year === null) continue;
      return { date: { year, month: s.get('month') as number, day: s.get('day') as number }, index: r.index };
    }
  }
  return null;
}

function yearInSight(text: string): number | null {
  const m = /\b(19\d\d|20\d\d)\b/.exec(text);
  return m ? Number(m[1]) : null;
}

function format(d: DayDate): string {
  const pad = (n: number, w: number): string => String(n).padStart(w, '0');
  return `${pad(d.year ?? 0, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}
