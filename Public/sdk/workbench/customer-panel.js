/*
 * Switchboard workbench, part: the customer panel beside the conversation — who the customer is
 * and where they came from, from the session's callIn fields. Loaded by tccc.js before
 * workbench.js, which places it (beside the conversation on a full page, behind a "Customer"
 * button in the floating panel).
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n ? window.SwitchboardI18n.t : function (text, params) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return params && name in params ? String(params[name]) : all; });
  }; // i18n/i18n.js

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

  /**
   * Creates the panel. `el` is the workbench's element helper; `label(session)` its display name.
   * Returns {node, css, render(session)}.
   */
  parts.customerPanel = function (el, label) {
    var face = el('div', { class: 'face', 'aria-hidden': 'true' });
    var name = el('div', { class: 'who-name' });
    var kind = el('div', { class: 'who-type' });
    var facts = el('dl', { class: 'customer-facts' });
    var node = el('aside', { class: 'customer-panel', 'aria-label': t('Customer') }, [
      el('div', { class: 'who-card' }, [face, el('div', {}, [name, kind])]),
      facts
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
    }

    return { node: node, css: CSS, render: render };
  };
})();
