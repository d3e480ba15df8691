/*
 * Switchboard: the IVR menu of a web call, for the chat widget. A voice call started with
 * data-ivr-flow walks the flow before it queues; the server sends each prompt as an `ivrPrompt`
 * frame (its audio's URL and words) and this part plays it, shows the words, and offers a keypad
 * whose keys (and the keyboard's 0-9, *, #) go back as `digit` frames. Loaded with call-media.js.
 *
 * window.SwitchboardIVRMenu.create({el, server, send}) returns {node, css, prompt(frame), stop(),
 * close(), handleKey(event)}: `el` is the widget's element builder, `server` its origin, `send`
 * what sends a frame on the call's socket.
 */
(function () {
  'use strict';
  // The page's language (i18n/i18n.js, which the widget loads first); English without it.
  function t(text, params) {
    if (window.SwitchboardI18n) return window.SwitchboardI18n.t(text, params);
    return text.replace(/\{(\w+)\}/g, function (all, name) { return params && name in params ? String(params[name]) : all; });
  }

  var KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
  var NAMES = { '*': t('star'), '#': t('hash') };
  var CSS = [
    '.ivr-menu { display: flex; flex-direction: column; gap: 10px; align-items: center; }',
    '.ivr-menu[hidden] { display: none; }',
    '.ivr-words { margin: 0; font-size: 14px; color: var(--sb-ink-2, #334155); min-height: 20px; }',
    '.ivr-keys { display: grid; grid-template-columns: repeat(3, 56px); gap: 8px; }',
    '.ivr-keys button { height: 44px; border-radius: 10px; border: 1px solid var(--sb-line-2, #cbd5e1); background: var(--sb-surface, #fff); color: var(--sb-ink, #0f172a);',
    '  font-size: 18px; font-weight: 650; cursor: pointer; }',
    '.ivr-keys button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }',
    '.ivr-pressed { margin: 0; font-size: 13px; color: var(--sb-muted-2, #475569); min-height: 18px; font-variant-numeric: tabular-nums; }'
  ].join('\n');

  function create(options) {
    var el = options.el;
    var words = el('p', { class: 'ivr-words', 'aria-live': 'polite' });
    var pressed = el('p', { class: 'ivr-pressed', 'aria-live': 'polite' });
    var keys = el('div', { class: 'ivr-keys', role: 'group', 'aria-label': t('Keypad') }, KEYS.map(function (key) {
      return el('button', { type: 'button', 'data-key': key, 'aria-label': NAMES[key] || key, text: key });
    }));
    var node = el('div', { class: 'ivr-menu', hidden: true }, [words, keys, pressed]);
    var audio = null;
    var typed = '';

    keys.addEventListener('click', function (event) {
      var button = event.target.closest ? event.target.closest('button[data-key]') : null;
      if (button) press(button.getAttribute('data-key'));
    });

    function press(key) {
      // A key interrupts the prompt at once, as a phone menu does (the server says ivrStop too).
      stop();
      typed = (typed + key).slice(-12);
      pressed.textContent = t('You pressed {digits}', { digits: typed });
      options.send({ v: 1, type: 'digit', digit: key });
    }

    /** Plays an `ivrPrompt` frame's audio and shows its words. */
    function prompt(frame) {
      stop();
      node.hidden = false;
      words.textContent = frame.text || '';
      // No url: the server could not make the audio; the words are all there is.
      if (!frame.url) return;
      audio = new Audio(new URL(frame.url, options.server).href);
      // Allowed: the person clicked Call a moment ago. If a browser still refuses, the words show.
      audio.play().catch(function () { /* the words are on screen */ });
    }

    function stop() {
      if (audio) { audio.pause(); audio = null; }
    }

    /** The menu is over (queued or ended). */
    function close() {
      stop();
      node.hidden = true;
      typed = '';
      pressed.textContent = '';
    }

    /** Keyboard digits while the menu shows; true when the key was used. */
    function handleKey(event) {
      if (node.hidden || event.altKey || event.ctrlKey || event.metaKey || KEYS.indexOf(event.key) < 0) return false;
      press(event.key);
      return true;
    }

    return { node: node, css: CSS, prompt: prompt, stop: stop, close: close, handleKey: handleKey };
  }

  window.SwitchboardIVRMenu = { create: create };
})();
