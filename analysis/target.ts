// The apflow line a file is checked against (issue 11). apflow 0.18 and 0.20 differ in what a task
// array may hold: 0.20 accepts several roots, keeps retry and budget columns 0.18 drops, and ships
// only four built-in executors. The rule, written once: the file's own `apflow_version` key, else the
// host's choice (CLI `--target`, setting `apflow.target`), else 0.18, the line the seed was written for.

/** The lines whose behaviour the checks know. Any version after 0.20 behaves as 0.20. */
export type ApflowTarget = '0.18' | '0.20';

export const DEFAULT_TARGET: ApflowTarget = '0.18';

export const TARGETS: readonly ApflowTarget[] = ['0.18', '0.20'];

/** Where the target of a file came from, for hover text. */
export type TargetSource = 'file' | 'option' | 'default';

export interface ResolvedTarget {
  target: ApflowTarget;
  source: TargetSource;
}

/**
 * The line a version string selects: `0.18`, `0.18.1`, `0.19` → 0.18; `0.20` and anything later
 * (`0.24`, `1.0`) → 0.20; null for what is not a version apflow had or that these checks predate.
 */
export function targetOf(version: string): ApflowTarget | null {
  const match = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  if (!match) return null;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major > 0 || minor >= 20) return '0.20';
  return minor >= 18 ? '0.18' : null;
}

/** The target of a file: its own `apflow_version`, else the host's option, else 0.18. */
export function resolveTarget(declared: ApflowTarget | null, option: ApflowTarget | undefined): ResolvedTarget {
  if (declared) return { target: declared, source: 'file' };
  if (option) return { target: option, source: 'option' };
  return { target: DEFAULT_TARGET, source: 'default' };
}

/** Whether two files' targets give the same task checks (a default 0.18 reports more quietly than a chosen one). */
export function sameTarget(a: ResolvedTarget, b: ResolvedTarget): boolean {
  return a.target === b.target && (a.source === 'default') === (b.source === 'default');
}

/** How hover and messages name the target and why it applies. */
export function describeTarget({ target, source }: ResolvedTarget): string {
  const why = source === 'file' ? 'from `apflow_version`' : source === 'option' ? 'from the `--target` option or the `apflow.target` setting' : 'the default; set `apflow_version` to change it';
  return `apflow ${target} (${why})`;
}

/**
 * Task keys a user writes that only apflow 0.20 has columns for (020 models.py:195-209). apflow keeps
 * only column names when it creates a task, so 0.18 drops these without a word.
 */
export const FIELDS_ONLY_IN_020: readonly string[] = ['max_attempts', 'backoff_strategy', 'backoff_base_seconds', 'token_budget', 'cost_policy'];

/** The task keys apflow `target` drops silently though this format reads them. */
export function droppedFields(target: ApflowTarget): readonly string[] {
  return target === '0.18' ? FIELDS_ONLY_IN_020 : [];
}

/** Whether apflow `target` accepts several roots in one task array (0.20's TaskCreator does). */
export function allowsSeveralRoots(target: ApflowTarget): boolean {
  return target === '0.20';
}
