import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { readPlainYaml } from '../../src/core/plainYaml';
import { contentHash, isPartialDate, mergeRegistries, parseRegistry, registryFromEntries, roleAt } from '../../src/core/registry';
import type { Problem } from '../../src/core/types';

const GOOD = `# team registry
entities:
  - id: mohsin-naqvi          # unique, stable
    name: Mohsin Naqvi
    type: person
    aliases: [Naqvi]
    country: PK
    roles:
      - { title: Interior Minister, org: ministry-of-interior-pk, from: 2024-03-11 }
      - { title: Senator, from: 2024, to: 2024-03 }
    notes: chairs the cricket board too
  - id: ministry-of-interior-pk
    name: Ministry of Interior
    type: organization
`;

const rules = (problems: Problem[]) => problems.map((p) => `${p.severity} ${p.rule} ${p.start.line}:${p.start.column}`);

describe('parseRegistry', () => {
  it('reads entities with their fields and accurate source positions', () => {
    const reg = parseRegistry(GOOD, 'reg.yaml');
    assert.deepEqual(reg.problems, []);
    assert.deepEqual(reg.entities.map((e) => e.id), ['mohsin-naqvi', 'ministry-of-interior-pk']);
    const naqvi = reg.byId.get('mohsin-naqvi')!;
    assert.equal(naqvi.type, 'person');
    assert.deepEqual(naqvi.aliases, ['Naqvi']);
    assert.equal(naqvi.country, 'PK');
    assert.equal(naqvi.notes, 'chairs the cricket board too');
    assert.deepEqual(naqvi.roles[0], { title: 'Interior Minister', org: 'ministry-of-interior-pk', from: '2024-03-11' });
    assert.deepEqual(naqvi.roles[1], { title: 'Senator', from: '2024', to: '2024-03' }, 'a bare year is read as a date');
    assert.equal(GOOD.slice(naqvi.source.idSpan.start, naqvi.source.idSpan.end), 'mohsin-naqvi');
    assert.ok(GOOD.slice(naqvi.source.span.start).startsWith('- id: mohsin-naqvi'));
    assert.ok(GOOD.slice(0, naqvi.source.span.end).endsWith('chairs the cricket board too'));
    assert.deepEqual(naqvi.source.start, { line: 3, column: 3 });
    assert.equal(naqvi.source.file, 'reg.yaml');
  });

  it('reports bad YAML at the parser position, worded Unexpected … expected …', () => {
    const reg = parseRegistry('entities:\n  - id: a\n    name: [A, B\n    type: place\n', 'r.yaml');
    const yaml = reg.problems.filter((p) => p.rule === 'registry/yaml');
    assert.ok(yaml.length > 0);
    assert.equal(yaml[0].severity, 'error');
    assert.match(yaml[0].message, /^Unexpected .*, expected /);
    assert.ok(yaml[0].start.line >= 3, `line ${yaml[0].start.line}`);
    assert.equal(yaml[0].file, 'r.yaml');
  });

  it('reports a wrong top-level shape instead of throwing', () => {
    assert.deepEqual(rules(parseRegistry('- a\n- b\n', 'r').problems), ['error registry/root 1:1']);
    assert.deepEqual(rules(parseRegistry('entities: 3\n', 'r').problems), ['error registry/root 1:11']);
    assert.deepEqual(rules(parseRegistry('people: []\n', 'r').problems), ['info registry/unknown-key 1:1', 'error registry/root 1:1']);
    assert.deepEqual(parseRegistry('', 'r').problems, []);
    assert.deepEqual(parseRegistry('# nothing yet\n', 'r').entities, []);
  });

  it('skips a broken entry with its problem and keeps the valid ones', () => {
    const text = `entities:
  - id: a
    name: A
    type: place
  - just a string
  - id: b
    type: place
  - name: C
    type: place
  - id: d
    name: D
    type: planet
  - id: e
    name: E
    type: event
`;
    const reg = parseRegistry(text, 'r');
    assert.deepEqual(reg.entities.map((e) => e.id), ['a', 'e']);
    assert.deepEqual(rules(reg.problems), [
      'error registry/shape 5:5',
      'error registry/missing-name 6:5',
      'error registry/missing-id 8:5',
      'error registry/unknown-type 12:11',
    ]);
    const unknownType = reg.problems.find((p) => p.rule === 'registry/unknown-type')!;
    assert.match(unknownType.message, /"planet".*person, organization, place, event/);
    assert.match(reg.problems.find((p) => p.rule === 'registry/missing-id')!.message, /"c"/, 'suggests an id from the name');
  });

  it('flags a duplicate id at the second one, naming the first one\'s line', () => {
    const reg = parseRegistry('entities:\n  - id: a\n    name: A\n    type: place\n  - id: a\n    name: B\n    type: place\n', 'r');
    assert.deepEqual(reg.entities.map((e) => e.name), ['A']);
    const dup = reg.problems.find((p) => p.rule === 'registry/duplicate-id')!;
    assert.deepEqual(dup.start, { line: 5, column: 9 });
    assert.match(dup.message, /line 2/);
  });

  it('warns at both places when two entities claim a name or alias, ignoring case and apostrophe style', () => {
    const text = `entities:
  - { id: wang-xiaohong, name: Wang Xiaohong, type: person, aliases: [Wang, "Xi’an Office"] }
  - { id: wang-yong, name: Wang Yong, type: person, aliases: [WANG] }
  - { id: xian, name: "Xi'an office", type: place }
`;
    const reg = parseRegistry(text, 'r');
    assert.equal(reg.entities.length, 3);
    const collisions = reg.problems.filter((p) => p.rule === 'registry/name-collision');
    assert.deepEqual(collisions.map((p) => `${p.start.line}:${p.start.column}`).sort(), ['2:71', '2:77', '3:63', '4:23']);
    assert.ok(collisions.every((p) => p.severity === 'warning'));
    assert.match(collisions.find((p) => p.start.line === 3)!.message, /wang-xiaohong/);
  });

  it('checks role dates: format, real months and days, from ≤ to', () => {
    const text = `entities:
  - id: a
    name: A
    type: person
    roles:
      - { title: T1, from: 2024-13 }
      - { title: T2, from: 2023-02-29 }
      - { title: T3, from: 2025, to: 2024-06 }
      - { title: T4, from: "March 2024" }
      - { title: T5, from: 2024-02-29, to: 2024 }
`;
    const reg = parseRegistry(text, 'r');
    assert.deepEqual(rules(reg.problems), ['error registry/date 6:28', 'error registry/date 7:28', 'error registry/date 8:38', 'error registry/date 9:28']);
    assert.deepEqual(reg.entities[0].roles.map((r) => r.title), ['T5']);
  });

  it('checks the country code against ISO 3166-1 alpha-2', () => {
    const reg = parseRegistry('entities:\n  - { id: a, name: A, type: place, country: ZZ }\n  - { id: b, name: B, type: place, country: ke }\n', 'r');
    assert.deepEqual(rules(reg.problems), ['warning registry/country 2:45', 'warning registry/country 3:45']);
    assert.equal(reg.byId.get('a')!.country, undefined);
    assert.equal(reg.byId.get('b')!.country, 'KE');
  });

  it('warns about unknown keys and suggests the nearest known one; warns about non-kebab ids', () => {
    const reg = parseRegistry('entities:\n  - id: Bad_Id\n    name: A\n    type: place\n    alias: [B]\n', 'r');
    assert.deepEqual(rules(reg.problems), ['warning registry/unknown-key 5:5', 'warning registry/id-format 2:9']);
    assert.match(reg.problems[0].message, /expected "aliases"/);
    assert.match(reg.problems[1].message, /"bad-id"/);
    assert.equal(reg.entities.length, 1, 'a style problem does not drop the entity');
  });

  it('accepts ids in any script as kebab-case', () => {
    const reg = parseRegistry('entities:\n  - { id: 王毅, name: 王毅, type: person }\n  - { id: сергей-лавров, name: Сергей Лавров, type: person }\n', 'r');
    assert.deepEqual(reg.problems, []);
  });

  it('notes an org reference to an unknown id', () => {
    const reg = parseRegistry('entities:\n  - id: a\n    name: A\n    type: person\n    roles: [{ title: Minister, org: nowhere }]\n', 'r');
    assert.deepEqual(rules(reg.problems), ['info registry/unknown-org 5:37']);
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const reg = parseRegistry(s, 'r');
        return Array.isArray(reg.problems) && reg.problems.every((p) => p.start.line >= 1 && p.start.column >= 1);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom('entities:', '  - id: a', '    name: [', '  -', 'type: x', '\t', ': :', '{', '"', '    roles: 3', '# c'), { maxLength: 12 }), (lines) => {
        parseRegistry(lines.join('\n'), 'r');
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('versions by content', () => {
    assert.equal(parseRegistry(GOOD, 'a').version, parseRegistry(GOOD, 'b').version);
    assert.notEqual(parseRegistry(GOOD, 'a').version, parseRegistry(`${GOOD}\n`, 'a').version);
    assert.match(contentHash('x'), /^[0-9a-f]{16}$/);
  });
});

/** A node's values and the two range ends parsing reads, to compare the fast reader with the yaml package. */
function shape(node: unknown): unknown {
  const r = (node as { range?: number[] }).range;
  const at = r ? [r[0], r[1]] : null;
  if (isMap(node)) return { map: node.items.map((p) => [shape(p.key), shape(p.value)]), at };
  if (isSeq(node)) return { seq: node.items.map(shape), at };
  if (isScalar(node)) return { value: node.value, at };
  return { other: String(node) };
}

describe('readPlainYaml', () => {
  // Mostly forms the reader takes, some it must decline (numbers it does not build, indicators, broken quotes).
  const mix = (good: string[], bad: string[]) => fc.oneof({ arbitrary: fc.constantFrom(...good), weight: 12 }, { arbitrary: fc.constantFrom(...bad), weight: 1 });
  const value = mix(
    ['Wang Yi', "O'Brien", 'Сергей Лавров', '王毅', "'Quoted, with comma'", "'It''s'", '"Dq: yes"', 'x # note', 'a#b', '2024', '2024-03', 'PK', 'Foo (Bar)'],
    ['"a\\"b"', '007', '1.5', 'true', 'null', '~', 'a: b', 'ends:', '[x]', '-x', '&a x', '"open'],
  );
  const item = mix(['Naqvi', "'A, B'", '"Dq"', '2024', 'a b'], ['x:y', '', '"open', '#c']);
  const flow = fc.array(item, { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`);
  const comment = fc.tuple(fc.integer({ min: 0, max: 8 }), fc.boolean()).map(([n, blank]) => (blank ? '' : `${' '.repeat(n)}# c`));
  const entity = fc.record({
    dash: fc.constantFrom(0, 2),
    gap: fc.constantFrom(1, 3),
    keys: fc.uniqueArray(fc.constantFrom('id', 'name', 'type', 'notes', 'alias', 'country'), { minLength: 1, maxLength: 4 }),
    values: fc.array(value, { minLength: 4, maxLength: 4 }),
    aliases: fc.option(fc.oneof(flow, fc.array(item, { minLength: 1, maxLength: 2 }).map((xs) => xs.map((x) => `- ${x}`)))),
    roles: fc.option(fc.array(fc.array(fc.tuple(fc.constantFrom('title', 'from', 'to', 'org'), value), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 })),
    compact: fc.boolean(),
    after: fc.array(comment, { maxLength: 2 }),
  });
  const registryText = fc.tuple(fc.array(comment, { maxLength: 2 }), fc.array(entity, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.constantFrom('\n', '\n', '\r\n')).map(([head, entities, finalBreak, lineEnd]) => {
    const lines = [...head, 'entities:'];
    for (const e of entities) {
      const col = e.dash + 1 + e.gap;
      const pad = ' '.repeat(col);
      const nested = e.compact ? pad : `${pad}  `;
      const fields = e.keys.map((k, i) => `${k}: ${e.values[i]}`);
      if (typeof e.aliases === 'string') fields.push(`aliases: ${e.aliases}`);
      else if (e.aliases) fields.push('aliases:', ...e.aliases.map((x) => `\u0000${nested}${x}`));
      if (e.roles) {
        fields.push('roles:  # held');
        for (const role of e.roles) role.forEach(([k, v], i) => fields.push(`\u0000${nested}${i === 0 ? '- ' : '  '}${k}: ${v}`));
      }
      fields.forEach((f, i) => lines.push(f.startsWith('\u0000') ? f.slice(1) : i === 0 ? `${' '.repeat(e.dash)}-${' '.repeat(e.gap)}${f}` : `${pad}${f}`));
      lines.push(...e.after);
    }
    return lines.join(lineEnd) + (finalBreak ? lineEnd : '');
  });

  it('builds the same values and ranges as the yaml package, or declines', () => {
    let accepted = 0;
    let acceptedCrlf = 0;
    fc.assert(
      fc.property(registryText, (text) => {
        const fast = readPlainYaml(text);
        if (fast === null) return;
        if (text.includes('\r\n')) acceptedCrlf++;
        accepted++;
        const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
        assert.deepEqual([...doc.errors, ...doc.warnings], [], text);
        assert.deepEqual(shape(fast), shape(doc.contents), text);
      }),
      { numRuns: 2000 },
    );
    assert.ok(accepted > 150, `only ${accepted} texts took the fast path`);
    assert.ok(acceptedCrlf > 30, `only ${acceptedCrlf} texts with CRLF line ends took the fast path`);
  });

  it('takes the plain registry shape (LF or CRLF) and declines flow mappings, tabs, lone CRs and multi-line values', () => {
    assert.notEqual(readPlainYaml('# r\nentities:\n  - id: a\n    name: A\n    type: person\n    aliases: [Al, "A. L."]\n'), null);
    assert.equal(readPlainYaml(GOOD), null);
    assert.equal(readPlainYaml('entities:\n  - id: a\n\tname: A\n'), null);
    assert.equal(readPlainYaml('entities:\n  - id: a\n    notes: one\n      two\n'), null);
    assert.notEqual(readPlainYaml('entities:\r\n  - id: a\r\n    name: A\r\n'), null);
    assert.equal(readPlainYaml('entities:\r  - id: a\r    name: A\r'), null);
  });

  it('gives parseRegistry the same result as the full parser', () => {
    const text = '# r\nentities:\n  - id: a\n    name: A\n    type: person\n    roles:\n      - title: T\n        org: b\n        from: 2024\n  - id: Bad\n    name: a\n    type: thing\n';
    assert.notEqual(readPlainYaml(text), null);
    // A trailing "..." (end of document) sends the same entities through the yaml package.
    const full = parseRegistry(`${text}...\n`, 'r');
    assert.deepEqual(parseRegistry(text, 'r').problems, full.problems);
    assert.deepEqual(parseRegistry(text, 'r').entities, full.entities);
  });
});

describe('mergeRegistries', () => {
  const one = parseRegistry('entities:\n  - { id: a, name: Alpha, type: place }\n  - { id: m, name: M, type: person, roles: [{ title: T, org: b }] }\n', 'one.yaml');
  const two = parseRegistry('entities:\n  - { id: b, name: Beta, type: place }\n  - { id: a, name: Other, type: place, aliases: [ALPHA] }\n', 'two.yaml');

  it('drops a duplicate id across files and reports it with the first file', () => {
    const merged = mergeRegistries([one, two]);
    assert.deepEqual(merged.entities.map((e) => `${e.source.file}:${e.id}`), ['one.yaml:a', 'one.yaml:m', 'two.yaml:b']);
    const dup = merged.problems.find((p) => p.rule === 'registry/duplicate-id')!;
    assert.equal(dup.file, 'two.yaml');
    assert.match(dup.message, /one\.yaml:2/);
  });

  it('rechecks references across files: an org in another file is known', () => {
    assert.ok(one.problems.some((p) => p.rule === 'registry/unknown-org'));
    assert.ok(!mergeRegistries([one, two]).problems.some((p) => p.rule === 'registry/unknown-org'));
  });

  it('finds name collisions across files, with each file in its problem', () => {
    const three = parseRegistry('entities:\n  - { id: c, name: alpha, type: event }\n', 'three.yaml');
    const collisions = mergeRegistries([one, three]).problems.filter((p) => p.rule === 'registry/name-collision');
    assert.deepEqual(collisions.map((p) => p.file).sort(), ['one.yaml', 'three.yaml']);
  });

  it('gives one file as the full merge does (its checks are its parse\'s), with the merge\'s version', () => {
    const file = parseRegistry('entities:\n  - { id: a, name: Alpha, type: place }\n  - { id: a, name: Again, type: place }\n  - { id: c, name: ALPHA, type: event, aliases: [Zed] }\n  - { id: m, name: M, type: person, roles: [{ title: T, org: nobody }] }\n', 'one.yaml');
    const empty = parseRegistry('entities: []\n', 'empty.yaml');
    const alone = mergeRegistries([file]);
    const full = mergeRegistries([file, empty]);
    assert.deepEqual({ ...alone, version: '' }, { ...full, version: '' });
    assert.deepEqual(alone.problems.map((p) => p.rule).sort(), ['registry/duplicate-id', 'registry/name-collision', 'registry/name-collision', 'registry/unknown-org']);
    assert.equal(alone.version, contentHash(file.version));
  });

  it('combines versions', () => {
    assert.notEqual(mergeRegistries([one, two]).version, mergeRegistries([two, one]).version);
    assert.equal(mergeRegistries([one, two]).version, mergeRegistries([one, two]).version);
  });
});

describe('roleAt', () => {
  const entity = registryFromEntries([
    {
      id: 'x',
      name: 'X',
      type: 'person',
      roles: [
        { title: 'Senator', from: '2018', to: '2024-03' },
        { title: 'Interior Minister', from: '2024-03-11' },
        { title: 'Envoy', to: '2010' },
      ],
    },
  ]).entities[0];
  const titles = (date: string | null) => roleAt(entity, date).map((r) => r.title);

  it('gives the roles held on a day', () => {
    assert.deepEqual(titles('2020-06-01'), ['Senator']);
    assert.deepEqual(titles('2024-03-20'), ['Senator', 'Interior Minister'], 'to: 2024-03 lasts the whole month');
    assert.deepEqual(titles('2024-04-01'), ['Interior Minister']);
    assert.deepEqual(titles('2005-01-01'), ['Envoy']);
  });

  it('treats partial dates as periods', () => {
    assert.deepEqual(titles('2024'), ['Senator', 'Interior Minister']);
    assert.deepEqual(titles('2024-02'), ['Senator']);
    assert.deepEqual(titles('2010'), ['Envoy']);
  });

  it('gives the open-ended roles when there is no date', () => {
    assert.deepEqual(titles(null), ['Interior Minister']);
  });
});

describe('isPartialDate', () => {
  it('accepts YYYY, YYYY-MM and real YYYY-MM-DD only', () => {
    for (const ok of ['2024', '2024-02', '2024-02-29', '1999-12-31']) assert.ok(isPartialDate(ok), ok);
    for (const bad of ['24', '2024-2', '2024-00', '2023-02-29', '2024-04-31', '2024/01/01', '2024-01-01T00:00']) assert.ok(!isPartialDate(bad), bad);
  });
});
