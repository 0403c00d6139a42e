// Draws the entity co-occurrence graph sent by the extension: a small force-directed layout in SVG.
// Everything shown comes from documents, so text goes in through textContent only.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const TYPES = ['person', 'organization', 'place', 'event'];
  const svg = document.getElementById('graph');
  const summary = document.getElementById('summary');

  function isGraph(g) {
    return g && Array.isArray(g.nodes) && Array.isArray(g.edges) &&
      g.nodes.every((n) => n && typeof n.key === 'string' && typeof n.name === 'string' && TYPES.includes(n.type) && Number.isFinite(n.mentions)) &&
      g.edges.every((e) => e && Number.isInteger(e.source) && Number.isInteger(e.target) && e.source >= 0 && e.target >= 0 &&
        e.source < g.nodes.length && e.target < g.nodes.length && Number.isFinite(e.weight));
  }

  /** Repulsion between every pair, springs along edges, a pull to the centre; cooled over a fixed number of steps. */
  function layout(nodes, edges) {
    const n = nodes.length;
    const pos = nodes.map((_, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, n);
      return { x: Math.cos(angle) * 200, y: Math.sin(angle) * 200, dx: 0, dy: 0 };
    });
    const ideal = 90;
    for (let step = 0, heat = 30; step < 300; step++, heat *= 0.985) {
      for (const p of pos) { p.dx = -p.x * 0.01; p.dy = -p.y * 0.01; }
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          const dx = pos[a].x - pos[b].x || 0.01;
          const dy = pos[a].y - pos[b].y || 0.01;
          const d2 = dx * dx + dy * dy;
          const push = (ideal * ideal) / d2;
          pos[a].dx += dx * push * 0.05; pos[a].dy += dy * push * 0.05;
          pos[b].dx -= dx * push * 0.05; pos[b].dy -= dy * push * 0.05;
        }
      }
      for (const e of edges) {
        const a = pos[e.source], b = pos[e.target];
        const dx = b.x - a.x, dy = b.y - a.y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const pull = ((d - ideal) / d) * 0.05 * Math.min(3, e.weight);
        a.dx += dx * pull; a.dy += dy * pull;
        b.dx -= dx * pull; b.dy -= dy * pull;
      }
      for (const p of pos) {
        const len = Math.sqrt(p.dx * p.dx + p.dy * p.dy);
        const scale = len > heat ? heat / len : 1;
        p.x += p.dx * scale; p.y += p.dy * scale;
      }
    }
    return pos;
  }

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    parent.appendChild(node);
    return node;
  }

  function draw(graph) {
    svg.replaceChildren();
    const { nodes, edges } = graph;
    summary.textContent = nodes.length === 0
      ? 'No entities yet: open or add markdown articles.'
      : `${nodes.length} entities, ${edges.length} links` + (graph.omitted > 0 ? ` (${graph.omitted} less mentioned entities not shown)` : '') + '. Click a node to see its mentions.';
    if (nodes.length === 0) return;
    const pos = layout(nodes, edges);
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const pad = 80;
    const minX = Math.min(...xs) - pad, minY = Math.min(...ys) - pad;
    svg.setAttribute('viewBox', `${minX} ${minY} ${Math.max(...xs) - minX + pad} ${Math.max(...ys) - minY + pad}`);

    const edgeLayer = el('g', { class: 'edges' }, svg);
    const nodeLayer = el('g', { class: 'nodes' }, svg);
    const lines = edges.map((e) => el('line', {
      x1: pos[e.source].x, y1: pos[e.source].y, x2: pos[e.target].x, y2: pos[e.target].y,
      'stroke-width': Math.min(6, 0.8 + e.weight),
    }, edgeLayer));

    nodes.forEach((node, i) => {
      const group = el('g', {
        class: `node ${node.type}${node.registered ? ' registered' : ''}`,
        transform: `translate(${pos[i].x} ${pos[i].y})`,
        tabindex: 0,
        role: 'button',
      }, nodeLayer);
      el('circle', { r: 6 + Math.sqrt(node.mentions) * 2.5 }, group);
      const label = el('text', { y: -(10 + Math.sqrt(node.mentions) * 2.5), 'text-anchor': 'middle' }, group);
      label.textContent = node.name;
      const title = el('title', {}, group);
      title.textContent = `${node.name} (${node.type}): ${node.mentions} mentions in ${node.documents} article(s)`;
      const open = () => vscode.postMessage({ type: 'showMentions', key: node.key });
      group.addEventListener('click', open);
      group.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') open(); });
      group.addEventListener('mouseenter', () => {
        edges.forEach((e, j) => lines[j].classList.toggle('active', e.source === i || e.target === i));
      });
      group.addEventListener('mouseleave', () => lines.forEach((line) => line.classList.remove('active')));
    });
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'graph' && isGraph(message.graph)) draw(message.graph);
  });
  vscode.postMessage({ type: 'ready' });
})();
