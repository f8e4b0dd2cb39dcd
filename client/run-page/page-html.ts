// The run page's static markup and style (the webview's script fills it in). Colours are the
// theme's, through VS Code's CSS variables, so the page follows light, dark and high-contrast themes.
export const RUN_PAGE_BODY = `
<header id="summary" aria-live="polite"></header>
<section class="timeline-section">
  <div class="bar">
    <h2>Timeline</h2>
    <span class="legend"><i class="sw ok"></i>completed <i class="sw failed"></i>failed attempt <i class="sw running"></i>running <i class="sw critical"></i>critical path</span>
    <span class="spacer"></span>
    <button id="zoom-out" title="Zoom out (Ctrl+wheel)">−</button>
    <button id="zoom-fit" title="Fit the whole run">Fit</button>
    <button id="zoom-in" title="Zoom in (Ctrl+wheel)">+</button>
  </div>
  <div id="timeline" class="timeline" tabindex="0" aria-label="Timeline of every attempt of every task"><div id="timeline-space"></div><canvas id="timeline-canvas"></canvas></div>
  <div id="timeline-empty" class="note" hidden>No task has started yet.</div>
</section>
<div class="lower">
  <section class="table-section">
    <div class="bar">
      <h2>Tasks</h2>
      <input id="filter" type="search" placeholder="Filter by id, name or error" aria-label="Filter tasks">
      <select id="status" aria-label="Show tasks with status">
        <option value="all">all</option><option value="problems">failed, cancelled, blocked</option><option value="failed">failed</option>
        <option value="in_progress">running</option><option value="completed">completed</option><option value="blocked">blocked</option>
        <option value="cancelled">cancelled</option><option value="pending">pending</option>
      </select>
      <span id="shown" class="note"></span>
    </div>
    <div class="thead" id="thead"></div>
    <div id="table" class="table" tabindex="0" role="grid" aria-label="Tasks"><div id="table-space"></div></div>
  </section>
  <section id="details" class="details" aria-live="polite"><p class="note">Select a task in the timeline or the table.</p></section>
</div>`;

export const RUN_PAGE_CSS = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 8px 14px; margin: 0; }
h1 { font-size: 1.3em; margin: 4px 0; } h2 { font-size: 1.05em; margin: 0; } h3 { font-size: 1em; margin: 12px 0 4px; }
.note { color: var(--vscode-descriptionForeground); }
.bar { display: flex; align-items: center; gap: 8px; margin: 10px 0 6px; } .spacer { flex: 1; }
button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 9px; cursor: pointer; border-radius: 2px; }
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
a, .link { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; } a:hover, .link:hover { text-decoration: underline; }
input, select { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 4px; }
#summary dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
#summary dt { color: var(--vscode-descriptionForeground); }
.status-completed { color: var(--vscode-testing-iconPassed); } .status-failed { color: var(--vscode-testing-iconFailed); }
.status-cancelled, .status-blocked, .status-pending { color: var(--vscode-descriptionForeground); } .status-in_progress, .status-running { color: var(--vscode-charts-blue); }
.legend { color: var(--vscode-descriptionForeground); font-size: 0.9em; } .sw { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; vertical-align: middle; }
.sw.ok { background: var(--vscode-testing-iconPassed); } .sw.failed { background: var(--vscode-testing-iconFailed); } .sw.running { background: var(--vscode-charts-blue); } .sw.critical { border: 2px solid var(--vscode-charts-orange); width: 7px; height: 7px; }
.timeline { position: relative; height: 120px; overflow: auto; border: 1px solid var(--vscode-panel-border); }
#timeline-canvas { position: sticky; left: 0; top: 0; display: block; }
#timeline-space { position: absolute; left: 0; top: 0; width: 1px; height: 1px; }
.lower { display: grid; grid-template-columns: minmax(360px, 1fr) minmax(320px, 1fr); gap: 14px; }
.thead, .row { display: grid; grid-template-columns: 1.4fr 0.8fr 0.5fr 0.7fr 2fr; gap: 6px; padding: 0 6px; height: 22px; line-height: 22px; white-space: nowrap; }
.thead { font-weight: 600; border-bottom: 1px solid var(--vscode-panel-border); } .thead span { cursor: pointer; overflow: hidden; text-overflow: ellipsis; }
.table { position: relative; height: 360px; overflow: auto; }
.row { position: absolute; left: 0; right: 0; cursor: pointer; } .row span { overflow: hidden; text-overflow: ellipsis; }
.row:hover { background: var(--vscode-list-hoverBackground); } .row.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.details { border-left: 1px solid var(--vscode-panel-border); padding-left: 14px; max-height: 640px; overflow: auto; }
pre { background: var(--vscode-textCodeBlock-background); padding: 6px 8px; overflow: auto; max-height: 260px; white-space: pre-wrap; word-break: break-word; margin: 2px 0; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
pre.error { border-left: 3px solid var(--vscode-testing-iconFailed); }
.attempt { margin: 2px 0; }`;
