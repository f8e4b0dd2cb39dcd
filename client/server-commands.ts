// "Run on apflow Server…" and "Set apflow Server Token…" (issue 15). Servers are listed in the setting
// `apflow.servers`; each server's token lives in VS Code's SecretStorage under its URL, asked for once
// and never written to settings, the history or the output.
import * as vscode from 'vscode';
import type { ServerEndpoint } from './runtime-host';

export interface ServerEntry {
  name?: string;
  url: string;
}

const ENTER_URL = 'Enter a server URL…';

/** The secret's key: a token is only ever sent to the URL it was given for. */
function tokenKey(url: string): string {
  return `apflow.serverToken:${normalised(url)}`;
}

function normalised(url: string): string {
  return url.trim().replace(/\/+$/, '');
}

/** The servers of the setting, for the resource (a folder may list its own). */
export function configuredServers(scope?: vscode.Uri): ServerEntry[] {
  const listed = vscode.workspace.getConfiguration('apflow', scope).get<unknown[]>('servers', []);
  return (Array.isArray(listed) ? listed : []).flatMap((item): ServerEntry[] => {
    if (typeof item === 'string') return [{ url: item }];
    if (item && typeof item === 'object' && typeof (item as ServerEntry).url === 'string') return [item as ServerEntry];
    return [];
  });
}

/** Asks which server: the listed ones, or a URL typed in. */
export async function pickServer(scope?: vscode.Uri): Promise<string | undefined> {
  const servers = configuredServers(scope);
  const items: vscode.QuickPickItem[] = [...servers.map((s) => ({ label: s.name ?? s.url, description: s.name ? s.url : undefined })), { label: ENTER_URL, alwaysShow: true }];
  const picked = await vscode.window.showQuickPick(items, { placeHolder: servers.length > 0 ? 'Run on which apflow server?' : 'No servers in the setting apflow.servers yet: enter a URL' });
  if (!picked) return undefined;
  if (picked.label !== ENTER_URL) return picked.description ?? picked.label;
  const typed = await vscode.window.showInputBox({
    prompt: 'The apflow 0.18 API server to run on (add it to the setting apflow.servers to list it here)',
    placeHolder: 'http://127.0.0.1:8000',
    ignoreFocusOut: true,
    validateInput: (value) => (/^https?:\/\/[^\s/]+/.test(value.trim()) ? undefined : 'an http:// or https:// URL'),
  });
  return typed ? normalised(typed) : undefined;
}

export class ServerTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The endpoint to run on: the stored token, else asked for (empty: the server has no secret) and stored. */
  async endpoint(url: string): Promise<ServerEndpoint | undefined> {
    let token = await this.secrets.get(tokenKey(url));
    if (token === undefined) {
      token = await this.ask(url);
      if (token === undefined) return undefined;
      await this.secrets.store(tokenKey(url), token);
    }
    return { url: normalised(url), token: token || null, tokenSource: `the token stored for ${normalised(url)} (apflow: Set apflow Server Token…)` };
  }

  /** Stores the token (an empty one: the server has no secret); undefined removes it. */
  async set(url: string, token: string | undefined): Promise<void> {
    if (token === undefined) await this.secrets.delete(tokenKey(url));
    else await this.secrets.store(tokenKey(url), token);
  }

  ask(url: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      prompt: `The token (JWT) for ${normalised(url)}; leave empty if the server has no secret. It is kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
  }
}
