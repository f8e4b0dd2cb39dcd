// The graph views of the extension (issue 13): `apflow.showGraph` (from the `Show graph` lens above
// a tree, the editor title or the command palette) opens one panel per file beside the editor, or
// brings its panel back; panels are restored after a reload (WebviewPanelSerializer, activated by
// `onWebviewPanel:apflow.graph`); the cursor in a tree's editor highlights its task in the graph.
import * as vscode from 'vscode';
import type { GraphViewState } from '../../protocol';
import { lensHub } from '../lens-hub';
import { GRAPH_VIEW_TYPE, GraphPanel, graphPanelOptions, type GraphDeps } from './panel';

export const SHOW_GRAPH_COMMAND = 'apflow.showGraph';

export class GraphViews implements vscode.Disposable {
  private readonly panels = new Map<string, GraphPanel>();

  constructor(private readonly deps: GraphDeps) {}

  /** The panel of a file, if one is open (the extension tests read its figures). */
  panelFor(uri: vscode.Uri): GraphPanel | undefined {
    return this.panels.get(uri.toString());
  }

  show(uri: vscode.Uri): GraphPanel {
    const known = this.panels.get(uri.toString());
    if (known) {
      known.reveal();
      return known;
    }
    const panel = vscode.window.createWebviewPanel(
      GRAPH_VIEW_TYPE,
      'Graph',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      graphPanelOptions(this.deps.extensionUri),
    );
    return this.adopt(panel, uri);
  }

  /** Takes over a panel VS Code restored after a reload. */
  restore(panel: vscode.WebviewPanel, state: GraphViewState | undefined): void {
    if (!state?.uri) {
      panel.dispose();
      return;
    }
    this.adopt(panel, vscode.Uri.parse(state.uri));
  }

  cursorMoved(editor: vscode.TextEditor): void {
    this.panels.get(editor.document.uri.toString())?.cursorAt(editor.selection.active);
  }

  dispose(): void {
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri): GraphPanel {
    const view = new GraphPanel(panel, uri, this.deps);
    this.panels.set(uri.toString(), view);
    view.onDidDispose(() => {
      if (this.panels.get(uri.toString()) === view) this.panels.delete(uri.toString());
    });
    return view;
  }
}

/** `Show graph` on line 0 of every tree, next to the run lenses (a provider of its own: it never changes). */
class ShowGraphLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '$(type-hierarchy) Show graph',
        command: SHOW_GRAPH_COMMAND,
        arguments: [document.uri],
        tooltip: 'Open the graph of this tree beside the editor',
      }),
    ];
  }
}

export function registerGraphViews(deps: GraphDeps): {
  views: GraphViews;
  disposables: vscode.Disposable[];
} {
  const views = new GraphViews(deps);
  const showGraph = (arg?: vscode.Uri) => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('apflow: open a task tree (.apflow.yaml) to show its graph.');
      return undefined;
    }
    return views.show(uri);
  };
  const disposables = [
    views,
    vscode.commands.registerCommand(SHOW_GRAPH_COMMAND, showGraph),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: GraphViewState | undefined) => views.restore(panel, state),
    }),
    lensHub().add({ language: 'apflow' }, new ShowGraphLens()),
    vscode.window.onDidChangeTextEditorSelection((e) => views.cursorMoved(e.textEditor)),
  ];
  return { views, disposables };
}
