// Server settings, read from the client's `apflow` configuration section when it has one. Every
// setting has a default, so a client without configuration (e.g. Neovim) needs nothing.
import { DEFAULT_MAX_TREE_SIZE, type ApflowTarget } from '../analysis';
import { hostTarget } from '../analysis/node-env';
import { SETTING_DEFAULTS, type ApflowSettingsSection } from '../protocol';

export interface ServerSettings {
  /** Publish diagnostics (`apflow.validate.enable`). */
  validate: boolean;
  /** Above this many tasks under one root, `tree-too-large` (`apflow.validate.maxTreeSize`). */
  maxTreeSize: number;
  /** The `N dependents · M dependencies` lens above each task (`apflow.codeLens.dependencies`). */
  codeLens: boolean;
  /** Above this many tasks only the newest run's status lenses are shown (`apflow.codeLens.perTaskLimit`). */
  perTaskLimit: number;
  /** At most this many tasks in the outline (`apflow.outline.maxItems`). */
  outlineMaxItems: number;
  /** The apflow line of files without `apflow_version` (`apflow.target`); unset leaves 0.18. */
  target: ApflowTarget | undefined;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  validate: SETTING_DEFAULTS.validate,
  maxTreeSize: DEFAULT_MAX_TREE_SIZE,
  codeLens: SETTING_DEFAULTS.dependencyLenses,
  perTaskLimit: SETTING_DEFAULTS.perTaskLimit,
  outlineMaxItems: SETTING_DEFAULTS.outlineMaxItems,
  target: undefined,
};

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

function group<K extends keyof ApflowSettingsSection>(s: Record<string, unknown>, key: K): Record<string, unknown> {
  const value = s[key];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/** Reads the `apflow` section (as `workspace/configuration` returns it); anything missing or malformed keeps its default. */
export function readSettings(section: unknown): ServerSettings {
  const s = section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
  const codeLens = group(s, 'codeLens');
  const validate = group(s, 'validate');
  const outline = group(s, 'outline');
  const maxTreeSize = count(validate.maxTreeSize, DEFAULT_SETTINGS.maxTreeSize);
  return {
    validate: flag(validate.enable, DEFAULT_SETTINGS.validate),
    maxTreeSize: maxTreeSize >= 1 ? maxTreeSize : DEFAULT_SETTINGS.maxTreeSize,
    codeLens: flag(codeLens.dependencies, DEFAULT_SETTINGS.codeLens),
    perTaskLimit: count(codeLens.perTaskLimit, DEFAULT_SETTINGS.perTaskLimit),
    outlineMaxItems: count(outline.maxItems, DEFAULT_SETTINGS.outlineMaxItems),
    target: hostTarget(s.target as string | null | undefined),
  };
}

/** Whether two readings of the settings say the same (each setting is a plain value). */
export function sameSettings(a: ServerSettings, b: ServerSettings): boolean {
  return (Object.keys(a) as (keyof ServerSettings)[]).every((key) => a[key] === b[key]);
}
