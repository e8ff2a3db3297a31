import type { IsoDate } from '../dates.ts';
import type { Cadre, Clue, DotRecord, Flag, Unit } from '../model/schemas.ts';
import type { ClueStage } from '../model/vocabulary.ts';
import type { AppraisalEffect, Block } from './measures.ts';
import type { SourceId } from './sources.ts';

/** What the rules read about one cadre or unit (the doc accessors produce it). */
export interface SubjectData {
  cadre?: Cadre;
  unit?: Unit;
  records: readonly DotRecord[];
  flags: readonly Flag[];
  clues: readonly Clue[];
}

export type WarningTrigger = 'open-clue' | 'repeated-yellow' | 'substantiated-flag' | 'overdue-rectification';

export type GradeBasis =
  | 'black' // a black dot in its influence period
  | 'warning' // an active early warning
  | 'yellow' // a yellow dot within the window, or an organisational period running
  | 'red' // enough red dots and nothing adverse
  | 'default'
  | 'unit-lowest-share' // share of the unit's cadres at the lowest grade
  | 'unit-warning-share'; // share of the unit's cadres with a warning

/**
 * Why the engine says what it says. Every reason names what it rests on (record, clue or flag
 * ids), the rule's source and, where there is one, the last day it applies (`until`, inclusive;
 * null = permanent). Plain data: it crosses the extension's message boundary and explain() turns
 * it into the sentence a user reads.
 */
export type Reason =
  | {
      code: 'period';
      kind: string;
      records: string[];
      from: IsoDate;
      until: IsoDate | null;
      blocks: Block[];
      source: SourceId;
      /** 留党察看: the last day of the probation itself (its blocks are listed only while it runs). */
      probationUntil?: IsoDate;
      /** Set when several identical government sanctions were combined (政务处分法 art. 15). */
      combinedMonths?: number;
      /** In a review: the block that made this reason count for the purpose asked about. */
      applies?: Block;
    }
  | {
      code: 'appraisal';
      kind: string;
      records: string[];
      date: IsoDate;
      year: number;
      effect: AppraisalEffect;
      source: SourceId;
    }
  | { code: 'investigation'; clue: string; stage: ClueStage; since: IsoDate; source: SourceId }
  | { code: 'note-measure'; kind: string; records: string[]; date: IsoDate; source: SourceId }
  | { code: 'unknown-kind'; kind: string; records: string[]; date: IsoDate; source: SourceId }
  | {
      code: 'warning';
      trigger: WarningTrigger;
      refs: string[];
      source: SourceId;
      /** Trigger details: the clue stage, the yellow count and window, the flag item, the due date. */
      stage?: ClueStage;
      count?: number;
      withinMonths?: number;
      item?: string;
      due?: IsoDate;
      since: IsoDate;
      until: IsoDate | null;
    }
  | {
      code: 'grade';
      grade: string;
      basis: GradeBasis;
      source: SourceId;
      count?: number;
      of?: number;
      months?: number;
      /** The reason the basis rests on (e.g. the heaviest running period). */
      cause?: Reason;
    }
  | { code: 'clear'; purpose: ReviewPurpose; year?: number; source: SourceId };

export type ReviewPurpose = 'annual-appraisal' | 'promotion' | 'commendation' | 'reserve-cadre';
