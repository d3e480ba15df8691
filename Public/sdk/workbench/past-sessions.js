/*
 * Switchboard workbench, part: past sessions. A "Search past sessions" button beside the Recent
 * list opens a dialog over the server's records of the sessions this agent accepted (not only
 * this page's): searched by the customer's name, numbers, remark and user id and by the messages
 * (TCCC.Chat.getHistory), each one opening its details, its transcript (Chat.getMessages) and,
 * for a recorded phone call, a player for its recording (Call.getRecording). Loaded by tccc.js
 * before workbench.js, which places it.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  var CSS = [
    '.past-open { font-size: 12px; padding: 2px 8px; margin-left: auto; text-transform: none; letter-spacing: 0; }',
    '.history h2 { display: flex; align-items: center; gap: 8px; }',
    '.past-dialog { width: min(860px, calc(100vw - 24px)); max-height: calc(100vh - 48px); padding: 0; border: 1px solid #cbd5e1;',
    '  border-radius: 10px; box-shadow: 0 20px 50px rgba(15, 23, 42, .25); color: #0f172a; background: #fff; }',
    '.past-dialog::backdrop { background: rgba(15, 23, 42, .35); }',
    '.past-dialog .past-head { display: flex; align-items: center; gap: 8px; padding: 12px 14px; border-bottom: 1px solid #e2e8f0; }',
    '.past-dialog .past-head h2 { margin: 0; font-size: 16px; flex: 1; }',
    '.past-dialog .past-search { display: flex; gap: 8px; padding: 10px 14px; }',
    '.past-dialog .past-search input { flex: 1; min-width: 0; font: inherit; padding: 6px 8px; border: 1px solid #94a3b8; border-radius: 6px; }',
    '.past-dialog .past-body { display: flex; min-height: 320px; max-height: calc(100vh - 190px); border-top: 1px solid #e2e8f0; }',
    '.past-dialog .past-results { width: 42%; min-width: 0; overflow-y: auto; border-right: 1px solid #e2e8f0; padding: 6px; }',
    '.past-dialog .past-list { list-style: none; margin: 0; padding: 0; }',
    '.past-dialog .past-list button { width: 100%; text-align: left; font: inherit; font-size: 13px; background: none; border: 0;',
    '  border-radius: 6px; padding: 6px 8px; cursor: pointer; color: inherit; display: grid; gap: 2px; }',
    '.past-dialog .past-list button:hover, .past-dialog .past-list button[aria-current="true"] { background: #eef2ff; }',
    '.past-dialog .past-list .when, .past-dialog .past-list .outcome { color: #475569; font-size: 12px; }',
    '.past-dialog .past-detail { flex: 1; min-width: 0; overflow-y: auto; padding: 12px 14px; font-size: 13px; }',
    '.past-dialog .past-detail dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0 0 12px; }',
    '.past-dialog .past-detail dt { color: #475569; }',
    '.past-dialog .past-detail dd { margin: 0; overflow-wrap: anywhere; }',
    '.past-dialog .past-transcript { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }',
    '.past-dialog .past-transcript li { padding: 6px 8px; border-radius: 8px; background: #f1f5f9; overflow-wrap: anywhere; white-space: pre-wrap; }',
    '.past-dialog .past-transcript li[data-from="agent"] { background: #e0e7ff; }',
    '.past-dialog .past-transcript .by { display: block; font-size: 11px; color: #475569; }',
    '.past-dialog .past-status { color: #475569; padding: 4px 8px; }',
    '.past-dialog audio { width: 100%; margin: 6px 0 12px; }',
    '@media (max-width: 600px) { .past-dialog .past-body { flex-direction: column; max-height: none; }',
    '  .past-dialog .past-results { width: auto; border-right: 0; border-bottom: 1px solid #e2e8f0; max-height: 40vh; } }'
  ].join('\n');

  var TYPE = { im: 'Chat', phone: 'Phone call', voip: 'Voice call', video: 'Video call', internal: 'Internal call' };
  var CLOSE_BY = { seat: 'ended by the agent', client: 'ended by the customer', admin: 'ended by a supervisor', timer: 'ended by a timer',
    system: 'ended by the system', transfer: 'transferred' };
  var PAGE = 30;

  function when(ms) {
    if (!ms) return '';
    var date = new Date(ms);
    return date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' }) + ' ' +
      date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }

  function length(seconds) {
    if (seconds === null || seconds === undefined) return '';
    var s = Math.round(seconds);
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  /** Who the customer was, as far as the record says. */
  function customerName(session) {
    var c = session.customer || {};
    return c.nickname || c.callerPhoneNumber || c.calleePhoneNumber || c.userId || c.peerUserId || session.id;
  }

  function outcome(session) {
    var text = CLOSE_BY[session.closeBy] || (session.endedAt ? 'ended' : 'in progress');
    if (session.durationSeconds) text += ' · ' + length(session.durationSeconds);
    if (session.recording && session.recording.status === 'ready') text += ' · recorded';
    return text;
  }

  /**
   * Creates the button and the dialog. `el` is the workbench's element helper, `tccc` the SDK,
   * `render(message)` the body of a transcript message (links and files), or null for plain text.
   * Returns {button, dialog, css}.
   */
  parts.pastSessions = function (el, tccc, render) {
    // Short, to fit the side column's heading; the name says the whole (and starts with the text).
    var button = el('button', { type: 'button', class: 'btn past-open', 'aria-haspopup': 'dialog', 'aria-label': 'Search past sessions',
      title: 'Search all your past sessions', text: 'Search' });
    var close = el('button', { type: 'button', class: 'btn', text: 'Close' });
    var input = el('input', { type: 'search', 'aria-label': 'Search past sessions by customer, number or message', autocomplete: 'off',
      placeholder: 'Name, number or words from the chat', maxlength: '100' });
    var searchButton = el('button', { type: 'submit', class: 'btn primary', text: 'Search' });
    var form = el('form', { class: 'past-search', role: 'search' }, [input, searchButton]);
    var list = el('ul', { class: 'past-list', 'aria-label': 'Past sessions' });
    var status = el('p', { class: 'past-status', role: 'status' });
    var more = el('button', { type: 'button', class: 'btn past-more', hidden: true, text: 'Show more' });
    var detail = el('section', { class: 'past-detail', 'aria-label': 'Session details', tabindex: '-1' },
      [el('p', { class: 'past-status', text: 'Pick a session to see its details.' })]);
    var dialog = el('dialog', { class: 'past-dialog', 'aria-labelledby': 'tccc-past-title' }, [
      el('div', { class: 'past-head' }, [el('h2', { id: 'tccc-past-title', text: 'Past sessions' }), close]),
      form,
      el('div', { class: 'past-body' }, [el('div', { class: 'past-results' }, [status, list, more]), detail])
    ]);
    var query = '';
    var offset = 0;
    var asked = 0;         // the latest search: an older one's answer arriving late is dropped
    var audioURL = null;

    function search(append) {
      var ticket = ++asked;
      if (!append) { offset = 0; list.textContent = ''; }
      status.textContent = 'Searching…';
      more.hidden = true;
      tccc.Chat.getHistory({ q: query, limit: PAGE, offset: offset }).then(function (answer) {
        if (ticket !== asked) return;
        if (answer.status !== 'success') { status.textContent = 'Could not search: ' + answer.errorMsg; return; }
        var page = answer.data;
        page.items.forEach(function (session) { list.appendChild(item(session)); });
        offset += page.items.length;
        more.hidden = !page.hasMore;
        status.textContent = list.children.length
          ? list.children.length + (page.hasMore ? '+' : '') + ' session' + (list.children.length === 1 && !page.hasMore ? '' : 's')
          : (query ? 'No session of yours matches "' + query + '".' : 'You have not accepted any session yet.');
      });
    }

    function item(session) {
      var choose = el('button', { type: 'button', 'data-session': session.id }, [
        el('strong', { text: customerName(session) + ' · ' + (TYPE[session.type] || session.type) }),
        el('span', { class: 'when', text: when(session.createdAt) }),
        el('span', { class: 'outcome', text: outcome(session) })
      ]);
      choose.addEventListener('click', function () {
        Array.prototype.forEach.call(list.querySelectorAll('button[aria-current]'), function (b) { b.removeAttribute('aria-current'); });
        choose.setAttribute('aria-current', 'true');
        show(session);
      });
      return el('li', {}, [choose]);
    }

    function releaseAudio() {
      if (audioURL) { URL.revokeObjectURL(audioURL); audioURL = null; }
    }

    function show(session) {
      releaseAudio();
      var c = session.customer || {};
      var rows = [
        ['Customer', customerName(session)], ['Type', TYPE[session.type] || session.type], ['Group', session.skillGroupId],
        ['Started', when(session.createdAt)], ['Answered', when(session.acceptedAt)], ['Ended', when(session.endedAt)],
        ['Outcome', outcome(session)], ['Caller', c.callerPhoneNumber], ['Number called', c.calleePhoneNumber],
        ['Remark', c.remark], ['Disposition', session.dispositionCode], ['Wrap-up note', session.wrapUpNote]
      ].filter(function (row) { return row[1]; });
      var facts = el('dl', {}, []);
      rows.forEach(function (row) { facts.appendChild(el('dt', { text: row[0] })); facts.appendChild(el('dd', { text: String(row[1]) })); });
      detail.textContent = '';
      detail.appendChild(el('h3', { text: customerName(session) }));
      detail.appendChild(facts);
      if (session.recording) detail.appendChild(recording(session));
      if (session.type === 'im') detail.appendChild(transcript(session));
      detail.focus();
    }

    function recording(session) {
      var box = el('div', { class: 'past-recording' });
      if (session.recording.status !== 'ready') {
        box.appendChild(el('p', { class: 'past-status', text: session.recording.status === 'failed'
          ? 'The recording failed: ' + (session.recording.reason || 'no reason was recorded')
          : 'The recording is still being made.' }));
        return box;
      }
      var play = el('button', { type: 'button', class: 'btn play-recording', text: 'Play the recording (' + length(session.recording.durationSeconds) + ')' });
      play.addEventListener('click', function () {
        play.disabled = true;
        play.textContent = 'Loading the recording…';
        tccc.Call.getRecording({ sessionId: session.id }).then(function (answer) {
          if (answer.status !== 'success') { play.disabled = false; play.textContent = 'Could not load it: ' + answer.errorMsg; return; }
          releaseAudio();
          audioURL = URL.createObjectURL(answer.data);
          var audio = el('audio', { controls: true, src: audioURL, 'aria-label': 'Recording of the call with ' + customerName(session) });
          box.replaceChild(audio, play);
          audio.play().catch(function () { /* autoplay refused: the controls are there */ });
        });
      });
      box.appendChild(play);
      return box;
    }

    function transcript(session) {
      var lines = el('ol', { class: 'past-transcript', 'aria-label': 'Transcript' });
      var note = el('p', { class: 'past-status', text: 'Loading the transcript…' });
      var box = el('div', {}, [el('h4', { text: 'Transcript' }), note, lines]);
      tccc.Chat.getMessages({ sessionId: session.id, order: 'oldest', limit: 200 }).then(function (answer) {
        if (answer.status !== 'success') { note.textContent = 'Could not load the transcript: ' + answer.errorMsg; return; }
        var messages = answer.data.messages || [];
        note.textContent = messages.length ? (answer.data.hasMore ? 'The first 200 messages.' : '') : 'No messages.';
        note.hidden = !note.textContent;
        messages.forEach(function (m) {
          var by = m.from === 'agent' ? (m.agentName || m.agentUserId || 'Agent') : m.from === 'customer' ? customerName(session) : 'System';
          var body = render ? render(m, session.id) : document.createTextNode(m.text);
          lines.appendChild(el('li', { 'data-from': m.from, dir: 'auto' }, [el('span', { class: 'by', text: by + ' · ' + when(m.sentAt) }), body]));
        });
      });
      return box;
    }

    button.addEventListener('click', function () {
      if (!dialog.open) dialog.showModal();
      input.focus();
      search(false);
    });
    close.addEventListener('click', function () { dialog.close(); });
    // Escape closes it from anywhere inside, the search box included (where the browser would
    // only clear the text), and focus goes back to the button that opened it.
    dialog.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      dialog.close();
    });
    dialog.addEventListener('close', function () { releaseAudio(); button.focus(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      query = input.value.trim();
      search(false);
    });
    more.addEventListener('click', function () { search(true); });

    return { button: button, dialog: dialog, css: CSS };
  };
})();
