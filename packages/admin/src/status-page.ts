/**
 * The live status page served at the admin server's `/`: one self-contained HTML document (inline CSS
 * and script, no fonts, images or scripts from anywhere else) showing readiness, counters, a throughput
 * chart over the last minutes, the alerts, the routes, the plugins and the breakers. The
 * Content-Security-Policy allows exactly the inline style and script below (by hash) and requests to
 * this server.
 */
import { createHash } from 'node:crypto';
import { STATUS_PAGE_SCRIPT } from './status-page-script.js';

const STYLE = `
:root { --bg: #f6f7f9; --card: #fff; --ink: #1d2430; --muted: #6b7585; --line: #e3e6eb; --ok: #1f8a4c; --warn: #b7791f; --bad: #c53030; --in: #2b6cb0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; background: #1d2430; color: #fff; }
header h1 { margin: 0; font-size: 18px; letter-spacing: .5px; }
header .meta { color: #c3cad6; font-size: 13px; }
header .updated { margin-left: auto; color: #93a0b4; font-size: 12px; }
main { padding: 18px 24px 32px; display: grid; gap: 16px; grid-template-columns: repeat(12, 1fr); max-width: 1400px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; grid-column: span 12; min-width: 0; }
section.half { grid-column: span 6; }
@media (max-width: 1000px) { section.half { grid-column: span 12; } }
h2 { margin: 0 0 10px; font-size: 14px; font-weight: 600; display: flex; align-items: center; gap: 8px; }
#tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; background: none; border: 0; padding: 0; }
.tile { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.tile .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
.tile .value { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .sub { color: var(--muted); font-size: 12px; }
.tile.alarm .value { color: var(--bad); }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th { text-align: left; font-size: 12px; color: var(--muted); font-weight: 600; border-bottom: 1px solid var(--line); padding: 4px 8px; }
td { padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
td.num, th.num { text-align: right; }
td.name { white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
td.muted { color: var(--muted); }
td.empty { color: var(--muted); font-style: italic; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.pill.ok { background: #e3f4ea; color: var(--ok); }
.pill.warn { background: #fbf0dc; color: var(--warn); }
.pill.bad { background: #fbe4e4; color: var(--bad); }
.pill.muted { background: #eceef1; color: var(--muted); }
#banner { grid-column: span 12; background: #fbe4e4; color: var(--bad); border: 1px solid #f0b8b8; border-radius: 8px; padding: 10px 14px; }
#chart { width: 100%; height: auto; display: block; }
#chart .grid { stroke: var(--line); }
#chart .axis { fill: var(--muted); font-size: 11px; }
#chart .line { fill: none; stroke-width: 2; }
#chart .c-in { stroke: var(--in); }
#chart .c-ok { stroke: var(--ok); }
#chart .c-bad { stroke: var(--bad); }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin-left: auto; font-weight: 400; }
.legend i { display: inline-block; width: 10px; height: 3px; margin-right: 5px; vertical-align: middle; }
.legend .c-in { background: var(--in); } .legend .c-ok { background: var(--ok); } .legend .c-bad { background: var(--bad); }
`;

const BODY = `
<header>
  <h1>evroute</h1>
  <span id="ready"><span class="pill muted">loading</span></span>
  <span class="meta" id="meta"></span>
  <span class="updated" id="updated"></span>
</header>
<main>
  <div id="banner" hidden></div>
  <section id="tiles" aria-label="counters"></section>
  <section class="half">
    <h2>Throughput <span class="legend"><span><i class="c-in"></i>in</span><span><i class="c-ok"></i>processed</span><span><i class="c-bad"></i>failed</span></span></h2>
    <svg id="chart" viewBox="0 0 720 240" role="img" aria-label="events per second over the last minutes"></svg>
  </section>
  <section class="half">
    <h2>Alerts <span id="alerts-count"></span></h2>
    <table><thead><tr><th>alert</th><th>severity</th><th>state</th><th class="num">value / threshold</th><th>summary</th></tr></thead><tbody id="alerts"></tbody></table>
  </section>
  <section>
    <h2>Routes</h2>
    <table><thead><tr><th>id</th><th>domain:type</th><th>plugin</th><th class="num">priority</th><th>state</th><th class="num">processed</th><th class="num">failed</th><th>breaker</th></tr></thead><tbody id="routes"></tbody></table>
  </section>
  <section class="half">
    <h2>Plugins</h2>
    <table><thead><tr><th>name</th><th>version</th><th>aliases</th><th>routes / last error</th><th>state</th></tr></thead><tbody id="plugins"></tbody></table>
  </section>
  <section class="half">
    <h2>Circuit breakers</h2>
    <table><thead><tr><th>route</th><th>plugin</th><th>state</th></tr></thead><tbody id="breakers"></tbody></table>
  </section>
</main>
`;

const hash = (text: string): string => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: its own inline style and script (by hash) and this server only. */
export const STATUS_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hash(STATUS_PAGE_SCRIPT)}`,
  `style-src ${hash(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The whole page. */
export const STATUS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>evroute status</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>${BODY}<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;
