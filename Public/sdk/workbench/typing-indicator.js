/*
 * Switchboard workbench, part: "Ann is typing…" under the conversation while the customer of the
 * open chat types (the server relays the widget's typing signal; nothing is stored). It clears
 * 5 seconds after the last signal, or at once when the customer's message arrives. Loaded by
 * tccc.js before workbench.js, which places it above the reply box.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = '.typing-line { margin: 0; padding: 2px 14px 4px; min-height: 1.4em; font-size: 12px; color: var(--wb-muted-2, #475569); font-style: italic; background: var(--wb-surface, #fff); }';
  // The widget signals at most every 3 s while its customer types; 5 s without one means stopped.
  var CLEAR_AFTER_MS = 5000;

  /**
   * Creates the line. `changed()` runs whenever who is typing changes (the workbench marks its
   * session list). Returns {node, css, typing(sessionId, name), stopped(sessionId), show(sessionId),
   * isTyping(sessionId)}.
   */
  parts.typingIndicator = function (el, changed) {
    var node = el('p', { class: 'typing-line', 'aria-live': 'polite' });
    var typingNow = {};          // sessionId -> {name, timer}
    var shown = null;

    function render() {
      var entry = shown && typingNow[shown];
      node.textContent = entry ? t('{name} is typing…', { name: entry.name }) : '';
    }

    function stopped(sessionId) {
      var entry = typingNow[sessionId];
      if (!entry) return;
      clearTimeout(entry.timer);
      delete typingNow[sessionId];
      render();
      if (changed) changed();
    }

    return {
      node: node, css: CSS,
      /** The customer of `sessionId` typed just now. */
      typing: function (sessionId, name) {
        var fresh = !typingNow[sessionId];
        var entry = typingNow[sessionId] || (typingNow[sessionId] = {});
        entry.name = name;
        clearTimeout(entry.timer);
        entry.timer = setTimeout(function () { stopped(sessionId); }, CLEAR_AFTER_MS);
        render();
        if (fresh && changed) changed();
      },
      /** Whether the customer of `sessionId` is typing now. */
      isTyping: function (sessionId) { return !!typingNow[sessionId]; },
      /** The customer's message arrived, or the session left this agent. */
      stopped: stopped,
      /** The conversation on screen changed. */
      show: function (sessionId) { shown = sessionId; render(); }
    };
  };
})();
