import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { CUE_GATES, findCommitments } from '../../src/core/commitments';
import { LineIndex } from '../../src/core/positions';
import type { Commitment, EntityType } from '../../src/core/types';
import { buildInputs, type Names } from '../fixtures/commitments/build';
import { fixtureLines } from './fixtureLines';

const FIXTURES = path.join(__dirname, '../fixtures/commitments');

interface Gold {
  doc: string;
  date: string;
  entities: Array<{ type: EntityType; mentions: string[] }>;
  commitments: Array<{ key: string; must: boolean; due?: string[]; recurrence?: string }>;
}

function namesOf(gold: Gold): Names {
  const names: Names = {};
  for (const e of gold.entities) for (const m of e.mentions) names[m] = [e.type, e.mentions[0]];
  return names;
}

function run(text: string, names: Names = {}, date: string | null = '2026-01-07'): Commitment[] {
  const { doc, sentences, entities, mentions } = buildInputs(text, names);
  return findCommitments(doc, sentences, entities, mentions, date);
}

/** The commitment whose span holds `key` (as the scorer matches them). */
function holding(text: string, found: Commitment[], key: string): Commitment | undefined {
  const at = text.indexOf(key);
  assert.ok(at >= 0, `key not in text: ${key}`);
  return found.find((c) => c.start <= at && c.end >= at + key.length);
}

describe('findCommitments on fixture articles', () => {
  for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.gold.json'))) {
    const gold = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Gold;
    const text = fs.readFileSync(path.join(FIXTURES, gold.doc), 'utf8');
    const found = run(text, namesOf(gold), gold.date);

    it(`${gold.doc}: finds every must commitment with its due date and recurrence`, () => {
      for (const g of gold.commitments.filter((c) => c.must)) {
        const hit = holding(text, found, g.key);
        assert.ok(hit, `missed: ${g.key}`);
        if (g.due) assert.ok(g.due.some((d) => hit.due?.startsWith(d)), `due of ${g.key}: ${hit.due}`);
        if (g.recurrence) assert.equal(hit.recurrence, g.recurrence, `recurrence of ${g.key}`);
      }
    });

    it(`${gold.doc}: predicts nothing outside the gold list`, () => {
      for (const c of found) {
        assert.ok(gold.commitments.some((g) => holding(text, [c], g.key)), `extra: ${c.text}`);
      }
    });

    it(`${gold.doc}: spans slice the text and lines are 1-based`, () => {
      const lines = new LineIndex(text);
      for (const c of found) {
        assert.equal(text.slice(c.start, c.end), c.text);
        assert.equal(c.line, lines.positionAt(c.start).line);
        assert.ok(c.action.length > 0);
      }
    });
  }
});

describe('findCommitments', () => {
  const names: Names = {
    'Mohsin Naqvi': ['person', 'Mohsin Naqvi'], Naqvi: ['person', 'Mohsin Naqvi'],
    'Wang Xiaohong': ['person', 'Wang Xiaohong'], Wang: ['person', 'Wang Xiaohong'],
    Pakistan: ['place', 'Pakistan'], China: ['place', 'China'],
    'Joint Working Group': ['organization', 'Joint Working Group'],
  };
  const lead = 'Interior Minister Mohsin Naqvi met Wang Xiaohong in Beijing. Pakistan and China are partners.\n\n';

  it('splits one sentence into two clause commitments when each states its own time', () => {
    const text = `${lead}Officials said Pakistan and China reached consensus on convening a Joint Working Group meeting every three months, while the interior ministers will meet annually.`;
    const found = run(text, names);
    assert.equal(found.length, 2);
    const [first, second] = found;
    assert.equal(first.kind, 'consensus');
    assert.equal(first.recurrence, 'P3M');
    assert.deepEqual(first.actors, ['Pakistan', 'China']);
    assert.equal(second.kind, 'meet');
    assert.equal(second.recurrence, 'P1Y');
    assert.ok(holding(text, [first], 'every three months'));
    assert.ok(holding(text, [second], 'meet annually'));
    assert.ok(!holding(text, [first], 'meet annually'));
  });

  it('parts "agreed to A, to B, and to C" where a later infinitive states its own time', () => {
    const text = `${lead}The two sides agreed to hold the next round in Islamabad in the third quarter of this year, to speed up the visa scheme, and to sign a transit protocol before the end of the year.`;
    const found = run(text, names);
    assert.equal(found.length, 2);
    assert.ok(holding(text, found, 'hold the next round')?.due?.startsWith('2026-09'));
    assert.equal(holding(text, found, 'to speed up the visa scheme'), found[0]);
    const last = holding(text, found, 'sign a transit protocol before the end of the year');
    assert.ok(last?.due?.startsWith('2026-12'));
    assert.equal(last?.action, 'sign a transit protocol');
  });

  it('parts "agreed that A …, and that B …" with different times', () => {
    const text = `${lead}The parties agreed that consultations will be held in the second half of the year, and that the Joint Working Group will convene in Lahore in September.`;
    const found = run(text, names);
    assert.equal(found.length, 2);
    assert.ok(holding(text, found, 'convene in Lahore in September')?.due?.startsWith('2026-09'));
    assert.notEqual(holding(text, found, 'consultations will be held')?.due?.slice(0, 7), '2026-09');
  });

  it('keeps one commitment when a later infinitive repeats no cue ("agreed to send aid, to be delivered …")', () => {
    const text = `${lead}Both sides agreed to send medical aid, to be delivered by sea in March.`;
    const found = run(text, names);
    assert.equal(found.length, 1);
    assert.equal(found[0].text, text.slice(lead.length));
  });

  it('reads "reaffirmed their commitment to <verb> <object>" as a pledge, not "commitment to peace"', () => {
    const pledge = `${lead}The ministers reaffirmed their commitment to coordinate approaches at the United Nations.`;
    const found = run(pledge, names);
    assert.equal(found.length, 1);
    assert.equal(found[0].action, 'coordinate approaches at the United Nations');
    assert.equal(run(`${lead}The ministers reaffirmed their commitment to peace and stability in the region.`, names).length, 0);
    assert.equal(run(`${lead}The ministers reaffirmed their commitment to multilateralism.`, names).length, 0);
  });

  it('keeps one commitment when the second clause adds no time of its own', () => {
    const text = `${lead}Both sides agreed to make rapid-response mechanisms more effective, while expanding police training.`;
    const found = run(text, names);
    assert.equal(found.length, 1);
    assert.equal(found[0].text, text.slice(lead.length));
    assert.equal(found[0].action, 'make rapid-response mechanisms more effective');
    assert.deepEqual(found[0].actorKeys, ['Mohsin Naqvi', 'Wang Xiaohong']);
  });

  it('puts the invitee into the action and takes the due date from the sentence', () => {
    const text = `${lead}Wang invited Naqvi to attend the Global Security Cooperation Forum scheduled to be held in China in September.`;
    const [c] = run(text, names);
    assert.equal(c.kind, 'invite');
    assert.deepEqual(c.actors, ['Wang Xiaohong']);
    assert.equal(c.action, 'invite Naqvi to attend the Global Security Cooperation Forum scheduled to be held in China');
    assert.equal(c.due, '2026-09');
    assert.equal(c.dueText, 'in September');
  });

  it('resolves "he" to the last person in subject position', () => {
    const text = `${lead}Wang praised the visit. He also offered to host a police training course in May.`;
    const [c] = run(text, names);
    assert.equal(c.kind, 'offer');
    assert.deepEqual(c.actors, ['Wang Xiaohong']);
    assert.equal(c.action, 'host a police training course');
    assert.equal(c.due, '2026-05');
  });

  it('takes the person after a possessive country and a long title, commas and "for" inside it, as the actor', () => {
    const people: Names = {
      'Wang Jianmin': ['person', 'Wang Jianmin'], Uzbekistan: ['place', 'Uzbekistan'], 'Jamshid Rakhimov': ['person', 'Jamshid Rakhimov'],
      Kenya: ['place', 'Kenya'], 'Rebecca Miano': ['person', 'Rebecca Miano'],
    };
    const joint = 'Chinese Minister of Commerce Wang Jianmin and Uzbekistan’s Minister of Investment, Industry and Trade Jamshid Rakhimov agreed to open a hub by March 2027.';
    assert.deepEqual(run(joint, people)[0].actors, ['Wang Jianmin', 'Jamshid Rakhimov']);
    const alone = "Kenya's Cabinet Secretary for Trade, Investment and Industry Rebecca Miano pledged to open a trade office by June 2027.";
    assert.deepEqual(run(alone, people)[0].actors, ['Rebecca Miano']);
    // A country and a person not joined by a title stay two actors.
    assert.deepEqual(run('Uzbekistan and Jamshid Rakhimov agreed to open a hub by March 2027.', people)[0].actors, ['Uzbekistan', 'Jamshid Rakhimov']);
  });

  it('quotes a sentence without the dateline it opens with, and keeps a dash of the prose', () => {
    const dated = run('*Tashkent, March 4* — China and Uzbekistan agreed to open a hub by March 2027.', names);
    assert.equal(dated[0].text, 'China and Uzbekistan agreed to open a hub by March 2027.');
    const prose = run('The talks — long and hard — ended with a pledge: both sides agreed to open a hub by March 2027.', names);
    assert.ok(prose[0].text.startsWith('The talks — long and hard —'), prose[0].text);
  });

  it('maps "both countries" to the most mentioned places', () => {
    const text = `${lead}Both countries agreed to strengthen institutional mechanisms.`;
    assert.deepEqual(run(text, names)[0].actors, ['Pakistan', 'China']);
  });

  it('maps "the two ministers" to the persons of the lead paragraph before the most mentioned', () => {
    const more: Names = { ...names, 'Li Qiang': ['person', 'Li Qiang'], Li: ['person', 'Li Qiang'] };
    const text = `${lead}Premier Li Qiang spoke. Li praised the ties. Li thanked the hosts.\n\nThe two ministers agreed to open a liaison office.`;
    assert.deepEqual(run(text, more)[0].actors, ['Mohsin Naqvi', 'Wang Xiaohong']);
    // With no second person in the lead, the most mentioned one completes the pair.
    const alone = `Interior Minister Mohsin Naqvi arrived.\n\nPremier Li Qiang spoke. Li praised the ties. Wang Xiaohong came.\n\nThe two ministers agreed to open a liaison office.`;
    assert.deepEqual(run(alone, more)[0].actors, ['Mohsin Naqvi', 'Li Qiang']);
  });

  it('maps "the three ministers" to three principals, "the two ministers" to two', () => {
    const more: Names = { ...names, 'Li Qiang': ['person', 'Li Qiang'] };
    const trilateral = 'Minister Mohsin Naqvi hosted Wang Xiaohong and Li Qiang in Islamabad.\n\n';
    assert.deepEqual(run(`${trilateral}The three ministers agreed to open a liaison office.`, more)[0].actors, ['Mohsin Naqvi', 'Wang Xiaohong', 'Li Qiang']);
    assert.equal(run(`${trilateral}The two ministers agreed to open a liaison office.`, more)[0].actors.length, 2);
  });

  it('reads an agreement with a named partner and an invitation conveyed from someone', () => {
    const agreed = run(`${lead}We have also agreed with the AU that a joint team will report every two months.`, names)[0];
    assert.equal(agreed.kind, 'agree');
    assert.equal(agreed.recurrence, 'P2M');
    const invited = run(`${lead}Naqvi conveyed an invitation from President Zardari to Wang to visit Islamabad in March.`, names, '2026-09-18')[0];
    assert.equal(invited.kind, 'invite');
    assert.equal(invited.due, '2027-03');
    // Agreeing with a view is an opinion, not a commitment.
    assert.deepEqual(run(`${lead}Naqvi agreed with the assessment of the experts.`, names), []);
  });

  it('parts a second verb of the same subject only when both parts state a time', () => {
    const text = `${lead}Wang said Beijing would host the forum on 14 December, and invited Naqvi to a meeting in Lahore in November.`;
    const found = run(text, names, '2026-09-18');
    assert.deepEqual(found.map((c) => [c.kind, c.due]), [['meet', '2026-12-14'], ['invite', '2026-11']]);
    // The second verb is the speaker's deed, not the reported subject's.
    assert.deepEqual(found[1].actors, ['Wang Xiaohong']);
    // One time for both verbs: one commitment, the time its own.
    const one = run(`${lead}The ministers agreed on a common data standard, and tasked the Joint Working Group with a draft by 31 January 2027.`, names);
    assert.deepEqual(one.map((c) => c.due), ['2027-01-31']);
  });

  it('gives list items under a lead-in the lead-in\'s kind and parties, one per item', () => {
    const text = `${lead}The two ministers committed to:\n\n- hold joint patrols every month;\n- open a liaison office within six months.\n\nThe weather was fine.`;
    const found = run(text, names);
    assert.equal(found.length, 2);
    for (const c of found) {
      assert.equal(c.kind, 'pledge');
      assert.deepEqual(c.actors, ['Mohsin Naqvi', 'Wang Xiaohong']);
    }
    assert.equal(found[0].text, 'hold joint patrols every month;');
    assert.equal(found[0].recurrence, 'P1M');
    assert.equal(found[0].action, 'hold joint patrols');
    assert.equal(found[1].due, '2026-07');
  });

  it('reads numbered paragraphs of a joint statement as list items', () => {
    const text = `${lead}1. The two sides agreed to set up a hotline by the end of 2026.\n2. The two sides expressed satisfaction with trade.`;
    const found = run(text, names);
    assert.equal(found.length, 1);
    assert.equal(found[0].text, 'The two sides agreed to set up a hotline by the end of 2026.');
    assert.equal(found[0].due, '2026-12');
    assert.equal(found[0].action, 'set up a hotline');
  });

  it('reads lettered paragraphs under a lead-in as its items, and ends the list at a plain paragraph', () => {
    const text = `${lead}The two ministers committed themselves to:\n\na) Conclude the treaty before the end of the first semester of 2027;\n\nb) Convene the commission in Quito.\n\nThe weather was fine.`;
    const found = run(text, names);
    assert.deepEqual(found.map((c) => [c.text, c.kind, c.due]), [
      ['a) Conclude the treaty before the end of the first semester of 2027;', 'pledge', '2027-06'],
      ['b) Convene the commission in Quito.', 'pledge', null],
    ]);
    assert.deepEqual(found[1].actors, ['Mohsin Naqvi', 'Wang Xiaohong']);
  });

  it('reads "concurred to", signed exchanges of notes and far-reaching requests, not "decides to remain seized"', () => {
    assert.equal(run(`${lead}The ministers concurred to strengthen coordination.`, names)[0]?.kind, 'agree');
    assert.equal(run(`${lead}The ministers signed the Exchange of Notes on the grant aid.`, names)[0]?.kind, 'sign');
    const request = run(`${lead}Further requests the Commission, in collaboration with the regional bodies and the East African Community, to convene a donors' conference.`, names);
    assert.equal(request[0]?.kind, 'request');
    assert.deepEqual(run(`${lead}Decides to remain actively seized of the matter.`, names), []);
    assert.deepEqual(run(`${lead}The ministers concurred with the assessment.`, names), []);
    assert.equal(run(`${lead}Naqvi said Pakistan would contribute USD 5 million to the fund.`, names)[0]?.kind, 'pledge');
    assert.deepEqual(run(`${lead}Naqvi said the fund would contribute to peace.`, names), []);
  });

  it('reads a passive signing of a named agreement, and no "will also explore"', () => {
    assert.equal(run(`${lead}A memorandum of understanding on policing was also signed.`, names)[0]?.kind, 'sign');
    assert.deepEqual(run(`${lead}The treaty, which was signed in 2015, remains in force.`, names), []);
    assert.deepEqual(run(`${lead}The two sides will also explore new areas of cooperation.`, names), []);
    assert.equal(run(`${lead}The two sides will also open consulates in Lahore and Kashgar.`, names)[0]?.kind, 'agree');
  });

  it('maps "the ministers" with no number to every person of the lead, "the two ministers" to two', () => {
    const more: Names = { ...names, 'Li Qiang': ['person', 'Li Qiang'] };
    const trilateral = 'Minister Mohsin Naqvi hosted Wang Xiaohong and Li Qiang in Islamabad.\n\n';
    assert.deepEqual(run(`${trilateral}The ministers agreed to open a liaison office.`, more)[0].actors, ['Mohsin Naqvi', 'Wang Xiaohong', 'Li Qiang']);
    assert.equal(run(`${trilateral}Both ministers agreed to open a liaison office.`, more)[0].actors.length, 2);
    assert.deepEqual(run(`${lead}The ministers agreed to open a liaison office.`, names)[0].actors, ['Mohsin Naqvi', 'Wang Xiaohong']);
  });

  it('leaves out opinions, history, speculation, negations, conditionals and quotes', () => {
    const sentences = [
      'Wang expressed satisfaction with the security arrangements.',
      'The ministers underlined the need for closer coordination.',
      'The two ministers last met in 2015, when they had signed a memorandum on policing.',
      'Pakistan and China had agreed to build the road in 2019.',
      'Observers expect the talks to produce a treaty, and analysts said China could sign a trade agreement.',
      'The two sides did not agree on a timetable.',
      'Pakistan failed to reach consensus with China on data sharing.',
      'If the talks succeed, China will provide new scanners.',
      '"We pledged to stand together forever," Naqvi said.',
      'The two sides will discuss the matter further.',
      'The ministers will meet soon.',
      'The two sides agreed that terrorism is the common enemy of humanity.',
      'The two sides exchanged views on the implementation of the agreement.',
      'Naqvi called on President Zardari to discuss the visit.',
    ];
    assert.deepEqual(run(`${lead}${sentences.join(' ')}`, names), []);
  });

  it('counts a meeting only with a time or as "the next" one', () => {
    assert.equal(run(`${lead}The talks will be held in Islamabad.`, names).length, 0);
    assert.equal(run(`${lead}The talks will be held in Islamabad in March.`, names)[0].kind, 'meet');
    assert.equal(run(`${lead}The next round of talks will be held in Islamabad.`, names)[0].kind, 'meet');
  });

  it('recognises signings, decisions, pledges, requests and announcements', () => {
    const kinds = (s: string): string[] => run(`${lead}${s}`, names).map((c) => c.kind);
    assert.deepEqual(kinds('Pakistan and China signed two memoranda of understanding on policing.'), ['sign']);
    assert.deepEqual(kinds('China decided to open a visa centre in Pakistan.'), ['decide']);
    assert.deepEqual(kinds('China pledged $20 million for police equipment.'), ['pledge']);
    assert.deepEqual(kinds('Pakistan requested China to share satellite imagery.'), ['request']);
    assert.deepEqual(kinds('Naqvi announced the establishment of a protection unit.'), ['announce']);
    assert.deepEqual(kinds('China will provide 200 scholarships to Pakistani officers.'), ['pledge']);
    assert.deepEqual(kinds('The two sides agreed that the commission would meet every six months.'), ['agree']);
  });

  it('reads an agreement named as a noun, whoever reports it, with its time', () => {
    const found = run(`${lead}Naqvi welcomed the agreement to establish a joint border commission within two years.`, names);
    assert.deepEqual(found.map((c) => [c.kind, c.action, c.due]), [['agree', 'establish a joint border commission', '2028-01']]);
    // Not when what follows "to" is no deed: a thing, or a passive.
    assert.deepEqual(run(`${lead}Naqvi praised the agreement to the east of the river.`, names), []);
    assert.deepEqual(run(`${lead}Naqvi described the accord to be signed in March.`, names).filter((c) => c.kind === 'agree'), []);
  });

  it('normalises relative dates only when the article date is known', () => {
    const text = `${lead}Both sides agreed to review the plan within six months and sign it by March 3, 2027.`;
    const withDate = run(text, names)[0];
    assert.equal(withDate.due, '2027-03-03');
    const undated = run(`${lead}Both sides agreed to review the plan within six months.`, names, null)[0];
    assert.equal(undated.due, null);
  });

  it('stays fast on long hostile input', () => {
    const hostile = 'agreed to "May 1 within six months every year the two sides will hold ' .repeat(3000);
    const started = performance.now();
    run(`${lead}${hostile}`, names);
    assert.ok(performance.now() - started < 5000, 'took too long');
  });

  it('keeps when the agreement was made out of the action', () => {
    const text = `${lead}*Islamabad, March 4* — Naqvi and Wang agreed on Wednesday to open a liaison office, officials said.`;
    const [c] = run(text, names);
    assert.equal(c.action, 'open a liaison office');
    assert.deepEqual(c.actors, ['Mohsin Naqvi', 'Wang Xiaohong']);
    assert.equal(run(`${lead}China pledged on Tuesday afternoon to train police officers.`, names)[0].action, 'train police officers');
  });

  it('reads "decided to:" as a lead-in of the list that follows', () => {
    const text = `${lead}In the final communiqué, the ministers decided to:\n\n- convene an expert group every six months;\n- hold a summit in the second quarter of 2027.`;
    const found = run(text, names);
    assert.deepEqual(found.map((c) => [c.kind, c.recurrence, c.due]), [['decide', 'P6M', null], ['decide', null, '2027-06']]);
  });

  it('reads treaty articles, arranged meetings and instructions as commitments', () => {
    const kinds = (s: string): string[] => run(`${lead}${s}`, names).map((c) => c.kind);
    assert.deepEqual(kinds('Each Party shall designate a national focal point.'), ['agree']);
    assert.deepEqual(kinds('The Contracting Parties shall exchange hydrological data.'), ['agree']);
    assert.deepEqual(kinds('The ministers are to meet again in Lahore in October.'), ['meet']);
    assert.deepEqual(kinds('Talks on the facility will resume in Geneva on 12 January 2027.'), ['meet']);
    assert.deepEqual(kinds('The two ministers instructed their officials to prepare a roadmap by the end of summer.'), ['decide']);
    assert.deepEqual(kinds('The two ministers discussed the possibility of a joint fund, and Naqvi looked forward to closer ties.'), []);
  });

  it('takes countries for "both countries" even when a city is mentioned more', () => {
    const places: Names = { ...names, Beijing: ['place', 'Beijing'] };
    const text = `${lead}Beijing and Beijing and Beijing hosted it. Both countries agreed to strengthen institutional mechanisms.`;
    assert.deepEqual(run(text, places).at(-1)?.actors, ['Pakistan', 'China']);
  });

  it('finds the parties behind "ministers of", "the Government of" and a bracketed acronym', () => {
    const orgs: Names = {
      ...names,
      'Arab League': ['organization', 'Arab League'],
      'Kenya Revenue Authority': ['organization', 'Kenya Revenue Authority'], KRA: ['organization', 'Kenya Revenue Authority'],
      'Ethiopian Customs Commission': ['organization', 'Ethiopian Customs Commission'],
    };
    const actors = (s: string): string[] => run(`${lead}${s}`, orgs)[0].actors;
    assert.deepEqual(actors('Foreign ministers of the Arab League agreed to set up a water mechanism.'), ['Arab League']);
    assert.deepEqual(actors('The Government of Pakistan offered to host the talks in 2027.'), ['Pakistan']);
    assert.deepEqual(
      actors('The Kenya Revenue Authority (KRA) and the Ethiopian Customs Commission signed a protocol on manifests.'),
      ['Kenya Revenue Authority', 'Ethiopian Customs Commission'],
    );
  });

  it('gives a reported meeting to the party reported, not the speaker', () => {
    const [c] = run(`${lead}Naqvi stressed that Pakistan will host the next round of talks in Lahore in October.`, names);
    assert.equal(c.kind, 'meet');
    assert.deepEqual(c.actors, ['Pakistan']);
    assert.equal(c.action, 'Pakistan will host the next round of talks in Lahore');
  });

  it('ends the action before a participle phrase and leaves no dangling preposition', () => {
    const signed = run(`${lead}Pakistan and China signed an agreement on policing, witnessed by the two ministers.`, names)[0];
    assert.equal(signed.action, 'sign an agreement on policing');
    const meet = run(`${lead}The Joint Working Group shall meet in semi-annual sessions.`, names)[0];
    assert.equal(meet.action, 'The Joint Working Group shall meet');
    assert.equal(meet.recurrence, 'P6M');
  });

  it('skips headings', () => {
    assert.deepEqual(run('# Pakistan and China agree to expand ties\n\nText.', names), []);
  });
});

describe('the words that let a sentence through to the cue patterns', () => {
  // Each pattern runs only on sentences that have one of its words: no match may lack them.
  const neverHidden = (text: string): void => {
    for (const [words, pattern] of CUE_GATES) {
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        const lower = m[0].toLowerCase();
        assert.ok(words.some((w) => lower.includes(w)), `${JSON.stringify(text)}: ${pattern.source.slice(0, 60)} matches ${JSON.stringify(m[0])}`);
      }
      pattern.lastIndex = 0;
    }
  };

  it('never hide a match on cue phrases in any case and any surroundings', () => {
    const phrase = fc.constantFrom(
      'reached consensus on', 'arrived at a broad consensus to', 'consensus was reached that', 'reached an agreement on', 'agreed to',
      'agreed on Wednesday to', 'agree in principle:', 'accepted the invitation to', 'pledged to', 'promises to', 'vowed', 'undertook to',
      'committed themselves to', 'signed a memorandum', 'inked two deals', 'signing of the accord', 'exchanged letters of intent',
      'decided that', 'resolves to', 'instructed their officials to', 'tasked the secretariat with', 'invited the minister to',
      'extended an invitation to', 'offered to', 'offered technical assistance', 'readiness to', 'stands ready to', 'announced plans',
      'requested the bank to fund', 'called upon the council to act', 'will meet', 'are to reconvene', 'shall co-host', 'would organise',
      'will be held', 'is to take place', 'will be established', 'scheduled to convene', 'slated for', 'to be held',
      'both sides will build', 'the parties shall', 'each member state will', 'will provide', 'would also send', 'next year', 'March',
    );
    const glue = fc.constantFrom(' ', '', '-', '.', ',', '\n', '\u00a0', 'x', 'İ', '\u212a', 'ſ', '’', ':', ' the ', ' China ', ' in 2027 ');
    const caseOf = fc.constantFrom((s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.toLowerCase(), (s: string) => s.replace(/s/g, 'ſ'));
    fc.assert(
      fc.property(fc.array(fc.tuple(glue, phrase, caseOf), { maxLength: 6 }), glue, (parts, last) => {
        neverHidden(parts.map(([g, p, c]) => g + c(p)).join('') + last);
      }),
      { numRuns: 1500 },
    );
  });

  it('never hide a match in the sentences of the fixtures', () => {
    for (const line of fixtureLines()) neverHidden(line);
  });
});
