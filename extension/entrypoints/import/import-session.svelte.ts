import { today } from '../../../core/dates.ts';
import {
  applyImport,
  detectLayout,
  directoryFromTarget,
  guessMapping,
  newImportId,
  outsideAccessLines,
  prepareImport,
  readTable,
  unitsTouched,
  type ApplyMode,
  type ColumnMapping,
  type ImportKind,
  type ImportPreview,
  type Table,
  type WorkspaceTarget,
} from '../../../core/import/index.ts';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { t } from '../../lib/i18n.ts';
import { countsText, errorText, refusalText } from './import-text.ts';
import { watchTarget } from './target-docs.svelte.ts';

/**
 * One spreadsheet on its way in: the file as read, the kind and header row (guessed, then the
 * user's), the column mapping, and the check against the documents as they are now — recomputed
 * whenever the file, the choices or the documents change. Applying writes through core/import.
 */
export class ImportSession {
  readonly target: WorkspaceTarget;
  readonly who: string;
  fileName = $state('');
  table = $state<Table | undefined>();
  kind = $state<ImportKind>('records');
  mapping = $state<ColumnMapping>({});
  headerIndex = $state(0);
  mode = $state<ApplyMode>('all-or-nothing');
  busy = $state(false);
  readError = $state('');
  outcome = $state<{ ok: boolean; text: string } | undefined>();

  constructor(target: WorkspaceTarget, who: string) {
    this.target = target;
    this.who = who;
  }

  readonly headers = $derived(this.table?.rows[this.headerIndex]?.cells ?? []);

  readonly checked = $derived.by((): { preview?: ImportPreview; error?: string } => {
    const table = this.table;
    if (!table) return {};
    const { target, kind, mapping, headerIndex } = this;
    try {
      // The token's grants (target.access): rows for units it may not write are reported and skipped.
      return {
        preview: watchTarget(target, () =>
          prepareImport(table, {
            today: today(),
            config: target.workspace.config.get().value,
            directory: directoryFromTarget(target),
            kind,
            mapping,
            headerIndex,
            ...(target.access ? { access: target.access } : {}),
          }),
        ),
      };
    } catch (e) {
      return { error: errorText(e) };
    }
  });

  readonly outside = $derived(this.checked.preview ? outsideAccessLines(this.checked.preview).length : 0);

  /** A token that may write nothing this kind writes to (a viewer's; a clerk's without a unit grant). */
  readonly noAccess = $derived.by(() => {
    const preview = this.checked.preview;
    const access = this.target.access;
    if (!preview || !access) return false;
    return preview.kind === 'units' ? !access.canWrite('workspace') : !access.canWriteSomeUnit();
  });

  async pick(file: File): Promise<void> {
    this.outcome = undefined;
    this.readError = '';
    this.fileName = file.name;
    try {
      const table = await readTable(new Uint8Array(await file.arrayBuffer()), file.name);
      const layout = detectLayout(table.rows);
      this.headerIndex = layout?.headerIndex ?? 0;
      this.kind = layout?.kind ?? 'records';
      this.mapping = guessMapping(this.kind, table.rows[this.headerIndex]?.cells ?? []);
      this.table = table;
    } catch (e) {
      this.table = undefined;
      this.readError = errorText(e);
    }
  }

  /** Title lines above the header fool no one but the guess; the user can point at the header row. */
  setHeader(index: number): void {
    this.headerIndex = index;
    this.mapping = guessMapping(this.kind, this.table?.rows[index]?.cells ?? []);
  }

  setKind(kind: ImportKind): void {
    this.kind = kind;
    this.mapping = guessMapping(kind, this.headers);
  }

  setColumn(field: string, value: string): void {
    this.mapping = { ...this.mapping, [field]: value === '' ? undefined : Number(value) };
  }

  async apply(): Promise<void> {
    const preview = this.checked.preview;
    if (!preview) return;
    this.busy = true;
    this.outcome = undefined;
    try {
      await this.target.ensureUnits(unitsTouched(preview));
      const now = new Date();
      const r = applyImport(
        this.target,
        preview,
        { id: newImportId(now), by: this.who || 'officer', at: now.toISOString(), fileName: this.fileName },
        this.mode,
      );
      if (r.ok) {
        this.outcome = {
          ok: true,
          text: r.applied
            ? t('import_imported', this.fileName, formatDateTime(now.toISOString()), countsText(r.counts))
            : t('import_nothingNew'),
        };
      } else if (r.reason === 'bad-rows') {
        this.outcome = { ok: false, text: t('import_refusedBad', formatNumber(r.lines.length)) };
      } else {
        this.outcome = { ok: false, text: t('import_refused', refusalText(r.errors)) };
      }
    } catch (e) {
      this.outcome = { ok: false, text: t('import_error', errorText(e)) };
    } finally {
      this.busy = false;
    }
  }
}
