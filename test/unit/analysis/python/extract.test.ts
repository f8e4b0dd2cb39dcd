// Static extraction of Python executors (issue 12): real tree-sitter parses of real apflow forms.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PythonParser } from '../../../../analysis/python/parser';
import { dedent } from '../fixture';

const PROJECT = resolve(__dirname, '../../../fixtures/workspace/python-project');

describe('analysis/python: extraction of executors from Python source', () => {
  let parser: PythonParser;
  before(async () => {
    parser = await PythonParser.load();
  });
  const read = (source: string) => parser.read(source, '/ws/x.py');

  it('reads an @executor_register() class: id, name, description, docstring, Pydantic inputs, the class name’s range', () => {
    const file = join(PROJECT, 'executors/registered.py');
    const { executors } = parser.read(readFileSync(file, 'utf8'), file);
    const greeter = executors.find((e) => e.id === 'greeter');
    assert.ok(greeter);
    assert.equal(greeter.kind, 'class');
    assert.equal(greeter.symbol, 'Greeter');
    assert.equal(greeter.title, 'Greeter');
    assert.equal(greeter.description, 'Greets someone by name');
    assert.match(greeter.docstring ?? '', /^Greets someone\.\n\nArgs \(inputs\):\n    name \(str\): Who to greet/);
    assert.deepEqual(greeter.inputSchema, {
      type: 'object',
      properties: { name: { type: 'string', description: 'Who to greet' }, excited: { type: 'boolean', default: false } },
      required: ['name'],
    });
    assert.deepEqual(greeter.range, { start: { line: 14, character: 6 }, end: { line: 14, character: 13 } });
  });

  it('reads a @function_executor(...) function with its input_schema dict', () => {
    const file = join(PROJECT, 'executors/registered.py');
    const count = parser.read(readFileSync(file, 'utf8'), file).executors.find((e) => e.id === 'word_count');
    assert.ok(count);
    assert.equal(count.kind, 'function');
    assert.equal(count.symbol, 'word_count');
    assert.equal(count.description, 'Counts the words of a text');
    assert.equal(count.docstring, 'Counts whitespace-separated words.');
    assert.deepEqual(count.inputSchema, { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] });
  });

  it('lists top-level classes and functions, and tells a class without execute', () => {
    const facts = read(dedent`
      class Plain:
          def run(self): pass

      class Runner:
          async def execute(self, inputs):
              return inputs

      def helper(inputs):
          return inputs
    `);
    assert.deepEqual(
      facts.definitions.map((d) => [d.name, d.kind, d.executable]),
      [['Plain', 'class', false], ['Runner', 'class', true], ['helper', 'function', true]],
    );
    assert.deepEqual(facts.executors, []);
  });

  it('reads get_input_schema() returning a dict literal, decorators through a module attribute, and strings with escapes', () => {
    const [facts] = read(dedent`
      import apflow

      @apflow.executor_register(override=True)
      class Mailer(apflow.BaseTask):
          id: str = "send_" "mail"
          description = 'Sends \\'mail\\'\\n'

          def get_input_schema(self):
              return {"type": "object", "properties": {"to": {"type": "string"}, "retries": {"type": "integer", "default": -1}}, "additionalProperties": False}
    `).executors;
    assert.equal(facts.id, 'send_mail');
    assert.equal(facts.description, "Sends 'mail'\n");
    assert.deepEqual(facts.inputSchema, { type: 'object', properties: { to: { type: 'string' }, retries: { type: 'integer', default: -1 } }, additionalProperties: false });
  });

  it('never guesses: an id that is not a string literal, a schema that is not literal, a decorator that is not called', () => {
    const facts = read(dedent`
      PREFIX = "x"

      @executor_register()
      class Computed(BaseTask):
          id = PREFIX + "_exec"

      @executor_register()
      class Dynamic(BaseTask):
          id = "dynamic"
          inputs_schema = build_schema()

      @executor_register
      class NotCalled(BaseTask):
          id = "not_called"
    `);
    assert.deepEqual(facts.executors.map((e) => [e.id, e.inputSchema]), [['dynamic', null]]);
  });

  it('reads a Pydantic model of simple fields: Optional, Literal, Field(...) and extra="forbid"', () => {
    const [facts] = read(dedent`
      from typing import Optional, Literal
      from pydantic import BaseModel, ConfigDict, Field

      class Inputs(BaseModel):
          model_config = ConfigDict(extra="forbid")
          url: str = Field(..., description="Where")
          method: Literal["GET", "POST"] = "GET"
          timeout: Optional[float] = None
          tags: list[str] = Field(default_factory=list)

      @function_executor(id="fetch", description="Fetches", input_model=Inputs)
      async def fetch(inputs):
          return {}
    `).executors;
    assert.deepEqual(facts.inputSchema, {
      type: 'object',
      properties: {
        url: { type: 'string', description: 'Where' },
        method: { enum: ['GET', 'POST'], default: 'GET' },
        timeout: { type: 'number', default: null },
        tags: { type: 'array' },
      },
      required: ['url'],
      additionalProperties: false,
    });
  });

  it('keeps what it can read of a file with syntax errors, and counts UTF-16 positions', () => {
    const facts = read('é = "ü"\n@executor_register()\nclass Ok(BaseTask):\n    id = "ok"\n\ndef broken(:\n');
    assert.deepEqual(facts.executors.map((e) => [e.id, e.range.start]), [['ok', { line: 2, character: 6 }]]);
  });

  it('survives hostile files: a schema nested 5,000 deep is not read, a binary-looking file yields nothing', () => {
    const deep = `${'{"a": '.repeat(5000)}1${'}'.repeat(5000)}`;
    const [facts] = read(`@executor_register()\nclass Deep(BaseTask):\n    id = "deep"\n    inputs_schema = ${deep}\n`).executors;
    assert.equal(facts.id, 'deep');
    assert.equal(facts.inputSchema, null);
    assert.deepEqual(read('\u0000\u0001\uFFFD def class @@@ """').executors, []);
  });
});
