/**
 * Integrity reviews from the command line, as a client of the running server (batch offices,
 * automation): the same resolution of names, the same opinions and the same letter as the review
 * page, from a spreadsheet of names.
 *
 *   npm run cli -- review --server URL --token T --purpose appraisal|promotion|commendation|reserve
 *        [--year Y] --as-of DATE --file names.csv|names.xlsx --out reply.docx
 *        [--request-no 澜组干函〔2019〕45号] [--requester 中共澜江市委组织部] [--locale zh-CN|en] [--json]
 *
 * Names that several cadres bear, or nobody does, are never guessed: the command lists them (with
 * the candidates' units, posts and ids, which settle a name) and exits 1 without writing a letter.
 * The letter is a draft: the 发文字号's sequence is blank until the reply is signed in the register.
 * The token needs read access to the workspace and the units (viewer is enough); nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Packer } from 'docx';
import * as v from 'valibot';
import { today as todayIn } from '../core/dates.ts';
import { readTable } from '../core/import/table.ts';
import { localised, pick, type Locale } from '../core/model/i18n.ts';
import { describeIssues } from '../core/model/messages.ts';
import { OPINION_LABELS } from '../core/rules/labels.ts';
import { reviewBatch, reviewRequestSchema, type ReviewRequest } from '../core/rules/review.ts';
import { citationContext, draftFrom } from '../core/workflow/reply-draft.ts';
import { purposeScope, replyLetter } from '../core/workflow/reply-letter.ts';
import { letterDocument } from '../core/workflow/reply-word.ts';
import { namesFromTable, subjectsOf, unsettledNames } from '../core/workflow/review-input.ts';
import { clientArgs, CLIENT_OPTIONS, printLine } from './client-args.ts';
import { openImportTarget } from './import-sheet.ts';
import { recordViewsNow } from '../core/sync/view-log.ts';

const PURPOSE_ARGS = {
  appraisal: 'annual-appraisal',
  promotion: 'promotion',
  commendation: 'commendation',
  reserve: 'reserve-cadre',
} as const;

const SAY = localised({
  'zh-CN': {
    noNames: (file: string) => `${file} 中没有姓名`,
    unsettled: (n: number) => `以下 ${n} 个姓名需要核对，未生成回复函：`,
    notFound: (line: number, query: string) => `  第 ${line} 行 ${query}：政治生态档案中未查到此人`,
    sameName: (line: number, query: string, who: readonly string[]) =>
      `  第 ${line} 行 ${query}：同名 ${who.length} 人（${who.join('；')}），请改用干部编号`,
    request: '来函',
    written: (file: string) => `回复函已写入 ${file}`,
  },
  en: {
    noNames: (file) => `no names in ${file}`,
    unsettled: (n) => `${n} name(s) need settling; no letter was written:`,
    notFound: (line, query) => `  line ${line} ${query}: not in the dossiers`,
    sameName: (line, query, who) =>
      `  line ${line} ${query}: ${who.length} people of that name (${who.join('; ')}); use the cadre id`,
    request: 'letter',
    written: (file) => `letter written to ${file}`,
  },
});

/** A mistake in the arguments (exit 2, like the other commands' usage errors). */
export class ReviewUsageError extends Error {}

function requestFrom(
  values: { purpose?: string; year?: string; 'as-of'?: string },
  people: string[],
  locale: Locale,
): ReviewRequest {
  const purpose = PURPOSE_ARGS[values.purpose as keyof typeof PURPOSE_ARGS];
  if (!purpose) throw new ReviewUsageError(`--purpose must be one of ${Object.keys(PURPOSE_ARGS).join(', ')}`);
  const input: Record<string, unknown> = { purpose, asOf: values['as-of'], people };
  if (values.year !== undefined && purpose !== 'promotion' && purpose !== 'reserve-cadre')
    input.year = /^\d+$/.test(values.year) ? Number(values.year) : NaN;
  const parsed = v.safeParse(reviewRequestSchema, input);
  if (!parsed.success)
    throw new ReviewUsageError(
      describeIssues(parsed.issues, locale)
        .map((e) => e.message)
        .join('; '),
    );
  return parsed.output as ReviewRequest;
}

export async function reviewCommand(argv: string[], out: (line: string) => void = printLine): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...CLIENT_OPTIONS,
      purpose: { type: 'string' },
      year: { type: 'string' },
      'as-of': { type: 'string' },
      file: { type: 'string' },
      out: { type: 'string' },
      'request-no': { type: 'string' },
      requester: { type: 'string' },
    },
    strict: true,
  });
  const { locale, serverUrl, token } = clientArgs(values);
  const say = SAY(locale);
  if (!token) throw new ReviewUsageError('give --token (or set DOSSIER_LENS_TOKEN)');
  if (!values.file) throw new ReviewUsageError('give --file names.csv|names.xlsx');
  if (!values.out && !values.json) throw new ReviewUsageError('give --out reply.docx (or --json)');
  const names = namesFromTable((await readTable(new Uint8Array(readFileSync(values.file)), values.file)).rows);
  if (names.length === 0) throw new ReviewUsageError(say.noNames(values.file));
  const request = requestFrom(
    values,
    names.map((n) => n.name),
    locale,
  );

  const target = await openImportTarget(serverUrl, token);
  try {
    const config = target.workspace.config.get().value;
    const units = new Map(target.workspace.units.list().flatMap((e) => (e.ok ? [[e.id, e.value] as const] : [])));
    const subjects = subjectsOf(
      target.unitCodes().map((c) => target.unit(c)),
      (c) => units.get(c),
    );
    const result = reviewBatch(request, { subjects }, config);
    const unitName = (code: string) => units.get(code)?.name ?? code;

    const unsettled = unsettledNames(result);
    if (unsettled.length > 0) {
      process.exitCode = 1;
      if (values.json)
        return out(JSON.stringify({ unsettled: unsettled.map((u) => ({ ...u, line: names[u.row]!.line })) }));
      out(say.unsettled(unsettled.length));
      for (const u of unsettled) {
        const line = names[u.row]!.line;
        if (u.match === 'not-found') out(say.notFound(line, u.query));
        else
          out(
            say.sameName(
              line,
              u.query,
              u.candidates.map((c) => `${unitName(c.unitCode)} ${c.post} ${c.cadreId}`),
            ),
          );
      }
      return;
    }

    const drafted = draftFrom(result, { asked: request.people, ctx: citationContext(subjects, config), unitName });
    if (!drafted.ok) throw new Error('no one to answer for');
    // 查阅留痕 (README "View log"): each person found is read out; logged before any of it is shown.
    const found = result.people.flatMap((p) =>
      p.match === 'found' ? [{ cadreId: p.cadreId, unitCode: p.unitCode }] : [],
    );
    const at = Date.now();
    await recordViewsNow(
      serverUrl,
      token,
      found.map((p) => ({
        id: randomUUID(),
        subject: { type: 'cadre' as const, id: p.cadreId },
        unit: p.unitCode,
        view: 'review' as const,
        at,
      })),
    );
    const batch = {
      id: 'cli',
      requestNo: values['request-no'] ?? say.request,
      requester: values.requester ?? config.commission.addressee,
      received: todayIn(),
      purpose: request.purpose,
      ...('year' in request && request.year !== undefined ? { year: request.year } : {}),
      asOf: request.asOf,
      people: [...request.people],
    };
    // The letter itself is an official document in Chinese, whatever --locale says of the output.
    const letter = replyLetter({ batch, draft: drafted.draft, commission: config.commission, date: todayIn() });
    if (values.out) writeFileSync(values.out, await Packer.toBuffer(letterDocument(letter)));
    const counts = Object.fromEntries(
      Object.keys(OPINION_LABELS).map((o) => [o, drafted.draft.people.filter((p) => p.opinion === o).length]),
    );
    if (values.json) {
      out(
        JSON.stringify({
          title: letter.title,
          purpose: purposeScope(batch.purpose, batch.year, locale),
          counts,
          people: drafted.draft.people.map((p) => ({
            name: p.name,
            unit: p.unitName,
            post: p.post,
            opinion: p.opinion,
            reasons: p.reasons.map((r) => pick(r, locale)),
          })),
          ...(values.out ? { out: values.out } : {}),
        }),
      );
      return;
    }
    out(letter.title);
    for (const p of drafted.draft.people)
      out(`  ${p.name}（${p.unitName} ${p.post}）：${pick(OPINION_LABELS[p.opinion], locale)}`);
    if (values.out) out(say.written(values.out));
  } finally {
    await target.workspaceClient.close();
  }
}
