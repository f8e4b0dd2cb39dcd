// The HTML shell every apflow webview uses: a strict content security policy with a per-load nonce,
// local scripts only (dist/webview/), the page's CSS inline under the same nonce. No `vscode` import:
// callers pass the webview's cspSource and the script's webview URI.
import { randomBytes } from 'node:crypto';

export interface ShellOptions {
  title: string;
  /** `webview.cspSource`: where local resources are allowed from. */
  cspSource: string;
  /** The bundle, as a webview URI (webview.asWebviewUri). */
  scriptUri: string;
  css: string;
  body: string;
}

export function nonce(): string {
  return randomBytes(16).toString('base64');
}

export function webviewHtml(o: ShellOptions): string {
  const n = nonce();
  const csp = [`default-src 'none'`, `img-src ${o.cspSource} data:`, `style-src 'nonce-${n}'`, `script-src 'nonce-${n}'`, `font-src ${o.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title)}</title>
<style nonce="${n}">${o.css}</style>
</head>
<body>
${o.body}
<script nonce="${n}" src="${o.scriptUri}"></script>
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
