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

const KEY = 65536;

export function buildAutomaton(terms: readonly string[]): Automaton {
  const next = new Map<number, number>();
  // Per state: the term it ends (-1 if none), its depth, its failure and dictionary links.
  const termAt: number[] = [-1];
  const depth: number[] = [0];
  const children: number[][] = [[]];
  const edgeChar: number[] = [0];

  terms.forEach((term, index) => {
    if (term.length === 0) return;
    let s = 0;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      let t = next.get(s * KEY + c);
      if (t === undefined) {
        t = termAt.length;
        termAt.push(-1);
        depth.push(depth[s]! + 1);
        children.push([]);
        edgeChar.push(c);
        next.set(s * KEY + c, t);
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
      let target: number | undefined;
      for (;;) {
        target = next.get(f * KEY + c);
        if (target !== undefined || f === 0) break;
        f = fail[f]!;
      }
      const ft = target !== undefined && target !== t ? target : 0;
      fail[t] = ft;
      dictLink[t] = termAt[ft]! >= 0 ? ft : dictLink[ft]!;
      queue.push(t);
    }
  }

  const step = (s: number, c: number): number => {
    for (;;) {
      const t = next.get(s * KEY + c);
      if (t !== undefined) return t;
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
