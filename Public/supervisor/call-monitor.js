// The supervisor page's "Listen" action on an answered call (docs/calls.md, "Listening in"):
// a panel that listens in, whispers to the agent or barges in, and stops. The agent's page sends
// both sides of the call over a WebRTC connection whose signalling goes through
// /api/v1/monitors/{id}: its offer and candidates arrive as server-sent events, this page's
// answer and candidates go back with POST .../signals. The microphone is sent from the start but
// muted while listening, so a change of mode needs no renegotiation.
//
// window.SupervisorCallMonitor.create({ api, el, handled }) returns { button(session), stats() }:
// button makes a live call row's action; stats (for tests) gives {mode, state, inboundBytes}.
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by the page's own script tags)

  var CALLS = { voip: true, video: true, internal: true, phone: true };
  var MODES = [['listen', t('Listen')], ['whisper', t('Whisper to the agent')], ['barge', t('Barge in')]];

  function create(page) {
    var el = page.el;
    var current = null; // {id, session, pc, events, microphone, audio}
    var title = el('h2', { id: 'monitor-title', text: t('Listening in') });
    var what = el('p', { class: 'muted' });
    var state = el('p', { class: 'muted', role: 'status' });
    var error = el('p', { class: 'error', role: 'alert', hidden: 'hidden' });
    var modes = el('fieldset', { class: 'monitor-modes' }, [el('legend', { text: t('You') })].concat(MODES.map(function (mode) {
      var input = el('input', { type: 'radio', name: 'monitor-mode', value: mode[0] });
      input.addEventListener('change', function () { if (input.checked) setMode(mode[0]); });
      return el('label', { class: 'check inline' }, [input, el('span', { text: mode[1] })]);
    })));
    var stop = el('button', { class: 'btn danger', type: 'button', text: t('Stop listening') });
    var panel = el('section', { class: 'card monitor-panel', 'aria-labelledby': 'monitor-title', hidden: 'hidden' },
      [title, what, modes, state, error, el('div', { class: 'actions' }, [stop])]);
    document.body.appendChild(panel);
    stop.addEventListener('click', function () { finish(t('You stopped listening.'), true); });

    function showError(message) { error.hidden = false; error.textContent = message; }

    function checkMode(mode) {
      Array.prototype.forEach.call(modes.querySelectorAll('input'), function (input) { input.checked = input.value === mode; });
    }

    function start(session) {
      if (current) finish(null, true);
      error.hidden = true;
      panel.hidden = false;
      var customer = (session.customer || {}).nickname || (session.customer || {}).callerPhoneNumber || t('customer');
      what.textContent = t('Session {session} ({type}, {customer}) with agent {agent}.', { session: session.id, type: session.type, customer: customer, agent: session.agentId });
      state.textContent = t('Connecting…');
      checkMode('listen');
      var mine = current = { id: null, session: session.id, mode: 'listen', pc: null, events: null, microphone: null, audio: null,
        sending: Promise.resolve() };
      navigator.mediaDevices.getUserMedia({ audio: true }).catch(function () { return null; }).then(function (microphone) {
        if (current !== mine) { if (microphone) microphone.getTracks().forEach(function (track) { track.stop(); }); return null; }
        mine.microphone = microphone;
        if (!microphone) showError(t('No microphone: you can listen, but not whisper or barge in.'));
        return page.api('/api/v1/sessions/' + encodeURIComponent(session.id) + '/monitors', { method: 'POST', body: { mode: 'listen' } });
      }).then(function (monitor) {
        if (!monitor || current !== mine) return;
        mine.id = monitor.monitorId;
        connect(mine);
      }).catch(function (failure) {
        if (page.handled(failure)) return;
        showError(failure.message);
        state.textContent = '';
        if (current === mine) finish(null, false);
      });
    }

    function connect(mine) {
      var pc = mine.pc = new RTCPeerConnection();
      if (mine.microphone) {
        mine.microphone.getAudioTracks().forEach(function (track) { track.enabled = false; pc.addTrack(track, mine.microphone); });
      }
      pc.ontrack = function (event) {
        if (!mine.audio) {
          mine.audio = el('audio', { autoplay: 'autoplay' });
          mine.audio.style.display = 'none';
          document.body.appendChild(mine.audio);
          mine.audio.srcObject = new MediaStream();
        }
        mine.audio.srcObject.addTrack(event.track);
        mine.audio.play().catch(function () { /* plays on the next click */ });
      };
      pc.onicecandidate = function (event) {
        var c = event.candidate;
        signal(mine, { kind: 'candidate', candidate: c ? c.toJSON() : { candidate: '' } });
      };
      pc.onconnectionstatechange = function () {
        if (current !== mine) return;
        var now = pc.connectionState;
        if (now === 'connected') state.textContent = t('Connected: you hear the customer and the agent.');
        if (now === 'disconnected') state.textContent = t('The agent\'s page does not answer…');
        // The agent's page let the call's media go (a reload, the call taken in another tab):
        // this monitor hears nothing more. Listen again to start a new one.
        if (now === 'failed' || now === 'closed') finish(t('The connection to the agent\'s page ended; press Listen again.'), true);
      };
      var events = mine.events = new EventSource('/api/v1/monitors/' + encodeURIComponent(mine.id) + '/events');
      events.addEventListener('signal', function (event) {
        var offer = JSON.parse(event.data);
        if (offer.kind === 'offer') {
          pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp })
            .then(function () { return pc.createAnswer(); })
            .then(function (answer) { return pc.setLocalDescription(answer); })
            .then(function () { signal(mine, { kind: 'answer', sdp: pc.localDescription.sdp }); })
            .catch(function (failure) { showError(t('Could not connect: {reason}', { reason: failure.message })); });
        } else if (offer.kind === 'candidate' && offer.candidate && offer.candidate.candidate) {
          pc.addIceCandidate(offer.candidate).catch(function () { /* a late or foreign candidate */ });
        }
      });
      events.addEventListener('ended', function (event) {
        var why = (JSON.parse(event.data) || {}).why || '';
        finish(t('Listening ended: {reason}.', { reason: why }), false);
      });
      // The stream is the monitor's life: once it fails, the monitor has ended on the server.
      events.onerror = function () { if (current === mine && events.readyState === EventSource.CLOSED) finish(t('Listening ended.'), false); };
    }

    /** Sends the answer and candidates one after another, so the answer arrives first. */
    function signal(mine, body) {
      if (!mine.id || current !== mine) return;
      mine.sending = mine.sending.then(function () {
        if (current !== mine) return null;
        return page.api('/api/v1/monitors/' + encodeURIComponent(mine.id) + '/signals', { method: 'POST', body: body });
      }).catch(function (failure) {
        if (!page.handled(failure) && current === mine) showError(failure.message);
      });
    }

    function setMode(mode) {
      var mine = current;
      if (!mine || !mine.id) return;
      if (mode !== 'listen' && !mine.microphone) { showError(t('No microphone: you can listen, but not whisper or barge in.')); checkMode(mine.mode); return; }
      page.api('/api/v1/monitors/' + encodeURIComponent(mine.id), { method: 'PUT', body: { mode: mode } }).then(function () {
        mine.mode = mode;
        if (mine.microphone) mine.microphone.getAudioTracks().forEach(function (track) { track.enabled = mode !== 'listen'; });
      }).catch(function (failure) {
        checkMode(mine.mode);
        if (!page.handled(failure)) showError(failure.message);
      });
    }

    /** Drops the connection; `tellServer` also deletes the monitor (it may have ended already). */
    function finish(message, tellServer) {
      var mine = current;
      current = null;
      if (mine) {
        if (mine.events) mine.events.close();
        if (mine.pc) mine.pc.close();
        if (mine.microphone) mine.microphone.getTracks().forEach(function (track) { track.stop(); });
        if (mine.audio) { mine.audio.srcObject = null; mine.audio.remove(); }
        if (tellServer && mine.id) page.api('/api/v1/monitors/' + encodeURIComponent(mine.id), { method: 'DELETE' }).catch(function () {});
      }
      state.textContent = message || '';
      if (!message) panel.hidden = true;
    }

    function button(session) {
      if (session.state !== 'accepted' || !CALLS[session.type]) return null;
      var listen = el('button', { class: 'btn small', type: 'button', 'data-listen': session.id,
        'aria-label': t('Listen in on session {session}', { session: session.id }), text: t('Listen') });
      listen.addEventListener('click', function () { start(session); });
      return listen;
    }

    /** For tests: the connection's state and received bytes. */
    function stats() {
      var mine = current;
      if (!mine || !mine.pc) return Promise.resolve(null);
      return mine.pc.getStats().then(function (report) {
        var inbound = 0;
        report.forEach(function (entry) { if (entry.type === 'inbound-rtp') inbound += entry.bytesReceived || 0; });
        return { mode: mine.mode, state: mine.pc.connectionState, inboundBytes: inbound };
      });
    }

    window.SupervisorCallMonitor.stats = stats;
    return { button: button, stats: stats };
  }

  window.SupervisorCallMonitor = { create: create };
})();
