/*
 * Switchboard browser SDK: the TCCC Agent SDK API (global `TCCC`, also `tccc`) over Switchboard's
 * agent socket (docs/protocol.md §2). Plain JavaScript, no build step.
 *
 *   <script src="/sdk/tccc.js" data-token="..." data-sdk-app-id="..." data-userid="..."></script>
 *
 * logs in at once with the token; a page without a token calls `TCCC.init({userId, password})`.
 * Every promise resolves to a CommonSDKResponse ({status:'success', data?} or
 * {status:'error', errorMsg}) and never rejects. See docs/browser-sdk.md.
 */
(function () {
  'use strict';

  if (window.TCCC && window.TCCC.__switchboard) {
    // Loaded again (integrations inject the script each time a dialog opens): keep the first SDK,
    // its login and its socket; the new tag only logs in when the first has no live login, and
    // puts back the root element if the page removed it. Listeners the page adds now hear `ready`.
    try { if (typeof window.TCCC._adopt === 'function') window.TCCC._adopt(document.currentScript); }
    catch (error) { console.error('[TCCC] the SDK was loaded again and could not take the new script tag', error); }
    return;
  }

  var VERSION = '1.0.0';
  var script = document.currentScript;
  // `ready` fires after the script's `load` event, so listeners attached in the load handler hear
  // it. An inline copy (no src) has no load event to wait for.
  var scriptLoaded = !(script && script.src);
  var readyDeferred = false;
  if (!scriptLoaded) {
    script.addEventListener('load', function () { setTimeout(scriptHasLoaded, 0); });
  }
  function scriptHasLoaded() {
    if (scriptLoaded) return;
    scriptLoaded = true;
    if (readyDeferred) { readyDeferred = false; if (connection === 'ready' || socket) onReady(); }
  }
  var scriptURL = script && script.src ? new URL(script.src, location.href) : new URL('/sdk/tccc.js', location.href);

  /** TCCC's event names; each value is the string `on`/`off` take. */
  var EVENTS = Object.freeze({
    ready: 'ready',
    callIn: 'callIn',
    userAccessed: 'userAccessed',
    autoTransfer: 'autoTransfer',
    sessionEnded: 'sessionEnded',
    transfer: 'transfer',
    statusChanged: 'statusChanged',
    sessionCompleted: 'sessionCompleted',
    tokenExpired: 'tokenExpired',
    message: 'message',
    callOuted: 'callOuted',
    calloutAccepted: 'calloutAccepted',
    // Switchboard: keys the other side of a call pressed (a phone caller's DTMF): {sessionId, digits}.
    digitsReceived: 'digitsReceived'
  });
  var EVENT_NAMES = Object.keys(EVENTS).map(function (k) { return EVENTS[k]; });

  /** Requests that can be sent again after a dropped connection without doing anything twice. */
  var SAFE_TO_RESEND = { 'Agent.getStatus': true, 'Agent.getTransferTargets': true, 'Chat.getMessages': true, 'Chat.accept': true,
    'CannedReplies.list': true, 'Chat.getWrapUp': true };

  var settings = {
    server: null,            // ws(s)://host/ws/agent
    token: null,
    userId: null,
    password: null,
    loginExpiresAt: null,    // when the server's login token (after a password login) runs out
    sdkAppId: null,
    pingIntervalMs: 20000,   // a ping every 20 s...
    pongTimeoutMs: 10000,    // ...and a reconnect when it is not answered within 10 s
    responseTimeoutMs: 15000,
    connectWaitMs: 30000,    // how long a call waits for a (re)connection before it fails
    backoffInitialMs: 500,
    backoffMaxMs: 15000,
    rememberLogin: false     // keep the server's session token in this tab's sessionStorage (see below)
  };

  // ---- state ---------------------------------------------------------------------------------

  var listeners = {};            // event name -> [fn]
  var internalListeners = [];    // the workbench's: fn(kind, detail)
  var socket = null;
  var connection = 'idle';       // idle | connecting | reconnecting | ready | failed | expired | closed
  var lastError = null;          // why the SDK is failed/expired/closed
  var everReady = false;         // `ready` fires once per login, not on every reconnect
  var cursor = 0;                // highest event seq processed
  var attempt = 0;
  var reconnectTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var requestCounter = 0;
  var inFlight = {};             // id -> {method, params, resolve, timer}
  var waiting = [];              // calls waiting for a connection: {method, params, resolve, timer}
  var initWaiters = [];          // resolvers of TCCC.init() promises
  var debugFlags = { ignorePongs: false, log: [] };
  var pingMisses = 0;            // reconnects because a ping went unanswered (diagnostics)

  /** What the SDK knows: the agent, its status and its live sessions, plus what this page saw end. */
  var model = {
    userId: null,
    name: null,
    status: 'offline',
    restReason: null,
    pendingStatus: null,       // asked for while busy; applied by the server when the last session ends
    pendingRestReason: null,
    sessions: {},              // sessionId -> session (callIn fields + state, deadline, acceptedAt)
    order: [],                 // session ids, oldest offer first
    history: []                // ended / transferred / missed sessions this page saw, newest first
  };

  // ---- a login kept across reloads of the tab -------------------------------------------------
  // With TCCC.init({rememberLogin: true}) the session token the server sends after a password
  // login (the `login` frame, renewed while connected) is kept in this tab's sessionStorage, so a
  // reload signs in again without the password. Never the password; gone when the tab closes, on
  // sign-out, and when the server refuses it. Why sessionStorage: docs/security.md.
  var LOGIN_STORAGE_KEY = 'switchboard.tccc.login';

  function loginServer() { return settings.server || socketURL(null); }

  function readSavedLogin() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(LOGIN_STORAGE_KEY)); } catch (error) { return null; }
    if (!saved || !nonEmpty(saved.token) || saved.server !== loginServer()) return null;
    if (typeof saved.expiresAt === 'number' && saved.expiresAt <= Date.now()) { forgetLogin(); return null; }
    return saved;
  }

  function saveLogin(token, expiresAt) {
    if (!settings.rememberLogin) return;
    try {
      sessionStorage.setItem(LOGIN_STORAGE_KEY, JSON.stringify({
        server: loginServer(), userId: model.userId || settings.userId, token: token, expiresAt: expiresAt || null
      }));
    } catch (error) { /* storage blocked or full: the next reload asks for the password */ }
  }

  function forgetLogin() {
    try { sessionStorage.removeItem(LOGIN_STORAGE_KEY); } catch (error) { /* storage blocked */ }
  }

  // ---- small helpers -------------------------------------------------------------------------

  function success(data) { return data === undefined ? { status: 'success' } : { status: 'success', data: data }; }
  function failure(message) { return { status: 'error', errorMsg: String(message) }; }
  function copy(value) { return value == null ? value : JSON.parse(JSON.stringify(value)); }
  function nonEmpty(value) { return typeof value === 'string' && value.length > 0; }

  function socketURL(server) {
    if (!server) {
      var base = new URL(scriptURL.href);
      return (base.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + base.host + '/ws/agent';
    }
    var url = new URL(server, location.href);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (url.pathname === '/' || url.pathname === '') url.pathname = '/ws/agent';
    return url.href;
  }

  /**
   * The socket's URL naming the tenant: a server hosting several sends the connection to the one
   * whose SdkAppId it names (docs/tenants.md); one hosting a single tenant ignores it.
   */
  function forApplication(address) {
    if (settings.sdkAppId == null || String(settings.sdkAppId) === '') return address;
    var url = new URL(address);
    url.searchParams.set('sdkAppId', String(settings.sdkAppId));
    return url.href;
  }

  function notifyInternal(kind, detail) {
    internalListeners.slice().forEach(function (fn) {
      try { fn(kind, detail); } catch (error) { console.error('[TCCC] workbench listener failed', error); }
    });
  }

  function emit(name, data) {
    var payload = data || {};
    (listeners[name] || []).slice().forEach(function (fn) {
      try { fn(copy(payload)); } catch (error) { console.error('[TCCC] a "' + name + '" listener threw', error); }
    });
    notifyInternal('event', { name: name, data: payload });
  }

  function setConnection(state, error) {
    connection = state;
    if (error !== undefined) lastError = error;
    notifyInternal('connection', { state: state, error: lastError });
  }

  // ---- the model -----------------------------------------------------------------------------

  function sessionFrom(fields, state) {
    var session = copy(fields);
    session.state = state;
    session.offeredAt = Date.now();
    session.deadline = fields.timeout > 0 && state === 'ringing' ? Date.now() + fields.timeout * 1000 : null;
    return session;
  }

  function putSession(session) {
    if (!model.sessions[session.sessionId]) model.order.push(session.sessionId);
    model.sessions[session.sessionId] = session;
  }

  function dropSession(sessionId, outcome) {
    var session = model.sessions[sessionId];
    if (!session) return null;
    delete model.sessions[sessionId];
    model.order = model.order.filter(function (id) { return id !== sessionId; });
    var record = copy(session);
    Object.keys(outcome).forEach(function (key) { record[key] = outcome[key]; });
    record.endedAt = Date.now();
    model.history.unshift(record);
    if (model.history.length > 50) model.history.length = 50;
    return record;
  }

  /** Rebuilds the model from a `welcome`; returns the callIn payloads of offers the page had not seen. */
  function applyWelcome(welcome) {
    var known = model.userId === welcome.userId ? model.sessions : {};
    calls.iceServers = welcome.iceServers || [];
    var fresh = [];
    model.userId = welcome.userId;
    model.name = welcome.name;
    model.status = welcome.status;
    model.restReason = welcome.restReason || null;
    // Asked for while busy, by this page or another of the agent's: the server keeps it.
    model.pendingStatus = welcome.pendingStatus || null;
    model.pendingRestReason = welcome.pendingRestReason || null;
    var previousOrder = model.order.slice();
    model.sessions = {};
    model.order = [];
    (welcome.sessions || []).slice().sort(function (a, b) {
      return indexOr(previousOrder, a.sessionId) - indexOr(previousOrder, b.sessionId);
    }).forEach(function (entry) {
      var state = entry.state === 'accepted' ? 'accepted' : 'ringing';
      var fields = copy(entry);
      delete fields.state;
      delete fields.acceptedAt;
      var session = sessionFrom(fields, state);
      var before = known[entry.sessionId];
      if (before) session.offeredAt = before.offeredAt;
      if (entry.acceptedAt) session.acceptedAt = entry.acceptedAt;
      if (entry.skillGroupId) session.skillGroupId = entry.skillGroupId;
      if (entry.type === 'phone' && (entry.direction === 'outbound' || (before && before.direction === 'out'))) {
        // A number this agent dialled is held from the dial; until the callee answers (no
        // acceptedAt yet) it is still calling.
        session.direction = 'out';
        session.skillGroupId = session.skillGroupId || (before && before.skillGroupId);
        if (!entry.acceptedAt) session.state = 'calling';
      }
      putSession(session);
      if (state === 'ringing' && !(before && before.state === 'ringing')) fresh.push(fields);
    });
    (welcome.placedCalls || []).forEach(function (placed) {
      var before = known[placed.sessionId];
      var session = before || placedCall(placed);
      // The answer may have come while this page was away (no resume to replay calloutAccepted).
      session.state = placed.answered ? 'accepted' : 'calling';
      if (placed.answered && !session.acceptedAt) session.acceptedAt = Date.now();
      putSession(session);
      if (placed.answered && calls.live[placed.sessionId]) calls.live[placed.sessionId].offer();
    });
    // Calls that ended while the page was away hang up here too.
    Object.keys(calls.live).forEach(function (id) { if (!model.sessions[id]) closeMedia(id); });
    notifyInternal('model', snapshot());
    return fresh;
  }

  function indexOr(list, id) { var i = list.indexOf(id); return i < 0 ? 1e9 : i; }

  /** Applies one event to the model; events may repeat what a welcome already showed. */
  function applyEvent(name, data) {
    switch (name) {
      case 'callIn': {
        var existing = model.sessions[data.sessionId];
        if (existing && existing.state === 'accepted') break; // the welcome was newer than this event
        var offered = sessionFrom(data, 'ringing');
        if (existing) { offered.deadline = existing.deadline; offered.offeredAt = existing.offeredAt; }
        putSession(offered);
        break;
      }
      case 'userAccessed': {
        var session = model.sessions[data.sessionId];
        if (session) {
          session.state = 'accepted';
          session.deadline = null;
          if (!session.acceptedAt) session.acceptedAt = Date.now();
          // A phone call's media is the agent's offer, made once the accept went through.
          if (session.type === 'phone' && calls.live[data.sessionId]) calls.live[data.sessionId].offer();
        }
        break;
      }
      case 'autoTransfer':
        closeMedia(data.sessionId);
        dropSession(data.sessionId, { outcome: 'missed' });
        break;
      case 'callOuted': {
        var again = model.sessions[data.sessionId];
        if (data.type === 'phone') {
          // A number dialled for this agent. The tab that dialled offers at once (the offer is what
          // the server dials with); a call the server API placed (CreateCallOutSession, `placedBy:
          // 'serverAPI'`) is offered by the one tab the agent's tabs pick (claimCallOut); the
          // other tabs only show the call.
          if (!again) putSession(placedCall(data));
          else if (data.skillGroupId) again.skillGroupId = data.skillGroupId;
          if (calls.dialling > 0) openMedia(data.sessionId, 'offerer', false);
          else if (data.placedBy === 'serverAPI') claimCallOut(data.sessionId);
          break;
        }
        if (!again) { putSession(placedCall(data)); break; }
        // The call was transferred and rings elsewhere: new media once the next agent answers.
        again.state = 'calling';
        again.calleeUserId = data.calleeUserId || null;
        again.skillGroupId = data.skillGroupId || again.skillGroupId;
        if (calls.live[data.sessionId] || calls.opening[data.sessionId]) restartMedia(data.sessionId);
        break;
      }
      case 'calloutAccepted': {
        var placed = model.sessions[data.sessionId];
        if (placed) { placed.state = 'accepted'; if (!placed.acceptedAt) placed.acceptedAt = Date.now(); }
        var media = calls.live[data.sessionId];
        if (media) media.offer();
        break;
      }
      case 'transfer':
        closeMedia(data.sessionId);
        dropSession(data.sessionId, { outcome: 'transferred', transferredTo: data.userId || data.skillGroupId || null,
          transferUserId: data.userId || null, transferSkillGroupId: data.skillGroupId || null });
        break;
      case 'sessionEnded':
        closeMedia(data.sessionId);
        dropSession(data.sessionId, { outcome: 'ended', closeBy: data.closeBy, mainReason: data.mainReason || null,
          subReason: data.subReason || null, duration: data.duration == null ? null : data.duration,
          endStatus: data.endStatus || null });
        break;
      case 'statusChanged':
        model.status = data.status;
        model.restReason = data.restReason || null;
        model.pendingStatus = null;
        model.pendingRestReason = null;
        break;
      default:
        break;
    }
  }

  function snapshot() {
    return {
      userId: model.userId,
      name: model.name,
      status: model.status,
      restReason: model.restReason,
      pendingStatus: model.pendingStatus,
      pendingRestReason: model.pendingRestReason,
      sessions: model.order.map(function (id) { return copy(model.sessions[id]); }),
      history: copy(model.history),
      connection: connection,
      error: lastError,
      cursor: cursor,
      ui: { button: uiState.button, panel: uiState.panel, all: uiState.all }
    };
  }

  // ---- the socket ----------------------------------------------------------------------------

  function hasCredentials() {
    return nonEmpty(settings.token) || (nonEmpty(settings.userId) && nonEmpty(settings.password));
  }

  function connect() {
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    if (!hasCredentials()) return;
    setConnection(everReady ? 'reconnecting' : 'connecting');
    var ws;
    try {
      ws = new WebSocket(forApplication(settings.server || socketURL(null)));
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    var welcomed = false;
    ws.onopen = function () {
      var hello = { v: 1, type: 'hello' };
      if (nonEmpty(settings.token)) hello.token = settings.token;
      if (nonEmpty(settings.userId)) hello.userId = settings.userId;
      if (!nonEmpty(settings.token) && nonEmpty(settings.password)) hello.password = settings.password;
      if (nonEmpty(settings.sdkAppId)) hello.sdkAppId = settings.sdkAppId;
      if (cursor > 0 && model.userId) hello.resumeFrom = cursor;
      send(ws, hello);
    };
    ws.onmessage = function (message) {
      if (ws !== socket) return;
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (!frame || frame.v !== 1) return;
      debugFlags.log.push(frame);
      if (debugFlags.log.length > 500) debugFlags.log.shift();
      switch (frame.type) {
        case 'welcome':
          welcomed = true;
          onWelcome(frame);
          break;
        case 'event':
          onEvent(ws, frame);
          break;
        case 'response':
          onResponse(frame);
          break;
        case 'signal':
          onSignal(frame.sessionId, frame.signal);
          break;
        case 'monitor':
          onMonitor(frame);
          break;
        case 'monitorSignal':
          if (calls.monitors[frame.monitorId] && calls.monitors[frame.monitorId].link) calls.monitors[frame.monitorId].link.handle(frame.signal);
          break;
        case 'customerTyping':
          // Switchboard: for the workbench only (TCCC's event list stays as TCCC has it); not
          // numbered, not replayed: the cursor does not move.
          if (typeof frame.sessionId === 'string') notifyInternal('customerTyping', { sessionId: frame.sessionId });
          break;
        case 'login':
          // A password login goes on with the server's token, renewed while connected: the
          // password is forgotten and reconnects present the newest token.
          if (nonEmpty(frame.token)) {
            settings.token = frame.token;
            settings.password = null;
            settings.loginExpiresAt = frame.expiresAt || null;
            saveLogin(frame.token, frame.expiresAt);
          }
          break;
        case 'error':
          if (frame.code === 'notAuthenticated') {
            var refusal = frame.message || 'the server refused the login';
            if (nonEmpty(settings.token) && !/try again/i.test(refusal)) {
              // Any refused token (expired, revoked, malformed, another agent's) is tokenExpired
              // for the page, with the server's reason: TCCC pages wait for ready or tokenExpired
              // and fetch a new token on the second; silence would leave them waiting forever.
              settleLogin('tokenExpired', { message: refusal });
              fail('expired', refusal);
            } else if (!nonEmpty(settings.token)) {
              fail('failed', refusal);
            }
            // A token the server could not check this time: the close that follows reconnects.
          } else {
            console.warn('[TCCC] server error', frame.code, frame.message);
          }
          break;
        default:
          break;
      }
    };
    ws.onclose = function (event) {
      if (ws !== socket) return;
      socket = null;
      stopPing();
      failInFlight('the connection to the server dropped before it answered; the request may or may not have been carried out');
      if (connection === 'failed' || connection === 'expired' || connection === 'closed') return;
      if (!welcomed && !everReady && event.code === 1008) {
        fail('failed', lastError || 'the server refused the login');
        return;
      }
      scheduleReconnect();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function send(ws, frame) {
    try { ws.send(JSON.stringify(frame)); return true; } catch (error) { return false; }
  }

  function scheduleReconnect() {
    if (reconnectTimer) return;
    setConnection(everReady ? 'reconnecting' : 'connecting');
    var delay = Math.min(settings.backoffMaxMs, settings.backoffInitialMs * Math.pow(2, attempt));
    delay = delay * (0.8 + Math.random() * 0.4);
    attempt += 1;
    reconnectTimer = setTimeout(connect, delay);
  }

  /** Drops the socket without giving up: the SDK reconnects (after `delayMs` if given) and resumes. */
  function dropSocket(delayMs) {
    var ws = socket;
    if (!ws) return;
    socket = null;
    stopPing();
    try { ws.close(4000, 'reconnecting'); } catch (error) { /* already closing */ }
    setConnection('reconnecting');
    failInFlight('the connection to the server dropped before it answered; the request may or may not have been carried out');
    if (typeof delayMs === 'number') {
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, delayMs);
    } else {
      scheduleReconnect();
    }
  }

  // How the login ended, for listeners added after it: a page that waits for ready or
  // tokenExpired hears one of them even when it subscribes late (or the answer came at once).
  var loginOutcome = null;

  function settleLogin(name, data) {
    loginOutcome = { name: name, data: data };
    emit(name, data);
  }

  function fail(state, message) {
    forgetLogin();   // refused, expired or signed out: a reload must not try it again
    setConnection(state, message);
    clearTimeout(reconnectTimer);
    reconnectTimer = null;
    stopPing();
    var ws = socket;
    socket = null;
    if (ws) { try { ws.close(1000); } catch (error) { /* ignore */ } }
    var reason = state === 'expired'
      ? 'not logged in: ' + (message || 'the login token has expired') + '; get a new token and call TCCC.init({token})'
      : state === 'closed' ? 'the SDK was disconnected (TCCC.disconnect()); call TCCC.init() to log in again'
      : 'not logged in: ' + message;
    failInFlight(reason);
    waiting.splice(0).forEach(function (call) { clearTimeout(call.timer); call.resolve(failure(reason)); });
    initWaiters.splice(0).forEach(function (resolve) { resolve(failure(state === 'failed' ? message : reason)); });
  }

  function onWelcome(frame) {
    var resumed = frame.resumed === true && model.userId === frame.userId;
    var fresh = applyWelcome(frame);
    if (!resumed) cursor = frame.lastSeq || 0;
    // After a resume the replayed callIn events announce the offers; otherwise nothing would.
    pendingFresh = resumed ? [] : fresh;
    welcomeResumed = resumed;
  }
  var pendingFresh = [];
  var welcomeResumed = false;

  function onEvent(ws, frame) {
    var name = frame.name;
    var data = frame.data || {};
    var seq = typeof frame.seq === 'number' ? frame.seq : 0;
    if (name === 'ready' && seq === 0) {
      onReady();
      return;
    }
    if (name === 'tokenExpired' && seq === 0) {
      settleLogin('tokenExpired', { message: 'the login token has expired; get a new token and call TCCC.init({token})' });
      fail('expired', 'the login token has expired');
      return;
    }
    if (seq <= cursor) return;            // already seen (a replay after a resume)
    if (seq > cursor + 1) {               // a gap: an event was missed; resume to get it
      dropSocket();
      return;
    }
    cursor = seq;
    if (EVENT_NAMES.indexOf(name) < 0) return; // unknown event: skipped, cursor still advances
    applyEvent(name, data);
    emit(name, data);
    notifyInternal('model', snapshot());
  }

  function onReady() {
    if (!scriptLoaded) {
      // The server was quicker than the script's load event: wait for it (at most 2 s).
      if (!readyDeferred) { readyDeferred = true; setTimeout(scriptHasLoaded, 2000); }
      return;
    }
    attempt = 0;
    var first = !everReady;
    everReady = true;
    setConnection('ready', null);
    startPing();
    if (first) settleLogin('ready', {}); else loginOutcome = { name: 'ready', data: {} };
    // Offers this page has not been told about (first login, or a resume the server could not
    // serve) are announced as callIn so the page can show them.
    pendingFresh.splice(0).forEach(function (fields) { emit('callIn', fields); });
    if (!welcomeResumed && !first) notifyInternal('resync', snapshot());
    notifyInternal('model', snapshot());
    initWaiters.splice(0).forEach(function (resolve) { resolve(success({ userId: model.userId, name: model.name, status: model.status })); });
    waiting.splice(0).forEach(function (call) { clearTimeout(call.timer); transmit(call); });
  }

  function startPing() {
    stopPing();
    pingTimer = setInterval(function () {
      if (connection !== 'ready' || !socket) return;
      if (pongTimer) return; // the last ping is still waiting for its answer
      var ws = socket;
      pongTimer = setTimeout(function () {
        pongTimer = null;
        if (ws === socket) { pingMisses += 1; dropSocket(); }
      }, settings.pongTimeoutMs);
      request('ping').then(function (answer) {
        if (debugFlags.ignorePongs) return;
        if (answer.status === 'success' && ws === socket) { clearTimeout(pongTimer); pongTimer = null; }
      });
    }, settings.pingIntervalMs);
  }

  function stopPing() {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pingTimer = null;
    pongTimer = null;
  }

  // ---- requests ------------------------------------------------------------------------------

  function request(method, params) {
    return new Promise(function (resolve) {
      var call = { method: method, params: params, resolve: resolve, timer: null };
      if (connection === 'ready' && socket && socket.readyState === 1) {
        transmit(call);
      } else if (connection === 'failed' || connection === 'expired' || connection === 'closed') {
        resolve(failure(connection === 'expired'
          ? 'not logged in: ' + (lastError || 'the login token has expired') + '; get a new token and call TCCC.init({token})'
          : connection === 'closed' ? 'the SDK is disconnected; call TCCC.init() to log in again'
          : 'not logged in: ' + lastError));
      } else {
        waitForConnection(call, hasCredentials()
          ? 'not connected to the server after ' + Math.round(settings.connectWaitMs / 1000) + ' s; check the network and try again'
          : 'the SDK has no login yet: load it with data-token or call TCCC.init() first');
      }
    });
  }

  /** Parks a call until the next `ready` sends it, or fails it with `reason` after connectWaitMs. */
  function waitForConnection(call, reason) {
    call.timer = setTimeout(function () {
      var index = waiting.indexOf(call);
      if (index >= 0) waiting.splice(index, 1);
      call.resolve(failure(reason));
    }, settings.connectWaitMs);
    waiting.push(call);
  }

  function transmit(call) {
    var ws = socket;
    if (!ws || ws.readyState !== 1) {
      // Lost between the check and now: wait for the reconnect.
      waitForConnection(call, 'not connected to the server; try again');
      return;
    }
    requestCounter += 1;
    var id = 'r-' + requestCounter;
    var frame = { v: 1, type: 'request', id: id, method: call.method };
    if (call.params !== undefined) frame.params = call.params;
    call.timer = setTimeout(function () {
      if (!inFlight[id]) return;
      delete inFlight[id];
      call.resolve(failure('no answer from the server within ' + Math.round(settings.responseTimeoutMs / 1000) +
        ' s; the request may or may not have been carried out'));
    }, settings.responseTimeoutMs);
    inFlight[id] = call;
    if (!send(ws, frame)) {
      delete inFlight[id];
      clearTimeout(call.timer);
      waiting.push(call);
    }
  }

  function onResponse(frame) {
    var call = inFlight[frame.id];
    if (!call) return;
    delete inFlight[frame.id];
    clearTimeout(call.timer);
    if (frame.status === 'success') {
      call.resolve(frame.data === undefined || frame.data === null ? success() : success(frame.data));
    } else {
      call.resolve(failure(frame.errorMsg || 'the server refused the request'));
    }
  }

  function failInFlight(reason) {
    Object.keys(inFlight).forEach(function (id) {
      var call = inFlight[id];
      delete inFlight[id];
      clearTimeout(call.timer);
      if (call.method === 'ping') { call.resolve(failure(reason)); return; }
      if (SAFE_TO_RESEND[call.method] && connection !== 'failed' && connection !== 'expired' && connection !== 'closed') {
        waitForConnection(call, 'not connected to the server; try again');
      } else {
        call.resolve(failure(reason));
      }
    });
  }

  /** Checks options before they go to the server, so a typo fails fast with a clear message. */
  function checkOptions(options, name, required) {
    if (options == null || typeof options !== 'object') return name + ' needs an options object, e.g. ' + name + '({sessionId: "s-1"})';
    for (var i = 0; i < required.length; i++) {
      if (!nonEmpty(options[required[i]])) return name + ': options.' + required[i] + ' must be a non-empty string';
    }
    return null;
  }

  function pick(options, keys) {
    var params = {};
    keys.forEach(function (key) {
      if (options[key] !== undefined && options[key] !== null && options[key] !== '') params[key] = options[key];
    });
    return params;
  }

  function checked(name, options, required, keys) {
    var problem = checkOptions(options, name, required);
    if (problem) return Promise.resolve(failure(problem));
    return request(name.replace(/^tccc\./, ''), pick(options, keys));
  }

  // ---- the public API ------------------------------------------------------------------------

  // ---- calls: voip, video and internal -------------------------------------------------------
  // Media runs only in the tab that answered (or placed) the call; other tabs of the same agent
  // see the session but ignore its signals. call-media.js holds the WebRTC code, shared with the
  // customer widget, and is loaded on login.

  var CALL_TYPES = { voip: true, video: true, internal: true, phone: true };
  var calls = {
    live: {},            // sessionId -> call (call-media.js) in this tab
    opening: {},         // sessionId -> signals that arrived while the media module loaded
    monitors: {},        // monitorId -> {sessionId, link}: supervisors listening in (call-monitor.js)
    iceServers: [],
    iceTransportPolicy: 'all',
    dialling: 0,         // Call.startOutboundCall requests of this tab waiting for their answer
    reoffers: {},        // sessionId -> phone offers made again because the media did not connect
    reofferTotal: 0,
    claims: {},          // sessionId -> {tabs: {tabId: rank}, taken, timer, decided}: which tab offers a call the server API placed
    micMuted: {},        // sessionId -> true
    videoMuted: {},
    held: {},
    devices: { microphoneId: null, cameraId: null, speakerId: null }
  };

  function loadMedia() { return loadScript('call-media.js', 'SwitchboardCallMedia'); }

  /** Loads a script beside tccc.js once; resolves with the global it defines. */
  var scriptsLoading = {};
  function loadScript(file, global) {
    if (window[global]) return Promise.resolve(window[global]);
    if (scriptsLoading[file]) return scriptsLoading[file];
    scriptsLoading[file] = new Promise(function (resolve, reject) {
      var tag = document.createElement('script');
      tag.src = new URL(file, scriptURL.href).href;
      tag.async = true;
      tag.onload = function () { resolve(window[global]); };
      tag.onerror = function () { delete scriptsLoading[file]; reject(new Error('could not load ' + tag.src)); };
      (document.head || document.documentElement).appendChild(tag);
    });
    return scriptsLoading[file];
  }

  function placedCall(fields) {
    var placed = { sessionId: fields.sessionId, type: fields.type || 'internal', direction: 'out',
      calleeUserId: fields.calleeUserId || null, skillGroupId: fields.skillGroupId || null,
      state: fields.answered ? 'accepted' : 'calling', acceptedAt: fields.answered ? Date.now() : undefined,
      offeredAt: Date.now(), deadline: null, timeout: 0 };
    if (placed.type === 'phone') {
      placed.calleePhoneNumber = fields.calleePhoneNumber || null;
      placed.callerPhoneNumber = fields.callerPhoneNumber || null;
      if (fields.remark) placed.remark = fields.remark;
      if (fields.uui) placed.uui = fields.uui;
      if (fields.placedBy) placed.placedBy = fields.placedBy;
      placed.serverType = fields.serverType || 'staffSeat';
    }
    return placed;
  }

  function isPhone(sessionId) {
    var session = model.sessions[sessionId];
    return !!session && session.type === 'phone';
  }

  /** Makes this tab's phone offer once the call is answered (inbound) or dialled (outbound). */
  function offerPhone(sessionId) {
    var call = calls.live[sessionId];
    if (call) call.offer();
    // Still loading: openMedia offers when it finds the session accepted or calling.
  }

  function sendSignal(sessionId, signal) {
    if (socket && socket.readyState === 1) send(socket, { v: 1, type: 'signal', sessionId: sessionId, signal: signal });
  }

  // Tabs of one browser tell each other which one has a call's media, so that only one answers
  // (Accept pressed in two tabs, or Take the call here): the others let theirs go.
  var tabId = Math.random().toString(36).slice(2);
  var tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('switchboard-call-media') : null;
  // A tab letting a call go that had already taken the caller's offer (Accept pressed in a second
  // tab before it heard of the first tab's answer) says so: that offer is spent, and the tab now
  // holding the call asks the caller for a new one.
  if (tabs) {
    tabs.onmessage = function (message) {
      var note = message.data || {};
      if (note.tab === tabId || note.userId !== model.userId) return;
      var id = note.sessionId;
      if (note.kind === 'calloutClaim') { claimHeard(id, note.tab, note.rank); return; }
      // Another tab opened this call's media (even before this tab heard of the call): it offers
      // a call dialled for the agent, not this one.
      if (note.kind === undefined) claimHeard(id, note.tab, -1).taken = true;
      if (note.kind === 'offerSpent') {
        if (note.to === tabId && (calls.live[id] || calls.opening[id]) && !isPhone(id)) restartWithPeer(id);
        return;
      }
      if (calls.live[id] || calls.opening[id]) {
        var spent = !note.restarting && !isPhone(id) && tookOffer(id);
        closeMedia(id);
        notifyInternal('callState', { sessionId: id, state: 'elsewhere' });
        if (spent) tabs.postMessage({ kind: 'offerSpent', tab: tabId, to: note.tab, userId: model.userId, sessionId: id });
      }
    };
  }

  // A phone call the server API dialled for the agent (CreateCallOutSession; no page of the
  // agent dialled it) waits for the agent's offer, and exactly one tab may make it: each tab
  // that hears callOuted says so on the channel with its rank, and after CLAIM_WAIT_MS the best
  // ranked one offers (the focused tab, else a visible one, else any; ties by tab id). A tab
  // that opened the call's media meanwhile wins outright. Without the channel the tab offers at
  // once. The server gives up on a call without an offer after 20 s.
  var CLAIM_WAIT_MS = 300;

  function tabRank() {
    var focused = typeof document.hasFocus === 'function' && document.hasFocus();
    return focused ? 0 : document.visibilityState === 'visible' ? 1 : 2;
  }

  function claimCallOut(sessionId) {
    if (calls.live[sessionId] || calls.opening[sessionId]) return;
    if (!tabs) { openMedia(sessionId, 'offerer', false); return; }
    var claim = claimHeard(sessionId, tabId, tabRank());
    if (claim.timer || claim.decided) return;  // the same callOuted again
    tabs.postMessage({ kind: 'calloutClaim', tab: tabId, rank: claim.tabs[tabId], userId: model.userId, sessionId: sessionId });
    claim.timer = setTimeout(function () {
      claim.decided = true;
      var session = model.sessions[sessionId];
      if (claim.taken || !session || session.state !== 'calling' || calls.live[sessionId] || calls.opening[sessionId]) return;
      var best = Object.keys(claim.tabs).sort(function (a, b) { return (claim.tabs[a] - claim.tabs[b]) || (a < b ? -1 : a > b ? 1 : 0); })[0];
      if (best === tabId) openMedia(sessionId, 'offerer', false);
    }, CLAIM_WAIT_MS);
  }

  /** A tab (this one or another) wants to offer a call the server API placed; returns the call's claim. */
  function claimHeard(sessionId, tab, rank) {
    var claim = calls.claims[sessionId];
    if (!claim) {
      claim = calls.claims[sessionId] = { tabs: {}, taken: false, timer: null, decided: false };
      // Long after the choice (or a claim this tab never joined): forgotten.
      setTimeout(function () { if (calls.claims[sessionId] === claim) delete calls.claims[sessionId]; }, 60000);
    }
    claim.tabs[tab] = typeof rank === 'number' ? rank : 2;
    return claim;
  }

  /** Whether this tab's media for a call took the other side's offer or answer already. */
  function tookOffer(sessionId) {
    var call = calls.live[sessionId];
    if (call) return call.hasNegotiated();
    return (calls.opening[sessionId] || []).some(function (signal) { return signal.kind === 'offer' || signal.kind === 'answer'; });
  }

  /** A negotiation's name (the signals' `attempt`). */
  function newAttempt() { return Math.random().toString(36).slice(2, 10) + Date.now().toString(36); }

  /** Takes a call's media into this tab anew: the other side drops its connection and offers again
   *  with the attempt named here, so offers and answers of the old connections are told apart. */
  function restartWithPeer(sessionId) {
    var attempt = newAttempt();
    sendSignal(sessionId, { kind: 'restart', attempt: attempt });
    return restartMedia(sessionId, attempt);
  }

  /** Starts this tab's media for a call; `role` 'offerer' for calls it placed, else 'answerer'.
   *  `attempt`, after a restart, names the negotiation (see restartWithPeer). */
  function openMedia(sessionId, role, video, attempt) {
    if (calls.live[sessionId] || calls.opening[sessionId]) return;
    if (tabs) tabs.postMessage({ tab: tabId, userId: model.userId, sessionId: sessionId, restarting: !!attempt });
    calls.opening[sessionId] = [];
    loadMedia().then(function (media) {
      var early = calls.opening[sessionId];
      delete calls.opening[sessionId];
      if (!early) return; // hung up while loading
      Object.keys(calls.devices).forEach(function (key) { media.preferences[key] = calls.devices[key]; });
      var phone = isPhone(sessionId);
      var call = media.createCall({
        role: role, video: video, iceServers: calls.iceServers, iceTransportPolicy: calls.iceTransportPolicy,
        gatherFirst: phone, attempt: attempt,
        onStalled: phone ? function (ice) { reofferStalled(sessionId, ice); } : null,
        send: function (signal) { sendSignal(sessionId, signal); },
        onRemoteStream: function (stream) { notifyInternal('media', { sessionId: sessionId, stream: stream }); refreshMonitors(sessionId); },
        onState: function (state) { notifyInternal('callState', { sessionId: sessionId, state: state }); }
      });
      call.setMicMuted(!!calls.micMuted[sessionId]);
      call.setVideoMuted(!!calls.videoMuted[sessionId]);
      calls.live[sessionId] = call;
      early.forEach(function (signal) { call.handle(signal); });
      call.start();
      var session = model.sessions[sessionId];
      if (role === 'offerer' && session && (session.state === 'accepted' || (phone && session.state === 'calling'))) call.offer();
    }, function (error) {
      delete calls.opening[sessionId];
      console.error('[TCCC] call media unavailable', error);
    });
  }

  /** A phone call whose audio did not connect after the server's answer: offer again (the server
   *  binds each new offer to the same carrier leg), twice at most. */
  function reofferStalled(sessionId, ice) {
    var count = calls.reoffers[sessionId] || 0;
    if (count >= 2 || !model.sessions[sessionId]) return;
    calls.reoffers[sessionId] = count + 1;
    calls.reofferTotal += 1;
    console.warn('[TCCC] the audio of phone call ' + sessionId + ' did not connect (' + ice + '); offering again');
    restartMedia(sessionId);
  }

  /** A supervisor listens in on a call, changes how, or stops (docs/calls.md, "Listening in").
   *  Only the tab that has the call's media takes part; the others ignore it. */
  function onMonitor(frame) {
    var id = frame.monitorId;
    var existing = calls.monitors[id];
    if (frame.mode === 'ended') {
      if (existing) {
        if (existing.link) existing.link.close();
        delete calls.monitors[id];
        notifyInternal('monitor', { sessionId: existing.sessionId, mode: 'ended' });
      }
      return;
    }
    if (existing) {
      // Still loading call-monitor.js: the link opens in the newest mode.
      existing.mode = frame.mode;
      if (existing.link) existing.link.setMode(frame.mode);
      notifyInternal('monitor', { sessionId: existing.sessionId, mode: frame.mode });
      return;
    }
    var call = calls.live[frame.sessionId];
    if (!call || !call.pc) return;
    var entry = calls.monitors[id] = { sessionId: frame.sessionId, mode: frame.mode, link: null };
    loadScript('call-monitor.js', 'SwitchboardCallMonitor').then(function (monitoring) {
      // Ended meanwhile, or the call's media went (closeMonitors removed the entry).
      if (calls.monitors[id] !== entry || calls.live[frame.sessionId] !== call) return;
      entry.link = monitoring.open({
        call: call, mode: entry.mode, iceServers: calls.iceServers, iceTransportPolicy: calls.iceTransportPolicy,
        send: function (signal) { if (socket && socket.readyState === 1) send(socket, { v: 1, type: 'monitorSignal', monitorId: id, signal: signal }); }
      });
      notifyInternal('monitor', { sessionId: frame.sessionId, mode: entry.mode });
    }, function (error) {
      if (calls.monitors[id] === entry) delete calls.monitors[id];
      console.error('[TCCC] call monitoring unavailable', error);
    });
  }

  /** Ends the monitors of a call whose media this tab lets go (the supervisor's page sees its
   *  connection close, says so, and stops the monitor). */
  function closeMonitors(sessionId) {
    Object.keys(calls.monitors).forEach(function (id) {
      if (calls.monitors[id].sessionId !== sessionId) return;
      if (calls.monitors[id].link) calls.monitors[id].link.close();
      delete calls.monitors[id];
    });
  }

  /** The call's tracks changed (a remote track arrived, the microphone was switched): the
   *  supervisor gets the new ones. */
  function refreshMonitors(sessionId) {
    Object.keys(calls.monitors).forEach(function (id) {
      var entry = calls.monitors[id];
      if ((!sessionId || entry.sessionId === sessionId) && entry.link) entry.link.refresh();
    });
  }

  function closeMedia(sessionId) {
    closeMonitors(sessionId);
    delete calls.opening[sessionId];
    var call = calls.live[sessionId];
    delete calls.live[sessionId];
    delete calls.micMuted[sessionId];
    delete calls.videoMuted[sessionId];
    delete calls.held[sessionId];
    if (call) call.close();
  }

  function onSignal(sessionId, signal) {
    if (!signal || typeof sessionId !== 'string') return;
    if (signal.kind === 'dtmf') {
      // Only the other side's keys reach an agent (a phone caller's, relayed by the server).
      notifyInternal('dtmf', { sessionId: sessionId, digits: signal.digits });
      emit('digitsReceived', { sessionId: sessionId, digits: signal.digits });
    }
    if (signal.kind === 'hold' || signal.kind === 'unhold') {
      notifyInternal('held', { sessionId: sessionId, held: signal.kind === 'hold', by: 'peer' });
    }
    if (signal.kind === 'restart') {
      // The other side lost its media (a reloaded page): start ours again if this tab has it.
      if (calls.live[sessionId] || calls.opening[sessionId]) restartMedia(sessionId, signal.attempt);
      return;
    }
    var call = calls.live[sessionId];
    if (call) { call.handle(signal); return; }
    if (calls.opening[sessionId]) calls.opening[sessionId].push(signal);
    // Otherwise the call is another tab's: ignore.
  }

  /** Drops this tab's media for a call and opens it again in the same role (the caller offers; for
   *  a phone call this agent offers, and the server binds the new offer to the same carrier leg). */
  function restartMedia(sessionId, attempt) {
    var session = model.sessions[sessionId];
    if (!session) return false;
    var keep = { micMuted: calls.micMuted[sessionId], videoMuted: calls.videoMuted[sessionId], held: calls.held[sessionId] };
    closeMedia(sessionId);
    if (keep.micMuted) calls.micMuted[sessionId] = true;
    if (keep.videoMuted) calls.videoMuted[sessionId] = true;
    if (keep.held) calls.held[sessionId] = true;
    openMedia(sessionId, session.direction === 'out' || session.type === 'phone' ? 'offerer' : 'answerer', session.type === 'video', attempt);
    return true;
  }

  /** Call.accept / Video.accept / Chat.accept: media opens before the answer so no offer is missed. */
  function acceptSession(method, options) {
    var problem = checkOptions(options, method, ['sessionId']);
    if (problem) return Promise.resolve(failure(problem));
    var id = options.sessionId;
    var session = model.sessions[id];
    var isCall = session ? !!CALL_TYPES[session.type] : method !== 'Chat.accept';
    var phone = !!session && session.type === 'phone';
    if (isCall && session && session.state === 'accepted' && !calls.live[id] && !calls.opening[id]) {
      // Answered already (in another tab): take the media here, and have the caller offer anew
      // (a phone call: this tab offers, and the server moves the call's audio to it).
      if (phone) restartMedia(id); else restartWithPeer(id);
    } else if (isCall && !calls.live[id]) {
      // The microphone opens before the answer, so the media is ready when the accept succeeds.
      openMedia(id, phone ? 'offerer' : 'answerer', session ? session.type === 'video' : method === 'Video.accept');
    }
    return request(method, { sessionId: id }).then(function (response) {
      if (response.status !== 'success' && !(model.sessions[id] && model.sessions[id].state === 'accepted')) closeMedia(id);
      else if (response.status === 'success' && phone) offerPhone(id);
      return response;
    });
  }

  function hangUp(method, options) {
    var problem = checkOptions(options, method, ['sessionId']);
    if (problem) return Promise.resolve(failure(problem));
    return request(method, { sessionId: options.sessionId }).then(function (response) {
      if (response.status === 'success') closeMedia(options.sessionId);
      return response;
    });
  }

  function transferCall(method, options) {
    var problem = checkOptions(options, method, ['sessionId']);
    if (!problem && !nonEmpty(options.skillGroupId) && !nonEmpty(options.userId)) {
      problem = method + ' needs a target: options.skillGroupId or options.userId';
    }
    if (problem) return Promise.resolve(failure(problem));
    return request(method, pick(options, ['sessionId', 'skillGroupId', 'userId']));
  }

  function setHold(method, options, held) {
    var problem = checkOptions(options, method, ['sessionId']);
    if (problem) return Promise.resolve(failure(problem));
    return request(method, { sessionId: options.sessionId }).then(function (response) {
      if (response.status === 'success') {
        if (held) calls.held[options.sessionId] = true; else delete calls.held[options.sessionId];
        var call = calls.live[options.sessionId];
        if (call) call.setHeld(held);
        notifyInternal('held', { sessionId: options.sessionId, held: held, by: 'me' });
      }
      return response;
    });
  }

  /** Mute and unmute act on this tab's media only; they need no server. */
  function setMuted(table, method, options, muted, apply) {
    var problem = checkOptions(options, method, ['sessionId']);
    if (problem) return Promise.resolve(failure(problem));
    if (muted) table[options.sessionId] = true; else delete table[options.sessionId];
    var call = calls.live[options.sessionId];
    if (call) apply(call, muted);
    notifyInternal('muted', { sessionId: options.sessionId });
    return Promise.resolve(success());
  }

  function micMuted(call, muted) { call.setMicMuted(muted); }
  function cameraMuted(call, muted) { call.setVideoMuted(muted); }

  var Call = {
    /** Answers a voip, internal or video call ringing at this agent; media starts in this tab. */
    accept: function (options) { return acceptSession('Call.accept', options); },
    /** Ends a call this agent holds (closeBy 'seat'), or hangs up an internal call it placed. */
    hungUp: function (options) { return hangUp('Call.hungUp', options); },
    /** Stops sending this agent's voice. */
    muteMic: function (options) { return setMuted(calls.micMuted, 'Call.muteMic', options, true, micMuted); },
    /** Sends this agent's voice again. */
    unmuteMic: function (options) { return setMuted(calls.micMuted, 'Call.unmuteMic', options, false, micMuted); },
    /** Whether this agent's microphone is muted in the call (a boolean, at once). */
    isMicMuted: function (options) { return !!(options && calls.micMuted[options.sessionId]); },
    /** Puts the call on hold: the other side hears hold audio; neither side sends media. */
    hold: function (options) { return setHold('Call.hold', options, true); },
    /** Takes the call off hold. */
    unHold: function (options) { return setHold('Call.unHold', options, false); },
    /** Sends DTMF digits (0-9 * # A-D, ',' pauses) to the other side. */
    sendDigits: function (options) {
      return checked('Call.sendDigits', options, ['sessionId', 'dtmfText'], ['sessionId', 'dtmfText']);
    },
    /** Calls another agent ({calleeUserId}) or a skill group ({skillGroupId}); data: {sessionId}. */
    startInternalCall: function (options) {
      if (options && typeof options === 'object' && options.useMobile !== undefined && options.useMobile !== false) {
        return Promise.resolve(failure(options.useMobile === true
          ? 'Call.startInternalCall: useMobile is not supported; Switchboard agents take internal calls in the browser, not on a mobile phone; leave useMobile out or false'
          : 'Call.startInternalCall: options.useMobile must be a boolean (only false is supported)'));
      }
      if (options == null || typeof options !== 'object' || (!nonEmpty(options.calleeUserId) && !nonEmpty(options.skillGroupId))) {
        return Promise.resolve(failure('Call.startInternalCall needs options.calleeUserId (an agent) or options.skillGroupId'));
      }
      return request('Call.startInternalCall', pick(options, ['calleeUserId', 'skillGroupId'])).then(function (response) {
        var id = response.data && response.data.sessionId;
        var over = id && model.history.some(function (past) { return past.sessionId === id; });
        if (response.status === 'success' && id && !over) {
          if (!model.sessions[response.data.sessionId]) {
            putSession(placedCall({ sessionId: response.data.sessionId, calleeUserId: options.calleeUserId, skillGroupId: options.skillGroupId }));
            notifyInternal('model', snapshot());
          }
          openMedia(response.data.sessionId, 'offerer', false);
        }
        return response;
      });
    },
    /**
     * Calls a phone number through the server's trunk; data: {sessionId, calleePhoneNumber,
     * callerPhoneNumber, serverType}. This tab opens the microphone and offers at once (the server
     * dials with the offer), so the agent hears the ringback; `calloutAccepted` says the callee
     * answered, `sessionEnded` with an `endStatus` (busy, notAnswer, ...) that the call failed.
     */
    startOutboundCall: function (options) {
      var problem = checkOptions(options, 'Call.startOutboundCall', ['phoneNumber']);
      if (problem) return Promise.resolve(failure(problem));
      var params = pick(options, ['phoneNumber', 'phoneDesc', 'uui', 'skillGroupId', 'callerPhoneNumber']);
      calls.dialling += 1;
      return request('Call.startOutboundCall', params).then(function (response) {
        calls.dialling -= 1;
        var data = response.data || {};
        var id = data.sessionId;
        var over = id && model.history.some(function (past) { return past.sessionId === id; });
        if (response.status === 'success' && id && !over) {
          var session = model.sessions[id];
          if (!session) {
            putSession(placedCall({ sessionId: id, type: 'phone', skillGroupId: params.skillGroupId, remark: params.phoneDesc,
              calleePhoneNumber: data.calleePhoneNumber || params.phoneNumber, callerPhoneNumber: data.callerPhoneNumber }));
          } else {
            session.calleePhoneNumber = session.calleePhoneNumber || data.calleePhoneNumber || params.phoneNumber;
            session.callerPhoneNumber = session.callerPhoneNumber || data.callerPhoneNumber || null;
            if (params.phoneDesc && !session.remark) session.remark = params.phoneDesc;
          }
          notifyInternal('model', snapshot());
          openMedia(id, 'offerer', false);
          offerPhone(id);
        }
        return response;
      });
    },
    /** Hands a held call to a skill group's queue or to another agent. */
    transfer: function (options) { return transferCall('Call.transfer', options); },
    /**
     * Removes an ended session from this page's session list (the workbench's history); a live
     * session must be hung up first. Nothing on the server changes: the record and CDR stay.
     */
    deleteCall: function (options) {
      var problem = checkOptions(options, 'Call.deleteCall', ['sessionId']);
      if (problem) return Promise.resolve(failure(problem));
      var id = options.sessionId;
      if (model.sessions[id]) {
        return Promise.resolve(failure('Call.deleteCall: session ' + id + ' is still live; end it with Call.hungUp first'));
      }
      var before = model.history.length;
      model.history = model.history.filter(function (past) { return past.sessionId !== id; });
      if (model.history.length === before) {
        return Promise.resolve(failure('Call.deleteCall: this page has no ended session ' + id));
      }
      notifyInternal('model', snapshot());
      return Promise.resolve(success());
    },
    /**
     * Switchboard: the recording of a phone call this agent answered; data is a Blob (WAV: the
     * caller left, the agent right). Other calls, and calls not recorded, fail with the reason.
     */
    getRecording: function (options) {
      var problem = checkOptions(options, 'Call.getRecording', ['sessionId']);
      if (problem) return Promise.resolve(failure(problem));
      return agentRequest('GET', '/api/v1/agent/sessions/' + encodeURIComponent(options.sessionId) + '/recording', null, 'blob');
    },
    /**
     * Switchboard: takes a live call's media into this tab (after a page reload, or from another
     * tab): the other side drops its old connection and the two negotiate anew.
     */
    reconnectMedia: function (options) {
      var problem = checkOptions(options, 'Call.reconnectMedia', ['sessionId']);
      if (problem) return Promise.resolve(failure(problem));
      var session = model.sessions[options.sessionId];
      if (!session || !CALL_TYPES[session.type] || session.state !== 'accepted') {
        return Promise.resolve(failure('Call.reconnectMedia: session ' + options.sessionId + ' is not an answered call of this agent'));
      }
      // A phone call needs no restart: the new offer alone moves the call's audio to this tab.
      if (session.type === 'phone') restartMedia(options.sessionId); else restartWithPeer(options.sessionId);
      return Promise.resolve(success());
    }
  };

  var Video = {
    /** Answers a video call ringing at this agent. */
    accept: function (options) { return acceptSession('Video.accept', options); },
    /** Ends a video call this agent holds. */
    end: function (options) { return hangUp('Video.end', options); },
    muteMic: function (options) { return setMuted(calls.micMuted, 'Video.muteMic', options, true, micMuted); },
    unmuteMic: function (options) { return setMuted(calls.micMuted, 'Video.unmuteMic', options, false, micMuted); },
    /** Stops sending this agent's camera (the other side sees black). */
    muteVideo: function (options) { return setMuted(calls.videoMuted, 'Video.muteVideo', options, true, cameraMuted); },
    unmuteVideo: function (options) { return setMuted(calls.videoMuted, 'Video.unmuteVideo', options, false, cameraMuted); },
    /** Hands a held video call to a skill group's queue or to another agent. */
    transfer: function (options) { return transferCall('Video.transfer', options); }
  };

  /** Switchboard: choose the devices calls use; a live call switches at once. */
  function chooseDevice(key, deviceId) {
    calls.devices[key] = deviceId || null;
    if (window.SwitchboardCallMedia) window.SwitchboardCallMedia.preferences[key] = deviceId || null;
    var work = Object.keys(calls.live).map(function (id) {
      var call = calls.live[id];
      if (key === 'microphoneId') return call.useMicrophone(deviceId);
      if (key === 'speakerId') return call.useSpeaker(deviceId);
      return null;
    });
    return Promise.all(work).then(function () { refreshMonitors(null); return success(); }, function (error) {
      return failure('could not switch to that device: ' + (error && error.message ? error.message : error));
    });
  }

  var Chat = {
    /** Accepts the session ringing at this agent (a call's media starts too). */
    accept: function (options) { return acceptSession('Chat.accept', options); },
    /** Ends a session this agent holds (closeBy 'seat'). */
    end: function (options) { return checked('Chat.end', options, ['sessionId'], ['sessionId']); },
    /** Hands a held session to a skill group's queue or to another agent. */
    transfer: function (options) {
      var problem = checkOptions(options, 'Chat.transfer', ['sessionId']);
      if (!problem && !nonEmpty(options.skillGroupId) && !nonEmpty(options.userId)) {
        problem = 'Chat.transfer needs a target: options.skillGroupId or options.userId';
      }
      if (problem) return Promise.resolve(failure(problem));
      return request('Chat.transfer', pick(options, ['sessionId', 'skillGroupId', 'userId']));
    },
    /** Switchboard: sends an im message; data is {messageId, sentAt}. */
    sendMessage: function (options) { return checked('Chat.sendMessage', options, ['sessionId', 'text'], ['sessionId', 'text']); },
    /** Switchboard: tells the customer of a held im session that the agent is typing. */
    typing: function (options) { return checked('Chat.typing', options, ['sessionId'], ['sessionId']); },
    /**
     * Switchboard: the wrap-up of an ended session this agent held last: data is {sessionId,
     * skillGroupId, dispositionCodes, maximumNoteLength, saved?: {dispositionCode?, note?, wrappedUpAt}}.
     */
    getWrapUp: function (options) { return checked('Chat.getWrapUp', options, ['sessionId'], ['sessionId']); },
    /** Switchboard: saves that wrap-up, {sessionId, dispositionCode?, note?}; data is {dispositionCode?, note?, wrappedUpAt}. */
    wrapUp: function (options) { return checked('Chat.wrapUp', options, ['sessionId'], ['sessionId', 'dispositionCode', 'note']); },
    /** Switchboard: a page of an im transcript; data is {sessionId, messages, hasMore}. */
    getMessages: function (options) {
      var problem = checkOptions(options, 'Chat.getMessages', ['sessionId']);
      if (problem) return Promise.resolve(failure(problem));
      return request('Chat.getMessages', pick(options, ['sessionId', 'order', 'limit', 'before', 'after']));
    },
    /**
     * Switchboard: sends a file (a File, or a Blob with options.name) to the customer of a held im
     * session; data is {message}, the message that carries it (its `attachment`). Over HTTP with
     * the login token: the socket carries JSON frames only.
     */
    sendFile: function (options) {
      var problem = checkOptions(options, 'Chat.sendFile', ['sessionId']);
      if (!problem && !(options.file instanceof Blob)) problem = 'Chat.sendFile needs options.file: a File or Blob';
      if (problem) return Promise.resolve(failure(problem));
      var name = options.name || options.file.name || 'file';
      return fileRequest('POST', options.sessionId, '?name=' + encodeURIComponent(name), options.file);
    },
    /** Switchboard: the content of a file in a session this agent may read; data is a Blob. */
    getFile: function (options) {
      var problem = checkOptions(options, 'Chat.getFile', ['sessionId', 'attachmentId']);
      if (problem) return Promise.resolve(failure(problem));
      return fileRequest('GET', options.sessionId, '/' + encodeURIComponent(options.attachmentId));
    },
    /**
     * Switchboard: the sessions this agent accepted, newest first, from the server's records
     * (not only this page's); {q?, limit?, offset?}: `q` searches the customer's name, numbers,
     * remark and user id and the messages. data is {items, total, limit, offset, hasMore}, each
     * item a session record as the admin API shows it (a recorded call's `recording`).
     */
    getHistory: function (options) {
      options = options || {};
      if (typeof options !== 'object') return Promise.resolve(failure('Chat.getHistory takes {q?, limit?, offset?}'));
      var query = new URLSearchParams();
      if (options.q !== undefined && options.q !== null && options.q !== '') {
        if (typeof options.q !== 'string') return Promise.resolve(failure('Chat.getHistory: q must be a string'));
        query.set('q', options.q);
      }
      return agentRequest('GET', '/api/v1/agent/sessions' + pageQuery(options, query), null, 'json');
    },
    /**
     * Switchboard: the other sessions of the customer of a session this agent serves (ringing,
     * held or answered once), newest first, whoever handled them: data is {items, total, limit,
     * offset, hasMore}. The customer is known by the site's user id or a phone number (as
     * usingLastSeat knows them); only sessions of this agent's own skill groups are listed.
     */
    getCustomerSessions: function (options) {
      var problem = checkOptions(options, 'Chat.getCustomerSessions', ['sessionId']);
      if (problem) return Promise.resolve(failure(problem));
      var query = pageQuery(options);
      return agentRequest('GET', '/api/v1/agent/sessions/' + encodeURIComponent(options.sessionId) + '/customer-sessions' + query, null, 'json');
    },
    /**
     * Switchboard: the transcript of one of those earlier sessions ({sessionId, earlierSessionId,
     * order?, limit?, before?, after?}): data is {sessionId, messages, hasMore}.
     */
    getCustomerMessages: function (options) {
      var problem = checkOptions(options, 'Chat.getCustomerMessages', ['sessionId', 'earlierSessionId']);
      if (problem) return Promise.resolve(failure(problem));
      var query = new URLSearchParams();
      ['order', 'limit', 'before', 'after'].forEach(function (key) {
        if (options[key] !== undefined && options[key] !== null) query.set(key, String(options[key]));
      });
      var rest = query.toString();
      return agentRequest('GET', '/api/v1/agent/sessions/' + encodeURIComponent(options.sessionId) + '/customer-sessions/' +
        encodeURIComponent(options.earlierSessionId) + '/messages' + (rest ? '?' + rest : ''), null, 'json');
    },
    /** Switchboard: a picture or file sent in one of those earlier sessions; data is a Blob. */
    getCustomerFile: function (options) {
      var problem = checkOptions(options, 'Chat.getCustomerFile', ['sessionId', 'earlierSessionId', 'attachmentId']);
      if (problem) return Promise.resolve(failure(problem));
      return agentRequest('GET', '/api/v1/agent/sessions/' + encodeURIComponent(options.sessionId) + '/customer-sessions/' +
        encodeURIComponent(options.earlierSessionId) + '/attachments/' + encodeURIComponent(options.attachmentId), null, 'blob');
    },
    /** Switchboard: which files may be sent: data is {maximumBytes, contentTypes, imageTypes}. */
    getFileLimits: function () {
      return fetch(httpBase() + '/api/v1/chat/attachment-policy').then(function (response) {
        return response.ok ? response.json().then(function (data) { return { status: 'success', data: data }; })
          : failure('the server answered ' + response.status + ' for its file limits');
      }, function (error) { return failure('could not reach the server: ' + error.message); });
    }
  };

  /** `?limit=&offset=` (and what `query` holds already) from a method's options, or ''. */
  function pageQuery(options, query) {
    query = query || new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.offset !== undefined) query.set('offset', String(options.offset));
    var rest = query.toString();
    return rest ? '?' + rest : '';
  }

  /** The server's HTTP origin: the socket's, as http(s). */
  function httpBase() {
    var url = new URL(loginServer());
    return (url.protocol === 'wss:' ? 'https:' : 'http:') + '//' + url.host;
  }

  /** A file request for an agent: upload (POST, body) or download (GET) with the login token. */
  function fileRequest(method, sessionId, rest, body) {
    var path = '/api/v1/agent/sessions/' + encodeURIComponent(sessionId) + '/attachments' + rest;
    return agentRequest(method, path, body, method === 'GET' ? 'blob' : 'json');
  }

  /**
   * An HTTP request under /api/v1/agent with the login token; `want` is 'json' or 'blob', what
   * a success answers as data. Failures carry the server's error message.
   */
  function agentRequest(method, path, body, want) {
    if (!nonEmpty(settings.token)) return Promise.resolve(failure('not logged in: this needs the login token'));
    var init = { method: method, headers: { Authorization: 'Bearer ' + settings.token } };
    if (body) { init.body = body; init.headers['Content-Type'] = body.type || 'application/octet-stream'; }
    return fetch(httpBase() + path, init).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (answer) {
          return failure((answer && answer.error && answer.error.message) || 'the server answered ' + response.status);
        }, function () { return failure('the server answered ' + response.status); });
      }
      return (want === 'blob' ? response.blob() : response.json()).then(function (data) { return { status: 'success', data: data }; });
    }, function (error) { return failure('could not reach the server: ' + error.message); });
  }

  var Agent = {
    /** Goes online (status free). Returns a promise too, although TCCC's is void. */
    online: function () { return request('Agent.online'); },
    /** Goes offline; refused while the agent holds accepted sessions. */
    offline: function () { return request('Agent.offline'); },
    /** Sets free, rest (with restReason), arrange, notReady or stopNotReady (any letter case). */
    setStatus: function (options) {
      var problem = checkOptions(options, 'Agent.setStatus', ['status']);
      if (problem) return Promise.resolve(failure(problem));
      var params = pick(options, ['status', 'restReason']);
      var wasBusy = model.status === 'busy';
      return request('Agent.setStatus', params).then(function (answer) {
        if (answer.status === 'success' && wasBusy && model.status === 'busy') {
          // Kept by the server until the last session ends; shown by the workbench meanwhile.
          model.pendingStatus = normalStatus(params.status);
          model.pendingRestReason = params.restReason || null;
          notifyInternal('model', snapshot());
        }
        return answer;
      });
    },
    /** The agent's status as the SDK knows it (TCCC's AgentStatus), synchronously. */
    getStatus: function () { return model.status; },
    /** Switchboard: the status and rest reason as the server has them right now. */
    queryStatus: function () {
      return request('Agent.getStatus').then(function (answer) {
        if (answer.status === 'success' && answer.data) {
          model.pendingStatus = answer.data.pendingStatus || null;
          model.pendingRestReason = answer.data.pendingRestReason || null;
          notifyInternal('model', snapshot());
        }
        return answer;
      });
    },
    /**
     * Switchboard: whom this agent may transfer to; data is {sessionId?, skillGroups: [{skillGroupId,
     * name, waiting, membersOnline}], agents: [{userId, name, status, connected, skillGroupIds,
     * available?, why?}]}. With {sessionId} (a session this agent holds), each agent says whether
     * it can take that session now (available) and, if not, why.
     */
    getTransferTargets: function (options) {
      var name = 'Agent.getTransferTargets';
      if (options === undefined || options === null) options = {};
      if (typeof options !== 'object' || Array.isArray(options)) {
        return Promise.resolve(failure(name + ' takes nothing or an options object, e.g. ' + name + '({sessionId: "s-1"})'));
      }
      var unknown = Object.keys(options).filter(function (key) { return key !== 'sessionId'; });
      if (unknown.length) {
        return Promise.resolve(failure(name + ": unknown option '" + unknown[0] + "'; the only option is sessionId"));
      }
      var sessionId = options.sessionId;
      if (sessionId !== undefined && sessionId !== null && sessionId !== '' && !nonEmpty(sessionId)) {
        return Promise.resolve(failure(name + ': options.sessionId must be a string'));
      }
      return request(name, nonEmpty(sessionId) ? { sessionId: sessionId } : undefined);
    }
  };

  /**
   * Switchboard: canned replies, which the workbench inserts with a /shortcut. Each is
   * {id, scope: 'agent' | 'skillGroup', skillGroupId?, shortcut, title, text}; an agent changes
   * only its own ('agent'); its groups' are managed through the admin API.
   */
  var CannedReplies = {
    /** The replies this agent may insert, its own first; data is {replies}. */
    list: function () { return request('CannedReplies.list'); },
    /** Creates ({shortcut, title, text}) or changes ({id, ...}) one of this agent's own; data is the reply. */
    save: function (options) {
      return checked('CannedReplies.save', options, ['shortcut', 'title', 'text'], ['id', 'shortcut', 'title', 'text']);
    },
    /** Deletes one of this agent's own ({id}). */
    'delete': function (options) { return checked('CannedReplies.delete', options, ['id'], ['id']); }
  };

  function normalStatus(text) {
    var lower = String(text).toLowerCase();
    if (lower === 'notready') return 'notReady';
    if (lower === 'stopnotready') return 'free';
    return lower;
  }

  var Devices = {
    /** Chrome 56+ or Edge 80+, with WebSocket, Promise and media devices. */
    isBrowserSupported: function () {
      var apis = typeof WebSocket === 'function' && typeof Promise === 'function' &&
        !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && navigator.mediaDevices.enumerateDevices);
      if (!apis) return false;
      var ua = navigator.userAgent || '';
      var edge = /\bEdg(?:e|A|iOS)?\/(\d+)/.exec(ua);
      if (edge) return parseInt(edge[1], 10) >= 80;
      if (/\bOPR\/|\bFirefox\/|\bFxiOS\//.test(ua)) return false;
      var chrome = /\b(?:HeadlessChrome|Chrome|Chromium|CriOS)\/(\d+)/.exec(ua);
      return !!chrome && parseInt(chrome[1], 10) >= 56;
    },
    /** The microphones (audioinput), asking for permission first when labels are hidden. */
    getMicrophones: function () { return listDevices('audioinput'); },
    /** The speakers (audiooutput). */
    getSpeakers: function () { return listDevices('audiooutput'); },
    /** Switchboard: the cameras (videoinput). */
    getCameras: function () { return listDevices('videoinput'); },
    /** Switchboard: the microphone calls use (a live call switches at once); '' for the default. */
    setMicrophone: function (deviceId) { return chooseDevice('microphoneId', deviceId); },
    /** Switchboard: the speaker calls play on (a live call switches at once); '' for the default. */
    setSpeaker: function (deviceId) { return chooseDevice('speakerId', deviceId); },
    /** Switchboard: the camera video calls open. */
    setCamera: function (deviceId) { return chooseDevice('cameraId', deviceId); },
    /** Switchboard: the devices chosen: {microphoneId, speakerId, cameraId}. */
    getChosen: function () { return copy(calls.devices); }
  };

  /** Resolves to MediaDeviceInfo[] as TCCC's does; never rejects (an empty list when unavailable). */
  function listDevices(kind) {
    var media = navigator.mediaDevices;
    if (!media || !media.enumerateDevices) return Promise.resolve([]);
    function of(list) { return list.filter(function (device) { return device.kind === kind; }); }
    return media.enumerateDevices().then(function (devices) {
      var found = of(devices);
      var hidden = found.length === 0 || found.some(function (device) { return !device.label; });
      if (!hidden || !media.getUserMedia) return found;
      return media.getUserMedia({ audio: true }).then(function (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        return media.enumerateDevices().then(of);
      }, function () { return found; });
    }).catch(function (error) {
      console.warn('[TCCC] could not list ' + kind + ' devices', error);
      return [];
    });
  }

  // The workbench (workbench.js) renders what these say; calls made before it loads are kept.
  var uiState = { button: true, panel: false, all: true };
  var workbench = null;
  var workbenchRequested = false;
  var uiOptions = { layout: 'floating', mount: null, transferTargets: null, restReasons: null };

  function applyUI() {
    notifyInternal('ui', { button: uiState.button, panel: uiState.panel, all: uiState.all });
  }

  var UI = {
    /** Hides all of the SDK's UI. */
    hide: function () { uiState.all = false; applyUI(); },
    /** Shows the SDK's UI again (as it was before hide). */
    show: function () { uiState.all = true; ensureWorkbench(); applyUI(); },
    /** Shows the floating button. */
    showfloatButton: function () { uiState.button = true; uiState.all = true; ensureWorkbench(); applyUI(); },
    /** Hides the floating button. */
    hidefloatButton: function () { uiState.button = false; applyUI(); },
    /** Opens the workbench panel. */
    showWorkbench: function () { uiState.panel = true; uiState.all = true; ensureWorkbench(); applyUI(); },
    /** Closes the workbench panel. */
    hideWorkbench: function () { uiState.panel = false; applyUI(); }
  };

  /** The SDK's root element, <t3c-sdk id="tcccSdkDomRoot"> (TCCC's), made again if the page removed it. */
  var ROOT_ID = 'tcccSdkDomRoot';
  function sdkRoot() {
    var root = document.getElementById(ROOT_ID);
    if (!root && document.body) {
      root = document.createElement('t3c-sdk');
      root.id = ROOT_ID;
      document.body.appendChild(root);
    }
    return root;
  }
  function whenBody(fn) {
    if (document.body) fn(); else document.addEventListener('DOMContentLoaded', fn);
  }

  function ensureWorkbench() {
    if (workbench && !workbench.host.isConnected) {
      // The page removed the workbench (or the root element holding it): a new one replaces it.
      if (typeof workbench.destroy === 'function') workbench.destroy();
      workbench = null;
      workbenchRequested = false;
    }
    if (workbench || workbenchRequested || uiOptions.layout === 'none') return;
    workbenchRequested = true;
    if (window.SwitchboardWorkbench) { mountWorkbench(); return; }
    // The workbench's parts, then the workbench itself: executed in this order (async = false),
    // mounted once the last has run.
    // The message catalogues first (i18n/; a page that loaded them itself keeps its own).
    var files = (window.SwitchboardI18n ? [] : I18N_FILES).concat(WORKBENCH_FILES);
    files.forEach(function (file, index) {
      var tag = document.createElement('script');
      tag.src = new URL(file, scriptURL.href).href;
      tag.async = false;
      if (index === files.length - 1) tag.onload = mountWorkbench;
      tag.onerror = function () { console.error('[TCCC] could not load the workbench from ' + tag.src); workbenchRequested = false; };
      (document.head || document.documentElement).appendChild(tag);
    });
  }
  /** The workbench's files, relative to tccc.js; workbench.js (the entry point, mount()) last. */
  var I18N_FILES = ['../i18n/i18n.js', '../i18n/zh-CN.js'];
  var WORKBENCH_FILES = ['chat-content.js', 'workbench/attachments.js', 'workbench/customer-panel.js', 'workbench/alerts.js', 'workbench/canned-replies.js', 'workbench/wrap-up.js', 'workbench/typing-indicator.js', 'workbench/shortcuts.js', 'workbench/past-sessions.js', 'workbench/button-config.js', 'workbench/transfer-form.js', 'workbench/dial-pad.js', 'workbench/call-controls.js', 'workbench/dark-theme.js', 'workbench/small-screen.js', 'workbench.js'];

  function mountWorkbench() {
    if (workbench || !window.SwitchboardWorkbench) return;
    var start = function () {
      if (workbench) return;
      workbench = window.SwitchboardWorkbench.mount(TCCC, {
        layout: uiOptions.layout,
        mount: uiOptions.mount || sdkRoot(),
        transferTargets: uiOptions.transferTargets,
        restReasons: uiOptions.restReasons,
        state: { button: uiState.button, panel: uiState.panel, all: uiState.all }
      });
    };
    if (document.body) start(); else document.addEventListener('DOMContentLoaded', start);
  }

  function on(event, callback) {
    if (typeof callback !== 'function') return;
    var name = String(event);
    if (EVENT_NAMES.indexOf(name) < 0) console.warn('[TCCC] "' + name + '" is not an event; the events are ' + EVENT_NAMES.join(', '));
    // The same function registered again for the same event (a component that subscribes on every
    // render) is kept once, as addEventListener does; it still hears a login outcome already past.
    var list = listeners[name] = listeners[name] || [];
    if (list.indexOf(callback) < 0) list.push(callback);
    var outcome = loginOutcome;
    var current = outcome && ((outcome.name === 'ready' && connection === 'ready') || (outcome.name === 'tokenExpired' && connection === 'expired'));
    if (current && outcome.name === name) {
      setTimeout(function () {
        if (loginOutcome !== outcome) return;
        try { callback(copy(outcome.data)); } catch (error) { console.error('[TCCC] a "' + name + '" listener threw', error); }
      }, 0);
    }
  }

  function off(event, callback) {
    var name = String(event);
    if (!listeners[name]) return;
    if (typeof callback !== 'function') { delete listeners[name]; return; }
    listeners[name] = listeners[name].filter(function (fn) { return fn !== callback; });
  }

  /**
   * Logs in (or again, with a new token after tokenExpired). Resolves when `ready` fires, or with
   * the server's reason when it refuses the login. Options: server, token, userId, password,
   * sdkAppId, and for the workbench: layout ('floating' | 'page' | 'none'), mount, transferTargets,
   * restReasons.
   */
  function init(options) {
    options = options || {};
    var sameAgent = !options.userId || !model.userId || options.userId === model.userId;
    ['server', 'sdkAppId'].forEach(function (key) { if (options[key] !== undefined) settings[key] = options[key]; });
    if (options.server !== undefined) settings.server = options.server ? socketURL(options.server) : null;
    if (options.token !== undefined || options.password !== undefined) {
      settings.token = options.token || null;
      settings.password = options.password || null;
    }
    if (options.userId !== undefined) settings.userId = options.userId || null;
    if (options.rememberLogin !== undefined) settings.rememberLogin = !!options.rememberLogin;
    if (options.rememberLogin && options.token === undefined && options.password === undefined) {
      // A reload: carry on with the session token this tab kept.
      var saved = readSavedLogin();
      if (!saved) return Promise.resolve(failure('no login is kept in this tab: sign in with a user id and password'));
      settings.token = saved.token;
      settings.password = null;
      settings.userId = saved.userId || null;
    }
    ['pingIntervalMs', 'pongTimeoutMs', 'responseTimeoutMs', 'connectWaitMs', 'backoffInitialMs', 'backoffMaxMs'].forEach(function (key) {
      if (typeof options[key] === 'number' && options[key] > 0) settings[key] = options[key];
    });
    ['layout', 'mount', 'transferTargets', 'restReasons'].forEach(function (key) {
      if (options[key] !== undefined) uiOptions[key] = options[key];
    });
    if (options.layout === 'page') { uiState.panel = true; uiState.button = false; }
    if (!hasCredentials()) return Promise.resolve(failure('TCCC.init needs a token, or a userId and password'));
    loginOutcome = null;  // a new login: its own outcome
    if (!sameAgent) {
      // Another agent: forget the first one's state.
      cursor = 0;
      model.userId = null;
      model.sessions = {};
      model.order = [];
      model.history = [];
    }
    everReady = false;
    attempt = 0;
    var promise = new Promise(function (resolve) { initWaiters.push(resolve); });
    var old = socket;
    socket = null;
    stopPing();
    if (old) { try { old.close(1000); } catch (error) { /* ignore */ } }
    setConnection('connecting', null);
    connect();
    if (window.RTCPeerConnection) loadMedia().catch(function () { /* reported when a call needs it */ });
    if (uiOptions.layout !== 'none') ensureWorkbench();
    return promise;
  }

  /** Switchboard: closes the connection for good (sign out); `init` logs in again. */
  function disconnect() {
    fail('closed', 'disconnected');
    settings.password = null;
    settings.token = null;
    everReady = false;
  }

  /** TCCC's Admin namespace: what the agent's console reads about the contact centre. */
  var Admin = {
    /** The skill groups this agent may transfer to (its transfer directory): [{skillGroupName, skillGroupId}]. */
    getSkillGroups: function (options) {
      if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
        return Promise.resolve(failure('Admin.getSkillGroups takes no arguments'));
      }
      return request('Agent.getTransferTargets').then(function (answer) {
        if (answer.status !== 'success') return answer;
        var groups = (answer.data && answer.data.skillGroups) || [];
        return success(groups.map(function (group) {
          return { skillGroupName: group.name || group.skillGroupId, skillGroupId: group.skillGroupId };
        }));
      });
    }
  };

  /** A script tag's login and options: the SdkURL's query string wins over data-* attributes. */
  function scriptConfig(tag) {
    var data = (tag && tag.dataset) || {};
    var query = new URLSearchParams('');
    try { if (tag && tag.src) query = new URL(tag.src, location.href).searchParams; } catch (error) { /* no query */ }
    function first(names, fallback) {
      for (var i = 0; i < names.length; i++) if (query.has(names[i])) return query.get(names[i]);
      return fallback;
    }
    return {
      token: first(['token'], data.token),
      userId: first(['userid', 'userId', 'UserId'], data.userid) || undefined,
      sdkAppId: first(['sdkAppId', 'sdkappid', 'SdkAppId'], data.sdkAppId) || undefined,
      ui: data.ui,
      server: data.server,
      pingInterval: data.pingInterval
    };
  }

  /** The script loaded again: see the top of this file. */
  function adopt(tag) {
    whenBody(sdkRoot);
    if (uiOptions.layout !== 'none' && (workbench || workbenchRequested)) whenBody(ensureWorkbench);
    var config = scriptConfig(tag);
    var live = connection === 'ready' || connection === 'connecting' || connection === 'reconnecting';
    if (!live && nonEmpty(config.token)) {
      init({ token: config.token, userId: config.userId, sdkAppId: config.sdkAppId });
    }
  }

  // ---- TCCC.overrideButtonConfig: the workbench's buttons by TCCC's types --------------------
  // The workbench (workbench/button-config.js) hides, disables and relabels its controls by this
  // list, when it renders and whenever the list changes; it is kept here so a page may change it
  // before `ready` or before the workbench has loaded. A `text` left as given here means the
  // workbench's own label, in its language. forwardOut (a transfer to an outside number) and
  // selfService (handing the caller to an IVR) have no counterpart in Switchboard: listed hidden.
  var BUTTON_TYPES = ['transferSeat', 'transferSkillGroup', 'holdToggle', 'forwardOut', 'showKeyboard', 'selfService'];
  var MISSING_BUTTONS = {
    forwardOut: 'Switchboard has no transfer to an outside number: this button cannot be shown',
    selfService: 'Switchboard has no hand-over to an IVR (self-service): this button cannot be shown'
  };
  var BUTTON_FIELDS = { type: 'string', text: 'string', visible: 'boolean', disabled: 'boolean', note: 'string' };
  var DEFAULT_BUTTONS = [
    { type: 'transferSeat', text: 'Transfer to agent', visible: true, disabled: false },
    { type: 'transferSkillGroup', text: 'Transfer to skill group', visible: true, disabled: false },
    { type: 'holdToggle', text: 'Hold', visible: true, disabled: false },
    { type: 'forwardOut', text: 'Forward to a number', visible: false, disabled: true, note: MISSING_BUTTONS.forwardOut },
    { type: 'showKeyboard', text: 'Keypad', visible: true, disabled: false },
    { type: 'selfService', text: 'Self-service', visible: false, disabled: true, note: MISSING_BUTTONS.selfService }
  ];
  var buttonConfig = copy(DEFAULT_BUTTONS);

  function overrideButtons(fn) {
    var name = 'overrideButtonConfig';
    if (typeof fn !== 'function') return failure(name + ' needs a function that takes the button list and returns it changed, e.g. ' + name + '(list => list.map(b => b.type === "holdToggle" ? {...b, disabled: true} : b))');
    var answer;
    try { answer = fn(copy(buttonConfig)); } catch (error) {
      return failure(name + ': the function threw: ' + (error && error.message ? error.message : String(error)) + '; nothing was changed');
    }
    if (answer === undefined || answer === null) return success();
    var problem = buttonProblem(answer);
    if (problem) return failure(name + ': ' + problem + '; nothing was changed');
    // Types the list leaves out, and fields an entry leaves out, stay as they were.
    var next = copy(buttonConfig);
    answer.forEach(function (entry) {
      var current = next.filter(function (button) { return button.type === entry.type; })[0];
      ['text', 'visible', 'disabled'].forEach(function (key) { if (entry[key] !== undefined) current[key] = entry[key]; });
    });
    buttonConfig = next;
    notifyInternal('buttons', copy(buttonConfig));
    return success();
  }

  /** What is wrong with a list returned to overrideButtonConfig, or null. */
  function buttonProblem(list) {
    if (!Array.isArray(list)) return 'the function must return the button list (an array) or nothing, not ' + describe(list);
    var seen = {};
    for (var i = 0; i < list.length; i++) {
      var entry = list[i];
      var at = 'entry ' + i;
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return at + ' must be an object {type, text, visible, disabled}, not ' + describe(entry);
      if (typeof entry.type !== 'string') return at + ': type must be a string, one of ' + BUTTON_TYPES.join(', ');
      if (BUTTON_TYPES.indexOf(entry.type) < 0) return at + ": unknown button type '" + entry.type + "'; the types are " + BUTTON_TYPES.join(', ');
      at = entry.type + ' (' + at + ')';
      if (seen[entry.type]) return at + ' is listed twice';
      seen[entry.type] = true;
      var keys = Object.keys(entry);
      for (var k = 0; k < keys.length; k++) {
        var key = keys[k];
        if (!BUTTON_FIELDS[key]) return at + ": unknown field '" + key + "'; a button has type, text, visible and disabled";
        if (entry[key] !== undefined && typeof entry[key] !== BUTTON_FIELDS[key]) return at + ': ' + key + ' must be a ' + BUTTON_FIELDS[key] + ', not ' + describe(entry[key]);
      }
      if (typeof entry.text === 'string' && !entry.text.trim()) return at + ': text must not be empty';
      if (MISSING_BUTTONS[entry.type] && entry.visible === true) return at + ': ' + MISSING_BUTTONS[entry.type];
    }
    return null;
  }

  function describe(value) {
    if (value === null) return 'null';
    if (Array.isArray(value)) return 'an array';
    return typeof value === 'string' ? 'the string "' + value.slice(0, 40) + '"' : 'a ' + typeof value + (typeof value === 'number' || typeof value === 'boolean' ? ' (' + value + ')' : '');
  }

  var TCCC = {
    __switchboard: true,
    version: VERSION,
    events: EVENTS,
    Chat: Chat,
    Call: Call,
    Video: Video,
    Agent: Agent,
    CannedReplies: CannedReplies,
    Devices: Devices,
    UI: UI,
    Admin: Admin,
    on: on,
    off: off,
    init: init,
    disconnect: disconnect,
    /** Switchboard: the login this tab kept (`rememberLogin`), as {userId, expiresAt}, or null. */
    savedLogin: function () {
      var saved = readSavedLogin();
      return saved ? { userId: saved.userId || null, expiresAt: saved.expiresAt || null } : null;
    },
    /** Switchboard: what the SDK knows now (agent, status, live sessions, recent history, connection). */
    getState: function () { return snapshot(); },
    /**
     * TCCC's workbench button overrides: `fn(config)` gets [{type, text, visible, disabled}] for
     * transferSeat, transferSkillGroup, holdToggle, forwardOut, showKeyboard and selfService and
     * returns the changed list (or nothing to keep it). See buttonConfig below.
     */
    overrideButtonConfig: function (fn) { return overrideButtons(fn); },
    /** For the workbench: the button configuration, each entry with `relabelled` when the page changed its text. */
    _buttonConfig: function () {
      return buttonConfig.map(function (button, index) {
        var entry = copy(button);
        entry.relabelled = button.text !== DEFAULT_BUTTONS[index].text;
        return entry;
      });
    },
    /** The script tag loaded again (internal). */
    _adopt: adopt,
    /** For the workbench: this tab's media of a call (call-media.js), or null. */
    _call: function (sessionId) { return calls.live[sessionId] || null; },
    /** For the workbench: whether this agent holds / muted the call. */
    _callFlags: function (sessionId) {
      return { held: !!calls.held[sessionId], micMuted: !!calls.micMuted[sessionId], videoMuted: !!calls.videoMuted[sessionId] };
    },
    /** For the workbench: fn(kind, detail) on 'model', 'event', 'connection', 'ui', 'resync',
     *  'media', 'callState', 'held', 'muted', 'dtmf', 'customerTyping', 'monitor'. */
    _subscribe: function (fn) {
      internalListeners.push(fn);
      return function () { internalListeners = internalListeners.filter(function (other) { return other !== fn; }); };
    },
    /** Diagnostics and tests: drop the socket (the SDK reconnects and resumes), and more. */
    debug: {
      /** Closes the socket as a network failure would; reconnects after `delayMs` (default: the backoff). */
      dropConnection: function (delayMs) { dropSocket(delayMs); },
      /** Changes timings: pingIntervalMs, pongTimeoutMs, responseTimeoutMs, connectWaitMs, backoffInitialMs, backoffMaxMs. */
      configure: function (options) {
        Object.keys(options || {}).forEach(function (key) {
          if (typeof settings[key] === 'number' && typeof options[key] === 'number' && options[key] > 0) settings[key] = options[key];
        });
        if (connection === 'ready') startPing();
      },
      pingMisses: function () { return pingMisses; },
      setCursor: function (seq) { cursor = seq; },
      ignorePongs: function (flag) { debugFlags.ignorePongs = !!flag; },
      frames: function () { return copy(debugFlags.log); },
      /** getStats() byte counts of this tab's call: {inboundBytes, inboundAudioBytes, inboundVideoBytes, outboundBytes, state}. */
      callStats: function (sessionId) {
        var call = calls.live[sessionId];
        return call ? call.stats() : Promise.resolve(null);
      },
      /** A supervisor's monitor of this tab's call, if any: {mode, state, inboundBytes, outboundBytes, barging, callSendsBarge, agentHears}. */
      monitorStats: function (sessionId) {
        var found = Object.keys(calls.monitors).filter(function (id) { return calls.monitors[id].sessionId === sessionId; })[0];
        return found && calls.monitors[found].link ? calls.monitors[found].link.stats() : Promise.resolve(null);
      },
      /** 'relay' forces calls through TURN (to test a TURN server); 'all' is the default. */
      iceTransportPolicy: function (policy) { calls.iceTransportPolicy = policy === 'relay' ? 'relay' : 'all'; },
      /** Phone offers this page made again because the audio did not connect (see reofferStalled). */
      phoneReoffers: function () { return calls.reofferTotal; },
      settings: function () { var s = copy(settings); if (s.password) s.password = '***'; return s; }
    }
  };

  window.TCCC = TCCC;
  window.tccc = TCCC;

  // The script-tag form: <script src=".../tccc.js" data-token data-sdk-app-id data-userid>.
  // Or the SdkURL: .../tccc.js?sdkAppId=...&token=...&userid=... (the query string wins).
  whenBody(sdkRoot);
  if (script) {
    var data = scriptConfig(script);
    uiOptions.layout = data.ui === 'none' ? 'none' : data.ui === 'page' ? 'page' : 'floating';
    if (data.ui === 'page') { uiState.panel = true; uiState.button = false; }
    if (data.server) settings.server = socketURL(data.server);
    if (data.pingInterval) settings.pingIntervalMs = Number(data.pingInterval) || settings.pingIntervalMs;
    if (nonEmpty(data.token)) {
      init({ token: data.token, userId: data.userId, sdkAppId: data.sdkAppId });
    } else if (data.token !== undefined) {
      // data-token="" (a backend that failed to issue one): tokenExpired, not silence.
      var empty = 'data-token is empty: the page has no login token; get one from the server API (CreateSDKLoginToken) and call TCCC.init({token})';
      setConnection('expired', empty);
      setTimeout(function () { settleLogin('tokenExpired', { message: empty }); }, 0);
    } else if (uiOptions.layout !== 'none' && data.ui) {
      ensureWorkbench();
    }
  }
})();
