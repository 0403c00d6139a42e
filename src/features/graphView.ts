// The entity graph: which entities appear together in the workspace's articles, drawn in a webview
// (media/graph.js) under a strict content security policy. Clicking a node shows its mentions.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import manifest from '../../package.json';
import type { EntityType } from '../core/types';
import type { Command } from './commands';
import type { AttacheServices } from './services';
import type { WorkspaceIndex } from './workspaceIndex';

export interface GraphNode {
  /** What `attache.showMentions` takes. */
  key: string;
  name: string;
  type: EntityType;
  registered: boolean;
  mentions: number;
  documents: number;
}

export interface GraphEdge {
  source: number;
  target: number;
  /** Articles in which both appear. */
  weight: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Entities left out to keep the drawing readable. */
  omitted: number;
}

/** Beyond this many nodes a drawing is a hairball; the most mentioned entities are kept. */
const MAX_NODES = 80;

/** The graph of the most mentioned entities, from the index's summaries (only their articles are read). */
export function buildGraph(index: Pick<WorkspaceIndex, 'cooccurrences'>, maxNodes = MAX_NODES): Graph {
  const { entities, pairs, omitted } = index.cooccurrences(maxNodes);
  return {
    nodes: entities.map((e) => ({ key: e.key, name: e.name, type: e.type, registered: e.id !== null, mentions: e.mentions, documents: e.documents })),
    edges: pairs.map(([source, target, weight]) => ({ source, target, weight })),
    omitted,
  };
}

/** The only message the webview may send besides `ready`: a click on a node we drew. */
export function parseNodeClick(message: unknown, graph: Graph): string | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, key } = message as { type?: unknown; key?: unknown };
  if (type !== 'showMentions' || typeof key !== 'string') return undefined;
  return graph.nodes.some((n) => n.key === key) ? key : undefined;
}

/** Where the extension is installed: the webview may load files from its media/ folder only. */
function extensionUri(): vscode.Uri {
  const self = vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`);
  if (!self) throw new Error('Attaché: cannot find its own installation folder.');
  return self.extensionUri;
}

export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private graph: Graph = { nodes: [], edges: [], omitted: 0 };
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly services: AttacheServices) {
    this.subscriptions.push(services.index.onDidChange(() => this.post()));
  }

  /** The open panel's webview, if any (the security suite reads its HTML and options). */
  get webview(): vscode.Webview | undefined {
    return this.panel?.webview;
  }

  /** Opens (or brings forward) the graph; returns the graph it draws. */
  async show(): Promise<Graph> {
    await this.services.index.ready;
    if (this.panel) {
      this.panel.reveal();
      this.post();
      return this.graph;
    }
    const media = vscode.Uri.joinPath(extensionUri(), 'media');
    const panel = vscode.window.createWebviewPanel('attache.graph', 'Attaché: Entity Graph', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(media, 'attache.svg');
    panel.webview.html = this.html(panel.webview, media);
    panel.onDidDispose(() => (this.panel = undefined), null, this.subscriptions);
    panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message), null, this.subscriptions);
    this.graph = buildGraph(this.services.index);
    return this.graph;
  }

  private receive(message: unknown): void {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'ready') {
      this.post();
      return;
    }
    const key = parseNodeClick(message, this.graph);
    if (key) void vscode.commands.executeCommand('attache.showMentions', key);
  }

  private post(): void {
    if (!this.panel) return;
    this.graph = buildGraph(this.services.index);
    void this.panel.webview.postMessage({ type: 'graph', graph: this.graph });
  }

  private html(webview: vscode.Webview, media: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Entity Graph</title>
</head>
<body>
<header>
  <span class="legend person">person</span><span class="legend organization">organization</span><span class="legend place">place</span><span class="legend event">event</span>
  <span id="summary"></span>
</header>
<svg id="graph" role="img" aria-label="Entities that appear together in the same articles"></svg>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}

export class ShowGraphCommand implements Command {
  readonly id = 'attache.showGraph';
  constructor(private readonly panel: GraphPanel) {}

  execute(): Promise<Graph> {
    return this.panel.show();
  }
}
