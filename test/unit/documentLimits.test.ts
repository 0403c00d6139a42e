// Which documents the editor does not analyse: too large, or not text.
import assert from 'node:assert/strict';
import { describeRefusal, MAX_ANALYSED_LENGTH, refusalFor } from '../../src/core/documentLimits';

describe('documentLimits', () => {
  it('analyses ordinary articles in any script, with CRLF, a BOM and a stray NUL', () => {
    const article = '\uFEFF# Talks\r\n\r\nForeign Minister Wang Yi met 王毅 and Сергей Лавров.\u0000\r\n\t- item\f\n';
    assert.equal(refusalFor(article.length, article), null);
    assert.equal(refusalFor(0, ''), null);
    assert.equal(refusalFor(MAX_ANALYSED_LENGTH, 'text'), null);
  });

  it('refuses a document above the size limit, whatever its content', () => {
    const refusal = refusalFor(MAX_ANALYSED_LENGTH + 1, 'ordinary text');
    assert.deepEqual(refusal, { kind: 'too-large', length: MAX_ANALYSED_LENGTH + 1 });
    assert.match(describeRefusal(refusal, 'huge.md'), /does not annotate huge\.md: it is 8\.0 MB of text, above the 8\.0 MB/);
  });

  it('refuses binary content and text in another encoding (UTF-16 read as UTF-8)', () => {
    const binary = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const asUtf8 = new TextDecoder('utf-8').decode(Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256));
    const utf16 = [...'Foreign Minister Wang Yi'].map((c) => `${c}\u0000`).join('').repeat(40);
    for (const head of [binary, asUtf8, utf16, '\u0000'.repeat(600) + 'x'.repeat(424)]) {
      const refusal = refusalFor(head.length, head);
      assert.equal(refusal?.kind, 'not-text', JSON.stringify(head.slice(0, 40)));
      assert.match(describeRefusal(refusal, 'blob.md'), /does not look like UTF-8 text \(\d+% of its first kilobyte/);
    }
  });

  it('reads only the first kilobyte: binary tails do not matter', () => {
    const head = 'x'.repeat(1024) + '\u0000'.repeat(5000);
    assert.equal(refusalFor(head.length, head), null);
  });
});
