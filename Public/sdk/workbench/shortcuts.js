/*
 * Switchboard workbench, part: keyboard shortcuts for what an agent does all day, from anywhere in
 * the page (the reply box included). Alt+Shift with a letter, because plain Alt+letters open the
 * browser's own menus and Ctrl+letters are the editor's:
 *   Alt+Shift+A  accept the first ringing offer
 *   Alt+Shift+N  next session in My sessions (wraps round)
 *   Alt+Shift+T  open (or close) Transfer for the open session
 *   Alt+Shift+E  end the open session (its End button, so calls hang up as a click would)
 * A key whose action has nothing to act on (no offer ringing, no session open) is left to the page.
 * The buttons say so too (`aria-keyshortcuts`, and the key in their tooltip). Loaded by tccc.js
 * before workbench.js, which supplies the actions.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  var KEYS = { KeyA: 'accept', KeyN: 'next', KeyT: 'transfer', KeyE: 'end' };
  var NAMES = { accept: 'Alt+Shift+A', next: 'Alt+Shift+N', transfer: 'Alt+Shift+T', end: 'Alt+Shift+E' };

  /**
   * `actions`: {accept, next, transfer, end}, each doing its work and returning whether there was
   * something to act on. Returns {keyFor(action), label(button, action), handle(event)}.
   */
  parts.shortcuts = function (actions) {
    function keyFor(action) { return NAMES[action]; }
    return {
      keyFor: keyFor,
      /** Names the shortcut on a button, for screen readers and as its tooltip. */
      label: function (button, action) {
        button.setAttribute('aria-keyshortcuts', keyFor(action));
        button.title = (button.getAttribute('aria-label') || button.textContent) + ' (' + keyFor(action) + ')';
      },
      /** True when the key was a shortcut that acted (the event is then consumed). */
      handle: function (event) {
        if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey || event.repeat) return false;
        var action = KEYS[event.code];
        if (!action || !actions[action]()) return false;
        event.preventDefault();
        event.stopPropagation();
        return true;
      }
    };
  };
})();
