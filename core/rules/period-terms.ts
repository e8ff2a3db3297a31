import type { IsoDate } from '../dates.ts';
import { formatDate, localised, pick, type Locale } from '../model/i18n.ts';
import { BLOCK_LABELS } from './labels.ts';
import type { Reason } from './reasons.ts';
import { citation, type SourceId } from './sources.ts';

type Of<C extends Reason['code']> = Extract<Reason, { code: C }>;

/** A period's terms, as both the dossier (explain) and the reply letter (citations.ts) state them. */
export interface PeriodTerms {
  blocks: string;
  span: string;
  probation: string;
  cited: string;
}

const TERMS = localised({
  'zh-CN': {
    blocks: '，',
    sources: '；',
    permanent: (from: string) => `自${from}起长期有效`,
    span: (from: string, until: string) => `自${from}至${until}`,
    probation: (until: string) => `（察看期至${until}）`,
  },
  en: {
    blocks: '; ',
    sources: '; ',
    permanent: (from) => `from ${from}, permanent`,
    span: (from, until) => `from ${from} to ${until}`,
    probation: (until) => ` (probation until ${until})`,
  },
});

export function periodTerms(r: Of<'period'>, locale: Locale): PeriodTerms {
  const t = TERMS(locale);
  const date = (d: IsoDate) => formatDate(d, locale);
  // 选拔任用条例 art. 24 is what turns any running period into "not a promotion candidate".
  const sources: SourceId[] =
    r.applies === 'promotion' && r.source !== 'selection-24' ? [r.source, 'selection-24'] : [r.source];
  return {
    blocks: (r.applies ? [r.applies] : r.blocks).map((b) => pick(BLOCK_LABELS[b], locale)).join(t.blocks),
    span: r.until === null ? t.permanent(date(r.from)) : t.span(date(r.from), date(r.until)),
    probation: r.probationUntil ? t.probation(date(r.probationUntil)) : '',
    cited: sources.map((s) => citation(s, locale)).join(t.sources),
  };
}
