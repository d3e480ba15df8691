/*
 * Switchboard workbench, part: the dial pad, for phone calls out through the server's trunk: the
 * number (spaces, dashes and brackets dropped), a keypad, and a line that follows the call it
 * placed: calling, ringing (once the carrier's early media plays), connected with its time, or how
 * it ended. Loaded by tccc.js before workbench.js, which places it in the side column and passes
 * on the SDK's events (callOuted, sessionEnded) and its clock ticks.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.dialpad-form { display: flex; gap: 6px; }',
    '.dialpad-form input { flex: 1; min-width: 0; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 8px; padding: 6px 8px; font-size: 15px;',
    '  font-variant-numeric: tabular-nums; letter-spacing: .02em; }',
    '.dialpad-form .dial-phone { background: #15803d; border-color: #15803d; color: #fff; }',
    '.dialpad-form .dial-phone:hover { background: #166534; }',
    '.dial-status { margin: 6px 0 0; font-size: 13px; color: var(--wb-ink-2, #334155); min-height: 1.2em; }',
    '.dial-status[data-tone="bad"] { color: var(--wb-danger, #b91c1c); font-weight: 600; }',
    '.dial-status[data-tone="live"] { color: var(--wb-ok-ink, #15803d); font-weight: 600; }'
  ].join('\n');

  /**
   * Creates the dial pad. `env` = {keys, sessions(), callState(sessionId), select(sessionId),
   * notify(text), clock(seconds), endStatus, buttons (workbench/button-config.js, optional)}.
   * Returns {nodes, css, render(), buttons(), callOuted(data), ended(data)}.
   */
  parts.dialPad = function (el, tccc, env) {
    var dialNumber = el('input', { type: 'tel', class: 'dial-number', 'aria-label': t('Phone number to call'), placeholder: '+49 30 1234567',
      autocomplete: 'off', inputmode: 'tel' });
    var keysToggle = el('button', { type: 'button', class: 'btn keys-toggle', 'aria-expanded': 'false', 'aria-controls': 'tccc-dial-keys', text: t('Keypad') });
    var dialPhoneButton = el('button', { type: 'submit', class: 'btn dial-phone', text: t('Call') });
    var dialKeys = el('div', { class: 'keys dial-keys', id: 'tccc-dial-keys', role: 'group', 'aria-label': t('Keypad'), hidden: true },
      env.keys.map(function (key) { return el('button', { type: 'button', 'data-key': key, 'aria-label': key === '*' ? t('star') : key === '#' ? t('hash') : key, text: key }); }));
    var dialStatus = el('p', { class: 'dial-status', role: 'status' });
    var dialpad = el('form', { class: 'dialpad-form', 'aria-label': t('Call a phone number') }, [dialNumber, keysToggle, dialPhoneButton]);

    var dialled = null;    // the phone call dialled last from this page: {sessionId, number}

    function setDialStatus(text, tone) {
      dialStatus.textContent = text || '';
      if (tone) dialStatus.setAttribute('data-tone', tone); else dialStatus.removeAttribute('data-tone');
    }

    /** The dial pad's line follows the call it placed: calling, ringing, connected, or why it failed. */
    function renderDialStatus() {
      if (!dialled || !dialled.sessionId) return;
      var session = env.sessions().filter(function (s) { return s.sessionId === dialled.sessionId; })[0];
      if (!session) return; // ended: sessionEnded set the outcome
      if (session.state === 'accepted') {
        setDialStatus(t('Connected to {number}', { number: dialled.number }) + ' ' + (session.acceptedAt ? env.clock((Date.now() - session.acceptedAt) / 1000) : ''), 'live');
      } else if (env.callState(session.sessionId) === 'connected') {
        setDialStatus(t('Ringing {number}…', { number: dialled.number }));
      } else {
        setDialStatus(t('Calling {number}…', { number: dialled.number }));
      }
    }

    keysToggle.addEventListener('click', function () {
      dialKeys.hidden = !dialKeys.hidden;
      keysToggle.setAttribute('aria-expanded', String(!dialKeys.hidden));
    });
    dialKeys.addEventListener('click', function (event) {
      var key = event.target.closest && event.target.closest('button[data-key]');
      if (!key) return;
      dialNumber.value += key.getAttribute('data-key');
    });
    dialpad.addEventListener('submit', function (event) {
      event.preventDefault();
      // People type numbers with spaces, dashes and brackets; the trunk wants digits (and a leading +).
      var number = dialNumber.value.replace(/[\s\-().\/]/g, '');
      if (!number) { dialNumber.focus(); return; }
      dialPhoneButton.disabled = true;
      dialled = { sessionId: null, number: number };
      setDialStatus(t('Calling {number}…', { number: number }));
      tccc.Call.startOutboundCall({ phoneNumber: number }).then(function (answer) {
        dialPhoneButton.disabled = false;
        if (answer.status !== 'success') {
          dialled = null;
          setDialStatus(t('Could not call {number}: {reason}', { number: number, reason: answer.errorMsg }), 'bad');
          return;
        }
        dialled.sessionId = answer.data.sessionId;
        dialled.number = answer.data.calleePhoneNumber || number;
        dialNumber.value = '';
        renderDialStatus();
        env.select(answer.data.sessionId);
      });
    });

    /** `callOuted` can come before Call.startOutboundCall's answer: the pad follows the call from there. */
    function callOuted(data) {
      if (dialled && !dialled.sessionId && data.type === 'phone') dialled.sessionId = data.sessionId;
    }

    /** `sessionEnded`: the pad's line says how the call it placed ended. */
    function ended(data) {
      if (!dialled || dialled.sessionId !== data.sessionId) return;
      var failed = data.endStatus && data.endStatus !== 'ok' && env.endStatus[data.endStatus];
      if (failed) {
        setDialStatus(env.endStatus[data.endStatus] + ' — ' + dialled.number, data.endStatus === 'callerCancel' ? null : 'bad');
        if (data.endStatus !== 'callerCancel') env.notify(env.endStatus[data.endStatus] + ': ' + dialled.number);
      } else {
        setDialStatus(t('Call with {number} ended', { number: dialled.number }) + (data.duration ? ' · ' + env.clock(data.duration) : ''));
      }
      dialled = null;
    }

    /** The page's button configuration (TCCC.overrideButtonConfig): showKeyboard is the Keypad button and its keys. */
    function applyButtons() {
      if (!env.buttons) return;
      var keyButtons = Array.prototype.slice.call(dialKeys.querySelectorAll('button'));
      env.buttons.apply('showKeyboard', { hide: [keysToggle, dialKeys], disable: [keysToggle].concat(keyButtons), label: keysToggle, text: t('Keypad') });
    }
    applyButtons();

    return { nodes: [dialpad, dialKeys, dialStatus], css: CSS, render: renderDialStatus, buttons: applyButtons, callOuted: callOuted, ended: ended };
  };
})();
