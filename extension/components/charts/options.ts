import type { Drill } from '../../../core/analysis/picture.ts';
import type { Colour } from '../../../core/model/vocabulary.ts';
import type { BarSeriesOption, ChartOption } from './echarts.ts';

/**
 * Bar charts as ECharts options, from plain numbers: pure, so the pages, the Word report and the
 * benchmark build the same charts. Colour is never the only signal (WCAG 1.4.1): every
 * series also has its own fill pattern (ECharts "decal"), the dot colours the shape of their glyph
 * (● circles, ○ stripes, ▲ triangles, ■ cross-hatch), values are printed on the bars, and every
 * chart has a data table beside it.
 */

export interface Palette {
  dots: Record<Colour, string>;
  /** For series that are not dot colours (grades, stages, states), in order. */
  series: string[];
  text: string;
  soft: string;
  grid: string;
  background: string;
}

/** For paper (the Word report) and the light theme. Dot colours as theme.css: ≥ 3:1 on white. */
export const PAPER: Palette = {
  dots: { red: '#c8102e', blue: '#1f5fbf', yellow: '#9a7400', black: '#1d1d1f' },
  series: ['#1a7f37', '#1f5fbf', '#b76e00', '#b42318', '#6e40c9', '#4e5969'],
  text: '#1d2129',
  soft: '#4e5969',
  grid: '#d0d4db',
  background: '#ffffff',
};

type Decal = NonNullable<NonNullable<BarSeriesOption['itemStyle']>['decal']>;
const light = 'rgba(255,255,255,0.75)';
const dark = 'rgba(0,0,0,0.45)';

export const DOT_DECALS: Record<Colour, Decal> = {
  red: { symbol: 'circle', symbolSize: 0.5, color: light, dashArrayX: 6, dashArrayY: 6 },
  blue: { symbol: 'rect', color: light, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4 },
  yellow: { symbol: 'triangle', symbolSize: 0.7, color: light, dashArrayX: 7, dashArrayY: 7 },
  black: { symbol: 'rect', color: light, dashArrayX: [1, 0], dashArrayY: [1, 3], rotation: -Math.PI / 4 },
};
const SERIES_DECALS: Decal[] = [
  { symbol: 'none' },
  { symbol: 'rect', color: light, dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: Math.PI / 4 },
  { symbol: 'circle', symbolSize: 0.5, color: light, dashArrayX: 6, dashArrayY: 6 },
  { symbol: 'rect', color: light, dashArrayX: [1, 0], dashArrayY: [1, 3], rotation: -Math.PI / 4 },
  { symbol: 'triangle', symbolSize: 0.7, color: light, dashArrayX: 7, dashArrayY: 7 },
  { symbol: 'diamond', symbolSize: 0.6, color: dark, dashArrayX: 7, dashArrayY: 7 },
];

export interface BarSeries {
  name: string;
  values: number[];
  /** A dot colour (its colour and pattern), or none: the n-th series colour and pattern. */
  colour?: Colour;
  stack?: string;
}

export interface BarSpec {
  categories: string[];
  series: BarSeries[];
  /** Categories down the side (long names: units, kinds, items). */
  horizontal?: boolean;
  /** One sentence for the chart's accessible name (the data table has the numbers). */
  description: string;
}

export function barOption(spec: BarSpec, palette: Palette = PAPER): ChartOption {
  const horizontal = spec.horizontal ?? false;
  const category = {
    type: 'category' as const,
    data: spec.categories,
    axisLabel: {
      color: palette.text,
      interval: 0,
      ...(horizontal ? { width: 150, overflow: 'truncate' as const } : { hideOverlap: true }),
    },
    axisLine: { lineStyle: { color: palette.grid } },
    ...(horizontal ? { inverse: true } : {}),
  };
  const value = {
    type: 'value' as const,
    minInterval: 1,
    axisLabel: { color: palette.soft },
    splitLine: { lineStyle: { color: palette.grid } },
  };
  const stacked = spec.series.some((s) => s.stack);
  return {
    backgroundColor: 'transparent',
    // Single quotes: the SVG renderer writes this into a style attribute (the report's images).
    textStyle: {
      fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
    },
    aria: { enabled: true, label: { enabled: true, description: spec.description }, decal: { show: true } },
    legend: { show: spec.series.length > 1, top: 0, textStyle: { color: palette.text } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    // ECharts 6 keeps axis labels inside the chart by default (grid.outerBoundsMode 'auto').
    grid: { left: 8, right: 24, top: spec.series.length > 1 ? 32 : 12, bottom: 8 },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? category : value,
    series: spec.series.map((s, i): BarSeriesOption => ({
      type: 'bar',
      name: s.name,
      data: s.values,
      ...(s.stack ? { stack: s.stack } : {}),
      barMaxWidth: 28,
      itemStyle: {
        color: s.colour ? palette.dots[s.colour] : palette.series[i % palette.series.length],
        decal: s.colour ? DOT_DECALS[s.colour] : SERIES_DECALS[i % SERIES_DECALS.length]!,
      },
      // Numbers on the bars: no need to read a value off an axis or tell colours apart.
      label: {
        show: true,
        position: stacked ? 'inside' : horizontal ? 'right' : 'top',
        color: stacked ? '#ffffff' : palette.text,
        formatter: (p: { value: unknown }) => (Number(p.value) > 0 ? String(p.value) : ''),
      },
      emphasis: { focus: 'series' },
    })),
  };
}

/** Height for a horizontal chart of `n` categories (readable labels, no scrolling inside). */
export const heightFor = (n: number, horizontal: boolean) => (horizontal ? Math.max(160, 40 + n * 26) : 280);

/** The numbers of a chart as a table; a cell with people behind it drills down to them. */
export interface DataTable {
  columns: string[];
  rows: { label: string; cells: { value: number | string; drill?: Drill; what?: string }[] }[];
}
