import { describe, expect, test } from 'vitest';
import { itemsFromText, itemsToText } from './templates.ts';

describe('card templates as typed', () => {
  test('one duty per line, the field of work before a colon, repeats kept once, ids stable', () => {
    const items = itemsFromText(
      '巡察整改：落实巡察反馈问题整改\n\n  带头加强作风建设  \n作风建设:带头加强作风建设\n扶贫领域：督促扶贫领域专项整治',
    );
    expect(items.map((i) => [i.area, i.text])).toEqual([
      ['巡察整改', '落实巡察反馈问题整改'],
      [undefined, '带头加强作风建设'],
      ['扶贫领域', '督促扶贫领域专项整治'],
    ]);
    expect(itemsFromText('落实巡察反馈问题整改')[0]!.id).toBe(items[0]!.id);
    expect(itemsFromText(itemsToText(items))).toEqual(items);
  });
});
