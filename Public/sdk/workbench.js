/*
 * Switchboard workbench: the agent UI that TCCC.UI.* shows and hides. Loaded by tccc.js; renders
 * into a shadow root so the host page's CSS cannot reach it. Everything it does goes through the
 * public TCCC API, so it is also an example of using the SDK.
 */
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var STATUS = {
    free: { label: t('Available'), color: '#16a34a' },
    busy: { label: t('Busy'), color: '#dc2626' },
    arrange: { label: t('Wrap-up'), color: '#d97706' },
    notReady: { label: t('Not ready'), color: '#64748b' },
    rest: { label: t('On break'), color: '#7c3aed' },
    offline: { label: t('Offline'), color: '#94a3b8' }
  };
  var DEFAULT_REST_REASONS = ['lunch', 'meeting', 'training', 'break'];
  var CLOSE_BY = { client: t('customer left'), seat: t('you ended it'), admin: t('ended by a supervisor'), timer: t('timed out') };
  var TYPE_LABEL = { im: t('Chat'), phone: t('Phone'), voip: t('Voice'), video: t('Video'), internal: t('Internal') };
  // How a phone call ended, for people (the end statuses as the server spells them).
  var END_STATUS = {
    busy: t('Busy'), notAnswer: t('No answer'), userReject: t('Call declined'), numberNotExist: t('Number does not exist'),
    operatorError: t('The carrier could not connect the call'), error: t('The call failed'), callerCancel: t('Cancelled'),
    waitingGiveUp: t('The caller hung up while waiting'), ringingGiveUp: t('The caller hung up while it rang'),
    ivrGiveUp: t('The caller hung up in the menu'), noSeatOnline: t('Nobody was online'), notWorkTime: t('Outside working hours')
  };
  var KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
  // The server's limit for one im message, in characters (docs/reliability.md).
  var MESSAGE_LIMIT = 8000;
  var COUNTER_FROM = 7000;

  var CSS = [
    ':host { all: initial; }',
    '*, *::before, *::after { box-sizing: border-box; }',
    '[hidden] { display: none !important; }',
    '.wb { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif;',
    '  color: var(--wb-ink, #0f172a); -webkit-font-smoothing: antialiased; }',
    'button, input, select, textarea { font: inherit; color: inherit; }',
    'button { cursor: pointer; }',
    ':focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }',
    '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }',

    /* floating button */
    '.fab { position: fixed; right: 24px; bottom: 24px; z-index: 2147483001; width: 60px; height: 60px; border-radius: 50%;',
    '  border: none; background: #1e293b; color: #fff; box-shadow: 0 8px 24px rgba(15,23,42,.35); display: grid; place-items: center; }',
    '.fab:hover { background: #334155; }',
    '.fab svg { width: 28px; height: 28px; }',
    '.fab .dot { position: absolute; right: 6px; bottom: 6px; width: 16px; height: 16px; border-radius: 50%; border: 3px solid #1e293b; }',
    '.fab .badge { position: absolute; top: -4px; right: -4px; min-width: 24px; height: 24px; padding: 0 6px; border-radius: 12px;',
    '  background: #dc2626; color: #fff; font-weight: 700; font-size: 13px; line-height: 24px; text-align: center; border: 2px solid #fff; }',
    '.fab.ringing { animation: ring 1.2s ease-in-out infinite; }',
    '@keyframes ring { 0%, 100% { box-shadow: 0 0 0 0 rgba(220,38,38,.55), 0 8px 24px rgba(15,23,42,.35); }',
    '  50% { box-shadow: 0 0 0 12px rgba(220,38,38,0), 0 8px 24px rgba(15,23,42,.35); } }',
    '@media (prefers-reduced-motion: reduce) { .fab.ringing { animation: none; } }',

    /* panel */
    '.panel { background: var(--wb-surface-2, #f8fafc); display: flex; flex-direction: column; overflow: hidden; }',
    // .compact: one column, the list or the conversation (the floating panel, and the page on a narrow screen).
    '.wb[data-layout="floating"] .panel { position: fixed; right: 24px; bottom: 96px; z-index: 2147483000; width: min(400px, calc(100vw - 16px));',
    '  height: min(640px, calc(100vh - 120px)); border-radius: 14px; box-shadow: 0 18px 50px rgba(15,23,42,.28); border: 1px solid var(--wb-line, #e2e8f0); }',
    '.wb[data-layout="page"] { height: 100%; }',
    '.wb[data-layout="page"] .panel { position: relative; width: 100%; height: 100%; min-height: 480px; }',
    '.top { display: flex; flex-wrap: wrap; align-items: center; gap: 10px; padding: 12px 14px; background: #1e293b; color: #f8fafc; }',
    '.status-row { display: flex; align-items: center; gap: 8px; }',
    '.wb[data-layout="page"] .top { background: var(--wb-surface, #fff); color: var(--wb-ink, #0f172a); border-bottom: 1px solid var(--wb-line, #e2e8f0); }',
    '.wb[data-layout="page"] .who .conn { color: var(--wb-muted, #586679); }',
    '.wb[data-layout="page"] .avatar { background: var(--wb-tag, #e0e7ff); color: var(--wb-tag-ink, #3730a3); }',
    '.wb[data-layout="page"] .status-control { background: var(--wb-surface-3, #f1f5f9); border: 1px solid var(--wb-line, #e2e8f0); }',
    '.wb[data-layout="page"] .status-control select { color: var(--wb-ink, #0f172a); }',
    '.wb[data-layout="page"] .online-toggle { color: var(--wb-ink-2, #334155); border-color: var(--wb-line-2, #cbd5e1); }',
    '.wb[data-layout="page"] .online-toggle:hover { background: var(--wb-surface-3, #f1f5f9); }',
    '.wb.compact .status-row { order: 3; width: 100%; }',
    '.wb.compact .status-control { flex: 1; min-width: 0; }',
    '.wb.compact .status-control select { max-width: none; flex: 1; min-width: 0; width: 100%; text-overflow: ellipsis; }',
    '.who-text { min-width: 0; }',
    '.avatar { width: 34px; height: 34px; border-radius: 50%; background: #475569; display: grid; place-items: center; font-weight: 700; flex: none; }',
    '.who { display: flex; align-items: center; gap: 10px; min-width: 0; flex: 1; }',
    '.who .name { font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }',
    '.who .conn { font-size: 12px; color: #cbd5e1; }',
    '.status-control { display: flex; align-items: center; gap: 6px; background: #334155; border-radius: 8px; padding: 4px 8px; }',
    '.status-control select { background: transparent; border: none; color: #f8fafc; padding: 3px 2px; max-width: 220px; font-weight: 600; }',
    '.status-control select option { color: var(--wb-ink, #0f172a); }',
    '.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; flex: none; }',
    '.icon { background: transparent; border: none; color: inherit; width: 32px; height: 32px; border-radius: 6px; font-size: 20px; line-height: 1; }',
    '.icon:hover { background: rgba(255,255,255,.12); }',
    '.online-toggle { background: transparent; color: #e2e8f0; border: 1px solid #64748b; border-radius: 6px; padding: 5px 10px; font-size: 12px; white-space: nowrap; }',
    '.online-toggle:hover { background: rgba(255,255,255,.1); }',
    '.banner { padding: 8px 14px; font-size: 13px; background: var(--wb-warn-bg, #fef3c7); color: var(--wb-warn-ink, #78350f); border-bottom: 1px solid var(--wb-warn-line, #fde68a); }',
    '.banner.bad { background: var(--wb-bad-bg, #fee2e2); color: var(--wb-bad-ink, #7f1d1d); border-color: var(--wb-bad-line, #fecaca); }',
    '.pending { padding: 6px 14px; font-size: 12px; background: var(--wb-pending-bg, #ede9fe); color: var(--wb-pending-ink, #4c1d95); }',
    '.body { flex: 1; min-height: 0; display: flex; }',
    '.side { overflow-y: auto; padding: 12px; display: flex; flex-direction: column; gap: 14px; }',
    '.wb.compact .side { flex: 1; }',
    '.wb.compact.chatting .side { display: none; }',
    '.wb.compact:not(.chatting) .main { display: none; }',
    '.wb[data-layout="page"] .side { width: 340px; flex: none; border-right: 1px solid var(--wb-line, #e2e8f0); background: var(--wb-surface-3, #f1f5f9); }',
    '.wb.compact[data-layout="page"] .side { width: auto; flex: 1; border-right: none; }',
    '.main { flex: 1; min-width: 0; display: flex; flex-direction: column; background: var(--wb-surface, #fff); }',
    'h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--wb-muted-2, #475569); margin: 0 0 8px; font-weight: 700;',
    '  display: flex; align-items: center; gap: 6px; }',
    'h2 .count { background: #dc2626; color: #fff; border-radius: 9px; padding: 0 7px; font-size: 11px; letter-spacing: 0; }',
    'ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 8px; }',
    '.empty { margin: 0; color: var(--wb-muted, #586679); font-size: 13px; }',

    /* offers */
    '.offer { background: var(--wb-surface, #fff); border: 1px solid var(--wb-bad-line, #fecaca); border-left: 4px solid #dc2626; border-radius: 10px; padding: 10px 12px;',
    '  display: grid; grid-template-columns: 1fr auto; gap: 4px 10px; align-items: center; box-shadow: 0 1px 2px rgba(15,23,42,.06); }',
    '.offer .who-line { font-weight: 650; }',
    '.offer .info { grid-column: 1; font-size: 12px; color: var(--wb-muted-2, #475569); overflow-wrap: anywhere; }',
    '.offer .accept { grid-row: 1 / span 2; grid-column: 2; background: #15803d; color: #fff; border: none; border-radius: 8px;',
    '  padding: 9px 16px; font-weight: 650; }',
    '.offer .accept:hover { background: #166534; }',
    '.offer .accept:disabled { background: var(--wb-accept-off, #86efac); cursor: default; }',
    '.offer .timer { grid-column: 1 / span 2; display: flex; align-items: center; gap: 8px; font-size: 12px; color: var(--wb-bad-ink, #991b1b); font-variant-numeric: tabular-nums; }',
    '.offer .bar { flex: 1; height: 4px; background: var(--wb-bad-bg, #fee2e2); border-radius: 2px; overflow: hidden; }',
    '.offer .bar span { display: block; height: 100%; background: #dc2626; transition: width .25s linear; }',
    '.type { display: inline-block; font-size: 11px; font-weight: 650; text-transform: uppercase; letter-spacing: .04em; padding: 1px 6px;',
    '  border-radius: 4px; background: var(--wb-tag, #e0e7ff); color: var(--wb-tag-ink, #3730a3); margin-left: 6px; vertical-align: 1px; }',

    /* sessions */
    '.session { width: 100%; text-align: left; background: var(--wb-surface, #fff); border: 1px solid var(--wb-line, #e2e8f0); border-radius: 10px; padding: 9px 12px;',
    '  display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; }',
    '.session:hover { border-color: var(--wb-line-3, #94a3b8); }',
    '.session[aria-current="true"] { border-color: #2563eb; box-shadow: 0 0 0 1px #2563eb inset; background: var(--wb-selected, #eff6ff); }',
    '.session .name { font-weight: 650; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.session .clock { font-size: 12px; color: var(--wb-muted-2, #475569); font-variant-numeric: tabular-nums; }',
    '.session .last { grid-column: 1 / span 2; font-size: 12px; color: var(--wb-muted, #586679); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.session .unread { background: #2563eb; color: #fff; border-radius: 9px; padding: 0 6px; font-size: 11px; margin-left: 6px; }',
    '.history li { font-size: 13px; color: var(--wb-ink-2, #334155); display: flex; justify-content: space-between; gap: 8px; padding: 2px 2px; }',
    '.history .what { color: var(--wb-muted, #586679); text-align: right; }',

    /* chat */
    '.chat { display: flex; flex-direction: column; height: 100%; min-height: 0; }',
    '.chat-head { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-bottom: 1px solid var(--wb-line, #e2e8f0); }',
    '.chat-head .title { flex: 1; min-width: 0; }',
    '.chat-head .title strong { font-size: 15px; }',
    '.chat-head .meta { font-size: 12px; color: var(--wb-muted, #586679); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.btn { border: 1px solid var(--wb-line-2, #cbd5e1); background: var(--wb-surface, #fff); border-radius: 8px; padding: 6px 12px; font-weight: 600; }',
    '.btn:hover { background: var(--wb-surface-3, #f1f5f9); }',
    '.btn.primary { background: #2563eb; border-color: #2563eb; color: #fff; }',
    '.btn.primary:hover { background: #1d4ed8; }',
    '.btn.danger { color: var(--wb-danger, #b91c1c); border-color: var(--wb-bad-line, #fca5a5); }',
    '.btn.danger:hover { background: var(--wb-bad-bg, #fef2f2); }',
    '.btn:disabled { opacity: .55; cursor: default; }',
    '.back { display: none; }',
    '.wb.compact .back { display: inline-block; }',
    '.wb.compact .customer-panel { order: -1; }',
    '.transcript { flex: 1; min-height: 0; overflow-y: auto; margin: 0; padding: 14px; list-style: none; display: flex; flex-direction: column; gap: 8px;',
    '  background: var(--wb-surface-2, #f8fafc); }',
    '.msg { max-width: 80%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }',
    '.msg time { display: block; font-size: 11px; opacity: .7; margin-top: 2px; }',
    '.msg.customer { align-self: flex-start; background: var(--wb-surface, #fff); border: 1px solid var(--wb-line, #e2e8f0); border-bottom-left-radius: 4px; }',
    '.msg.agent { align-self: flex-end; background: #2563eb; color: #fff; border-bottom-right-radius: 4px; }',
    '.msg.agent:not(.colleague) time { opacity: 1; }',
    '.msg.system { align-self: center; background: transparent; color: var(--wb-muted, #586679); font-size: 12px; padding: 2px; }',
    '.load-earlier { align-self: center; }',
    '.composer { display: flex; gap: 8px; padding: 10px 14px; border-top: 1px solid var(--wb-line, #e2e8f0); background: var(--wb-surface, #fff); }',
    '.composer textarea { flex: 1; resize: none; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 10px; padding: 8px 10px; min-height: 42px; max-height: 140px; }',
    '.dialer { display: flex; gap: 6px; padding: 0 0 8px; }',
    '.dialer input { flex: 1; min-width: 0; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 8px; padding: 5px 8px; }',
    '.dialer select { border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 8px; padding: 4px; }',
    '.keys { display: grid; grid-template-columns: repeat(3, 1fr); gap: 6px; margin-top: 8px; max-width: 240px; }',
    '.keys button { border: 1px solid var(--wb-line-2, #cbd5e1); background: var(--wb-surface, #fff); border-radius: 8px; padding: 7px 0; font-size: 16px; font-weight: 600;',
    '  font-variant-numeric: tabular-nums; }',
    '.keys button:hover { background: var(--wb-surface-3, #f1f5f9); }',
    '.details { padding: 14px; display: grid; grid-template-columns: auto 1fr; gap: 6px 14px; font-size: 13px; }',
    '.details dt { color: var(--wb-muted, #586679); } .details dd { margin: 0; overflow-wrap: anywhere; }',
    '.placeholder { margin: auto; color: var(--wb-muted, #586679); text-align: center; padding: 24px; max-width: 320px; }',
    '.placeholder strong { display: block; color: var(--wb-ink, #0f172a); font-size: 16px; margin-bottom: 4px; }',
    '.incoming-strip { border: none; background: #dc2626; color: #fff; font-weight: 650; padding: 8px 14px; text-align: left; }',
    '.incoming-strip:hover { background: #b91c1c; }',
    /* notices sit in the flow under the header: they push the work down, never cover the reply box */
    '.toast { display: flex; align-items: center; gap: 10px; background: #7f1d1d; color: #fff; padding: 8px 8px 8px 14px; font-size: 13px; }',
    '.toast.ok { background: #14532d; }',
    '.toast .toast-text { flex: 1; min-width: 0; overflow-wrap: anywhere; }',
    '.toast .dismiss { background: transparent; color: inherit; border: 1px solid rgba(255,255,255,.5); border-radius: 6px; padding: 2px 8px; font-size: 12px; }',
    '.toast .dismiss:hover { background: rgba(255,255,255,.12); }',
    '.msg .author { display: block; font-size: 11px; font-weight: 650; color: var(--wb-muted-2, #475569); }',
    '.msg.agent.colleague { align-self: flex-end; background: var(--wb-tag, #e0e7ff); color: var(--wb-tag-ink, #1e1b4b); }',
    '.msg.queued { opacity: .75; }',
    '.msg.queued time { font-style: italic; }',
    '.composer-wrap { border-top: 1px solid var(--wb-line, #e2e8f0); background: var(--wb-surface, #fff); }',
    '.composer-wrap .composer { border-top: none; }',
    '.composer-note { margin: -4px 14px 8px; font-size: 12px; color: var(--wb-muted, #586679); font-variant-numeric: tabular-nums; text-align: right; }',
    '.composer-note.over { color: var(--wb-danger, #b91c1c); font-weight: 650; }'
  ].join('\n');

  var ICON_HEADSET = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M3 14v-2a9 9 0 0 1 18 0v2"/><path d="M21 15a2 2 0 0 1-2 2h-1v-6h1a2 2 0 0 1 2 2z"/><path d="M3 15a2 2 0 0 0 2 2h1v-6H5a2 2 0 0 0-2 2z"/>' +
    '<path d="M19 17v1a3 3 0 0 1-3 3h-3"/></svg>';

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'html') node.innerHTML = value;
      else if (key === 'class') node.className = value;
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }

  /** Characters as the server counts them (grapheme clusters), or code points, which never count fewer. */
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  function characters(text) {
    if (!text) return 0;
    if (!segmenter) return Array.from(text).length;
    var count = 0;
    for (var iterator = segmenter.segment(text)[Symbol.iterator](), step = iterator.next(); !step.done; step = iterator.next()) count += 1;
    return count;
  }

  function capitalize(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : ''; }
  function clock(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : m) + ':' + String(s).padStart(2, '0');
  }
  function timeOf(ms) { return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); }
  function displayName(session) {
    // A number this agent dialled is named by whom it calls (its callerPhoneNumber is our own line).
    if (session.type === 'phone' && session.direction === 'out') return session.calleePhoneNumber || session.sessionId;
    return session.nickname || session.callerPhoneNumber || session.calleePhoneNumber || session.userId || session.peerUserId || session.sessionId;
  }
  function statusLabel(status, restReason) {
    var label = (STATUS[status] || { label: status }).label;
    return status === 'rest' && restReason ? label + ' — ' + capitalize(t(restReason)) : label;
  }
  function offerInfo(session) {
    var parts = [];
    if (session.type === 'phone') {
      if (session.direction === 'out') {
        parts.push(session.callerPhoneNumber ? t('outbound from {number}', { number: session.callerPhoneNumber }) : t('outbound'));
      } else {
        if (session.callerLocation) parts.push(session.callerLocation);
        if (session.calleePhoneNumber) parts.push(t('dialled {number}', { number: session.calleePhoneNumber }));
      }
      if (session.skillGroupId) parts.push(t('group {group}', { group: session.skillGroupId }));
      if (session.ivrPath && session.ivrPath.length) parts.push(t('IVR: ') + session.ivrPath.map(function (step) { return step.label; }).join(' › '));
      if (session.remark) parts.push(session.remark);
      return parts.join(' · ');
    } else if (session.type === 'voip') {
      if (session.calleeRemark || session.callee) parts.push(t('to {callee}', { callee: session.calleeRemark || session.callee }));
    } else if (session.type === 'internal') {
      parts.push(t('from agent {agent}', { agent: session.peerUserId }));
    }
    ['peerSource', 'channelName', 'remark', 'clientData'].forEach(function (key) { if (session[key]) parts.push(session[key]); });
    return parts.join(' · ');
  }

  /** Keeps `list`'s children in the order of `items`, creating and updating them by key. */
  function syncList(list, items, keyOf, create, update) {
    var existing = {};
    Array.prototype.forEach.call(list.children, function (child) { existing[child.dataset.key] = child; });
    var wanted = {};
    items.forEach(function (item, index) {
      var key = keyOf(item);
      wanted[key] = true;
      var node = existing[key];
      if (!node) { node = create(item); node.dataset.key = key; }
      update(node, item);
      if (list.children[index] !== node) list.insertBefore(node, list.children[index] || null);
    });
    Object.keys(existing).forEach(function (key) { if (!wanted[key]) list.removeChild(existing[key]); });
  }

  function mount(tccc, options) {
    options = options || {};
    var layout = options.layout === 'page' ? 'page' : 'floating';
    var restReasons = (options.restReasons && options.restReasons.length ? options.restReasons : DEFAULT_REST_REASONS).slice();
    var ui = { button: true, panel: false, all: true };
    if (options.state) { ui.button = options.state.button; ui.panel = options.state.panel; ui.all = options.state.all; }

    var host = document.createElement('tccc-workbench');
    host.setAttribute('data-layout', layout);
    var hostStyle = 'all: initial !important;';
    if (layout === 'page') hostStyle += 'display: block !important; width: 100% !important; height: 100% !important;';
    host.setAttribute('style', hostStyle);
    var root = host.attachShadow({ mode: 'open' });
    root.appendChild(el('style', { text: CSS }));
    var parts = window.SwitchboardWorkbenchParts || {};
    if (parts.smallScreenCss) root.appendChild(el('style', { text: parts.smallScreenCss }));
    if (parts.darkThemeCss) root.appendChild(el('style', { text: parts.darkThemeCss }));
    // TCCC.overrideButtonConfig on the controls below (workbench/button-config.js).
    var buttons = parts.buttonConfig ? parts.buttonConfig(tccc) : null;
    if (buttons) root.appendChild(el('style', { text: buttons.css }));

    // ---- skeleton ----
    var fabDot = el('span', { class: 'dot' });
    var fabBadge = el('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
    var fab = el('button', { class: 'fab', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'tccc-panel', html: ICON_HEADSET }, []);
    fab.appendChild(fabDot);
    fab.appendChild(fabBadge);

    var agentAvatar = el('span', { class: 'avatar', 'aria-hidden': 'true', text: '?' });
    var agentName = el('div', { class: 'name', text: 'Switchboard' });
    var connLine = el('div', { class: 'conn', text: t('Connecting…') });
    var statusDot = el('span', { class: 'dot', 'aria-hidden': 'true' });
    var statusSelect = el('select', { 'aria-label': t('My status'), class: 'status-select' });
    var onlineToggle = el('button', { type: 'button', class: 'online-toggle' });
    var closeButton = el('button', { type: 'button', class: 'icon close', 'aria-label': t('Close the workbench'), text: '×' });
    var banner = el('div', { class: 'banner', role: 'status', hidden: true });
    var pendingLine = el('div', { class: 'pending', role: 'status', hidden: true });

    var offersCount = el('span', { class: 'count', hidden: true });
    var offersList = el('ul', { class: 'offers-list', 'aria-label': t('Incoming sessions') });
    var offersEmpty = el('p', { class: 'empty', text: t('No one is waiting for you.') });
    var sessionsList = el('ul', { class: 'sessions-list', 'aria-label': t('My sessions') });
    var sessionsEmpty = el('p', { class: 'empty', text: t('No live sessions.') });
    var historyList = el('ul', { class: 'history-list', 'aria-label': t('Recent sessions') });
    var historyEmpty = el('p', { class: 'empty', text: t('Sessions you finish show up here.') });
    var historyHeading = el('h2', {}, [el('span', { id: 'tccc-h-history', text: t('Recent') })]);

    var dialKind = el('select', { class: 'dial-kind', 'aria-label': t('Call an agent or a skill group') }, [
      el('option', { value: 'agent', text: t('Agent') }), el('option', { value: 'group', text: t('Group') })
    ]);
    var dialTarget = el('input', { type: 'text', class: 'dial-target', 'aria-label': t('Agent id to call'), placeholder: t('Call a colleague…'), autocomplete: 'off' });
    var dialButton = el('button', { type: 'submit', class: 'btn dial', text: t('Call') });
    var dialer = el('form', { class: 'dialer', 'aria-label': t('Internal call') }, [dialKind, dialTarget, dialButton]);
    // The dial pad (workbench/dial-pad.js): phone calls out through the server's trunk.
    var dialPad = parts.dialPad ? parts.dialPad(el, tccc, {
      keys: KEYS,
      sessions: function () { return state.sessions; },
      callState: function (sessionId) { return calls ? calls.media(sessionId) : undefined; },
      select: function (sessionId) { select(sessionId); },
      notify: function (text) { showToast(text); },
      clock: clock,
      endStatus: END_STATUS,
      buttons: buttons
    }) : null;
    if (dialPad) root.appendChild(el('style', { text: dialPad.css }));
    var side = el('div', { class: 'side' }, [
      el('section', { class: 'offers', 'aria-labelledby': 'tccc-h-offers' }, [el('h2', { id: 'tccc-h-offers' }, [t('Incoming'), offersCount]), offersList, offersEmpty]),
      el('section', { class: 'live', 'aria-labelledby': 'tccc-h-live' }, [el('h2', { id: 'tccc-h-live', text: t('My sessions') }), dialer, sessionsList, sessionsEmpty]),
      dialPad ? el('section', { class: 'dialpad', 'aria-labelledby': 'tccc-h-phone' }, [el('h2', { id: 'tccc-h-phone', text: t('Phone') })].concat(dialPad.nodes)) : null,
      el('section', { class: 'history', 'aria-labelledby': 'tccc-h-history' }, [historyHeading, historyList, historyEmpty])
    ]);

    // chat view
    var backButton = el('button', { type: 'button', class: 'btn back', 'aria-label': t('Back to the session list'), text: '←' });
    var chatTitle = el('strong');
    var chatType = el('span', { class: 'type' });
    var chatMeta = el('div', { class: 'meta' });
    var transferToggle = el('button', { type: 'button', class: 'btn transfer-toggle', 'aria-expanded': 'false', 'aria-controls': 'tccc-transfer', text: t('Transfer') });
    var endButton = el('button', { type: 'button', class: 'btn danger end', text: t('End') });
    // The transfer form (workbench/transfer-form.js): whom to hand the open session to.
    var transfer = parts.transferForm ? parts.transferForm(el, tccc, transferToggle, {
      report: function (answer, okText) { return report(answer, okText); },
      statusLabel: statusLabel,
      userId: function () { return state.userId; },
      selected: function () { return selected; },
      configured: options.transferTargets,
      buttons: buttons
    }) : null;
    if (transfer) root.appendChild(el('style', { text: transfer.css }));
    // A list that announces what is added (aria-live); role=log would take the list's semantics away from its items.
    // The call bar (workbench/call-controls.js) for the open call.
    var calls = parts.callControls ? parts.callControls(el, tccc, {
      keys: KEYS,
      current: function () { return selected && state.sessions.filter(function (s) { return s.sessionId === selected; })[0] || null; },
      report: function (answer, okText) { return report(answer, okText); },
      clock: clock,
      buttons: buttons
    }) : null;
    if (calls) root.appendChild(el('style', { text: calls.css }));
    var transcript = el('ol', { class: 'transcript', 'aria-label': t('Conversation'), 'aria-live': 'polite' });
    var details = el('dl', { class: 'details', hidden: true });
    var composerInput = el('textarea', { rows: '2', 'aria-label': t('Reply'), placeholder: t('Type a reply — Enter sends, Shift+Enter adds a line') });
    var composerSend = el('button', { type: 'submit', class: 'btn primary send', text: t('Send') });
    // Parts in files of their own (Public/sdk/workbench/*.js, loaded first by tccc.js, `parts`
    // above); the workbench works without them when a page loaded only this file.
    // Canned replies: "/" in the reply box, and the Replies panel. Made before the reply box's own
    // key handler is added, so that Enter picks a reply while the list is open.
    var canned = parts.cannedReplies && tccc.CannedReplies ? parts.cannedReplies(el, tccc, composerInput, function (text) { showToast(text); }) : null;
    if (canned) root.appendChild(el('style', { text: canned.css }));
    // Files and links (workbench/attachments.js): the paper clip, and each message's body.
    var attachments = parts.attachments && tccc.Chat.sendFile ? parts.attachments(el, tccc, function () { return selected; },
      function (text, ok) { showToast(text, ok); }, function (id, message) { if (addMessages(id, [message]) && selected === id) renderTranscript(true); }) : null;
    if (attachments) root.appendChild(el('style', { text: attachments.css }));
    // Past sessions from the server's records (workbench/past-sessions.js): search, transcripts, recordings.
    var pastSessions = parts.pastSessions && tccc.Chat.getHistory ? parts.pastSessions(el, tccc, attachments ? attachments.body : null) : null;
    if (pastSessions) {
      root.appendChild(el('style', { text: pastSessions.css }));
      historyHeading.appendChild(pastSessions.button);
    }
    var composer = el('form', { class: 'composer' }, [composerInput, attachments ? attachments.button : null, attachments ? attachments.input : null,
      canned ? canned.toggle : null, composerSend]);
    var composerNote = el('p', { class: 'composer-note', id: 'tccc-composer-note', 'aria-live': 'polite', hidden: true });
    composerInput.setAttribute('aria-describedby', 'tccc-composer-note');
    var typingLine = parts.typingIndicator ? parts.typingIndicator(el, function () { renderSessions(); }) : null;
    if (typingLine) root.appendChild(el('style', { text: typingLine.css }));
    var composerWrap = el('div', { class: 'composer-wrap' }, [
      typingLine ? typingLine.node : null,
      canned ? canned.panel : null, canned ? canned.picker : null, composer, composerNote, canned ? canned.hint : null
    ]);
    var customerPanel = parts.customerPanel ? parts.customerPanel(el, displayName, tccc) : null;
    if (customerPanel) root.appendChild(el('style', { text: customerPanel.css }));
    var alerts = parts.alerts ? parts.alerts(function (session) {
      return t('{type} from {name}', { type: (TYPE_LABEL[session.type] || session.type).toLowerCase(), name: displayName(session) });
    }) : null;
    // Wrap-up: a form for each session this agent held, when it ends.
    var wrapUp = parts.wrapUp && tccc.Chat.wrapUp ? parts.wrapUp(el, tccc, function (session) {
      return t('{type} with {name}', { type: (TYPE_LABEL[session.type] || session.type).toLowerCase(), name: displayName(session) });
    }) : null;
    if (wrapUp) root.appendChild(el('style', { text: wrapUp.css }));
    var customerToggle = el('button', { type: 'button', class: 'btn customer-toggle', 'aria-expanded': 'false', 'aria-controls': 'tccc-customer',
      text: t('Customer'), hidden: !customerPanel || layout === 'page' });
    if (customerPanel) {
      customerPanel.node.id = 'tccc-customer';
      customerPanel.node.hidden = layout !== 'page';
      customerToggle.addEventListener('click', function () {
        customerPanel.node.hidden = !customerPanel.node.hidden;
        customerToggle.setAttribute('aria-expanded', String(!customerPanel.node.hidden));
      });
    }
    var chat = el('div', { class: 'chat', hidden: true }, [
      el('header', { class: 'chat-head' }, [backButton, el('div', { class: 'title' }, [el('div', {}, [chatTitle, chatType]), chatMeta]),
        customerToggle, transferToggle, endButton]),
      transfer ? transfer.node : null, calls ? calls.node : null,
      el('div', { class: 'chat-main' }, [
        el('div', { class: 'conversation' }, [transcript, details, composerWrap]),
        customerPanel ? customerPanel.node : null
      ])
    ]);
    var placeholder = el('div', { class: 'placeholder' }, [el('strong', { text: t('No session selected') }), t('Accept an incoming session or pick one from My sessions.')]);
    // In the floating layout the chat covers the lists: this strip keeps new offers in sight.
    var incomingStrip = el('button', { type: 'button', class: 'incoming-strip', hidden: true });
    incomingStrip.addEventListener('click', function () { select(null); focusFirst(); });
    var shortcuts = parts.shortcuts ? parts.shortcuts({
      accept: function () {
        var button = offersList.querySelector('button.accept:not(:disabled)');
        if (!button) return false;
        button.click();
        return true;
      },
      next: function () {
        var items = Array.prototype.slice.call(sessionsList.children);
        if (!items.length) return false;
        var at = items.map(function (item) { return item.dataset.key; }).indexOf(selected);
        select(items[(at + 1) % items.length].dataset.key, true);
        return true;
      },
      transfer: function () {
        if (chat.hidden || transferToggle.hidden) return false;
        transferToggle.click();
        return true;
      },
      end: function () {
        if (chat.hidden || endButton.hidden || endButton.disabled) return false;
        endButton.click();
        return true;
      }
    }) : null;
    if (shortcuts) {
      shortcuts.label(transferToggle, 'transfer');
      shortcuts.label(endButton, 'end');
      // On the document, so the keys work wherever focus is, the reply box included; the
      // workbench lives in a shadow root, whose key events reach the document too.
      document.addEventListener('keydown', onShortcut, true);
    }
    function onShortcut(event) { shortcuts.handle(event); }
    var main = el('div', { class: 'main' }, [incomingStrip, chat, placeholder]);

    var toastText = el('span', { class: 'toast-text' });
    var toastDismiss = el('button', { type: 'button', class: 'dismiss', text: t('Dismiss') });
    var toast = el('div', { class: 'toast', role: 'alert', hidden: true }, [toastText, toastDismiss]);
    toastDismiss.addEventListener('click', function () { clearTimeout(toastTimer); toast.hidden = true; });
    // In the page layout a labelled region (a <section> with a name): the page around it has its own main landmark.
    var panel = el('section', { class: 'panel', id: 'tccc-panel', role: layout === 'page' ? null : 'dialog', 'aria-label': t('Switchboard workbench'), hidden: true }, [
      el('header', { class: 'top' }, [
        el('div', { class: 'who' }, [agentAvatar, el('div', { class: 'who-text' }, [agentName, connLine])]),
        el('div', { class: 'status-row' }, [el('div', { class: 'status-control' }, [statusDot, statusSelect]), onlineToggle]),
        layout === 'floating' ? closeButton : null
      ]),
      banner, pendingLine, toast, wrapUp ? wrapUp.node : null,
      el('div', { class: 'body' }, [side, main])
    ]);
    var announcer = el('div', { class: 'sr', 'aria-live': 'assertive' });
    var wb = el('div', { class: 'wb', 'data-layout': layout }, [fab, panel, announcer, pastSessions ? pastSessions.dialog : null]);
    root.appendChild(wb);
    var container = options.mount || document.body;
    container.appendChild(host);

    // ---- state ----
    var state = tccc.getState();
    var selected = null;          // sessionId shown in the main area
    var transcripts = {};         // sessionId -> {byId, list, loaded, loading, hasMore, unread, last}
    var acceptPending = {};
    var toastTimer = null;

    function showToast(text, ok) {
      toastText.textContent = text;
      toast.className = ok ? 'toast ok' : 'toast';
      toast.hidden = false;
      clearTimeout(toastTimer);
      // A success goes by itself; an error stays long enough to read, or until dismissed.
      toastTimer = setTimeout(function () { toast.hidden = true; }, ok ? 6000 : 12000);
    }

    function report(answer, okText) {
      if (answer.status !== 'success') showToast(answer.errorMsg || t('That did not work.'));
      else if (okText) showToast(okText, true);
      return answer;
    }

    // ---- visibility (TCCC.UI) ----
    function applyUI(next) {
      if (next) ui = next;
      fab.hidden = !(ui.all && ui.button);
      panel.hidden = !(ui.all && ui.panel);
      fab.setAttribute('aria-expanded', String(!panel.hidden));
      host.style.setProperty('display', ui.all ? (layout === 'page' ? 'block' : 'inline') : 'none', 'important');
    }

    fab.addEventListener('click', function () {
      if (panel.hidden) { tccc.UI.showWorkbench(); focusFirst(); } else { tccc.UI.hideWorkbench(); }
    });
    closeButton.addEventListener('click', function () { tccc.UI.hideWorkbench(); fab.focus(); });
    panel.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape') return;
      if (transfer && transfer.isOpen()) { transfer.close(); transferToggle.focus(); event.stopPropagation(); return; }
      if (wb.classList.contains('compact') && wb.classList.contains('chatting')) { select(null); event.stopPropagation(); return; }
      if (layout === 'floating') {
        tccc.UI.hideWorkbench();
        if (!fab.hidden) fab.focus();
      }
    });

    function focusFirst() {
      setTimeout(function () {
        var target = offersList.querySelector('.accept') || statusSelect;
        target.focus();
      }, 0);
    }

    // ---- status ----
    function statusOptions() {
      var list = [{ value: 'free', label: STATUS.free.label }];
      restReasons.forEach(function (reason) { list.push({ value: 'rest:' + reason, label: t('Break — {reason}', { reason: capitalize(t(reason)) }) }); });
      if (state.status === 'rest' && state.restReason && restReasons.indexOf(state.restReason) < 0) {
        list.push({ value: 'rest:' + state.restReason, label: t('Break — {reason}', { reason: capitalize(t(state.restReason)) }) });
      }
      if (state.status === 'rest' && !state.restReason) list.push({ value: 'rest:', label: STATUS.rest.label });
      list.push({ value: 'notReady', label: STATUS.notReady.label });
      list.push({ value: 'arrange', label: t('{status} (after-contact work)', { status: STATUS.arrange.label }) });
      if (state.status === 'busy') list.unshift({ value: 'busy', label: t('Busy (in a session)'), disabled: true });
      if (state.status === 'offline') list.unshift({ value: 'offline', label: t('Offline'), disabled: true });
      return list;
    }

    function currentValue() {
      if (state.status === 'rest') return 'rest:' + (state.restReason || '');
      return state.status;
    }

    function renderStatus() {
      var options = statusOptions();
      var signature = options.map(function (o) { return o.value; }).join('|');
      if (statusSelect.dataset.signature !== signature) {
        statusSelect.textContent = '';
        options.forEach(function (o) { statusSelect.appendChild(el('option', { value: o.value, text: o.label, disabled: o.disabled })); });
        statusSelect.dataset.signature = signature;
      }
      statusSelect.value = currentValue();
      var color = (STATUS[state.status] || STATUS.offline).color;
      statusDot.style.background = color;
      fabDot.style.background = color;
      onlineToggle.textContent = state.status === 'offline' ? t('Go online') : t('Go offline');
      onlineToggle.setAttribute('aria-label', onlineToggle.textContent);
      if (state.pendingStatus) {
        pendingLine.hidden = false;
        pendingLine.textContent = t('After your last session: ') + statusLabel(state.pendingStatus, state.pendingRestReason);
      } else {
        pendingLine.hidden = true;
      }
    }

    statusSelect.addEventListener('change', function () {
      var value = statusSelect.value;
      var parts = value.split(':');
      var status = parts[0];
      var reason = parts.length > 1 ? value.slice(value.indexOf(':') + 1) : undefined;
      var from = state.status;
      var steps = Promise.resolve({ status: 'success' });
      if (from === 'offline') steps = tccc.Agent.online();
      // rest → rest with another reason: go through notReady, so no offer slips in between.
      if (from === 'rest' && status === 'rest') steps = tccc.Agent.setStatus({ status: 'notReady' });
      steps.then(function (answer) {
        if (answer.status !== 'success') return answer;
        if (status === 'free' && from === 'offline') return answer; // online already made it free
        var options = { status: status };
        if (reason) options.restReason = reason;
        return tccc.Agent.setStatus(options);
      }).then(function (answer) {
        report(answer, state.status === 'busy' && answer.status === 'success' ? t('Your status changes when your last session ends.') : null);
        renderStatus();
      });
    });

    // Desktop notifications need the person's permission, asked on a click of theirs.
    panel.addEventListener('click', function () { if (alerts) alerts.askPermission(); });
    onlineToggle.addEventListener('click', function () {
      var call = state.status === 'offline' ? tccc.Agent.online() : tccc.Agent.offline();
      call.then(function (answer) { report(answer); });
    });

    // ---- connection ----
    function renderConnection() {
      var c = state.connection;
      var text = { idle: t('Not signed in'), connecting: t('Connecting…'), reconnecting: t('Reconnecting…'), ready: t('Connected'),
        failed: t('Sign-in failed'), expired: t('Login expired'), closed: t('Signed out') }[c] || c;
      connLine.textContent = (state.userId ? state.userId + ' · ' : '') + text;
      var message = null, bad = false;
      if (c === 'reconnecting') message = t('Connection lost — reconnecting. Nothing you do is lost; calls wait for the connection.');
      if (c === 'failed') { message = t('Could not sign in: {reason}', { reason: state.error || t('the server refused the login') }); bad = true; }
      if (c === 'expired') { message = t('Your login has expired. Sign in again to keep working.'); bad = true; }
      if (c === 'closed') { message = t('You are signed out.'); bad = true; }
      banner.hidden = !message;
      banner.textContent = message || '';
      banner.className = bad ? 'banner bad' : 'banner';
    }

    // ---- lists ----
    function ringing() { return state.sessions.filter(function (s) { return s.state === 'ringing'; }); }
    function accepted() { return state.sessions.filter(function (s) { return s.state === 'accepted' || s.direction === 'out'; }); }
    function isCall(session) { return !!session && session.type !== 'im'; }

    function renderOffers() {
      var offers = ringing();
      syncList(offersList, offers, function (s) { return s.sessionId; }, function (session) {
        var accept = el('button', { type: 'button', class: 'accept', text: t('Accept') });
        accept.addEventListener('click', function () {
          var id = session.sessionId;
          acceptPending[id] = true;
          accept.disabled = true;
          var namespace = session.type === 'im' ? tccc.Chat : session.type === 'video' ? tccc.Video : tccc.Call;
          namespace.accept({ sessionId: id }).then(function (answer) {
            delete acceptPending[id];
            accept.disabled = false;
            report(answer);
            if (answer.status === 'success') select(id, true);
          });
        });
        return el('li', { class: 'offer' }, [
          el('div', { class: 'who-line' }), el('div', { class: 'info' }), accept,
          el('div', { class: 'timer' }, [el('span', { class: 'bar' }, [el('span')]), el('span', { class: 'countdown' })])
        ]);
      }, function (node, session) {
        var whoLine = node.querySelector('.who-line');
        whoLine.textContent = displayName(session);
        whoLine.appendChild(el('span', { class: 'type', text: TYPE_LABEL[session.type] || session.type }));
        node.querySelector('.info').textContent = offerInfo(session);
        node.querySelector('.accept').setAttribute('aria-label', t('Accept {type} from {name}', { type: (TYPE_LABEL[session.type] || session.type).toLowerCase(), name: displayName(session) }));
        node.__session = session;
      });
      // The accept shortcut takes the first offer: its button says so.
      Array.prototype.forEach.call(offersList.querySelectorAll('button.accept'), function (button, index) {
        if (shortcuts && index === 0) shortcuts.label(button, 'accept');
        else { button.removeAttribute('aria-keyshortcuts'); button.removeAttribute('title'); }
      });
      offersEmpty.hidden = offers.length > 0;
      offersCount.hidden = offers.length === 0;
      if (alerts) alerts.ringingNow(offers.map(function (s) { return s.sessionId; }));
      renderTitle();
      offersCount.textContent = String(offers.length);
      fabBadge.hidden = offers.length === 0;
      fabBadge.textContent = String(offers.length);
      fab.classList.toggle('ringing', offers.length > 0);
      incomingStrip.hidden = !(wb.classList.contains('compact') && offers.length > 0);
      incomingStrip.textContent = offers.length === 1
        ? t('Incoming: {name} — view', { name: displayName(offers[0]) })
        : t('{count} incoming sessions — view', { count: offers.length });
      fab.setAttribute('aria-label', t('Workbench: {status}', { status: statusLabel(state.status, state.restReason) }) +
        (offers.length ? t(', {count} incoming', { count: offers.length }) : ''));
      tick();
    }

    function tick() {
      var now = Date.now();
      Array.prototype.forEach.call(offersList.children, function (node) {
        var session = node.__session;
        if (!session) return;
        var countdown = node.querySelector('.countdown');
        var bar = node.querySelector('.bar span');
        if (!session.deadline) { countdown.textContent = t('no time limit'); bar.style.width = '100%'; return; }
        var left = Math.max(0, (session.deadline - now) / 1000);
        countdown.textContent = t('{seconds} s left', { seconds: Math.ceil(left) });
        var total = Math.max(1, session.timeout);
        bar.style.width = Math.min(100, (left / total) * 100) + '%';
      });
      Array.prototype.forEach.call(sessionsList.children, function (node) {
        var session = node.__session;
        if (session && session.acceptedAt) node.querySelector('.clock').textContent = clock((now - session.acceptedAt) / 1000);
      });
      if (calls) calls.tick(now);
      if (dialPad) dialPad.render();
    }
    var ticker = setInterval(tick, 250);

    function renderSessions() {
      var live = accepted();
      syncList(sessionsList, live, function (s) { return s.sessionId; }, function (session) {
        var button = el('button', { type: 'button', class: 'session' }, [
          el('span', { class: 'name' }), el('span', { class: 'clock' }), el('span', { class: 'last' })
        ]);
        button.addEventListener('click', function () { select(session.sessionId, true); });
        return el('li', {}, [button]);
      }, function (node, session) {
        var button = node.firstChild;
        var conv = transcripts[session.sessionId];
        var name = button.querySelector('.name');
        name.textContent = displayName(session);
        name.appendChild(el('span', { class: 'type', text: TYPE_LABEL[session.type] || session.type }));
        if (conv && conv.unread) name.appendChild(el('span', { class: 'unread', text: String(conv.unread), 'aria-label': t('{count} unread', { count: conv.unread }) }));
        button.querySelector('.last').textContent = typingLine && typingLine.isTyping(session.sessionId) ? t('typing…')
          : conv && conv.last ? conv.last : offerInfo(session) || (TYPE_LABEL[session.type] || session.type);
        button.setAttribute('aria-current', selected === session.sessionId ? 'true' : 'false');
        button.setAttribute('aria-label', displayName(session) + ', ' + (TYPE_LABEL[session.type] || session.type) + (conv && conv.unread ? ', ' + t('{count} unread', { count: conv.unread }) : ''));
        node.__session = session;
      });
      sessionsEmpty.hidden = live.length > 0;
      renderTitle();
      tick();
    }

    /** "(N) " in the tab title: offers ringing plus chats with unread messages. */
    function renderTitle() {
      if (!alerts) return;
      var unread = accepted().filter(function (s) { return transcripts[s.sessionId] && transcripts[s.sessionId].unread > 0; }).length;
      alerts.counts(ringing().length, unread);
    }

    function renderHistory() {
      var items = state.history.slice(0, 12);
      syncList(historyList, items, function (h) { return h.sessionId + '@' + h.endedAt; }, function () {
        return el('li', {}, [el('span', { class: 'name' }), el('span', { class: 'what' })]);
      }, function (node, h) {
        node.querySelector('.name').textContent = displayName(h) + ' · ' + (TYPE_LABEL[h.type] || h.type);
        var what;
        if (h.outcome === 'missed') what = t('missed (rang out)');
        else if (h.outcome === 'transferred') what = h.transferUserId ? t('transferred to agent {agent}', { agent: h.transferUserId }) : t('transferred to group {group}', { group: h.transferSkillGroupId });
        else {
          what = CLOSE_BY[h.closeBy] || t('ended ({reason})', { reason: h.closeBy });
          if (h.endStatus && END_STATUS[h.endStatus]) what = END_STATUS[h.endStatus];
          if (h.mainReason) what += ': ' + h.mainReason + (h.subReason ? ' / ' + h.subReason : '');
          if (h.duration) what += ' · ' + clock(h.duration);
        }
        node.querySelector('.what').textContent = what;
        node.setAttribute('data-outcome', h.outcome);
      });
      historyEmpty.hidden = items.length > 0;
    }

    // ---- chat ----
    function transcriptOf(id) {
      return transcripts[id] || (transcripts[id] = { byId: {}, list: [], loaded: false, loading: false, hasMore: false, unread: 0, last: '' });
    }

    function addMessages(id, messages) {
      var conv = transcriptOf(id);
      var added = 0;
      messages.forEach(function (m) {
        if (conv.byId[m.messageId]) return;
        conv.byId[m.messageId] = m;
        conv.list.push(m);
        added += 1;
      });
      conv.list.sort(function (a, b) { return a.sentAt - b.sentAt || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0); });
      var last = conv.list[conv.list.length - 1];
      if (last) conv.last = (last.from === 'agent' ? (authorOf(last) || t('You')) + ': ' : '') + last.text;
      return added;
    }

    /** The colleague who wrote an agent message (after a transfer), or null for this agent's own.
     * A server that names no author (older than agentUserId) leaves every agent message "You". */
    function authorOf(message) {
      if (message.from !== 'agent' || !message.agentUserId || message.agentUserId === state.userId) return null;
      return message.agentName || message.agentUserId;
    }

    function loadTranscript(id, earlier) {
      var conv = transcriptOf(id);
      if (conv.loading) return;
      conv.loading = true;
      var query = { sessionId: id, order: 'newest', limit: 50 };
      if (earlier && conv.list.length) query.before = conv.list[0].messageId;
      tccc.Chat.getMessages(query).then(function (answer) {
        conv.loading = false;
        if (answer.status !== 'success') { report(answer); return; }
        addMessages(id, answer.data.messages || []);
        if (!earlier || !conv.loaded) conv.hasMore = !!answer.data.hasMore; else conv.hasMore = !!answer.data.hasMore;
        conv.loaded = true;
        if (selected === id) renderTranscript(!earlier);
        renderSessions();
      });
    }

    function renderTranscript(stickToBottom) {
      var conv = transcriptOf(selected);
      var atBottom = transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 40;
      var previousHeight = transcript.scrollHeight;
      transcript.textContent = '';
      if (conv.hasMore) {
        var more = el('button', { type: 'button', class: 'btn load-earlier', text: t('Load earlier messages') });
        more.addEventListener('click', function () { loadTranscript(selected, true); });
        transcript.appendChild(el('li', { class: 'load-earlier' }, [more]));
      }
      if (conv.loaded && conv.list.length === 0) transcript.appendChild(el('li', { class: 'msg system', text: t('No messages yet.') }));
      if (!conv.loaded) transcript.appendChild(el('li', { class: 'msg system', text: t('Loading the conversation…') }));
      conv.list.forEach(function (m) {
        var colleague = authorOf(m);
        var who = colleague ? null : m.from === 'agent' ? t('You') : m.from === 'customer' ? t('Customer') : 'Switchboard';
        transcript.appendChild(el('li', { class: 'msg ' + m.from + (colleague ? ' colleague' : ''), 'data-message-id': m.messageId }, [
          colleague ? el('span', { class: 'author', text: colleague }) : el('span', { class: 'sr', text: who + ': ' }),
          // dir=auto: a message in Arabic or Hebrew reads right to left, whatever the page's language.
          el('div', { class: 'text', dir: 'auto' }, [attachments ? attachments.body(m, selected) : m.text]), el('time', { datetime: new Date(m.sentAt).toISOString(), text: timeOf(m.sentAt) })
        ]));
      });
      // Replies not sent yet: typed while the connection was down, or on their way.
      (outbox[selected] || []).forEach(function (item) {
        transcript.appendChild(el('li', { class: 'msg agent queued', 'data-queued': String(item.key) }, [
          el('span', { class: 'sr', text: t('You, not sent yet: ') }), el('div', { class: 'text', dir: 'auto' }, [item.text]),
          el('time', { text: item.sending ? t('Sending…') : t('Waiting for the connection — sends when it is back') })
        ]));
      });
      if (stickToBottom || atBottom) transcript.scrollTop = transcript.scrollHeight;
      else transcript.scrollTop += transcript.scrollHeight - previousHeight;
    }

    function select(id, focusComposer) {
      if (canned && id !== selected) canned.close();
      if (typingLine) typingLine.show(id);
      selected = id;
      var session = id && state.sessions.filter(function (s) { return s.sessionId === id; })[0];
      if (!session) {
        selected = null;
        chat.hidden = true;
        placeholder.hidden = false;
        wb.classList.remove('chatting');
        if (transfer) transfer.close();
        renderSessions();
        return;
      }
      if (transfer && transfer.openFor() && transfer.openFor() !== id) transfer.close();
      wb.classList.add('chatting');
      chat.hidden = false;
      placeholder.hidden = true;
      chatTitle.textContent = displayName(session);
      chatType.textContent = TYPE_LABEL[session.type] || session.type;
      chatMeta.textContent = [session.sessionId, offerInfo(session)].filter(Boolean).join(' · ');
      if (customerPanel) customerPanel.render(session);
      var im = session.type === 'im';
      // The name starts with what the button shows, so voice control and screen readers agree.
      endButton.setAttribute('aria-label', t(im ? 'End the chat with {name}' : 'Hang up the call with {name}', { name: displayName(session) }));
      transcript.hidden = !im;
      composerWrap.hidden = !im;
      details.hidden = im;
      if (calls) calls.node.hidden = im;
      renderTransferToggle(session);
      endButton.textContent = im ? t('End') : t('Hang up');
      if (!im && calls) { calls.render(); calls.loadDevices(); }
      if (im) {
        var conv = transcriptOf(id);
        conv.unread = 0;
        if (!conv.loaded) loadTranscript(id);
        renderTranscript(true);
      } else if (session.type === 'phone') {
        renderPhoneDetails(session);
      } else {
        renderCallDetails(session);
      }
      renderSessions();
      if (focusComposer) setTimeout(function () { (im ? composerInput : endButton).focus(); }, 0);
    }

    /** The Transfer button: none for a call this agent placed, nor when the page hid both kinds of
     *  transfer (TCCC.overrideButtonConfig); disabled when it left neither usable. */
    function renderTransferToggle(session) {
      var kinds = buttons ? buttons.transfer() : { visible: true, enabled: true };
      transferToggle.hidden = !transfer || !session || session.direction === 'out' || !kinds.visible;
      transferToggle.disabled = !kinds.enabled;
      if (transfer && transfer.isOpen() && (transferToggle.hidden || transferToggle.disabled)) transfer.close();
    }

    /** The page changed the button configuration: every control it names shows it at once. */
    function renderButtons() {
      if (transfer) transfer.buttons();
      if (dialPad) dialPad.buttons();
      var open = selected && state.sessions.filter(function (s) { return s.sessionId === selected; })[0];
      if (open) renderTransferToggle(open);
      if (open && open.type !== 'im' && calls) calls.render();
    }

    /** A voice, video or internal call's details in words, as renderPhoneDetails does for phone calls. */
    function renderCallDetails(session) {
      var rows = session.type === 'internal' ? [
        [session.direction === 'out' ? 'Calling' : 'Colleague', session.direction === 'out' ? session.calleeUserId : session.peerUserId],
        ['Skill group', session.skillGroupId]
      ] : [
        ['Caller', session.nickname],
        ['Called', session.calleeRemark || session.callee],
        ['Came from', session.peerSource],
        ['Channel', session.channelName],
        ['Page data', session.clientData],
        ['Note', session.remark],
        ['Skill group', session.skillGroupId],
        ['Visitor id', session.userId]
      ];
      rows.push(['Answered at', session.acceptedAt ? new Date(session.acceptedAt).toLocaleString() : null]);
      rows.push(['Session', session.sessionId]);
      fillDetails(rows);
    }

    function fillDetails(rows) {
      details.textContent = '';
      rows.forEach(function (row) {
        if (row[1] == null || row[1] === '') return;
        details.appendChild(el('dt', { text: t(row[0]) }));
        details.appendChild(el('dd', { text: String(row[1]), 'data-field': row[0] }));
      });
    }

    /** A phone call's details in words: who calls whom, through which number and group. */
    function renderPhoneDetails(session) {
      var out = session.direction === 'out';
      var rows = out ? [
        ['Calling', session.calleePhoneNumber],
        ['Your number shown', session.callerPhoneNumber],
        ['Skill group', session.skillGroupId],
        ['Note', session.remark]
      ] : [
        ['Caller', session.callerPhoneNumber || t('number withheld')],
        ['Number dialled', session.calleePhoneNumber],
        ['Caller location', session.callerLocation],
        ['Skill group', session.skillGroupId],
        ['Menu choices', session.ivrPath && session.ivrPath.length
          ? session.ivrPath.map(function (step) { return step.key + ' ' + step.label; }).join(' › ') : null],
        ['Note', session.remark]
      ];
      rows.push(['Answered at', session.acceptedAt ? new Date(session.acceptedAt).toLocaleString() : null]);
      rows.push(['Session', session.sessionId]);
      fillDetails(rows);
    }

    backButton.addEventListener('click', function () { select(null); });

    composer.addEventListener('submit', function (event) {
      event.preventDefault();
      sendComposer();
    });
    composerInput.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        sendComposer();
      }
    });
    // Tell the customer the agent is typing, at most every 3 seconds per session.
    var lastTyping = {};
    composerInput.addEventListener('input', function () {
      if (!selected || !composerInput.value.trim()) return;
      var now = Date.now();
      if (now - (lastTyping[selected] || 0) < 3000) return;
      lastTyping[selected] = now;
      tccc.Chat.typing({ sessionId: selected });
    });

    // Replies wait here while the connection is down and go out, in order, when it is back.
    var outbox = {};       // sessionId -> [{key, text, sending}]
    var outboxKeys = 0;

    function sendComposer() {
      var text = composerInput.value.trim();
      if (!text || !selected) return;
      var length = characters(text);
      if (length > MESSAGE_LIMIT) {
        showToast(t('Your reply is {length} characters; the limit is {limit}. Shorten it to send.',
          { length: length.toLocaleString('en-US'), limit: MESSAGE_LIMIT.toLocaleString('en-US') }));
        composerInput.focus();
        return;
      }
      var id = selected;
      composerInput.value = '';
      renderComposerNote();
      (outbox[id] = outbox[id] || []).push({ key: ++outboxKeys, text: text, sending: false });
      if (selected === id) renderTranscript(true);
      flushOutbox();
    }

    function flushOutbox() {
      if (state.connection !== 'ready') return;
      Object.keys(outbox).forEach(function (id) {
        outbox[id].forEach(function (item) {
          if (item.sending) return;
          item.sending = true;
          tccc.Chat.sendMessage({ sessionId: id, text: item.text }).then(function (answer) {
            outbox[id] = (outbox[id] || []).filter(function (other) { return other !== item; });
            if (!outbox[id].length) delete outbox[id];
            if (answer.status === 'success') {
              // The `message` event brings the same message; whichever comes first shows it once.
              addMessages(id, [{ messageId: answer.data.messageId, from: 'agent', agentUserId: state.userId, text: item.text, sentAt: answer.data.sentAt }]);
            } else {
              report(answer);
              if (selected === id && !composerInput.value) { composerInput.value = item.text; renderComposerNote(); } // keep what was typed
            }
            if (selected === id) renderTranscript(false);
            renderSessions();
          });
        });
        if (selected === id) renderTranscript(false);
      });
    }

    /** The counter near the limit. */
    function renderComposerNote() {
      var length = characters(composerInput.value.trim());
      composerNote.hidden = length < COUNTER_FROM;
      composerNote.textContent = length.toLocaleString('en-US') + ' / ' + MESSAGE_LIMIT.toLocaleString('en-US');
      composerNote.classList.toggle('over', length > MESSAGE_LIMIT);
    }
    composerInput.addEventListener('input', renderComposerNote);

    endButton.addEventListener('click', function () {
      if (!selected) return;
      var session = state.sessions.filter(function (s) { return s.sessionId === selected; })[0];
      var ending = !isCall(session) ? tccc.Chat.end({ sessionId: selected })
        : session.type === 'video' ? tccc.Video.end({ sessionId: selected })
        : tccc.Call.hungUp({ sessionId: selected });
      ending.then(function (answer) { report(answer); });
    });

    dialKind.addEventListener('change', function () {
      dialTarget.setAttribute('aria-label', dialKind.value === 'group' ? t('Skill group id to call') : t('Agent id to call'));
    });
    dialer.addEventListener('submit', function (event) {
      event.preventDefault();
      var target = dialTarget.value.trim();
      if (!target) { dialTarget.focus(); return; }
      var call = dialKind.value === 'group' ? { skillGroupId: target } : { calleeUserId: target };
      dialButton.disabled = true;
      tccc.Call.startInternalCall(call).then(function (answer) {
        dialButton.disabled = false;
        report(answer);
        if (answer.status === 'success') {
          dialTarget.value = '';
          select(answer.data.sessionId);
        }
      });
    });

    // ---- SDK updates ----
    function renderAll() {
      agentName.textContent = state.name || state.userId || 'Switchboard';
      agentAvatar.textContent = (state.name || state.userId || '?').trim().charAt(0).toUpperCase();
      renderConnection();
      renderStatus();
      renderOffers();
      renderSessions();
      renderHistory();
      if (selected && !accepted().some(function (s) { return s.sessionId === selected; })) select(null);
      else if (selected && calls) calls.render();
    }

    var unsubscribe = tccc._subscribe(function (kind, detail) {
      if (kind === 'ui') { applyUI(detail); return; }
      if (kind === 'buttons') { renderButtons(); return; }
      if (kind === 'resync') {
        // The server could not replay what was missed: reload the open transcripts.
        Object.keys(transcripts).forEach(function (id) { transcripts[id].loaded = false; });
        if (canned) canned.reload();
        state = tccc.getState();
        renderAll();
        if (selected) loadTranscript(selected);
        return;
      }
      if (kind === 'callState') {
        if (calls) calls.mediaState(detail.sessionId, detail.state);
        if (dialPad) dialPad.render();
        return;
      }
      if (kind === 'customerTyping') {
        var typist = state.sessions.filter(function (s) { return s.sessionId === detail.sessionId; })[0];
        if (typingLine && typist) typingLine.typing(detail.sessionId, displayName(typist));
        return;
      }
      if (kind === 'media' || kind === 'muted') { if (calls && selected === detail.sessionId) calls.render(); return; }
      if (kind === 'held') {
        if (calls) calls.held(detail);
        return;
      }
      if (kind === 'dtmf') {
        if (calls) calls.digits(detail.sessionId, detail.digits);
        announcer.textContent = t('The caller pressed {digits}', { digits: detail.digits });
        return;
      }
      if (kind === 'model' || kind === 'connection') {
        state = tccc.getState();
        renderAll();
        flushOutbox();
        return;
      }
      if (kind === 'event') {
        var data = detail.data || {};
        if (detail.name === 'message') {
          var conv = transcriptOf(data.sessionId);
          // The echo of a reply this page is sending can come before Chat.sendMessage's answer:
          // it replaces the queued bubble at once, so the reply never shows twice.
          if (data.from === 'agent' && !authorOf(data) && outbox[data.sessionId]) {
            var queued = outbox[data.sessionId].filter(function (item) { return item.sending && item.text === data.text; })[0];
            if (queued) {
              outbox[data.sessionId] = outbox[data.sessionId].filter(function (item) { return item !== queued; });
              if (!outbox[data.sessionId].length) delete outbox[data.sessionId];
            }
          }
          if (typingLine && data.from === 'customer') typingLine.stopped(data.sessionId);
          if (addMessages(data.sessionId, [data])) {
            if (selected === data.sessionId) renderTranscript(false);
            else if (data.from === 'customer') conv.unread += 1;
            renderSessions();
          }
        } else if (detail.name === 'callIn') {
          if (alerts) alerts.offered(data);
          announcer.textContent = t('Incoming {type} from {name}', { type: (TYPE_LABEL[data.type] || data.type).toLowerCase(), name: displayName(data) }) +
            (data.timeout ? t(', {seconds} seconds to accept', { seconds: data.timeout }) : '');
        } else if (detail.name === 'userAccessed') {
          // Accepted here or in another tab: show it if nothing else is open.
          setTimeout(function () { if (!selected) select(data.sessionId); }, 0);
        } else if (detail.name === 'callOuted') {
          if (dialPad) dialPad.callOuted(data);
        } else if (detail.name === 'calloutAccepted') {
          announcer.textContent = t('Your call {session} was answered', { session: data.sessionId });
          if (dialPad) dialPad.render();
        } else if (detail.name === 'sessionEnded' || detail.name === 'transfer' || detail.name === 'autoTransfer') {
          if (calls) calls.forget(data.sessionId);
          if (dialPad && detail.name === 'sessionEnded') dialPad.ended(data);
          if (wrapUp && detail.name === 'sessionEnded') {
            // Only what this agent held (not an offer that rang out) is its to wrap up.
            var ended = tccc.getState().history.filter(function (h) { return h.sessionId === data.sessionId; })[0];
            if (ended && ended.state === 'accepted') wrapUp.ended(ended);
          }
          if (detail.name === 'sessionEnded' && data.closeBy !== 'seat') {
            announcer.textContent = t('Session with {session} ended: {reason}', { session: data.sessionId, reason: CLOSE_BY[data.closeBy] || data.closeBy });
          }
          delete transcripts[data.sessionId];
          if (typingLine) typingLine.stopped(data.sessionId);
          if (outbox[data.sessionId]) {
            showToast(t('Not sent, the session is no longer yours: ') + outbox[data.sessionId].map(function (item) { return item.text; }).join(' / '));
            delete outbox[data.sessionId];
          }
        }
      }
    });

    // One column (.compact) in the floating panel, and in the page on a narrow screen: the list,
    // or the conversation with a Back button; the customer panel is then behind its button.
    var narrow = layout === 'page' && window.matchMedia ? window.matchMedia('(max-width: 720px)') : null;
    function applyWidth() {
      var compact = layout === 'floating' || !!(narrow && narrow.matches);
      if (compact === wb.classList.contains('compact')) return;
      wb.classList.toggle('compact', compact);
      customerToggle.hidden = !customerPanel || !compact;
      if (customerPanel) customerPanel.node.hidden = compact;
      customerToggle.setAttribute('aria-expanded', String(!!customerPanel && !compact));
    }
    if (narrow) {
      if (narrow.addEventListener) narrow.addEventListener('change', function () { applyWidth(); renderOffers(); });
      else if (narrow.addListener) narrow.addListener(function () { applyWidth(); renderOffers(); });
    }
    applyWidth();
    applyUI(ui);
    renderAll();
    if (layout === 'page' && !panel.hidden) focusFirst();

    return {
      host: host,
      root: root,
      select: select,
      /** Takes the workbench off the page for good (the SDK's root element was removed). */
      destroy: function () {
        clearInterval(ticker);
        if (shortcuts) document.removeEventListener('keydown', onShortcut, true);
        if (typeof unsubscribe === 'function') unsubscribe();
        if (host.parentNode) host.parentNode.removeChild(host);
      }
    };
  }

  window.SwitchboardWorkbench = { mount: mount };
})();
