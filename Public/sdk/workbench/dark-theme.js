/*
 * Switchboard workbench, part: the dark theme, following the system (prefers-color-scheme). The
 * workbench's CSS writes each colour as var(--wb-TOKEN, light colour): the light theme is the
 * fallback, and this sheet only gives the tokens their dark values (slate, with text at 7:1 or
 * better on the surfaces and 4.5:1 for the muted greys). `color-scheme: dark` makes the browser's
 * own parts (select lists, scroll bars) dark too. Loaded by tccc.js before workbench.js.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  parts.darkThemeCss = [
    '@media (prefers-color-scheme: dark) {',
    '  .wb { color-scheme: dark;',
    '    --wb-ink: #e2e8f0; --wb-ink-2: #cbd5e1; --wb-muted: #a3b1c6; --wb-muted-2: #b8c4d4;',
    '    --wb-surface: #1e293b; --wb-surface-2: #0f172a; --wb-surface-3: #172033; --wb-surface-4: #334155;',
    '    --wb-line: #334155; --wb-line-2: #475569; --wb-line-3: #64748b;',
    '    --wb-selected: #1e3a5f; --wb-tag: #312e81; --wb-tag-ink: #e0e7ff;',
    '    --wb-warn-bg: #422006; --wb-warn-ink: #fde68a; --wb-warn-line: #713f12;',
    '    --wb-bad-bg: #450a0a; --wb-bad-ink: #fecaca; --wb-bad-line: #991b1b; --wb-danger: #fca5a5;',
    '    --wb-pending-bg: #2e1065; --wb-pending-ink: #ddd6fe; --wb-ok-ink: #86efac; --wb-link: #93c5fd; --wb-accept-off: #166534; }',
    '  .wb :focus-visible { outline-color: #60a5fa; }',
    // Boxes people type in: the darkest surface (the browser\'s own dark grey clashes with slate).
    '  :where(.wb) :where(textarea, input:not([type=checkbox]):not([type=radio]), select) { background-color: #0f172a; }',
    '}'
  ].join('\n');
})();
