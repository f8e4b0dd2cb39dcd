// Internal diagnostics ("findings") are anchored, not positioned: a finding inside a task item points
// at a span relative to that item's own text, so when an edit elsewhere moves the item, its findings
// move with it at no cost. Positions are computed only when the diagnostics are handed out.
import { lineStarts, positionIn } from './text';
import type { DiagnosticCode, Position, Severity, Span } from './types';

/**
 * A piece of the document text that was parsed on its own: the header, one task item, or the whole
 * file. Immutable: when an edit moves an item, the item gets a moved copy (sharing the line table).
 */
export class Seg {
  private starts: number[] | undefined;

  constructor(
    readonly text: string,
    /** Absolute offset of the segment's first character (always a line start). */
    readonly start: number,
    /** Absolute line of the segment's first character. */
    readonly line: number,
  ) {}

  /** The same text placed at another offset and line. */
  moved(start: number, line: number): Seg {
    const seg = new Seg(this.text, start, line);
    seg.starts = this.starts;
    return seg;
  }

  get lineCount(): number {
    return this.lineTable().length;
  }

  /** The absolute position of a segment-relative offset. */
  position(offset: number): Position {
    const p = positionIn(this.lineTable(), offset);
    return { line: this.line + p.line, character: p.character };
  }

  /** Lines of the segment's text, counting a final line without newline. */
  lineTable(): number[] {
    this.starts ??= lineStarts(this.text);
    return this.starts;
  }
}

/** Where a task-level finding points, resolved against the task's current parse (see slots.ts). */
export type Slot =
  | 'nameKey'
  | 'id'
  | 'name'
  | 'parent'
  | 'executor'
  | 'priority'
  | 'task'
  /** The first line of the task's sequence item, from its `-` (where a bare task list starts). */
  | 'itemLine'
  | { dep: number }
  | { depEntry: number };

export type Anchor = { seg: Seg; span: Span } | { task: TaskRef; slot: Slot };

/** A task by its index in the file, or the task that owns the finding. */
export type TaskRef = number | 'self';

/** A quick fix described by intent; fixes.ts turns it into text edits against the current document. */
export type FixSpec =
  | { kind: 'replace'; title: string; at: Anchor; text: string; preferred?: boolean }
  | { kind: 'delete-pair'; title: string; at: Anchor; preferred?: boolean }
  | { kind: 'remove-dependency'; title: string; task: TaskRef; dep: number; preferred?: boolean }
  | { kind: 'add-dependency'; title: string; task: TaskRef; ref: string; preferred?: boolean }
  /** `value` is a string written as a scalar of the file, or with `number` the number it spells. */
  | { kind: 'add-key'; title: string; task: TaskRef; key: string; value: string; number?: boolean; preferred?: boolean }
  | { kind: 'set-executor'; title: string; task: TaskRef; executor: string; preferred?: boolean }
  | { kind: 'add-inputs'; title: string; task: TaskRef; entries: { key: string; value: string }[]; preferred?: boolean }
  | { kind: 'optional-dependency'; title: string; task: TaskRef; dep: number; preferred?: boolean };

export interface Finding {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  task: string | null;
  at: Anchor;
  related?: { at: Anchor; message: string }[];
  fixes?: FixSpec[];
  unnecessary?: boolean;
}

export const SEVERITY: Record<DiagnosticCode, Severity> = {
  'yaml-syntax': 'error',
  schema: 'error',
  'unknown-key': 'warning',
  'unsupported-version': 'error',
  'duplicate-id': 'error',
  'duplicate-name': 'error',
  'unknown-reference': 'error',
  'self-dependency': 'error',
  'dependency-cycle': 'error',
  'parent-cycle': 'error',
  'no-root': 'error',
  'multiple-roots': 'error',
  'missing-executor': 'error',
  'unknown-executor': 'error',
  'invalid-inputs': 'error',
  'executor-module-missing': 'error',
  'shadowed-executor': 'error',
  'invalid-schedule': 'error',
  'schedule-format': 'warning',
  'parent-ordering': 'warning',
  unreachable: 'warning',
  'duplicate-dependency': 'warning',
  'runtime-field': 'warning',
  'long-name': 'warning',
  'remote-executor': 'information',
  'unused-executor': 'hint',
  'tree-too-large': 'information',
  'missing-timeout': 'hint',
  'priority-overuse': 'warning',
  'fallback-blocked': 'warning',
  'name-as-executor': 'information',
  'dropped-field': 'warning',
  'ignored-input': 'information',
  'priority-zero-last': 'information',
  'cross-tree-dependency': 'warning',
  'duplicate-executor': 'warning',
  // Only the runtime's pre-flight reports it: the editor's environment is not the run's.
  'missing-env': 'error',
  // Only a run on an apflow server reports it (issue 15): what the server cannot run as written.
  'server-unsupported': 'error',
};

/** Builds a finding with the severity the spec gives its code. */
export function finding(
  code: DiagnosticCode,
  message: string,
  at: Anchor,
  task: string | null,
  extra: Pick<Finding, 'related' | 'fixes' | 'unnecessary'> = {},
): Finding {
  return { code, severity: SEVERITY[code], message, task, at, ...extra };
}

function rebasedAnchor(at: Anchor, from: Seg, to: Seg): Anchor {
  return 'seg' in at && at.seg === from ? { seg: to, span: at.span } : at;
}

/** `findings` anchored in segment `to` where they were anchored in `from` (the item moved). */
export function rebased(findings: readonly Finding[], from: Seg, to: Seg): readonly Finding[] {
  if (!findings.length) return findings;
  return findings.map((f) => ({
    ...f,
    at: rebasedAnchor(f.at, from, to),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, at: rebasedAnchor(r.at, from, to) })) } : {}),
    ...(f.fixes ? { fixes: f.fixes.map((fix) => ('at' in fix ? { ...fix, at: rebasedAnchor(fix.at, from, to) } : fix)) } : {}),
  }));
}
