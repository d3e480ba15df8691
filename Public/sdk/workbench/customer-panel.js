/*
 * Switchboard workbench, part: the customer panel beside the conversation — who the customer is
 * and where they came from, from the session's callIn fields, and their earlier sessions. Loaded by tccc.js before
 * workbench.js, which places it (beside the conversation on a full page, behind a "Customer"
 * button in the floating panel).
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.customer-panel { flex: none; width: 280px; border-left: 1px solid var(--wb-line, #e2e8f0); background: var(--wb-surface, #fff); overflow-y: auto; padding: 14px;',
    '  display: flex; flex-direction: column; gap: 12px; font-size: 13px; }',
    '.wb.compact .customer-panel { width: auto; border-left: none; border-bottom: 1px solid var(--wb-line, #e2e8f0); max-height: 45%; }',
    '.customer-panel .who-card { display: flex; align-items: center; gap: 10px; }',
    '.customer-panel .face { width: 44px; height: 44px; border-radius: 50%; background: var(--wb-tag, #e0e7ff); color: var(--wb-tag-ink, #3730a3); display: grid; place-items: center;',
    '  font-weight: 700; font-size: 18px; flex: none; overflow: hidden; }',
    '.customer-panel .face img { width: 100%; height: 100%; object-fit: cover; }',
    '.customer-panel .who-name { font-weight: 650; font-size: 15px; overflow-wrap: anywhere; }',
    '.customer-panel .who-type { color: var(--wb-muted, #586679); font-size: 12px; }',
    '.customer-panel dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 6px 12px; }',
    '.customer-panel dt { color: var(--wb-muted, #586679); }',
    '.customer-panel dd { margin: 0; overflow-wrap: anywhere; }',
    '.customer-panel h3 { margin: 4px 0 0; font-size: 13px; }',
    '.customer-panel .earlier { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }',
    '.customer-panel .earlier details { border: 1px solid var(--wb-line, #e2e8f0); border-radius: 6px; padding: 4px 8px; }',
    '.customer-panel .earlier summary { cursor: pointer; display: grid; gap: 1px; }',
    '.customer-panel .earlier summary .when, .customer-panel .earlier .outcome, .customer-panel .earlier-status { color: var(--wb-muted, #586679); font-size: 12px; }',
    '.customer-panel .earlier-transcript { list-style: none; margin: 6px 0 2px; padding: 0; display: grid; gap: 4px; }',
    '.customer-panel .earlier-transcript li { padding: 4px 6px; border-radius: 6px; background: var(--wb-surface-3, #f1f5f9); overflow-wrap: anywhere; white-space: pre-wrap; }',
    '.customer-panel .earlier-transcript li[data-from="agent"] { background: var(--wb-tag, #e0e7ff); }',
    '.customer-panel .earlier-transcript .by { display: block; font-size: 11px; color: var(--wb-muted, #586679); }',
    '.chat-main { flex: 1; min-height: 0; display: flex; }',
    '.wb.compact .chat-main { flex-direction: column; }',
    '.conversation { flex: 1; min-width: 0; min-height: 0; display: flex; flex-direction: column; }'
  ].join('\n');

  var TYPE = { im: t('Chat'), phone: t('Phone call'), voip: t('Voice call'), video: t('Video call'), internal: t('Internal call') };

  /** Only pictures the page's Content-Security-Policy lets load, and never a script URL. */
  // Only this server's own paths and inline images: a remote URL a customer supplies would be a
  // tracking pixel telling them the agent's address and when the chat was opened.
  function safeAvatar(url) {
    return typeof url === 'string' && /^(\/(?!\/)|data:image\/(png|jpeg|gif|webp);)/i.test(url) ? url : null;
  }

  var EARLIER_PAGE = 5;

  /**
   * The customer's earlier sessions, whoever served them (TCCC.Chat.getCustomerSessions), each
   * opening its transcript (Chat.getCustomerMessages). Loaded once per session shown.
   */
  function earlierSessions(el, tccc) {
    var text = parts.sessionRecordText; // workbench/past-sessions.js
    var list = el('ul', { class: 'earlier', 'aria-labelledby': 'tccc-earlier-title' });
    var status = el('p', { class: 'earlier-status', role: 'status' });
    var more = el('button', { type: 'button', class: 'btn earlier-more', hidden: true, text: t('Show more') });
    var node = el('section', { class: 'customer-earlier' }, [el('h3', { id: 'tccc-earlier-title', text: t('Earlier sessions') }), status, list, more]);
    var shownFor = null;
    var offset = 0;

    function load(sessionId) {
      status.textContent = t('Loading…');
      more.hidden = true;
      tccc.Chat.getCustomerSessions({ sessionId: sessionId, limit: EARLIER_PAGE, offset: offset }).then(function (answer) {
        if (shownFor !== sessionId) return; // another session was picked meanwhile
        if (answer.status !== 'success') { status.textContent = t('Could not load them: {reason}', { reason: answer.errorMsg }); return; }
        answer.data.items.forEach(function (earlier) { list.appendChild(item(sessionId, earlier)); });
        offset += answer.data.items.length;
        more.hidden = !answer.data.hasMore;
        status.textContent = list.children.length ? '' : t('None: this is their first session, or they gave nothing that tells them apart.');
        status.hidden = !status.textContent;
      });
    }

    function item(sessionId, earlier) {
      var summary = el('summary', {}, [
        el('strong', { text: text.type[earlier.type] || earlier.type }),
        el('span', { class: 'when', text: text.when(earlier.createdAt) }),
        el('span', { class: 'outcome', text: [earlier.agentId, text.outcome(earlier), earlier.dispositionCode].filter(Boolean).join(' · ') })
      ]);
      var details = el('details', { 'data-session': earlier.id }, [summary]);
      var loaded = false;
      details.addEventListener('toggle', function () {
        if (!details.open || loaded) return;
        loaded = true;
        if (earlier.wrapUpNote) details.appendChild(el('p', { class: 'earlier-status', text: t('Wrap-up note') + ': ' + earlier.wrapUpNote }));
        if (earlier.type !== 'im') return;
        var lines = el('ol', { class: 'earlier-transcript', 'aria-label': t('Transcript') });
        var note = el('p', { class: 'earlier-status', text: t('Loading the transcript…') });
        details.appendChild(note);
        details.appendChild(lines);
        tccc.Chat.getCustomerMessages({ sessionId: sessionId, earlierSessionId: earlier.id, order: 'oldest', limit: 200 }).then(function (answer) {
          if (answer.status !== 'success') { note.textContent = t('Could not load the transcript: {reason}', { reason: answer.errorMsg }); return; }
          var messages = answer.data.messages || [];
          note.textContent = messages.length ? (answer.data.hasMore ? t('The first 200 messages.') : '') : t('No messages.');
          note.hidden = !note.textContent;
          text.appendTranscript(el, lines, messages, earlier, function (message) { return messageBody(sessionId, earlier.id, message); });
        });
      });
      return el('li', {}, [details]);
    }

    /** A message's body as the transcript shows it: links made safe, files fetched on demand. */
    function messageBody(sessionId, earlierId, message) {
      var content = window.SwitchboardChatContent; // chat-content.js
      if (!content) return document.createTextNode(message.text);
      if (!message.attachment) return content.text(message.text);
      var file = message.attachment;
      return content.attachment(file, function () {
        return tccc.Chat.getCustomerFile({ sessionId: sessionId, earlierSessionId: earlierId, attachmentId: file.attachmentId }).then(function (answer) {
          if (answer.status !== 'success') throw new Error(answer.errorMsg);
          return answer.data;
        });
      });
    }

    more.addEventListener('click', function () { if (shownFor) load(shownFor); });

    return {
      node: node,
      show: function (session) {
        var usable = tccc && tccc.Chat.getCustomerSessions && session.type !== 'internal';
        node.hidden = !usable;
        if (!usable || shownFor === session.sessionId) return;
        shownFor = session.sessionId;
        offset = 0;
        list.textContent = '';
        load(shownFor);
      }
    };
  }

  /**
   * Creates the panel. `el` is the workbench's element helper; `label(session)` its display name;
   * `tccc` the SDK, for the customer's earlier sessions. Returns {node, css, render(session)}.
   */
  parts.customerPanel = function (el, label, tccc) {
    var face = el('div', { class: 'face', 'aria-hidden': 'true' });
    var name = el('div', { class: 'who-name' });
    var kind = el('div', { class: 'who-type' });
    var facts = el('dl', { class: 'customer-facts' });
    var earlier = earlierSessions(el, tccc);
    var node = el('aside', { class: 'customer-panel', 'aria-label': t('Customer') }, [
      el('div', { class: 'who-card' }, [face, el('div', {}, [name, kind])]),
      facts,
      earlier.node
    ]);

    function render(session) {
      if (!session) return;
      var shown = label(session);
      name.textContent = shown;
      kind.textContent = TYPE[session.type] || session.type;
      face.textContent = '';
      var picture = safeAvatar(session.avatar);
      if (picture) {
        var img = el('img', { alt: '', src: picture });
        img.addEventListener('error', function () { face.textContent = shown.trim().charAt(0).toUpperCase(); });
        face.appendChild(img);
      } else {
        face.textContent = shown.trim().charAt(0).toUpperCase();
      }
      var phone = session.type === 'phone';
      var rows = [
        ['Name', session.nickname],
        ['Phone', phone ? (session.direction === 'out' ? session.calleePhoneNumber : session.callerPhoneNumber || t('number withheld')) : null],
        ['Number dialled', phone && session.direction !== 'out' ? session.calleePhoneNumber : null],
        ['Location', session.callerLocation],
        ['Came from', session.peerSource],
        ['Channel', session.channelName],
        ['Skill group', session.skillGroupId],
        ['Called', session.calleeRemark || session.callee],
        ['Page data', session.clientData],
        ['Note', session.remark],
        ['Visitor id', session.userId],
        ['Colleague', session.type === 'internal' ? session.peerUserId : null]
      ];
      facts.textContent = '';
      rows.forEach(function (row) {
        if (row[1] == null || row[1] === '') return;
        facts.appendChild(el('dt', { text: t(row[0]) }));
        facts.appendChild(el('dd', { text: String(row[1]), 'data-field': row[0] }));
      });
      earlier.show(session);
    }

    return { node: node, css: CSS, render: render };
  };
})();
