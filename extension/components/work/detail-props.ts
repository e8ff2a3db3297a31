import type { UnitDossiers } from '../../../core/doc/unit-doc.ts';
import type { Person } from '../../../core/doc/writers.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import type { Authors } from '../../../core/sync/authors.ts';

/** What a work page hands the detail view of one of its rows (a reminder card, a clue). */
export interface DetailProps<Row> {
  row: Row;
  dossiers: UnitDossiers;
  config: WorkspaceConfig;
  /** Who wrote what in the unit's document, from the server (core/sync/authors.ts). */
  authors: Authors | undefined;
  me: Person;
  writable: boolean;
  today: string;
}
