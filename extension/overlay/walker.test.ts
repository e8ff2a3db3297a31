// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { frameDocument, skipElement, skipText, textNodesIn, walk, type WalkEnv } from './walker.ts';

/** The texts a full walk of `root` visits (the test's matcher: any text containing 张伟). */
function visited(root: Node, env: Partial<WalkEnv> = {}, withText = true): string[] {
  const out: string[] = [];
  const full: WalkEnv = {
    ours: new WeakSet(),
    mayMatch: (s) => s.includes('张伟'),
    observe: () => undefined,
    frameDocument: () => null,
    ...env,
  };
  const job = walk(root, full, (t) => out.push(t.data), withText, { over: () => false, reset: () => undefined });
  while (!job.next().done);
  return out.map((s) => s.trim()).filter(Boolean);
}

describe('walker', () => {
  beforeEach(() => {
    document.body.replaceChildren();
  });

  it('reads text nodes but never what is typed, code, styles or the title', () => {
    document.body.innerHTML = `<p>张伟 同志</p><input value="张伟"><textarea>张伟 草稿</textarea>
      <select><option>张伟 选项</option></select><script>var a = '张伟 脚本'</script><style>/* 张伟 样式 */</style>
      <noscript>张伟 noscript</noscript><template><p>张伟 模板</p></template>`;
    document.title = '张伟 标题';
    expect(visited(document)).toEqual(['张伟 同志']);
  });

  it('never reads our own badges or layers', () => {
    document.body.innerHTML = '<p>张伟</p><span id="ours"><b>张伟 · 黑点1</b></span>';
    const ours = new WeakSet<Node>([document.getElementById('ours')!]);
    expect(visited(document.body, { ours })).toEqual(['张伟']);
    expect(skipElement(document.getElementById('ours')!, ours)).toBe(true);
  });

  it('keeps editable regions out: as a changed root, and for text found in one', () => {
    document.body.innerHTML =
      '<div contenteditable="true"><p id="e">张伟 在写</p></div><div contenteditable="false"><p id="r">张伟</p></div>';
    const editing = document.getElementById('e')!;
    expect(skipElement(editing, new WeakSet())).toBe(true);
    expect(skipText(editing.firstChild as Text)).toBe(true);
    expect(skipElement(document.getElementById('r')!, new WeakSet())).toBe(false);
    expect(skipText(document.getElementById('r')!.firstChild as Text)).toBe(false);
  });

  it('enters open shadow roots, also when the light text holds no known term', () => {
    document.body.innerHTML = '<p>无关</p><x-cell id="host"></x-cell>';
    const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<span>张伟</span>';
    const observed: Node[] = [];
    // withText false: the fast check said the document's own text cannot match.
    expect(visited(document, { observe: (r) => void observed.push(r) }, false)).toEqual(['张伟']);
    expect(observed).toContain(shadow);
  });

  it('does not enter closed shadow roots (the page cannot expect us to)', () => {
    document.body.innerHTML = '<x-cell id="host"></x-cell>';
    document.getElementById('host')!.attachShadow({ mode: 'closed' }).innerHTML = '<span>张伟</span>';
    expect(visited(document)).toEqual([]);
  });

  it('enters a frame only through frameDocument, and skips the frame element itself', () => {
    // A document of its own: happy-dom would try to load the frame of the window's document.
    const page = document.implementation.createHTMLDocument('');
    page.body.innerHTML = '<p>张伟</p><iframe id="f"></iframe>';
    const frame = page.getElementById('f') as HTMLIFrameElement;
    const inner = document.implementation.createHTMLDocument('');
    inner.body.innerHTML = '<p>张伟 框内</p>';
    const asked: Element[] = [];
    const texts = visited(page, {
      frameDocument: (f) => {
        asked.push(f);
        return inner;
      },
    });
    expect(asked).toEqual([frame]);
    expect(texts).toEqual(['张伟', '张伟 框内']);
    expect(visited(page)).toEqual(['张伟']);
  });

  it('reads only frames of the page (about:), and hooks a frame’s reloads once', () => {
    const frameWith = (get: () => unknown) =>
      Object.defineProperty(new EventTarget(), 'contentDocument', { get }) as unknown as HTMLIFrameElement;
    const blank = { location: { protocol: 'about:' } } as unknown as Document;
    const hooked = new WeakSet<Node>();
    const loads: Document[] = [];
    const frame = frameWith(() => blank);
    expect(frameDocument(frame, hooked, (d) => loads.push(d))).toBe(blank);
    expect(frameDocument(frame, hooked, (d) => loads.push(d))).toBe(blank);
    frame.dispatchEvent(new Event('load'));
    expect(loads).toEqual([blank]);
    // A portal page of its own gets its own overlay; a cross-origin frame cannot be read.
    expect(
      frameDocument(
        frameWith(() => ({ location: { protocol: 'https:' } })),
        hooked,
        () => undefined,
      ),
    ).toBeNull();
    const crossOrigin = frameWith(() => {
      throw new DOMException('Blocked', 'SecurityError');
    });
    expect(frameDocument(crossOrigin, hooked, () => undefined)).toBeNull();
  });

  it('yields when its slice is over and resets after', () => {
    document.body.innerHTML = Array.from({ length: 600 }, (_, i) => `<p>张伟${i}</p>`).join('');
    let resets = 0;
    const env: WalkEnv = {
      ours: new WeakSet(),
      mayMatch: () => true,
      observe: () => undefined,
      frameDocument: () => null,
    };
    const seen: Text[] = [];
    const job = walk(document.body, env, (t) => seen.push(t), true, { over: () => true, reset: () => void resets++ });
    let yields = 0;
    while (!job.next().done) yields++;
    expect(seen.length).toBe(600);
    expect(yields).toBeGreaterThan(0);
    expect(resets).toBe(yields);
  });

  it('lists a record’s non-blank text, with its web components’ shadow text, in order', () => {
    document.body.innerHTML =
      '<table><tr id="row"><td>张伟</td><td> </td><td><x-unit id="u"></x-unit></td>' +
      '<td><script>x</script></td></tr></table>';
    document.getElementById('u')!.attachShadow({ mode: 'open' }).innerHTML = '<span>市发改委</span>';
    expect(textNodesIn(document.getElementById('row')!).map((t) => t.data)).toEqual(['张伟', '市发改委']);
  });
});
