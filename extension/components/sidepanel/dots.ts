import type { Colour } from '../../../core/model/vocabulary.ts';
import type { MessageKey } from '../../lib/i18n.ts';

/** Each colour has its own shape, so colour is never the only signal (docs/ui.md "The badge"). */
export const DOT_GLYPH: Record<Colour, string> = { red: '●', blue: '○', yellow: '▲', black: '■' };
export const DOT_LABEL: Record<Colour, MessageKey> = {
  red: 'dotRed',
  blue: 'dotBlue',
  yellow: 'dotYellow',
  black: 'dotBlack',
};
