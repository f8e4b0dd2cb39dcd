// schemas/apflow.schema.json: the JSON Schema a generic YAML extension uses (spec 1.2, 2.4). It must
// be valid draft-07, describe every property, and list the catalogue's executor ids.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { CATALOGUE } from '../../../analysis';
import { SPEC_EXAMPLE } from '../../fixtures/spec-example';

const SCHEMA_PATH = join(__dirname, '../../../schemas/apflow.schema.json');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every subschema with its JSON pointer. */
function* subschemas(node: unknown, pointer = '#'): Generator<[string, Json]> {
  if (!isObject(node)) return;
  yield [pointer, node];
  for (const key of ['properties', 'definitions', 'patternProperties']) {
    const group = node[key];
    if (isObject(group)) for (const [name, child] of Object.entries(group)) yield* subschemas(child, `${pointer}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']) {
    if (isObject(node[key])) yield* subschemas(node[key], `${pointer}/${key}`);
  }
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    const list = node[key];
    if (Array.isArray(list)) for (const [i, child] of list.entries()) yield* subschemas(child, `${pointer}/${key}/${i}`);
  }
}


describe('schemas/apflow.schema.json', () => {
  it('is a valid draft-07 schema that ajv compiles', () => {
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    // Strict mode rejects unknown keywords (a misspelt `desciption` would be one); union types and
    // `required` inside anyOf branches are deliberate.
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    assert.equal(ajv.validateSchema(schema), true, JSON.stringify(ajv.errors));
    assert.equal(typeof ajv.compile(schema), 'function');
  });

  it('describes every property, at every depth', () => {
    const missing: string[] = [];
    let count = 0;
    for (const [pointer, node] of subschemas(schema)) {
      if (!/\/properties\/[^/]+$/.test(pointer)) continue;
      count++;
      if (typeof node.description !== 'string' || node.description.trim() === '') missing.push(pointer);
    }
    assert.ok(count > 40, `walked ${count} properties`);
    assert.deepEqual(missing, []);
  });

  it('describes its definitions too', () => {
    const definitions = schema.definitions as Json;
    for (const [name, def] of Object.entries(definitions)) assert.equal(typeof (def as Json).description, 'string', `definitions/${name}`);
  });

  it('lists the catalogue’s executor ids as the examples of schemas.method', () => {
    const task = (schema.definitions as Json).task as Json;
    const method = (((task.properties as Json).schemas as Json).properties as Json).method as Json;
    assert.deepEqual(
      method.examples,
      CATALOGUE.map((e) => e.id),
    );
    assert.equal(CATALOGUE.length, 16);
  });

  it('accepts the spec’s complete example and a bare task array, and rejects broken trees', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.equal(validate(parse(SPEC_EXAMPLE)), true, JSON.stringify(validate.errors));
    assert.equal(validate([{ id: 'a', name: 'A', schemas: { method: 'system_info_executor' } }]), true);
    assert.equal(validate({ tasks: [] }), false, 'an empty task list');
    assert.equal(validate({ tasks: [{ id: 'a' }] }), false, 'a task without a name');
    assert.equal(validate({ tasks: [{ name: 'A', priority: 4 }] }), false, 'priority out of range');
    assert.equal(validate({ tasks: [{ name: 'A', dependancies: [] }] }), false, 'an unknown task key');
    assert.equal(validate({ tasks: [{ name: 'A', schemas: { method: 7 } }] }), false, 'schemas.method that is not a string');
    assert.equal(validate({ tasks: [{ name: 'A', dependencies: [{ required: false }] }] }), false, 'a dependency mapping without id or name');
    assert.equal(validate({ version: 2, tasks: [{ name: 'A' }] }), false, 'version 2');
  });

  it('knows every runtime field of spec 1.2 (they are warnings, not unknown keys)', () => {
    const task = (schema.definitions as Json).task as Json;
    const properties = Object.keys(task.properties as Json);
    const runtime = ['status', 'result', 'error', 'progress', 'created_at', 'started_at', 'updated_at', 'completed_at', 'origin_type', 'original_task_id', 'has_references', 'task_tree_id', 'has_children', 'next_run_at', 'last_run_at', 'run_count'];
    for (const field of runtime) assert.ok(properties.includes(field), field);
  });
});
