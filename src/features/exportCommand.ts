// Export Annotations: the active article's mentions and commitments as W3C Web Annotations, brat
// standoff, CSV or iCalendar, saved beside the article or where the analyst chooses.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXPORT_FORMATS, exportAnnotations, type ExportFormat } from '../core/exports/index';
import { targetArticle, type Command } from './commands';
import type { AttacheServices } from './services';

const FORMATS: Record<ExportFormat, { label: string; detail: string; suffix: string; filter: string }> = {
  w3c: { label: 'W3C Web Annotation', detail: 'JSON-LD, one annotation per mention and commitment', suffix: '.annotations.jsonld', filter: 'JSON-LD' },
  brat: { label: 'brat standoff', detail: '.ann entity spans and registry notes', suffix: '.ann', filter: 'brat annotations' },
  csv: { label: 'CSV', detail: 'one row per commitment', suffix: '.commitments.csv', filter: 'CSV' },
  ics: { label: 'iCalendar', detail: 'a to-do or event per dated or recurring commitment', suffix: '.ics', filter: 'iCalendar' },
};

/** `<dir>/<name><suffix>` beside `<dir>/<name>.md`. */
export function exportUriFor(article: vscode.Uri, format: ExportFormat): vscode.Uri {
  const base = path.posix.basename(article.path).replace(/\.(md|markdown)$/i, '');
  return vscode.Uri.joinPath(article, '..', base + FORMATS[format].suffix);
}

export class ExportAnnotationsCommand implements Command {
  readonly id = 'attache.exportAnnotations';
  constructor(private readonly services: AttacheServices) {}

  /**
   * Asks for the format and the destination unless given (`destination` a Uri, or 'beside').
   * Returns the file written.
   */
  async execute(arg?: unknown, presetFormat?: unknown, destination?: unknown): Promise<vscode.Uri | undefined> {
    if (!this.services.writes.allows('the export')) return undefined;
    const article = await targetArticle(arg);
    if (!article) return undefined;
    const format = EXPORT_FORMATS.find((f) => f === presetFormat) ?? (await this.pickFormat());
    if (!format) return undefined;
    const target = destination instanceof vscode.Uri ? destination : await this.pickDestination(article.uri, format, destination === 'beside');
    if (!target) return undefined;

    const result = await this.services.analysis.current(article);
    const content = exportAnnotations(format, {
      file: vscode.workspace.asRelativePath(article.uri, false),
      text: article.getText(),
      result,
    });
    try {
      await this.services.files.replace(target, content);
    } catch (e) {
      void vscode.window.showErrorMessage(`Attaché: the export was not written: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    void vscode.window.showInformationMessage(`Attaché: exported ${FORMATS[format].label} to ${vscode.workspace.asRelativePath(target)}.`);
    return target;
  }

  private async pickFormat(): Promise<ExportFormat | undefined> {
    const picked = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((format) => ({ label: FORMATS[format].label, description: format, detail: FORMATS[format].detail, format })),
      { title: 'Export annotations as …' },
    );
    return picked?.format;
  }

  private async pickDestination(article: vscode.Uri, format: ExportFormat, beside: boolean): Promise<vscode.Uri | undefined> {
    const besideUri = exportUriFor(article, format);
    if (beside) return besideUri;
    const choice = await vscode.window.showQuickPick(
      [
        { label: `Beside the article`, description: path.posix.basename(besideUri.path), beside: true },
        { label: 'Choose a location …', beside: false },
      ],
      { title: 'Save the export where?' },
    );
    if (!choice) return undefined;
    if (choice.beside) return besideUri;
    const extension = FORMATS[format].suffix.split('.').pop() ?? format;
    return vscode.window.showSaveDialog({ defaultUri: besideUri, filters: { [FORMATS[format].filter]: [extension] } });
  }
}
