import type * as v from 'valibot';

/**
 * A fast path for reading stored entities, derived from their valibot schemas.
 *
 * Nearly everything in a document was written by `put`, which stores valibot's own output: strings
 * already trimmed, defaults filled in, no unknown members. For such a value `v.safeParse` succeeds
 * and returns a deep copy of its input, and building that copy (a dataset per member, pipes, issue
 * bookkeeping) was the largest part of computing the local index once the documents were loaded
 * (BENCHMARKS.md, "Document layout"). `canonicalCheck(schema)` answers, without copying, "would valibot accept this
 * value and return it unchanged?"; when it would, the reader can use the value itself.
 *
 * It may only err towards "no": `false` means "ask valibot", which then gives the exact output or
 * the localised errors, so invalid data is reported exactly as before. Whatever is not understood
 * here (a schema type or pipe action not listed below, a transformation other than trim, a default
 * that valibot would fill in, a member it would drop) answers `false`: a schema change can make
 * reads slower, never let an invalid entity through. core/doc/canonical.test.ts checks agreement
 * with valibot on random variations of valid entities.
 *
 * One difference is invisible to readers: valibot's output lists members in schema order, the value
 * itself in stored order (`put` stored them in schema order anyway).
 */

export type CanonicalCheck = (value: unknown) => boolean;

// Valibot's schemas and actions are plain objects (`type`, `entries`, `pipe`, `requirement`...),
// read here as data.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- valibot's internals, read as untyped data
type Node = Record<string, any>;

const never: CanonicalCheck = () => false;
const compiled = new WeakMap<object, CanonicalCheck>();

/** The check for a schema, compiled once per schema object. */
export function canonicalCheck(schema: v.GenericSchema): CanonicalCheck {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = compile(schema as Node)));
  return check;
}

function compile(schema: Node): CanonicalCheck {
  if (Array.isArray(schema.pipe)) {
    const [base, ...actions] = flattenPipe(schema);
    // Most members are strings with a few actions: one closure for all of them is faster.
    if (base!.type === 'string') return compileString(actions);
    return every([compile(base!), ...actions.map(compileAction)]);
  }
  switch (schema.type) {
    case 'string':
      return (x) => typeof x === 'string';
    case 'number':
      return (x) => typeof x === 'number' && !Number.isNaN(x);
    case 'boolean':
      return (x) => typeof x === 'boolean';
    case 'literal': {
      const literal: unknown = schema.literal;
      return (x) => x === literal;
    }
    case 'picklist': {
      const options = schema.options as readonly unknown[];
      return (x) => options.includes(x);
    }
    case 'optional': {
      // Whether the member may be absent is the object's business (below). A member that is
      // present must hold a value: valibot accepts `undefined` or replaces it by a default.
      const wrapped = compile(schema.wrapped as Node);
      return (x) => x !== undefined && wrapped(x);
    }
    case 'array': {
      const item = compile(schema.item as Node);
      return (x) => {
        if (!Array.isArray(x)) return false;
        // An indexed loop, unlike `every`, also sees holes (which valibot reads as undefined).
        for (let i = 0; i < x.length; i++) if (!item(x[i])) return false;
        return true;
      };
    }
    case 'object':
      return compileObject(schema.entries as Record<string, Node>);
    default:
      return never;
  }
}

/**
 * `v.pipe(head, ...actions)` copies head's members and adds `pipe: [head, ...actions]`; head may be
 * a pipe itself (`v.pipe(text, v.maxLength(32))`). Returns the base schema, then every action in
 * the order valibot runs them. For a value that passes them all, nesting makes no difference.
 */
function flattenPipe(schema: Node): Node[] {
  if (!Array.isArray(schema.pipe)) return [schema];
  const [head, ...actions] = schema.pipe as Node[];
  return [...flattenPipe(head!), ...actions.filter((a) => a.kind !== 'metadata')];
}

/** A string and its actions. Validations all see the same value, since trim must change nothing. */
function compileString(actions: Node[]): CanonicalCheck {
  let trim = false;
  let min = 0;
  let max = Infinity;
  const tests: RegExp[] = [];
  const checks: ((x: string) => boolean)[] = [];
  for (const a of actions) {
    if (a.type === 'trim') trim = true;
    else if (a.type === 'min_length') min = Math.max(min, a.requirement as number);
    else if (a.type === 'max_length') max = Math.min(max, a.requirement as number);
    else if (a.type === 'regex' || a.type === 'iso_timestamp') tests.push(a.requirement as RegExp);
    else if (a.type === 'check') checks.push(a.requirement as (x: string) => boolean);
    else return never;
  }
  return (x) => {
    if (typeof x !== 'string' || x.length < min || x.length > max || (trim && x !== x.trim())) return false;
    for (let i = 0; i < tests.length; i++) if (!tests[i]!.test(x)) return false;
    for (let i = 0; i < checks.length; i++) if (!checks[i]!(x)) return false;
    return true;
  };
}

function compileObject(entries: Record<string, Node>): CanonicalCheck {
  const members = Object.entries(entries).map(([key, schema]) => ({
    key,
    check: compile(schema),
    // An optional member without a default may be absent; with one, valibot would add it.
    mayBeAbsent: schema.type === 'optional' && schema.default === undefined,
  }));
  return (x) => {
    if (!isPlainData(x)) return false;
    let present = 0;
    for (const m of members) {
      if (Object.hasOwn(x, m.key)) {
        if (!m.check(x[m.key])) return false;
        present++;
      } else if (!m.mayBeAbsent) return false;
    }
    // A member the schema does not know would be dropped from valibot's output.
    return present === Object.keys(x).length;
  };
}

/** An action on anything but a string (strings have compileString). */
function compileAction(action: Node): CanonicalCheck {
  const req: unknown = action.requirement;
  switch (action.type) {
    case 'min_length':
      return (x) => (x as { length: number }).length >= (req as number);
    case 'max_length':
      return (x) => (x as { length: number }).length <= (req as number);
    case 'check':
      return (x) => (req as (x: unknown) => boolean)(x);
    case 'raw_check':
      // Cross-field checks (schemas.ts `fieldCheck`): run as valibot runs them, on a typed value.
      return (x) => !(action['~run']({ typed: true, value: x }, {}) as { issues?: unknown }).issues;
    default:
      return never;
  }
}

/** All checks in order; a pipe action runs only once the value has the pipe's type. */
function every(checks: CanonicalCheck[]): CanonicalCheck {
  if (checks.includes(never)) return never;
  return (x) => {
    for (const check of checks) if (!check(x)) return false;
    return true;
  };
}

/** An object as JSON.parse or a spread makes it, so `in` (which valibot uses) sees own members only. */
function isPlainData(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}
