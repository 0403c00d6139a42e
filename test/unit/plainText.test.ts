import assert from 'node:assert/strict';
import { commitmentLabel, plainText } from '../../src/features/plainText';

describe('plainText', () => {
  it('drops emphasis, including a run cut off by the sentence start', () => {
    assert.equal(plainText('Tashkent, March 4* — Chinese Minister'), 'Tashkent, March 4 — Chinese Minister');
    assert.equal(plainText('*Nairobi, 21 October 2026* — Kenya'), 'Nairobi, 21 October 2026 — Kenya');
    assert.equal(plainText('**CAIRO** — ministers would **sign a memorandum**, and _Chen_ agreed'), 'CAIRO — ministers would sign a memorandum, and Chen agreed');
    assert.equal(plainText('~~withdrawn~~ plan'), 'withdrawn plan');
  });

  it('keeps link, image and entity-link text but not their destinations', () => {
    assert.equal(plainText('see the [ministry’s website](https://example.org/a_(b)) today'), 'see the ministry’s website today');
    assert.equal(plainText('talks [run](command:workbench.action.terminal.new) and [js](javascript:alert(1)) ![map](x.png)'), 'talks run and js map');
    assert.equal(plainText('[[wang-fang|Wang]] met [[jamshid-rakhimov]]'), 'Wang met jamshid-rakhimov');
  });

  it('drops list, quote and heading markers, HTML tags and code ticks; folds lines', () => {
    assert.equal(plainText('1. open the hub in `Andijan`;'), 'open the hub in Andijan;');
    assert.equal(plainText('> - convene the group\n  every <b>six</b> months'), 'convene the group every six months');
    assert.equal(plainText('## Talks <img src=x onerror=alert(1)> in Tashkent'), 'Talks in Tashkent');
  });

  it('leaves plain words alone: snake_case, arithmetic, escaped markup', () => {
    assert.equal(plainText('file_name and 2 * 3'), 'file_name and 2 * 3');
    assert.equal(plainText('a \\*literal\\* star'), 'a *literal* star');
    assert.equal(plainText('al-Rashidi’s 2026–2027 plan'), 'al-Rashidi’s 2026–2027 plan');
  });
});

describe('commitmentLabel', () => {
  it('does not repeat the kind’s verb', () => {
    assert.equal(commitmentLabel('invite', 'invite member states to a workshop', ''), 'invite: member states to a workshop');
    assert.equal(commitmentLabel('sign', 'signed a memorandum', ''), 'sign: a memorandum');
    assert.equal(commitmentLabel('agree', 'publish a list', ''), 'agree: publish a list');
    assert.equal(commitmentLabel('meet', 'meetings of the council every year', ''), 'meet: meetings of the council every year');
  });

  it('falls back to the sentence, as plain text', () => {
    assert.equal(commitmentLabel('meet', '', '*Rabat* — the ministers will meet again'), 'meet: Rabat — the ministers will meet again');
    assert.equal(commitmentLabel('pledge', '**pledge**', ''), 'pledge: pledge');
  });
});
