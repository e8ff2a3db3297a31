import type { SubjectSummary } from '../model/summary.ts';
import { buildAutomaton, type Automaton } from './automaton.ts';
import { containsToken, hasTokenBoundaries, isAllHan, standsAlone } from './names.ts';

/**
 * Finding the cadres and units in scope in page text: one Aho–Corasick pass over every name,
 * alias, cadre id and unit name, the longest match wins, person names must stand alone (names.ts),
 * and a name shared by several subjects is resolved from its context (same table row, card,
 * form or sentence) or reported as ambiguous — never guessed.
 *
 * Pure: the content script hands in strings (text-node contents grouped by their context element)
 * and gets back offsets and resolutions; nothing here knows about the DOM.
 */

export type TermKind = 'name' | 'alias' | 'id' | 'unit';

export interface Hit {
  start: number;
  end: number;
  /** Indices into `matcher.subjects`, every subject this exact string names. */
  candidates: number[];
  /** The term names a subject by its id (decisive, needs no context). */
  byId: boolean;
}

export type Resolution =
  | { kind: 'subject'; subject: SubjectSummary; by: 'unique' | 'id' | 'context' }
  | { kind: 'ambiguous'; candidates: SubjectSummary[] };

export interface Matcher {
  readonly subjects: readonly SubjectSummary[];
  /** Fast path for the no-match page: false means `find` would return nothing. */
  mayMatch(text: string): boolean;
  /** Accepted, non-overlapping matches in `text`, leftmost-longest. */
  find(text: string): Hit[];
  /** Which of the hit's candidates the context names (id, then unit, then post), if exactly one. */
  resolve(hit: Hit, context: string): Resolution;
}

/** The spellings of a two-character Han name padded to three characters' width in tables. */
export function paddedVariants(name: string): string[] {
  const n = name.trim();
  if (n.length !== 2 || !isAllHan(n)) return [];
  return [' ', '  ', '\u3000', '\u00a0', '\u00a0\u00a0'].map((pad) => n[0] + pad + n[1]);
}

/** Shorter terms would be noise: a single character is not a name anyone can be found by. */
const MIN_TERM = 2;

interface TermInfo {
  text: string;
  candidates: number[];
  byId: boolean;
  /** Every subject it names is a cadre by name or alias, and it is all Han: apply standsAlone. */
  personName: boolean;
}

export function buildMatcher(subjects: readonly SubjectSummary[]): Matcher {
  const byText = new Map<string, TermInfo>();
  const add = (raw: string, index: number, kind: TermKind) => {
    const text = raw.trim();
    if (text.length < MIN_TERM) return;
    let info = byText.get(text);
    if (!info) {
      info = { text, candidates: [], byId: false, personName: true };
      byText.set(text, info);
    }
    if (!info.candidates.includes(index)) info.candidates.push(index);
    if (kind === 'id') info.byId = true;
    const person =
      (kind === 'name' || kind === 'alias') &&
      subjects[index]!.type === 'cadre' &&
      isAllHan(text.replace(/[\s\u3000]/g, ''));
    if (!person) info.personName = false;
  };
  subjects.forEach((s, i) => {
    add(s.name, i, s.type === 'unit' ? 'unit' : 'name');
    for (const a of s.aliases) add(a, i, s.type === 'unit' ? 'unit' : 'alias');
    add(s.id, i, 'id');
    // Legacy rosters pad two-character names to the width of three: 王  芳, 王　芳.
    if (s.type === 'cadre')
      for (const n of [s.name, ...s.aliases]) for (const v of paddedVariants(n)) add(v, i, 'name');
  });
  const terms = [...byText.values()];
  const automaton: Automaton = buildAutomaton(terms.map((t) => t.text));

  const find = (text: string): Hit[] => {
    const raw: { start: number; end: number; term: TermInfo }[] = [];
    automaton.scan(text, (ti, start, end) => {
      const term = terms[ti]!;
      if (!hasTokenBoundaries(text, start, end)) return;
      if (term.personName && !standsAlone(text, start, end)) return;
      raw.push({ start, end, term });
    });
    // Leftmost-longest: a known longer name (王芳芳, 欧阳芳) beats the shorter one inside it, and
    // a sub-unit's full name beats its parent's.
    raw.sort((a, b) => a.start - b.start || b.end - a.end);
    const out: Hit[] = [];
    let reach = 0;
    for (const r of raw) {
      if (r.start < reach) continue;
      out.push({ start: r.start, end: r.end, candidates: r.term.candidates, byId: r.term.byId });
      reach = r.end;
    }
    return out;
  };

  const resolve = (hit: Hit, context: string): Resolution => {
    const cands = hit.candidates.map((i) => subjects[i]!);
    if (cands.length === 1) return { kind: 'subject', subject: cands[0]!, by: hit.byId ? 'id' : 'unique' };
    // Evidence, strongest first: the id, the unit (longer names beat names they contain, so
    // 市教育局 beats 教育局), the post (副局长 beats 局长 for the same reason).
    const scores = cands.map((c) => {
      let score = 0;
      if (containsToken(context, c.id)) score += 1_000_000;
      if (c.type === 'cadre') {
        if (c.unitName && context.includes(c.unitName)) score += 1000 + c.unitName.length;
        else if (c.unitCode && containsToken(context, c.unitCode)) score += 1000;
        if (c.post && context.includes(c.post)) score += c.post.length;
      } else if (c.unitCode && containsToken(context, c.unitCode)) {
        score += 1000;
      }
      return score;
    });
    const best = Math.max(...scores);
    const top = cands.filter((_, i) => scores[i] === best);
    if (best > 0 && top.length === 1) return { kind: 'subject', subject: top[0]!, by: 'context' };
    return { kind: 'ambiguous', candidates: best > 0 ? top : cands };
  };

  return { subjects, mayMatch: (t) => automaton.test(t), find, resolve };
}

export interface ContextMatch {
  /** Which of the context's text segments, and where in it. */
  segment: number;
  start: number;
  end: number;
  resolution: Resolution;
}

const SENTENCE_END = /[。！？!?；;\n]/;

/** The sentence of `text` around [start, end): bounded by 。！？；; or a line break. */
export function sentenceAround(text: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && !SENTENCE_END.test(text[a - 1]!)) a--;
  let b = end;
  while (b < text.length && !SENTENCE_END.test(text[b]!)) b++;
  return text.slice(a, b);
}

/**
 * Matches the text segments of one context: the text nodes of a table row, card or form
 * (`record`: the whole record is the evidence) or of a paragraph (`prose`: the sentence is).
 * A subject already named in the context is not badged again on its id.
 */
export function matchContext(matcher: Matcher, segments: readonly string[], mode: 'record' | 'prose'): ContextMatch[] {
  const joiner = mode === 'record' ? '\t' : '';
  const whole = segments.join(joiner);
  const out: ContextMatch[] = [];
  let offset = 0;
  segments.forEach((seg, segment) => {
    for (const hit of matcher.find(seg)) {
      const context = mode === 'record' ? whole : sentenceAround(whole, offset + hit.start, offset + hit.end);
      out.push({ segment, start: hit.start, end: hit.end, resolution: matcher.resolve(hit, context) });
    }
    offset += seg.length + joiner.length;
  });
  const named = new Set<SubjectSummary>();
  const idHits = new Set<ContextMatch>();
  out.forEach((m) => {
    if (m.resolution.kind !== 'subject') return;
    if (m.resolution.by === 'id') idHits.add(m);
    else named.add(m.resolution.subject);
  });
  return out.filter((m) => !(idHits.has(m) && m.resolution.kind === 'subject' && named.has(m.resolution.subject)));
}
