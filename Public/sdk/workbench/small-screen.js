/*
 * Switchboard workbench, part: the layout on a phone. workbench.js makes the page one column
 * (.compact: the lists, or the conversation with a Back button) below 720 px; this sheet makes the
 * rows of buttons wrap instead of pushing the page sideways below 480 px: the conversation's
 * buttons go under its title, and the reply box takes a row of its own above its buttons.
 * Loaded by tccc.js before workbench.js.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  parts.smallScreenCss = [
    '.wb.compact .chat-head { flex-wrap: wrap; }',
    '.wb.compact .chat-head .title { min-width: 0; flex: 1 1 calc(100% - 64px); }',
    '@media (max-width: 480px) {',
    '  .wb[data-layout="floating"] .panel { right: 8px; }',
    '  .chat-head .btn { padding: 6px 10px; }',
    '  .composer { flex-wrap: wrap; justify-content: flex-end; }',
    '  .composer textarea { flex: 1 1 100%; min-width: 0; }',
    '  .top { padding: 10px 12px; }',
    '  .side { padding: 10px; }',
    '  .dialer, .dialpad-form { flex-wrap: wrap; }',
    '  .dialer .dial-target, .dialpad-form .dial-number { flex: 1 1 8em; }',
    '  .msg { max-width: 90%; }',
    '}'
  ].join('\n');
})();
