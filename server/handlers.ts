// LSP requests → the language features of the document's snapshot. Every handler works on the
// document's current snapshot (flushing a pending one), never throws to the client, and honours
// cancellation of requests that were overtaken by newer ones.
import {
  CodeActionKind,
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  type CallHierarchyItem,
  type CancellationToken,
  type CodeLens,
  type CompletionItem,
  type Connection,
  type DocumentSymbolParams,
} from 'vscode-languageserver/node';
import type { CompletionEntry, TaskItem } from '../analysis';
import { SHOW_REFERENCES_COMMAND, TaskGraphRequest, TaskLocationsRequest, TestCasesRequest } from '../protocol';
import { quickFixActions, snippetToPlain } from './convert';
import type { Current, DocumentCache } from './documents';
import { taskLenses } from './lenses';
import { cappedOutline } from './outline-cap';
import type { RunStatusStore } from './run-status';
import type { ServerSettings } from './settings';
import { isTaskData, type TaskData } from './task-data';
import { taskLocations } from './task-locations';
import { documentSymbolsResult, flatSymbols, TASK_SYMBOL } from './symbols';
import { taskNames } from './task-names';
import type { MessageTraffic } from './message-traffic';
import { isTestDocument, type TestFileDocuments } from './test-files';
import { fileUri } from './uri';

export interface ClientSupport {
  snippets: boolean;
  hierarchicalSymbols: boolean;
}

interface Context {
  connection: Connection;
  cache: DocumentCache;
  tests: TestFileDocuments;
  settings: () => ServerSettings;
  client: () => ClientSupport;
  runStatus: RunStatusStore;
  traffic: MessageTraffic;
}

const COMPLETION_KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  key: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  executor: CompletionItemKind.Function,
  snippet: CompletionItemKind.Snippet,
};

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
}

export function registerHandlers(ctx: Context): void {
  const { connection, cache } = ctx;

  /**
   * Wraps a handler: answers `fallback` when the document is not open, a cancellation error when the
   * client gave up on the request, and `fallback` (after logging) if the feature throws. A test file's
   * request goes to `forTest`, when the feature has one for test files (server/test-files.ts).
   */
  function handle<P, R>(
    name: string,
    fallback: R,
    uriOf: (params: NoInfer<P>) => string,
    run: (doc: Current, params: P) => R | ResponseError<void>,
    forTest?: (params: P) => R,
  ) {
    return (params: P, token: CancellationToken): R | ResponseError<void> => {
      if (token.isCancellationRequested) return cancelled();
      try {
        if (isTestDocument(uriOf(params))) return forTest ? forTest(params) : fallback;
        const doc = cache.current(uriOf(params));
        if (!doc) return fallback;
        if (token.isCancellationRequested) return cancelled();
        return run(doc, params);
      } catch (error) {
        connection.console.error(`apflow: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };
  }
  const byDocument = (p: { textDocument: { uri: string } }) => p.textDocument.uri;

  connection.onCompletion(
    handle('completion', { isIncomplete: false, items: [] as CompletionItem[] }, byDocument, (doc, params) => {
      const list = doc.snapshot.complete(params.position);
      const { snippets } = ctx.client();
      return {
        isIncomplete: list.isIncomplete,
        items: list.items.map((e): CompletionItem => {
          const snippet = e.snippet && snippets;
          return {
            label: e.label,
            kind: COMPLETION_KIND[e.kind],
            detail: e.detail || undefined,
            ...(e.note ? { labelDetails: { description: e.note } } : {}),
            documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
            textEdit: { range: e.range, newText: e.snippet && !snippets ? snippetToPlain(e.insertText) : e.insertText },
            insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
            insertTextMode: InsertTextMode.asIs,
            sortText: e.sortText,
            filterText: e.filterText,
            command: e.retrigger ? { title: 'Suggest', command: 'editor.action.triggerSuggest' } : undefined,
          };
        }),
      };
    }, (params) => ({ isIncomplete: false, items: ctx.tests.completion(params) })),
  );

  connection.onHover(
    handle('hover', null, byDocument, (doc, params) => {
      const result = doc.snapshot.hover(params.position, ctx.runStatus.lookup(doc.uri, taskNames(doc)));
      return result && { contents: { kind: MarkupKind.Markdown, value: result.markdown }, range: result.range };
    }, (params) => ctx.tests.hover(params)),
  );

  connection.onDefinition(
    handle('definition', null, byDocument, (doc, params) =>
      doc.snapshot.definition(params.position).map((l) =>
        'path' in l ? { uri: fileUri(l.path), range: l.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : { uri: doc.uri, range: l.range },
      ),
      (params) => ctx.tests.definition(params),
    ),
  );

  connection.onReferences(
    handle('references', null, byDocument, (doc, params) =>
      doc.snapshot.references(params.position, params.context.includeDeclaration).map((range) => ({ uri: doc.uri, range })),
    ),
  );

  connection.onPrepareRename(
    handle('prepareRename', null, byDocument, (doc, params) => {
      const result = doc.snapshot.prepareRename(params.position);
      if (result && 'error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
      return result;
    }),
  );

  connection.onRenameRequest(
    handle('rename', null, byDocument, (doc, params) => {
      const result = doc.snapshot.rename(params.position, params.newName);
      if ('error' in result) return new ResponseError(LSPErrorCodes.RequestFailed, result.error);
      return { changes: { [doc.uri]: result.edits } };
    }),
  );

  const symbols = handle('documentSymbol', null, byDocument, (doc: Current, _params: DocumentSymbolParams) =>
    doc.memo(`symbols:${ctx.client().hierarchicalSymbols}:${ctx.settings().outlineMaxItems}`, () => {
      const outline = cappedOutline(doc.snapshot.documentSymbols(), ctx.settings().outlineMaxItems);
      return ctx.client().hierarchicalSymbols ? documentSymbolsResult(outline).asResult() : flatSymbols(outline, doc.uri);
    }),
  );
  // The outline lets the lenses and code actions asked for with it go first (server/message-traffic.ts).
  connection.onDocumentSymbol(async (params, token) => {
    await ctx.traffic.settled();
    return symbols(params, token);
  });

  const toHierarchyItem = (doc: Current, item: TaskItem): CallHierarchyItem => ({
    name: item.name,
    kind: TASK_SYMBOL,
    detail: item.detail,
    uri: doc.uri,
    range: item.range,
    selectionRange: item.selectionRange,
    data: { uri: doc.uri, key: item.key, index: item.task } satisfies TaskData,
  });
  const taskOf = (doc: Current, data: unknown) => (isTaskData(data) ? doc.snapshot.findTask(data.key, data.index) : null);
  const byItem = (p: { item: CallHierarchyItem }) => p.item.uri;

  connection.languages.callHierarchy.onPrepare(
    handle('prepareCallHierarchy', null, byDocument, (doc, params) =>
      doc.snapshot.prepareCallHierarchy(params.position).map((item) => toHierarchyItem(doc, item)),
    ),
  );
  connection.languages.callHierarchy.onIncomingCalls(
    handle('incomingCalls', null, byItem, (doc, params) => {
      const task = taskOf(doc, params.item.data);
      return task === null ? [] : doc.snapshot.incomingCalls(task).map((c) => ({ from: toHierarchyItem(doc, c.item), fromRanges: c.fromRanges }));
    }),
  );
  connection.languages.callHierarchy.onOutgoingCalls(
    handle('outgoingCalls', null, byItem, (doc, params) => {
      const task = taskOf(doc, params.item.data);
      return task === null ? [] : doc.snapshot.outgoingCalls(task).map((c) => ({ to: toHierarchyItem(doc, c.item), fromRanges: c.fromRanges }));
    }),
  );

  connection.onCodeAction(
    handle('codeAction', null, byDocument, (doc, params) => {
      const only = params.context.only;
      if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) return [];
      return quickFixActions(doc.snapshot.fixesAt(params.range), doc.uri);
    }),
  );

  // Lenses are listed cheaply (server/lenses.ts); the dependency counts are resolved when shown.
  connection.onCodeLens(handle('codeLens', null, byDocument, (doc) => taskLenses(doc, ctx.settings(), ctx.runStatus)));

  connection.onRequest(TestCasesRequest, (params) => ctx.tests.cases(params.textDocument.uri));
  connection.onRequest(TaskLocationsRequest, handle('taskLocations', null, byDocument, (doc) => taskLocations(doc)));
  connection.onRequest(
    TaskGraphRequest,
    handle('graph', null, byDocument, (doc) => doc.memo('graph', () => ({ version: doc.document.version, ...doc.snapshot.taskGraph() }))),
  );

  connection.onCodeLensResolve((lens, token) => {
    const data = lens.data as unknown;
    const resolve = handle('codeLens/resolve', lens, () => (isTaskData(data) ? data.uri : ''), (doc): CodeLens => {
      const task = taskOf(doc, data);
      if (task === null) return { ...lens, command: { title: 'task not found: the file changed', command: '' } };
      const { title, locations } = doc.snapshot.lensDetails(task);
      return {
        ...lens,
        command: { title, command: SHOW_REFERENCES_COMMAND, arguments: [doc.uri, lens.range.start, locations.map((range) => ({ uri: doc.uri, range }))] },
      };
    });
    return resolve(lens, token);
  });
}
