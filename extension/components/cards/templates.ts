import { stableHash } from '../../../core/import/keys.ts';
import type { CardTemplate } from '../../../core/model/workflow-schemas.ts';

/**
 * A template's duties as an admin types them: one per line, optionally "领域：事项" (the field of
 * work before a full- or half-width colon). Item ids come from the text, so an unchanged duty
 * keeps its id from one edit (or quarter) to the next.
 */
export function itemsFromText(text: string): CardTemplate['items'] {
  const seen = new Set<string>();
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .flatMap((line) => {
      const m = /^([^：:]{1,12})[：:](.+)$/.exec(line);
      const area = m ? m[1]!.trim() : undefined;
      const body = (m ? m[2]! : line).trim();
      const id = `item-${stableHash(body)}`;
      if (seen.has(id)) return [];
      seen.add(id);
      return [{ id, text: body, ...(area ? { area } : {}) }];
    });
}

export function itemsToText(items: CardTemplate['items']): string {
  return items.map((i) => (i.area ? `${i.area}：${i.text}` : i.text)).join('\n');
}

/** One template per holder type and quarter: the id says which. */
export const templateId = (quarter: string, holderType: string): string => `tpl-${quarter}-${holderType}`;
