// `--redis URL [--queue NAME]` (run, worker; issue 15). A password on the command line is visible to
// other users of the machine (ps), so it may come from APFLOW_REDIS_PASSWORD instead, for a URL without one.
import { DEFAULT_QUEUE } from '../runtime';
import type { CliIo } from './io';

export const REDIS_OPTIONS = { redis: { type: 'string' }, queue: { type: 'string' } } as const;
export const REDIS_PASSWORD_ENV = 'APFLOW_REDIS_PASSWORD';

/** The Redis the command uses, or null without --redis. */
export function redisOption(io: CliIo, values: { redis?: string; queue?: string }): { redis: string; queue: string } | null {
  if (values.redis === undefined) return null;
  return { redis: withPassword(values.redis, io.env[REDIS_PASSWORD_ENV]), queue: values.queue ?? DEFAULT_QUEUE };
}

function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password) return url;
    parsed.password = password;
    return parsed.toString();
  } catch {
    return url; // Not a URL: the connection refuses it with a clear message.
  }
}
