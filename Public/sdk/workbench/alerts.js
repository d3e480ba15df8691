/*
 * Switchboard workbench, part: alerts for the agent. A sound for each new offer, made with
 * WebAudio (no audio files): a two-note chime for a chat, a phone-like ring repeating while a call
 * rings; a desktop notification while the tab is hidden; the count of ringing offers and unread
 * chats in the tab title, "(3) ...". Loaded by tccc.js before workbench.js, which drives it.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CALL_TYPES = { phone: true, voip: true, video: true, internal: true };
  var RING_EVERY_MS = 3000;
  var TITLE_COUNT = /^\(\d+\) /;

  /**
   * Creates the alerts. `describe(session)` names an offer for people ("chat from Ann").
   * Returns {offered(session), ringingNow(sessionIds), counts(ringing, unread), askPermission(), sound(on)}.
   */
  parts.alerts = function (describe) {
    var audio = null;                 // the AudioContext, made on first use
    var soundOn = true;
    var ringingCalls = {};            // sessionId -> true while a call offer rings
    var ringTimer = null;

    function context() {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return null;
      if (!audio) {
        try { audio = new Context(); } catch (error) { return null; }
      }
      // Browsers start audio only after the person has used the page; any click resumes it.
      if (audio.state === 'suspended' && audio.resume) audio.resume().catch(function () {});
      return audio;
    }

    /** One note: `frequencies` sounding together from `at` for `length` seconds, softly faded. */
    function tone(ctx, frequencies, at, length, volume) {
      var gain = ctx.createGain();
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(volume, at + 0.02);
      gain.gain.setValueAtTime(volume, at + Math.max(0.03, length - 0.05));
      gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
      gain.connect(ctx.destination);
      frequencies.forEach(function (frequency) {
        var oscillator = ctx.createOscillator();
        oscillator.type = 'sine';
        oscillator.frequency.value = frequency;
        oscillator.connect(gain);
        oscillator.start(at);
        oscillator.stop(at + length + 0.02);
      });
    }

    function chime() {
      var ctx = soundOn && context();
      if (!ctx) return;
      var now = ctx.currentTime;
      tone(ctx, [1318.5], now, 0.14, 0.18);        // E6
      tone(ctx, [880], now + 0.16, 0.22, 0.18);    // A5
    }

    function ring() {
      var ctx = soundOn && context();
      if (!ctx) return;
      var now = ctx.currentTime;
      // The North American ring: 440 Hz and 480 Hz together, two bursts.
      tone(ctx, [440, 480], now, 0.4, 0.12);
      tone(ctx, [440, 480], now + 0.6, 0.4, 0.12);
    }

    function updateRinging() {
      var any = Object.keys(ringingCalls).length > 0;
      if (any && !ringTimer) ringTimer = setInterval(ring, RING_EVERY_MS);
      if (!any && ringTimer) { clearInterval(ringTimer); ringTimer = null; }
    }

    function notify(session) {
      if (!document.hidden || !('Notification' in window) || Notification.permission !== 'granted') return;
      try {
        var note = new Notification(t('Incoming {what}', { what: describe(session) }), {
          body: t('Open the workbench to accept.'), tag: 'switchboard-' + session.sessionId, silent: true
        });
        note.onclick = function () { window.focus(); note.close(); };
      } catch (error) { /* some browsers allow notifications only from a service worker */ }
    }

    return {
      /** A new offer: its sound, and a notification when the tab is hidden. */
      offered: function (session) {
        if (CALL_TYPES[session.type]) {
          ringingCalls[session.sessionId] = true;
          ring();
          updateRinging();
        } else {
          chime();
        }
        notify(session);
      },
      /** The offers ringing now: calls that stopped ringing (accepted, ended, moved on) go quiet. */
      ringingNow: function (sessionIds) {
        Object.keys(ringingCalls).forEach(function (id) { if (sessionIds.indexOf(id) < 0) delete ringingCalls[id]; });
        updateRinging();
      },
      /** The tab title says how many offers ring and chats are unread. */
      counts: function (ringing, unread) {
        var total = ringing + unread;
        var base = document.title.replace(TITLE_COUNT, '');
        var next = total > 0 ? '(' + total + ') ' + base : base;
        if (document.title !== next) document.title = next;
      },
      /** Asks for desktop notifications; call it from a click (browsers require one). */
      askPermission: function () {
        context();
        if ('Notification' in window && Notification.permission === 'default' && Notification.requestPermission) {
          try { Notification.requestPermission(); } catch (error) { /* old callback-only API: ignore */ }
        }
      },
      /** Sounds on or off. */
      sound: function (on) { soundOn = !!on; if (!on) { ringingCalls = {}; updateRinging(); } }
    };
  };
})();
