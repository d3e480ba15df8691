// The supervisor page's skill groups: every routing setting at a glance, and (for admins) a form
// that edits them through PUT /api/v1/skill-groups/{id}. Kept apart from the page's live views
// because it is a configuration concern with its own form, checks and error display.
//
// window.SupervisorSkillGroups.create({ api, el, handled }) returns { render(groups, role) }.
// `api` is the page's fetch wrapper (cookie + CSRF), `el` its element builder, `handled` what the
// page does first with a failed call (401 and 403).
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
  var STRATEGIES = {
    longestIdle: t('Longest idle'), roundRobin: t('Round robin'), leastActive: t('Least active'), skillLevel: t('Skill level')
  };
  var MISSED = { notReady: t('Not ready'), rest: t('On break'), free: t('Available') };
  // The numeric settings the form edits, with the words shown beside them.
  var NUMBERS = ['offerTimeoutSeconds', 'queueTimeoutSeconds', 'wrapUpSeconds', 'imInactivityTimeoutSeconds',
                 'maxQueueLength', 'maxConcurrency', 'maxSessionSeconds'];
  var SWITCHES = ['ringAll', 'usingLastSeat', 'timeoutTransfer', 'endWhenNoSeatOnline', 'recordCalls'];

  function seconds(value) { return value > 0 ? value + ' s' : t('none'); }

  /// The settings that differ from plain queueing, as short tags for the table.
  function tags(group) {
    var list = [];
    if (group.ringAll) list.push(t('ring all'));
    if (group.usingLastSeat) list.push(t('last seat'));
    if (!group.timeoutTransfer) list.push(t('rings on at the same agent'));
    if (group.maxConcurrency > 0) list.push(t('≤ {count} chats per agent', { count: group.maxConcurrency }));
    if (group.maxQueueLength > 0) list.push(t('queue ≤ {count}', { count: group.maxQueueLength }));
    if (group.maxSessionSeconds > 0) list.push(t('ends after {seconds} s', { seconds: group.maxSessionSeconds }));
    if (group.endWhenNoSeatOnline) list.push(t('closed when nobody is online'));
    if (group.recordCalls) list.push(t('calls recorded'));
    if (group.overflowGroupId) list.push(t('overflows to {group}', { group: group.overflowGroupId }));
    if (group.dispositionCodes && group.dispositionCodes.length) list.push(t('{count} disposition codes', { count: group.dispositionCodes.length }));
    return list;
  }

  function hoursText(group) {
    if (!group.workingHours) return t('Always open');
    return (group.withinWorkingHours ? t('Open now') : t('Closed now')) + ' · ' + group.workingHours.timeZone;
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
          ? el('button', { class: 'btn small', type: 'button', 'aria-label': t('Edit settings of {group}', { group: g.name || g.id }), text: t('Edit') })
          : null;
        if (edit) edit.addEventListener('click', function () { open(g); });
        var tagList = tags(g);
        body.appendChild(el('tr', { 'data-group': g.id }, [
          el('td', {}, [el('strong', { text: g.name || g.id }), el('div', { class: 'muted', text: g.id })]),
          el('td', { text: STRATEGIES[g.strategy] || g.strategy }),
          el('td', { class: 'num', text: g.membersOnline + ' / ' + g.members }),
          el('td', { text: t('offer {offer}, queue {queue}', { offer: seconds(g.offerTimeoutSeconds), queue: seconds(g.queueTimeoutSeconds) }) }),
          el('td', { class: g.withinWorkingHours ? '' : 'wait-long', text: hoursText(g) }),
          el('td', { class: 'group-tags' }, tagList.length ? tagList.map(function (tag) { return el('span', { class: 'tag', text: tag }); }) : [el('span', { class: 'muted', text: t('defaults') })]),
          el('td', {}, [edit])
        ]));
      });
      $('groups-empty').hidden = list.length > 0;
      $('groups-count').textContent = list.length ? String(list.length) : '';
    }

    function open(group) {
      editing = group;
      $('group-title').textContent = t('Settings of {group}', { group: group.name || group.id });
      $('group-id').textContent = group.id;
      $('group-name').value = group.name || '';
      $('group-strategy').value = group.strategy;
      $('group-missed').value = group.missedOfferStatus;
      NUMBERS.forEach(function (field) { $('group-' + field).value = group[field]; });
      SWITCHES.forEach(function (field) { $('group-' + field).checked = !!group[field]; });
      $('group-dispositionCodes').value = (group.dispositionCodes || []).join('\n');
      var overflow = $('group-overflow');
      overflow.textContent = '';
      overflow.appendChild(el('option', { value: '', text: t('None') }));
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
          fail(t('Not saved: {reason}', { reason: error.message }));
        })
        .then(function () { $('group-save').disabled = false; });
    });

    return { render: render };
  }

  window.SupervisorSkillGroups = { create: create, tags: tags };
})();
