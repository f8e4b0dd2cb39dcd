// Server settings, read from the client's `apflow` configuration section when it has one. Every
// setting has a default, so a client without configuration (e.g. Neovim) needs nothing.
export interface ServerSettings {
  /** Publish diagnostics (`apflow.validate.enable`). */
  validate: boolean;
  /** The `N dependents · M dependencies` lens above each task (`apflow.codeLens.dependencies`). */
  codeLens: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { validate: true, codeLens: true };

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** Reads the `apflow` section (as `workspace/configuration` returns it); anything missing or malformed keeps its default. */
export function readSettings(section: unknown): ServerSettings {
  const s = section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
  const validate = s.validate && typeof s.validate === 'object' ? (s.validate as Record<string, unknown>).enable : undefined;
  const codeLens = s.codeLens && typeof s.codeLens === 'object' ? (s.codeLens as Record<string, unknown>).dependencies : undefined;
  return { validate: flag(validate, DEFAULT_SETTINGS.validate), codeLens: flag(codeLens, DEFAULT_SETTINGS.codeLens) };
}
