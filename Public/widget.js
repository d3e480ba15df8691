/*
 * Switchboard chat widget: an embeddable customer chat over the customer socket
 * (docs/protocol.md §3). Drop it on any page:
 *
 *   <script src="https://switchboard.example.com/widget.js" data-skill-group="support" async></script>
 *
 * It renders in a shadow root (the page's CSS cannot reach it), keeps the session in
 * sessionStorage so a reload resumes the chat, and de-duplicates messages by messageId.
 * See docs/browser-sdk.md for every attribute.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script) return;
  // The visitor's language (data-lang, else the browser's): its catalogue (i18n/) loads before
  // the widget is built, so every text is made in that language. build() is the widget itself.
  loadLanguage(script, function (t) { build(script, t); });

  function loadLanguage(script, then) {
    var base = new URL(script.dataset.server || script.src, location.href);
    var english = function (text, params) {
      return text.replace(/\{(\w+)\}/g, function (whole, name) { return params && params[name] !== undefined ? String(params[name]) : whole; });
    };
    function load(file, next) {
      var tag = document.createElement('script');
      tag.src = new URL('/i18n/' + file, base).href;
      tag.onload = next;
      // Without its catalogue the widget still works, in English.
      tag.onerror = function () { console.warn('[Switchboard] could not load ' + tag.src); next(); };
      (document.head || document.documentElement).appendChild(tag);
    }
    function ready() {
      var i18n = window.SwitchboardI18n;
      if (!i18n) { then(english); return; }
      var language = i18n.choose(script.dataset.lang);
      if (!i18n.has(language)) { load(i18n.file(language), function () { i18n.use(language); then(i18n.t); }); return; }
      i18n.use(language);
      then(i18n.t);
    }
    if (window.SwitchboardI18n) ready(); else load('i18n.js', ready);
  }

  // (One level less indented than its nesting: kept so, so that the history of every line stays readable.)
  function build(script, t) {
  var data = script.dataset || {};
  var scriptURL = new URL(script.src, location.href);
  var STORAGE_KEY = 'switchboard.chat' + (data.storageKey ? '.' + data.storageKey : '');
  // The server's limit for one message, in characters (docs/reliability.md); the counter shows
  // from COUNTER_FROM on, and a longer message is refused here, before it is sent.
  var MESSAGE_LIMIT = 8000;
  var COUNTER_FROM = 7000;

  var config = {
    server: data.server || scriptURL.origin,
    skillGroup: data.skillGroup || '',
    skillGroups: parseGroups(data.skillGroups),
    title: data.title || t('Chat with us'),
    subtitle: data.subtitle || t('We usually answer within a few minutes.'),
    peerSource: data.peerSource || 'web',
    channelName: data.channelName || '',
    clientData: data.clientData || '',
    remark: data.remark || '',
    avatar: data.avatar || '',
    nickname: data.nickname || '',
    open: data.open === 'true',
    calls: data.calls !== 'false',
    userId: data.userId || '',
    // The tenant, on a server that hosts several (docs/tenants.md).
    sdkAppId: data.sdkAppId || '',
    callee: data.callee || '',
    // A voice call goes through this IVR flow's menu first (the flow chooses the group).
    ivrFlow: data.ivrFlow || '',
    accent: /^#[0-9a-fA-F]{3,8}$/.test(data.accent || '') ? data.accent : '#2563eb'
  };

  function parseGroups(text) {
    if (!text) return [];
    return text.split(',').map(function (part) {
      var pieces = part.split(':');
      var id = pieces[0].trim();
      return { id: id, name: (pieces.slice(1).join(':') || id).trim() };
    }).filter(function (g) { return g.id; });
  }

  function socketURL() {
    var url = new URL(serverURL('/ws/customer'));
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.href;
  }

  /** A URL on the server (`path` may carry a query), naming the tenant when one is configured. */
  function serverURL(path) {
    var url = new URL(path, new URL(config.server, location.href));
    if (config.sdkAppId) url.searchParams.set('sdkAppId', config.sdkAppId);
    return url.href;
  }

  var CSS = [
    ':host { all: initial; }',
    '*, *::before, *::after { box-sizing: border-box; }',
    '[hidden] { display: none !important; }',
    '.w { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: var(--sb-ink, #0f172a); }',
    'button, input, select, textarea { font: inherit; color: inherit; }',
    'button { cursor: pointer; }',
    ':focus-visible { outline: 3px solid #0f172a; outline-offset: 2px; }',
    'input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 2px solid var(--accent); outline-offset: 0; border-color: var(--accent); }',
    '.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }',
    '.launcher { position: fixed; right: 24px; bottom: 24px; z-index: 2147482000; display: flex; align-items: center; gap: 8px;',
    '  border: none; border-radius: 28px; padding: 14px 20px; background: var(--accent); color: #fff; font-weight: 650;',
    '  box-shadow: 0 8px 24px rgba(15,23,42,.3); }',
    '.launcher svg { width: 20px; height: 20px; }',
    '.launcher .unread { background: var(--sb-surface, #fff); color: var(--accent); border-radius: 10px; padding: 0 7px; font-size: 12px; }',
    '.panel { position: fixed; right: 24px; bottom: 24px; z-index: 2147482001; width: 370px; height: min(560px, calc(100vh - 48px));',
    '  background: var(--sb-surface, #fff); border-radius: 16px; box-shadow: 0 18px 50px rgba(15,23,42,.3); display: flex; flex-direction: column; overflow: hidden;',
    '  border: 1px solid var(--sb-line, #e2e8f0); }',
    '@media (max-width: 480px) { .panel { right: 0; bottom: 0; width: 100vw; height: 100vh; border-radius: 0; } }',
    '.head { background: var(--accent); color: #fff; padding: 14px 16px; display: flex; align-items: flex-start; gap: 10px; }',
    '.head .titles { flex: 1; min-width: 0; }',
    '.head h2 { margin: 0; font-size: 16px; font-weight: 700; }',
    '.head .state { font-size: 13px; opacity: .92; margin-top: 2px; min-height: 19px; }',
    '.icon { background: transparent; border: none; color: #fff; width: 32px; height: 32px; border-radius: 8px; font-size: 20px; line-height: 1; }',
    '.icon:hover { background: rgba(255,255,255,.18); }',
    '.start { padding: 20px 18px; display: flex; flex-direction: column; gap: 12px; overflow-y: auto; }',
    '.start p { margin: 0 0 4px; color: var(--sb-ink-2, #334155); }',
    '.start label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; font-size: 13px; color: var(--sb-ink-2, #334155); }',
    '.start input, .start select, .start textarea { border: 1px solid var(--sb-line-2, #cbd5e1); border-radius: 10px; padding: 9px 11px; font-weight: 400; background: var(--sb-surface, #fff); }',
    '.primary { background: var(--accent); color: #fff; border: none; border-radius: 10px; padding: 10px 14px; font-weight: 650; }',
    '.primary:disabled { opacity: .6; cursor: default; }',
    '.error { color: var(--sb-danger, #b91c1c); font-size: 13px; margin: 0; }',
    '.log { flex: 1; min-height: 0; overflow-y: auto; list-style: none; margin: 0; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: var(--sb-surface-2, #f8fafc); }',
    '.msg { max-width: 82%; padding: 8px 12px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }',
    '.msg time { display: block; font-size: 11px; opacity: .7; margin-top: 2px; }',
    '.msg.customer { align-self: flex-end; background: var(--accent); color: #fff; border-bottom-right-radius: 4px; }',
    '.msg.customer time { opacity: 1; }',
    '.msg.customer.pending { opacity: .6; }',
    '.msg.agent { align-self: flex-start; background: var(--sb-surface, #fff); border: 1px solid var(--sb-line, #e2e8f0); border-bottom-left-radius: 4px; }',
    '.msg.agent .from { display: block; font-size: 11px; font-weight: 650; color: var(--sb-muted-2, #475569); }',
    '.msg.system, .notice { align-self: center; color: var(--sb-muted, #586679); font-size: 12px; text-align: center; max-width: 90%; }',
    '.typing { padding: 0 16px 6px; font-size: 12px; color: var(--sb-muted, #586679); min-height: 18px; background: var(--sb-surface-2, #f8fafc); }',
    '.compose { display: flex; flex-wrap: wrap; gap: 8px; padding: 10px 12px; border-top: 1px solid var(--sb-line, #e2e8f0); }',
    '.compose-meta { flex-basis: 100%; display: flex; gap: 8px; align-items: baseline; font-size: 12px; margin-top: -4px; }',
    '.compose-meta:empty { display: none; }',
    '.compose-error { flex: 1; color: var(--sb-danger, #b91c1c); margin: 0; }',
    '.counter { margin-left: auto; color: var(--sb-muted, #586679); font-variant-numeric: tabular-nums; }',
    '.counter.over { color: var(--sb-danger, #b91c1c); font-weight: 650; }',
    '.msg.customer.failed { opacity: 1; background: var(--sb-bad-bg, #fee2e2); color: var(--sb-bad-ink, #7f1d1d); }',
    '.attach { flex: none; background: var(--sb-surface, #fff); border: 1px solid var(--sb-line-2, #cbd5e1); border-radius: 10px; width: 40px; color: var(--sb-ink-2, #334155);',
    '  display: flex; align-items: center; justify-content: center; }',
    '.attach svg { width: 18px; height: 18px; }',
    '.attach:disabled { opacity: .6; cursor: default; }',
    '.compose textarea { flex: 1; resize: none; border: 1px solid var(--sb-line-2, #cbd5e1); border-radius: 10px; padding: 8px 10px; min-height: 40px; max-height: 120px; }',
    '.foot { display: flex; justify-content: space-between; align-items: center; padding: 0 12px 10px; font-size: 12px; color: var(--sb-muted, #586679); }',
    '.link { background: none; border: none; color: var(--sb-danger, #b91c1c); padding: 4px; font-size: 12px; text-decoration: underline; }',
    '.call-buttons { display: flex; gap: 8px; }',
    '.call-buttons button { flex: 1; background: var(--sb-surface, #fff); color: var(--accent); border: 1px solid var(--accent); border-radius: 10px; padding: 9px 10px; font-weight: 650; }',
    '.call { flex: 1; display: flex; flex-direction: column; gap: 12px; padding: 18px; align-items: stretch; text-align: center; background: var(--sb-surface-2, #f8fafc); }',
    '.call .call-state { font-size: 17px; font-weight: 700; }',
    '.call .call-avatar { width: 96px; height: 96px; border-radius: 50%; background: var(--accent); color: #fff; font-size: 40px; font-weight: 700;',
    '  display: flex; align-items: center; justify-content: center; margin: 18px auto 4px; box-shadow: 0 0 0 8px rgba(37,99,235,.12); }',
    '.call .call-avatar.pulsing { animation: sb-pulse 1.6s ease-in-out infinite; }',
    '@keyframes sb-pulse { 50% { box-shadow: 0 0 0 16px rgba(37,99,235,.06); } }',
    '@media (prefers-reduced-motion: reduce) { .call .call-avatar.pulsing { animation: none; } }',
    '.call .call-clock { font-variant-numeric: tabular-nums; color: var(--sb-muted-2, #475569); min-height: 20px; }',
    '.call .call-note { color: var(--sb-muted, #586679); font-size: 13px; min-height: 18px; }',
    '.call .videos { position: relative; background: #0f172a; border-radius: 12px; overflow: hidden; aspect-ratio: 4 / 3; }',
    '.call video.remote { width: 100%; height: 100%; object-fit: cover; }',
    '.call video.local { position: absolute; right: 8px; bottom: 8px; width: 30%; border-radius: 8px; border: 2px solid #fff; }',
    '.call .call-controls { display: flex; gap: 8px; justify-content: center; margin-top: auto; }',
    '.call .call-controls button { border-radius: 10px; padding: 10px 14px; font-weight: 650; border: 1px solid var(--sb-line-2, #cbd5e1); background: var(--sb-surface, #fff); }',
    '.call .call-controls button[aria-pressed="true"] { background: var(--sb-warn-bg, #fef3c7); border-color: #f59e0b; }',
    '.call .call-controls .hangup { background: #dc2626; border-color: #dc2626; color: #fff; }',
    '.call .call-controls .primary { background: var(--accent); border-color: var(--accent); color: #fff; }',
    // The dark theme follows the visitor's system: the rows above write colours as
    // var(--sb-TOKEN, light colour), and only the tokens change here.
    '@media (prefers-color-scheme: dark) { .w { color-scheme: dark; --sb-ink: #e2e8f0; --sb-ink-2: #cbd5e1; --sb-muted: #a3b1c6; --sb-muted-2: #b8c4d4;',
    '  --sb-surface: #1e293b; --sb-surface-2: #0f172a; --sb-surface-3: #172033; --sb-line: #334155; --sb-line-2: #475569; --sb-line-3: #64748b;',
    '  --sb-warn-bg: #422006; --sb-warn-ink: #fde68a; --sb-bad-bg: #450a0a; --sb-bad-ink: #fecaca; --sb-danger: #fca5a5; }',
    '  :focus-visible { outline-color: #e2e8f0; }',
    // The page's accent as text on a dark surface can be too faint: text in the ink colour instead.
    '  .call-buttons button, .launcher .unread { color: var(--sb-ink); }',
    '  :where(.w) :where(textarea, input, select) { background-color: #0f172a; } }',
    '.ended { padding: 12px; border-top: 1px solid var(--sb-line, #e2e8f0); display: flex; flex-direction: column; gap: 8px; align-items: stretch; text-align: center; color: var(--sb-ink-2, #334155); }'
  ].join('\n');

  var CLIP_ICON = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/></svg>';
  var ICON = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">' +
    '<path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg>';

  /** Characters as the server counts them (grapheme clusters), or code points where the browser
   * cannot segment, which never counts fewer. */
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  function characters(text) {
    if (!text) return 0;
    if (!segmenter) return Array.from(text).length;
    var count = 0;
    for (var iterator = segmenter.segment(text)[Symbol.iterator](), step = iterator.next(); !step.done; step = iterator.next()) count += 1;
    return count;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'html') node.innerHTML = value;
      else if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }

  function timeOf(ms) { return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); }

  // ---- DOM ----
  var host = document.createElement('switchboard-chat');
  host.setAttribute('style', 'all: initial !important;');
  var root = host.attachShadow({ mode: 'open' });
  root.appendChild(el('style', { text: CSS }));

  var launcherUnread = el('span', { class: 'unread', hidden: true });
  var launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'sb-chat-panel', html: ICON });
  launcher.appendChild(el('span', { class: 'label', text: config.title }));
  launcher.appendChild(launcherUnread);

  var stateLine = el('div', { class: 'state', role: 'status', 'aria-live': 'polite', text: config.subtitle });
  var minimize = el('button', { type: 'button', class: 'icon minimize', 'aria-label': t('Minimise the chat'), text: '–' });

  // start form
  var nameInput = el('input', { type: 'text', name: 'nickname', autocomplete: 'name', required: true, maxlength: '64', value: config.nickname || null });
  var groupSelect = el('select', { name: 'skillGroup' });
  config.skillGroups.forEach(function (g) { groupSelect.appendChild(el('option', { value: g.id, text: g.name })); });
  var firstMessage = el('textarea', { name: 'message', rows: '3', placeholder: t('How can we help? (optional)') });
  var startError = el('p', { class: 'error', role: 'alert', hidden: true });
  var startButton = el('button', { type: 'submit', class: 'primary', text: t('Start chat') });
  var voiceButton = el('button', { type: 'button', class: 'voice-call', text: t('Voice call') });
  var videoButton = el('button', { type: 'button', class: 'video-call', text: t('Video call') });
  var canCall = config.calls && !!(window.RTCPeerConnection && navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
  var startForm = el('form', { class: 'start', 'aria-label': t('Start a chat'), novalidate: true }, [
    el('p', { text: t('Tell us your name and we will connect you with someone from our team.') }),
    el('label', {}, [t('Your name'), nameInput]),
    config.skillGroup || config.skillGroups.length === 0 ? null : el('label', {}, [t('Topic'), groupSelect]),
    el('label', {}, [t('Message'), firstMessage]),
    startError, startButton,
    canCall ? el('div', { class: 'call-buttons' }, [voiceButton, videoButton]) : null
  ]);

  // a call
  var callStateLine = el('div', { class: 'call-state', role: 'status', 'aria-live': 'polite' });
  var callClock = el('div', { class: 'call-clock' });
  var callNote = el('div', { class: 'call-note' });
  var remoteVideo = el('video', { class: 'remote', autoplay: true, playsinline: true });
  var localVideo = el('video', { class: 'local', autoplay: true, playsinline: true });
  remoteVideo.muted = true; // the voice plays through call-media.js's audio element
  localVideo.muted = true;
  var callVideos = el('div', { class: 'videos', hidden: true }, [remoteVideo, localVideo]);
  var callMute = el('button', { type: 'button', class: 'mute', 'aria-pressed': 'false', text: t('Mute') });
  var callHangUp = el('button', { type: 'button', class: 'hangup', text: t('Hang up') });
  var callDone = el('button', { type: 'button', class: 'primary call-done', text: t('Back'), hidden: true });
  var callAvatar = el('div', { class: 'call-avatar', 'aria-hidden': 'true' });
  var callBox = el('div', { class: 'call', hidden: true, 'aria-label': t('Call') }, [
    callAvatar, callStateLine, callClock, callVideos, callNote,
    el('div', { class: 'call-controls' }, [callMute, callHangUp, callDone])
  ]);

  // conversation
  // A list that announces what is added (aria-live); role=log would take the list's semantics away from its items.
  var log = el('ol', { class: 'log', 'aria-label': t('Conversation'), 'aria-live': 'polite', hidden: true });
  var typingLine = el('div', { class: 'typing', 'aria-live': 'polite', hidden: true });
  var messageInput = el('textarea', { rows: '1', 'aria-label': t('Message'), placeholder: t('Write a message — Enter sends') });
  var sendButton = el('button', { type: 'submit', class: 'primary', text: t('Send') });
  // A picture or file for the agent (see "files" below); the input is clicked for the button.
  var fileInput = el('input', { type: 'file', class: 'attach-input', hidden: true, 'aria-hidden': 'true', tabindex: '-1' });
  var attachButton = el('button', { type: 'button', class: 'attach', 'aria-label': t('Send a picture or file'), title: t('Send a picture or file'), html: CLIP_ICON });
  var composeError = el('p', { class: 'compose-error', role: 'alert', id: 'sb-compose-error', hidden: true });
  var counterLine = el('span', { class: 'counter', id: 'sb-compose-counter', 'aria-live': 'polite', hidden: true });
  var compose = el('form', { class: 'compose', hidden: true }, [messageInput, attachButton, fileInput, sendButton,
    el('div', { class: 'compose-meta' }, [composeError, counterLine])]);
  messageInput.setAttribute('aria-describedby', 'sb-compose-error sb-compose-counter');
  var leaveButton = el('button', { type: 'button', class: 'link leave', text: t('End chat') });
  var connectionNote = el('span', { class: 'conn' });
  var foot = el('div', { class: 'foot', hidden: true }, [connectionNote, leaveButton]);
  var newChatButton = el('button', { type: 'button', class: 'primary new-chat', text: t('Start a new chat') });
  var endedBox = el('div', { class: 'ended', hidden: true }, [el('span', { class: 'ended-text' }), newChatButton]);

  var panel = el('section', { class: 'panel', id: 'sb-chat-panel', role: 'dialog', 'aria-label': config.title, hidden: true }, [
    el('header', { class: 'head' }, [el('div', { class: 'titles' }, [el('h2', { text: config.title }), stateLine]), minimize]),
    startForm, callBox, log, typingLine, compose, foot, endedBox
  ]);
  var widget = el('div', { class: 'w', lang: window.SwitchboardI18n ? window.SwitchboardI18n.language : 'en' }, [launcher, panel]);
  widget.style.setProperty('--accent', config.accent);
  root.appendChild(widget);

  // ---- state ----
  var store = load();
  var socket = null;
  var phase = store.sessionId ? 'resuming' : 'idle'; // idle | starting | resuming | live | ended
  var attempt = 0;
  var reconnectTimer = null;
  var pendingStart = null;
  // Messages not yet acknowledged, {clientMessageId, text}: rebuilt from the saved transcript, so
  // what a reload interrupted goes out after the resume (the server stores a clientMessageId once).
  var outbox = store.items.filter(function (item) { return item.pending && item.clientMessageId; })
    .map(function (item) { return { clientMessageId: item.clientMessageId, text: item.text }; });
  var typingTimer = null;
  var lastTypingSent = 0;
  var unread = 0;
  var counter = 0;

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY));
      if (saved && saved.sessionId && saved.secret) {
        saved.items = saved.items || [];
        saved.items.forEach(function (item) {
          // Saved by an older widget that sent what the server refuses: say so instead of "sending…".
          if (item.pending && characters(item.text) > MESSAGE_LIMIT) { item.pending = false; item.failed = true; }
        });
        return saved;
      }
    } catch (error) { /* nothing saved */ }
    return { items: [] };
  }

  function save() {
    try {
      if (store.sessionId) {
        if (store.items.length > 300) store.items = store.items.slice(-300);
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify(store));
      } else {
        sessionStorage.removeItem(STORAGE_KEY);
      }
    } catch (error) { /* storage full or blocked: the chat still works, it just won't survive a reload */ }
  }

  // ---- rendering ----
  function render() {
    var started = phase !== 'idle' && phase !== 'starting';
    if (call.phase !== 'idle') {
      // A call takes the panel; the chat comes back when it is over.
      startForm.hidden = true;
      callBox.hidden = false;
      log.hidden = compose.hidden = foot.hidden = endedBox.hidden = true;
      return;
    }
    callBox.hidden = true;
    startForm.hidden = started;
    log.hidden = !started;
    compose.hidden = !(started && phase !== 'ended');
    foot.hidden = !(started && phase !== 'ended');
    endedBox.hidden = phase !== 'ended';
    startButton.disabled = phase === 'starting';
    startButton.textContent = phase === 'starting' ? t('Connecting…') : t('Start chat');
  }

  function setStateLine(text) { stateLine.textContent = text; }

  function renderLog() {
    log.textContent = '';
    var previous = null;
    store.items.forEach(function (item) {
      // The agent's name heads a run of the agent's messages, not each one.
      log.appendChild(itemNode(item, !(previous && previous.kind === 'message' && previous.from === 'agent' && previous.agent === item.agent)));
      previous = item;
    });
    log.scrollTop = log.scrollHeight;
  }

  function itemNode(item, showName) {
    if (item.kind === 'notice') return el('li', { class: 'notice', text: item.text });
    var who = item.from === 'customer' ? t('You') : item.from === 'agent' ? (item.agent || t('Agent')) : 'Switchboard';
    var node = el('li', { class: 'msg ' + item.from + (item.pending ? ' pending' : '') + (item.failed ? ' failed' : ''),
      'data-message-id': item.messageId || null });
    if (item.from === 'agent' && showName) node.appendChild(el('span', { class: 'from', text: who }));
    else if (item.from === 'agent') node.appendChild(el('span', { class: 'sr', text: who + ': ' }));
    else node.appendChild(el('span', { class: 'sr', text: who + ': ' }));
    // dir=auto: a message in Arabic or Hebrew reads right to left, whatever the page's language.
    node.appendChild(el('div', { class: 'text', dir: 'auto' }, [messageBody(item)]));
    node.appendChild(el('time', { text: item.failed ? t('not sent: longer than {limit} characters', { limit: MESSAGE_LIMIT.toLocaleString('en-US') })
      : item.pending ? t('sending…') : timeOf(item.sentAt) }));
    return node;
  }

  function notice(text) {
    counter += 1;
    store.items.push({ kind: 'notice', text: text, key: 'n-' + Date.now() + '-' + counter });
    save();
    renderLog();
  }

  function addMessage(message) {
    var existing = null;
    for (var i = 0; i < store.items.length; i++) {
      var item = store.items[i];
      if (item.messageId && item.messageId === message.messageId) { existing = item; break; }
    }
    if (existing) {
      existing.pending = false;
      existing.sentAt = message.sentAt;
      existing.text = message.text;
    } else {
      store.items.push({ kind: 'message', messageId: message.messageId, from: message.from, text: message.text,
        sentAt: message.sentAt, agent: message.from === 'agent' ? store.agent : undefined, attachment: message.attachment });
      if (message.from === 'agent') {
        typingLine.hidden = true;
        if (panel.hidden) { unread += 1; renderUnread(); }
      }
    }
    store.lastMessageId = message.messageId;
    save();
    renderLog();
  }

  function renderUnread() {
    launcherUnread.hidden = unread === 0;
    launcherUnread.textContent = String(unread);
    launcher.setAttribute('aria-label', config.title + (unread ? t(' ({count} new)', { count: unread }) : ''));
  }

  // ---- the socket ----
  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    var ws = new WebSocket(socketURL());
    socket = ws;
    connectionNote.textContent = t('Connecting…');
    ws.onopen = function () {
      if (store.sessionId) {
        var resume = { v: 1, type: 'resume', sessionId: store.sessionId, secret: store.secret };
        if (store.lastMessageId) resume.resumeFrom = store.lastMessageId;
        send(resume);
      } else if (pendingStart) {
        send(pendingStart);
      }
    };
    ws.onmessage = function (event) {
      if (ws !== socket) return;
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      onFrame(frame);
    };
    ws.onclose = function () {
      if (ws !== socket) return;
      socket = null;
      if (phase === 'ended' || phase === 'idle') return;
      if (phase === 'starting' && !store.sessionId) {
        phase = 'idle';
        startError.hidden = false;
        startError.textContent = t('Could not reach the chat service. Please try again.');
        render();
        return;
      }
      connectionNote.textContent = t('Reconnecting…');
      var delay = Math.min(10000, 500 * Math.pow(2, attempt)) * (0.8 + Math.random() * 0.4);
      attempt += 1;
      reconnectTimer = setTimeout(connect, delay);
    };
  }

  function send(frame) {
    if (!socket || socket.readyState !== 1) return false;
    try { socket.send(JSON.stringify(frame)); return true; } catch (error) { return false; }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'started': {
        var fresh = store.sessionId !== frame.sessionId;
        store.sessionId = frame.sessionId;
        store.secret = frame.secret;
        if (fresh) store.items = store.items || [];
        attempt = 0;
        if (phase !== 'live') { phase = 'live'; render(); }
        connectionNote.textContent = '';
        if (fresh) {
          setStateLine(t('Waiting for an agent…'));
          // The first message typed in the start form goes out once the session exists.
          if (store.firstMessage) { queueMessage(store.firstMessage); delete store.firstMessage; }
        }
        save();
        flushOutbox();
        renderLog();
        break;
      }
      case 'queued':
        store.agent = null;
        store.position = frame.position;
        setStateLine(frame.position === 1 ? t('You are next in line.') : t('You are number {position} in line.', { position: frame.position }));
        save();
        break;
      case 'ringing':
        if (!store.agent) setStateLine(t('Connecting you with an agent…'));
        break;
      case 'agentJoined':
        if (store.agent !== frame.nickname) {
          store.agent = frame.nickname;
          notice(t('{name} joined the chat', { name: frame.nickname }));
        }
        setStateLine(t('You are chatting with {name}', { name: frame.nickname }));
        save();
        break;
      case 'agentTyping':
        typingLine.hidden = false;
        typingLine.textContent = t('{name} is typing…', { name: store.agent || t('The agent') });
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typingLine.hidden = true; }, 4000);
        break;
      case 'message':
        addMessage(frame);
        break;
      case 'ack':
        outbox = outbox.filter(function (m) { return m.clientMessageId !== frame.clientMessageId; });
        store.items.forEach(function (item) {
          if (item.clientMessageId && item.clientMessageId === frame.clientMessageId) item.messageId = frame.messageId;
        });
        // The echo (`message`) follows; if it is already shown, this keeps one copy.
        dedupe();
        save();
        break;
      case 'transferred':
        store.agent = null;
        notice(t('You are being transferred to another agent…'));
        setStateLine(t('Waiting for an agent…'));
        save();
        break;
      case 'ended': {
        var why = { client: t('You ended the chat.'), seat: t('The agent ended the chat.'), admin: t('The chat was closed by our team.'),
          timer: t('The chat was closed after a period without activity.') }[frame.closeBy] || t('The chat has ended.');
        finish(why);
        break;
      }
      case 'error':
        if (frame.code === 'sessionNotFound' && phase === 'resuming') {
          finish(t('This chat is no longer available.'));
        } else if (phase === 'starting') {
          phase = 'idle';
          startError.hidden = false;
          startError.textContent = frame.message || t('The chat could not be started.');
          var s = socket; socket = null; if (s) s.close();
          render();
        } else if (frame.code === 'sessionNotFound') {
          finish(t('The chat has ended.'));
        } else if (frame.code === 'rateLimited' && frame.retryAfter && outbox.length) {
          // Messages sent too fast: the unacknowledged ones go again once the server takes more.
          setTimeout(flushOutbox, frame.retryAfter * 1000);
          notice(t('Sending too fast; your message will be sent in {seconds} s.', { seconds: frame.retryAfter }));
        } else {
          notice(t('Problem: {reason}', { reason: frame.message || frame.code }));
        }
        break;
      default:
        break;
    }
  }

  function dedupe() {
    var seen = {};
    store.items = store.items.filter(function (item) {
      if (!item.messageId) return true;
      if (seen[item.messageId]) { seen[item.messageId].pending = seen[item.messageId].pending && item.pending; return false; }
      seen[item.messageId] = item;
      return true;
    });
    renderLog();
  }

  function finish(text) {
    phase = 'ended';
    clearTimeout(reconnectTimer);
    typingLine.hidden = true;
    setStateLine(t('Chat ended'));
    endedBox.querySelector('.ended-text').textContent = text;
    notice(text);
    var keep = store.items;
    store = { items: [] };
    save();
    store.items = keep; // still shown until a new chat starts
    var s = socket; socket = null;
    if (s) { try { s.close(); } catch (error) { /* closed */ } }
    render();
    renderLog();
  }

  function queueMessage(text) {
    counter += 1;
    var clientMessageId = 'c-' + Date.now().toString(36) + '-' + counter;
    store.items.push({ kind: 'message', from: 'customer', text: text, clientMessageId: clientMessageId, pending: true, sentAt: Date.now() });
    outbox.push({ clientMessageId: clientMessageId, text: text });
    save();
    renderLog();
    flushOutbox();
  }

  function flushOutbox() {
    if (phase !== 'live') return;
    outbox.forEach(function (m) { send({ v: 1, type: 'message', text: m.text, clientMessageId: m.clientMessageId }); });
  }

  // ---- actions ----
  function start(nickname, skillGroupId, text) {
    if (phase === 'live' || phase === 'starting' || phase === 'resuming') return;
    var group = skillGroupId || config.skillGroup || groupSelect.value;
    if (!nickname) { startError.hidden = false; startError.textContent = t('Please tell us your name.'); nameInput.focus(); return; }
    if (!group) { startError.hidden = false; startError.textContent = t('This chat has no topic configured (data-skill-group).'); return; }
    startError.hidden = true;
    store = { items: [], nickname: nickname, skillGroupId: group };
    if (text) store.firstMessage = text;
    var frame = { v: 1, type: 'start', skillGroupId: group, nickname: nickname };
    if (config.peerSource) frame.peerSource = config.peerSource;
    if (config.channelName) frame.channelName = config.channelName;
    if (config.clientData) frame.clientData = config.clientData;
    if (config.remark) frame.remark = config.remark;
    if (config.avatar) frame.avatar = config.avatar;
    // Who the visitor is on the site: their earlier chats, and usingLastSeat's returning customer.
    if (config.userId) frame.userId = config.userId;
    pendingStart = frame;
    phase = 'starting';
    attempt = 0;
    render();
    connect();
  }

  function leave() {
    if (phase !== 'live' && phase !== 'resuming') return;
    if (send({ v: 1, type: 'leave' })) return; // `ended` follows
    // Not connected: leave through the REST fallback so the agent is not left waiting.
    var id = store.sessionId, secret = store.secret;
    fetch(serverURL('/api/v1/chat/sessions/' + encodeURIComponent(id) + '/leave'), {
      method: 'POST', headers: { 'X-Session-Secret': secret }
    }).catch(function () { /* best effort */ });
    finish(t('You ended the chat.'));
  }

  function open() {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute('aria-expanded', 'true');
    unread = 0;
    renderUnread();
    store.open = true;
    save();
    setTimeout(function () {
      if (!startForm.hidden) nameInput.value ? (config.skillGroup ? firstMessage : groupSelect).focus() : nameInput.focus();
      else if (!compose.hidden) messageInput.focus();
      log.scrollTop = log.scrollHeight;
    }, 0);
  }

  function close() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    store.open = false;
    save();
    launcher.focus();
  }

  launcher.addEventListener('click', open);
  minimize.addEventListener('click', close);
  panel.addEventListener('keydown', function (event) { if (event.key === 'Escape') close(); });
  startForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var length = characters(firstMessage.value.trim());
    if (length > MESSAGE_LIMIT) {
      startError.hidden = false;
      startError.textContent = t('Your message is {length} characters; the limit is {limit}. Shorten it to start.',
        { length: length.toLocaleString('en-US'), limit: MESSAGE_LIMIT.toLocaleString('en-US') });
      firstMessage.focus();
      return;
    }
    start(nameInput.value.trim(), null, firstMessage.value.trim());
  });
  firstMessage.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); startForm.requestSubmit(); }
  });
  compose.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = messageInput.value.trim();
    if (!text) return;
    var length = characters(text);
    if (length > MESSAGE_LIMIT) {
      // Refused here, with the text kept: the server would refuse it anyway.
      composeError.hidden = false;
      composeError.textContent = t('Your message is {length} characters; the limit is {limit}. Shorten it to send.',
        { length: length.toLocaleString('en-US'), limit: MESSAGE_LIMIT.toLocaleString('en-US') });
      messageInput.focus();
      return;
    }
    messageInput.value = '';
    renderCounter();
    queueMessage(text);
  });
  messageInput.addEventListener('input', renderCounter);

  /** The counter near the limit; the error goes once the text fits again. */
  function renderCounter() {
    var length = characters(messageInput.value.trim());
    counterLine.hidden = length < COUNTER_FROM;
    counterLine.textContent = length.toLocaleString('en-US') + ' / ' + MESSAGE_LIMIT.toLocaleString('en-US');
    counterLine.classList.toggle('over', length > MESSAGE_LIMIT);
    if (length <= MESSAGE_LIMIT) composeError.hidden = true;
  }
  messageInput.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); compose.requestSubmit(); return; }
    var now = Date.now();
    if (now - lastTypingSent > 3000) { lastTypingSent = now; send({ v: 1, type: 'typing' }); }
  });
  leaveButton.addEventListener('click', leave);
  newChatButton.addEventListener('click', function () {
    phase = 'idle';
    store = { items: [] };
    outbox = [];
    save();
    setStateLine(config.subtitle);
    render();
    renderLog();
    nameInput.focus();
  });


  // ---- files and links ---------------------------------------------------------------------
  // chat-content.js (shared with the workbench) shows links and files; until it has loaded,
  // messages show as plain text. Files go up over HTTP with the session secret, checked against
  // the server's limits first, and come back as a message like any other.
  var chatContent = null;
  var fileLimits = null;
  var fileBlobs = {};
  (function loadChatContent() {
    var tag = document.createElement('script');
    tag.src = new URL('/sdk/chat-content.js', config.server).href;
    tag.onload = function () {
      chatContent = window.SwitchboardChatContent || null;
      if (chatContent) { root.appendChild(el('style', { text: chatContent.css })); renderLog(); }
    };
    (document.head || document.documentElement).appendChild(tag);
    fetch(serverURL('/api/v1/chat/attachment-policy')).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (limits) {
      fileLimits = limits;
      if (limits) fileInput.setAttribute('accept', limits.contentTypes.join(','));
    }, function () { /* checked by the server alone */ });
  })();

  function messageBody(item) {
    if (!chatContent) return document.createTextNode(item.text);
    if (!item.attachment) return chatContent.text(item.text);
    var file = item.attachment;
    return chatContent.attachment(file, function () { return fetchFile(file.attachmentId); });
  }

  function filesURL(rest) {
    return serverURL('/api/v1/chat/sessions/' + encodeURIComponent(store.sessionId) + '/attachments' + rest);
  }

  /** The content of a file in this chat, fetched once. */
  function fetchFile(attachmentId) {
    if (!fileBlobs[attachmentId]) {
      fileBlobs[attachmentId] = fetch(filesURL('/' + encodeURIComponent(attachmentId)), { headers: { 'X-Session-Secret': store.secret } })
        .then(function (response) {
          if (!response.ok) throw new Error(t('the server answered {status}', { status: response.status }));
          return response.blob();
        }).catch(function (error) { delete fileBlobs[attachmentId]; throw error; });
    }
    return fileBlobs[attachmentId];
  }

  function fileError(text) {
    composeError.hidden = !text;
    composeError.textContent = text || '';
  }

  attachButton.addEventListener('click', function () { fileInput.value = ''; fileInput.click(); });
  fileInput.addEventListener('change', function () {
    var file = fileInput.files && fileInput.files[0];
    if (!file || phase !== 'live') return;
    var problem = chatContent ? chatContent.checkFile(file, fileLimits) : null;
    if (problem) { fileError(problem); return; }
    counter += 1;
    var clientMessageId = 'f-' + Date.now().toString(36) + '-' + counter;
    attachButton.disabled = true;
    fileError('');
    connectionNote.textContent = t('Sending {file}…', { file: file.name });
    fetch(filesURL('?name=' + encodeURIComponent(file.name) + '&clientMessageId=' + encodeURIComponent(clientMessageId)), {
      method: 'POST', body: file, headers: { 'X-Session-Secret': store.secret, 'Content-Type': file.type || 'application/octet-stream' }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error((answer && answer.error && answer.error.message) || t('the server answered {status}', { status: response.status }));
        addMessage(answer.message);
      });
    }).catch(function (error) {
      fileError(t('"{file}" was not sent: {reason}', { file: file.name, reason: error.message }));
    }).then(function () {
      attachButton.disabled = false;
      connectionNote.textContent = '';
    });
  });

  // ---- calls: voice and video over WebRTC --------------------------------------------------
  // A call has its own socket: a `start` with type voip or video. The widget is the caller: once
  // an agent answers (`agentJoined`) it opens the microphone (and camera) and sends the offer.
  // Phases: idle → connecting → queued → ringing → connected (→ held) → ended.
  var call = { phase: 'idle', ws: null, media: null, sessionId: null, video: false, iceServers: [], acceptedAt: null,
    agent: null, position: null, held: false, muted: false, closeBy: null, error: null };
  var CALL_TEXT = { connecting: t('Connecting…'), menu: t('Choose an option'), queued: t('Waiting for an agent'), ringing: t('Ringing…'),
    connected: t('Connected'), held: t('On hold'), ended: t('Call ended') };
  var CALL_ENDED_BY = { client: t('You hung up.'), seat: t('The agent ended the call.'), admin: t('The call was ended by a supervisor.'),
    timer: t('No one could take your call. Please try again later.') };

  function loadScript(path, global) {
    if (window[global]) return Promise.resolve(window[global]);
    return new Promise(function (resolve, reject) {
      var tag = document.createElement('script');
      tag.src = new URL(path, config.server).href;
      tag.onload = function () { resolve(window[global]); };
      tag.onerror = function () { reject(new Error('could not load ' + tag.src)); };
      (document.head || document.documentElement).appendChild(tag);
    });
  }

  function loadCallMedia(withMenu) {
    return Promise.all([loadScript('/sdk/call-media.js', 'SwitchboardCallMedia'),
      withMenu ? loadScript('/sdk/ivr-menu.js', 'SwitchboardIVRMenu') : null]).then(function (loaded) { return loaded[0]; });
  }

  // The IVR menu of a call through a flow (sdk/ivr-menu.js): prompts played, a keypad.
  var ivrMenu = null;
  function menu() {
    if (!ivrMenu && window.SwitchboardIVRMenu) {
      ivrMenu = window.SwitchboardIVRMenu.create({ el: el, server: config.server, send: sendCall });
      root.appendChild(el('style', { text: ivrMenu.css }));
      callBox.insertBefore(ivrMenu.node, callNote);
      callBox.addEventListener('keydown', function (event) { if (ivrMenu.handleKey(event)) event.preventDefault(); });
    }
    return ivrMenu;
  }

  function renderCall() {
    var label = CALL_TEXT[call.phase] || '';
    if (call.phase === 'queued' && call.position) label += t(' — you are number {position}', { position: call.position });
    if (call.phase === 'connected' && call.agent) label = t('Connected to {name}', { name: call.agent });
    callStateLine.textContent = label;
    callNote.textContent = call.phase === 'ended' ? (call.error || CALL_ENDED_BY[call.closeBy] || '') :
      call.phase === 'held' ? t('Please hold — the agent will be right back.') :
      call.media && call.media.state === 'failed' ? t('The audio could not connect. Check your network.') : '';
    callVideos.hidden = !call.video || call.phase === 'ended';
    callAvatar.hidden = !callVideos.hidden || call.phase === 'menu'; // room for the keypad and Hang up
    callAvatar.textContent = call.agent ? call.agent.trim().charAt(0).toUpperCase() : '\u260E';
    callAvatar.classList.toggle('pulsing', call.phase === 'queued' || call.phase === 'ringing' || call.phase === 'connecting');
    callMute.hidden = callHangUp.hidden = call.phase === 'ended';
    if (call.phase === 'menu') callMute.hidden = true; // no microphone is open in the menu
    callDone.hidden = call.phase !== 'ended';
    callMute.setAttribute('aria-pressed', String(call.muted));
    callMute.textContent = call.muted ? t('Unmute') : t('Mute');
    setStateLine(label);
    tickCall();
  }

  function tickCall() {
    callClock.textContent = call.acceptedAt && call.phase !== 'ended' ? clockText((Date.now() - call.acceptedAt) / 1000) : '';
  }
  setInterval(function () { if (call.phase === 'connected' || call.phase === 'held') tickCall(); }, 500);

  function clockText(seconds) {
    var s = Math.max(0, Math.floor(seconds));
    return Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
  }

  function setCallPhase(next) {
    call.phase = next;
    render();
    renderCall();
  }

  function startCall(video, nickname, skillGroupId, ivrFlow) {
    if (call.phase !== 'idle' && call.phase !== 'ended') return;
    if (phase === 'live' || phase === 'starting' || phase === 'resuming') return; // a chat is going on
    var name = nickname || nameInput.value.trim();
    // A voice call goes through the configured flow unless the page names a group for it.
    var flow = video ? '' : ivrFlow || (skillGroupId ? '' : config.ivrFlow);
    var group = skillGroupId || config.skillGroup || groupSelect.value;
    if (!name) { startError.hidden = false; startError.textContent = t('Please tell us your name.'); nameInput.focus(); return; }
    if (!group && !flow) { startError.hidden = false; startError.textContent = t('This widget has no topic configured (data-skill-group).'); return; }
    startError.hidden = true;
    call = { phase: 'connecting', ws: null, media: null, sessionId: null, video: !!video, iceServers: [], acceptedAt: null,
      agent: null, position: null, held: false, muted: false, closeBy: null, error: null };
    setCallPhase('connecting');
    loadCallMedia(!!flow).then(function () {
      if (call.phase !== 'connecting') return;
      var ws = new WebSocket(socketURL());
      call.ws = ws;
      ws.onopen = function () {
        var start = callFields(video);
        start.v = 1;
        start.type = 'start';
        if (flow) start.ivrFlowId = flow; else start.skillGroupId = group;
        start.nickname = name;
        ws.send(JSON.stringify(start));
      };
      ws.onmessage = function (event) {
        if (ws !== call.ws) return;
        var frame;
        try { frame = JSON.parse(event.data); } catch (error) { return; }
        onCallFrame(frame);
      };
      ws.onclose = function () {
        if (ws !== call.ws || call.phase === 'ended') return;
        reconnectCall();
      };
    }, function (error) {
      endCall(null, t('Calls are not available right now ({reason}).', { reason: error.message }));
    });
  }

  /** The start frame's call fields (`type` is the frame's own, so the session type is `sessionType`). */
  function callFields(video) {
    var fields = { sessionType: video ? 'video' : 'voip' };
    if (config.peerSource) fields.peerSource = config.peerSource;
    if (config.remark) fields.remark = config.remark;
    if (config.avatar) fields.avatar = config.avatar;
    if (config.userId) fields.userId = config.userId;
    if (config.callee) fields.callee = config.callee;
    if (config.clientData) fields.clientData = config.clientData;
    return fields;
  }

  /**
   * The call's socket dropped: the media goes on peer to peer, so reattach with the session's
   * secret (the server hangs up a call whose page stays away 10 s).
   */
  function reconnectCall() {
    if (!call.sessionId || !call.secret || call.retries >= 5) {
      endCall(null, t('The connection to the call service was lost.'));
      return;
    }
    call.retries += 1;
    callNote.textContent = t('Reconnecting…');
    setTimeout(function () {
      if (call.phase === 'ended' || call.phase === 'idle') return;
      var ws = new WebSocket(socketURL());
      call.ws = ws;
      ws.onopen = function () { ws.send(JSON.stringify({ v: 1, type: 'resume', sessionId: call.sessionId, secret: call.secret })); };
      ws.onmessage = function (event) {
        if (ws !== call.ws) return;
        var frame;
        try { frame = JSON.parse(event.data); } catch (error) { return; }
        if (frame.type === 'started') { callNote.textContent = ''; renderCall(); }
        onCallFrame(frame);
      };
      ws.onclose = function () { if (ws === call.ws && call.phase !== 'ended') reconnectCall(); };
    }, 500 * call.retries);
  }

  function sendCall(frame) {
    if (call.ws && call.ws.readyState === 1) call.ws.send(JSON.stringify(frame));
  }

  /** `attempt`: the name a restart asked the new offer to carry (see docs/calls.md). */
  function openCallMedia(attempt) {
    if (call.media) call.media.close();
    var media = window.SwitchboardCallMedia.createCall({
      role: 'offerer', video: call.video, iceServers: call.iceServers, attempt: attempt,
      send: function (signal) { sendCall({ v: 1, type: 'signal', signal: signal }); },
      onRemoteStream: function (stream) { remoteVideo.srcObject = stream; },
      onState: function () { renderCall(); }
    });
    media.setMicMuted(call.muted);
    call.media = media;
    media.offer().then(function () {
      if (call.media === media && media.localStream) localVideo.srcObject = media.localStream;
    }, function (error) {
      if (call.media !== media) return;
      call.error = t(call.video ? 'Your microphone or camera could not be opened ({reason}).' : 'Your microphone could not be opened ({reason}).', { reason: error && error.name || error });
      hangUpCall();
    });
  }

  function onCallFrame(frame) {
    switch (frame.type) {
      case 'started':
        call.sessionId = frame.sessionId;
        call.secret = frame.secret;
        call.retries = 0;
        if (ivrMenu) ivrMenu.close(); // out of the menu: queued
        break;
      case 'ivrPrompt':
        if (menu()) { menu().prompt(frame); setCallPhase('menu'); }
        break;
      case 'ivrStop':
        if (ivrMenu) ivrMenu.stop();
        break;
      case 'queued':
        call.position = frame.position;
        setCallPhase('queued');
        break;
      case 'ringing':
        setCallPhase('ringing');
        break;
      case 'agentJoined':
        if (call.agent === frame.nickname && call.media) break; // the state again after a reconnect
        call.agent = frame.nickname;
        call.iceServers = frame.iceServers || [];
        call.acceptedAt = call.acceptedAt || Date.now();
        setCallPhase('connected');
        openCallMedia();
        break;
      case 'transferred':
        // The agent handed the call on: this connection ends; the next agent gets a new one.
        if (call.media) { call.media.close(); call.media = null; }
        call.agent = null;
        setCallPhase('connecting');
        callNote.textContent = t('Transferring you…');
        break;
      case 'signal': {
        var signal = frame.signal || {};
        if (signal.kind === 'restart') { // the agent's page reloaded: start the media over
          if (call.agent) { openCallMedia(signal.attempt); if (call.phase === 'held') call.media.setHeld(true, { music: true }); }
          break;
        }
        if (call.media) call.media.handle(signal);
        if (signal.kind === 'hold') setCallPhase('held');
        else if (signal.kind === 'unhold') setCallPhase('connected');
        else if (signal.kind === 'dtmf') callNote.textContent = 'The agent sent ' + signal.digits;
        break;
      }
      case 'ended':
        // Ended in the menu (its goodbye, or closed hours): the flow hung up, not a supervisor.
        endCall(frame.closeBy, call.phase === 'menu' && frame.closeBy !== 'client' ? 'The call has ended.' : null);
        break;
      case 'error':
        if (!call.sessionId) endCall(null, frame.message || t('The call could not start.'));
        else console.warn('[Switchboard] call error', frame.message);
        break;
      default:
        break;
    }
  }

  function endCall(closeBy, error) {
    if (ivrMenu) ivrMenu.close();
    call.closeBy = closeBy;
    if (error) call.error = error;
    if (call.media) { call.media.close(); }
    var ws = call.ws;
    call.ws = null;
    if (ws) { try { ws.close(1000); } catch (e) { /* closed */ } }
    remoteVideo.srcObject = null;
    localVideo.srcObject = null;
    setCallPhase('ended');
  }

  function hangUpCall() {
    if (call.phase === 'idle' || call.phase === 'ended') return;
    if (call.ws && call.ws.readyState === 1 && call.sessionId) {
      sendCall({ v: 1, type: 'leave' }); // `ended` with closeBy client follows
    } else {
      endCall('client', null);
    }
  }

  voiceButton.addEventListener('click', function () { startCall(false); });
  videoButton.addEventListener('click', function () { startCall(true); });
  callHangUp.addEventListener('click', hangUpCall);
  callMute.addEventListener('click', function () {
    call.muted = !call.muted;
    if (call.media) call.media.setMicMuted(call.muted);
    renderCall();
  });
  callDone.addEventListener('click', function () {
    call.phase = 'idle';
    setStateLine(config.subtitle);
    render();
  });
  // Closing the page hangs up rather than leaving the agent with a silent line.
  window.addEventListener('pagehide', function () { if (call.ws) sendCall({ v: 1, type: 'leave' }); });

  /** A small API for the host page: SwitchboardChat.open(), .close(), .start({nickname, skillGroupId, message}), .leave(). */
  window.SwitchboardChat = {
    open: open,
    close: close,
    start: function (options) { options = options || {}; open(); start(options.nickname || nameInput.value.trim(), options.skillGroupId, options.message); },
    send: function (text) { if (phase === 'live' && text) queueMessage(String(text)); },
    leave: leave,
    state: function () { return { phase: phase, sessionId: store.sessionId || null, agent: store.agent || null, position: store.position || null }; },
    /** Starts a voice (or, with {video: true}, video) call: {video, nickname, skillGroupId, ivrFlowId}. */
    call: function (options) { options = options || {}; open(); startCall(!!options.video, options.nickname, options.skillGroupId, options.ivrFlowId); },
    /** Hangs up the call. */
    hangUp: hangUpCall,
    /** The call: {phase, sessionId, agent, held, muted, closeBy}. */
    callState: function () {
      return { phase: call.phase, sessionId: call.sessionId, agent: call.agent, held: call.phase === 'held', muted: call.muted,
        closeBy: call.closeBy, error: call.error, media: call.media ? call.media.state : null };
    },
    /** getStats() byte counts of the call's media (for diagnostics and tests). */
    callStats: function () { return call.media ? call.media.stats() : Promise.resolve(null); },
    /** Diagnostics and tests: drops the call's socket as a network failure would (it reattaches). */
    dropCallSocket: function () { if (call.ws) call.ws.close(4000, 'dropped for testing'); }
  };

  function attach() {
    document.body.appendChild(host);
    render();
    if (store.sessionId) {
      setStateLine(t('Reconnecting to your chat…'));
      renderLog();
      if (store.open !== false) open();
      connect();
    } else if (config.open) {
      open();
    }
  }
  if (document.body) attach(); else document.addEventListener('DOMContentLoaded', attach);
  // The API exists from here on (after the language's catalogue loaded): tell the page.
  window.dispatchEvent(new Event('switchboard-chat-ready'));
  }
})();
