/**
 * The generated roster pages of the overlay benchmarks: a plain table of six auto-layout columns
 * (number, name, cadre number, unit, post, birth month). A helper, not a benchmark.
 */

/** One roster row; `id` (e.g. `r7`) lets a benchmark find the row again. */
export function rosterRow(i: number, name: string, unit: string, post: string, id?: string): string {
  const cells = [String(i + 1), name, `G${100000 + i}`, unit, post, `1978-0${1 + (i % 9)}`];
  return `<tr${id ? ` id="${id}"` : ''}>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

/** The page around the rows: a heading and the table `#t`. */
export function rosterPage(rows: string[]): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>roster</title>
<style>body{font:14px sans-serif;margin:8px}td{border:1px solid #ccc;padding:2px 6px}</style></head>
<body><h3>干部名册</h3><table id="t"><tbody>${rows.join('')}</tbody></table></body></html>`;
}

/** `rows` rows of the same few repeated names, one unit and one post: what costs are measured on. */
export function plainRoster(rows: number): string {
  return rosterPage(Array.from({ length: rows }, (_, i) => rosterRow(i, `王芳${i % 97}`, '县教育局', '科员')));
}
