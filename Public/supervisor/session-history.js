// The supervisor page's session history: past and live sessions searched by text (customer name,
// numbers, remark, user id, messages), type and day; one opened shows its record, its history
// line by line, a chat's transcript and a call's recording in an audio player that seeks (the
// recording is served with byte ranges under the sign-in cookie). Everything is read through
// /api/v1/sessions; nothing here changes anything.
//
// window.SupervisorSessionHistory.create({ api, el, handled }) returns { show() }, which builds
// the card into #history-card and runs the first search. `api` is the page's fetch wrapper
// (cookie + CSRF), `el` its element builder, `handled` what the page does first with a failed call.
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var TYPES = [['', t('All types')], ['im', t('Chat')], ['phone', t('Phone call')], ['voip', t('Voice call')], ['video', t('Video call')], ['internal', t('Internal call')]];
  var TYPE = {};
  TYPES.forEach(function (pair) { if (pair[0]) TYPE[pair[0]] = pair[1]; });
  var CLOSE_BY = { seat: t('Agent ended'), client: t('Customer left'), admin: t('Supervisor ended'), timer: t('Timed out'), system: t('System'), transfer: t('Transferred') };
  var PAGE = 25;

  var DIRECTION = { inbound: t('Inbound'), outbound: t('Outbound') };
  // The record's hangUpSide, as TCCC names the sides: the agent's seat, the caller, the system.
  var HANG_UP = { seat: t('Agent'), user: t('Caller'), system: t('System') };

  function time(milliseconds) {
    return milliseconds == null ? '—' : new Date(milliseconds).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
  }

  function customerName(session) {
    var c = session.customer || {};
    return c.nickname || c.callerPhoneNumber || c.calleePhoneNumber || c.userId || c.peerUserId || '—';
  }

  function outcome(session) {
    if (!session.endedAt) return session.state === 'accepted' ? t('In progress') : t('Waiting');
    return (CLOSE_BY[session.closeBy] || session.closeBy || t('Ended')) + (session.endStatus && session.endStatus !== 'ok' ? ' (' + session.endStatus + ')' : '');
  }

  /** The menu choices a caller made in an IVR flow: "2 support → 1 billing". */
  function menuChoices(session) {
    var path = (session.customer || {}).ivrPath || [];
    return path.map(function (step) { return step.key + ' ' + step.label; }).join(' → ');
  }

  /** Every agent who held the call, in order: who accepted it first, then each transfer's taker. */
  function agentsWhoHeld(session) {
    var seen = [];
    (session.history || []).forEach(function (line) {
      if (line.kind === 'accepted' && line.agentId && seen.indexOf(line.agentId) < 0) seen.push(line.agentId);
    });
    if (!seen.length && session.agentId) seen.push(session.agentId);
    return seen.join(', ');
  }

  function seconds(value) { return value != null ? value + ' s' : null; }

  /** A history line in words: its kind, who and the detail's main fields. */
  function historyText(line) {
    var parts = [line.kind];
    if (line.agentId) parts.push(t('agent {agent}', { agent: line.agentId }));
    if (line.skillGroupId) parts.push(t('group {group}', { group: line.skillGroupId }));
    var detail = line.detail && typeof line.detail === 'object' ? line.detail : {};
    Object.keys(detail).slice(0, 6).forEach(function (key) {
      var value = detail[key];
      // The agent and group are said once already.
      if (value === line.agentId || value === line.skillGroupId) return;
      if (value !== null && typeof value !== 'object') parts.push(key + ' ' + value);
    });
    return parts.join(' · ');
  }

  function create(page) {
    var api = page.api, el = page.el, handled = page.handled;
    var card = document.getElementById('history-card');
    var built = false;
    var query = {};
    var offset = 0;
    var asked = 0;

    var text = el('input', { type: 'search', id: 'history-q', maxlength: '100', autocomplete: 'off', placeholder: t('Name, number or words from a chat') });
    var type = el('select', { id: 'history-type' }, TYPES.map(function (pair) { return el('option', { value: pair[0], text: pair[1] }); }));
    var from = el('input', { type: 'date', id: 'history-from' });
    var to = el('input', { type: 'date', id: 'history-to' });
    var form = el('form', { class: 'history-form', role: 'search', 'aria-label': t('Search sessions') }, [
      el('label', { class: 'field', for: 'history-q' }, [t('Search'), text]),
      el('label', { class: 'field', for: 'history-type' }, [t('Type'), type]),
      el('label', { class: 'field', for: 'history-from' }, [t('From'), from]),
      el('label', { class: 'field', for: 'history-to' }, [t('To (including)'), to]),
      el('button', { type: 'submit', class: 'btn primary', text: t('Search') })
    ]);
    var status = el('p', { class: 'history-status', role: 'status' });
    var body = el('tbody');
    var table = el('table', { class: 'history-table' }, [
      el('thead', {}, [el('tr', {}, ['Started', 'Type', 'Customer', 'Group', 'Agent', 'Outcome', 'Recording'].map(function (h) {
        return el('th', { scope: 'col', text: t(h) });
      }))]),
      body
    ]);
    var more = el('button', { type: 'button', class: 'btn history-more', hidden: true, text: t('Load more sessions') });
    var detail = el('div', { class: 'history-detail', tabindex: '-1', hidden: true });

    function build() {
      if (built) return;
      built = true;
      card.appendChild(el('header', {}, [el('h2', { id: 'history-title', text: t('Session history') })]));
      card.appendChild(form);
      card.appendChild(status);
      card.appendChild(el('div', { class: 'history-results' }, [table]));
      card.appendChild(more);
      card.appendChild(detail);
      card.hidden = false;
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        query = {};
        if (text.value.trim()) query.q = text.value.trim();
        if (type.value) query.type = type.value;
        // The days as the supervisor means them: midnight here, sent as the instant it is.
        if (from.value) query.from = localMidnight(from.value, 0);
        if (to.value) query.to = localMidnight(to.value, 1);
        search(false);
      });
      more.addEventListener('click', function () { search(true); });
    }

    /**
     * The start of a local day (`days` later: "To" includes its day, the API's `to` excludes
     * its time) as milliseconds since 1970, which the API reads as that instant.
     */
    function localMidnight(date, days) {
      var parts = date.split('-').map(Number);
      return String(new Date(parts[0], parts[1] - 1, parts[2] + days).getTime());
    }

    function search(append) {
      var ticket = ++asked;
      if (!append) { offset = 0; body.textContent = ''; detail.hidden = true; }
      var params = new URLSearchParams(query);
      params.set('limit', String(PAGE));
      params.set('offset', String(offset));
      status.textContent = t('Searching…');
      more.hidden = true;
      api('/api/v1/sessions?' + params.toString()).then(function (page) {
        if (ticket !== asked) return;
        page.items.forEach(function (session) { body.appendChild(row(session)); });
        offset += page.items.length;
        more.hidden = !page.hasMore;
        var count = body.children.length;
        status.textContent = count ? t(count === 1 && !page.hasMore ? '{count} session' : '{count} sessions', { count: count + (page.hasMore ? '+' : '') })
          : t('No session matches.');
      }).catch(function (error) {
        if (ticket !== asked || handled(error)) return;
        status.textContent = t('Could not search: {reason}', { reason: error.message });
      });
    }

    function row(session) {
      var open = el('button', { type: 'button', class: 'link-button', 'data-history-session': session.id, text: time(session.createdAt) });
      open.addEventListener('click', function () { show(session.id); });
      var recording = session.recording ? (session.recording.status === 'ready' ? t('Yes') : t(session.recording.status)) : '—';
      return el('tr', { 'data-history': session.id }, [
        el('td', {}, [open]), el('td', { text: TYPE[session.type] || session.type }), el('td', { dir: 'auto', text: customerName(session) }),
        el('td', { text: session.skillGroupId }), el('td', { text: session.agentId || '—' }), el('td', { text: outcome(session) }),
        el('td', { text: recording })
      ]);
    }

    function show(id) {
      detail.hidden = false;
      detail.textContent = t('Loading {file}…', { file: id });
      api('/api/v1/sessions/' + encodeURIComponent(id)).then(function (session) {
        detail.textContent = '';
        detail.appendChild(el('h3', { text: customerName(session) + ' · ' + (TYPE[session.type] || session.type) + ' · ' + session.id }));
        var facts = el('dl', { class: 'history-facts' });
        var phone = session.type === 'phone';
        // A phone call's record in full: its direction, menu, each wait, who hung up and how it
        // ended as TCCC spells it, and every agent who held it (a transfer adds the next).
        [['Started', time(session.createdAt)], ['Queued at', phone && session.queuedAt ? time(session.queuedAt) : null],
         ['Answered', time(session.acceptedAt)], ['Ended', time(session.endedAt)],
         ['Direction', DIRECTION[session.direction]], ['Outcome', outcome(session)],
         ['Queue time', phone ? seconds(session.waitSeconds) : null], ['Ring time', phone ? seconds(session.ringSeconds) : null],
         ['Talk', seconds(session.talkSeconds)], ['On hold', phone ? seconds(session.holdSeconds) : (session.holdSeconds ? session.holdSeconds + ' s' : null)],
         ['Hung up by', HANG_UP[session.hangUpSide]], ['End status', phone ? session.endStatus : null],
         ['Group', session.skillGroupId], ['Agents', agentsWhoHeld(session)],
         ['Caller', (session.customer || {}).callerPhoneNumber], ['Number called', (session.customer || {}).calleePhoneNumber],
         ['Menu choices', menuChoices(session)], ['Keys pressed', session.digits], ['Disposition', session.dispositionCode],
         ['Wrap-up note', session.wrapUpNote]]
          .filter(function (pair) { return pair[1] && pair[1] !== '—'; })
          .forEach(function (pair) {
            facts.appendChild(el('dt', { text: t(pair[0]) }));
            facts.appendChild(el('dd', { 'data-fact': pair[0], text: String(pair[1]) }));
          });
        detail.appendChild(facts);
        if (session.recording) detail.appendChild(recording(session));
        var lines = el('ol', { class: 'history-lines', 'aria-label': t('What happened') });
        (session.history || []).forEach(function (line) {
          lines.appendChild(el('li', {}, [el('time', { text: time(line.at) }), ' ', historyText(line)]));
        });
        detail.appendChild(el('h4', { text: t('What happened') }));
        detail.appendChild(lines);
        if (session.type === 'im') detail.appendChild(transcript(session));
        detail.focus();
      }).catch(function (error) {
        if (handled(error)) return;
        detail.textContent = t('Could not open {session}: {reason}', { session: id, reason: error.message });
      });
    }

    function recording(session) {
      var box = el('div', { class: 'history-recording' }, [el('h4', { text: t('Recording') })]);
      if (session.recording.status === 'ready' && session.recording.url) {
        // Straight from the API with the cookie: the browser asks for ranges as the person seeks.
        box.appendChild(el('audio', { controls: 'controls', preload: 'metadata', src: session.recording.url,
          'aria-label': t('Recording of {session}', { session: session.id }) }));
        box.appendChild(el('a', { href: session.recording.url, download: session.id + '.wav', text: t('Download (WAV)') }));
      } else {
        box.appendChild(el('p', { text: session.recording.status === 'failed'
          ? t('The recording failed: {reason}', { reason: session.recording.reason || t('no reason was recorded') }) : t('Still being recorded: the call goes on.') }));
      }
      return box;
    }

    function transcript(session) {
      var list = el('ol', { class: 'history-transcript', 'aria-label': t('Transcript') });
      var box = el('div', {}, [el('h4', { text: t('Transcript') }), list]);
      api('/api/v1/sessions/' + encodeURIComponent(session.id) + '/messages?limit=200').then(function (page) {
        if (!page.messages.length) list.appendChild(el('li', { class: 'muted', text: t('No messages.') }));
        page.messages.forEach(function (m) {
          var by = m.from === 'agent' ? (m.agentName || m.agentUserId || t('Agent')) : m.from === 'customer' ? customerName(session) : t('System');
          list.appendChild(el('li', { 'data-from': m.from }, [
            el('span', { class: 'by', text: by + ' · ' + time(m.sentAt) }), el('span', { dir: 'auto', text: m.text })
          ]));
        });
        if (page.hasMore) list.appendChild(el('li', { class: 'muted', text: t('The first 200 messages.') }));
      }).catch(function (error) {
        if (handled(error)) return;
        list.appendChild(el('li', { class: 'muted', text: t('Could not load the transcript: {reason}', { reason: error.message }) }));
      });
      return box;
    }

    return {
      show: function () {
        if (!card) return;
        var first = !built;
        build();
        if (first) search(false);
      }
    };
  }

  window.SupervisorSessionHistory = { create: create };
})();
