/* Surge HTML report: draws the charts from the data the report embeds in
 * the JSON script element with id "surge-data" (written by the Go
 * package report). Needs uPlot and charts.js. Exposes window.SurgeReport
 * = {data, charts, ready} for tests and for the curious.
 */
(function () {
  'use strict';

  // overlay is drawn only on surge compare's page, which has its box.
  var TIME_KINDS = ['rps', 'latency', 'vus', 'inflight', 'errors', 'codes', 'dropped', 'overlay'];

  // attempt builds one chart; a failure is shown in place and logged,
  // without stopping the other charts.
  function attempt(box, build) {
    try {
      return build();
    } catch (err) {
      box.textContent = 'This chart could not be drawn: ' + err.message;
      box.className += ' chart-failed';
      console.error('surge report:', err);
      return null;
    }
  }

  function monitorCharts(tl, group, charts) {
    var holder = document.getElementById('monitor-charts');
    if (!holder) return;
    Object.keys(tl.monitor || {}).forEach(function (name) {
      var box = document.createElement('div');
      box.className = 'chart';
      box.setAttribute('data-monitor', name);
      holder.appendChild(box);
      charts.push(attempt(box, function () { return SurgeCharts.monitorChart(box, name, tl, group); }));
    });
    // Folded below a scaling story, the charts were drawn at the narrowest
    // width: fit them to the page when the fold opens.
    var fold = holder.closest('details');
    if (fold) fold.addEventListener('toggle', function () { group.resize(); });
  }

  function timeCharts(tl, charts) {
    var group = SurgeCharts.group();
    TIME_KINDS.forEach(function (kind) {
      var box = document.getElementById('chart-' + kind);
      if (box) charts.push(attempt(box, function () { return SurgeCharts.timeChart(box, kind, tl, group); }));
    });
    monitorCharts(tl, group, charts);
  }

  function main() {
    var data = JSON.parse(document.getElementById('surge-data').textContent);
    var charts = [];
    if (data.timeline) timeCharts(data.timeline, charts);
    var box = document.getElementById('chart-percentiles');
    if (box && data.percentiles) {
      charts.push(attempt(box, function () { return SurgeCharts.percentileChart(box, data.percentiles); }));
    }
    window.SurgeReport = { data: data, charts: charts.filter(Boolean), ready: true };
  }

  main();
})();
