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
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  var CSS = [
    '.past-open { font-size: 12px; padding: 2px 8px; margin-left: auto; text-transform: none; letter-spacing: 0; }',
    '.history h2 { display: flex; align-items: center; gap: 8px; }',
    '.past-dialog { width: min(860px, calc(100vw - 24px)); max-height: calc(100vh - 48px); padding: 0; border: 1px solid var(--wb-line-2, #cbd5e1);',
    '  border-radius: 10px; box-shadow: 0 20px 50px rgba(15, 23, 42, .25); color: var(--wb-ink, #0f172a); background: var(--wb-surface, #fff); }',
    '.past-dialog::backdrop { background: rgba(15, 23, 42, .35); }',
    '.past-dialog .past-head { display: flex; align-items: center; gap: 8px; padding: 12px 14px; border-bottom: 1px solid var(--wb-line, #e2e8f0); }',
    '.past-dialog .past-head h2 { margin: 0; font-size: 16px; flex: 1; }',
    '.past-dialog .past-search { display: flex; gap: 8px; padding: 10px 14px; }',
    '.past-dialog .past-search input { flex: 1; min-width: 0; font: inherit; padding: 6px 8px; border: 1px solid var(--wb-line-3, #94a3b8); border-radius: 6px; }',
    '.past-dialog .past-body { display: flex; min-height: 320px; max-height: calc(100vh - 190px); border-top: 1px solid var(--wb-line, #e2e8f0); }',
    '.past-dialog .past-results { width: 42%; min-width: 0; overflow-y: auto; border-right: 1px solid var(--wb-line, #e2e8f0); padding: 6px; }',
    '.past-dialog .past-list { list-style: none; margin: 0; padding: 0; }',
    '.past-dialog .past-list button { width: 100%; text-align: left; font: inherit; font-size: 13px; background: none; border: 0;',
    '  border-radius: 6px; padding: 6px 8px; cursor: pointer; color: inherit; display: grid; gap: 2px; }',
    '.past-dialog .past-list button:hover, .past-dialog .past-list button[aria-current="true"] { background: #eef2ff; }',
    '.past-dialog .past-list .when, .past-dialog .past-list .outcome { color: var(--wb-muted-2, #475569); font-size: 12px; }',
    '.past-dialog .past-detail { flex: 1; min-width: 0; overflow-y: auto; padding: 12px 14px; font-size: 13px; }',
    '.past-dialog .past-detail dl { display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; margin: 0 0 12px; }',
    '.past-dialog .past-detail dt { color: var(--wb-muted-2, #475569); }',
    '.past-dialog .past-detail dd { margin: 0; overflow-wrap: anywhere; }',
    '.past-dialog .past-transcript { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }',
    '.past-dialog .past-transcript li { padding: 6px 8px; border-radius: 8px; background: var(--wb-surface-3, #f1f5f9); overflow-wrap: anywhere; white-space: pre-wrap; }',
    '.past-dialog .past-transcript li[data-from="agent"] { background: var(--wb-tag, #e0e7ff); }',
    '.past-dialog .past-transcript .by { display: block; font-size: 11px; color: var(--wb-muted-2, #475569); }',
    '.past-dialog .past-status { color: var(--wb-muted-2, #475569); padding: 4px 8px; }',
    '.past-dialog audio { width: 100%; margin: 6px 0 12px; }',
    '@media (max-width: 600px) { .past-dialog .past-body { flex-direction: column; max-height: none; }',
    '  .past-dialog .past-results { width: auto; border-right: 0; border-bottom: 1px solid var(--wb-line, #e2e8f0); max-height: 40vh; } }'
  ].join('\n');

  var TYPE = { im: t('Chat'), phone: t('Phone call'), voip: t('Voice call'), video: t('Video call'), internal: t('Internal call') };
  var CLOSE_BY = { seat: t('ended by the agent'), client: t('ended by the customer'), admin: t('ended by a supervisor'), timer: t('ended by a timer'),
    system: t('ended by the system'), transfer: t('transferred') };
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
    var text = CLOSE_BY[session.closeBy] || (session.endedAt ? t('ended') : t('in progress'));
    if (session.durationSeconds) text += ' · ' + length(session.durationSeconds);
    if (session.recording && session.recording.status === 'ready') text += ' · ' + t('recorded');
    return text;
  }

  /** Adds a transcript's messages to `lines` (an <ol>): who wrote each and when, then its body. */
  function appendTranscript(el, lines, messages, session, render) {
    messages.forEach(function (m) {
      var by = m.from === 'agent' ? (m.agentName || m.agentUserId || t('Agent')) : m.from === 'customer' ? customerName(session) : t('System');
      var body = render ? render(m, session.id) : document.createTextNode(m.text);
      lines.appendChild(el('li', { 'data-from': m.from, dir: 'auto' }, [el('span', { class: 'by', text: by + ' · ' + when(m.sentAt) }), body]));
    });
  }

  // What the customer panel's earlier sessions show the same way.
  parts.sessionRecordText = { type: TYPE, when: when, outcome: outcome, appendTranscript: appendTranscript };

  /**
   * Creates the button and the dialog. `el` is the workbench's element helper, `tccc` the SDK,
   * `render(message)` the body of a transcript message (links and files), or null for plain text.
   * Returns {button, dialog, css}.
   */
  parts.pastSessions = function (el, tccc, render) {
    // Short, to fit the side column's heading; the name says the whole (and starts with the text).
    var button = el('button', { type: 'button', class: 'btn past-open', 'aria-haspopup': 'dialog', 'aria-label': t('Search past sessions'),
      title: t('Search all your past sessions'), text: t('Search') });
    var close = el('button', { type: 'button', class: 'btn', text: t('Close') });
    var input = el('input', { type: 'search', 'aria-label': t('Search past sessions by customer, number or message'), autocomplete: 'off',
      placeholder: t('Name, number or words from the chat'), maxlength: '100' });
    var searchButton = el('button', { type: 'submit', class: 'btn primary', text: t('Search') });
    var form = el('form', { class: 'past-search', role: 'search' }, [input, searchButton]);
    var list = el('ul', { class: 'past-list', 'aria-label': t('Past sessions') });
    var status = el('p', { class: 'past-status', role: 'status' });
    var more = el('button', { type: 'button', class: 'btn past-more', hidden: true, text: t('Show more') });
    var detail = el('section', { class: 'past-detail', 'aria-label': t('Session details'), tabindex: '-1' },
      [el('p', { class: 'past-status', text: t('Pick a session to see its details.') })]);
    var dialog = el('dialog', { class: 'past-dialog', 'aria-labelledby': 'tccc-past-title' }, [
      el('div', { class: 'past-head' }, [el('h2', { id: 'tccc-past-title', text: t('Past sessions') }), close]),
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
      status.textContent = t('Searching…');
      more.hidden = true;
      tccc.Chat.getHistory({ q: query, limit: PAGE, offset: offset }).then(function (answer) {
        if (ticket !== asked) return;
        if (answer.status !== 'success') { status.textContent = t('Could not search: {reason}', { reason: answer.errorMsg }); return; }
        var page = answer.data;
        page.items.forEach(function (session) { list.appendChild(item(session)); });
        offset += page.items.length;
        more.hidden = !page.hasMore;
        status.textContent = list.children.length
          ? t(list.children.length === 1 && !page.hasMore ? '{count} session' : '{count} sessions', { count: list.children.length + (page.hasMore ? '+' : '') })
          : (query ? t('No session of yours matches "{query}".', { query: query }) : t('You have not accepted any session yet.'));
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
      rows.forEach(function (row) { facts.appendChild(el('dt', { text: t(row[0]) })); facts.appendChild(el('dd', { text: String(row[1]) })); });
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
          ? t('The recording failed: {reason}', { reason: session.recording.reason || t('no reason was recorded') })
          : t('The recording is still being made.') }));
        return box;
      }
      var play = el('button', { type: 'button', class: 'btn play-recording', text: t('Play the recording ({length})', { length: length(session.recording.durationSeconds) }) });
      play.addEventListener('click', function () {
        play.disabled = true;
        play.textContent = t('Loading the recording…');
        tccc.Call.getRecording({ sessionId: session.id }).then(function (answer) {
          if (answer.status !== 'success') { play.disabled = false; play.textContent = t('Could not load it: {reason}', { reason: answer.errorMsg }); return; }
          releaseAudio();
          audioURL = URL.createObjectURL(answer.data);
          var audio = el('audio', { controls: true, src: audioURL, 'aria-label': t('Recording of the call with {name}', { name: customerName(session) }) });
          box.replaceChild(audio, play);
          audio.play().catch(function () { /* autoplay refused: the controls are there */ });
        });
      });
      box.appendChild(play);
      return box;
    }

    function transcript(session) {
      var lines = el('ol', { class: 'past-transcript', 'aria-label': t('Transcript') });
      var note = el('p', { class: 'past-status', text: t('Loading the transcript…') });
      var box = el('div', {}, [el('h4', { text: t('Transcript') }), note, lines]);
      tccc.Chat.getMessages({ sessionId: session.id, order: 'oldest', limit: 200 }).then(function (answer) {
        if (answer.status !== 'success') { note.textContent = t('Could not load the transcript: {reason}', { reason: answer.errorMsg }); return; }
        var messages = answer.data.messages || [];
        note.textContent = messages.length ? (answer.data.hasMore ? t('The first 200 messages.') : '') : t('No messages.');
        note.hidden = !note.textContent;
        appendTranscript(el, lines, messages, session, render);
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
