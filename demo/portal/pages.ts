import { encodeGbk } from '../../core/import/gbk.ts';
import type { Cadre, Unit } from '../../core/model/schemas.ts';

/**
 * The demo portal's pages, in the style of the cadre-management systems officers already use
 * (table layouts, a blue title bar, 宋体, forms with grey labels). It shows only what such a system
 * shows — the roster — never dossier content: the dots come from the extension's overlay, which is
 * the point of the demo. Every value is escaped; no page builds HTML from data on the client.
 */

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const GENDER: Record<string, string> = { male: '男', female: '女' };

const STYLE = `
body{margin:0;font:12px/1.6 SimSun,"宋体","WenQuanYi Micro Hei",serif;background:#eef3f8;color:#222}
.bar{background:linear-gradient(#2e6dad,#1d4f86);color:#fff;padding:8px 14px;font-size:18px;font-weight:bold;letter-spacing:2px}
.nav{background:#d9e6f2;border-bottom:1px solid #9db8d3;padding:4px 14px}
.nav a{margin-right:16px;color:#143f6b}
.main{padding:10px 14px}
table.grid{border-collapse:collapse;background:#fff;width:100%}
table.grid th{background:#c7d9ec;border:1px solid #8eacc9;padding:3px 6px;font-weight:normal}
table.grid td{border:1px solid #b9cde0;padding:3px 6px}
table.grid tr:nth-child(even) td{background:#f5f9fc}
table.form td.l{background:#e6eef6;text-align:right;width:110px;color:#444}
table.form td{border:1px solid #b9cde0;padding:4px 8px;background:#fff}
input[readonly]{border:1px solid #ccc;background:#fafafa;font:inherit}
.pager{margin:8px 0}.pager button{font:inherit;margin-right:6px}
.foot{color:#595959;padding:10px 14px}
`;

function layout(title: string, body: string, charset = 'utf-8'): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="${charset}"><title>${esc(title)} - 澜江市干部信息管理系统</title><style>${STYLE}</style></head>
<body><div class="bar">澜江市干部信息管理系统（演示）</div>
<div class="nav"><a href="/">首页</a><a href="/roster.html">干部名册</a><a href="/units.html">单位列表</a><a href="/spa.html#/page/1">干部查询（新版）</a></div>
<div class="main">${body}</div><div class="foot">演示数据均为随机生成，不涉及任何真实人员。</div></body></html>`;
}

export function indexPage(units: Unit[], cadres: Cadre[]): string {
  return layout(
    '首页',
    `<h3>欢迎使用</h3><p>本系统收录 ${units.length} 个单位、${cadres.length} 名市管干部。</p>
<ul><li><a href="/roster.html">干部名册</a>（传统表格页面，GBK 编码）</li><li><a href="/profile.html?id=${esc(cadres[0]!.id)}">干部信息表</a>（表单页面）</li>
<li><a href="/spa.html#/page/1">干部查询（新版）</a>（单页应用，分页加载）</li><li><a href="/units.html">单位列表</a></li></ul>`,
  );
}

export function unitsPage(units: Unit[], counts: Map<string, number>): string {
  const rows = units
    .map(
      (u, i) =>
        `<tr><td>${i + 1}</td><td>${esc(u.code)}</td><td><a href="/roster.html?unit=${encodeURIComponent(u.code)}">${esc(u.name)}</a></td><td>${counts.get(u.code) ?? 0}</td></tr>`,
    )
    .join('');
  return layout(
    '单位列表',
    `<table class="grid"><thead><tr><th>序号</th><th>单位代码</th><th>单位名称</th><th>干部数</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/** The legacy roster: a plain table, served GBK-encoded as such systems are. */
export function rosterPage(cadres: Cadre[], unitName: (code: string) => string, unit?: Unit): Uint8Array {
  const rows = cadres
    .map(
      (c, i) =>
        `<tr><td>${i + 1}</td><td>${esc(c.id)}</td><td><a href="/profile.html?id=${encodeURIComponent(c.id)}">${esc(c.name)}</a></td><td>${GENDER[c.gender]}</td><td>${esc(c.birth)}</td><td>${esc(unitName(c.unitCode))}</td><td>${esc(c.post)}</td><td>${esc(c.rank)}</td></tr>`,
    )
    .join('');
  const title = unit ? `${unit.name} 干部名册` : '市管干部名册';
  const html = layout(
    title,
    `<h3>${esc(title)}（共 ${cadres.length} 人）</h3>
<table class="grid" id="roster"><thead><tr><th>序号</th><th>干部编号</th><th>姓名</th><th>性别</th><th>出生年月</th><th>工作单位</th><th>现任职务</th><th>职级</th></tr></thead><tbody>${rows}</tbody></table>`,
    'gbk',
  );
  return encodeGbk(html);
}

export function profilePage(c: Cadre, unit: string): string {
  return layout(
    `${c.name} 干部信息表`,
    `<h3>干部任免审批表</h3>
<table class="form">
<tr><td class="l">姓　　名</td><td>${esc(c.name)}</td><td class="l">性　　别</td><td>${GENDER[c.gender]}</td></tr>
<tr><td class="l">干部编号</td><td>${esc(c.id)}</td><td class="l">出生年月</td><td>${esc(c.birth)}</td></tr>
<tr><td class="l">工作单位</td><td colspan="3">${esc(unit)}</td></tr>
<tr><td class="l">现任职务</td><td>${esc(c.post)}</td><td class="l">职　　级</td><td>${esc(c.rank)}</td></tr>
<tr><td class="l">备　　注</td><td colspan="3"><input readonly size="40" value="${esc(c.name)}（系统自动填写）"></td></tr>
</table>`,
  );
}

/** A newer single-page list: rows arrive as JSON page by page and are rendered with textContent. */
export function spaPage(): string {
  return layout(
    '干部查询（新版）',
    `<div id="app"><div class="pager"><button id="prev">上一页</button><span id="pos"></span> <button id="next">下一页</button></div>
<table class="grid"><thead><tr><th>干部编号</th><th>姓名</th><th>工作单位</th><th>现任职务</th></tr></thead><tbody id="rows"></tbody></table></div>
<script type="module">
const rows = document.getElementById('rows');
const pos = document.getElementById('pos');
let pages = 1;
async function show() {
  const page = Math.max(1, Number((location.hash.match(/page\\/(\\d+)/) || [])[1] || 1));
  const res = await fetch('/api/cadres?page=' + page);
  const data = await res.json();
  pages = data.pages;
  rows.replaceChildren(...data.rows.map((r) => {
    const tr = document.createElement('tr');
    for (const v of [r.id, r.name, r.unit, r.post]) { const td = document.createElement('td'); td.textContent = v; tr.append(td); }
    return tr;
  }));
  pos.textContent = '第 ' + page + ' / ' + pages + ' 页';
}
document.getElementById('prev').onclick = () => { const p = Number((location.hash.match(/page\\/(\\d+)/) || [])[1] || 1); if (p > 1) location.hash = '#/page/' + (p - 1); };
document.getElementById('next').onclick = () => { const p = Number((location.hash.match(/page\\/(\\d+)/) || [])[1] || 1); if (p < pages) location.hash = '#/page/' + (p + 1); };
addEventListener('hashchange', show);
show();
</script>`,
  );
}
