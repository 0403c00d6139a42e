import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Atoms } from '../../src/workers/atoms';

describe('Atoms', () => {
  it('numbers a string once, however often it is added, and gives it back', () => {
    const atoms = new Atoms();
    const a = atoms.add('person:Wang Yi');
    assert.equal(atoms.add('person:Wang Yi'), a);
    const b = atoms.add('place:Genève');
    assert.notEqual(a, b);
    assert.equal(atoms.text(b), 'place:Genève');
    assert.equal(atoms.find('person:Wang Yi'), a);
    assert.equal(atoms.find('person:wang yi'), -1);
    assert.equal(atoms.size, 2);
  });

  it('drops a string when its last hold is released, and reuses its number', () => {
    const atoms = new Atoms();
    const a = atoms.add('x');
    atoms.add('x');
    atoms.release(a);
    assert.equal(atoms.find('x'), a);
    atoms.release(a);
    assert.equal(atoms.find('x'), -1);
    assert.equal(atoms.size, 0);
    assert.throws(() => atoms.release(a), RangeError);
    assert.equal(atoms.add('y'), a);
  });

  it('holds a lone surrogate as U+FFFD', () => {
    const atoms = new Atoms();
    assert.equal(atoms.text(atoms.add('a\uD800b')), 'a\uFFFDb');
  });

  it('holds what a Map of counts holds, through any adds and releases (with growth and compaction)', () => {
    const word = fc.oneof(fc.string({ maxLength: 6, unit: 'grapheme' }), fc.constantFrom('Москва', '北京', 'ʿAbd al-Ṣamad', '🙂', ''), fc.string({ minLength: 200, maxLength: 400 }));
    // Any well-formed strings (keys are: see indexRecord.ts), long and short, many distinct and repeated.
    const step = fc.oneof(fc.record({ add: word }), fc.record({ release: fc.nat() }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 3000 }), (steps) => {
        const atoms = new Atoms();
        const model = new Map<string, { n: number; refs: number }>();
        for (const s of steps) {
          if ('add' in s) {
            const n = atoms.add(s.add);
            const held = model.get(s.add);
            if (held) {
              assert.equal(n, held.n);
              held.refs++;
            } else model.set(s.add, { n, refs: 1 });
          } else if (model.size > 0) {
            const [text, held] = [...model][s.release % model.size];
            atoms.release(held.n);
            if (--held.refs === 0) model.delete(text);
          }
        }
        assert.equal(atoms.size, model.size);
        for (const [text, { n }] of model) {
          assert.equal(atoms.find(text), n);
          assert.equal(atoms.text(n), text);
        }
      }),
      { numRuns: 60 },
    );
  });
});
