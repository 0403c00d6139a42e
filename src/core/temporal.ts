// Time expressions of commitments: when something is due, and how often it recurs.
// Due dates are normalised against the article date (relative forms need it); recurrences are
// ISO-8601 durations. Every finder works on one sentence or clause, so the regexes stay linear.
import * as chrono from 'chrono-node';

export interface DueDate {
  /** YYYY, YYYY-MM or YYYY-MM-DD. */
  due: string;
  text: string;
  start: number;
  end: number;
}

export interface Recurrence {
  /** ISO-8601 duration, e.g. P3M. */
  recurrence: string;
  text: string;
  start: number;
  end: number;
}

interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

interface Candidate {
  value: string;
  start: number;
  end: number;
}

// ---------- numbers and calendar arithmetic ----------

const SMALL_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17,
  eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const UNIT_WORDS = 'one|two|three|four|five|six|seven|eight|nine';
const TEEN_WORDS = 'ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen';
const TENS_WORDS = Object.keys(TENS).join('|');
/** A count in digits or English words ("90", "six", "forty-five"); longest alternatives first. */
const NUMBER = `(?:\\d{1,3}|(?:${TENS_WORDS})(?:[-\\s](?:${UNIT_WORDS}))?|${TEEN_WORDS}|${UNIT_WORDS})`;

function parseNumber(word: string): number | null {
  const w = word.toLowerCase();
  if (/^\d+$/.test(w)) return Number(w);
  if (w in SMALL_NUMBERS) return SMALL_NUMBERS[w];
  const [tens, unit] = w.split(/[-\s]/);
  if (!(tens in TENS)) return null;
  return TENS[tens] + (unit ? (SMALL_NUMBERS[unit] ?? 0) : 0);
}

const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const MONTH = `(?:${MONTH_NAMES.join('|')}|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?)`;

function monthNumber(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  return MONTH_NAMES.findIndex((name) => name.startsWith(w.slice(0, 3))) + 1;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const yearMonth = (year: number, month: number): string => `${year}-${pad(month)}`;

function parseArticleDate(date: string | null): YearMonthDay | null {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(date) : null;
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

function addMonths(from: YearMonthDay, months: number): string {
  const index = from.year * 12 + (from.month - 1) + months;
  return yearMonth(Math.floor(index / 12), (index % 12) + 1);
}

function addDays(from: YearMonthDay, days: number): string {
  const d = new Date(Date.UTC(from.year, from.month - 1, from.day + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** A month named without a year is the next one on or after the article's month. */
function rollMonth(month: number, ref: YearMonthDay): string {
  return yearMonth(month < ref.month ? ref.year + 1 : ref.year, month);
}

/** "this year" / "next year" / "the coming year" / an explicit year → the year meant. */
function relativeYear(explicit: string | undefined, relative: string | undefined, ref: YearMonthDay | null): number | null {
  if (explicit) return Number(explicit);
  if (!ref) return null;
  return relative && /next|coming|following/i.test(relative) ? ref.year + 1 : ref.year;
}

// ---------- due dates ----------

const YEAR = '((?:19|20)\\d{2})';
const RELATIVE_YEAR = '(this|next|the\\s+current|the\\s+coming|the\\s+following)\\s+year';
/** "the beginning of", "early", "mid-" … leave the period itself unchanged. */
const PART_OF = '(?:(?:the\\s+)?(?:beginning|start|middle)\\s+of\\s+(?:the\\s+)?|(?:early|mid|late)[-\\s]+)';
/** For a month, "the end of" leaves it unchanged too (for a year it means December). */
/** Before an ordinal period: "the", "by the end of the" (the end of a quarter is still that quarter). */
const ORDINAL_LEAD = '(?:(?:the\\s+)?(?:end|close)\\s+of\\s+)?(?:the\\s+)?';
const PART_OF_MONTH = `(?:(?:the\\s+)?(?:end|close)\\s+of\\s+(?:the\\s+)?|${PART_OF})`;
const ORDINAL_HALVES: Record<string, number> = { first: 1, '1st': 1, second: 2, '2nd': 2 };
const ORDINAL_QUARTERS: Record<string, number> = {
  first: 1, '1st': 1, second: 2, '2nd': 2, third: 3, '3rd': 3, fourth: 4, '4th': 4, final: 4, last: 4,
};

/**
 * Convention for "the end of the fiscal year": the last month of the fiscal year of the country the
 * sentence names (March for Japan, India, the UK, Canada; June for Australia, Pakistan, Egypt, Kenya;
 * September for the United States), else December, the calendar year most governments use.
 */
const FISCAL_YEAR_ENDS: Array<[RegExp, number]> = [
  [/\b(?:Japan(?:ese)?|India(?:n)?|United\s+Kingdom|UK|British|Canad(?:a|ian)|Hong\s+Kong)\b/, 3],
  [/\b(?:Australia(?:n)?|Pakistan(?:i)?|Egypt(?:ian)?|Keny(?:a|an)|Bangladesh(?:i)?|New\s+Zealand)\b/, 6],
  [/\b(?:United\s+States|U\.S\.|US|American)\b/, 9],
];

function fiscalYearEnd(text: string): number {
  let best: { at: number; month: number } | null = null;
  for (const [pattern, month] of FISCAL_YEAR_ENDS) {
    const at = text.search(pattern);
    if (at >= 0 && (!best || at < best.at)) best = { at, month };
  }
  return best?.month ?? 12;
}

/** First month of each season, northern hemisphere (winter starts in December). */
const SEASON_STARTS: Record<string, number> = { spring: 3, summer: 6, autumn: 9, fall: 9, winter: 12 };

/**
 * A rule: words (lower case) one of which every match contains, each standing as a whole word or,
 * marked with a final "*", starting one; the pattern; what a match means. A text with none of the
 * words is not searched: most sentences name no time, and the searches are the cost.
 */
type DueRule = [readonly string[], RegExp, (m: RegExpExecArray, ref: YearMonthDay | null) => string | null];

/** The words MONTH matches (it is always followed by a space, a comma, a dot or the end). */
const MONTH_WORDS = [...MONTH_NAMES, 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec'];
/** Where MONTH may be followed by anything (DAY_ANCHOR). */
const MONTH_STARTS = MONTH_NAMES.map((name) => `${name.slice(0, 3)}*`);
const UNITS = ['day', 'week', 'fortnight', 'month', 'year'].flatMap((unit) => [unit, `${unit}s`]);
/** Every year that YEAR matches starts so. */
const CENTURIES = ['19*', '20*'];

const DUE_RULES: DueRule[] = [
  // "the second quarter of 2028", "the final quarter of this year", "the third quarter"
  [
    ['quarter*'],
    new RegExp(`\\b${ORDINAL_LEAD}(first|second|third|fourth|final|last|1st|2nd|3rd|4th)\\s+quarter(?:\\s+of\\s+(?:the\\s+)?(?:${YEAR}|${RELATIVE_YEAR}|year))?`, 'gi'),
    (m, ref) => {
      const month = ORDINAL_QUARTERS[m[1].toLowerCase()] * 3;
      if (!m[2] && !m[3]) return ref ? rollMonth(month, ref) : null;
      const year = relativeYear(m[2], m[3], ref);
      return year === null ? null : yearMonth(year, month);
    },
  ],
  // "Q3 2027", "Q3 of 2027", "2027 Q3"
  [['q*'], /\bQ([1-4])(?:\s+of)?\s+((?:19|20)\d{2})\b|\b((?:19|20)\d{2})\s+Q([1-4])\b/g, (m) =>
    yearMonth(Number(m[2] ?? m[3]), Number(m[1] ?? m[4]) * 3)],
  // "the first half of 2027", "the second half of next year", "the first semester of 2027" (Spanish usage)
  [
    ['half', 'semester'],
    new RegExp(`\\b${ORDINAL_LEAD}(first|second|1st|2nd)\\s+(?:half|semester)\\s+of\\s+(?:the\\s+)?(?:${YEAR}|${RELATIVE_YEAR}|year)`, 'gi'),
    (m, ref) => {
      const year = relativeYear(m[2], m[3], ref);
      return year === null ? null : yearMonth(year, ORDINAL_HALVES[m[1].toLowerCase()] * 6);
    },
  ],
  // "the end of 2026", "the end of this year", "year-end"
  [
    ['end', 'close'],
    new RegExp(`\\b(?:the\\s+)?(?:end|close)\\s+of\\s+(?:the\\s+)?(?:${YEAR}|${RELATIVE_YEAR}|year)\\b|\\byear[-\\s]end\\b`, 'gi'),
    (m, ref) => {
      const year = relativeYear(m[1], m[2], ref);
      return year === null ? null : yearMonth(year, 12);
    },
  ],
  // "the end of the fiscal year": see fiscalYearEnd.
  [
    ['fiscal', 'financial'],
    /\b(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:this\s+|(next)\s+)?(?:current\s+)?(?:fiscal|financial)\s+year\b/gi,
    (m, ref) => {
      if (!ref) return null;
      const month = fiscalYearEnd(m.input);
      return addMonths({ year: ref.year, month: 1, day: 1 }, (month < ref.month ? month + 12 : month) - 1 + (m[1] ? 12 : 0));
    },
  ],
  // "the end of the month", "the end of next month"
  [['month'], /\b(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:(this|next|the\s+current|the\s+coming)\s+)?month\b/gi, (m, ref) =>
    ref ? addMonths(ref, m[1] && /next|coming/i.test(m[1]) ? 1 : 0) : null],
  // "September 2027", "the end of June 2027"
  [MONTH_WORDS, new RegExp(`\\b${PART_OF_MONTH}?(${MONTH})(?:\\s+of)?,?\\s+${YEAR}\\b`, 'gi'), (m) => yearMonth(Number(m[2]), monthNumber(m[1]))],
  // "in September", "by the end of June", "scheduled for September": a month name needs a
  // preposition before it, and a capital, so the verbs "may" and "march" are not months.
  [
    MONTH_WORDS,
    new RegExp(`\\b(?:(?:the\\s+)?(?:end|close|beginning|start|middle)\\s+of|in|by|until|till|before|for|during|from|through|around|this|next|coming|early|late|mid)[-\\s]+${PART_OF_MONTH}?(${MONTH})\\b(?!\\s*\\d)`, 'gi'),
    (m, ref) => (ref && /^[A-Z]/.test(m[1]) ? rollMonth(monthNumber(m[1]), ref) : null),
  ],
  // "within six months", "in the next 90 days", "over the coming two years", "within a fortnight";
  // not "within a fortnight of any flood warning", counted from an event yet to come.
  [
    UNITS,
    new RegExp(`\\b(?:within|in|over)\\s+(?:the\\s+)?(?:next\\s+|coming\\s+|following\\s+)?(${NUMBER}|a|an)\\s+(day|week|fortnight|month|year)s?\\b(?!\\s+(?:of|after|from)\\s+(?:any|each|every|an?)\\b)`, 'gi'),
    (m, ref) => {
      const n = parseNumber(m[1]);
      if (!ref || n === null) return null;
      switch (m[2].toLowerCase()) {
        case 'day': return addDays(ref, n);
        case 'week': return addDays(ref, 7 * n);
        case 'fortnight': return addDays(ref, 14 * n);
        case 'month': return addMonths(ref, n);
        default: return addMonths(ref, 12 * n);
      }
    },
  ],
  // "next year", "later this year", "next month", "next week" ("earlier this year" is the past, not a due date)
  [['year', 'month', 'week'], /\b(earlier\s+)?(this|next|the\s+coming|the\s+current)\s+(year|month|week)\b/gi, (m, ref) => {
    if (!ref || m[1]) return null;
    const ahead = /next|coming/i.test(m[2]) ? 1 : 0;
    const unit = m[3].toLowerCase();
    if (unit === 'week') return addDays(ref, 7 * ahead);
    return unit === 'year' ? String(ref.year + ahead) : addMonths(ref, ahead);
  }],
  // "next spring", "in the autumn", "summer 2027": a season (northern) is due by its last month.
  // A season needs a lead word or a year: "fall" is a verb too, "summer heat" no date.
  [
    Object.keys(SEASON_STARTS),
    new RegExp(`\\b((this|next|the\\s+coming)\\s+|(?:in|by|during|before|until)\\s+the\\s+|(?:end|close|middle|start|beginning)\\s+of\\s+(?:the\\s+)?|(?:early|late)\\s+)?(spring|summer|autumn|fall|winter)\\b(?:\\s+(?:of\\s+)?${YEAR}\\b)?`, 'gi'),
    (m, ref) => {
      const startMonth = SEASON_STARTS[m[3].toLowerCase()];
      if (m[4]) return addMonths({ year: Number(m[4]), month: startMonth, day: 1 }, 2);
      if (!ref || !m[1]) return null;
      const now = ref.year * 12 + ref.month - 1;
      const next = !!m[2] && /next|coming/i.test(m[2]);
      // "next" is the first to start after the article's month; "this"/"in the" the first not yet over.
      for (let year = ref.year - 1; ; year++) {
        const start = year * 12 + startMonth - 1;
        if (next ? start > now : start + 2 >= now) return addMonths({ year, month: startMonth, day: 1 }, 2);
      }
    },
  ],
  // "in 2027", "by 2030", "early 2027", "mid-2027": a bare year needs a preposition or a part-of word
  [
    CENTURIES,
    new RegExp(`\\b(?:(?:in|by|until|till|before|during|through|for)\\s+${PART_OF}?|${PART_OF})${YEAR}\\b(?![-/]\\d)`, 'gi'),
    (m) => m[1],
  ],
];

/** Words before a time expression that belong to it: "by", "before", "no later than" … */
const LEAD_IN = /(?:\b(?:no|not)\s+later\s+than|\bprior\s+to|\bahead\s+of|\b(?:by|before|until|till|in|during|on|at|around|within|for))\s+$/i;

function withLeadIn(text: string, c: Candidate): Candidate {
  const lead = LEAD_IN.exec(text.slice(Math.max(0, c.start - 20), c.start));
  return lead ? { ...c, start: c.start - lead[0].length } : c;
}

const DAY_DATE = new RegExp(`\\d.*\\b${MONTH}|\\b${MONTH}.*\\d|\\d{4}-\\d{2}-\\d{2}`, 'i');
const DAY_ANCHOR = new RegExp(`\\b${MONTH}|\\d{4}-\\d{2}-\\d{2}`, 'gi');
/** Room around a month name for "the 3rd of March, 2027" and "March 3rd, 2027". */
const DAY_WINDOW = 16;
/** A sentence names a few dates; past this many month names it is not prose, and chrono is costly. */
const MAX_DAY_ANCHORS = 32;

/**
 * chrono with only its month-name and ISO parsers: the others (weekdays, times, "within …")
 * are not ours to read and make its first call slow. Falls back to all strict parsers if a
 * bundler renamed the classes.
 */
const dayParser = (() => {
  const parser = chrono.en.strict.clone();
  const picked = parser.parsers.filter((p) => /MonthName(?:Little|Middle)Endian|ISOFormat/.test(p.constructor.name));
  if (picked.length > 0) parser.parsers = picked;
  return parser;
})();

/**
 * Day-precise dates ("March 3, 2027", "3rd of March", "2027-03-03") through chrono, read in a
 * small window around each month name so the cost stays linear whatever the text.
 */
function dayDates(text: string, ref: YearMonthDay | null): Candidate[] {
  const refDate = ref ? new Date(Date.UTC(ref.year, ref.month - 1, ref.day, 12)) : new Date();
  const found: Candidate[] = [];
  DAY_ANCHOR.lastIndex = 0;
  let anchors = 0;
  for (let anchor = DAY_ANCHOR.exec(text); anchor && anchors < MAX_DAY_ANCHORS; anchor = DAY_ANCHOR.exec(text), anchors++) {
    const from = Math.max(0, anchor.index - DAY_WINDOW);
    const window = text.slice(from, anchor.index + anchor[0].length + DAY_WINDOW);
    // Only a result with a digit counts (DAY_DATE), so a window without one is not worth chrono's time.
    if (!/\d/.test(window)) continue;
    for (const r of dayParser.parse(window, refDate, { forwardDate: true })) {
      const c = r.start;
      // A day number with a month name, or an ISO date: "end of June" is ours, "3/4/2027" ambiguous.
      if (!c.isCertain('day') || !c.isCertain('month') || !DAY_DATE.test(r.text)) continue;
      if (!c.isCertain('year') && !ref) continue;
      const start = from + r.index;
      if (found.some((f) => f.start === start)) continue;
      const value = `${c.get('year')}-${pad(c.get('month') ?? 0)}-${pad(c.get('day') ?? 0)}`;
      found.push({ value, start, end: start + r.text.length });
    }
  }
  return found;
}

/** Keeps the longest of overlapping candidates, in text order (one sweep, linear after sorting). */
function longestFirst(candidates: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  const length = (c: Candidate): number => c.end - c.start;
  for (const c of [...candidates].sort((a, b) => a.start - b.start || length(b) - length(a))) {
    const last = kept[kept.length - 1];
    if (!last || c.start >= last.end) kept.push(c);
    else if (length(c) > length(last) && (kept.length < 2 || c.start >= kept[kept.length - 2].end)) kept[kept.length - 1] = c;
  }
  return kept;
}

/**
 * The due date a sentence gives, normalised against the article date (YYYY-MM-DD): the most
 * precise future date it names, the first one on a tie. Dates before the article and the
 * article's own day are history or the meeting itself, not deadlines.
 */
export function findDue(text: string, articleDate: string | null): DueDate | null {
  return cached(dues, `${articleDate ?? ''}\u0000${text}`, () => dueIn(text, articleDate));
}

function dueIn(text: string, articleDate: string | null): DueDate | null {
  const ref = parseArticleDate(articleDate);
  const found = ruleWordsOf(text);
  // A day date is anchored on a month name or an ISO date.
  const candidates = mayMatch(found, MONTH_STARTS) || text.includes('-') ? dayDates(text, ref) : [];
  for (const [words, pattern, normalise] of DUE_RULES) {
    if (!mayMatch(found, words)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const value = normalise(m, ref);
      if (value) candidates.push({ value, start: m.index, end: m.index + m[0].length });
    }
  }
  const today = ref ? `${ref.year}-${pad(ref.month)}-${pad(ref.day)}` : null;
  const isAhead = (c: Candidate): boolean => {
    if (!today) return true;
    const sameGrain = today.slice(0, c.value.length);
    return c.value > sameGrain || (c.value === sameGrain && c.value.length < today.length);
  };
  const future = longestFirst(candidates).filter(isAhead);
  let best: Candidate | null = null;
  for (const c of future) {
    if (!best || c.value.length > best.value.length) best = c;
  }
  if (!best) return null;
  const span = withLeadIn(text, best);
  return { due: best.value, text: text.slice(span.start, span.end), start: span.start, end: span.end };
}

// ---------- recurrence ----------

const UNIT_CODES: Record<string, [number, string]> = {
  day: [1, 'D'], week: [1, 'W'], fortnight: [2, 'W'], month: [1, 'M'], quarter: [3, 'M'], year: [1, 'Y'],
};

/** n units as an ISO-8601 duration; whole years of months read as years. */
function duration(n: number, unit: string): string {
  const [size, code] = UNIT_CODES[unit.toLowerCase()];
  const total = n * size;
  if (code === 'M' && total % 12 === 0) return `P${total / 12}Y`;
  return `P${total}${code}`;
}

/** "n times a year/month/week" as one period, when it divides evenly. */
function frequency(times: number, unit: string): string | null {
  const perYear: Record<string, [number, string]> = { year: [12, 'M'], month: [1, 'M'], week: [7, 'D'] };
  const [amount, code] = perYear[unit.toLowerCase()];
  if (times === 1) return duration(1, unit);
  if (unit.toLowerCase() === 'month' && times <= 4 && 4 % times === 0) return `P${4 / times}W`;
  if (amount % times !== 0) return null;
  return duration(amount / times, code === 'M' ? 'month' : 'day');
}

const MEETING_NOUNS = '(?:meetings?|summits?|dialogues?|consultations?|forums?|conferences?|sessions?|talks|reviews?|exchanges?|visits?|rounds?|events?|gatherings?|basis|assembly|assemblies|festival|games|expo|exercises?|drills?|patrols?|mechanism)';
const MEETING_NOUN = new RegExp(`^${MEETING_NOUNS}$`, 'i');
const PERIODIC_ADJECTIVES: Record<string, string> = {
  annual: 'P1Y', yearly: 'P1Y', biennial: 'P2Y', triennial: 'P3Y', biannual: 'P6M', 'bi-annual': 'P6M', 'semi-annual': 'P6M',
  semiannual: 'P6M', 'half-yearly': 'P6M', quarterly: 'P3M', monthly: 'P1M', weekly: 'P1W', fortnightly: 'P2W',
};
const PERIODIC_ADVERBS: Record<string, string> = {
  annually: 'P1Y', yearly: 'P1Y', biennially: 'P2Y', triennially: 'P3Y', biannually: 'P6M', 'bi-annually': 'P6M',
  'semi-annually': 'P6M', semiannually: 'P6M', 'half-yearly': 'P6M', 'twice-yearly': 'P6M', 'twice yearly': 'P6M',
  quarterly: 'P3M', monthly: 'P1M', weekly: 'P1W', fortnightly: 'P2W',
};
const TIMES: Record<string, number> = { once: 1, twice: 2, thrice: 3 };

type RecurrenceRule = [readonly string[], RegExp, (m: RegExpExecArray) => string | null];

const RECURRENCE_RULES: RecurrenceRule[] = [
  // "every three months", "once every two years", "every 90 days"
  [['every'], new RegExp(`\\b(?:once\\s+)?every\\s+(${NUMBER})\\s+(day|week|month|year)s\\b`, 'gi'), (m) => {
    const n = parseNumber(m[1]);
    return n ? duration(n, m[2]) : null;
  }],
  // "every year", "every other month", "each quarter"
  [['every', 'each'], /\b(?:once\s+)?(?:every|each)\s+(?:(other|second)\s+)?(day|week|fortnight|month|quarter|year)\b/gi, (m) =>
    duration(m[1] ? 2 : 1, m[2])],
  // "twice a year", "three times a year", "once per month"
  [['once', 'twice', 'thrice', 'times'], new RegExp(`\\b(once|twice|thrice|(${NUMBER})\\s+times)\\s+(?:a|per|each|every)\\s+(year|month|week)\\b`, 'gi'), (m) => {
    const times = m[2] ? parseNumber(m[2]) : TIMES[m[1].toLowerCase()];
    return times ? frequency(times, m[3]) : null;
  }],
  // "fifty scholarships a year", "three meetings a year": a count per period; meetings divide it
  [['year', 'month', 'week'], new RegExp(`\\b(${NUMBER})\\s+(?:[\\p{L}-]+\\s+){0,2}?(?!times\\b)([\\p{L}-]+)\\s+(?:a|per|each)\\s+(year|month|week)\\b`, 'giu'), (m) => {
    const n = parseNumber(m[1]);
    if (!n) return null;
    return MEETING_NOUN.test(m[2]) ? frequency(n, m[3]) : duration(1, m[3]);
  }],
  // "annually", "quarterly", "biennially", "twice-yearly"
  [Object.keys(PERIODIC_ADVERBS), new RegExp(`\\b(${Object.keys(PERIODIC_ADVERBS).join('|')})\\b(?!\\s+${MEETING_NOUNS})`, 'gi'), (m) =>
    PERIODIC_ADVERBS[m[1].toLowerCase().replace(/\s+/g, ' ')] ?? null],
  // "an annual meeting", "biennial ministerial conference", "on a quarterly basis"
  [Object.keys(PERIODIC_ADJECTIVES), new RegExp(`\\b(?:on\\s+an?\\s+)?(${Object.keys(PERIODIC_ADJECTIVES).join('|')})\\s+(?:[\\p{L}-]+\\s+){0,2}?${MEETING_NOUNS}\\b`, 'giu'), (m) =>
    PERIODIC_ADJECTIVES[m[1].toLowerCase()] ?? null],
];

/** The first recurrence a sentence states ("regularly" has no period and gives none). */
export function findRecurrence(text: string): Recurrence | null {
  return cached(recurrences, text, () => recurrenceIn(text));
}

function recurrenceIn(text: string): Recurrence | null {
  const candidates: Candidate[] = [];
  const found = ruleWordsOf(text);
  for (const [words, pattern, toDuration] of RECURRENCE_RULES) {
    if (!mayMatch(found, words)) continue;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const value = toDuration(m);
      if (value) candidates.push({ value, start: m.index, end: m.index + m[0].length });
    }
  }
  const first = longestFirst(candidates)[0];
  return first ? { recurrence: first.value, text: text.slice(first.start, first.end), start: first.start, end: first.end } : null;
}

// ---------- the rules' words ----------

/** The rules' words found in a text, or null when any may be there. */
type FoundWords = ReadonlySet<string> | null;

export const mayMatch = (found: FoundWords, words: readonly string[]): boolean => found === null || words.some((w) => found.has(w));

/** A word character of `\b`, by its code. */
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

interface RuleWord {
  /** As the rules list it. */
  listed: string;
  word: string;
  /** May the text's word go on after it? */
  start: boolean;
}

/**
 * Every searched pattern with the words that let a text through to it: exported for the tests'
 * check that the words never hide a match. (DAY_ANCHOR's ISO dates are let through by a hyphen.)
 */
export const GATES: ReadonlyArray<readonly [readonly string[], RegExp]> = [
  ...DUE_RULES.map(([words, pattern]) => [words, pattern] as const),
  ...RECURRENCE_RULES.map(([words, pattern]) => [words, pattern] as const),
  [MONTH_STARTS, DAY_ANCHOR],
];

/** Every rule's words, by the code of their first character (all ASCII). */
const RULE_WORDS: RuleWord[][] = Array.from({ length: 128 }, () => []);
for (const listed of new Set(GATES.flatMap(([words]) => words))) {
  const start = listed.endsWith('*');
  const word = start ? listed.slice(0, -1) : listed;
  RULE_WORDS[word.charCodeAt(0)].push({ listed, word, start });
}

/** The last text's words: findDue and findRecurrence are asked about the same text in turn. */
let lastWords: { text: string; found: FoundWords } = { text: '', found: null };

function ruleWordsOf(text: string): FoundWords {
  if (lastWords.text !== text) lastWords = { text, found: ruleWordsIn(text) };
  return lastWords.found;
}

/** The rules' words in `text`, in one pass however many rules there are. */
export function ruleWordsIn(text: string): FoundWords {
  const lower = text.toLowerCase();
  // Lower case keeps offsets unless a letter grew ("İ" → "i̇"); then every rule is tried.
  if (lower.length !== text.length) return null;
  const found = new Set<string>();
  for (let at = 0; at < lower.length; at++) {
    const first = lower.charCodeAt(at);
    if (first >= 128 || (at > 0 && isWordChar(text.charCodeAt(at - 1)))) continue;
    for (const { listed, word, start } of RULE_WORDS[first]) {
      if (!lower.startsWith(word, at)) continue;
      const after = at + word.length;
      if (start || after === text.length || !isWordChar(text.charCodeAt(after))) found.add(listed);
    }
  }
  return found;
}

// ---------- results kept ----------

// A sentence is often read twice (a clause of it, then the whole) and news repeats its formulas, so
// results are kept by text (and article date); the tables are cleared when full.
const MAX_KEPT = 2000;
const dues = new Map<string, DueDate | null>();
const recurrences = new Map<string, Recurrence | null>();

function cached<V>(table: Map<string, V>, key: string, compute: () => V): V {
  let value = table.get(key);
  if (value === undefined) {
    value = compute();
    if (table.size >= MAX_KEPT) table.clear();
    table.set(key, value);
  }
  return value;
}
