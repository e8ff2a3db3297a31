import { addDays, type IsoDate } from '../dates.ts';
import type { WarningRules } from '../model/config.ts';
import { countingRecords, periodUntil, windowStart } from './periods.ts';

export { windowStart };
import type { Reason, SubjectData, WarningTrigger } from './reasons.ts';

/**
 * Early warnings: "about to get a black dot" (seed, 看点3). The seed does not publish its
 * triggers; the defaults follow the published analogues in docs/domain-rules.md and each one is a
 * switch in the workspace's warningRules. Each trigger is one small function over the subject's
 * data; WARNING_TRIGGERS lists them in the order a user reads them.
 */

export type WarningReason = Extract<Reason, { code: 'warning' }>;

type Trigger = (subject: SubjectData, asOf: IsoDate, rules: WarningRules) => WarningReason[];

const openClue: Trigger = (subject, asOf, rules) =>
  subject.clues
    .filter((c) => c.stage !== 'closed' && rules.openClue.stages.includes(c.stage) && c.received <= asOf)
    .map((c) => ({
      code: 'warning',
      trigger: 'open-clue',
      refs: [c.id],
      source: 'warning-rules',
      stage: c.stage,
      since: c.received,
      until: null,
    }));

/**
 * N yellow dots within the last M months. The warning lasts until the N-th most recent dot leaves
 * the window, which is the date the user is told.
 */
const repeatedYellow: Trigger = (subject, asOf, rules) => {
  const { count, withinMonths } = rules.repeatedYellow;
  const start = windowStart(asOf, withinMonths);
  const recent = countingRecords(subject.records, asOf)
    .filter((r) => r.colour === 'yellow' && r.decisionDate >= start)
    .sort((a, b) =>
      a.decisionDate < b.decisionDate ? 1 : a.decisionDate > b.decisionDate ? -1 : a.id < b.id ? -1 : 1,
    );
  if (recent.length < count) return [];
  const nth = recent[count - 1]!;
  return [
    {
      code: 'warning',
      trigger: 'repeated-yellow',
      refs: recent.map((r) => r.id).sort(),
      source: 'warning-rules',
      count: recent.length,
      withinMonths,
      since: recent[0]!.decisionDate,
      until: periodUntil(nth.decisionDate, withinMonths),
    },
  ];
};

const substantiatedFlag: Trigger = (subject, asOf) =>
  subject.flags
    .filter((f) => f.status === 'substantiated' && (f.statusChangedAt ?? f.date) <= asOf)
    .map((f) => ({
      code: 'warning',
      trigger: 'substantiated-flag',
      refs: [f.id],
      source: 'warning-rules',
      item: f.item,
      since: f.statusChangedAt ?? f.date,
      until: null,
    }));

/** The due date is the last day allowed: overdue from the day after, until rectified. */
const overdueRectification: Trigger = (subject, asOf) =>
  countingRecords(subject.records, asOf)
    .filter((r) => r.colour === 'yellow' && r.rectificationDue !== undefined && r.rectificationDue < asOf)
    .filter((r) => r.rectifiedOn === undefined || r.rectifiedOn > asOf)
    .map((r) => ({
      code: 'warning',
      trigger: 'overdue-rectification',
      refs: [r.id],
      source: 'warning-rules',
      due: r.rectificationDue!,
      since: addDays(r.rectificationDue!, 1),
      until: null,
    }));

export const WARNING_TRIGGERS: readonly {
  trigger: WarningTrigger;
  enabled: (rules: WarningRules) => boolean;
  run: Trigger;
}[] = [
  { trigger: 'open-clue', enabled: (r) => r.openClue.enabled, run: openClue },
  { trigger: 'repeated-yellow', enabled: (r) => r.repeatedYellow.enabled, run: repeatedYellow },
  { trigger: 'substantiated-flag', enabled: (r) => r.substantiatedFlag.enabled, run: substantiatedFlag },
  { trigger: 'overdue-rectification', enabled: (r) => r.overdueRectification.enabled, run: overdueRectification },
];

/** Active warnings for a subject on `asOf`, in trigger order, then by reference id. */
export function earlyWarnings(subject: SubjectData, asOf: IsoDate, rules: WarningRules): WarningReason[] {
  return WARNING_TRIGGERS.filter((t) => t.enabled(rules)).flatMap((t) =>
    t.run(subject, asOf, rules).sort((a, b) => (a.refs[0]! < b.refs[0]! ? -1 : a.refs[0]! > b.refs[0]! ? 1 : 0)),
  );
}
