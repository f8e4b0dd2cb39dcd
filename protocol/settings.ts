// The `apflow` configuration section (package.json `contributes.configuration`), as the extension
// reads it and the language server receives it through `workspace/configuration`. Every field may be
// missing: a client without configuration (e.g. Neovim) sends nothing, and defaults apply.
export interface ApflowSettingsSection {
  run?: { concurrency?: number };
  history?: { maxRuns?: number };
  rest?: { allowPrivateUrls?: boolean };
  trace?: { server?: 'off' | 'messages' | 'verbose' };
  validate?: { enable?: boolean; maxTreeSize?: number };
  /** The apflow line of files without `apflow_version`: "0.18" or "0.20"; null or missing: not chosen. */
  target?: string | null;
  codeLens?: {
    /** `N dependents · M dependencies` above each task. */
    dependencies?: boolean;
    /** Above this many tasks a file's task lenses show only the newest run's status. */
    perTaskLimit?: number;
  };
  /** At most this many tasks in a file's outline (the rest are summed up in one last symbol). */
  outline?: { maxItems?: number };
}

/** The defaults of package.json, for the settings both sides read. */
export const SETTING_DEFAULTS = {
  concurrency: 4,
  maxRuns: 200,
  validate: true,
  dependencyLenses: true,
  perTaskLimit: 500,
  outlineMaxItems: 5000,
} as const;

/**
 * The environment variable that gives the password of a Redis URL without one (issue 15: `run --redis`,
 * `worker`, `apflow.run.redis`): a password in a URL is visible in `ps` and in settings files.
 */
export const REDIS_PASSWORD_ENV = 'APFLOW_REDIS_PASSWORD';
