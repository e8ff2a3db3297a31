import * as v from 'valibot';

/**
 * Per-portal hints: where the generic scan is not enough, an organisation tells the overlay what
 * a record is and which cells hold names and ids. Stored in `storage.local` under
 * `overlayHints` (or pushed by policy into `storage.managed` under the same key), e.g.
 *
 * ```json
 * { "overlayHints": [
 *   { "match": "https://gbxt.example.gov.cn/*",
 *     "record": "div.cadre-card, tr",
 *     "name": "td.xm, .cadre-card .name",
 *     "id": "td.gbbh" } ] }
 * ```
 *
 * - `record`: the element whose text disambiguates a name (a card laid out with divs, say);
 *   default: the nearest table row, list item, form or paragraph.
 * - `name` / `id`: cadres are badged only in these cells, and only when the cell's whole text is
 *   the name, alias or id (exact), so free-text columns (备注) never get person badges. Units are
 *   still found anywhere.
 */
const selector = v.pipe(v.string(), v.minLength(1), v.maxLength(500));

export const portalHintsSchema = v.object({
  match: v.pipe(v.string(), v.minLength(1), v.maxLength(500)),
  record: v.optional(selector),
  name: v.optional(selector),
  id: v.optional(selector),
});
export type PortalHints = v.InferOutput<typeof portalHintsSchema>;

export const hintsListSchema = v.array(portalHintsSchema);

/** A selector the page's document rejects is dropped rather than breaking the scan. */
export function validSelector(doc: Document, sel: string | undefined): string | undefined {
  if (!sel) return undefined;
  try {
    doc.createDocumentFragment().querySelector(sel);
    return sel;
  } catch {
    return undefined;
  }
}
