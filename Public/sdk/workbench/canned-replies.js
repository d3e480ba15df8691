/*
 * Switchboard workbench, part: canned replies. Typing "/" at the start of a word in the reply box
 * opens a list of the replies whose shortcut or title matches what follows; arrow keys choose,
 * Enter or Tab inserts the text in place of "/word", Escape closes it. The "Replies" panel lists
 * every reply the agent may use (its own and its skill groups') and lets it add, change and
 * delete its own (TCCC.CannedReplies). Loaded by tccc.js before workbench.js, which places it.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.canned-list { list-style: none; margin: 0; padding: 4px; border-bottom: 1px solid var(--wb-line, #e2e8f0); max-height: 220px; overflow-y: auto;',
    '  display: flex; flex-direction: column; gap: 2px; background: var(--wb-surface, #fff); }',
    '.canned-option { padding: 6px 10px; border-radius: 8px; cursor: pointer; display: grid; grid-template-columns: auto 1fr; gap: 0 10px; }',
    '.canned-option[aria-selected="true"] { background: var(--wb-selected, #dbeafe); box-shadow: 0 0 0 1px #2563eb inset; }',
    '.canned-key { font-weight: 650; color: var(--wb-link, #1d4ed8); font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }',
    '.canned-option .canned-title { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.canned-option .canned-preview { grid-column: 1 / span 2; font-size: 12px; color: var(--wb-muted-2, #475569); overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }',
    '.canned-empty { padding: 6px 10px; font-size: 13px; color: var(--wb-muted-2, #475569); }',
    '.canned-panel { border-bottom: 1px solid var(--wb-line, #e2e8f0); padding: 10px 14px; max-height: 55vh; overflow-y: auto; display: flex; flex-direction: column; gap: 8px;',
    '  background: var(--wb-surface-2, #f8fafc); font-size: 13px; }',
    '.canned-panel-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }',
    '.canned-panel ul { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 6px; }',
    '.canned-item { background: var(--wb-surface, #fff); border: 1px solid var(--wb-line, #e2e8f0); border-radius: 8px; padding: 6px 8px; display: grid;',
    '  grid-template-columns: 1fr auto; gap: 2px 8px; align-items: center; }',
    '.canned-item .canned-owner { font-size: 11px; color: var(--wb-muted-2, #475569); }',
    '.canned-item .canned-actions { grid-row: 1 / span 2; grid-column: 2; display: flex; gap: 4px; }',
    '.canned-item .btn { padding: 2px 8px; font-size: 12px; }',
    '.canned-form { display: grid; grid-template-columns: auto 1fr; gap: 6px 8px; align-items: center; background: var(--wb-surface, #fff); border: 1px solid var(--wb-line-2, #cbd5e1);',
    '  border-radius: 8px; padding: 8px; }',
    '.canned-form input, .canned-form textarea { border: 1px solid var(--wb-line-2, #cbd5e1); border-radius: 6px; padding: 4px 6px; min-width: 0; }',
    '.canned-form textarea { resize: vertical; min-height: 56px; }',
    '.canned-form .canned-form-actions { grid-column: 1 / span 2; display: flex; gap: 6px; }',
    '.canned-form .canned-form-status { grid-column: 1 / span 2; margin: 0; color: var(--wb-danger, #b91c1c); font-weight: 600; }',
    '.canned-form .canned-form-status:empty { display: none; }'
  ].join('\n');

  var SHOWN = 8;
  // "/word" ending at the caret, at the start of the text or after a space or line break.
  var TRIGGER = /(^|\s)\/([^\s\/]*)$/;

  /**
   * Creates the picker and the panel for `input` (the reply box). `tccc` is the SDK; `notify(text)`
   * shows an error notice. Returns {picker, panel, toggle, hint, css, reload(), close()}: the
   * workbench places `picker` and `panel` above the reply box, `toggle` beside Send and `hint`
   * (a live region) anywhere.
   */
  parts.cannedReplies = function (el, tccc, input, notify) {
    var replies = [];            // as TCCC.CannedReplies.list answers them
    var loaded = false;
    var loadedAt = 0;            // when the list was last read: an admin may change shared replies
    var loading = null;
    var matches = [];
    var active = -1;
    var token = null;            // {start, end}: the "/word" the list would replace

    var picker = el('ul', { class: 'canned-list', id: 'tccc-canned-list', role: 'listbox', 'aria-label': t('Canned replies'), hidden: true });
    var hint = el('span', { class: 'sr', 'aria-live': 'polite' });
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', 'tccc-canned-list');

    function load() {
      if (loading) return loading;
      loading = tccc.CannedReplies.list().then(function (answer) {
        loading = null;
        if (answer.status !== 'success') return answer;
        replies = (answer.data && answer.data.replies) || [];
        loaded = true;
        loadedAt = Date.now();
        renderPanelList();
        if (token) update();
        return answer;
      });
      return loading;
    }

    function ownerLabel(reply) { return reply.scope === 'agent' ? t('Mine') : t('Shared · {group}', { group: reply.skillGroupId }); }

    function find(query) {
      var q = query.toLowerCase();
      var starts = [], contains = [];
      replies.forEach(function (reply) {
        if (reply.shortcut.indexOf(q) === 0) starts.push(reply);
        else if (q && (reply.shortcut.indexOf(q) >= 0 || reply.title.toLowerCase().indexOf(q) >= 0)) contains.push(reply);
      });
      return starts.concat(contains).slice(0, SHOWN);
    }

    function close() {
      token = null;
      matches = [];
      active = -1;
      picker.hidden = true;
      picker.textContent = '';
      input.removeAttribute('aria-activedescendant');
    }

    /** Reads the "/word" at the caret; opens, filters or closes the list. */
    function update() {
      var caret = input.selectionStart;
      if (caret !== input.selectionEnd) { close(); return; }
      var found = TRIGGER.exec(input.value.slice(0, caret));
      if (!found) { close(); return; }
      var query = found[2];
      var opening = !token;
      token = { start: caret - query.length - 1, end: caret };
      // Read again when the list opens and what we have is over a minute old; shown meanwhile.
      if (!loaded || (opening && Date.now() - loadedAt > 60000)) load();
      matches = find(query);
      active = matches.length ? 0 : -1;
      renderPicker(query);
    }

    function renderPicker(query) {
      picker.textContent = '';
      picker.hidden = false;
      if (!loaded) {
        picker.appendChild(el('li', { class: 'canned-empty', role: 'presentation', text: t('Loading canned replies…') }));
      } else if (!matches.length) {
        picker.appendChild(el('li', { class: 'canned-empty', role: 'presentation',
          text: replies.length ? t('No canned reply matches /{query}.', { query: query }) : t('No canned replies yet: add your own with Replies.') }));
      }
      matches.forEach(function (reply, index) {
        var option = el('li', { class: 'canned-option', role: 'option', id: 'tccc-canned-' + index, 'aria-selected': String(index === active),
          'data-shortcut': reply.shortcut }, [
          el('span', { class: 'canned-key', text: '/' + reply.shortcut }), el('span', { class: 'canned-title', text: reply.title }),
          el('span', { class: 'canned-preview', text: reply.text })
        ]);
        // mousedown, not click: the reply box keeps the focus and its caret.
        option.addEventListener('mousedown', function (event) { event.preventDefault(); insert(reply); });
        picker.appendChild(option);
      });
      if (active >= 0) input.setAttribute('aria-activedescendant', 'tccc-canned-' + active); else input.removeAttribute('aria-activedescendant');
      hint.textContent = loaded && matches.length
        ? t('Canned replies: {count}. Arrow keys choose, Enter inserts, Escape closes.', { count: matches.length }) : '';
    }

    function move(step) {
      if (!matches.length) return;
      active = (active + step + matches.length) % matches.length;
      Array.prototype.forEach.call(picker.querySelectorAll('.canned-option'), function (option, index) {
        option.setAttribute('aria-selected', String(index === active));
        if (index === active && option.scrollIntoView) option.scrollIntoView({ block: 'nearest' });
      });
      input.setAttribute('aria-activedescendant', 'tccc-canned-' + active);
    }

    function insert(reply) {
      if (!token) return;
      var before = input.value.slice(0, token.start), after = input.value.slice(token.end);
      input.value = before + reply.text + after;
      var caret = before.length + reply.text.length;
      input.setSelectionRange(caret, caret);
      close();
      hint.textContent = t('Inserted /{shortcut}.', { shortcut: reply.shortcut });
      input.focus();
      // The workbench counts characters and tells the customer the agent types on input.
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }

    // Registered in the capture phase, so these keys reach the list before the reply box's own
    // Enter-sends handler.
    input.addEventListener('keydown', function (event) {
      if (!token || event.isComposing) return;
      var handled = true;
      if (event.key === 'ArrowDown') move(1);
      else if (event.key === 'ArrowUp') move(-1);
      else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey) {
        if (active >= 0) insert(matches[active]); else if (event.key === 'Tab') { handled = false; close(); } else handled = false;
      } else if (event.key === 'Escape') close();
      else handled = false;
      if (handled) { event.preventDefault(); event.stopImmediatePropagation(); event.stopPropagation(); }
    }, true);
    input.addEventListener('input', update);
    input.addEventListener('click', update);
    input.addEventListener('blur', function () { setTimeout(function () { if (input.getRootNode().activeElement !== input) close(); }, 0); });

    // ---- the panel: every usable reply; the agent's own can be changed ----
    var toggle = el('button', { type: 'button', class: 'btn canned-toggle', 'aria-expanded': 'false', 'aria-controls': 'tccc-canned-panel', text: t('Replies') });
    var panelList = el('ul', { class: 'canned-items', 'aria-label': t('Canned replies you can use') });
    var addButton = el('button', { type: 'button', class: 'btn canned-add', text: t('New reply') });
    var formShortcut = el('input', { type: 'text', class: 'canned-shortcut', id: 'tccc-canned-shortcut', autocomplete: 'off', placeholder: '/thanks', maxlength: '33' });
    var formTitle = el('input', { type: 'text', class: 'canned-title-input', id: 'tccc-canned-title', autocomplete: 'off', maxlength: '80' });
    var formText = el('textarea', { class: 'canned-text', id: 'tccc-canned-text', rows: '3' });
    var formStatus = el('p', { class: 'canned-form-status', role: 'alert' });
    var formSave = el('button', { type: 'submit', class: 'btn primary canned-save', text: t('Save') });
    var formCancel = el('button', { type: 'button', class: 'btn canned-cancel', text: t('Cancel') });
    var form = el('form', { class: 'canned-form', 'aria-label': t('Your canned reply'), hidden: true }, [
      el('label', { for: 'tccc-canned-shortcut', text: t('Shortcut') }), formShortcut,
      el('label', { for: 'tccc-canned-title', text: t('Title') }), formTitle,
      el('label', { for: 'tccc-canned-text', text: t('Text') }), formText,
      formStatus, el('div', { class: 'canned-form-actions' }, [formSave, formCancel])
    ]);
    var panel = el('section', { class: 'canned-panel', id: 'tccc-canned-panel', 'aria-label': t('Canned replies'), hidden: true }, [
      el('div', { class: 'canned-panel-head' }, [el('strong', { text: t('Canned replies — type / in the reply box') }), addButton]),
      form, panelList
    ]);
    var editing = null;          // the id being changed, or null for a new reply

    function renderPanelList() {
      panelList.textContent = '';
      if (loaded && !replies.length) panelList.appendChild(el('li', { class: 'canned-empty', text: t('No canned replies yet.') }));
      replies.forEach(function (reply) {
        var own = reply.scope === 'agent';
        var actions = own ? el('span', { class: 'canned-actions' }, [
          el('button', { type: 'button', class: 'btn canned-edit', 'aria-label': t('Change /{shortcut}', { shortcut: reply.shortcut }), text: t('Edit'),
            onclick: function () { openForm(reply); } }),
          el('button', { type: 'button', class: 'btn danger canned-delete', 'aria-label': t('Delete /{shortcut}', { shortcut: reply.shortcut }), text: t('Delete'),
            onclick: function () { remove(reply); } })
        ]) : null;
        panelList.appendChild(el('li', { class: 'canned-item', 'data-shortcut': reply.shortcut, 'data-scope': reply.scope }, [
          el('span', {}, [el('span', { class: 'canned-key', text: '/' + reply.shortcut + ' ' }), el('span', { text: reply.title })]),
          actions,
          el('span', { class: 'canned-owner', text: ownerLabel(reply) })
        ]));
      });
    }

    function openForm(reply) {
      editing = reply ? reply.id : null;
      formShortcut.value = reply ? '/' + reply.shortcut : '';
      formTitle.value = reply ? reply.title : '';
      formText.value = reply ? reply.text : input.value.trim();
      formStatus.textContent = '';
      form.hidden = false;
      formShortcut.focus();
    }

    function closeForm() { form.hidden = true; editing = null; addButton.focus(); }

    function remove(reply) {
      tccc.CannedReplies['delete']({ id: reply.id }).then(function (answer) {
        if (answer.status !== 'success') { notify(t('Not deleted: {reason}', { reason: answer.errorMsg })); return; }
        hint.textContent = t('Deleted /{shortcut}.', { shortcut: reply.shortcut });
        load().then(function () { addButton.focus(); });
      });
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var reply = { shortcut: formShortcut.value.trim(), title: formTitle.value, text: formText.value };
      if (editing) reply.id = editing;
      var missing = !reply.shortcut ? formShortcut : !reply.title.trim() ? formTitle : !reply.text.trim() ? formText : null;
      if (missing) { formStatus.textContent = t('Fill in the shortcut, the title and the text.'); missing.focus(); return; }
      formSave.disabled = true;
      tccc.CannedReplies.save(reply).then(function (answer) {
        formSave.disabled = false;
        // The server says what is wrong (a taken shortcut, a length); what was typed stays.
        if (answer.status !== 'success') { formStatus.textContent = answer.errorMsg; return; }
        hint.textContent = t('Saved /{shortcut}.', { shortcut: answer.data.shortcut });
        form.hidden = true;
        editing = null;
        load().then(function () { addButton.focus(); });
      });
    });
    formCancel.addEventListener('click', closeForm);
    form.addEventListener('keydown', function (event) { if (event.key === 'Escape') { event.stopPropagation(); closeForm(); } });
    addButton.addEventListener('click', function () { openForm(null); });
    toggle.addEventListener('click', function () {
      panel.hidden = !panel.hidden;
      toggle.setAttribute('aria-expanded', String(!panel.hidden));
      if (!panel.hidden) { load(); addButton.focus(); } else { input.focus(); }
    });

    return {
      picker: picker, panel: panel, toggle: toggle, hint: hint, css: CSS,
      /** Reads the list again (after a reconnect: an admin may have changed the shared replies). */
      reload: function () { if (loaded) load(); },
      /** Closes the list (the session shown changed). */
      close: close
    };
  };
})();
