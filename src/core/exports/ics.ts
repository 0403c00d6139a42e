// Commitments as an iCalendar file: one all-day VEVENT per dated or recurring commitment.
// VEVENT rather than VTODO because the `ics` package writes only events, and Google Calendar and
// Outlook ignore VTODO on import. A partial due date (YYYY, YYYY-MM) falls on the period's last day.
import { createEvents, type DateArray, type EventAttributes } from 'ics';
import { commitmentIds, describeRecurrence, hashString, parseDuration } from '../checklist';
import type { Commitment, ScanResult } from '../types';

/** The last day a due date allows: 2027 → 2027-12-31, 2027-02 → 2027-02-28. */
export function dueDay(due: string): DateArray | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(due);
  if (!m) return null;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 12;
  const day = m[3] ? Number(m[3]) : new Date(Date.UTC(year, month, 0)).getUTCDate();
  return [year, month, day];
}

/** An ISO-8601 duration as an RRULE: P3M → FREQ=MONTHLY;INTERVAL=3. Null for shapes a rule cannot say. */
export function recurrenceRule(duration: string): string | null {
  const d = parseDuration(duration);
  if (!d) return null;
  const { years, months, weeks, days } = d;
  const rule = (freq: string, n: number): string => (n === 1 ? `FREQ=${freq}` : `FREQ=${freq};INTERVAL=${n}`);
  if (weeks || days) {
    if (years || months) return null;
    return days ? rule('DAILY', weeks * 7 + days) : rule('WEEKLY', weeks);
  }
  if (months) return rule('MONTHLY', years * 12 + months);
  return years ? rule('YEARLY', years) : null;
}

function nextDay([y, m, d]: DateArray): DateArray {
  const next = new Date(Date.UTC(y, m - 1, (d ?? 1) + 1));
  return [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()];
}

function event(c: Commitment, id: string, file: string, articleDate: string | null): EventAttributes | null {
  const rule = c.recurrence ? recurrenceRule(c.recurrence) : null;
  // A recurring commitment without a due date starts on the day of the article that states it.
  const start = (c.due && dueDay(c.due)) || (rule && articleDate ? dueDay(articleDate) : null);
  if (!start) return null;
  const stamp = dueDay(articleDate ?? '') ?? start;
  const details = [`“${c.text.trim()}”`, `Kind: ${c.kind}`];
  if (c.dueText) details.push(`Due: ${c.dueText}`);
  if (c.recurrence) details.push(`Repeats: ${describeRecurrence(c.recurrence)} (${c.recurrence})`);
  details.push(`Source: ${file}, line ${c.line}`);
  const attributes: EventAttributes & { timestamp: number } = {
    uid: `${id}.${hashString(file).slice(0, 8)}@attache`,
    title: `${c.actors.length ? `${c.actors.join(', ')}: ` : ''}${c.action}`,
    description: details.join('\n'),
    categories: ['Attaché', c.kind],
    start,
    end: nextDay(start),
    // DTSTAMP from the article, not the clock, so exporting twice gives the same file.
    timestamp: Date.UTC(stamp[0], stamp[1] - 1, stamp[2] ?? 1),
  };
  if (rule) attributes.recurrenceRule = rule;
  return attributes;
}

export function exportIcs(file: string, result: ScanResult): string {
  const ids = commitmentIds(result.commitments);
  const events = result.commitments.flatMap((c, i) => event(c, ids[i], file, result.date) ?? []);
  const { error, value } = createEvents(events, { productId: '-//Attaché//Commitments//EN', calName: `Commitments: ${file}` });
  if (error || value === null) throw new Error(`iCalendar export failed: ${error?.message ?? 'no output'}`);
  return value;
}
