// Suppression comments (spec 2.1): `# apflow-disable-next-line [code, …]` and `# apflow-disable` on
// the first line. yaml-syntax errors cannot be suppressed.
import { strict as assert } from 'node:assert';
import { analyze, dedent } from './fixture';

const codes = (text: string, fileName?: string) => analyze(text, fileName).map((d) => `${d.range.start.line}:${d.code}`);

describe('analysis: suppression comments (spec 2.1)', () => {
  const BASE = dedent`
    colour: blue
    tasks:
      - id: root
        name: Root
        schemas: { method: aggregate_results_executor }
        dependencies: [ghost]
        status: done
  `;

  it('the unsuppressed fixture has its diagnostics', () => {
    assert.deepEqual(codes(BASE), ['0:unknown-key', '5:unknown-reference', '6:runtime-field']);
  });

  it('`# apflow-disable-next-line` suppresses every code on the next line only', () => {
    const text = BASE.replace('    dependencies', '    # apflow-disable-next-line\n    dependencies');
    assert.deepEqual(codes(text), ['0:unknown-key', '7:runtime-field']);
  });

  it('works in the header and for whole-file checks', () => {
    const text = `# apflow-disable-next-line unknown-key\n${BASE}`;
    assert.deepEqual(codes(text), ['6:unknown-reference', '7:runtime-field']);
  });

  it('with codes, suppresses only those codes', () => {
    const listed = BASE.replace('    dependencies', '    # apflow-disable-next-line runtime-field, unknown-reference\n    dependencies');
    assert.deepEqual(codes(listed), ['0:unknown-key', '7:runtime-field']);
    const other = BASE.replace('    dependencies', '    # apflow-disable-next-line unknown-key\n    dependencies');
    assert.deepEqual(codes(other), ['0:unknown-key', '6:unknown-reference', '7:runtime-field']);
    const spaces = BASE.replace('    status', '    # apflow-disable-next-line   unknown-key  runtime-field\n    status');
    assert.deepEqual(codes(spaces), ['0:unknown-key', '5:unknown-reference']);
  });

  it('`# apflow-disable` on the first line suppresses the whole file', () => {
    assert.deepEqual(codes(`# apflow-disable\n${BASE}`), []);
  });

  it('`# apflow-disable` elsewhere does nothing', () => {
    assert.deepEqual(codes(BASE.replace('tasks:', '# apflow-disable\ntasks:')), ['0:unknown-key', '6:unknown-reference', '7:runtime-field']);
  });

  it('never suppresses yaml-syntax', () => {
    const broken = dedent`
      # apflow-disable
      tasks:
        - id: root
          name: Root
          schemas: { method: aggregate_results_executor }
          # apflow-disable-next-line
          inputs: { a: 1 }}
    `;
    assert.deepEqual(
      analyze(broken).map((d) => d.code),
      ['yaml-syntax'],
    );
    const nextLine = broken.replace('# apflow-disable\n', '');
    assert.deepEqual(
      analyze(nextLine).map((d) => d.code),
      ['yaml-syntax'],
    );
  });

  it('works in files parsed as a whole (JSON cannot hold comments, but flow-style YAML can)', () => {
    const flow = dedent`
      tasks: [
        { id: root, name: Root, schemas: { method: aggregate_results_executor },
          # apflow-disable-next-line unknown-reference
          dependencies: [ghost] },
        { id: a, name: A, schemas: { method: system_info_executor },
          dependencies: [ghost] }
      ]
    `;
    assert.deepEqual(codes(flow), ['4:multiple-roots', '5:unknown-reference']);
  });
});
