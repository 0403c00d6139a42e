// The browser scenario: what an analyst sees in VS Code with the packaged extension installed. Driven by
// scripts/run-e2e.mjs, which starts code-server on a copy of samples/workspace and hands us the page.
// Each step waits for what a person would wait for (never a fixed sleep), screenshots what it shows,
// and stops the scenario with a message naming what was missing (plus a screenshot) if it fails.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';

export interface ScenarioOptions {
  /** The workspace copy code-server opened. */
  workspace: string;
  /** The extension's package.json (colour defaults, command titles). */
  manifest: { contributes?: { colors?: ColorContribution[] } };
  /** Where the screenshots for the README go. */
  screenshotsDir: string;
  /** Where a failing step leaves its screenshot. */
  failuresDir: string;
  log: (line: string) => void;
}

export interface ScenarioResult {
  passed: number;
  failed: number;
  skipped: number;
}

interface ColorContribution {
  id: string;
  defaults: Record<string, string>;
}

type Rgba = [number, number, number, number];

/** The few browser globals the page callbacks use (the project compiles without the DOM library). */
interface TextNodeLike {
  textContent: string | null;
}
interface RangeLike {
  setStart(node: TextNodeLike, offset: number): void;
  setEnd(node: TextNodeLike, offset: number): void;
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
}
interface PageGlobals {
  document: {
    caretRangeFromPoint(x: number, y: number): { startContainer: TextNodeLike; startOffset: number } | null;
    querySelectorAll(selector: string): ArrayLike<{ firstChild: TextNodeLike | null }>;
    createRange(): RangeLike;
  };
  getComputedStyle(element: unknown): { backgroundColor: string; borderBottomStyle: string };
}

const ENTITY_TYPES = ['person', 'organization', 'place', 'event'] as const;
const COMMAND_TITLE = 'Attaché: Generate Commitment Checklist';
const WALKTHROUGH_TITLE = 'Get started with Attaché';
const STEP_TIMEOUT_MS = 60_000;
const SELECTORS = {
  workbench: '.monaco-workbench .part.editor',
  decoration: '.monaco-editor .view-overlays div[class*="TextEditorDecorationType"]',
  hover: '.monaco-hover:not(.hidden) .hover-contents',
  quickInput: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
  activeTab: '.tabs-container .tab.active',
  activeEditorLines: '.editor-group-container.active .monaco-editor .view-lines',
};

/** '#rrggbb' or '#rrggbbaa' (as in contributes.colors) to the RGBA a computed style reports. */
function hexToRgba(hex: string): Rgba {
  const digits = hex.replace('#', '');
  const channel = (i: number): number => parseInt(digits.slice(i, i + 2), 16);
  return [channel(0), channel(2), channel(4), digits.length === 8 ? channel(6) / 255 : 1];
}

function cssToRgba(css: string): Rgba | null {
  const match = /rgba?\(([^)]+)\)/.exec(css);
  if (!match) return null;
  const [r, g, b, a = '1'] = match[1].split(',').map((part) => part.trim());
  return [Number(r), Number(g), Number(b), Number(a)];
}

// Computed alphas are rounded (0x30/255 comes back as 0.19), so compare with a small tolerance.
const sameColor = (a: Rgba, b: Rgba): boolean =>
  a.slice(0, 3).every((v, i) => Math.abs(v - b[i]) <= 1) && Math.abs(a[3] - b[3]) < 0.02;

/** The articles of the workspace, in name order (checklists are outputs, not articles). */
function articles(workspace: string): string[] {
  return fs
    .readdirSync(workspace, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md') && !name.endsWith('.checklist.md') && !name.startsWith('.'))
    .sort();
}

function checklists(workspace: string): string[] {
  return fs.readdirSync(workspace, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.checklist.md'));
}

/** Canonical names of the registry's people, keyed by each word of their names and aliases. */
function registryPeople(workspace: string): Map<string, Set<string>> {
  const file = path.join(workspace, '.attache/registry.yaml');
  const people = new Map<string, Set<string>>();
  if (!fs.existsSync(file)) return people;
  const data = parseYaml(fs.readFileSync(file, 'utf8')) as { entities?: Array<{ name?: string; type?: string; aliases?: string[] }> };
  for (const entity of data.entities ?? []) {
    if (entity.type !== 'person' || !entity.name) continue;
    for (const label of [entity.name, ...(entity.aliases ?? [])]) {
      for (const word of label.split(/\s+/)) people.set(word, (people.get(word) ?? new Set()).add(entity.name));
    }
  }
  return people;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function waitFor(locator: Locator, what: string): Promise<void> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  } catch {
    throw new Error(`${what} did not appear within ${STEP_TIMEOUT_MS / 1000} s`);
  }
}

/**
 * Waits until some frame of the page (webviews nest their content in frames, and VS Code may keep
 * more than one) shows `selector` with `text`.
 */
async function waitForFrameText(page: Page, selector: string, text: string, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const visible = await frame.locator(selector, { hasText: text }).first().isVisible().catch(() => false);
      if (visible) return;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`${what} did not appear within ${STEP_TIMEOUT_MS / 1000} s`);
}

/**
 * Rests the mouse on a point until `card` shows. A busy editor can drop a single mouse move, so the
 * pointer leaves and comes back every few seconds, as a person would do, and every other try asks
 * for the hover from the keyboard instead.
 */
async function hoverUntil(page: Page, locate: () => Promise<{ x: number; y: number }>, card: Locator, what: string): Promise<void> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    // Re-located every try: CodeLens lines come and go as analyses arrive, moving the text.
    const point = await locate();
    if (attempt % 2 === 0) {
      await page.mouse.move(point.x, point.y + 40);
      await page.mouse.move(point.x, point.y, { steps: 4 });
    } else {
      // As a keyboard user would: put the cursor on the word and ask for its hover (Ctrl+K Ctrl+I).
      await page.mouse.click(point.x, point.y);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
    }
    try {
      await card.first().waitFor({ state: 'visible', timeout: 5_000 });
      return;
    } catch {
      // Not yet: move away and try again.
    }
  }
  throw new Error(`${what} did not appear within ${STEP_TIMEOUT_MS / 1000} s`);
}

/** The current theme's kind, which picks the colour default VS Code applies. */
async function themeKind(page: Page): Promise<string> {
  const classes = (await page.locator('.monaco-workbench').first().getAttribute('class')) ?? '';
  if (classes.includes('hc-light')) return 'highContrastLight';
  if (classes.includes('hc-black')) return 'highContrast';
  return classes.includes('vs-dark') ? 'dark' : 'light';
}

/** The centre of the first rendered occurrence of `word` in the editor's text, or `fallback`. */
function wordPosition(page: Page, word: string, fallback: { x: number; y: number }): Promise<{ x: number; y: number }> {
  return page.evaluate(([w, fx, fy]) => {
    const doc = (globalThis as unknown as PageGlobals).document;
    for (const span of Array.from(doc.querySelectorAll('.monaco-editor .view-lines span span'))) {
      const node = span.firstChild;
      const at = node?.textContent?.indexOf(w) ?? -1;
      if (!node || at < 0) continue;
      const range = doc.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      const rect = range.getBoundingClientRect();
      if (rect.width > 0) return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    }
    return { x: fx, y: fy };
  }, [word, fallback.x, fallback.y] as const);
}

/** The word under a point of the editor, read from the rendered text. */
function wordAt(page: Page, x: number, y: number): Promise<string> {
  return page.evaluate(([px, py]) => {
    const range = (globalThis as unknown as PageGlobals).document.caretRangeFromPoint(px, py);
    const text = range?.startContainer.textContent ?? '';
    const offset = range?.startOffset ?? 0;
    const before = /[\p{L}\p{M}'’-]*$/u.exec(text.slice(0, offset))?.[0] ?? '';
    const after = /^[\p{L}\p{M}'’-]*/u.exec(text.slice(offset))?.[0] ?? '';
    return (before + after).replace(/['’]s$/u, '');
  }, [x, y] as const);
}

export async function runScenario(page: Page, options: ScenarioOptions): Promise<ScenarioResult> {
  const { workspace, manifest, screenshotsDir, failuresDir, log } = options;
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const result: ScenarioResult = { passed: 0, failed: 0, skipped: 0 };
  const colors = new Map((manifest.contributes?.colors ?? []).map((c) => [c.id, c.defaults]));
  const article = articles(workspace)[0];
  let personBox: { x: number; y: number } | undefined;
  let personIsLinked = false;
  let personColour: ReturnType<typeof hexToRgba> | undefined;

  /** Every Attaché decoration box now on screen: its colour, underline style and centre. */
  const decorationBoxes = async () => {
    return page.locator(SELECTORS.decoration).evaluateAll((elements) =>
      elements.map((el) => {
        const style = (globalThis as unknown as PageGlobals).getComputedStyle(el);
        const rect = el.getBoundingClientRect();
        return { background: style.backgroundColor, border: style.borderBottomStyle, x: rect.x + rect.width / 2, y: rect.y + rect.height / 2, width: rect.width };
      }));
  };

  const steps: Array<[string, () => Promise<void>]> = [
    ['workbench loads', async () => {
      await waitFor(page.locator(SELECTORS.workbench), 'the workbench editor area');
      if (!article) throw new Error(`no markdown article in ${workspace}`);
    }],
    [`opens ${article}`, async () => {
      await page.keyboard.press('Control+P');
      await waitFor(page.locator(SELECTORS.quickInput), 'the quick-open box');
      await page.locator(SELECTORS.quickInput).fill(path.basename(article));
      await waitFor(page.locator(SELECTORS.quickInputRow, { hasText: path.basename(article) }), `a quick-open row for ${article}`);
      await page.keyboard.press('Enter');
      await waitFor(page.locator(SELECTORS.activeTab, { hasText: path.basename(article) }), `an editor tab for ${article}`);
    }],
    ['highlights mentions in their theme colours', async () => {
      await waitFor(page.locator(SELECTORS.decoration), 'any Attaché decoration in the editor');
      const kind = await themeKind(page);
      const expected = ENTITY_TYPES.flatMap((type) => {
        const hex = colors.get(`attache.${type}.background`)?.[kind];
        return hex ? [{ type, rgba: hexToRgba(hex) }] : [];
      });
      if (expected.length === 0) throw new Error('package.json contributes no attache.<type>.background colours');
      const boxes = await decorationBoxes();
      const seen = new Map<string, number>();
      // Reading order: the editor reuses line elements, so DOM order need not be top to bottom.
      for (const box of boxes.sort((a, b) => a.y - b.y || a.x - b.x)) {
        const rgba = cssToRgba(box.background);
        const match = rgba && expected.find((e) => sameColor(e.rgba, rgba));
        if (!match) continue;
        seen.set(match.type, (seen.get(match.type) ?? 0) + 1);
        // For the hover step: the first registry-linked person (solid underline), else the first person.
        if (match.type === 'person') personColour = match.rgba;
        if (match.type === 'person' && box.width > 0 && (!personBox || (!personIsLinked && box.border === 'solid'))) {
          personBox = box;
          personIsLinked = box.border === 'solid';
        }
      }
      log(`      decorations (${kind} theme): ${[...seen].map(([t, n]) => `${t} ${n}`).join(', ') || 'none in an Attaché colour'}`);
      if (!seen.has('person')) {
        const found = [...new Set(boxes.map((b) => b.background))].join(', ');
        throw new Error(`no decoration in the person colour ${colors.get('attache.person.background')?.[kind]}; backgrounds seen: ${found}`);
      }
      await page.screenshot({ path: path.join(screenshotsDir, 'highlights.png') });
    }],
    ['hover card shows the canonical name', async () => {
      if (!personBox) throw new Error('no person mention to hover');
      // CodeLens lines can appear after the highlights were measured and move the text: measure again,
      // and take the first person box (linked ones first) that has a word under its centre.
      const person = personColour;
      const candidates = (await decorationBoxes())
        .filter((b) => {
          const rgba = cssToRgba(b.background);
          return b.width > 0 && rgba !== null && person !== undefined && sameColor(person, rgba);
        })
        .sort((a, b) => Number(b.border === 'solid') - Number(a.border === 'solid') || a.y - b.y || a.x - b.x);
      let word = '';
      for (const box of candidates) {
        word = await wordAt(page, box.x, box.y);
        if (word) {
          personBox = box;
          break;
        }
      }
      // A word shared by several people (a family name) may name any of them; the card must name one.
      const names = [...(registryPeople(workspace).get(word) ?? [word])];
      const hover = page.locator(SELECTORS.hover, { hasText: new RegExp(names.map(escapeRegExp).join('|')) });
      const box = personBox;
      await hoverUntil(page, () => wordPosition(page, word, box), hover, `a hover card containing ${names.map((n) => `"${n}"`).join(' or ')} (hovered "${word}")`);
      log(`      hover on "${word}": ${(await hover.first().innerText()).replace(/\s+/g, ' ').slice(0, 160)}`);
      // The card fades in: the screenshot waits for the card's own animations to end (a second at most:
      // the workbench's progress bar, say, runs on and is not waited for), so it shows the card as read.
      await hover.first().evaluate((el) => {
        const card = el.closest('.monaco-hover') ?? el;
        const ended = Promise.all(card.getAnimations({ subtree: true }).map((a: { finished: Promise<unknown> }) => a.finished.catch(() => undefined)));
        return Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
      });
      await page.screenshot({ path: path.join(screenshotsDir, 'hover.png') });
    }],
    [`runs "${COMMAND_TITLE}" and sees the checklist`, async () => {
      await page.keyboard.press('Escape');
      const before = new Set(checklists(workspace));
      await page.keyboard.press('F1');
      await waitFor(page.locator(SELECTORS.quickInput), 'the command palette');
      await page.locator(SELECTORS.quickInput).fill(`>${COMMAND_TITLE}`);
      await waitFor(page.locator(SELECTORS.quickInputRow, { hasText: COMMAND_TITLE }), `the palette entry "${COMMAND_TITLE}"`);
      await page.keyboard.press('Enter');
      await waitFor(page.locator(SELECTORS.activeTab, { hasText: '.checklist.md' }), 'an editor tab for the generated *.checklist.md');
      await waitFor(page.locator(SELECTORS.activeEditorLines, { hasText: '[ ]' }), 'checklist items ("[ ]") in the checklist editor');
      const written = checklists(workspace).filter((name) => !before.has(name));
      log(`      checklist on disk: ${written.join(', ') || '(an existing one, regenerated)'}`);
      await page.screenshot({ path: path.join(screenshotsDir, 'checklist.png') });
    }],
    ['opens the "Get started" walkthrough and shows a step with its page', async () => {
      await page.keyboard.press('Escape');
      await page.keyboard.press('F1');
      await waitFor(page.locator(SELECTORS.quickInput), 'the command palette');
      await page.locator(SELECTORS.quickInput).fill('>Welcome: Open Walkthrough');
      await waitFor(page.locator(SELECTORS.quickInputRow, { hasText: 'Open Walkthrough' }), 'the palette entry "Welcome: Open Walkthrough..."');
      await page.keyboard.press('Enter');
      await waitFor(page.locator(SELECTORS.quickInputRow, { hasText: WALKTHROUGH_TITLE }), `"${WALKTHROUGH_TITLE}" among the walkthroughs`);
      await page.locator(SELECTORS.quickInput).fill(WALKTHROUGH_TITLE);
      await page.keyboard.press('Enter');
      const walkthrough = page.locator('.gettingStartedContainer');
      await waitFor(walkthrough.locator('.getting-started-step', { hasText: 'Keep the team registry' }), 'the walkthrough\'s steps');
      await walkthrough.locator('.getting-started-step', { hasText: 'Turn commitments into a checklist' }).first().click();
      // The step's page is markdown shown in a webview: its heading says the page is the step's own.
      await waitForFrameText(page, 'h1', 'Turn commitments into a checklist', 'the step\'s page');
      await page.screenshot({ path: path.join(screenshotsDir, 'walkthrough.png') });
    }],
  ];

  for (const [name, run] of steps) {
    if (result.failed > 0) {
      log(`    - ${name} (skipped)`);
      result.skipped++;
      continue;
    }
    try {
      await run();
      log(`    ✔ ${name}`);
      result.passed++;
    } catch (error) {
      result.failed++;
      fs.mkdirSync(failuresDir, { recursive: true });
      const shot = path.join(failuresDir, `failed-step-${result.passed + 1}.png`);
      await page.screenshot({ path: shot }).catch(() => undefined);
      log(`    ✘ ${name}: ${error instanceof Error ? error.message : String(error)}\n      screenshot: ${shot}`);
    }
  }
  return result;
}
