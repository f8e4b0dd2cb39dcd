// Language features as pure functions of a document state and an offset, for any editor host: the
// language server adapts them to LSP, and nothing here knows about a connection or a client.
export { complete, type CompletionEntry, type CompletionList } from './completion';
export { hover, type HoverResult, type RunStatus, type RunStatusLookup } from './hover';
export { definition, references, type FeatureLocation } from './navigation';
export {
  codeLenses,
  documentSymbols,
  findTask,
  incomingCalls,
  lensDetails,
  outgoingCalls,
  prepareCallHierarchy,
  type HierarchyCall,
  type SymbolNode,
  type TaskItem,
  type TaskLens,
} from './outline';
export { offsetAt } from './positions';
export { prepareRename, rename, type PrepareRenameResult, type RenameResult } from './rename';
export { criticalPath, type CriticalPath, type PathTask } from './critical-path';
export { taskGraph, type DanglingRef, type GraphEdge, type GraphNode, type TaskGraphData } from './task-graph';
