// Hostile text in a real VS Code: command links, HTML, javascript: links and markdown syntax planted
// in the registry (names, aliases, role titles, org references, notes) and in an article (next to
// names, inside a commitment) must reach the analyst only as text. Checked on what VS Code hands to
// the renderer: hover MarkdownStrings (trust limited to our commands, no HTML, planted text escaped),
// CodeLens commands, tree item labels and tooltips, and the graph webview's CSP and resource roots.
// (The language suite checks one planted note; this one covers every field and the article side.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { AttacheApi } from '../../src/extension';
import { CommitmentsTreeProvider } from '../../src/features/commitmentsTree';
import { EntitiesTreeProvider } from '../../src/features/entitiesTree';
import { GraphPanel } from '../../src/features/graphView';
import { HOVER_COMMANDS } from '../../src/features/hover';

const TERMINAL = '[run](command:workbench.action.terminal.new)';
const IMG = '<img src=x onerror=alert(1)>';
const JS = '[js](javascript:alert(1))';

const REGISTRY = `entities:
  - id: rashid-karimov
    name: Rashid Karimov
    type: person
    aliases: ["Karimov ${IMG}", "Karimov | \`tick\` # head"]
    country: UZ
    roles:
      - { title: "Foreign Minister **bold** ${JS}", org: "${TERMINAL}", from: 2020-01-01 }
    notes: "# Heading\\n| a | b |\\n|---|---|\\n${TERMINAL} ![i](https://evil.example/x.png) \`code\` <script>alert(1)</script> ${JS}"
  - id: salma-haq
    name: "Salma **Haq** ${TERMINAL}"
    type: person
    aliases: [Haq Salma]
`;

const ARTICLE = `---
date: 2026-02-01
---
# Talks in Tashkent ${IMG}

Foreign Minister Rashid Karimov ${TERMINAL} met Deputy Minister Haq Salma in Tashkent on 1 February 2026.

Interior Minister Daniyar Omarov **[\`|\` # y](javascript:alert(1))** ${IMG} also attended.

Both sides agreed to hold talks on security ${TERMINAL} \`x | y\` ${IMG} | a | b | every three months.
`;

const folder = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;
const registryUri = (): vscode.Uri => vscode.Uri.joinPath(folder(), '.attache/security-test.yaml');
const articleUri = (): vscode.Uri => vscode.Uri.joinPath(folder(), 'articles/zz-security.md');

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ALLOWED_COMMANDS = new Set<string>(HOVER_COMMANDS);

/** Checks one hover MarkdownString as VS Code will render it; returns its source text. */
function assertSafeMarkdown(content: vscode.MarkdownString | vscode.MarkedString): string {
  assert.ok(content instanceof vscode.MarkdownString, 'hover contents are MarkdownStrings');
  const trust = content.isTrusted;
  assert.ok(typeof trust === 'object', `trust is limited to a list of commands, not ${String(trust)}`);
  for (const id of trust.enabledCommands) assert.ok(ALLOWED_COMMANDS.has(id), `command ${id} is enabled in a hover`);
  assert.ok(!content.supportHtml, 'HTML is off');
  const text = content.value;
  assert.doesNotMatch(text, /(?<!\\)</, 'no raw < (HTML) in the markdown');
  assert.doesNotMatch(text, /(?<!\\)javascript:/i, 'no javascript: link');
  assert.doesNotMatch(text, /(?<!\\)!\[/, 'no image');
  assert.doesNotMatch(text, /^\s*(#|\||>|-{3})/m, 'no heading, table, quote or rule starts a line');
  assert.doesNotMatch(text, /(?<!\\)`/, 'no code span');
  // Every real link is ours: a command we enabled (with JSON arguments) or a file in the workspace.
  for (const [, destination] of text.matchAll(/(?<!\\)\]\(([^)]*)\)/g)) {
    const command = /^command:([\w.]+)\?(.*)$/.exec(destination);
    if (command) {
      assert.ok(ALLOWED_COMMANDS.has(command[1]), `link to ${command[1]}`);
      assert.ok(Array.isArray(JSON.parse(decodeURIComponent(command[2]))), 'command arguments decode whole');
    } else {
      assert.match(destination, /^file:\/\//, `link to ${destination}`);
    }
  }
  return text;
}

describe('security: hostile registry and article text', function () {
  this.timeout(60_000);
  let api: AttacheApi;
  let document: vscode.TextDocument;

  before(async () => {
    api = await vscode.extensions.getExtension<AttacheApi>('attache-team.attache')!.activate();
    for (const [uri, text] of [[registryUri(), REGISTRY], [articleUri(), ARTICLE]] as const) {
      fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
      fs.writeFileSync(uri.fsPath, text);
    }
    await vscode.workspace.getConfiguration('attache').update('registry.files', ['.attache/security-test.yaml'], vscode.ConfigurationTarget.Workspace);
    await waitFor('the hostile registry', () => api.services.registry.current.byId.has('salma-haq'));
    document = await vscode.workspace.openTextDocument(articleUri());
    await vscode.window.showTextDocument(document);
    await waitFor('the article indexed', () => api.services.index.documentsMentioning('rashid-karimov').length > 0);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('attache').update('registry.files', undefined, vscode.ConfigurationTarget.Workspace);
    for (const uri of [articleUri(), registryUri()]) fs.rmSync(uri.fsPath, { force: true });
  });

  const hoverAt = async (needle: string): Promise<string> => {
    const at = document.getText().indexOf(needle);
    assert.ok(at >= 0, needle);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', articleUri(), document.positionAt(at + 2));
    const ours = hovers.flatMap((h) => h.contents).filter((c) => typeof c !== 'string' && /· (person|organization|place|event)/.test(c.value));
    assert.ok(ours.length > 0, `a hover card at ${needle}`);
    return ours.map((c) => assertSafeMarkdown(c)).join('\n');
  };

  it('escapes every registry field in the hover of a registered person: aliases, role title, org, notes', async () => {
    const text = await hoverAt('Rashid Karimov');
    assert.match(text, /^\*\*Rashid Karimov\*\* · person/);
    assert.ok(text.includes('Karimov \\<img src\\=x onerror\\=alert\\(1\\)\\>'), 'alias with HTML, escaped');
    assert.ok(text.includes('Karimov \\| \\`tick\\` \\# head'), 'alias with table, code and heading syntax, escaped');
    assert.ok(text.includes('Foreign Minister \\*\\*bold\\*\\* \\[js\\]\\(javascript\\:alert\\(1\\)\\)'), 'role title, escaped');
    assert.ok(text.includes('\\[run\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)'), 'org reference and note with a command link, escaped');
    assert.ok(text.includes('Notes: \\# Heading \\| a \\| b \\|'), 'the note is folded onto one line, its syntax escaped');
    assert.ok(text.includes('\\!\\[i\\]\\(https\\:\\/\\/evil\\.example\\/x\\.png\\)'), 'image, escaped');
    assert.ok(text.includes('\\<script\\>alert\\(1\\)\\<\\/script\\>'), 'script tag, escaped');
  });

  it('escapes a hostile registry name reached through a plain alias in the article', async () => {
    const text = await hoverAt('Haq Salma');
    assert.ok(text.startsWith('**Salma \\*\\*Haq\\*\\* \\[run\\]\\(command\\:workbench\\.action\\.terminal\\.new\\)** · person'), text);
  });

  it('keeps article text next to an unregistered name out of the hover, and its Add to registry link whole', async () => {
    const text = await hoverAt('Daniyar Omarov');
    assert.match(text, /^\*\*Daniyar Omarov\*\* · person · _not in the registry_/);
    assert.doesNotMatch(text, /terminal|onerror|alert/, 'nothing from the neighbouring markup');
    const add = /\]\(command:attache\.addToRegistry\?([^)]*)\)/.exec(text);
    assert.ok(add, 'an Add to registry link');
    const [draft] = JSON.parse(decodeURIComponent(add[1])) as Array<{ name: string }>;
    assert.equal(draft.name, 'Daniyar Omarov');
  });

  it('gives CodeLens and tree items plain-text labels and tooltips, and only our commands', async () => {
    const lenses = await waitFor('commitment lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', articleUri(), 10);
      return found.length > 0 ? found : undefined;
    });
    for (const lens of lenses) {
      const command = lens.command;
      assert.ok(command, 'resolved');
      assert.ok(['', 'attache.generateChecklist', 'vscode.open'].includes(command.command), command.command);
      assert.doesNotMatch(command.title, /command:|onerror|javascript/i, command.title);
      if (command.command === 'attache.generateChecklist') assert.equal(String(command.arguments?.[0]), articleUri().toString());
      if (command.command === 'vscode.open') assert.match(String(command.arguments?.[0]), /zz-security\.checklist\.md$/);
    }

    const plain = (item: vscode.TreeItem): void => {
      const label = typeof item.label === 'string' ? item.label : item.label?.label;
      assert.equal(typeof label, 'string');
      if (item.tooltip !== undefined) assert.equal(typeof item.tooltip, 'string', `tooltip of ${label} is plain text, never markdown`);
      if (item.command) assert.ok(['attache.showMentions', 'vscode.open'].includes(item.command.command), item.command.command);
    };
    const entities = new EntitiesTreeProvider(api.services);
    const commitments = new CommitmentsTreeProvider(api.services);
    try {
      const entityItems = entities.getChildren().flatMap((group) => [group, ...entities.getChildren(group)]).map((n) => entities.getTreeItem(n));
      const hostile = entityItems.find((i) => String(i.label).startsWith('Salma **Haq**'));
      assert.ok(hostile, 'the hostile name is listed, as text');
      entityItems.forEach(plain);
      const commitmentGroups = await commitments.getChildren();
      const commitmentItems = (await Promise.all(commitmentGroups.map(async (group) => [group, ...(await commitments.getChildren(group))]))).flat().map((n) => commitments.getTreeItem(n));
      // The planted link reads as its text: neither its destination nor its markup is shown.
      const planted = commitmentItems.find((i) => typeof i.tooltip === 'string' && i.tooltip.includes('hold talks on security run x | y'));
      assert.ok(planted, 'the commitment quoting the planted link is listed, as text');
      const quote = String(planted.tooltip).split('\n\n')[0];
      assert.doesNotMatch(quote, /\]\(|command:|<img/, quote);
      commitmentItems.forEach(plain);
    } finally {
      entities.dispose();
      commitments.dispose();
    }
  });

  it('draws the graph under a nonce-only script CSP, loading files from media/ only', async () => {
    const panel = new GraphPanel(api.services);
    try {
      await panel.show();
      const webview = panel.webview;
      assert.ok(webview);
      const html = webview.html;
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
      assert.ok(csp, 'a CSP meta tag');
      const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      assert.deepEqual(directives.get('default-src'), ["'none'"]);
      const scriptSrc = directives.get('script-src') ?? [];
      assert.equal(scriptSrc.length, 1);
      const nonce = /^'nonce-([A-Za-z0-9+/=]{16,})'$/.exec(scriptSrc[0])?.[1];
      assert.ok(nonce, `script-src is a nonce: ${scriptSrc[0]}`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|data:|https?:(?!\/\/\*\.vscode-cdn\.net)/);
      // Styles and images only from the webview's own resource origin (VS Code's cspSource).
      for (const name of ['style-src', 'img-src']) assert.deepEqual(directives.get(name), webview.cspSource.split(/\s+/), name);
      const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]);
      assert.ok(scripts.length > 0);
      for (const attributes of scripts) assert.ok(attributes.includes(`nonce="${nonce}"`), `every script carries the nonce: ${attributes}`);
      const roots = webview.options.localResourceRoots ?? [];
      assert.equal(roots.length, 1);
      assert.match(roots[0].path, /\/media$/);
      assert.equal(webview.options.enableCommandUris ?? false, false, 'no command: links inside the webview');
    } finally {
      panel.dispose();
    }
  });
});
