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

  /**
   * Fruchterman–Reingold: every pair repels (k²/d), linked pairs attract (d²/k), and a pull to the
   * centre keeps the articles' separate clusters on one screen instead of drifting apart. The step
   * size cools over a fixed number of rounds.
   */
  function layout(nodes, edges) {
    const n = nodes.length;
    const k = 60;
    // An article's entities all link to one another: springs weakened by degree keep such a clique
    // from collapsing into a ball, while a pair that meets in several articles still stays close.
    const degree = nodes.map(() => 0);
    for (const e of edges) { degree[e.source]++; degree[e.target]++; }
    const stiffness = (e) => 2 / Math.max(1, Math.sqrt(degree[e.source] * degree[e.target]));
    const pos = nodes.map((_, i) => {
      const angle = (2 * Math.PI * i) / Math.max(1, n);
      const radius = k * Math.sqrt(n);
      return { x: Math.cos(angle) * radius, y: Math.sin(angle) * radius, dx: 0, dy: 0 };
    });
    for (let step = 0, heat = k * 2; step < 300; step++, heat *= 0.985) {
      for (const p of pos) {
        const d = Math.sqrt(p.x * p.x + p.y * p.y) || 0.01;
        p.dx = -p.x * (0.25 * d) / k;
        p.dy = -p.y * (0.25 * d) / k;
      }
      for (let a = 0; a < n; a++) {
        for (let b = a + 1; b < n; b++) {
          const dx = pos[a].x - pos[b].x || 0.01;
          const dy = pos[a].y - pos[b].y || 0.01;
          const push = (k * k) / (dx * dx + dy * dy);
          pos[a].dx += dx * push; pos[a].dy += dy * push;
          pos[b].dx -= dx * push; pos[b].dy -= dy * push;
        }
      }
      for (const e of edges) {
        const a = pos[e.source], b = pos[e.target];
        const dx = b.x - a.x, dy = b.y - a.y;
        const pull = (Math.sqrt(dx * dx + dy * dy) / k) * Math.min(2, Math.sqrt(e.weight)) * stiffness(e);
        a.dx += dx * pull; a.dy += dy * pull;
        b.dx -= dx * pull; b.dy -= dy * pull;
      }
      for (const p of pos) {
        const len = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
        const scale = Math.min(len, heat) / len;
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

  /** Approximate box of a node's name at 11px, to keep shown names from overlapping. */
  function labelBox(node, p) {
    const width = node.name.length * 6.2;
    const bottom = p.y - radius(node) - 2;
    return { left: p.x - width / 2, right: p.x + width / 2, top: bottom - 13, bottom };
  }

  /** The nodes whose names are shown at rest: the most mentioned first, each only where it overlaps no name already shown. */
  function placeLabels(nodes, at) {
    const placed = [];
    const shown = new Set();
    const order = nodes.map((_, i) => i).sort((a, b) => nodes[b].mentions - nodes[a].mentions);
    for (const i of order) {
      const box = labelBox(nodes[i], at[i]);
      if (placed.some((o) => box.left < o.right && o.left < box.right && box.top < o.bottom && o.top < box.bottom)) continue;
      placed.push(box);
      shown.add(i);
    }
    return shown;
  }

  const radius = (node) => 5 + Math.sqrt(node.mentions) * 2.5;
  let current = null;

  function draw(graph) {
    current = graph;
    svg.replaceChildren();
    const { nodes, edges } = graph;
    summary.textContent = nodes.length === 0
      ? 'No entities yet: open or add markdown articles.'
      : `${nodes.length} entities, ${edges.length} links between entities named in the same article` +
        (graph.omitted > 0 ? ` (${graph.omitted} less mentioned entities not shown)` : '') + '. Click a node to see its mentions.';
    if (nodes.length === 0) return;
    const pos = layout(nodes, edges);
    // Fit the layout into the view in screen pixels, so that names keep their size however wide it spreads.
    const width = Math.max(200, svg.clientWidth), height = Math.max(200, svg.clientHeight);
    const margin = 40;
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const minX = Math.min(...xs), minY = Math.min(...ys);
    const spanX = Math.max(...xs) - minX || 1, spanY = Math.max(...ys) - minY || 1;
    const fit = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY, 2);
    const offX = (width - spanX * fit) / 2, offY = (height - spanY * fit) / 2;
    const at = pos.map((p) => ({ x: offX + (p.x - minX) * fit, y: offY + (p.y - minY) * fit }));
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const labelled = placeLabels(nodes, at);

    const edgeLayer = el('g', { class: 'edges' }, svg);
    const nodeLayer = el('g', { class: 'nodes' }, svg);
    const lines = edges.map((e) => el('line', {
      x1: at[e.source].x, y1: at[e.source].y, x2: at[e.target].x, y2: at[e.target].y,
      'stroke-width': Math.min(4, 0.6 + e.weight * 0.6),
    }, edgeLayer));

    nodes.forEach((node, i) => {
      const group = el('g', {
        class: `node ${node.type}${node.registered ? ' registered' : ''}${labelled.has(i) ? ' labelled' : ''}`,
        transform: `translate(${at[i].x} ${at[i].y})`,
        tabindex: 0,
        role: 'button',
      }, nodeLayer);
      el('circle', { r: radius(node) }, group);
      const label = el('text', { y: -(radius(node) + 4), 'text-anchor': 'middle' }, group);
      label.textContent = node.name;
      const title = el('title', {}, group);
      const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
      title.textContent = `${node.name} (${node.type}${node.registered ? '' : ', not in the registry'}): ` +
        `${plural(node.mentions, 'mention')} in ${plural(node.documents, 'article')}`;
      group.setAttribute('aria-label', title.textContent);
      const open = () => vscode.postMessage({ type: 'showMentions', key: node.key });
      group.addEventListener('click', open);
      group.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') open(); });
      const highlight = (on) => {
        edges.forEach((e, j) => lines[j].classList.toggle('active', on && (e.source === i || e.target === i)));
        // The hovered node and its names on top of the others.
        if (on) nodeLayer.appendChild(group);
      };
      group.addEventListener('mouseenter', () => highlight(true));
      group.addEventListener('mouseleave', () => highlight(false));
      group.addEventListener('focus', () => highlight(true));
      group.addEventListener('blur', () => highlight(false));
    });
  }

  // The drawing is fitted to the view's size: fit it again when the panel is resized.
  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { if (current) draw(current); }, 150);
  });

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message && message.type === 'graph' && isGraph(message.graph)) draw(message.graph);
  });
  vscode.postMessage({ type: 'ready' });
})();
