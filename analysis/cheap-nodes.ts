// Nodes of the `yaml` package's own classes, built for less (issue 9: the cold analysis of a
// 10,000-task file builds about 200,000 of them). `yaml`'s constructors mark each node with
// Object.defineProperty (its type, and a collection's schema), the slow part of building one; here
// that mark and the schema sit on a prototype between the node and its class, so a node is a plain
// constructor call. What any reader sees is the same: `isScalar`/`isMap`/… (they read the mark through
// the prototype), `instanceof` and `constructor`, the enumerable fields, the methods (toJS, get, …).
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node, type Schema } from 'yaml';

type Range = [number, number, number];

/**
 * Makes `cheap.prototype` stand between `cheap`'s instances and the prototype of `sample`'s class,
 * carrying the type mark `yaml` puts on each of its nodes (a symbol it does not export: read from `sample`).
 */
function standIn(cheap: { prototype: object }, sample: object, extra: PropertyDescriptorMap = {}): void {
  const real = Object.getPrototypeOf(sample) as { constructor: unknown };
  Object.setPrototypeOf(cheap.prototype, real);
  const marks: PropertyDescriptorMap = {};
  for (const symbol of Object.getOwnPropertySymbols(sample)) marks[symbol] = { value: (sample as Record<symbol, unknown>)[symbol] };
  Object.defineProperties(cheap.prototype, { ...marks, constructor: { value: real.constructor, writable: true, configurable: true }, ...extra });
}

class CheapScalar {
  declare value: unknown;
  declare range: Range;
  declare source: string;
  declare type: Scalar.Type;
  constructor(value: unknown, source: string, type: Scalar.Type, range: Range) {
    this.value = value;
    this.range = range;
    this.source = source;
    this.type = type;
  }
}
standIn(CheapScalar, new Scalar(null));

class CheapPair {
  declare key: unknown;
  declare value: unknown;
  constructor(key: unknown, value: unknown) {
    this.key = key;
    this.value = value;
  }
}
standIn(CheapPair, new Pair(null));

/** A collection's class with the schema on its prototype: one per schema (there is one in practice). */
function collectionClass(sample: YAMLMap | YAMLSeq, schema: Schema): new () => { items: unknown[]; range?: Range; flow?: boolean } {
  class CheapCollection {
    declare items: unknown[];
    constructor() {
      this.items = [];
    }
  }
  standIn(CheapCollection, sample, { schema: { value: schema, writable: true, configurable: true } });
  return CheapCollection;
}

const maps = new WeakMap<Schema, ReturnType<typeof collectionClass>>();
const seqs = new WeakMap<Schema, ReturnType<typeof collectionClass>>();

function classFor(cache: typeof maps, sample: () => YAMLMap | YAMLSeq, schema: Schema): ReturnType<typeof collectionClass> {
  let found = cache.get(schema);
  if (!found) {
    found = collectionClass(sample(), schema);
    cache.set(schema, found);
  }
  return found;
}

export function scalarNode(value: unknown, source: string, type: Scalar.Type, range: Range): Scalar {
  return new CheapScalar(value, source, type, range) as unknown as Scalar;
}

export function pairNode(key: Node, value: Node): Pair {
  return new CheapPair(key, value) as unknown as Pair;
}

export function mapNode(schema: Schema): YAMLMap {
  return new (classFor(maps, () => new YAMLMap(), schema))() as unknown as YAMLMap;
}

export function seqNode(schema: Schema): YAMLSeq {
  return new (classFor(seqs, () => new YAMLSeq(), schema))() as unknown as YAMLSeq;
}
