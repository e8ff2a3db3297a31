import * as v from 'valibot';
import { subjectSchema as subjectRef } from '../../core/model/schemas.ts';
import type { SubjectSummary } from '../../core/model/summary.ts';
import type { PortalHints } from './hints.ts';

/**
 * Between the overlay content script (on a portal page) and the background's overlay host.
 * The index flows down a long-lived port; a badge click goes up as a one-off runtime message so
 * the user's gesture reaches `sidePanel.open`. Everything that comes up from a page is validated:
 * the content script runs beside code we do not control.
 */
export const OVERLAY_PORT = 'dossier-lens-overlay';

export type HostMessage =
  | { type: 'index'; subjects: SubjectSummary[]; hints: PortalHints | null; visible: boolean }
  | { type: 'visible'; visible: boolean };

export const openRequestSchema = v.object({
  type: v.literal('overlay:open'),
  target: v.union([subjectRef, v.object({ candidates: v.pipe(v.array(subjectRef), v.minLength(1), v.maxLength(50)) })]),
});
export type OpenRequest = v.InferOutput<typeof openRequestSchema>;
