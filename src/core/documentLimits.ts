// Which documents are not worth annotating: very large ones (a scan would take seconds and the
// highlights would be unreadable anyway) and ones that are not text (binary files, or text in an
// encoding other than UTF-8, which decodes to NULs, control characters and U+FFFD).

/** Above this many UTF-16 code units (about 8 MB of text) a document is not analysed in the editor. */
export const MAX_ANALYSED_LENGTH = 8 * 1024 * 1024;
/** How much of the start of a document the text check reads. */
export const SAMPLE_LENGTH = 1024;
/**
 * Share of suspicious characters in the sample above which a document is taken for binary. Real text
 * has next to none, while binary read as UTF-8 (or as a single-byte code page) has a third or more.
 */
const BINARY_SHARE = 0.1;

/** C0 controls except tab, line feed, vertical tab, form feed and carriage return; DEL and C1 controls; U+FFFD. */
const SUSPICIOUS = /[\u0000-\u0008\u000E-\u001F\u007F-\u009F\uFFFD]/g;

export type Refusal = { kind: 'too-large'; length: number } | { kind: 'not-text'; share: number };

/**
 * Why a document of `length` code units starting with `head` should not be analysed, or null when it
 * can be. Only the first SAMPLE_LENGTH characters of `head` are read.
 */
export function refusalFor(length: number, head: string): Refusal | null {
  if (length > MAX_ANALYSED_LENGTH) return { kind: 'too-large', length };
  const sample = head.slice(0, SAMPLE_LENGTH);
  if (sample.length === 0) return null;
  const share = (sample.match(SUSPICIOUS)?.length ?? 0) / sample.length;
  return share > BINARY_SHARE ? { kind: 'not-text', share } : null;
}

/** The refusal in words, for the analyst. */
export function describeRefusal(refusal: Refusal, name: string): string {
  if (refusal.kind === 'too-large') {
    const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    return `Attaché does not annotate ${name}: it is ${mb(refusal.length)} MB of text, above the ${mb(MAX_ANALYSED_LENGTH)} MB it reads in the editor. Split the article to annotate it.`;
  }
  return `Attaché does not annotate ${name}: it does not look like UTF-8 text (${Math.round(refusal.share * 100)}% of its first kilobyte is NUL, control characters or undecodable bytes). Reopen it with the right encoding if it is text.`;
}
