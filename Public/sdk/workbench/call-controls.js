/*
 * Switchboard workbench, part: the call bar of a voice, video, internal or phone call: its state in
 * words (calling, ringing, connected, on hold, held by the other side, media failed, answered in
 * another tab) with the call's time, Mute, Hold, Camera, digits to send (a phone's keys during a
 * phone call), the digits the other side pressed, the video, and the microphone and speaker
 * pickers. Loaded by tccc.js before workbench.js, which shows it for the open call and passes on
 * the SDK's call events.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.callbar { padding: 12px 14px; border-bottom: 1px solid var(--wb-line, #e2e8f0); display: grid; gap: 10px; background: var(--wb-surface-2, #f8fafc); }',
    '.callbar .call-state { display: flex; align-items: center; gap: 10px; font-weight: 600; }',
    '.callbar .call-state .call-clock { font-variant-numeric: tabular-nums; color: var(--wb-ink-2, #334155); font-weight: 500; }',
    '.callbar .call-state .dtmf { color: var(--wb-muted, #586679); font-weight: 400; font-size: 12px; }',
    '.callbar .controls { display: flex; flex-wrap: wrap; gap: 6px; }',
    '.callbar .btn[aria-pressed="true"] { background: var(--wb-warn-bg, #fef3c7); border-color: #f59e0b; }',
    '.callbar .keypad { display: flex; gap: 6px; }',
    '.callbar .keypad input { width: 9em; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 8px; padding: 5px 8px; }',
    '.callbar .devices { display: flex; flex-wrap: wrap; gap: 8px; font-size: 12px; color: var(--wb-muted-2, #475569); }',
    '.callbar .devices label { display: flex; flex-direction: column; gap: 2px; min-width: 0; }',
    '.callbar .devices select { min-width: 11em; max-width: 14em; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 6px; padding: 3px 4px; font-size: 12px; }',
    '.videos { position: relative; background: #0f172a; border-radius: 10px; overflow: hidden; aspect-ratio: 4 / 3; max-height: 260px; }',
    '.videos video.remote { width: 100%; height: 100%; object-fit: cover; }',
    '.videos video.local { position: absolute; right: 8px; bottom: 8px; width: 28%; border-radius: 6px; border: 2px solid #fff; }',
    '.callbar .dtmf-keys { margin-top: 0; }',
    '.callbar .sent-digits { color: var(--wb-muted, #586679); font-size: 12px; font-weight: 400; }'
  ].join('\n');

  function isCall(session) { return !!session && session.type !== 'im'; }

  /**
   * Creates the call bar. `env` = {keys, current() (the open session, or null), report(answer, okText),
   * clock(seconds), buttons (workbench/button-config.js, optional)}. Returns {node, css, render(), loadDevices(), tick(now), media(sessionId),
   * mediaState(sessionId, state), held(detail), digits(sessionId, digits), forget(sessionId)}.
   */
  parts.callControls = function (el, tccc, env) {
    var callState = el('span', { class: 'call-label', role: 'status' });
    var callClock = el('span', { class: 'call-clock' });
    var callDigits = el('span', { class: 'dtmf' });
    var muteButton = el('button', { type: 'button', class: 'btn mute', 'aria-pressed': 'false', text: t('Mute') });
    var holdButton = el('button', { type: 'button', class: 'btn hold', 'aria-pressed': 'false', text: t('Hold') });
    var cameraButton = el('button', { type: 'button', class: 'btn camera', 'aria-pressed': 'false', text: t('Camera off') });
    var keypadInput = el('input', { type: 'text', class: 'digits', 'aria-label': t('Digits to send'), placeholder: t('Digits 0-9 * #'), inputmode: 'tel', autocomplete: 'off' });
    var keypadSend = el('button', { type: 'submit', class: 'btn', text: t('Send digits') });
    var keypad = el('form', { class: 'keypad' }, [keypadInput, keypadSend]);
    // A phone's keys during a phone call (menus at the other end): each press sends its digit.
    var dtmfKeys = el('div', { class: 'keys dtmf-keys', role: 'group', 'aria-label': t('Send digits'), hidden: true },
      env.keys.map(function (key) { return el('button', { type: 'button', 'data-key': key, 'aria-label': t('Send {key}', { key: key }), text: key }); }));
    var dtmfButtons = Array.prototype.slice.call(dtmfKeys.querySelectorAll('button'));
    var sentDigits = el('span', { class: 'sent-digits' });
    var micSelect = el('select', { class: 'mic-select', 'aria-label': t('Microphone') });
    var speakerSelect = el('select', { class: 'speaker-select', 'aria-label': t('Speaker') });
    var remoteVideo = el('video', { class: 'remote', autoplay: true, playsinline: true, muted: true });
    var localVideo = el('video', { class: 'local', autoplay: true, playsinline: true, muted: true });
    remoteVideo.muted = true; // the audio plays through call-media.js's audio element
    localVideo.muted = true;
    var videos = el('div', { class: 'videos', hidden: true }, [remoteVideo, localVideo]);
    var takeOver = el('button', { type: 'button', class: 'btn take-over', hidden: true, text: t('Take the call here') });
    var callbar = el('div', { class: 'callbar', hidden: true, 'aria-label': t('Call controls') }, [
      el('div', { class: 'call-state' }, [callState, callClock, callDigits, sentDigits, takeOver]),
      videos,
      el('div', { class: 'controls' }, [muteButton, holdButton, cameraButton, keypad]),
      dtmfKeys,
      el('div', { class: 'devices' }, [
        el('label', {}, [t('Microphone'), micSelect]), el('label', {}, [t('Speaker'), speakerSelect])
      ])
    ]);

    var callStates = {};   // sessionId -> media state from the SDK
    var peerHeld = {};     // sessionId -> the other side put us on hold
    var lastDigits = {};   // sessionId -> digits the other side sent
    var sentKeys = {};     // sessionId -> digits this agent sent from the phone keys

    function renderCall() {
      var session = env.current();
      if (!isCall(session)) return;
      var id = session.sessionId;
      var flags = tccc._callFlags(id);
      var media = callStates[id];
      var label;
      var phone = session.type === 'phone';
      if (phone && session.direction === 'out' && session.state !== 'accepted') {
        // The carrier's ringback (or announcement) plays once the early answer connected the audio.
        label = t(media === 'connected' ? 'Ringing {number}…' : 'Calling {number}…', { number: session.calleePhoneNumber });
      } else if (session.direction === 'out' && session.state !== 'accepted') label = session.calleeUserId ? t('Calling {number}…', { number: session.calleeUserId }) : t('Calling group {group}…', { group: session.skillGroupId });
      else if (flags.held) label = t('On hold');
      else if (peerHeld[id]) label = t('The other side put you on hold');
      else if (media === 'connected') label = t('Connected');
      else if (media === 'failed') label = t('Media failed — check the network or TURN settings');
      else if (!tccc._call(id)) label = t('Answered in another tab or window');
      else label = t('Connecting audio…');
      callState.textContent = label;
      takeOver.hidden = !!tccc._call(id) || session.state !== 'accepted';
      callDigits.textContent = lastDigits[id] ? t(phone ? 'Caller pressed {digits}' : 'digits: {digits}', { digits: lastDigits[id] }) : '';
      sentDigits.textContent = sentKeys[id] ? t('You sent {digits}', { digits: sentKeys[id] }) : '';
      dtmfKeys.hidden = !phone || session.state !== 'accepted';
      muteButton.setAttribute('aria-pressed', String(flags.micMuted));
      muteButton.textContent = flags.micMuted ? t('Unmute') : t('Mute');
      holdButton.setAttribute('aria-pressed', String(flags.held));
      holdButton.textContent = flags.held ? t('Resume') : t('Hold');
      holdButton.hidden = session.state !== 'accepted';
      keypad.hidden = session.state !== 'accepted';
      // The page's button configuration (TCCC.overrideButtonConfig): holdToggle, showKeyboard.
      if (env.buttons) {
        env.buttons.apply('holdToggle', { hide: [holdButton], disable: [holdButton], label: flags.held ? null : holdButton, text: t('Hold') });
        env.buttons.apply('showKeyboard', { hide: [keypad, dtmfKeys], disable: [keypadInput, keypadSend].concat(dtmfButtons) });
      }
      var video = session.type === 'video';
      cameraButton.hidden = !video;
      cameraButton.setAttribute('aria-pressed', String(flags.videoMuted));
      cameraButton.textContent = flags.videoMuted ? t('Camera on') : t('Camera off');
      videos.hidden = !video;
      var call = tccc._call(id);
      if (call) {
        if (remoteVideo.srcObject !== call.remoteStream) remoteVideo.srcObject = call.remoteStream;
        if (call.localStream && localVideo.srcObject !== call.localStream) localVideo.srcObject = call.localStream;
      } else {
        remoteVideo.srcObject = null;
        localVideo.srcObject = null;
      }
    }

    takeOver.addEventListener('click', function () {
      var current = env.current();
      if (!current) return;
      tccc.Call.reconnectMedia({ sessionId: current.sessionId }).then(function (answer) { env.report(answer); renderCall(); });
    });
    muteButton.addEventListener('click', function () {
      var session = env.current();
      if (!isCall(session)) return;
      var ns = session.type === 'video' ? tccc.Video : tccc.Call;
      var muted = tccc._callFlags(session.sessionId).micMuted;
      (muted ? ns.unmuteMic : ns.muteMic)({ sessionId: session.sessionId }).then(function (answer) { env.report(answer); renderCall(); });
    });
    holdButton.addEventListener('click', function () {
      var session = env.current();
      if (!isCall(session)) return;
      holdButton.disabled = true;
      var held = tccc._callFlags(session.sessionId).held;
      (held ? tccc.Call.unHold : tccc.Call.hold)({ sessionId: session.sessionId }).then(function (answer) {
        holdButton.disabled = false;
        env.report(answer);
        renderCall();
      });
    });
    cameraButton.addEventListener('click', function () {
      var session = env.current();
      if (!session) return;
      var off = tccc._callFlags(session.sessionId).videoMuted;
      (off ? tccc.Video.unmuteVideo : tccc.Video.muteVideo)({ sessionId: session.sessionId }).then(function (answer) { env.report(answer); renderCall(); });
    });
    keypad.addEventListener('submit', function (event) {
      event.preventDefault();
      var digits = keypadInput.value.trim();
      var current = env.current();
      if (!digits || !current) return;
      tccc.Call.sendDigits({ sessionId: current.sessionId, dtmfText: digits }).then(function (answer) {
        env.report(answer, answer.status === 'success' ? t('Sent {digits}.', { digits: digits }) : null);
        if (answer.status === 'success') keypadInput.value = '';
      });
    });
    dtmfKeys.addEventListener('click', function (event) {
      var key = event.target.closest && event.target.closest('button[data-key]');
      var current = env.current();
      if (!key || !current) return;
      var id = current.sessionId;
      var digit = key.getAttribute('data-key');
      tccc.Call.sendDigits({ sessionId: id, dtmfText: digit }).then(function (answer) {
        env.report(answer);
        if (answer.status === 'success') {
          sentKeys[id] = (sentKeys[id] || '') + digit;
          if (isShown(id)) renderCall();
        }
      });
    });

    function fillDevices(select, devices, chosen) {
      var signature = devices.map(function (d) { return d.deviceId + d.label; }).join('|');
      if (select.__signature === signature) return;
      select.__signature = signature;
      select.textContent = '';
      select.appendChild(el('option', { value: '', text: t('System default') }));
      devices.forEach(function (device, index) {
        if (device.deviceId === 'default' || device.deviceId === '') return;
        select.appendChild(el('option', { value: device.deviceId, text: device.label || t('Device {number}', { number: index + 1 }) }));
      });
      select.value = chosen || '';
    }
    function loadDevices() {
      var chosen = tccc.Devices.getChosen();
      tccc.Devices.getMicrophones().then(function (list) { fillDevices(micSelect, list, chosen.microphoneId); });
      tccc.Devices.getSpeakers().then(function (list) {
        fillDevices(speakerSelect, list, chosen.speakerId);
        speakerSelect.disabled = !('setSinkId' in HTMLMediaElement.prototype);
      });
    }
    micSelect.addEventListener('change', function () {
      tccc.Devices.setMicrophone(micSelect.value).then(function (answer) { env.report(answer, answer.status === 'success' ? t('Microphone switched.') : null); });
    });
    speakerSelect.addEventListener('change', function () {
      tccc.Devices.setSpeaker(speakerSelect.value).then(function (answer) { env.report(answer, answer.status === 'success' ? t('Speaker switched.') : null); });
    });
    // Devices plugged in during a call show up in the pickers.
    if (navigator.mediaDevices && navigator.mediaDevices.addEventListener) {
      navigator.mediaDevices.addEventListener('devicechange', function () { if (!callbar.hidden) loadDevices(); });
    }

    function isShown(sessionId) { var current = env.current(); return !!current && current.sessionId === sessionId; }

    return {
      node: callbar, css: CSS, render: renderCall, loadDevices: loadDevices,
      /** The call's time, every tick of the workbench's clock. */
      tick: function (now) {
        var current = env.current();
        callClock.textContent = current && current.acceptedAt && isCall(current) ? env.clock((now - current.acceptedAt) / 1000) : '';
      },
      /** The media state the SDK last reported for a call (connecting, connected, failed). */
      media: function (sessionId) { return callStates[sessionId]; },
      mediaState: function (sessionId, value) { callStates[sessionId] = value; if (isShown(sessionId)) renderCall(); },
      /** A hold: the other side's (`by: 'peer'`) is shown as such. */
      held: function (detail) { if (detail.by === 'peer') peerHeld[detail.sessionId] = detail.held; if (isShown(detail.sessionId)) renderCall(); },
      /** Digits the other side pressed. */
      digits: function (sessionId, digits) { lastDigits[sessionId] = (lastDigits[sessionId] || '') + digits; if (isShown(sessionId)) renderCall(); },
      /** The call left this agent: what was kept about it goes. */
      forget: function (sessionId) { delete callStates[sessionId]; delete peerHeld[sessionId]; delete lastDigits[sessionId]; delete sentKeys[sessionId]; }
    };
  };
})();
