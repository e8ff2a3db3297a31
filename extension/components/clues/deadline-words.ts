import type { ClueProgress } from '../../../core/workflow/clue-flow.ts';
import { t } from '../../lib/i18n.ts';

/**
 * A clue's deadline in force in words, for the views that show it in a line (the side panel, the
 * printable dossier): which deadline (办理期限, or a 监察建议书's 整改期限) and whether it is met or
 * overdue, as the clue's progress says.
 */
export function deadlineWords(
  p: Pick<ClueProgress, 'deadline' | 'overdue'> | undefined,
  date: (d: string) => string,
): { when: string; state?: { met: boolean; text: string } } | undefined {
  const d = p?.deadline;
  if (!d) return undefined;
  const when = t(d.setAt === 'recommendation' ? 'clues_rectifyBy' : 'clues_dueBy', date(d.due));
  if (d.met) return { when, state: { met: true, text: t('clues_deadlineMet') } };
  return p.overdue ? { when, state: { met: false, text: t('clues_overdue') } } : { when };
}
