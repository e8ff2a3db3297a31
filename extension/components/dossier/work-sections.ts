import type { CadreRow } from '../../../core/analysis/rows.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { clueStageLabel, type ClueProgress } from '../../../core/workflow/clue-flow.ts';
import { label, t } from '../../lib/i18n.ts';
import { CARD_STAGE_KEYS, FOLLOWUP_LEVEL_KEYS, overdueWords } from '../cards/card-words.ts';
import { clueStageText, date, kindLabel, listOf, paren } from '../city/labels.ts';
import { deadlineWords } from '../clues/deadline-words.ts';
import type { SheetSection } from './dossier-sheet.ts';

/**
 * The printable dossier's sections on the commission's work, read from the workflows
 * (core/workflow, docs/workflows.md) as the clue board and the cards page read them: each clue at
 * the stage its steps left it, with the deadline in force and whether it is met or overdue; every
 * step taken, dated, with its document; each reminder card with where it stands, what is overdue,
 * and the follow-ups it led to. Internal ids never appear: a clue is what it reports, a record its
 * kind and document number.
 */

function deadlineText(p: ClueProgress | undefined): string {
  const w = deadlineWords(p, date);
  return w ? `${w.when}${w.state ? paren(w.state.text) : ''}` : '—';
}

export function clueSections(row: CadreRow): SheetSection[] {
  const clues = [...row.clues].sort((a, b) =>
    a.received < b.received ? -1 : a.received > b.received ? 1 : a.id < b.id ? -1 : 1,
  );
  const progress = (id: string) => row.clueProgress.get(id);
  const steps = clues.flatMap((c) => {
    const p = progress(c.id);
    if (!p) return [];
    return p.steps.map((s, i, all) => {
      const closing = i === all.length - 1 && p.closedAs ? { closedAs: p.closedAs } : {};
      const details = [
        s.assignee ? t('clues_assignedTo', s.assignee) : '',
        s.due ? (s.stage === 'recommendation' ? t('clues_rectifyBy', date(s.due)) : t('clues_dueBy', date(s.due))) : '',
        s.note ?? '',
      ].filter(Boolean);
      return {
        cells: [
          c.summary,
          date(s.on),
          label(clueStageLabel({ stage: s.stage, ...closing })),
          `${s.docTitle ?? ''}${s.docNumber ? paren(s.docNumber) : ''}` || '—',
          listOf(details) || '—',
        ],
      };
    });
  });
  return [
    {
      id: 'clues',
      title: t('dossier_clues'),
      lines: [],
      table: {
        columns: [
          t('dossier_colReceived'),
          t('dossier_colSummary'),
          t('dossier_colSource'),
          t('dossier_colStage'),
          t('clues_colAssignee'),
          t('dossier_colDue'),
          t('dossier_colOutcome'),
        ],
        rows: clues.map((c) => {
          const p = progress(c.id);
          return {
            cells: [
              date(c.received),
              c.summary,
              c.source,
              clueStageText(row.clueProgress, c),
              p?.assignee ?? c.assignee ?? '—',
              deadlineText(p),
              c.outcome ?? '—',
            ],
          };
        }),
      },
      empty: t('dossier_none'),
    },
    {
      id: 'clue-steps',
      title: t('dossier_clueSteps'),
      lines: [],
      table: {
        columns: [
          t('dossier_colClue'),
          t('clues_stepDate'),
          t('dossier_colStage'),
          t('dossier_colDocument'),
          t('dossier_colDetails'),
        ],
        rows: steps,
      },
      empty: t('dossier_none'),
    },
  ];
}

export function cardSection(row: CadreRow, config: Pick<WorkspaceConfig, 'kinds'>): SheetSection {
  const records = new Map(row.allRecords.map((r) => [r.id, r]));
  const cards = [...row.cards].sort((a, b) =>
    a.card.quarter < b.card.quarter ? -1 : a.card.quarter > b.card.quarter ? 1 : 0,
  );
  return {
    id: 'cards',
    title: t('dossier_cards'),
    lines: [],
    table: {
      columns: [
        t('analysis_quarter'),
        t('cards_issuedOn'),
        t('cards_colStage'),
        t('cards_colItems'),
        t('cards_summary'),
        t('cards_colFollowups'),
      ],
      rows: cards.map(({ card, progress: p }) => {
        const late = overdueWords(p);
        const followups = p.followups.map((f) => {
          // As the card's page says it: the level, then the record it put on the dossier (its kind
          // when that says more than the level — a measure or sanction decided — and document).
          const r = f.recordId ? records.get(f.recordId) : undefined;
          const level = f.level ? t(FOLLOWUP_LEVEL_KEYS[f.level]) : '';
          const kind = r ? kindLabel(config, r.kind) : '';
          const doc = r?.docNumber ? paren(r.docNumber) : '';
          return `${date(f.on)} ${level}${kind && kind !== level ? ` · ${kind}${doc}` : doc}`;
        });
        return {
          cells: [
            card.quarter,
            date(card.issuedOn),
            `${t(CARD_STAGE_KEYS[p.stage])}${late.length ? paren(listOf(late)) : ''}`,
            t('dossier_cardItemsDone', p.items.filter((i) => i.done).length, p.items.length),
            p.summary ? date(p.summary.on) : '—',
            followups.length ? listOf(followups) : '—',
          ],
        };
      }),
    },
    empty: t('dossier_none'),
  };
}
