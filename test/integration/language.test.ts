// The language features in a real VS Code: highlights, hover card, definition, references, rename,
// completion, diagnostics with their quick fixes, and live reaction to registry edits. The suite
// brings its own registry and articles, so it does not depend on the sample workspace's wording.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AttacheApi } from '../../src/extension';
import type { DecorationsSnapshot } from '../../src/features/decorations';

const REGISTRY = `# Registry for the language tests: this comment must survive every edit.
entities:
  - id: mohsin-naqvi
    name: Mohsin Naqvi
    type: person
    aliases: [Naqvi]
    country: PK
    roles:
      - { title: Interior Minister, org: ministry-of-interior-pk, from: 2024-03-11 }
      - { title: Chairman of the Cricket Board, from: 2020-01-01, to: 2023-12-31 }
    notes: "Planted [click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> [js](javascript:alert(1)) **bold**"
  - id: ministry-of-interior-pk   # referenced by the role above
    name: Ministry of Interior
    type: organization
    country: PK
  - id: wang-xiaohong
    name: Wang Xiaohong
    type: person
    country: CN
    roles:
      - { title: Minister of Public Security, from: 2022-12-30 }
`;

const ARTICLE_A = `---
date: 2026-01-07
---
# Interior ministers meet in Beijing

Interior Minister Mohsin Naqvi met Minister of Public Security Wang Xiaohong in Beijing on January 7, 2026.

Naqvi thanked his host. Federal Interior Secretary Khurram Agha also attended the talks.

Both sides agreed to hold the next round of talks in Islamabad in September.

The link [[mohsin-naqvi|the Pakistani minister]] is explicit, and [[no-such-entity]] is not.
`;

const ARTICLE_B = `# Follow-up

Mohsin Naqvi returned to Islamabad on Friday. See also [[mohsin-naqvi]].
`;

const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;
const file = (relative: string): vscode.Uri => vscode.Uri.joinPath(folder(), relative);
const registryUri = (): vscode.Uri => file('.attache/language-test.yaml');
const articleA = (): vscode.Uri => file('articles/zz-language-a.md');
const articleB = (): vscode.Uri => file('articles/zz-language-b.md');

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The position of the `nth` occurrence of `needle` in the document, `into` characters in. */
function positionOf(document: vscode.TextDocument, needle: string, into = 1, nth = 0): vscode.Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = document.getText().indexOf(needle, at + 1);
  assert.ok(at >= 0, `"${needle}" not in ${document.uri.path}`);
  return document.positionAt(at + into);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

/** Applies one document's text edits to a text, as VS Code would. */
function applied(text: string, document: vscode.TextDocument, edits: vscode.TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  for (const e of sorted) text = text.slice(0, document.offsetAt(e.range.start)) + e.newText + text.slice(document.offsetAt(e.range.end));
  return text;
}

function editsFor(edit: vscode.WorkspaceEdit, uri: vscode.Uri): vscode.TextEdit[] {
  return edit.entries().filter(([u]) => u.toString() === uri.toString()).flatMap(([, e]) => e);
}

const decorations = (): Thenable<DecorationsSnapshot | undefined> => vscode.commands.executeCommand<DecorationsSnapshot | undefined>('attache._decorationsForTest');
const texts = (list: Array<{ text: string }> | undefined): string[] => (list ?? []).map((d) => d.text);

describe('language features', function () {
  this.timeout(60_000);
  let api: AttacheApi;
  let docA: vscode.TextDocument;

  before(async () => {
    const extension = vscode.extensions.getExtension<AttacheApi>('attache-team.attache');
    assert.ok(extension);
    api = await extension.activate();
    fs.mkdirSync(path.dirname(registryUri().fsPath), { recursive: true });
    fs.writeFileSync(registryUri().fsPath, REGISTRY);
    fs.writeFileSync(articleA().fsPath, ARTICLE_A);
    fs.writeFileSync(articleB().fsPath, ARTICLE_B);
    await vscode.workspace.getConfiguration('attache').update('registry.files', ['.attache/language-test.yaml'], vscode.ConfigurationTarget.Workspace);
    await waitFor('the test registry', () => api.services.registry.current.byId.has('mohsin-naqvi'));
    await waitFor('both articles indexed', () => api.services.index.documentsMentioning('mohsin-naqvi').length === 2);
    docA = await vscode.workspace.openTextDocument(articleA());
    await vscode.window.showTextDocument(docA);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('attache').update('registry.files', undefined, vscode.ConfigurationTarget.Workspace);
    for (const uri of [articleA(), articleB(), file('articles/zz-language-a.checklist.md')]) fs.rmSync(uri.fsPath, { force: true });
  });

  it('highlights mentions per type, registry-linked apart from detected', async () => {
    const snapshot = await waitFor('decorations', async () => {
      const s = await decorations();
      return s && texts(s.person.linked).includes('Mohsin Naqvi') ? s : undefined;
    });
    assert.deepEqual(
      texts(snapshot.person.linked).filter((t) => t !== 'the Pakistani minister'),
      ['Mohsin Naqvi', 'Wang Xiaohong', 'Naqvi'],
    );
    assert.ok(texts(snapshot.person.linked).includes('the Pakistani minister'), 'an explicit link is a linked mention');
    assert.ok(texts(snapshot.person.detected).includes('Khurram Agha'), `detected persons: ${texts(snapshot.person.detected)}`);
    assert.ok(texts(snapshot.place.detected).includes('Beijing'), `detected places: ${texts(snapshot.place.detected)}`);
    for (const d of snapshot.person.linked) assert.equal(docA.getText().slice(d.start, d.end), d.text);
  });

  it('turns a type off through settings, live', async () => {
    await vscode.workspace.getConfiguration('attache').update('highlight.types', { place: false }, vscode.ConfigurationTarget.Workspace);
    try {
      const s = await waitFor('places hidden', async () => {
        const snap = await decorations();
        return snap && snap.place.detected.length === 0 && snap.place.linked.length === 0 ? snap : undefined;
      });
      assert.ok(texts(s.person.linked).includes('Mohsin Naqvi'), 'other types stay');
    } finally {
      await vscode.workspace.getConfiguration('attache').update('highlight.types', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('places back', async () => ((await decorations())?.place.detected.length ?? 0) > 0);
  });

  it('shows a hover card with the role at the article date, escaped registry text and our command links only', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', articleA(), positionOf(docA, 'Mohsin Naqvi', 3));
    const text = hoverText(hovers);
    assert.match(text, /\*\*Mohsin Naqvi\*\* · person/);
    assert.match(text, /Interior Minister, Ministry of Interior since 2024\\-03\\-11/);
    assert.doesNotMatch(text, /Cricket/, 'a role that ended before the article date is not shown');
    assert.match(text, /Pakistan \\\(PK\\\)/);
    assert.match(text, /Also: Naqvi/);
    assert.match(text, /Mentioned in 2 documents: this one, \[articles\\\/zz\\-language\\-b\\\.md\]\(file:\/\//);
    assert.match(text, /\(command:attache\.openRegistryEntry\?/);
    assert.match(text, /\(command:attache\.showMentions\?/);
    // The planted note: every markdown and HTML character arrives escaped, so nothing is a link or a tag.
    assert.match(text, /Planted \\\[click\\\]\\\(command\\:workbench/);
    assert.doesNotMatch(text, /(?<!\\)</, 'no raw HTML');
    const destinations = [...text.matchAll(/\]\(([a-z]+:[^)]*)\)/g)].map((m) => m[1]);
    assert.ok(destinations.length >= 3);
    for (const d of destinations) assert.match(d, /^(command:attache\.(openRegistryEntry|showMentions)\?|file:\/\/)/, d);
  });

  it('offers "Add to registry" in the hover of an unregistered official', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', articleA(), positionOf(docA, 'Khurram Agha', 2));
    const text = hoverText(hovers);
    assert.match(text, /\*\*Khurram Agha\*\* · person · _not in the registry_/);
    assert.match(text, /Mentioned only in this document/, 'a name found in one article says so, not "in 1 document"');
    const add = /\(command:attache\.addToRegistry\?([^)]*)\)/.exec(text);
    assert.ok(add, text);
    const [payload] = JSON.parse(decodeURIComponent(add[1])) as Array<{ name: string; type: string; roles?: Array<{ title: string }> }>;
    assert.equal(payload.name, 'Khurram Agha');
    assert.equal(payload.type, 'person');
    assert.match(payload.roles?.[0]?.title ?? '', /Interior Secretary/);
  });

  it('goes to the registry entry from a short mention', async () => {
    const [location] = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', articleA(), positionOf(docA, 'Naqvi thanked', 2));
    const uri = 'uri' in location ? location.uri : location.targetUri;
    const range = 'range' in location ? location.range : location.targetRange;
    assert.equal(uri.toString(), registryUri().toString());
    const registryDoc = await vscode.workspace.openTextDocument(uri);
    assert.equal(registryDoc.getText(range), 'mohsin-naqvi');
    assert.equal(range.start.line, 2);
  });

  it('finds every mention across the workspace, and the declaration', async () => {
    const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', articleA(), positionOf(docA, 'Mohsin Naqvi', 3));
    const inA = locations.filter((l) => l.uri.toString() === articleA().toString()).map((l) => docA.getText(l.range));
    const inB = locations.filter((l) => l.uri.toString() === articleB().toString());
    assert.deepEqual(inA, ['Mohsin Naqvi', 'Naqvi', 'the Pakistani minister']);
    assert.equal(inB.length, 2);
    assert.ok(locations.some((l) => l.uri.toString() === registryUri().toString()), 'the registry entry is the declaration');
  });

  it('renames an id from a mention: registry entry and every explicit link', async () => {
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', articleA(), positionOf(docA, 'Naqvi thanked', 1), 'naqvi-mohsin');
    const registryDoc = await vscode.workspace.openTextDocument(registryUri());
    const newRegistry = applied(registryDoc.getText(), registryDoc, editsFor(edit, registryUri()));
    assert.match(newRegistry, /- id: naqvi-mohsin\n/);
    assert.doesNotMatch(newRegistry, /mohsin-naqvi/);
    assert.match(newRegistry, /^# Registry for the language tests/);
    assert.equal(applied(docA.getText(), docA, editsFor(edit, articleA())), ARTICLE_A.replace('[[mohsin-naqvi|', '[[naqvi-mohsin|'));
    const docB = await vscode.workspace.openTextDocument(articleB());
    assert.equal(applied(docB.getText(), docB, editsFor(edit, articleB())), ARTICLE_B.replace('[[mohsin-naqvi]]', '[[naqvi-mohsin]]'));
  });

  it('renames an id from the registry file, updating org: references', async () => {
    const registryDoc = await vscode.workspace.openTextDocument(registryUri());
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', registryUri(), positionOf(registryDoc, 'id: ministry-of-interior-pk', 6), 'interior-ministry-pk');
    const after = applied(registryDoc.getText(), registryDoc, editsFor(edit, registryUri()));
    assert.match(after, /org: interior-ministry-pk,/);
    assert.match(after, /- id: interior-ministry-pk {3}# referenced by the role above/);
    assert.doesNotMatch(after, /ministry-of-interior-pk/);
  });

  it('refuses to rename what has no registry id, with a reason', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.prepareRename', articleA(), positionOf(docA, 'Khurram Agha', 2))),
      /not in the registry/,
    );
  });

  it('completes ids and aliases after [[', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: 'Talks with [[Naq' });
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, doc.positionAt(doc.getText().length), '[');
    const label = (i: vscode.CompletionItem): string => (typeof i.label === 'string' ? i.label : i.label.label);
    const id = list.items.find((i) => label(i) === 'mohsin-naqvi');
    const alias = list.items.find((i) => label(i) === 'Naqvi');
    assert.equal(id?.insertText, 'mohsin-naqvi]]');
    assert.equal(alias?.insertText, 'mohsin-naqvi|Naqvi]]');
  });

  it('reports unregistered officials and unknown link ids', async () => {
    const diagnostics = await waitFor('diagnostics', () => {
      const all = vscode.languages.getDiagnostics(articleA());
      return all.some((d) => d.code === 'attache.unregistered') ? all : undefined;
    });
    const unregistered = diagnostics.find((d) => d.code === 'attache.unregistered' && d.message === 'Khurram Agha is not in the registry');
    assert.ok(unregistered, diagnostics.map((d) => d.message).join('\n'));
    assert.equal(docA.getText(unregistered.range), 'Khurram Agha');
    assert.equal(unregistered.severity, vscode.DiagnosticSeverity.Information);
    const unknown = diagnostics.find((d) => d.code === 'link/unknown-id');
    assert.ok(unknown);
    assert.equal(docA.getText(unknown.range), 'no-such-entity');
  });

  it('adds an unregistered official through the quick fix, keeping comments, and highlights it as linked', async () => {
    const unregistered = vscode.languages.getDiagnostics(articleA()).find((d) => d.message === 'Khurram Agha is not in the registry');
    assert.ok(unregistered);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', articleA(), unregistered.range);
    const add = actions.find((a) => a.title === 'Add “Khurram Agha” to the registry');
    assert.ok(add?.edit, actions.map((a) => a.title).join('\n'));
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    const registryDoc = await vscode.workspace.openTextDocument(registryUri());
    const text = registryDoc.getText();
    assert.match(text, /^# Registry for the language tests: this comment must survive every edit\./);
    assert.match(text, /# referenced by the role above/);
    assert.match(text, /name: Khurram Agha/);
    assert.match(text, /title: Federal Interior Secretary|title: Interior Secretary/);
    await registryDoc.save();
    await waitFor('Khurram Agha linked', async () => texts((await decorations())?.person.linked).includes('Khurram Agha'));
    await waitFor('diagnostic gone', () => !vscode.languages.getDiagnostics(articleA()).some((d) => d.message === 'Khurram Agha is not in the registry'));
  });

  it('reports a broken registry at its line and keeps the last good one in force', async () => {
    const registryDoc = await vscode.workspace.openTextDocument(registryUri());
    const good = registryDoc.getText();
    const broken = new vscode.WorkspaceEdit();
    broken.insert(registryUri(), registryDoc.lineAt(2).range.start, '  - id: [unclosed\n');
    assert.ok(await vscode.workspace.applyEdit(broken));
    try {
      const problem = await waitFor('a registry diagnostic', () => vscode.languages.getDiagnostics(registryUri()).find((d) => d.severity === vscode.DiagnosticSeverity.Error));
      assert.ok(problem.range.start.line >= 2 && problem.range.start.line <= 3, `at line ${problem.range.start.line + 1}: ${problem.message}`);
      assert.ok(api.services.registry.current.byId.has('mohsin-naqvi'), 'the last good registry stays in force');
      assert.ok(texts((await decorations())?.person.linked).includes('Mohsin Naqvi'));
    } finally {
      const restore = new vscode.WorkspaceEdit();
      restore.replace(registryUri(), new vscode.Range(0, 0, registryDoc.lineCount, 0), good);
      await vscode.workspace.applyEdit(restore);
      await registryDoc.save();
    }
    await waitFor('registry diagnostics cleared', () => vscode.languages.getDiagnostics(registryUri()).length === 0);
  });

  it('reacts live to a registry file changed on disk', async () => {
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.window.showTextDocument(docA);
    const registryDoc = await vscode.workspace.openTextDocument(registryUri());
    const withBeijing = `${registryDoc.getText().trimEnd()}\n  - id: beijing\n    name: Beijing\n    type: place\n    country: CN\n`;
    fs.writeFileSync(registryUri().fsPath, withBeijing);
    await waitFor('Beijing linked', async () => texts((await decorations())?.place.linked).includes('Beijing'));
  });

  it('flags a checklist whose article changed, and regenerates it from the quick fix', async () => {
    const checklist = await vscode.commands.executeCommand<vscode.Uri | undefined>('attache.generateChecklist', articleA());
    assert.ok(checklist, 'the checklist was written');
    const checklistDoc = await vscode.workspace.openTextDocument(checklist);
    await vscode.window.showTextDocument(docA);
    assert.equal(vscode.languages.getDiagnostics(checklist).filter((d) => d.code === 'attache.staleChecklist').length, 0);
    const change = new vscode.WorkspaceEdit();
    change.insert(articleA(), docA.positionAt(docA.getText().length), '\nThe ministers also agreed to meet every six months.\n');
    assert.ok(await vscode.workspace.applyEdit(change));
    await docA.save();
    const stale = await waitFor('stale checklist diagnostic', () => vscode.languages.getDiagnostics(checklist).find((d) => d.code === 'attache.staleChecklist'));
    assert.match(checklistDoc.lineAt(stale.range.start.line).text, /^articleHash:/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', checklist, stale.range);
    const regenerate = actions.find((a) => a.command?.command === 'attache.generateChecklist');
    assert.ok(regenerate?.command);
    assert.equal(String(regenerate.command.arguments?.[0]), articleA().toString());
    await vscode.commands.executeCommand(regenerate.command.command, ...(regenerate.command.arguments ?? []));
    await waitFor('stale diagnostic gone', () => !vscode.languages.getDiagnostics(checklist).some((d) => d.code === 'attache.staleChecklist'));
  });
});
