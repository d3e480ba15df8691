/*
 * Switchboard workbench, part: wrap-up. When a session this agent held ends, a form asks for one
 * of the skill group's disposition codes and a note (TCCC.Chat.getWrapUp / Chat.wrapUp), saved
 * with the session's record. Sessions that end while one is open wait in line; "Later" puts one
 * aside for this page's life. Loaded by tccc.js before workbench.js, which places the form.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.wrap-up { padding: 16px; display: flex; flex-direction: column; gap: 10px; background: var(--wb-warn-bg, #fffbeb); border-bottom: 1px solid var(--wb-warn-line, #fde68a); }',
    '.wrap-up h3 { margin: 0; font-size: 15px; }',
    '.wrap-up .wrap-up-meta { margin: 0; font-size: 12px; color: var(--wb-warn-ink, #78350f); }',
    '.wrap-up label { display: flex; flex-direction: column; gap: 4px; font-weight: 600; font-size: 13px; max-width: 640px; }',
    '.wrap-up select, .wrap-up textarea { font-weight: 400; border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 8px; padding: 6px 8px; background: var(--wb-surface, #fff); }',
    '.wrap-up textarea { resize: vertical; min-height: 70px; }',
    '.wrap-up .wrap-up-count { font-weight: 400; font-size: 12px; color: var(--wb-muted-2, #475569); text-align: right; font-variant-numeric: tabular-nums; }',
    '.wrap-up .wrap-up-count.over { color: var(--wb-danger, #b91c1c); font-weight: 650; }',
    '.wrap-up .wrap-up-error { margin: 0; color: var(--wb-danger, #b91c1c); font-weight: 600; font-size: 13px; }',
    '.wrap-up .wrap-up-error:empty { display: none; }',
    '.wrap-up .wrap-up-actions { display: flex; gap: 8px; flex-wrap: wrap; }',
    '.wrap-up .wrap-up-waiting { font-size: 12px; color: var(--wb-warn-ink, #78350f); }'
  ].join('\n');

  /**
   * Creates the form. `describe(session)` names a session for people ("chat with Ann").
   * Returns {node, css, ended(session), pending()}: the workbench places `node` at the top of its
   * main area and calls `ended` with the history record of each session this agent held.
   */
  parts.wrapUp = function (el, tccc, describe) {
    var queue = [];              // history records of sessions to wrap up, oldest first
    var current = null;          // {session} being shown
    var handled = {};            // sessionId -> true once saved or put aside: a replayed end asks nothing
    var limit = 2000;

    var title = el('h3', { id: 'tccc-wrap-up-title' });
    var meta = el('p', { class: 'wrap-up-meta' });
    var code = el('select', { class: 'wrap-up-code', id: 'tccc-wrap-up-code' });
    var codeLabel = el('label', { for: 'tccc-wrap-up-code' }, [t('Disposition'), code]);
    var note = el('textarea', { class: 'wrap-up-note', id: 'tccc-wrap-up-note', rows: '3', 'aria-describedby': 'tccc-wrap-up-count' });
    var count = el('span', { class: 'wrap-up-count', id: 'tccc-wrap-up-count' });
    var error = el('p', { class: 'wrap-up-error', role: 'alert' });
    var save = el('button', { type: 'submit', class: 'btn primary wrap-up-save', text: t('Save wrap-up') });
    var later = el('button', { type: 'button', class: 'btn wrap-up-later', text: t('Later') });
    var waiting = el('span', { class: 'wrap-up-waiting', 'aria-live': 'polite' });
    var node = el('form', { class: 'wrap-up', 'aria-labelledby': 'tccc-wrap-up-title', hidden: true }, [
      title, meta, codeLabel, el('label', { for: 'tccc-wrap-up-note' }, [t('Note'), note, count]), error,
      el('div', { class: 'wrap-up-actions' }, [save, later, waiting])
    ]);

    function characters(text) { return Array.from(text || '').length; }

    function renderCount() {
      var used = characters(note.value);
      count.textContent = used.toLocaleString('en-US') + ' / ' + limit.toLocaleString('en-US');
      count.className = 'wrap-up-count' + (used > limit ? ' over' : '');
    }

    function show() {
      if (current || !queue.length) {
        node.hidden = !current;
        waiting.textContent = queue.length ? t('{count} more to wrap up', { count: queue.length }) : '';
        return;
      }
      var session = queue.shift();
      current = { session: session };
      title.textContent = t('Wrap up: {what}', { what: describe(session) });
      meta.textContent = t('Loading the disposition codes…');
      code.textContent = '';
      codeLabel.hidden = true;
      note.value = '';
      error.textContent = '';
      save.disabled = true;
      renderCount();
      node.hidden = false;
      waiting.textContent = queue.length ? t('{count} more to wrap up', { count: queue.length }) : '';
      tccc.Chat.getWrapUp({ sessionId: session.sessionId }).then(function (answer) {
        if (!current || current.session !== session) return;
        save.disabled = false;
        if (answer.status !== 'success') { meta.textContent = ''; error.textContent = answer.errorMsg; return; }
        var form = answer.data;
        limit = form.maximumNoteLength || limit;
        meta.textContent = t('Skill group {group} · session {session}', { group: form.skillGroupId, session: session.sessionId });
        codeLabel.hidden = !form.dispositionCodes.length;
        code.appendChild(el('option', { value: '', text: t('Choose…') }));
        form.dispositionCodes.forEach(function (value) { code.appendChild(el('option', { value: value, text: value })); });
        if (form.saved) { code.value = form.saved.dispositionCode || ''; note.value = form.saved.note || ''; }
        renderCount();
        (form.dispositionCodes.length ? code : note).focus();
      });
    }

    function next() {
      if (current) handled[current.session.sessionId] = true;
      current = null;
      node.hidden = true;
      show();
    }

    note.addEventListener('input', renderCount);
    // A complaint about the code goes once the agent picks one.
    code.addEventListener('change', function () { error.textContent = ''; });
    node.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!current) return;
      var session = current.session;
      var request = { sessionId: session.sessionId };
      if (code.value) request.dispositionCode = code.value;
      if (note.value.trim()) request.note = note.value;
      if (!codeLabel.hidden && !code.value) { error.textContent = t('Choose a disposition.'); code.focus(); return; }
      if (characters(note.value) > limit) { error.textContent = t('The note is too long: at most {limit} characters.', { limit: limit }); note.focus(); return; }
      save.disabled = true;
      tccc.Chat.wrapUp(request).then(function (answer) {
        save.disabled = false;
        if (!current || current.session !== session) return;
        // The server's reason, with what was typed kept.
        if (answer.status !== 'success') { error.textContent = answer.errorMsg; return; }
        waiting.textContent = t('Wrap-up of {what} saved.', { what: describe(session) });
        next();
      });
    });
    later.addEventListener('click', next);

    return {
      node: node, css: CSS,
      /** A session this agent held has ended: ask for its wrap-up (now, or after the open one). */
      ended: function (session) {
        if (handled[session.sessionId]) return;
        if (current && current.session.sessionId === session.sessionId) return;
        if (queue.some(function (s) { return s.sessionId === session.sessionId; })) return;
        queue.push(session);
        show();
      },
      /** Whether a wrap-up form is open. */
      open: function () { return !!current; }
    };
  };
})();
