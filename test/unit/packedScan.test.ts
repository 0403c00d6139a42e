import assert from 'node:assert/strict';
import fc from 'fast-check';
import { packScan, unpackScan, unpackScanNow } from '../../src/core/packedScan';
import { parseRegistry } from '../../src/core/registry';
import { scan } from '../../src/core/scan';

const REGISTRY = parseRegistry(
  `entities:
  - id: mohsin-naqvi
    name: Mohsin Naqvi
    type: person
    aliases: [Naqvi]
    country: PK
  - id: moi-pk
    name: Ministry of Interior
    type: organization
`,
  'registry.yaml',
);

const PARAGRAPHS = [
  '---\ndate: 2026-03-03\n---',
  '# Pakistan and China agree on security cooperation',
  '**ISLAMABAD, March 3, 2026** — Interior Minister Mohsin Naqvi met his Chinese counterpart, Wang Xiaohong, in Beijing on Tuesday.',
  'Naqvi said Pakistan and China agreed to hold a joint dialogue every three months and to finalise a framework by the end of June 2026.',
  'The two sides committed to:\n\n- expand training for police officers;\n- set up a hotline within 60 days.',
  'Foreign Minister Li Wei met Trade Minister Wang Li. Li said both sides will meet again in May 2027.',
  'He pledged to open a liaison office, according to the National Agency for Maritime Affairs (NAMA). [[moi-pk|The ministry]] agreed.',
  '| Country | Minister |\n|---|---|\n| Kenya | Cabinet Secretary Musalia Mudavadi |',
  'Text with a NUL \u0000 and émigré names: José Álvarez met Zhou Ëlan.',
];

describe('packedScan', () => {
  it('gives back the same result as the scan, through a structured clone', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PARAGRAPHS), { minLength: 1, maxLength: 8 }), fc.boolean(), (parts, withRegistry) => {
        const text = parts.join('\n\n') + '\n';
        const result = scan(text, { registry: withRegistry ? REGISTRY : null });
        assert.deepStrictEqual(unpackScanNow(structuredClone(packScan(result)), text), result);
      }),
      { numRuns: 80 },
    );
  });

  it('rebuilds a large result in slices', () => {
    const text = Array.from({ length: 100 }, (_, i) => PARAGRAPHS[2 + (i % 6)]).join('\n\n');
    const result = scan(text, { registry: REGISTRY });
    const steps = unpackScan(packScan(result), text, 64);
    let slices = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) slices++;
    assert.ok(slices > 1, `${slices} slices`);
    assert.deepStrictEqual(step.value, result);
  });
});
