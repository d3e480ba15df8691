// The supervisor page's live panel: the floor as the server pushes it over server-sent events
// (GET /api/v1/metrics/live, docs/reports.md "Real time"), never polled. The server sends a
// `floor` event only when something changed; waits and times in status arrive as the moment
// they started and are counted up here, once a second, without asking the server.
//
// window.SupervisorLiveMetrics.create({ el }) returns { start(), stop() }. `el` is the page's
// element builder. The EventSource sends the sign-in cookie; it reconnects by itself.
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var STATUS = { free: t('Available'), busy: t('Busy'), arrange: t('Wrap-up'), notReady: t('Not ready'), rest: t('On break'), offline: t('Offline') };
  var $ = function (id) { return document.getElementById(id); };

  function clock(ms) {
    if (ms == null) return '—';
    var seconds = Math.max(0, Math.floor(ms / 1000));
    var m = Math.floor(seconds / 60), s = seconds % 60, h = Math.floor(m / 60);
    return h ? h + ':' + String(m % 60).padStart(2, '0') + ':' + String(s).padStart(2, '0') : m + ':' + String(s).padStart(2, '0');
  }
  function percent(value) { return value == null ? '—' : value.toFixed(value % 1 ? 1 : 0) + ' %'; }
  function sumOf(map) { return Object.keys(map || {}).reduce(function (n, k) { return n + map[k]; }, 0); }
  function list(map, words) {
    var keys = Object.keys(map || {}).filter(function (k) { return map[k] > 0; }).sort();
    return keys.length ? keys.map(function (k) { return map[k] + ' ' + (words ? words[k] || k : k); }).join(', ') : '—';
  }

  function create(options) {
    var el = options.el;
    var source = null, floor = null, ticker = null;

    // Elapsed time from a start the server sent, on the server's clock as near as the page has it.
    function since(start) { return start == null ? null : Date.now() - start; }

    function tile(label, value, id, extra) {
      return el('div', { class: 'tile' + (extra ? ' ' + extra : '') }, [
        el('div', { class: 'tile-label', text: label }), el('div', { class: 'tile-value', id: id, text: value })
      ]);
    }

    function render() {
      if (!floor) return;
      var all = floor.overall;
      var tiles = $('live-tiles');
      tiles.replaceChildren(
        tile(t('Waiting'), String(all.waiting), 'live-waiting', all.waiting > 0 ? 'warn' : ''),
        tile(t('Oldest wait'), clock(since(all.oldestWaitingSince)), 'live-oldest'),
        tile(t('Available'), String(all.agentsByStatus.free || 0), 'live-free'),
        tile(t('In progress'), String(sumOf(all.inProgressByType)), 'live-progress'),
        tile(t('Offered today'), String(all.today.offered), 'live-offered'),
        tile(t('Service level today'), percent(all.today.serviceLevel), 'live-sl'),
        tile(t('Abandoned today'), all.today.abandoned + (all.today.abandonmentRate != null ? ' (' + percent(all.today.abandonmentRate) + ')' : ''), 'live-abandoned')
      );
      var groups = $('live-groups').tBodies[0];
      groups.replaceChildren.apply(groups, floor.skillGroups.map(function (g) {
        return el('tr', { 'data-live-group': g.id }, [
          el('td', { text: g.name }),
          el('td', { class: 'num', text: String(g.waiting) }),
          el('td', { class: 'num ticking', 'data-since': g.oldestWaitingSince, text: clock(since(g.oldestWaitingSince)) }),
          el('td', { text: list(g.agentsByStatus, STATUS) }),
          el('td', { text: list(g.inProgressByType) }),
          el('td', { class: 'num', text: String(g.today.offered) }),
          el('td', { class: 'num', text: String(g.today.accepted) }),
          el('td', { class: 'num', text: String(g.today.abandoned) }),
          el('td', { class: 'num', text: percent(g.today.serviceLevel) })
        ]);
      }));
      var agents = $('live-agents').tBodies[0];
      agents.replaceChildren.apply(agents, floor.agents.filter(function (a) { return a.status !== 'offline'; }).map(function (a) {
        return el('tr', { 'data-live-agent': a.id }, [
          el('td', { text: a.name }),
          el('td', {}, [el('span', { class: 'dot s-' + a.status }), STATUS[a.status] + (a.restReason ? ' (' + a.restReason + ')' : '')]),
          el('td', { class: 'num ticking', 'data-since': a.since, text: clock(since(a.since)) }),
          el('td', { class: 'num', text: String(a.sessions) }),
          el('td', { text: list(a.sessionsByType) })
        ]);
      }));
      $('live-agents-empty').hidden = floor.agents.some(function (a) { return a.status !== 'offline'; });
    }

    // Only the running clocks change between pushes.
    function tick() {
      if (!floor) return;
      $('live-oldest').textContent = clock(since(floor.overall.oldestWaitingSince));
      Array.prototype.forEach.call(document.querySelectorAll('#live-card .ticking'), function (cell) {
        var start = cell.getAttribute('data-since');
        cell.textContent = start ? clock(since(Number(start))) : '—';
      });
    }

    function state(text, ok) {
      $('live-state').textContent = text;
      $('live-state').className = 'live-state' + (ok ? ' ok' : '');
    }

    function start() {
      stop();
      state(t('Connecting…'), false);
      source = new EventSource('/api/v1/metrics/live', { withCredentials: true });
      source.addEventListener('floor', function (event) {
        floor = JSON.parse(event.data);
        state(t('Live'), true);
        render();
      });
      source.addEventListener('open', function () { state(t('Live'), true); });
      // EventSource retries by itself; say so meanwhile.
      source.addEventListener('error', function () { state('Reconnecting…', false); });
      ticker = setInterval(tick, 1000);
    }

    function stop() {
      if (source) source.close();
      source = null;
      clearInterval(ticker);
      ticker = null;
    }

    return { start: start, stop: stop };
  }

  window.SupervisorLiveMetrics = { create: create };
})();
