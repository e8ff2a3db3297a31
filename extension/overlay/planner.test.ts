// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import zh from '../public/_locales/zh_CN/messages.json';
import { buildMatcher, type Resolution } from '../../core/match/matcher.ts';
import { cadreIn as cadre } from '../../core/match/test/fixtures.ts';
import { Planner } from './planner.ts';
import { overlayTextFrom } from './text-table.ts';
import type { Plan, Tracked } from './tracked.ts';

const matcher = buildMatcher([
  cadre('C001', '张伟', '市交通运输局', '副局长'),
  cadre('C002', '张伟', '市教育局', '局长'),
  cadre('C003', '王芳', '市教育局'),
]);

let tracked: Map<Text, Tracked>;
let made: Map<HTMLElement, Resolution>;
let planner: Planner;

beforeEach(() => {
  document.body.replaceChildren();
  tracked = new Map();
  made = new Map();
  planner = new Planner({
    doc: document,
    tracked,
    ours: new WeakSet(),
    inlineOnly: new WeakSet(),
    text: overlayTextFrom(zh),
    onOpen: () => undefined,
    onBadge: (host, r) => made.set(host, r),
    layerFor: () => {
      throw new Error('no large table in these tests');
    },
  });
});

/** Plans every record of the body; returns what each planned text node's badges name. */
function planBody(): { plans: Plan[]; says: string[] } {
  const texts: Text[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  // As the scan does: only text holding a match of its own is a candidate.
  for (let n = walker.nextNode(); n; n = walker.nextNode())
    if (matcher.find((n as Text).data).length > 0 || tracked.has(n as Text)) texts.push(n as Text);
  const plans: Plan[] = [];
  for (const ctx of planner.contextsOf(texts)) planner.plan(matcher, ctx, plans);
  const says = plans.flatMap((p) =>
    (p.badges ?? []).map((b, i) => {
      const r = made.get(b.host)!;
      return `${p.t.data.trim()}#${i}→${r.kind === 'subject' ? r.subject.id : `?${r.candidates.length}`}`;
    }),
  );
  return { plans, says };
}

describe('records: what is evidence for a name', () => {
  it('a row, a list item, a paragraph, or a small card of divs', () => {
    document.body.innerHTML = `<table><tr id="tr"><td><b id="a">张伟</b></td></tr></table><ul><li id="li">王芳</li></ul>
      <p id="p">关于<span id="b">张伟</span>同志</p><div id="card"><div><div id="c">张伟</div></div><div>市教育局</div></div>`;
    const at = (id: string) => planner.contextOf(document.getElementById(id)!.firstChild!);
    expect(at('a')).toEqual({ el: document.getElementById('tr'), mode: 'record' });
    expect(at('li')).toEqual({ el: document.getElementById('li'), mode: 'record' });
    expect(at('b')).toEqual({ el: document.getElementById('p'), mode: 'prose' });
    expect(at('c')).toEqual({ el: document.getElementById('card'), mode: 'prose' });
  });

  it('a portal hint names the record (a profile grid of divs)', () => {
    document.body.innerHTML = '<div class="cadre-card" id="card"><section><span id="n">张伟</span></section></div>';
    planner.setHints({ match: '*', record: 'div.cadre-card' });
    expect(planner.contextOf(document.getElementById('n')!.firstChild!)).toEqual({
      el: document.getElementById('card'),
      mode: 'record',
    });
  });

  it('text that may not be read (an editable region) has no record and is reported', () => {
    document.body.innerHTML = '<div contenteditable="true"><p id="e">张伟</p></div><p id="r">王芳</p>';
    const unreadable: Text[] = [];
    const texts = ['e', 'r'].map((id) => document.getElementById(id)!.firstChild as Text);
    expect(planner.contextsOf(texts, (t) => unreadable.push(t)).map((c) => c.el.id)).toEqual(['r']);
    expect(unreadable).toEqual([texts[0]]);
  });
});

describe('planning badges', () => {
  it('a name in a record gets one badge, made detached: the page is not touched', () => {
    document.body.innerHTML = '<table><tr><td>王芳</td><td>市教育局</td></tr></table>';
    const before = document.body.innerHTML;
    const { plans, says } = planBody();
    expect(says).toEqual(['王芳#0→C003']);
    expect(plans[0]!.badges![0]!.host.isConnected).toBe(false);
    expect(document.body.innerHTML).toBe(before);
  });

  it('a cadre form: the name ambiguous in its row is resolved by the id in another row, which gets no badge', () => {
    document.body.innerHTML = `<table><tr><td>姓名</td><td>张伟</td><td>性别</td><td>男</td></tr>
      <tr><td>干部编号</td><td>C002</td><td>出生年月</td><td>1970.08</td></tr></table>`;
    expect(planBody().says).toEqual(['张伟#0→C002']);
  });

  it('a roster is not one record: another row’s unit is another person’s', () => {
    document.body.innerHTML = `<table><tr><td>1</td><td>张伟</td><td>市交通运输局</td></tr>
      <tr><td>2</td><td>张伟</td><td>县财政局</td></tr><tr><td>3</td><td>王芳</td><td>市教育局</td></tr></table>`;
    expect(planBody().says).toEqual(['张伟#0→C001', '张伟#0→?2', '王芳#0→C003']);
  });

  it('the enclosing record is a small table or the form around the row, never a whole page', () => {
    document.body.innerHTML = `<form id="f"><fieldset id="fs"><div role="row" id="r">张伟</div></fieldset></form>
      <form id="big"><div role="row" id="r2">张伟</div><p>${'长文'.repeat(1600)}</p></form>`;
    expect(planner.enclosingRecord(document.getElementById('r')!)).toBe(document.getElementById('fs'));
    expect(planner.enclosingRecord(document.getElementById('r2')!)).toBeNull();
  });

  it('a web component’s open shadow text is part of its row (the unit decides the name)', () => {
    document.body.innerHTML = '<table><tr id="r"><td>张伟</td><td><x-unit id="u"></x-unit></td></tr></table>';
    document.getElementById('u')!.attachShadow({ mode: 'open' }).innerHTML = '<span>市交通运输局</span>';
    expect(planBody().says).toEqual(['张伟#0→C001']);
  });

  it('never reads text in inputs, text areas or scripts', () => {
    document.body.innerHTML =
      '<table><tr><td><input value="张伟"></td><td><textarea>张伟</textarea></td>' +
      '<td><script>"王芳"</script></td></tr></table>';
    expect(planBody().says).toEqual([]);
  });

  it('with name/id hints, cadres are badged only on a whole hinted cell (never in free text)', () => {
    planner.setHints({ match: '*', name: 'td.xm' });
    document.body.innerHTML = `<table><tr><td class="xm">王芳</td><td>备注：王芳推荐</td></tr>
      <tr><td class="xm">王芳同志</td><td>市教育局</td></tr></table>`;
    expect(planBody().says).toEqual(['王芳#0→C003']);
  });

  it('a tracked text with no match any more is planned to lose its badges', () => {
    document.body.innerHTML = '<table><tr><td id="c">李四</td></tr></table>';
    const t = document.getElementById('c')!.firstChild as Text;
    tracked.set(t, { data: '王芳', badges: [], layered: null });
    expect(planBody().plans).toEqual([{ t, data: '李四', badges: null }]);
  });

  it('a badge already right after its text, saying the same, is kept (no plan)', () => {
    document.body.innerHTML = '<table><tr><td id="c">王芳</td></tr></table>';
    const first = planBody().plans[0]!;
    const t = first.t;
    t.after(first.badges![0]!.host);
    tracked.set(t, { data: t.data, badges: first.badges!, layered: null });
    expect(planBody().plans).toEqual([]);
  });
});
