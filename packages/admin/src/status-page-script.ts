/**
 * The status page's browser script, inlined into the page (no external network at run time). It polls
 * `/status` and `/stats/history` every 2 s and renders with DOM APIs only (`textContent`, never HTML
 * from data). Plain ES2020 in a string: no template literals inside, so it embeds as is.
 */
export const STATUS_PAGE_SCRIPT = String.raw`
'use strict';
(function () {
  var POLL_MS = 2000;
  var $ = function (id) { return document.getElementById(id); };
  var fmt = new Intl.NumberFormat('en-US');
  var num = function (n) { return fmt.format(Math.round(n)); };
  var rate = function (n) { return (n >= 100 ? Math.round(n) : Math.round(n * 10) / 10) + '/s'; };
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function pill(text, kind) { return el('span', 'pill ' + kind, text); }
  function duration(s) {
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    if (d) return d + 'd ' + h + 'h';
    if (h) return h + 'h ' + m + 'm';
    return m + 'm ' + (s % 60) + 's';
  }
  function fillTable(id, rows, empty) {
    var body = $(id);
    body.replaceChildren();
    if (rows.length === 0) {
      var tr = el('tr'), td = el('td', 'empty', empty);
      td.colSpan = body.parentElement.querySelectorAll('th').length;
      tr.appendChild(td);
      body.appendChild(tr);
      return;
    }
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) {
        var td = el('td');
        if (c && c.cell) { td.className = c.cls; if (c.title) td.title = c.title; c = c.cell; }
        if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? '' : typeof c === 'number' ? num(c) : String(c);
        if (typeof c === 'number') td.className = 'num';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  var breakerKind = { closed: 'ok', 'half-open': 'warn', open: 'bad' };
  var alertKind = { inactive: 'muted', pending: 'warn', firing: 'bad' };

  function renderStatus(s) {
    var ready = $('ready');
    ready.replaceChildren(s.ready.ready ? pill('ready', 'ok') : pill('not ready: ' + s.ready.failing.join(', '), 'bad'));
    $('meta').textContent = 'routing table v' + s.config.version + ' \u00b7 core ' + s.coreVersion + ' \u00b7 up ' + duration(s.uptimeSeconds);
    var failed = 0, processed = 0;
    Object.keys(s.stats.failedByRoute).forEach(function (k) { failed += s.stats.failedByRoute[k]; });
    Object.keys(s.stats.processedByRoute).forEach(function (k) { processed += s.stats.processedByRoute[k]; });
    var tiles = [
      ['Received', num(s.stats.received), rate(s.throughput.inPerSecond)],
      ['Processed', num(processed), rate(s.throughput.processedPerSecond)],
      ['Failed', num(failed), rate(s.throughput.failedPerSecond)],
      ['Dead letters', num(s.stats.deadLettered), rate(s.throughput.deadLetteredPerSecond)],
      ['In flight', num(s.stats.inFlight), 'parked ' + num(s.stats.parked || 0)],
      ['Routes', s.config.enabled + ' / ' + s.config.routes, s.config.paused + ' paused \u00b7 ' + s.config.refused + ' refused'],
    ];
    var box = $('tiles');
    box.replaceChildren();
    tiles.forEach(function (t) {
      var d = el('div', 'tile' + (t[0] === 'Failed' && failed > 0 || t[0] === 'Dead letters' && s.stats.deadLettered > 0 ? ' alarm' : ''));
      d.appendChild(el('div', 'label', t[0]));
      d.appendChild(el('div', 'value', t[1]));
      d.appendChild(el('div', 'sub', t[2]));
      box.appendChild(d);
    });
    fillTable('routes', s.routes.map(function (r) {
      var state = r.paused ? pill('paused', 'warn') : r.enabled ? pill('enabled', 'ok') : pill('disabled', 'muted');
      return [r.id, r.key, r.plugin ? r.plugin + '@' + r.pluginVersion : r.processor, { cell: String(r.priority), cls: 'num' }, state, r.processed, r.failed,
        r.breaker ? pill(r.breaker, breakerKind[r.breaker]) : '\u2014'];
    }), 'no routes in the live table');
    var plugins = s.plugins.registered.map(function (p) {
      return [p.name, p.version, p.aliases.join(', '), p.routes.length ? p.routes.join(', ') : '\u2014', pill('registered', 'ok')];
    });
    (s.plugins.bundles || []).forEach(function (b) {
      var kind = b.lastError ? 'bad' : b.state === 'loaded' ? 'ok' : 'muted';
      plugins.push([b.name || '?', b.version || '?', '', b.lastError ? b.lastError.message : '', pill('bundle ' + (b.state || '?'), kind)]);
    });
    fillTable('plugins', plugins, 'no plugins registered');
    fillTable('breakers', s.breakers.map(function (b) { return [b.route, b.plugin, pill(b.state, breakerKind[b.state])]; }), 'no circuit breakers yet');
    var firing = s.alerts.filter(function (a) { return a.state === 'firing'; }).length;
    $('alerts-count').replaceChildren(firing ? pill(firing + ' firing', 'bad') : pill('all clear', 'ok'));
    var short = function (v) { return v === null ? '\u2014' : String(Math.round(v * 1000) / 1000); };
    fillTable('alerts', s.alerts.map(function (a) {
      return [{ cell: a.name, cls: 'name', title: a.description }, pill(a.severity, a.severity === 'critical' ? 'bad' : 'warn'), pill(a.state, alertKind[a.state]),
        { cell: short(a.value) + ' / ' + short(a.threshold), cls: 'num' },
        a.state === 'inactive' ? { cell: 'within threshold over ' + a.windowSeconds + ' s', cls: 'muted' } : a.summary];
    }), 'alerts are disabled');
  }

  var SERIES = [['inPerSecond', 'in', 'c-in'], ['processedPerSecond', 'processed', 'c-ok'], ['failedPerSecond', 'failed', 'c-bad']];
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }
  function renderChart(h) {
    var chart = $('chart'), W = 720, H = 240, L = 44, B = 20;
    chart.replaceChildren();
    var samples = h.samples;
    var max = 1;
    samples.forEach(function (p) { SERIES.forEach(function (s) { if (p[s[0]] > max) max = p[s[0]]; }); });
    var step = Math.pow(10, Math.floor(Math.log10(max)));
    max = Math.ceil(max / step) * step;
    [0, 0.5, 1].forEach(function (f) {
      var y = H - B - f * (H - B - 8);
      chart.appendChild(svg('line', { x1: L, x2: W, y1: y, y2: y, class: 'grid' }));
      var t = svg('text', { x: L - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' });
      t.textContent = String(Math.round(max * f * 10) / 10);
      chart.appendChild(t);
    });
    var span = Math.max(samples.length - 1, 1) * h.intervalSeconds;
    var left = svg('text', { x: L, y: H - 4, class: 'axis' });
    left.textContent = '\u2212' + Math.round(span) + ' s';
    var right = svg('text', { x: W, y: H - 4, class: 'axis', 'text-anchor': 'end' });
    right.textContent = 'now (events/s)';
    chart.appendChild(left);
    chart.appendChild(right);
    if (samples.length < 2) return;
    SERIES.forEach(function (s) {
      var d = samples.map(function (p, i) {
        var x = L + i * (W - L) / (samples.length - 1), y = H - B - p[s[0]] / max * (H - B - 8);
        return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
      }).join(' ');
      chart.appendChild(svg('path', { d: d, class: 'line ' + s[2], 'data-series': s[1] }));
    });
  }

  function poll() {
    Promise.all([fetch('status'), fetch('stats/history')]).then(function (rs) {
      if (!rs[0].ok || !rs[1].ok) throw new Error('HTTP ' + rs[0].status + '/' + rs[1].status);
      return Promise.all([rs[0].json(), rs[1].json()]);
    }).then(function (data) {
      renderStatus(data[0]);
      renderChart(data[1]);
      $('banner').hidden = true;
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.dataset.loaded = 'true';
    }).catch(function (e) {
      $('banner').hidden = false;
      $('banner').textContent = 'The admin API cannot be reached (' + e.message + '); retrying every ' + POLL_MS / 1000 + ' s.';
    }).finally(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;
