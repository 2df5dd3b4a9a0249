// 统计报表 and 月报: draw the funnel, the 12-month trend and the ranking from the page's JSON block
// (#report-charts) with the vendored ECharts. Progressive enhancement: every number is also in a table,
// and without this script (or ECharts) the chart boxes stay empty and hidden. The print page
// (body[data-renderer=svg]) draws SVG without animation so the printout is sharp and complete.
(function () {
  'use strict';
  var charts = [];

  function pct(v) { return v === null || v === undefined ? '—' : v.toFixed(1) + '%'; }

  // Tooltips made here are HTML: the names and texts in them are escaped.
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }

  function options(kind, data, print) {
    var base = { animation: !print, textStyle: { fontFamily: 'inherit' } };
    if (kind === 'funnel') {
      var f = data.funnel;
      return Object.assign(base, {
        tooltip: { trigger: 'item', formatter: '{b}：{c}' },
        series: [{
          // The names beside the funnel, not inside it: the last stage's name (满意数（含基本满意）) was wider than the
          // funnel's narrow end and spilled off it in white.
          type: 'funnel', sort: 'none', left: '3%', width: '55%', top: 10, bottom: 10, minSize: '30%', gap: 2,
          label: { show: true, position: 'right', formatter: '{b}  {c}', color: '#1f2328' },
          labelLine: { show: true, length: 12 },
          data: f.names.map(function (n, i) { return { name: n, value: f.values[i] }; })
        }],
        color: ['#7a1914', '#8c1d18', '#a3241c', '#b3261e', '#c0402a', '#c95a30']
      });
    }
    if (kind === 'trend') {
      var t = data.trend;
      var parts = t.compositeParts || [];
      return {
        baseOption: Object.assign(base, {
          tooltip: {
            trigger: 'axis',
            // Each value, and beside the composite the three parts it is made of (as the table shows them).
            formatter: function (items) {
              if (!items.length) { return ''; }
              var i = items[0].dataIndex;
              return [esc(items[0].axisValueLabel)].concat(items.map(function (p) {
                var v = p.value === null || p.value === undefined ? '—' : p.value;
                var line = p.marker + esc(p.seriesName) + ' ' + esc(v);
                return p.seriesId === 'composite' && parts[i] ? line + ' (' + esc(parts[i]) + ')' : line;
              })).join('<br>');
            }
          },
          // The legend between the axes' names (which sit above the grid at its two ends), the grid below both: on
          // paper the legend wraps onto a second row and touched the count axis's name.
          legend: { top: 0, left: 70, right: 70, type: print ? 'plain' : 'scroll' },
          grid: { left: 50, right: 50, top: print ? 72 : 56, bottom: 30 },
          xAxis: { type: 'category', data: t.months },
          yAxis: [
            { type: 'value', name: t.percentAxis, min: 0, max: 100 },
            { type: 'value', name: t.countAxis, minInterval: 1, splitLine: { show: false } }
          ],
          series: [{ type: 'bar', id: 'registered', name: t.countAxis, yAxisIndex: 1, data: t.registered, itemStyle: { color: '#d9dce1' } }]
            .concat(t.series.map(function (s) {
              return { type: 'line', id: s.key, name: s.name, data: s.values, connectNulls: false, symbolSize: 5,
                lineStyle: s.key === 'composite' ? { type: 'dashed', width: 2 } : { width: 2 } };
            }))
        }),
        // A phone's width: the legend's six names spread over the whole width at the top ran into the axes' names
        // above the grid. There it goes below the chart, wrapped onto as many rows as it needs, the grid's bottom
        // leaving it room (the box is taller there: reports.css).
        media: [{
          query: { maxWidth: 600 },
          option: {
            legend: { type: 'plain', top: 'auto', bottom: 0, left: 'center', itemGap: 8, itemWidth: 18 },
            grid: { left: 40, right: 40, top: 40, bottom: 100 }
          }
        }]
      };
    }
    var r = data.ranking;
    // The bars' labels and tooltips say the score as the table does (r.labels: one decimal, "84.0", not "84").
    var labels = (r.labels || []).slice().reverse();
    // Best first, at the top: a horizontal bar chart reads from the bottom, so reverse.
    return Object.assign(base, {
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' },
        formatter: function (items) { return items.length ? esc(items[0].name) + ' ' + esc(labels[items[0].dataIndex]) : ''; }
      },
      grid: { left: 10, right: 50, top: 10, bottom: 20, containLabel: true },
      // Scores are out of 100; deductions can take one below zero.
      xAxis: { type: 'value', max: 100, min: function (v) { return Math.min(0, Math.floor(v.min)); } },
      yAxis: { type: 'category', data: r.names.slice().reverse() },
      series: [{ type: 'bar', barMaxWidth: 22, data: r.values.slice().reverse(), itemStyle: { color: '#b3261e' },
        label: { show: true, position: 'right', formatter: function (p) { return labels[p.dataIndex]; } } }]
    });
  }

  function draw() {
    var block = document.getElementById('report-charts');
    if (!block || typeof window.echarts === 'undefined') { return; }
    var data;
    try { data = JSON.parse(block.textContent); } catch (e) { return; }
    var print = document.body.getAttribute('data-renderer') === 'svg';
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var kind = el.getAttribute('data-chart');
      if (!data[kind]) { return; }
      el.classList.add('drawn');
      if (kind === 'ranking') {
        // One bar per ranked unit: the box grows with them (CSSOM, allowed by the page's CSP).
        el.style.height = Math.max(140, data.ranking.names.length * 30 + 50) + 'px';
      }
      var chart = window.echarts.init(el, null, { renderer: print ? 'svg' : 'canvas', locale: document.documentElement.lang === 'en' ? 'EN' : 'ZH' });
      chart.setOption(options(kind, data, print));
      charts.push(chart);
    });
  }

  function resize() { charts.forEach(function (c) { c.resize(); }); }

  var pending = 0;
  window.addEventListener('resize', function () {
    if (pending) { cancelAnimationFrame(pending); }
    pending = requestAnimationFrame(function () { pending = 0; resize(); });
  });
  // The page's width changes when printed: size the charts to the paper, then back.
  window.addEventListener('beforeprint', resize);
  window.addEventListener('afterprint', resize);
  // Printing to PDF from a script (print media emulated) fires no beforeprint: the media change says the same.
  if (window.matchMedia) {
    var printing = window.matchMedia('print');
    if (printing.addEventListener) { printing.addEventListener('change', resize); }
  }
  window.addEventListener('pagehide', function (e) {
    if (!e.persisted) { charts.forEach(function (c) { c.dispose(); }); charts = []; }
  });
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', draw); } else { draw(); }
}());
