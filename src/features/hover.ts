// The hover card of a mention or an explicit link: who the entity is (from the registry, at the
// article's date), where else it is mentioned, and our command links. Everything that comes from a
// document or the registry is escaped; only our own commands are trusted.
import * as vscode from 'vscode';
import { countries, type TCountryCode } from 'countries-list';
import { roleAt } from '../core/registry';
import type { DocEntity, Registry, RegistryEntity, Role } from '../core/types';
import { isArticle, type Target } from './documentAnalysis';
import { draftFor } from './registryWriter';
import type { AttacheServices } from './services';

export const HOVER_COMMANDS = ['attache.openRegistryEntry', 'attache.showMentions', 'attache.addToRegistry'] as const;
type HoverCommand = (typeof HOVER_COMMANDS)[number];
const LISTED_DOCUMENTS = 3;

/** Backslash-escapes every markdown punctuation character and folds whitespace: the text stays text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()<>#+\-.!|~&"'=:/$%@^;?]/g, (c) => `\\${c}`);
}

/** Percent-encodes the characters encodeURIComponent leaves alone that could end or alter a link destination. */
const encodeArgs = (arg: unknown): string =>
  encodeURIComponent(JSON.stringify([arg])).replace(/[()!*'~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function commandLink(label: string, command: HoverCommand, arg: unknown): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeArgs(arg)})`;
}

/** A link destination that cannot end the link early. */
function linkTarget(uri: vscode.Uri): string {
  return uri.toString().replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function countryName(code: string | undefined): string | undefined {
  if (!code) return undefined;
  const entry = (countries as Record<string, { name: string } | undefined>)[code.toUpperCase() as TCountryCode];
  return entry ? `${entry.name} (${code.toUpperCase()})` : code;
}

function describeRole(role: Role, registry: Registry): string {
  const org = role.org ? (registry.byId.get(role.org)?.name ?? role.org) : undefined;
  const since = role.from ? ` since ${role.from}` : '';
  const until = role.to ? ` until ${role.to}` : '';
  return `${role.title}${org ? `, ${org}` : ''}${since}${until}`;
}

export class AttacheHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: AttacheServices) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!isArticle(document)) return undefined;
    const target = this.services.analysis.targetAt(document, position);
    if (!target) return undefined;
    // Before the first registry load every id would look unknown.
    if (!this.services.registry.loaded) return new vscode.Hover('Attaché: the registry is still loading…', target.range);
    const result = this.services.analysis.get(document);
    const registry = this.services.registry.current;
    const registered = target.id ? registry.byId.get(target.id) : undefined;
    const docEntity = result.entities.find((e) => e.key === target.key);
    const md = new vscode.MarkdownString('', false);
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    md.supportHtml = false;
    md.supportThemeIcons = false;
    const lines = registered
      ? this.registeredCard(registered, registry, result.date)
      : this.unregisteredCard(target, docEntity, result.entities);
    if (!lines) return undefined;
    lines.push(this.mentionedIn(target.id ?? target.key, document.uri));
    const commands = registered
      ? [commandLink('Open registry entry', 'attache.openRegistryEntry', registered.id), commandLink('Show all mentions', 'attache.showMentions', registered.id)]
      : [commandLink('Add to registry', 'attache.addToRegistry', draftFor(target, docEntity)), commandLink('Show all mentions', 'attache.showMentions', target.key)];
    lines.push(commands.join(' · '));
    md.appendMarkdown(lines.join('\n\n'));
    return new vscode.Hover(md, target.range);
  }

  private registeredCard(entity: RegistryEntity, registry: Registry, date: string | null): string[] {
    const lines = [`**${escapeMarkdown(entity.name)}** · ${entity.type}`];
    const roles = roleAt(entity, date);
    if (roles.length > 0) {
      const when = date ? ` (at ${escapeMarkdown(date)})` : '';
      lines.push(`Role${roles.length > 1 ? 's' : ''}${when}: ${roles.map((r) => escapeMarkdown(describeRole(r, registry))).join('; ')}`);
    }
    const country = countryName(entity.country);
    if (country) lines.push(`Country: ${escapeMarkdown(country)}`);
    if (entity.aliases.length > 0) lines.push(`Also: ${entity.aliases.map(escapeMarkdown).join(', ')}`);
    if (entity.notes) lines.push(`Notes: ${escapeMarkdown(entity.notes)}`);
    return lines;
  }

  private unregisteredCard(target: Target, entity: DocEntity | undefined, entities: readonly DocEntity[]): string[] | undefined {
    const mention = target.mention;
    if (target.linkId) return [`\`[[…]]\` link to an unknown id: **${escapeMarkdown(target.key)}** is not in the registry`];
    if (!mention) return undefined;
    const name = entity?.name ?? mention.text;
    const lines = [`**${escapeMarkdown(name)}** · ${mention.type} · _not in the registry_`];
    const title = mention.title ?? entity?.title;
    if (title) lines.push(`Title: ${escapeMarkdown(title)}`);
    const country = countryName(entity?.country);
    if (country) lines.push(`Country: ${escapeMarkdown(country)}`);
    if (mention.candidates && mention.candidates.length > 1) {
      const names = mention.candidates.map((key) => entities.find((e) => e.key === key)?.name ?? key);
      lines.push(`Ambiguous: could be ${names.map(escapeMarkdown).join(' or ')}`);
    }
    return lines;
  }

  /** "Mentioned in N documents", with the first few as links (the current document first). */
  private mentionedIn(idOrKey: string, current: vscode.Uri): string {
    const uris = this.services.index.documentsMentioning(idOrKey);
    const others = uris.filter((u) => u.toString() !== current.toString());
    const total = others.length + 1;
    const links = others.slice(0, LISTED_DOCUMENTS).map((u) => `[${escapeMarkdown(vscode.workspace.asRelativePath(u))}](${linkTarget(u)})`);
    const more = others.length > LISTED_DOCUMENTS ? `, and ${others.length - LISTED_DOCUMENTS} more` : '';
    if (total === 1) return 'Mentioned only in this document';
    return `Mentioned in ${total} documents: this one, ${links.join(', ')}${more}`;
  }
}

export function registerHover(services: AttacheServices): vscode.Disposable {
  return vscode.languages.registerHoverProvider({ language: 'markdown' }, new AttacheHoverProvider(services));
}
