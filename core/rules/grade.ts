import type { IsoDate } from '../dates.ts';
import type { GradeScheme, WorkspaceConfig } from '../model/config.ts';
import { measureFor } from './measures.ts';
import { countingRecords, influencePeriods, type PeriodReason } from './periods.ts';
import type { GradeBasis, Reason, SubjectData } from './reasons.ts';
import { earlyWarnings, windowStart, type WarningReason } from './warnings.ts';

/**
 * Grades (等次) from colours and counts. The seed says grades depend on colour and count but not
 * how; the default below is documented in core/README.md and tuned through config.gradeScheme.
 * The scheme lists four grades best first; levels index into it: 0 top, 1 normal, 2 attention,
 * 3 lowest. Each rule below is one row: its level, its basis, and the test that finds its cause.
 * The grade is the worst level whose rule holds; the reasons say which rules held.
 */

export type GradeReason = Extract<Reason, { code: 'grade' }>;
export type Level = 0 | 1 | 2 | 3;

/** What the grade rules read about a subject: computed once, shared with warnings and reviews. */
export interface Facts {
  asOf: IsoDate;
  subject: SubjectData;
  periods: PeriodReason[];
  warnings: WarningReason[];
}

export function factsOf(subject: SubjectData, asOf: IsoDate, config: Pick<WorkspaceConfig, 'warningRules'>): Facts {
  return {
    asOf,
    subject,
    periods: influencePeriods(subject.records, asOf),
    warnings: earlyWarnings(subject, asOf, config.warningRules),
  };
}

type Finding = Omit<GradeReason, 'code' | 'grade' | 'basis' | 'source'>;

interface GradeRule {
  level: Level;
  basis: GradeBasis;
  find: (facts: Facts, scheme: GradeScheme) => Finding | undefined;
}

const isSanction = (p: PeriodReason) => {
  const family = measureFor(p.kind)?.family;
  return family === 'party' || family === 'government';
};

function colourInWindow(facts: Facts, colour: 'red' | 'yellow', months: number) {
  const start = windowStart(facts.asOf, months);
  return countingRecords(facts.subject.records, facts.asOf).filter(
    (r) => r.colour === colour && r.decisionDate >= start,
  );
}

/** Rows are checked worst first; within a level, the first row that holds is the headline. */
export const CADRE_GRADE_RULES: readonly GradeRule[] = [
  {
    level: 3,
    basis: 'black',
    find: (f) => {
      const running = f.periods.filter(isSanction);
      return running.length ? { count: running.length, cause: running[0]! } : undefined;
    },
  },
  {
    level: 2,
    basis: 'warning',
    find: (f) => (f.warnings.length ? { count: f.warnings.length, cause: f.warnings[0]! } : undefined),
  },
  {
    level: 2,
    basis: 'yellow',
    find: (f, s) => {
      const recent = colourInWindow(f, 'yellow', s.yellowWindowMonths);
      const running = f.periods.filter((p) => measureFor(p.kind)?.family === 'organisational');
      if (!recent.length && !running.length) return undefined;
      const latest = [...recent].sort((a, b) =>
        a.decisionDate < b.decisionDate ? 1 : a.decisionDate > b.decisionDate ? -1 : a.id < b.id ? -1 : 1,
      )[0];
      const cause: Reason | undefined =
        running[0] ??
        (latest && {
          code: 'note-measure',
          kind: latest.kind,
          records: [latest.id],
          date: latest.decisionDate,
          source: measureFor(latest.kind)?.source ?? 'no-national-rule',
        });
      return { count: recent.length, months: s.yellowWindowMonths, ...(cause ? { cause } : {}) };
    },
  },
  {
    level: 0,
    basis: 'red',
    find: (f, s) => {
      const reds = colourInWindow(f, 'red', s.redWindowMonths);
      return reds.length >= s.redForTop ? { count: reds.length, months: s.redWindowMonths } : undefined;
    },
  },
];

function gradeFrom(
  findings: { rule: GradeRule; finding: Finding }[],
  scheme: GradeScheme,
): { grade: string; level: Level; reasons: GradeReason[] } {
  const adverse = findings.filter((x) => x.rule.level >= 2);
  const chosen = adverse.length ? adverse : findings.filter((x) => x.rule.level === 0).slice(0, 1);
  const level: Level = chosen.length
    ? chosen.reduce<Level>((l, x) => (x.rule.level > l ? x.rule.level : l), chosen[0]!.rule.level)
    : 1;
  const grade = scheme.grades[level]!.id;
  const reasons: GradeReason[] = chosen
    .filter((x) => x.rule.level === level)
    .map((x) => ({ code: 'grade', grade, basis: x.rule.basis, source: 'grade-scheme', ...x.finding }));
  if (!reasons.length) reasons.push({ code: 'grade', grade, basis: 'default', source: 'grade-scheme' });
  return { grade, level, reasons };
}

export interface Graded {
  grade: string;
  level: Level;
  /** The first reason is the one-line explanation; the others held at the same level. */
  reasons: GradeReason[];
}

export function gradeCadre(facts: Facts, scheme: GradeScheme): Graded {
  const findings = CADRE_GRADE_RULES.flatMap((rule) => {
    const finding = rule.find(facts, scheme);
    return finding ? [{ rule, finding }] : [];
  });
  return gradeFrom(findings, scheme);
}

/** What a unit's grade reads about its cadres. */
export interface CadreOutcome {
  level: Level;
  warnings: number;
}

/**
 * A unit: its own dots and warnings by the cadre rules, plus two share rules: enough of its cadres
 * at the lowest grade makes the unit lowest; enough with a warning makes it "attention".
 */
export function gradeUnit(facts: Facts, cadres: readonly CadreOutcome[], scheme: GradeScheme): Graded {
  const total = cadres.length;
  const lowest = cadres.filter((c) => c.level === 3).length;
  const warned = cadres.filter((c) => c.warnings > 0).length;
  const shareRules: GradeRule[] = [
    {
      level: 3,
      basis: 'unit-lowest-share',
      find: () => (lowest > 0 && lowest / total >= scheme.unitLowestShare ? { count: lowest, of: total } : undefined),
    },
    {
      level: 2,
      basis: 'unit-warning-share',
      find: () =>
        warned > 0 && warned / total >= scheme.unitAttentionShare ? { count: warned, of: total } : undefined,
    },
  ];
  const rules = [...shareRules, ...CADRE_GRADE_RULES].sort((a, b) => b.level - a.level);
  const findings = rules.flatMap((rule) => {
    const finding = rule.find(facts, scheme);
    return finding ? [{ rule, finding }] : [];
  });
  return gradeFrom(findings, scheme);
}
