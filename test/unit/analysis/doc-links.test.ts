// docs/diagnostics.md has one section per diagnostic code: the language server links each
// diagnostic to it, so a code without a section would be a dead link.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEVERITY } from '../../../analysis/findings';
import { diagnosticSections } from '../../../analysis/doc-links';

describe('docs/diagnostics.md', () => {
  const sections = diagnosticSections(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'diagnostics.md'), 'utf8'));

  it('has a section for every diagnostic code, and none for a code that does not exist', () => {
    assert.deepEqual([...sections.keys()].sort(), Object.keys(SEVERITY).sort());
  });

  it('finds headings by their line', () => {
    assert.deepEqual([...diagnosticSections('# Title\n\n## schema\ntext\n## unknown-key\n')], [['schema', 2], ['unknown-key', 4]]);
  });
});
