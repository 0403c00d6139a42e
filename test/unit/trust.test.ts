// Restricted Mode: every write asks the guard, which refuses with a clear message while the workspace
// is not trusted. The extension-host suites run with workspace trust disabled (always trusted), so the
// refusal is tested here with the trust check injected.
import assert from 'node:assert/strict';
import { WriteGuard } from '../../src/features/trust';

function guard(trusted: { value: boolean }): { guard: WriteGuard; told: string[] } {
  const told: string[] = [];
  return { guard: new WriteGuard(() => trusted.value, (m) => told.push(m)), told };
}

describe('WriteGuard', () => {
  it('allows writes in a trusted workspace without a word', () => {
    const { guard: g, told } = guard({ value: true });
    assert.equal(g.allows('the checklist'), true);
    assert.equal(g.refusal('the checklist'), undefined);
    assert.equal(g.trusted, true);
    assert.deepEqual(told, []);
  });

  it('refuses each write in Restricted Mode, saying what was not written and how to allow it', () => {
    const { guard: g, told } = guard({ value: false });
    for (const what of ['the checklist', 'the registry entry', 'the export', 'the link']) assert.equal(g.allows(what), false);
    assert.equal(told.length, 4, 'one message per refused write');
    assert.match(told[0], /^Attaché: the checklist not written: this workspace is in Restricted Mode/);
    assert.match(told[2], /the export not written/);
    for (const message of told) assert.match(message, /Manage Workspace Trust/);
    assert.equal(g.refusal('the renamed id'), told[0].replace('the checklist', 'the renamed id'));
    assert.equal(g.trusted, false);
  });

  it('asks afresh each time: granting trust later allows the next write', () => {
    const trusted = { value: false };
    const { guard: g, told } = guard(trusted);
    assert.equal(g.allows('the checklist'), false);
    trusted.value = true;
    assert.equal(g.allows('the checklist'), true);
    assert.equal(told.length, 1);
  });
});
