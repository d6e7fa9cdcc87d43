/* Surge live dashboard: follows /api/events (server-sent events), keeps
 * the timeline the charts draw, fills the statistics and errors tables,
 * and sends the controls to the API. Needs uPlot, charts.js and story.js.
 * Exposes window.SurgeDashboard for tests: {seq, timeline, frames, charts,
 * story, last, showState}.
 */
(function () {
  'use strict';

  var KINDS = ['rps', 'latency', 'vus', 'inflight', 'errors', 'dropped'];
  var fmt = SurgeCharts.format;
  var state = { seq: 0, timeline: null, frames: 0, charts: {}, monitorCharts: {}, group: SurgeCharts.group(), last: null };
  window.SurgeDashboard = state;

  function $(id) { return document.getElementById(id); }

  /* ---- timeline ---- */

  function emptyTimeline() {
    return { bucket_s: 1, t: [], rps: [], errors: [], dropped: [], in_flight: [], active_vus: [],
      vusers_created: [], latency: { p50: [], p95: [], p99: [] }, service: { p50: [], p95: [], p99: [] },
      latency_ok: { p50: [], p95: [], p99: [] }, codes: {}, errors_by_kind: {}, endpoints: [], monitor: {} };
  }

  // appendMap appends the one-point series of src to dst, padding series
  // that are new (or missing from this point) with nulls.
  function appendMap(dst, src, n) {
    src = src || {};
    Object.keys(src).forEach(function (k) {
      if (!dst[k]) dst[k] = new Array(n).fill(null);
    });
    Object.keys(dst).forEach(function (k) {
      dst[k].push(src[k] ? src[k][0] : null);
    });
  }

  function appendPoint(tl, p) {
    var n = tl.t.length;
    ['t', 'rps', 'errors', 'dropped', 'in_flight', 'active_vus', 'vusers_created'].forEach(function (k) {
      tl[k].push(p[k] && p[k].length ? p[k][0] : null);
    });
    // A history without latency_ok (none recorded) gets gaps before it.
    if (!tl.latency_ok) tl.latency_ok = { p50: new Array(n).fill(null), p95: new Array(n).fill(null), p99: new Array(n).fill(null) };
    ['p50', 'p95', 'p99'].forEach(function (q) {
      tl.latency[q].push(p.latency[q][0]);
      tl.service[q].push(p.service[q][0]);
      tl.latency_ok[q].push(p.latency_ok ? p.latency_ok[q][0] : null);
    });
    appendMap(tl.codes, p.codes, n);
    appendMap(tl.errors_by_kind, p.errors_by_kind, n);
    tl.monitor = tl.monitor || {};
    appendMap(tl.monitor, p.monitor, n);
  }

  /* ---- charts ---- */

  function drawCharts() {
    var tl = state.timeline;
    if (!tl || !tl.t.length) return;
    KINDS.forEach(function (kind) {
      if (state.charts[kind]) state.charts[kind].update(tl);
      else state.charts[kind] = SurgeCharts.timeChart($('chart-' + kind), kind, tl, state.group);
    });
    Object.keys(tl.monitor || {}).forEach(function (name) {
      if (state.monitorCharts[name]) { state.monitorCharts[name].update(tl); return; }
      var box = document.createElement('div');
      box.className = 'chart';
      box.setAttribute('data-monitor', name);
      $('monitor-charts').appendChild(box);
      state.monitorCharts[name] = SurgeCharts.monitorChart(box, name, tl, state.group);
    });
  }

  // drawStory shows the scaling story the frame carries (report/story in
  // Go), when the test monitors a Lambda function or a fleet.
  function drawStory(st) {
    if (!st || !window.SurgeStory) return;
    $('story').hidden = false;
    $('story-title').textContent = 'Scaling story: ' + st.title;
    $('story-sentence').textContent = st.sentence;
    $('story-sentence').className = 'story-sentence' + (st.gap ? '' : ' calm');
    if (state.story) state.story.update(st);
    else state.story = SurgeStory.render($('story-charts'), st);
  }

  function resetStory() {
    if (state.story) state.story.charts.forEach(function (c) { c.destroy(); });
    state.story = null;
    $('story-charts').textContent = '';
    $('story').hidden = true;
  }

  function resetCharts() {
    resetStory();
    Object.keys(state.charts).forEach(function (k) { state.charts[k].destroy(); });
    Object.keys(state.monitorCharts).forEach(function (k) { state.monitorCharts[k].destroy(); });
    $('monitor-charts').textContent = '';
    state.charts = {};
    state.monitorCharts = {};
    state.group = SurgeCharts.group();
    state.timeline = emptyTimeline();
  }

  /* ---- tables and tiles ---- */

  function cell(tr, text) {
    var td = document.createElement('td');
    td.textContent = text;
    tr.appendChild(td);
  }

  function fillStats(rows) {
    var body = $('stats').tBodies[0];
    body.textContent = '';
    (rows || []).forEach(function (r) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-endpoint', r.name);
      // rps is the last second's (null once the test has ended). An
      // endpoint not called has no latency: its zeros are not measured,
      // so they show as – (the summary's and the report's mark).
      var lat = function (v) { return r.requests > 0 ? fmt.ms(v) : '–'; };
      [r.name, fmt.num(r.requests), withRate(r.failures, r.failure_rate_pct, r.requests), lat(r.median_ms), lat(r.p95_ms),
        lat(r.p99_ms), lat(r.max_ms)].concat(okCells(r.latency_ok),
        [fmt.num(r.rps), fmt.num(r.avg_rps), fmt.num(r.bytes_received)])
        .forEach(function (v) { cell(tr, v); });
      body.appendChild(tr);
    });
  }

  // okCells is the median, p95 and p99 of the requests that did not fail:
  // null when none did, shown as – (the latency of nothing, not 0).
  function okCells(ok) {
    if (!ok) return ['–', '–', '–'];
    return [fmt.ms(ok.p50_ms), fmt.ms(ok.p95_ms), fmt.ms(ok.p99_ms)];
  }

  // fillErrors shows one row per endpoint and kind, most frequent first;
  // the server bounds the rows and says how many it left out.
  function fillErrors(groups, leftOut) {
    var body = $('errors').tBodies[0];
    body.textContent = '';
    (groups || []).forEach(function (g) {
      var tr = document.createElement('tr');
      [g.endpoint, g.kind, g.message, fmt.num(g.count), new Date(g.last_seen).toLocaleTimeString()]
        .forEach(function (v) { cell(tr, v); });
      body.appendChild(tr);
    });
    $('errors-left-out').textContent = leftOut ? leftOut + ' more endpoint and kind pairs not shown' : '';
  }

  function fillVerdicts(vs) {
    var box = $('verdicts');
    box.textContent = '';
    (vs || []).forEach(function (v) {
      var div = document.createElement('div');
      var state = v.no_data ? 'nodata' : v.pass ? 'pass' : 'fail';
      div.className = 'verdict ' + state;
      div.textContent = {nodata: 'no data: ', pass: 'ok: ', fail: 'fail: '}[state] + v.name + ' ' + v.threshold +
        ' (actual ' + v.actual + ')';
      box.appendChild(div);
    });
  }

  // fillAlerts shows the alerts' changes of state, newest first, and marks
  // them on the charts.
  function fillAlerts(evs, total) {
    var box = $('alerts');
    box.textContent = '';
    evs = evs || [];
    evs.slice().reverse().forEach(function (ev) {
      var div = document.createElement('div');
      div.className = 'alert ' + (ev.to === 'ALARM' ? 'fail' : 'pass');
      var value = ev.value == null ? '' : ' (' + alertValue(ev.value, ev.unit) + ')';
      div.textContent = fmt.elapsed(ev.t_s) + ' alert ' + ev.alert + ': ' + ev.from + ' → ' + ev.to + value + ': ' + ev.reason;
      box.appendChild(div);
    });
    if (total > evs.length) {
      var more = document.createElement('div');
      more.className = 'note';
      more.textContent = (total - evs.length) + ' earlier changes not shown (the results file has them all)';
      box.appendChild(more);
    }
    if (state.timeline) {
      state.timeline.marks = evs.map(function (ev) {
        return { t: ev.t_s, label: ev.alert + ': ' + ev.from + ' → ' + ev.to, state: ev.to };
      });
    }
  }

  // fillGenerator shows, as a banner, that Surge itself is (or was) the
  // bottleneck: its latencies then describe the generator, not the
  // server; the charts shade those seconds, as the report's do.
  function fillGenerator(warning, gen) {
    var box = $('generator');
    box.textContent = warning || '';
    box.hidden = !warning;
    if (state.timeline) {
      state.timeline.bands = ((gen && gen.spans) || []).map(function (s) {
        return { from: s.from_s, to: s.to_s, label: 'Surge itself was the bottleneck' };
      });
    }
  }

  function alertValue(v, unit) {
    if (unit === 'ms') return fmt.ms(v);
    if (unit === '%') return Number(v.toPrecision(3)) + '%';
    return fmt.num(v) + (unit || '');
  }

  // pct shows a percentage as the terminal summary does: one decimal, or
  // two significant digits below 0.1 % so that a rare failure is not 0.
  function pct(v) {
    if (v > 0 && v < 0.1) return Number(v.toPrecision(2)) + '%';
    return v.toFixed(1) + '%';
  }

  // withRate is a count with its share of the requests: "400 (20.0%)".
  function withRate(n, ratePct, requests) {
    return requests ? fmt.num(n) + ' (' + pct(ratePct || 0) + ')' : fmt.num(n);
  }

  function fillSummary(s) {
    $('sum-rps').textContent = fmt.num(s.rps);
    $('sum-failures').textContent = withRate(s.failures, s.failure_rate_pct, s.requests);
    $('sum-errors').textContent = withRate(s.errors, s.error_rate_pct, s.requests);
    $('sum-p95').textContent = fmt.ms(s.p95_ms);
    $('sum-p99').textContent = fmt.ms(s.p99_ms);
    $('sum-vus').textContent = fmt.num(s.active_vus);
    $('sum-inflight').textContent = fmt.num(s.in_flight);
    $('sum-dropped').textContent = fmt.num(s.dropped);
    $('sum-resent').textContent = fmt.num(s.resent || 0);
    $('sum-resent').parentNode.hidden = !s.resent;
    // Without failures these are p95 and p99 again: shown once some failed.
    var ok = okCells(s.latency_ok);
    $('sum-ok-p95').textContent = ok[1];
    $('sum-ok-p99').textContent = ok[2];
    $('sum-ok-p95').parentNode.hidden = $('sum-ok-p99').parentNode.hidden = !s.failures;
  }

  // States come by the event stream and as answers to the page's own
  // requests, which can overtake each other: the highest seq is the newest.
  function showState(st) {
    if (st.seq < state.seq) return;
    state.seq = st.seq;
    var load = st.model === 'closed' ? st.users + ' users' : st.rate + ' arrivals/s';
    $('status').textContent = (st.running ? 'running: ' + load : 'stopped') +
      (st.host ? ' · ' + st.host : '') + (st.message ? ' · ' + st.message : '');
    $('status').className = 'status ' + (st.running ? 'running' : 'stopped');
    $('start').disabled = st.running;
    $('stop').disabled = !st.running;
  }
  state.showState = showState;

  /* ---- events ---- */

  function onFrame(f) {
    state.frames++;
    state.last = f;
    if (!state.timeline) state.timeline = emptyTimeline();
    // The frame sent on connecting repeats the history's last point.
    var tl = state.timeline;
    if (f.point && f.point.t.length && !(tl.t.length && f.point.t[0] <= tl.t[tl.t.length - 1])) appendPoint(tl, f.point);
    showState(f.state);
    fillSummary(f.summary);
    fillStats(f.endpoints);
    fillErrors(f.errors, f.errors_left_out);
    fillVerdicts(f.verdicts);
    fillAlerts(f.alerts, f.alerts_total);
    fillGenerator(f.generator_warning, f.generator);
    drawCharts();
    drawStory(f.story);
  }

  function connect() {
    var es = new EventSource('/api/events');
    es.addEventListener('state', function (e) { showState(JSON.parse(e.data)); });
    es.addEventListener('history', function (e) {
      resetCharts();
      state.timeline = JSON.parse(e.data);
      drawCharts();
    });
    es.addEventListener('reset', function () { resetCharts(); state.frames = 0; });
    es.addEventListener('frame', function (e) { onFrame(JSON.parse(e.data)); });
    es.onerror = function () { $('status').textContent = 'disconnected; retrying…'; };
  }

  /* ---- controls ---- */

  function formJSON(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.value === '') return;
      out[el.name] = el.type === 'number' ? Number(el.value) : el.value;
    });
    return out;
  }

  function post(path, body) {
    return fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {}), credentials: 'same-origin' })
      // Refusals in front of the API (a token, a host name) are plain text.
      .then(function (r) {
        return r.text().then(function (t) {
          var body;
          try { body = JSON.parse(t); } catch (e) { body = { error: t.trim() || r.statusText }; }
          return { ok: r.ok, body: body };
        });
      })
      .then(function (res) {
        $('message').textContent = res.ok ? '' : res.body.error;
        if (res.ok) showState(res.body);
        return res;
      });
  }

  function wire() {
    $('start-form').addEventListener('submit', function (e) { e.preventDefault(); post('/api/start', formJSON(e.target)); });
    $('load-form').addEventListener('submit', function (e) { e.preventDefault(); post('/api/load', formJSON(e.target)); });
    $('stop').addEventListener('click', function () { post('/api/stop'); });
    $('reset').addEventListener('click', function () { post('/api/reset'); });
    Array.prototype.forEach.call(document.querySelectorAll('nav.tabs button'), function (b) {
      b.addEventListener('click', function () {
        document.querySelectorAll('.tab, nav.tabs button').forEach(function (el) { el.classList.remove('active'); });
        b.classList.add('active');
        $('tab-' + b.getAttribute('data-tab')).classList.add('active');
        drawCharts();
      });
    });
  }

  state.post = post;
  wire();
  connect();
})();
