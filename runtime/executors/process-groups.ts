// Every process group command_executor started and that may still be alive. A command runs in its own
// group so that a kill reaches what it started too; the price is that no signal sent to the host (a
// terminal's Ctrl+C, `timeout`, `docker stop`) reaches them, so the host ends them itself: TERM, then
// KILL for whatever is still there after the grace period.
import { isAlive } from '../process-table';

export const KILL_GRACE_MS = 2000;
const POLL_MS = 50;

/** Process group ids (POSIX: the command shell's pid) whose group may still hold a process. */
const groups = new Set<number>();

export function trackGroup(pgid: number): void {
  groups.add(pgid);
}

/** TERM to the whole group now, KILL after the grace period if any member is left; resolves when the group is gone. */
export async function endGroup(pgid: number, graceMs = KILL_GRACE_MS): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  if (groupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  groups.delete(pgid);
}

/** Ends every group still alive (TERM, then KILL after the grace period): what a host does before it exits. */
export async function endAllGroups(graceMs = KILL_GRACE_MS): Promise<void> {
  await Promise.all([...groups].map((pgid) => endGroup(pgid, graceMs)));
}

/** Forgets the groups whose every process has ended (a finished command without background children). */
export function forgetEndedGroups(): void {
  for (const pgid of groups) if (!groupAlive(pgid)) groups.delete(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

function groupAlive(pgid: number): boolean {
  return isAlive(-pgid);
}
