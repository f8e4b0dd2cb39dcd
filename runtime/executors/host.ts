// What the built-in executors need from the host that runs the tree.

export interface ExecutorHost {
  /** The folder of the tree file: default working directory of commands and of the disk report. */
  treeDir: string;
  /** The environment commands inherit. */
  env: NodeJS.ProcessEnv;
  /** Whether rest_executor may call loopback, private, link-local and reserved addresses. */
  allowPrivateUrls: boolean;
}

/** apflow's switch (APFLOW_REST_ALLOW_PRIVATE_URLS=1) or the host's own setting. */
export function privateUrlsAllowed(env: NodeJS.ProcessEnv, setting = false): boolean {
  return setting || env.APFLOW_REST_ALLOW_PRIVATE_URLS === '1';
}
