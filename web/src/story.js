/* Surge scaling story: draws the combined charts of a run that monitored a
 * Lambda function or an ECS/Fargate service (report/story in Go), on one
 * time axis, with scaling events marked and the gap the sentence explains
 * shaded. Needs uPlot and charts.js; defines the global SurgeStory.
 *
 * A story is { kind, title, sentence, t: [...], gap: {from, to},
 *   events: [{t, kind, label}], predicted,
 *   charts: [{id, title, unit, lines: [{label, role, values}]}] }
 * where role is "observed" (solid), "limit" (dashed steps) or
 * "predicted" (dotted: the scaling model's replay of the offered load).
 *
 * The report embeds the story in its JSON data and has a #story-charts
 * box: this script draws it on load and exposes SurgeStory.report =
 * {charts, ready}. The dashboard calls SurgeStory.render(holder, story)
 * and then view.update(story) on every frame.
 */
(function (global) {
  'use strict';

  var OBSERVED = ['#2563eb', '#16a34a', '#d97706', '#0891b2', '#db2777'];
  var LIMITS = ['#dc2626', '#b45309', '#64748b'];
  var PREDICTED = '#7c3aed';
  var EVENT_COLORS = { 'scale-out': '#16a34a', 'scale-in': '#64748b' };

  function formatter(unit) {
    var num = SurgeCharts.format.num;
    if (unit === '%') return function (v) { return v == null || isNaN(v) ? '–' : num(v) + ' %'; };
    if (unit === '/s') return function (v) { return v == null || isNaN(v) ? '–' : num(v) + '/s'; };
    return num;
  }

  // series styles each line by its role.
  function series(c) {
    var seen = { observed: 0, limit: 0 };
    return c.lines.map(function (l) {
      var s = { label: l.label, values: l.values };
      if (l.role === 'limit') {
        s.color = LIMITS[seen.limit++ % LIMITS.length];
        s.dash = [6, 4];
        s.stepped = true;
      } else if (l.role === 'predicted') {
        s.color = PREDICTED;
        s.dash = [2, 3];
        s.width = 2;
      } else {
        s.color = OBSERVED[seen.observed++ % OBSERVED.length];
      }
      return s;
    });
  }

  function specFor(id) {
    return function (tl) {
      var c = null;
      tl.story.charts.forEach(function (x) { if (x.id === id) c = x; });
      if (!c) return { title: '', fmt: String, series: [] };
      return { title: c.title, fmt: formatter(c.unit), height: 200, series: series(c) };
    };
  }

  // marks are the scaling events as lines and the gap as a band.
  function marks(story) {
    var out = [];
    if (story.gap) out.push({ t: story.gap.from, until: story.gap.to });
    (story.events || []).forEach(function (e) {
      if (EVENT_COLORS[e.kind]) out.push({ t: e.t, color: EVENT_COLORS[e.kind] });
    });
    return out;
  }

  function timeline(story) {
    return { t: story.t, marks: marks(story), story: story };
  }

  function View(holder) {
    this.holder = holder;
    this.group = SurgeCharts.group();
    this.byId = {};
    this.charts = [];
  }

  // update draws new charts and refreshes the others.
  View.prototype.update = function (story) {
    var tl = timeline(story);
    var self = this;
    story.charts.forEach(function (c) {
      var chart = self.byId[c.id];
      if (chart) {
        chart.update(tl);
        return;
      }
      var box = document.createElement('div');
      box.className = 'chart';
      box.setAttribute('data-story', c.id);
      self.holder.appendChild(box);
      try {
        chart = SurgeCharts.specChart(box, specFor(c.id), tl, self.group);
        self.byId[c.id] = chart;
        self.charts.push(chart);
      } catch (err) {
        box.textContent = 'This chart could not be drawn: ' + err.message;
        box.className += ' chart-failed';
        console.error('surge story:', err);
      }
    });
  };

  function render(holder, story) {
    var view = new View(holder);
    view.update(story);
    return view;
  }

  function drawReport() {
    var holder = document.getElementById('story-charts');
    var data = document.getElementById('surge-data');
    if (!holder || !data) return null;
    var story = JSON.parse(data.textContent).story;
    if (!story) return null;
    var view = render(holder, story);
    return { charts: view.charts, ready: true };
  }

  global.SurgeStory = { render: render, report: null };
  if (typeof document !== 'undefined') global.SurgeStory.report = drawReport();
})(typeof window !== 'undefined' ? window : this);
