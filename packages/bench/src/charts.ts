/**
 * The charts of docs/benchmarks.md, drawn with Vega-Lite and rendered to SVG by Vega in Node (no
 * browser, no canvas): one per figure (every run as a point, the median as a tick; or a line for a
 * curve) and an overview of the ratios. Files go to docs/benchmarks/<id>.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { median, type BenchResult } from './results.js';
import { curveOf, seriesOf } from './series.js';

const FONT = { font: 'Helvetica, Arial, sans-serif' };
const config = { view: { stroke: null }, axis: { labelFont: FONT.font, titleFont: FONT.font, labelLimit: 280 }, title: { font: FONT.font, anchor: 'start' as const } };

async function toSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function title(r: BenchResult): { text: string; subtitle: string } {
  const ratio = r.ratio === null ? '' : `ratio ${r.ratio.toFixed(2)}× · `;
  const met = r.met === null ? 'reported' : r.met ? 'met' : 'MISSED';
  return { text: r.id, subtitle: `${ratio}goal ${r.goal} · ${met}` };
}

function runsChart(r: BenchResult): TopLevelSpec | undefined {
  const series = seriesOf(r);
  if (series.length === 0) return undefined;
  const points = series.flatMap((s) => s.values.map((value, run) => ({ series: s.label, value, run: run + 1 })));
  const medians = series.map((s) => ({ series: s.label, value: median(s.values) }));
  const x = { field: 'value', type: 'quantitative' as const, title: r.unit, scale: { zero: r.unit !== 'ms' } };
  const y = { field: 'series', type: 'nominal' as const, title: null, sort: series.map((s) => s.label) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(r),
    width: 520,
    config,
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, opacity: 0.55, size: 60 }, encoding: { x, y, color: { field: 'series', type: 'nominal', legend: null } } },
      { data: { values: medians }, mark: { type: 'tick', thickness: 3, size: 22, color: 'black' }, encoding: { x, y } },
    ],
  };
}

function curveChart(r: BenchResult): TopLevelSpec | undefined {
  const curve = curveOf(r);
  if (curve === undefined) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: title(r),
    width: 520,
    height: 220,
    config,
    data: { values: [...curve.points] },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: curve.x },
      y: { field: 'y', type: 'quantitative', title: curve.y, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

function ratiosChart(results: readonly BenchResult[]): TopLevelSpec | undefined {
  const bars = results.filter((r) => r.ratio !== null).map((r) => ({ id: r.id, ratio: Number((r.ratio as number).toFixed(3)), goal: r.met === null ? 'reported' : r.met ? 'met' : 'missed' }));
  if (bars.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'evroute ÷ baseline, per figure (median of alternating runs)', subtitle: 'rates: higher is better; memory per reload (worker ÷ in-process): lower is better' },
    width: 520,
    config,
    layer: [
      {
        data: { values: bars },
        mark: 'bar',
        encoding: {
          y: { field: 'id', type: 'nominal', title: null, sort: null },
          x: { field: 'ratio', type: 'quantitative', title: 'ratio' },
          color: { field: 'goal', type: 'nominal', scale: { domain: ['met', 'missed', 'reported'], range: ['#4c9a2a', '#c0392b', '#7f8c8d'] } },
        },
      },
      { data: { values: [{ one: 1 }] }, mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  };
}

/** Renders every chart into `dir`; returns the file name per result id (and `ratios` for the overview). */
export async function renderCharts(results: readonly BenchResult[], dir: URL): Promise<Map<string, string>> {
  mkdirSync(dir, { recursive: true });
  const files = new Map<string, string>();
  const specs: Array<[string, TopLevelSpec | undefined]> = [['ratios', ratiosChart(results)], ...results.map((r): [string, TopLevelSpec | undefined] => [r.id, curveChart(r) ?? runsChart(r)])];
  for (const [id, spec] of specs) {
    if (spec === undefined) continue;
    writeFileSync(new URL(`${id}.svg`, dir), await toSvg(spec));
    files.set(id, `${id}.svg`);
  }
  return files;
}
