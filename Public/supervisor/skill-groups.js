// The supervisor page's skill groups: every routing setting at a glance, and (for admins) a form
// that edits them through PUT /api/v1/skill-groups/{id}. Kept apart from the page's live views
// because it is a configuration concern with its own form, checks and error display.
//
// window.SupervisorSkillGroups.create({ api, el, handled }) returns { render(groups, role) }.
// `api` is the page's fetch wrapper (cookie + CSRF), `el` its element builder, `handled` what the
// page does first with a failed call (401 and 403).
(function () {
  'use strict';

  var DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  var STRATEGIES = {
    longestIdle: 'Longest idle', roundRobin: 'Round robin', leastActive: 'Least active', skillLevel: 'Skill level'
  };
  var MISSED = { notReady: 'Not ready', rest: 'On break', free: 'Available' };
  // The numeric settings the form edits, with the words shown beside them.
  var NUMBERS = ['offerTimeoutSeconds', 'queueTimeoutSeconds', 'wrapUpSeconds', 'imInactivityTimeoutSeconds',
                 'maxQueueLength', 'maxConcurrency', 'maxSessionSeconds'];
  var SWITCHES = ['ringAll', 'usingLastSeat', 'timeoutTransfer', 'endWhenNoSeatOnline', 'recordCalls'];

  function seconds(value) { return value > 0 ? value + ' s' : 'none'; }

  /// The settings that differ from plain queueing, as short tags for the table.
  function tags(group) {
    var list = [];
    if (group.ringAll) list.push('ring all');
    if (group.usingLastSeat) list.push('last seat');
    if (!group.timeoutTransfer) list.push('rings on at the same agent');
    if (group.maxConcurrency > 0) list.push('≤ ' + group.maxConcurrency + ' chats per agent');
    if (group.maxQueueLength > 0) list.push('queue ≤ ' + group.maxQueueLength);
    if (group.maxSessionSeconds > 0) list.push('ends after ' + group.maxSessionSeconds + ' s');
    if (group.endWhenNoSeatOnline) list.push('closed when nobody is online');
    if (group.recordCalls) list.push('calls recorded');
    if (group.overflowGroupId) list.push('overflows to ' + group.overflowGroupId);
    if (group.dispositionCodes && group.dispositionCodes.length) list.push(group.dispositionCodes.length + ' disposition codes');
    return list;
  }

  function hoursText(group) {
    if (!group.workingHours) return 'Always open';
    return (group.withinWorkingHours ? 'Open now' : 'Closed now') + ' · ' + group.workingHours.timeZone;
  }

  function create(page) {
    var api = page.api, el = page.el;
    var $ = function (id) { return document.getElementById(id); };
    var groups = [];
    var editing = null;

    // Every IANA zone the browser knows, as suggestions; the server has the last word.
    if (typeof Intl.supportedValuesOf === 'function') {
      var zones = $('group-zones');
      Intl.supportedValuesOf('timeZone').concat(['UTC']).forEach(function (zone) { zones.appendChild(el('option', { value: zone })); });
    }

    function render(list, role) {
      groups = list;
      var body = $('groups').querySelector('tbody');
      body.textContent = '';
      list.forEach(function (g) {
        var edit = role === 'admin'
          ? el('button', { class: 'btn small', type: 'button', 'aria-label': 'Edit settings of ' + (g.name || g.id), text: 'Edit' })
          : null;
        if (edit) edit.addEventListener('click', function () { open(g); });
        var tagList = tags(g);
        body.appendChild(el('tr', { 'data-group': g.id }, [
          el('td', {}, [el('strong', { text: g.name || g.id }), el('div', { class: 'muted', text: g.id })]),
          el('td', { text: STRATEGIES[g.strategy] || g.strategy }),
          el('td', { class: 'num', text: g.membersOnline + ' / ' + g.members }),
          el('td', { text: 'offer ' + seconds(g.offerTimeoutSeconds) + ', queue ' + seconds(g.queueTimeoutSeconds) }),
          el('td', { class: g.withinWorkingHours ? '' : 'wait-long', text: hoursText(g) }),
          el('td', { class: 'group-tags' }, tagList.length ? tagList.map(function (t) { return el('span', { class: 'tag', text: t }); }) : [el('span', { class: 'muted', text: 'defaults' })]),
          el('td', {}, [edit])
        ]));
      });
      $('groups-empty').hidden = list.length > 0;
      $('groups-count').textContent = list.length ? String(list.length) : '';
    }

    function open(group) {
      editing = group;
      $('group-title').textContent = 'Settings of ' + (group.name || group.id);
      $('group-id').textContent = group.id;
      $('group-name').value = group.name || '';
      $('group-strategy').value = group.strategy;
      $('group-missed').value = group.missedOfferStatus;
      NUMBERS.forEach(function (field) { $('group-' + field).value = group[field]; });
      SWITCHES.forEach(function (field) { $('group-' + field).checked = !!group[field]; });
      $('group-dispositionCodes').value = (group.dispositionCodes || []).join('\n');
      var overflow = $('group-overflow');
      overflow.textContent = '';
      overflow.appendChild(el('option', { value: '', text: 'None' }));
      groups.forEach(function (g) { if (g.id !== group.id) overflow.appendChild(el('option', { value: g.id, text: (g.name || g.id) + ' (' + g.id + ')' })); });
      overflow.value = group.overflowGroupId || '';
      var hours = group.workingHours;
      $('group-hours-on').checked = !!hours;
      $('group-zone').value = hours ? hours.timeZone : (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
      DAYS.forEach(function (day) { $('group-day-' + day).value = hours ? (hours.weekly[day] || []).join(', ') : (day === 'saturday' || day === 'sunday' ? '' : '09:00-17:00'); });
      showHours();
      $('group-error').hidden = true;
      $('group-dialog').showModal();
      $('group-name').focus();
    }

    function showHours() { $('group-hours').hidden = !$('group-hours-on').checked; }
    $('group-hours-on').addEventListener('change', showHours);

    /// The form as the API's body. The browser checks only that numbers are whole; ranges, zones
    /// and day ranges are the server's to judge, and its message is shown as it is.
    function body() {
      var result = { name: $('group-name').value.trim(), strategy: $('group-strategy').value,
                     missedOfferStatus: $('group-missed').value, overflowGroupId: $('group-overflow').value || null };
      NUMBERS.forEach(function (field) {
        var text = $('group-' + field).value.trim();
        if (!/^\d+$/.test(text)) throw new Error($('group-' + field).labels[0].textContent.trim() + ': a whole number of 0 or more, not "' + text + '"');
        result[field] = Number(text);
      });
      SWITCHES.forEach(function (field) { result[field] = $('group-' + field).checked; });
      // One code a line; blank lines are nothing. The server judges the codes and names a bad one.
      result.dispositionCodes = $('group-dispositionCodes').value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean);
      if ($('group-hours-on').checked) {
        var weekly = {};
        DAYS.forEach(function (day) {
          var ranges = $('group-day-' + day).value.split(',').map(function (r) { return r.trim(); }).filter(Boolean);
          if (ranges.length) weekly[day] = ranges;
        });
        result.workingHours = { timeZone: $('group-zone').value.trim(), weekly: weekly };
      } else {
        result.workingHours = null;
      }
      return result;
    }

    function fail(message) {
      $('group-error').hidden = false;
      $('group-error').textContent = message;
    }

    $('group-cancel').addEventListener('click', function () { $('group-dialog').close(); });
    $('group-form').addEventListener('submit', function (event) {
      event.preventDefault();
      if (!editing) return;
      var request;
      try { request = body(); } catch (error) { fail(error.message); return; }
      $('group-save').disabled = true;
      var id = editing.id;
      api('/api/v1/skill-groups/' + encodeURIComponent(id), { method: 'PUT', body: request })
        .then(function (saved) {
          $('group-dialog').close();
          groups = groups.map(function (g) { return g.id === id ? saved : g; });
          if (page.onSaved) page.onSaved(saved);
        })
        .catch(function (error) {
          if (error.status === 401) { $('group-dialog').close(); page.handled(error); return; }
          if (error.status === 403) page.handled(error);
          fail('Not saved: ' + error.message);
        })
        .then(function () { $('group-save').disabled = false; });
    });

    return { render: render };
  }

  window.SupervisorSkillGroups = { create: create, tags: tags };
})();
