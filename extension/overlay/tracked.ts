import type { Badge } from './badge.ts';
import type { BadgeLayer } from './layer.ts';
import type { Size } from './placement.ts';

/**
 * What the scanner keeps per text node, and what a scan plans for one: shared by the planner
 * (`planner.ts`), the inline commit (`inline.ts`) and the layered placement (`layered.ts`).
 */

/** Where a layered badge points: its name in the text node, its record, its layer. */
export interface Layered {
  layer: BadgeLayer;
  start: number;
  end: number;
  record: Element;
  /** The full pill's size, measured once (the mark's is fixed). */
  pill: Size;
  /** Drawn at a spot (false while its name is not rendered, e.g. a hidden tab). */
  placed: boolean;
}

export interface Tracked {
  data: string;
  badges: Badge[];
  /** Set for a badge drawn in its table's layer rather than after the text node. */
  layered: Layered | null;
  /** An inline badge in a large table: its focus stand-in in the table's layer (badge.ts `proxy`). */
  proxy?: { layer: BadgeLayer; spot: HTMLElement };
}

/**
 * What a text node's badges should become: new (detached) badges, or none (`null`). `layer`:
 * the large table whose layer should draw the (single) badge, with the name's offsets.
 */
export interface Plan {
  t: Text;
  data: string;
  badges: Badge[] | null;
  layer?: { table: HTMLTableElement; start: number; end: number; record: Element; inFlow(): Badge };
  /** An inline badge in a large table: its focus stand-in goes in the table's layer, at this spot. */
  proxyIn?: { table: HTMLTableElement; left: number; top: number };
}
