// `--redis URL [--queue NAME]` (run, worker; issue 15). A password on the command line is visible to
// other users of the machine (ps), so it may come from APFLOW_REDIS_PASSWORD instead, for a URL without one.
import { REDIS_PASSWORD_ENV } from '../protocol';
import { DEFAULT_QUEUE } from '../runtime';
import type { CliIo } from './io';

export const REDIS_OPTIONS = { redis: { type: 'string' }, queue: { type: 'string' } } as const;

/** The Redis the command uses, or null without --redis. */
export function redisOption(io: CliIo, values: { redis?: string; queue?: string }): { redis: string; queue: string; password?: string } | null {
  if (values.redis === undefined) return null;
  return { redis: values.redis, queue: values.queue ?? DEFAULT_QUEUE, password: io.env[REDIS_PASSWORD_ENV] };
}
