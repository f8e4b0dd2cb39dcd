// The HTML shell every webview of the extension starts from: local scripts and styles only (no CDN), a
// strict content security policy, and a fresh nonce per page so that no injected script can run.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface ShellOptions {
  title: string;
  /** Scripts and stylesheets, as files under the extension (webview URIs are made here). */
  scripts: vscode.Uri[];
  styles: vscode.Uri[];
  /** Whether the page starts web workers (from blob: URLs: a worker cannot load a webview resource directly). */
  workers?: boolean;
  /** The page's own style sheet, inline (under the page's nonce). */
  css?: string;
  /** The page's body, already escaped. */
  body?: string;
  /** What the page's script reads on start, as `data-*` attributes of its body (escaped here). */
  data?: Record<string, string>;
}

export function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** What a webview may load: only the extension's own files, and scripts carrying this page's nonce. */
export function contentSecurityPolicy(webview: vscode.Webview, scriptNonce: string, workers = false, inlineStyle = false): string {
  const source = webview.cspSource;
  return [
    "default-src 'none'",
    `style-src ${source}${inlineStyle ? ` 'nonce-${scriptNonce}'` : ''}`,
    `img-src ${source} data:`,
    `font-src ${source}`,
    `script-src 'nonce-${scriptNonce}'`,
    ...(workers ? ['worker-src blob:', `connect-src ${source}`] : []),
  ].join('; ');
}

export function webviewHtml(webview: vscode.Webview, options: ShellOptions): string {
  const n = nonce();
  const styles = options.styles.map((uri) => `<link rel="stylesheet" href="${webview.asWebviewUri(uri).toString()}">`).join('\n');
  const scripts = options.scripts.map((uri) => `<script nonce="${n}" src="${webview.asWebviewUri(uri).toString()}"></script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview, n, options.workers, options.css !== undefined)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(options.title)}</title>
${styles}${options.css !== undefined ? `\n<style nonce="${n}">${options.css}</style>` : ''}
</head>
<body${Object.entries(options.data ?? {})
    .map(([key, value]) => ` data-${key}="${escapeHtml(value)}"`)
    .join('')}>
${options.body ?? ''}
${scripts}
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
