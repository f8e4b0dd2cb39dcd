// The process table as /proc shows it (Linux): which processes are left in given process groups.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the live processes whose process group is one of `pgids` (zombies count: they are not reaped yet, not running). */
export function membersOf(pgids: readonly number[]): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // Ended while we looked.
    }
    // Fields after the parenthesised command name: state, ppid, pgrp, …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && pgids.includes(Number(pgrp))) members.push(Number(name));
  }
  return members;
}

/** Test clean-up: whatever a failed test left behind in these groups. */
export function killGroups(pgids: readonly number[]): void {
  for (const pgid of pgids) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Gone already, as it should be.
    }
  }
}
