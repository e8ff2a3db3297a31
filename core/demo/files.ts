import type { WorkspaceConfig } from '../model/config.ts';
import {
  EXPORT_FORMAT,
  exportSheets,
  sheetsToXlsx,
  sheetToCsv,
  type DossierExport,
  type SheetData,
} from '../import/export.ts';
import { encodeGbk } from '../import/gbk.ts';
import type { DemoCity } from './city.ts';

/**
 * The demo city as the files departments would hand over: the organisation department's unit list
 * and roster, its commendation and neutral-information sheet, the commission's handling-and-sanction
 * sheet exported from an old Windows system (GBK), a negative-list workbook, the clue register and
 * the reminder-card sheet. Loading these through the import is the demo: nothing reaches a dossier
 * any other way.
 */

export interface DemoFile {
  name: string;
  bytes: Uint8Array;
}

export async function demoFiles(
  city: DemoCity,
  config: Pick<WorkspaceConfig, 'kinds' | 'negativeList' | 'channels'>,
): Promise<DemoFile[]> {
  const asExport = (part: Partial<DossierExport>): DossierExport => ({
    format: EXPORT_FORMAT,
    version: 1,
    exportedAt: '2025-01-01T00:00:00.000Z',
    units: [],
    cadres: city.cadres,
    records: [],
    flags: [],
    clues: [],
    cards: [],
    ...part,
  });
  const sheet = (part: Partial<DossierExport>, kind: SheetData['kind']) =>
    exportSheets(asExport(part), config).find((s) => s.kind === kind)!;
  const withIds = <T extends object>(xs: T[]) => xs.map((x) => ({ ...x, id: '' }));
  const records = withIds(city.records);
  const gbkCsv = (s: SheetData) => {
    const text = new TextDecoder().decode(sheetToCsv(s).subarray(3));
    return encodeGbk(text);
  };
  return [
    { name: '澜江市单位名录.csv', bytes: sheetToCsv(sheet({ units: city.units }, 'units')) },
    { name: '澜江市市管干部花名册.xlsx', bytes: await sheetsToXlsx([sheet({}, 'cadres')]) },
    {
      name: '组织部-表彰奖励与中性信息.csv',
      bytes: sheetToCsv(
        sheet({ records: records.filter((r) => r.colour === 'red' || r.colour === 'blue') }, 'records'),
      ),
    },
    {
      name: '纪委监委-组织处理与处分登记.csv',
      bytes: gbkCsv(
        sheet({ records: records.filter((r) => r.colour === 'yellow' || r.colour === 'black') }, 'records'),
      ),
    },
    {
      name: '八小时以外负面清单登记.xlsx',
      bytes: await sheetsToXlsx([sheet({ flags: withIds(city.flags) }, 'flags')]),
    },
    { name: '问题线索台账.csv', bytes: sheetToCsv(sheet({ clues: city.clues }, 'clues')) },
    { name: '主体责任提醒卡.csv', bytes: sheetToCsv(sheet({ cards: city.cards }, 'cards')) },
  ];
}
