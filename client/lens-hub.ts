// The extension's one code lens provider, registered when VS Code loads the extension's module; the
// extension's lenses (the run lenses above a tree, Show graph, the tree tests, the server's lenses of
// each task) are its sources, added when activate() runs. VS Code shows a file's lenses once every
// provider has answered, after a debounce (0.3–1 s in code-server) that starts again whenever a
// provider registers or says its lenses changed. Five providers registering during activation, and
// another once the server had answered `initialize`, put the first lens of a 10,000-task tree a
// second or two after its first diagnostic. One provider, there before activate() is even called, has
// VS Code ask once; a change is passed on only once VS Code has asked at all (before, the round it is
// about to make reads the change anyway, and passing it on would only delay that round). After that
// every change is passed on: VS Code drops a pending round when the editor loses focus.
import * as vscode from 'vscode';
import { APFLOW_DOCUMENTS } from './selectors';

/** How long a first request waits for activate() to add the sources (once: a copy of the module that is never activated answers at once after that). */
const SOURCES_WAIT_MS = 1500;

interface Source {
  selector: vscode.DocumentSelector;
  provider: vscode.CodeLensProvider;
}

export class LensHub implements vscode.CodeLensProvider {
  private readonly sources: Source[] = [];
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  /** Which source gave each lens, for its resolve. */
  private readonly origin = new WeakMap<vscode.CodeLens, vscode.CodeLensProvider>();
  /** Whether VS Code has asked for lenses yet: changes before its first request are not passed on. */
  private asked = false;
  private waitedForSources = false;
  private sourceAdded: ((value: unknown) => void) | undefined;

  /**
   * Adds a source of lenses for the documents `selector` matches. Its lenses come before those of the
   * sources added earlier on the same line, as VS Code orders the providers registered one by one.
   */
  add(selector: vscode.DocumentSelector, provider: vscode.CodeLensProvider): vscode.Disposable {
    const source: Source = { selector, provider };
    const subscription = provider.onDidChangeCodeLenses?.(() => this.changed());
    this.sources.unshift(source);
    // On a microtask, when activate() has added the rest of the sources too.
    this.sourceAdded?.(undefined);
    this.sourceAdded = undefined;
    this.changed();
    return {
      dispose: () => {
        subscription?.dispose();
        const at = this.sources.indexOf(source);
        if (at >= 0) this.sources.splice(at, 1);
        this.changed();
      },
    };
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    // Asked before activate() has added the sources (VS Code calls activate() up to 0.8 s after it
    // loaded the module): an empty answer would cost a second round, and its debounce, once they are.
    if (this.sources.length === 0 && !this.waitedForSources) {
      this.waitedForSources = true;
      await new Promise((resolve) => {
        this.sourceAdded = resolve;
        setTimeout(resolve, SOURCES_WAIT_MS);
      });
    }
    this.asked = true;
    const answers = this.sources.filter((s) => vscode.languages.match(s.selector, document) > 0).map(async ({ provider }) => {
      const lenses = (await provider.provideCodeLenses(document, token)) ?? [];
      for (const lens of lenses) this.origin.set(lens, provider);
      return lenses;
    });
    return (await Promise.all(answers)).flat();
  }

  resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): vscode.ProviderResult<vscode.CodeLens> {
    const provider = this.origin.get(lens);
    return provider?.resolveCodeLens ? provider.resolveCodeLens(lens, token) : lens;
  }

  private changed(): void {
    if (this.asked) this.emitter.fire();
  }
}

let hub: LensHub | undefined;

/** The extension's lens provider, registered on first use (by the extension's module, as it loads). */
export function lensHub(): LensHub {
  if (!hub) {
    hub = new LensHub();
    vscode.languages.registerCodeLensProvider(APFLOW_DOCUMENTS, hub);
  }
  return hub;
}
