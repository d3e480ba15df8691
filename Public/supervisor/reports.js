// The supervisor page's reports: a historical report (GET /api/v1/reports/..., docs/reports.md)
// for a range, interval and time zone, drawn as plain SVG trend charts with the totals table
// beside them, and the same report as a CSV download.
//
// window.SupervisorReports.create({ api, el, handled }) returns { show() }. `api` is the page's
// fetch wrapper (cookie), `el` its element builder, `handled` what the page does with 401/403.
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var $ = function (id) { return document.getElementById(id); };
  var SVG = 'http://www.w3.org/2000/svg';
  var PATHS = { skillGroup: 'skill-groups', agent: 'agents', sessionType: 'session-types' };
  // The trend lines: counts on one chart, percentages on the other.
  var COUNTS = [['offered', t('Offered'), '#2563eb'], ['accepted', t('Accepted'), '#16a34a'], ['abandoned', t('Abandoned'), '#dc2626']];
  var RATES = [['serviceLevel', t('Service level %'), '#7c3aed'], ['abandonmentRate', t('Abandonment %'), '#ea580c']];

  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(c); });
    return node;
  }

  function localDate(offsetDays) {
    var d = new Date(Date.now() + offsetDays * 86400000);
    return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');
  }

  function query() {
    var params = new URLSearchParams();
    params.set('from', $('report-from').value);
    params.set('to', $('report-to').value);
    params.set('interval', $('report-interval').value);
    params.set('timeZone', $('report-zone').value.trim() || 'UTC');
    return params.toString();
  }

  /// Per interval, the sums over every subject: the counts add; the rates are recomputed from
  /// what they are rates of (never an average of percentages).
  function series(report) {
    var byStart = {};
    var order = [];
    report.rows.forEach(function (row) {
      var point = byStart[row.start];
      if (!point) { point = byStart[row.start] = { start: row.start, offered: 0, accepted: 0, abandoned: 0, inTime: 0, left: 0, short: 0 }; order.push(row.start); }
      point.offered += row.offered;
      point.accepted += row.accepted;
      point.abandoned += row.abandonedInQueue + row.abandonedWhileRinging;
      point.short += row.shortAbandons;
      var left = row.accepted + row.abandonedInQueue + row.abandonedWhileRinging + row.timedOut + row.overflowedOut;
      point.left += left;
      if (row.serviceLevel != null) point.inTime += row.serviceLevel * left / 100;
    });
    return order.map(function (start) {
      var p = byStart[start];
      p.serviceLevel = p.left > 0 ? 100 * p.inTime / p.left : null;
      p.abandonmentRate = p.offered - p.short > 0 ? 100 * p.abandoned / (p.offered - p.short) : null;
      return p;
    });
  }

  function label(start, interval) {
    // The interval's local start as the server wrote it (with its offset): show the wall clock.
    var date = start.slice(5, 10), time = start.slice(11, 16);
    return interval === 'day' || time === '00:00' ? date : time;
  }

  /// One line chart: x = intervals, y from 0 to the largest value (or 100 for percentages).
  function chart(points, lines, title, id, percent, interval) {
    var width = 640, height = 220, left = 44, right = 12, top = 26, bottom = 34;
    var max = percent ? 100 : Math.max(1, Math.max.apply(null, points.map(function (p) {
      return Math.max.apply(null, lines.map(function (l) { return p[l[0]] || 0; }));
    })));
    var step = points.length > 1 ? (width - left - right) / (points.length - 1) : 0;
    var x = function (i) { return left + i * step; };
    var y = function (v) { return top + (height - top - bottom) * (1 - v / max); };
    var nodes = [svg('text', { x: left, y: 16, class: 'chart-title' }, [document.createTextNode(title)])];
    [0, 0.5, 1].forEach(function (f) {
      var v = Math.round(max * f);
      nodes.push(svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
      nodes.push(svg('text', { x: left - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' }, [document.createTextNode(String(v))]));
    });
    // About eight labels, on whole days for hourly and 15-minute charts longer than two days.
    var perDay = interval === 'hour' ? 24 : interval === '15m' ? 96 : 1;
    var every = points.length > 2 * perDay && perDay > 1
      ? perDay * Math.max(1, Math.ceil(points.length / perDay / 8)) : Math.max(1, Math.ceil(points.length / 8));
    points.forEach(function (p, i) {
      if (i % every) return;
      nodes.push(svg('text', { x: x(i), y: height - 12, class: 'axis', 'text-anchor': 'middle' }, [document.createTextNode(label(p.start, interval))]));
    });
    lines.forEach(function (line, n) {
      var d = '';
      points.forEach(function (p, i) {
        if (p[line[0]] == null) return;
        d += (d && points[i - 1] && points[i - 1][line[0]] != null ? 'L' : 'M') + x(i).toFixed(1) + ',' + y(p[line[0]]).toFixed(1);
      });
      nodes.push(svg('path', { d: d, stroke: line[2], class: 'series', 'data-series': line[0] }));
      // Dots too, so that a value with no neighbour (one busy hour) still shows.
      points.forEach(function (p, i) {
        if (p[line[0]] == null || (!percent && !p[line[0]])) return;
        nodes.push(svg('circle', { cx: x(i).toFixed(1), cy: y(p[line[0]]).toFixed(1), r: 2.5, fill: line[2] }));
      });
      nodes.push(svg('rect', { x: width - right - 140, y: 6 + n * 14, width: 10, height: 3, fill: line[2] }));
      nodes.push(svg('text', { x: width - right - 125, y: 11 + n * 14, class: 'legend' }, [document.createTextNode(line[1])]));
    });
    return svg('svg', { viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': title, id: id, class: 'chart' }, nodes);
  }

  function create(options) {
    var api = options.api, el = options.el, handled = options.handled;
    var latest = 0;  // only the answer to the latest request is drawn, however the answers arrive

    function number(value, digits) { return value == null ? '—' : (digits ? value.toFixed(digits) : String(value)); }

    function table(report) {
      var agents = report.dimension === 'agent';
      var head = ['', t('Offered'), t('Accepted'), t('Abandoned'), t('Short'), t('SL %'), t('ASA s'), t('AHT s')].concat(agents ? [t('Occupancy %')] : [t('Transfers')]);
      var body = report.totals.map(function (row) {
        return el('tr', { 'data-subject': row.subject }, [
          el('td', { class: 'subject', text: row.name }),
          el('td', { class: 'num', text: number(row.offered) }),
          el('td', { class: 'num', text: number(row.accepted) }),
          el('td', { class: 'num', text: number(row.abandonedInQueue + row.abandonedWhileRinging) }),
          el('td', { class: 'num', text: number(row.shortAbandons) }),
          el('td', { class: 'num', text: number(row.serviceLevel, 1) }),
          el('td', { class: 'num', text: number(row.averageWaitSeconds, 1) }),
          el('td', { class: 'num', text: number(row.averageHandleSeconds, 1) }),
          el('td', { class: 'num', text: agents ? number(row.occupancy, 1) : number(row.transferredOut) })
        ]);
      });
      return el('table', { id: 'report-table' }, [
        el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', { text: h }); }))]),
        el('tbody', {}, body)
      ]);
    }

    function show() {
      var path = '/api/v1/reports/' + PATHS[$('report-dimension').value];
      var q = query();
      $('report-csv').href = path + '.csv?' + q;
      $('report-error').hidden = true;
      $('report-show').disabled = true;
      var mine = ++latest;
      return api(path + '?' + q)
        .then(function (report) {
          if (mine !== latest) return;
          var points = series(report);
          // What is drawn, for whoever reads the page (and its tests).
          $('report-charts').setAttribute('data-shown', report.dimension + ' ' + report.interval + ' ' + report.timeZone);
          $('report-charts').replaceChildren(
            chart(points, COUNTS, t('Contacts per {interval}', { interval: t(report.interval === '15m' ? '15 minutes' : report.interval) }), 'report-chart-counts', false, report.interval),
            chart(points, RATES, t('Service level ({seconds} s) and abandonment', { seconds: report.serviceLevelSeconds }), 'report-chart-rates', true, report.interval));
          $('report-side').replaceChildren(table(report));
          $('report-empty').hidden = report.totals.length > 0;
          $('report-meta').textContent = t('{from} to {to} ({zone})', { from: report.from.slice(0, 16), to: report.to.slice(0, 16), zone: report.timeZone });
        })
        .catch(function (error) {
          if (mine !== latest || handled(error)) return;
          $('report-error').hidden = false;
          $('report-error').textContent = error.message;
        })
        .then(function () { $('report-show').disabled = false; });
    }

    $('report-from').value = localDate(-6);
    $('report-to').value = localDate(1);
    $('report-zone').value = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    $('report-form').addEventListener('submit', function (event) { event.preventDefault(); show(); });
    return { show: show };
  }

  window.SupervisorReports = { create: create };
})();
