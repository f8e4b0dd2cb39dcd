// `npm run bench`: every benchmark of the project, printing figures (never asserting timings).
import { coreBench } from './core';

async function main(): Promise<void> {
  await coreBench();
}

void main();
