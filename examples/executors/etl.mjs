// Workspace executors of etl.apflow.yaml. Each export takes (inputs, context) and returns the task's
// result; context gives the task record, an AbortSignal, log() and progress().
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Paths in inputs are relative to the examples folder, wherever the tree is run from.
const examples = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const inExamples = (path) => resolve(examples, path);

let fetches = 0;

// Reads the users from a JSON file. Like a real network call it is flaky: the first attempt in each
// process fails, so the task's `max_attempts` has something to do.
export async function fetchUsers(inputs, context) {
  fetches += 1;
  context.log(`attempt ${fetches}: reading ${inputs.source}`);
  if (fetches === 1) throw new Error('connection reset while reading the users (simulated)');
  const users = JSON.parse(await readFile(inExamples(inputs.source), 'utf8'));
  return { users };
}

// Lower-cases e-mail addresses and drops duplicates. Receives `users` from fetch's result.
export function normalizeUsers(inputs, context) {
  const seen = new Map();
  for (const user of inputs.users) {
    const email = user.email.toLowerCase();
    if (!seen.has(email)) seen.set(email, { ...user, email });
  }
  context.progress(1);
  return { users: [...seen.values()], dropped: inputs.users.length - seen.size };
}

// Writes the users to a JSON file and reports how many were stored.
export async function storeUsers(inputs) {
  const target = inExamples(inputs.target);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, `${JSON.stringify(inputs.users, null, 2)}\n`);
  return { stored: inputs.users.length, target };
}
