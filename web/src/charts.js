/* Surge chart helpers, shared by the HTML report and the live dashboard.
 *
 * Needs uPlot (the global `uPlot`) and defines the global `SurgeCharts`.
 * Plain ES2017 in one IIFE, no modules, so it can be inlined in a
 * self-contained page or served as a file.
 *
 * Time charts read a "timeline": the columnar series the report embeds
 * (report.Timeline in Go) and the dashboard streams, all arrays aligned on
 * `t` (seconds since the start of the test; null where there is no value):
 *
 *   { bucket_s, t, rps, errors, dropped, in_flight, active_vus, vusers_created,
 *     latency: {p50, p95, p99}, service: {p50, p95, p99},      // milliseconds
 *     latency_ok: {p50, p95, p99},      // requests that did not fail (optional)
 *     codes: {"200": [...]}, errors_by_kind: {"ETIMEDOUT": [...]},
 *     endpoints: [{name, rps}], monitor: {"series name": [...]},
 *     marks: [{t, label, state}],       // alerts' changes of state (optional)
 *     bands: [{from, to, label}] }      // generator-bound spans (optional)
 *
 * Counts are per second. The percentile chart reads a "distribution":
 *   { x: [1/(1-q) ...], series: [{label, ms: [...], color, ok}] }
 * (color: a palette index, by default the curve's place; ok: the curve of
 * the requests that did not fail, dotted; both optional).
 *
 * Every chart shows its values in the legend on hover, zooms on drag
 * (double-click resets), and charts in one group share the cursor and zoom.
 */
(function (global) {
  'use strict';

  var COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed',
    '#0891b2', '#db2777', '#65a30d', '#475569', '#ea580c'];
  var ELAPSED_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
    3600, 7200, 10800, 21600, 43200, 86400];
  var groupSeq = 0;

  // color is a palette colour by index, or a CSS colour given as is.
  function color(i) {
    if (typeof i === 'string') return i;
    return COLORS[i % COLORS.length];
  }

  /* ---- formatting ---- */

  function sig(v, digits) {
    return String(Number(v.toPrecision(digits)));
  }

  // fmtMs formats milliseconds: 850 µs, 12.3 ms, 1.25 s.
  function fmtMs(v) {
    if (v == null || isNaN(v)) return '–';
    if (v === 0) return '0';
    if (v >= 1000) return sig(v / 1000, 3) + ' s';
    if (v >= 1) return sig(v, 3) + ' ms';
    return sig(v * 1000, 3) + ' µs';
  }

  // fmtNum formats a count or rate compactly: 950, 12.5k, 3.2M.
  function fmtNum(v) {
    if (v == null || isNaN(v)) return '–';
    var a = Math.abs(v);
    if (a >= 1e9) return sig(v / 1e9, 3) + 'G';
    if (a >= 1e6) return sig(v / 1e6, 3) + 'M';
    if (a >= 1e4) return sig(v / 1e3, 3) + 'k';
    return sig(v, 4);
  }

  function pad2(n) {
    return n < 10 ? '0' + n : String(n);
  }

  // fmtElapsed formats seconds since the start: 45s, 5m30s, 1h02m05s.
  function fmtElapsed(s) {
    if (s == null || isNaN(s)) return '–';
    if (s < 60) return sig(s, 3) + 's';
    var t = Math.round(s);
    var h = Math.floor(t / 3600);
    var m = Math.floor((t % 3600) / 60);
    var sec = t % 60;
    if (h === 0) return m + 'm' + pad2(sec) + 's';
    return h + 'h' + pad2(m) + 'm' + (sec ? pad2(sec) + 's' : '');
  }

  // fmtPercentile labels a position x = 1/(1-q) of the percentile axis:
  // 1 → 0%, 2 → 50%, 10 → 90%, 1000 → 99.9%. extra adds digits.
  function fmtPercentile(x, extra) {
    if (x == null || x <= 1) return '0%';
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2 + (extra || 0));
    return String(Number((100 * (1 - 1 / x)).toFixed(digits))) + '%';
  }

  /* ---- chart kinds: timeline → spec {title, fmt, series: [{label, values, color, dash}]} ---- */

  function keyed(map, prefix) {
    return Object.keys(map || {}).map(function (k) {
      return { label: prefix + k, values: map[k] };
    });
  }

  // okDiffers says whether the latency of the requests that did not fail
  // differs from that of every request at some point. Where nothing failed
  // the two are the same histogram, and their lines would hide each other.
  function okDiffers(tl) {
    var ok = tl.latency_ok, all = tl.latency || {};
    if (!ok) return false;
    return ['p50', 'p95', 'p99'].some(function (p) {
      var a = all[p] || [], o = ok[p] || [];
      for (var i = 0; i < o.length; i++) if (o[i] !== a[i]) return true;
      return false;
    });
  }

  // The latency of the requests that did not fail is dotted, wider than a
  // dashed line (1.25) so that the dots read, wherever it is drawn: the
  // report's latency chart and surge compare's overlay.
  var OK_DASH = [2, 3], OK_WIDTH = 2, OK_NOTE = 'dotted: requests that did not fail';

  // okLine styles a time series of that latency. Points where there is
  // room (uPlot's own rule): a second between two gaps has no line to
  // draw, only its point.
  function okLine(s) {
    return { label: s.label, values: s.values, color: s.color, dash: OK_DASH, width: OK_WIDTH, points: {} };
  }

  function latencySpec(tl) {
    var series = [];
    var ok = okDiffers(tl) ? tl.latency_ok : null;
    // One colour per percentile; service time dashed in the same colour,
    // the requests that did not fail dotted (fast failures pull the
    // solid line down; a gap where none succeeded).
    [['p50', 0], ['p95', 3], ['p99', 1]].forEach(function (pc) {
      var p = pc[0];
      series.push({ label: p, values: (tl.latency || {})[p], color: pc[1] });
      series.push({ label: p + ' service', values: (tl.service || {})[p], color: pc[1], dash: [6, 4] });
      if (ok) series.push(okLine({ label: p + ' ok', values: ok[p], color: pc[1] }));
    });
    return { title: 'Latency (corrected for coordinated omission; dashed: service time' +
      (ok ? '; ' + OK_NOTE : '') + ')', fmt: fmtMs, series: series };
  }

  function rpsSpec(tl) {
    var series = [{ label: 'total', values: tl.rps }];
    if ((tl.endpoints || []).length > 1) {
      tl.endpoints.forEach(function (e) {
        series.push({ label: e.name, values: e.rps });
      });
    }
    return { title: 'Requests per second', fmt: fmtNum, series: series };
  }

  function errorsSpec(tl) {
    var series = keyed(tl.errors_by_kind, '');
    if (series.length === 0) series = [{ label: 'errors', values: tl.errors }];
    return { title: 'Errors per second, by kind', fmt: fmtNum, series: series };
  }

  var KINDS = {
    rps: rpsSpec,
    latency: latencySpec,
    vus: function (tl) {
      return { title: 'Virtual users', fmt: fmtNum, series: [
        { label: 'active', values: tl.active_vus },
        { label: 'started per second', values: tl.vusers_created }] };
    },
    inflight: function (tl) {
      return { title: 'Requests in flight', fmt: fmtNum, series: [{ label: 'in flight', values: tl.in_flight }] };
    },
    errors: errorsSpec,
    codes: function (tl) {
      return { title: 'Responses per second, by status code', fmt: fmtNum, series: keyed(tl.codes, '') };
    },
    // overlay: lines of several runs on one time axis (surge compare's
    // page): tl.overlay = [{label, values, color, dash, ok}], milliseconds;
    // ok marks a line of the requests that did not fail.
    overlay: function (tl) {
      var lines = tl.overlay || [];
      var ok = lines.some(function (l) { return l.ok; });
      return { title: 'Latency over time, run by run' + (ok ? ' (' + OK_NOTE + ')' : ''), fmt: fmtMs,
        series: lines.map(function (l) { return l.ok ? okLine(l) : l; }) };
    },
    dropped: function (tl) {
      return { title: 'Dropped arrivals per second (maxVusers reached, or no free connection in time)', fmt: fmtNum,
        series: [{ label: 'dropped', values: tl.dropped }] };
    },
  };

  function monitorSpec(name) {
    return function (tl) {
      return { title: 'Target: ' + name, fmt: fmtNum, series: [{ label: name, values: (tl.monitor || {})[name] }] };
    };
  }

  /* ---- groups: shared cursor, zoom and resizing ---- */

  function Group() {
    this.key = 'surge-' + (++groupSeq);
    this.members = [];
    this.busy = false;
    var self = this;
    var pending = false;
    global.addEventListener('resize', function () {
      if (pending) return;
      pending = true;
      global.requestAnimationFrame(function () {
        pending = false;
        self.resize();
      });
    });
  }

  Group.prototype.resize = function () {
    this.members.forEach(function (m) {
      if (m.plot) m.plot.setSize({ width: widthOf(m.el), height: m.plot.height });
    });
  };

  // zoom copies the x range of one chart to the others.
  Group.prototype.zoom = function (from) {
    if (this.busy) return;
    this.busy = true;
    var x = from.scales.x;
    this.members.forEach(function (m) {
      var p = m.plot;
      if (p && p !== from && (p.scales.x.min !== x.min || p.scales.x.max !== x.max)) {
        p.setScale('x', { min: x.min, max: x.max });
      }
    });
    this.busy = false;
  };

  function widthOf(el) {
    return Math.max(el.clientWidth || 0, 300);
  }

  /* ---- time charts ---- */

  function seriesOpts(fmt) {
    return function (s, i) {
      var o = { label: s.label, stroke: color(s.color == null ? i : s.color), width: s.width || (s.dash ? 1.25 : 1.5),
        dash: s.dash, points: s.points || { show: false },
        value: function (u, v) { return fmt(v); } };
      if (s.stepped && global.uPlot.paths && global.uPlot.paths.stepped) o.paths = global.uPlot.paths.stepped({ align: 1 });
      return o;
    };
  }

  function axisValues(fmt) {
    return function (u, splits) {
      return splits.map(function (v) { return v == null ? '' : fmt(v); });
    };
  }

  // drawBand shades the span [m.t, m.until] of a mark that has one.
  function drawBand(u, m) {
    var b = u.bbox;
    var x0 = Math.max(b.left, u.valToPos(m.t, 'x', true));
    var x1 = Math.min(b.left + b.width, u.valToPos(m.until, 'x', true));
    if (x1 <= x0) return;
    u.ctx.fillStyle = m.band || 'rgba(220, 38, 38, 0.08)';
    u.ctx.fillRect(x0, b.top, x1 - x0, b.height);
  }

  // drawMarks draws the chart's bands (the seconds in which Surge itself
  // was the bottleneck) as red shading, and its marks (alerts' changes of
  // state, scaling events) as dashed vertical lines: the mark's colour if
  // it has one, else red entering ALARM and grey otherwise; a mark with
  // an end (until) is a shaded band of its own colour instead.
  function drawMarks(chart) {
    return function (u) {
      var b = u.bbox;
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(220, 38, 38, 0.12)';
      (chart.bands || []).forEach(function (band) {
        var x0 = Math.max(b.left, u.valToPos(band.from, 'x', true));
        var x1 = Math.min(b.left + b.width, u.valToPos(band.to, 'x', true));
        if (x1 > x0) ctx.fillRect(x0, b.top, x1 - x0, b.height);
      });
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      (chart.marks || []).forEach(function (m) {
        if (m.until != null) {
          drawBand(u, m);
          return;
        }
        var x = Math.round(u.valToPos(m.t, 'x', true));
        if (!(x >= b.left && x <= b.left + b.width)) return;
        ctx.strokeStyle = m.color || (m.state === 'ALARM' ? '#dc2626' : '#64748b');
        ctx.beginPath();
        ctx.moveTo(x, b.top);
        ctx.lineTo(x, b.top + b.height);
        ctx.stroke();
      });
      ctx.restore();
    };
  }

  function timeOpts(spec, el, group, chart) {
    return {
      title: spec.title, width: widthOf(el), height: spec.height || 220,
      cursor: { sync: { key: group.key }, drag: { x: true, y: false } },
      scales: { x: { time: false } },
      axes: [{ values: axisValues(fmtElapsed), incrs: ELAPSED_INCRS, space: 60 },
        { values: axisValues(spec.fmt), size: 64 }],
      series: [{ label: 'elapsed', value: function (u, v) { return fmtElapsed(v); } }]
        .concat(spec.series.map(seriesOpts(spec.fmt))),
      hooks: { setScale: [function (u, key) { if (key === 'x') group.zoom(u); }], draw: [drawMarks(chart)] },
    };
  }

  function columns(tl, spec) {
    var n = (tl.t || []).length;
    return [tl.t || []].concat(spec.series.map(function (s) {
      return s.values || new Array(n).fill(null);
    }));
  }

  function labelsOf(spec) {
    return spec.series.map(function (s) { return s.label; }).join('\u0000');
  }

  // TimeChart draws one kind of chart and redraws it on update(timeline).
  function TimeChart(el, makeSpec, tl, group) {
    this.el = el;
    this.makeSpec = makeSpec;
    this.group = group;
    this.plot = null;
    this.labels = null;
    group.members.push(this);
    this.update(tl);
  }

  TimeChart.prototype.update = function (tl) {
    this.marks = tl.marks || [];
    this.bands = tl.bands || [];
    var spec = this.makeSpec(tl);
    var data = columns(tl, spec);
    var labels = labelsOf(spec);
    if (this.plot && labels === this.labels) {
      this.plot.setData(data);
      return;
    }
    if (this.plot) this.plot.destroy();
    this.labels = labels;
    this.plot = new global.uPlot(timeOpts(spec, this.el, this.group, this), data, this.el);
  };

  TimeChart.prototype.destroy = function () {
    if (this.plot) this.plot.destroy();
    this.plot = null;
  };

  /* ---- percentile distribution ---- */

  // decades returns the powers of ten in [min, max] for the log x axis.
  function decades(u, axisIdx, min, max) {
    var out = [];
    for (var v = 1; v <= max * 1.0001; v *= 10) {
      if (v >= min / 1.0001) out.push(v);
    }
    return out;
  }

  // curveDash is a percentile curve's dash: dotted for the requests that
  // did not fail (s.ok); the report's second curve, service time, dashed.
  // Curves with a colour of their own (surge compare's overlay, one per
  // run) have no service time among them.
  function curveDash(s, i) {
    if (s.ok) return OK_DASH;
    return s.color == null && i === 1 ? [6, 4] : undefined;
  }

  function percentileOpts(el, dist) {
    var ok = dist.series.some(function (s) { return s.ok; });
    return {
      title: 'Latency by percentile' + (ok ? ' (' + OK_NOTE + ')' : ''), width: widthOf(el), height: 300,
      cursor: { drag: { x: true, y: false } },
      scales: { x: { time: false, distr: 3, log: 10, range: function (u, min, max) { return [1, max]; } } },
      axes: [{ splits: decades, values: axisValues(fmtPercentile), space: 40 },
        { values: axisValues(fmtMs), size: 64 }],
      series: [{ label: 'percentile', value: function (u, v) { return fmtPercentile(v, 1); } }]
        .concat(dist.series.map(function (s, i) {
          return { label: s.label, stroke: color(s.color == null ? i : s.color), width: s.ok ? OK_WIDTH : 1.5, dash: curveDash(s, i),
            points: { show: false }, value: function (u, v) { return fmtMs(v); } };
        })),
    };
  }

  // PercentileChart plots latency against percentile on the HdrHistogram
  // log axis 1/(1-q), where each decade is one more nine.
  function PercentileChart(el, dist) {
    this.el = el;
    this.plot = null;
    this.update(dist);
  }

  PercentileChart.prototype.update = function (dist) {
    if (this.plot) this.plot.destroy();
    var data = [dist.x].concat(dist.series.map(function (s) { return s.ms; }));
    this.plot = new global.uPlot(percentileOpts(this.el, dist), data, this.el);
  };

  PercentileChart.prototype.destroy = TimeChart.prototype.destroy;

  /* ---- API ---- */

  global.SurgeCharts = {
    kinds: Object.keys(KINDS),
    // group returns a new set of charts sharing cursor, zoom and resizing.
    group: function () { return new Group(); },
    // timeChart draws a chart of the given kind (see kinds) into el.
    timeChart: function (el, kind, tl, group) {
      if (!KINDS[kind]) throw new Error('SurgeCharts: unknown chart kind ' + kind);
      return new TimeChart(el, KINDS[kind], tl, group || new Group());
    },
    // monitorChart draws one target-side series of tl.monitor.
    monitorChart: function (el, name, tl, group) {
      return new TimeChart(el, monitorSpec(name), tl, group || new Group());
    },
    // specChart draws the chart makeSpec(tl) describes: {title, fmt,
    // height, series: [{label, values, color, dash, width, stepped,
    // points}]} (points: uPlot's series.points; default none).
    specChart: function (el, makeSpec, tl, group) {
      return new TimeChart(el, makeSpec, tl, group || new Group());
    },
    // percentileChart draws a latency distribution.
    percentileChart: function (el, dist) { return new PercentileChart(el, dist); },
    format: { ms: fmtMs, num: fmtNum, elapsed: fmtElapsed, percentile: fmtPercentile },
  };
})(typeof window !== 'undefined' ? window : this);
