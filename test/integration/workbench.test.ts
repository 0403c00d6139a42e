// The workbench features inside a real VS Code: checklist commands (files on disk, ticks and notes
// kept), trees, CodeLens, mentions, the graph webview, exports and registry commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseChecklist, renderChecklist } from '../../src/core/checklist';
import { CommitmentLensProvider } from '../../src/features/codeLens';
import { CommitmentsTreeProvider } from '../../src/features/commitmentsTree';
import { EntitiesTreeProvider } from '../../src/features/entitiesTree';
import { parseNodeClick, type Graph } from '../../src/features/graphView';
import type { AttacheServices } from '../../src/features/services';

const folder = (): vscode.Uri => {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the sample workspace is open');
  return f.uri;
};
const article = (name: string): vscode.Uri => vscode.Uri.joinPath(folder(), 'articles', `${name}.md`);
const checklistOf = (name: string): vscode.Uri => vscode.Uri.joinPath(folder(), 'articles', `${name}.checklist.md`);
const KENYA = '2026-10-21-kenya-ethiopia-trade-readout';
const MEXICO = '2026-07-09-mexico-colombia-joint-statement';
const ARAB = '2026-05-18-arab-league-water-security';

async function readDisk(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
async function remove(uri: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
}
async function until<T>(probe: () => T | Promise<T>, ok: (value: T) => boolean, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let services: AttacheServices;

describe('workbench', function () {
  this.timeout(30000);

  before(async () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'attache' && e.packageJSON?.publisher === 'attache-team');
    assert.ok(extension, 'the Attaché extension is installed');
    const api = (await extension.activate()) as { services: AttacheServices };
    services = api.services;
    await services.index.ready;
    await until(() => services.index.entries().length, (n) => n >= 4, 'the workspace index');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes its commands to the palette, the editor context menu and a keybinding', () => {
    const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'attache')!;
    const contributes = extension.packageJSON.contributes;
    const key = contributes.keybindings.find((k: { command: string }) => k.command === 'attache.generateChecklist');
    assert.equal(key.key, 'ctrl+alt+c');
    assert.match(key.when, /editorLangId == markdown/);
    const context = contributes.menus['editor/context'].map((m: { command: string }) => m.command);
    assert.deepEqual(context, ['attache.generateChecklist', 'attache.addSelectionToRegistry']);
    for (const c of contributes.commands) assert.equal(c.category, 'Attaché', c.command);
  });

  it('generates a checklist beside the article and opens it', async () => {
    await remove(checklistOf(KENYA));
    const document = await vscode.workspace.openTextDocument(article(KENYA));
    await vscode.window.showTextDocument(document);
    const commitments = services.analysis.get(document).commitments;
    assert.ok(commitments.length >= 3, `the readout has commitments (found ${commitments.length})`);

    const written = await vscode.commands.executeCommand<vscode.Uri>('attache.generateChecklist');
    assert.equal(written?.toString(), checklistOf(KENYA).toString());
    const onDisk = await readDisk(checklistOf(KENYA));
    assert.match(onDisk, /^---\n[\s\S]*attache: checklist/);
    assert.equal(parseChecklist(onDisk).items.length, commitments.length);
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === checklistOf(KENYA).toString() && e.viewColumn !== vscode.ViewColumn.One),
      'the checklist is shown beside the article',
    );
  });

  it('regenerating an open checklist keeps the analyst’s ticks and notes, through an edit of the open document', async () => {
    const checklist = checklistOf(KENYA);
    await vscode.commands.executeCommand('attache.generateChecklist', article(KENYA));
    const document = await vscode.workspace.openTextDocument(checklist);
    const item = parseChecklist(document.getText()).items[0];
    const head = document.lineAt(item.line - 1);
    const tick = new vscode.WorkspaceEdit();
    tick.replace(checklist, head.range, head.text.replace('[ ]', '[x]'));
    tick.insert(checklist, new vscode.Position(item.line - 1 + item.lines.length, 0), '  Analyst note: confirm with the Nairobi desk.\n');
    assert.ok(await vscode.workspace.applyEdit(tick));
    await document.save();
    const before = document.getText();

    const articleDoc = await vscode.workspace.openTextDocument(article(KENYA));
    const original = articleDoc.getText();
    const grow = new vscode.WorkspaceEdit();
    grow.insert(articleDoc.uri, articleDoc.positionAt(original.length), '\n\nThe two ministers agreed to open a joint trade office in Mombasa by March 2027.\n');
    assert.ok(await vscode.workspace.applyEdit(grow));
    const expected = services.analysis.get(articleDoc).commitments.length;

    await vscode.commands.executeCommand('attache.generateChecklist', article(KENYA));
    const after = parseChecklist(document.getText());
    const same = after.items.find((i) => i.id === item.id);
    assert.ok(same?.checked, 'the tick survived');
    assert.ok(same.lines.some((l) => l.includes('Analyst note: confirm with the Nairobi desk.')), 'the note survived under its item');
    assert.equal(after.items.filter((i) => !i.vanished).length, expected);
    assert.notEqual(document.getText(), before, 'the new commitment was merged in');
    assert.equal(await readDisk(checklist), document.getText(), 'the edit was saved');

    const restore = new vscode.WorkspaceEdit();
    restore.replace(articleDoc.uri, new vscode.Range(new vscode.Position(0, 0), articleDoc.positionAt(articleDoc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(restore));
    await articleDoc.save();
  });

  it('Regenerate All Checklists merges into closed checklists on disk, atomically', async () => {
    const articleDoc = await vscode.workspace.openTextDocument(article(ARAB));
    const result = services.analysis.get(articleDoc);
    assert.ok(result.commitments.length > 0);
    const generated = renderChecklist({ articlePath: `${ARAB}.md`, articleText: articleDoc.getText(), date: result.date, commitments: result.commitments, entities: result.entities });
    const first = parseChecklist(generated).items[0];
    const lines = generated.split('\n');
    lines[first.line - 1] = lines[first.line - 1].replace('[ ]', '[X]');
    lines.splice(first.line - 1 + first.lines.length, 0, '  Follow-up: ask the Cairo embassy.');
    const analysed = `${lines.join('\n')}\nClosing remark of the analyst.\n`;
    await vscode.workspace.fs.writeFile(checklistOf(ARAB), new TextEncoder().encode(analysed));

    const written = await vscode.commands.executeCommand<vscode.Uri[]>('attache.regenerateAllChecklists');
    assert.ok(written.some((u) => u.toString() === checklistOf(ARAB).toString()));
    const merged = await readDisk(checklistOf(ARAB));
    const item = parseChecklist(merged).items.find((i) => i.id === first.id);
    assert.ok(item?.checked);
    assert.ok(merged.includes('  Follow-up: ask the Cairo embassy.'));
    assert.ok(merged.includes('Closing remark of the analyst.'));
    const leftovers = (await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(folder(), 'articles'))).filter(([name]) => name.endsWith('.tmp'));
    assert.deepEqual(leftovers, [], 'no temporary files are left behind');
  });

  it('CodeLens shows each commitment’s kind and whether it is on the checklist', async () => {
    await remove(checklistOf(MEXICO));
    const document = await vscode.workspace.openTextDocument(article(MEXICO));
    const commitments = services.analysis.get(document).commitments;
    assert.ok(commitments.length >= 3);
    const lenses = async (): Promise<string[]> =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? []).map((l) => l.command?.title ?? '');

    const before = await lenses();
    assert.equal(before.filter((t) => t === 'not on checklist').length, commitments.length);
    for (const c of commitments) assert.ok(before.some((t) => t.includes(c.kind)), `a lens names the kind ${c.kind}`);
    const recurring = commitments.find((c) => c.recurrence);
    if (recurring) assert.ok(before.some((t) => /every /.test(t)), 'recurrence in words');

    await vscode.commands.executeCommand('attache.generateChecklist', document.uri);
    const after = await until(lenses, (ts) => ts.filter((t) => t === 'on checklist ✓').length === commitments.length, 'lenses after generation');
    assert.equal(after.filter((t) => t === 'not on checklist').length, 0);
  });

  it('asks VS Code for lenses again when an article comes into view', async () => {
    const provider = new CommitmentLensProvider(services);
    let asked = 0;
    const subscription = provider.onDidChangeCodeLenses(() => asked++);
    try {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(article(KENYA)));
      await until(() => asked, (n) => n > 0, 'a lens refresh once the article shows');
    } finally {
      subscription.dispose();
      provider.dispose();
    }
  });

  it('the Entities view lists entities by type with mention counts, and clicking shows mentions', async () => {
    const provider = new EntitiesTreeProvider(services);
    try {
      const groups = provider.getChildren();
      const labels = groups.map((g) => provider.getTreeItem(g).label);
      assert.ok(labels.includes('People') && labels.includes('Places'), `groups: ${labels.join(', ')}`);
      const people = groups.find((g) => provider.getTreeItem(g).label === 'People')!;
      const items = provider.getChildren(people).map((n) => provider.getTreeItem(n));
      const kamau = items.find((i) => i.label === 'Wanjiru Kamau');
      assert.ok(kamau, 'a registered official is listed');
      assert.match(String(kamau.description), /^\d+ mentions?$/);
      assert.deepEqual(kamau.command?.arguments, ['wanjiru-kamau']);
      const locations = await vscode.commands.executeCommand<vscode.Location[]>(kamau.command!.command, ...kamau.command!.arguments!);
      assert.ok(locations.length >= 2);
      assert.ok(locations.every((l) => l.uri.path.endsWith('.md')));
      assert.equal(locations.length, Number(/^(\d+)/.exec(String(kamau.description))![1]));
    } finally {
      provider.dispose();
    }
  });

  it('the Commitments view groups by due month, then Recurring and No date, and marks overdue ones', async () => {
    const provider = new CommitmentsTreeProvider(services, () => '2099-01-01');
    try {
      const groups = await provider.getChildren();
      const labels = groups.map((g) => String(provider.getTreeItem(g).label));
      assert.ok(labels.some((l) => /^(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$/.test(l)), labels.join(', '));
      const recurringAt = labels.indexOf('Recurring');
      assert.ok(recurringAt > 0, `a Recurring group after the dated ones: ${labels.join(', ')}`);
      const dated = (await provider.getChildren(groups[0])).map((n) => provider.getTreeItem(n));
      assert.ok(dated.every((i) => (i.iconPath as vscode.ThemeIcon).id === 'warning' && /overdue/.test(String(i.description))), 'everything is overdue in 2099');
      const recurring = (await provider.getChildren(groups[recurringAt])).map((n) => provider.getTreeItem(n));
      assert.ok(recurring.every((i) => (i.iconPath as vscode.ThemeIcon).id === 'sync' && /every /.test(String(i.description))));

      // Labels and tooltips read as text: no markdown markers, no link destinations, no repeated verb.
      const all = (await Promise.all(groups.map((g) => provider.getChildren(g)))).flat().map((n) => provider.getTreeItem(n));
      for (const i of all) {
        const quote = String(i.tooltip).split('\n\n')[0];
        assert.doesNotMatch(`${String(i.label)} ${quote}`, /\*|\]\(|^\d+\. /, `${String(i.label)} / ${quote}`);
        assert.doesNotMatch(String(i.label), /^(\w+): \1/i, String(i.label));
      }
      const item = dated[0];
      assert.equal(item.command?.command, 'vscode.open');
      await vscode.commands.executeCommand(item.command.command, ...item.command.arguments!);
      const editor = await until(() => vscode.window.activeTextEditor, (e) => !!e && !e.selection.isEmpty, 'the revealed sentence');
      const [uri, options] = item.command.arguments as [vscode.Uri, vscode.TextDocumentShowOptions];
      assert.equal(editor!.document.uri.toString(), uri.toString());
      assert.ok(editor!.selection.isEqual(options.selection as vscode.Range));
    } finally {
      provider.dispose();
    }
  });

  it('the graph webview opens with the entities that appear together, and accepts only clicks on its nodes', async () => {
    const graph = await vscode.commands.executeCommand<Graph>('attache.showGraph');
    assert.ok(graph.nodes.length >= 10);
    assert.ok(graph.edges.length > 0 && graph.edges.every((e) => e.weight >= 1 && e.source !== e.target));
    await until(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputWebview ? t.input.viewType : t.label)),
      (tabs) => tabs.some((t) => t.endsWith('attache.graph')),
      'the graph tab',
    );
    const key = graph.nodes[0].key;
    assert.equal(parseNodeClick({ type: 'showMentions', key }, graph), key);
    assert.equal(parseNodeClick({ type: 'showMentions', key: 'not-a-node' }, graph), undefined);
    assert.equal(parseNodeClick({ type: 'runCommand', key }, graph), undefined);
    assert.equal(parseNodeClick('showMentions', graph), undefined);
  });

  it('exports annotations beside the article', async () => {
    const csvUri = await vscode.commands.executeCommand<vscode.Uri>('attache.exportAnnotations', article(MEXICO), 'csv', 'beside');
    assert.ok(csvUri?.path.endsWith(`${MEXICO}.commitments.csv`));
    const csv = await readDisk(csvUri);
    assert.match(csv.split(/\r?\n/)[0], /action/i);
    const ics = await readDisk(await vscode.commands.executeCommand<vscode.Uri>('attache.exportAnnotations', article(MEXICO), 'ics', 'beside'));
    assert.match(ics, /BEGIN:VCALENDAR[\s\S]*END:VCALENDAR/);
    assert.match(ics, /RRULE:FREQ=MONTHLY;INTERVAL=4/, 'every four months');
  });

  it('opens a registry entry at its line', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('attache.openRegistryEntry', 'grace-njeri-mwangi');
    assert.ok(editor.document.uri.path.endsWith('.attache/registry.yaml'));
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /id: grace-njeri-mwangi/);
  });

  it('adds the selection to the registry, and the registry follows live', async () => {
    const document = await vscode.workspace.openTextDocument(article(MEXICO));
    const editor = await vscode.window.showTextDocument(document);
    const at = document.getText().indexOf('Cartagena de Indias');
    assert.ok(at > 0);
    editor.selection = new vscode.Selection(document.positionAt(at), document.positionAt(at + 'Cartagena de Indias'.length));
    assert.ok(await vscode.commands.executeCommand<boolean>('attache.addSelectionToRegistry', 'place'));
    const registry = vscode.Uri.joinPath(folder(), '.attache', 'registry.yaml');
    const text = await readDisk(registry);
    assert.match(text, /name: Cartagena de Indias/);
    assert.match(text, /# Attaché registry for the sample workspace\./, 'the file’s comments are kept');
    await until(() => services.registry.current.entities.some((e) => e.name === 'Cartagena de Indias' && e.type === 'place'), (ok) => ok, 'the registry reload');
  });
});
