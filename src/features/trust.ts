// Workspace trust: in Restricted Mode Attaché still annotates (reading is harmless), but writes
// nothing — no checklist, registry entry, rename, link or export. Every write asks this guard first.
// It holds no `vscode` import: the extension passes `vscode.workspace.isTrusted` and a notifier, tests fakes.

export class WriteGuard {
  constructor(
    private readonly isTrusted: () => boolean,
    private readonly warn: (message: string) => void,
  ) {}

  get trusted(): boolean {
    return this.isTrusted();
  }

  /** Why `what` may not be written now (for callers that report errors themselves), or undefined when it may. */
  refusal(what: string): string | undefined {
    if (this.isTrusted()) return undefined;
    return `Attaché: ${what} not written: this workspace is in Restricted Mode, where Attaché only reads. Trust the workspace (Workspaces: Manage Workspace Trust) to allow it.`;
  }

  /** Whether `what` may be written now; when not, tells the analyst why. */
  allows(what: string): boolean {
    const refusal = this.refusal(what);
    if (refusal) this.warn(refusal);
    return refusal === undefined;
  }
}
