import type { Paragraph, Table } from 'docx';
import type { Picture } from '../../../core/analysis/picture.ts';
import type { RowSnapshot } from '../../../core/analysis/row-store.ts';
import { explain } from '../../../core/rules/explain.ts';
import { lookupOf, withReadableRefs } from '../../../core/analysis/reference-labels.ts';
import type { WorkspaceConfig } from '../../../core/model/config.ts';
import { t, uiLocale } from '../../lib/i18n.ts';
import { chartPng } from '../charts/echarts.ts';
import { barOption, heightFor, PAPER } from '../charts/options.ts';
import { date, num } from '../city/labels.ts';
import { watermarkPng } from '../city/watermark.ts';
import { heading, image, officialDocument, para, subtitle, table, title, toBlob } from '../city/word.ts';
import type { AnalysisChart } from './picture-charts.ts';

/**
 * 分析研判报告: the picture of a unit, a region or the city over a period as a Word document, to
 * attach to a report to the standing committee: the overall figures, then each chart as an image
 * with its table, then the cadres under warning with why. Numbered headings (一、二、…) as official
 * documents have them; the printer's name and time on every page.
 */

const NUMERALS = '一二三四五六七八九十';
const CHART_WIDTH = 640;

export async function analysisReport(opts: {
  picture: Picture;
  charts: AnalysisChart[];
  rows: RowSnapshot;
  scopeName: string;
  config: WorkspaceConfig;
  printedBy: string;
  printedAt: string;
}): Promise<Blob> {
  const { picture: p, charts } = opts;
  const locale = uiLocale();
  const vocab = { kinds: opts.config.kinds, negativeList: opts.config.negativeList };
  const stamp = t('print_stamp', opts.printedBy, opts.printedAt);
  // Headings numbered 一、二、 in Chinese (GB/T 9704), 1. 2. in English.
  const n = (i: number) => t('report_headingNumber', NUMERALS[i] ?? i + 1, i + 1);
  const body: (Paragraph | Table)[] = [
    title(t('report_title', opts.scopeName)),
    subtitle(t('report_period', date(p.period.from), date(p.period.to))),
    heading(`${n(0)}${t('report_overview')}`),
    para(
      t(
        'report_overviewText',
        opts.scopeName,
        num(p.unitCount),
        num(p.cadreCount),
        date(p.period.to),
        num(p.warned.count),
        num(p.inPeriod.count),
      ),
    ),
  ];
  let i = 1;
  for (const c of charts) {
    body.push(heading(`${n(i++)}${c.title}`));
    if (c.spec.categories.length === 0) {
      body.push(para(t('analysis_noData')));
      continue;
    }
    const h = heightFor(c.spec.categories.length, c.spec.horizontal ?? false);
    body.push(image(await chartPng(barOption(c.spec, PAPER), CHART_WIDTH, h), CHART_WIDTH, h, c.spec.description));
    body.push(
      table(
        c.table.columns,
        c.table.rows.map((r) => [
          r.label,
          ...r.cells.map((x) => (typeof x.value === 'number' ? num(x.value) : x.value)),
        ]),
      ),
    );
  }
  body.push(heading(`${n(i)}${t('report_warned')}`));
  const warned = p.warned.subjects.flatMap((s) =>
    s.type === 'cadre' && opts.rows.cadreById.has(s.id) ? [opts.rows.cadreById.get(s.id)!] : [],
  );
  if (warned.length === 0) body.push(para(t('report_warnedNone')));
  else
    body.push(
      table(
        [t('search_colName'), t('search_colUnit'), t('report_why')],
        warned.map((c) => [
          c.name,
          `${c.unitName} ${c.post}`,
          c.warnings.map((w) => explain(withReadableRefs(w, lookupOf(c), locale), locale, vocab)).join(' '),
        ]),
      ),
    );
  const doc = officialDocument({
    title: t('report_title', opts.scopeName),
    children: body,
    stamp,
    watermark: await watermarkPng(stamp),
  });
  return toBlob(doc);
}
