import { convertMillimetersToTwip } from 'docx';

/**
 * The page of every Word file the extension writes (the reply letter, the analysis report, the
 * printable dossier): A4 with the margins of official documents (GB/T 9704: 37/35/28/26 mm).
 */
export const OFFICIAL_PAGE = {
  // A4 in twips, Word's own values (converting 210 × 297 mm rounds each down by one).
  size: { width: 11906, height: 16838 },
  margin: {
    top: convertMillimetersToTwip(37),
    bottom: convertMillimetersToTwip(35),
    left: convertMillimetersToTwip(28),
    right: convertMillimetersToTwip(26),
  },
};
