// The healthy two-task tree most diagnostic-code fixtures vary one thing in.
import { dedent } from './fixture';

/** A healthy two-task tree; most fixtures below vary one thing in it. */
export const HEALTHY = dedent`
  version: 1
  description: Two tasks
  tasks:
    - id: root
      name: Root
      schemas: { method: aggregate_results_executor }
      dependencies: [a]
    - id: a
      name: A
      parent_id: root
      schemas: { method: system_info_executor }
      inputs: { resource: cpu }
`;
