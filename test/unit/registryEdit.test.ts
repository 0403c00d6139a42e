import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRegistry, type EntityEntry } from '../../src/core/registry';
import { addAlias, addEntity, renameEntityId, RegistryEditError, suggestId } from '../../src/core/registryEdit';
import { ENTITY_TYPES } from '../../src/core/types';

const FILE = `# Team registry — keep sorted by country
entities:
  # Pakistan
  - id: mohsin-naqvi          # unique, stable
    name: Mohsin Naqvi        # canonical name
    type: person
    aliases: [Naqvi]
    roles:
      - { title: Interior Minister, org: moi-pk, from: 2024-03-11 }

  - id: moi-pk
    name: "Ministry of Interior"
    type: organization
    aliases:
      - MoI   # short
  - { id: wang, name: Wang Xiaohong, type: person }
# end
`;

/** Asserts `after` is `before` with exactly one inserted run of text; returns the run. */
function insertion(before: string, after: string): string {
  let i = 0;
  while (i < before.length && before[i] === after[i]) i++;
  const tail = before.slice(i);
  assert.ok(after.endsWith(tail), 'everything after the insertion is unchanged');
  return after.slice(i, after.length - tail.length);
}

describe('addEntity', () => {
  it('appends the entry and leaves every other byte as it was', () => {
    const out = addEntity(FILE, { id: 'xu-datong', name: 'Xu Datong', type: 'person', aliases: ['Xu'], country: 'CN', roles: [{ title: 'Vice Minister', from: '2024' }] });
    const added = '  - id: xu-datong\n    name: Xu Datong\n    type: person\n    aliases: [Xu]\n    country: CN\n    roles:\n      - {title: Vice Minister, from: "2024"}\n';
    assert.equal(out, FILE.replace('# end\n', `${added}# end\n`));
    const reg = parseRegistry(out, 'r');
    assert.deepEqual(reg.problems, []);
    assert.deepEqual(reg.byId.get('xu-datong')!.roles, [{ title: 'Vice Minister', from: '2024' }]);
  });

  it('makes a taken id unique', () => {
    const once = addEntity(FILE, { id: 'wang', name: 'Wang Yong', type: 'person' });
    const twice = addEntity(once, { id: 'wang', name: 'Wang Yi', type: 'person' });
    assert.deepEqual(parseRegistry(twice, 'r').entities.map((e) => e.id), ['mohsin-naqvi', 'moi-pk', 'wang', 'wang-2', 'wang-3']);
  });

  it('quotes values that need it', () => {
    const out = addEntity(FILE, { id: 'x', name: 'Group: "A", #1', type: 'organization', aliases: ['a, b', '[c]'], notes: 'line one\nline two' });
    const e = parseRegistry(out, 'r').byId.get('x')!;
    assert.equal(e.name, 'Group: "A", #1');
    assert.deepEqual(e.aliases, ['a, b', '[c]']);
    assert.equal(e.notes, 'line one\nline two');
  });

  it('creates the content of an empty file, and the list where it is missing or empty', () => {
    const entry: EntityEntry = { id: 'a', name: 'A', type: 'place' };
    const block = 'entities:\n  - id: a\n    name: A\n    type: place\n';
    assert.equal(addEntity('', entry), block);
    assert.equal(addEntity('# our registry\n', entry), `# our registry\n${block}`);
    assert.equal(addEntity('entities: []\n', entry), block);
    assert.equal(addEntity('entities:\n', entry), block);
    assert.equal(addEntity('entities: [{id: b, name: B, type: place}]\n', entry), 'entities: [{id: b, name: B, type: place}, {id: a, name: A, type: place}]\n');
  });

  it('refuses to edit a file it cannot read', () => {
    assert.throws(() => addEntity('entities: [\n', { id: 'a', name: 'A', type: 'place' }), RegistryEditError);
    assert.throws(() => addEntity('- a\n', { id: 'a', name: 'A', type: 'place' }), RegistryEditError);
  });

  it('keeps every old entity and adds the new one (property)', () => {
    const word = fc.stringMatching(/^[A-Za-zÀ-ÿ王毅:#,'" -]{1,12}$/).filter((s) => s.trim() !== '');
    const entry = fc.record({
      id: fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,4})?$/),
      name: word,
      type: fc.constantFrom(...ENTITY_TYPES),
      aliases: fc.array(word, { maxLength: 3 }),
      notes: fc.option(word, { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), entry, (olds, added) => {
        let text = FILE;
        for (const e of olds) text = addEntity(text, e);
        const before = parseRegistry(text, 'r');
        const after = parseRegistry(addEntity(text, added), 'r');
        assert.equal(after.entities.length, before.entities.length + 1);
        assert.deepEqual(after.entities.slice(0, -1).map((e) => [e.id, e.name, e.aliases]), before.entities.map((e) => [e.id, e.name, e.aliases]));
        const last = after.entities[after.entities.length - 1];
        assert.equal(last.name, added.name.trim());
        assert.equal(last.type, added.type);
        assert.ok(last.id === added.id || last.id.startsWith(`${added.id}-`));
        assert.ok(!after.problems.some((p) => p.severity === 'error'), JSON.stringify(after.problems));
      }),
      { numRuns: 150 },
    );
  });
});

describe('renameEntityId', () => {
  it('renames the id and every org reference, nothing else', () => {
    const out = renameEntityId(FILE, 'moi-pk', 'ministry-of-interior-pk');
    assert.equal(out, FILE.replace('org: moi-pk', 'org: ministry-of-interior-pk').replace('id: moi-pk', 'id: ministry-of-interior-pk'));
  });

  it('keeps the quote style of the id', () => {
    const text = 'entities:\n  - id: "a"   # note\n    name: A\n    type: place\n';
    assert.equal(renameEntityId(text, 'a', 'b'), 'entities:\n  - id: "b"   # note\n    name: A\n    type: place\n');
  });

  it('refuses an unknown id or one already taken', () => {
    assert.throws(() => renameEntityId(FILE, 'nobody', 'x'), /No entity with id "nobody"/);
    assert.throws(() => renameEntityId(FILE, 'wang', 'moi-pk'), /already used/);
  });
});

describe('addAlias', () => {
  it('extends a flow list', () => {
    assert.equal(insertion(FILE, addAlias(FILE, 'mohsin-naqvi', 'M. Naqvi')), ', M. Naqvi');
  });

  it('extends a block list with the same indentation', () => {
    assert.equal(addAlias(FILE, 'moi-pk', 'Interior Ministry'), FILE.replace('# short\n', '# short\n      - Interior Ministry\n'));
  });

  it('adds the key to a flow mapping', () => {
    assert.equal(insertion(FILE, addAlias(FILE, 'wang', 'Wang')), ', aliases: [Wang]');
  });

  it('adds an aliases line after the name in a block mapping', () => {
    const text = 'entities:\n  - id: a\n    name: Alpha   # n\n    type: place\n';
    assert.equal(addAlias(text, 'a', 'Al: pha'), 'entities:\n  - id: a\n    name: Alpha   # n\n    aliases: ["Al: pha"]\n    type: place\n');
  });

  it('leaves the file alone when the alias is already a name of the entity', () => {
    assert.equal(addAlias(FILE, 'mohsin-naqvi', 'naqvi'), FILE);
    assert.equal(addAlias(FILE, 'mohsin-naqvi', 'Mohsin Naqvi'), FILE);
  });

  it('refuses an unknown id', () => {
    assert.throws(() => addAlias(FILE, 'nobody', 'x'), RegistryEditError);
  });
});

describe('suggestId', () => {
  it('makes kebab-case, folding Latin accents and keeping other scripts', () => {
    assert.equal(suggestId('Mohsin Naqvi'), 'mohsin-naqvi');
    assert.equal(suggestId('José Ñúñez'), 'jose-nunez');
    assert.equal(suggestId('Łukasz Ørsted'), 'lukasz-orsted');
    assert.equal(suggestId('Ali al-Sisi (Jr.)'), 'ali-al-sisi-jr');
    assert.equal(suggestId('王毅'), '王毅');
    assert.equal(suggestId('Сергей Лавров'), 'сергей-лавров');
    assert.equal(suggestId('!!!'), 'entity');
  });
});
