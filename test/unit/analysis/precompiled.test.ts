// The validators the bundles carry compiled at build time (scripts/precompile-validators.mjs) against
// the ones the core compiles at run time from source: on valid values and on values broken in every
// property, both must accept alike and report the very same errors (keyword, paths, params, and the
// verbose schema, parentSchema and data the error mapping reads).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { CATALOGUE } from '../../../analysis/catalogue';
import { builtinInputValidator, envErrors, executorDeclErrors, hooksErrors, taskErrors } from '../../../analysis/schema-check';
import { builtinValidatorName } from '../../../analysis/shipped-schemas';
import { ROOT } from '../../lsp/lsp-client';

type Validators = Record<string, ValidateFunction>;

async function buildTimeValidators(): Promise<Validators> {
  // A dynamic import: the generator is an ES module (esbuild.mjs imports it).
  const generator = (await import(join(ROOT, 'scripts', 'precompile-validators.mjs'))) as { precompiledValidatorsCode(root: string): Promise<string> };
  const code = await generator.precompiledValidatorsCode(ROOT);
  const file = join(ROOT, 'analysis', 'precompiled.generated.js');
  const module = new Module(file) as Module & { _compile(code: string, file: string): void };
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(ROOT);
  module._compile(code, file);
  return (module.exports as { PRECOMPILED: Validators }).PRECOMPILED;
}

function errorsOf(validate: ValidateFunction, value: unknown): unknown {
  return validate(value) ? null : validate.errors;
}

/** `value`, and copies with each property (and each nested one, one level down) replaced by values of other types. */
function variants(value: unknown): unknown[] {
  const out: unknown[] = [value, null, 'text', 7, [], {}];
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  const wrong: unknown[] = [null, 'x', '', -1, 0.5, true, [], ['a', 1], {}, { nested: 1 }];
  for (const [key, inner] of Object.entries(value)) {
    for (const w of wrong) out.push({ ...value, [key]: w });
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      for (const [k] of Object.entries(inner)) for (const w of wrong) out.push({ ...value, [key]: { ...inner, [k]: w } });
    }
  }
  out.push({ ...value, unknown_key: 1 }, { ...value, dependancies: [] });
  return out;
}

/** The task items and header sections of the examples, as plain data. */
function exampleDocuments(): Record<string, unknown>[] {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.apflow.yaml'))
    .map((f) => parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
}

describe('validators compiled at build time', () => {
  let built: Validators;
  before(async function () {
    this.timeout(60000);
    built = await buildTimeValidators();
  });

  it('report what the run-time validators report for tasks, declarations, hooks and env', () => {
    const docs = exampleDocuments();
    const tasks = docs.flatMap((d) => (Array.isArray(d.tasks) ? (d.tasks as unknown[]) : []));
    assert.ok(tasks.length > 10, 'the examples hold tasks');
    const declarations = docs.flatMap((d) => Object.values((d.executors ?? {}) as Record<string, unknown>));
    const cases: [string, (v: unknown) => unknown, unknown[]][] = [
      ['task', taskErrors, tasks],
      ['executor', executorDeclErrors, declarations.length ? declarations : [{ module: 'x.js' }]],
      ['hooks', hooksErrors, docs.map((d) => d.hooks).filter(Boolean).concat([{ pre: ['a.js'] }])],
      ['env', envErrors, [{ required: ['API_KEY'] }]],
    ];
    let failing = 0;
    for (const [name, runtime, samples] of cases) {
      for (const sample of samples) {
        for (const value of variants(sample)) {
          const expected = runtime(value);
          if (expected) failing++;
          assert.deepStrictEqual(errorsOf(built[name], value), expected, `${name}: ${JSON.stringify(value)}`);
        }
      }
    }
    assert.ok(failing > 100, 'the variants include invalid values');
  });

  it("report what the run-time validators report for every built-in executor's inputs", () => {
    for (const entry of CATALOGUE) {
      const validate = built[builtinValidatorName(entry.id)];
      assert.ok(validate, `no build-time validator for ${entry.id}`);
      const sample = Object.fromEntries(Object.entries(entry.inputSchema.properties).map(([k, p]) => [k, 'default' in p ? p.default : 'value']));
      for (const value of variants(sample)) {
        assert.deepStrictEqual(errorsOf(validate, value), errorsOf(builtinInputValidator(entry), value), `${entry.id}: ${JSON.stringify(value)}`);
      }
    }
  });
});
