/*
 * Switchboard workbench, part: the transfer form, whom to hand the open session to: the skill
 * groups (with how many wait and how many are online) and the agents (with their status; one who
 * cannot take the session now is shown disabled, saying why), from Agent.getTransferTargets or the
 * page's `transferTargets` option. A refused transfer shows the list as it is now, with the reason.
 * Loaded by tccc.js before workbench.js, which places it under the conversation's head.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  var CSS = [
    '.transfer { flex: none; max-height: 60%; overflow-y: auto; padding: 10px 14px; background: var(--wb-surface-2, #f8fafc); border-bottom: 1px solid var(--wb-line, #e2e8f0);',
    '  display: flex; flex-direction: column; gap: 8px; }',
    '.transfer-head { display: flex; align-items: center; justify-content: space-between; gap: 8px; }',
    '.transfer fieldset { border: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 4px; font-size: 13px; min-width: 0; }',
    '.transfer legend { padding: 0; margin-bottom: 4px; font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em; color: var(--wb-muted-2, #475569); }',
    '.transfer-option { background: var(--wb-surface, #fff); border: 1px solid var(--wb-line, #e2e8f0); border-radius: 8px; padding: 6px 8px; }',
    '.transfer-option:has(input:checked) { border-color: #2563eb; background: var(--wb-selected, #eff6ff); }',
    '.transfer-option label { display: flex; align-items: center; gap: 8px; cursor: pointer; }',
    '.transfer-option .target-name { flex: 1; min-width: 0; font-weight: 600; overflow-wrap: anywhere; }',
    '.transfer-option .target-detail { color: var(--wb-muted-2, #475569); font-size: 12px; white-space: nowrap; }',
    '.transfer-option.unavailable { background: var(--wb-surface-3, #f1f5f9); color: var(--wb-muted, #586679); }',
    '.transfer-option.unavailable label { cursor: default; }',
    '.transfer-option .target-why { display: block; margin: 2px 0 0 29px; font-size: 12px; color: var(--wb-warn-ink, #92400e); }',
    '.transfer-status { margin: 0; font-size: 13px; color: var(--wb-ink-2, #334155); }',
    '.transfer-status:empty { display: none; }',
    '.transfer-status[data-tone="bad"] { color: var(--wb-danger, #b91c1c); font-weight: 600; }',
    '.transfer-actions { display: flex; gap: 8px; }',
    '.transfer fieldset:disabled { opacity: .55; }',
    '.transfer fieldset:disabled label { cursor: default; }'
  ].join('\n');

  /**
   * Creates the form. `toggle` is the conversation's Transfer button (it opens and closes the
   * form); `env` = {report(answer, okText), statusLabel(status), userId(), selected(), configured,
   * buttons (workbench/button-config.js, optional)}.
   * Returns {node, css, isOpen(), openFor(), close()}.
   */
  parts.transferForm = function (el, tccc, toggle, env) {
    // The transfer form: whom to hand the session to, picked from Agent.getTransferTargets.
    var transferRefresh = el('button', { type: 'button', class: 'btn transfer-refresh', text: t('Refresh') });
    var transferStatus = el('p', { class: 'transfer-status', role: 'status' });
    var transferGroups = el('div', { class: 'transfer-groups' });
    var transferAgents = el('div', { class: 'transfer-agents' });
    // The two kinds of target, each hidden, disabled or renamed by TCCC.overrideButtonConfig
    // (transferSkillGroup, transferSeat; workbench/button-config.js).
    var groupsLegend = el('legend', { text: t('Skill groups') });
    var agentsLegend = el('legend', { text: t('Agents') });
    var groupsSet = el('fieldset', { class: 'transfer-group-choices' }, [groupsLegend, transferGroups]);
    var agentsSet = el('fieldset', { class: 'transfer-agent-choices' }, [agentsLegend, transferAgents]);
    var transferSubmit = el('button', { type: 'submit', class: 'btn primary transfer-submit', text: t('Transfer'), disabled: true });
    var transferCancel = el('button', { type: 'button', class: 'btn transfer-cancel', text: t('Cancel') });
    var transferForm = el('form', { class: 'transfer', id: 'tccc-transfer', hidden: true, 'aria-label': t('Transfer this session') }, [
      el('div', { class: 'transfer-head' }, [el('strong', { text: t('Transfer to') }), transferRefresh]),
      transferStatus,
      groupsSet,
      agentsSet,
      el('div', { class: 'transfer-actions' }, [transferSubmit, transferCancel])
    ]);

    var transferFor = null;  // the session the transfer form is open for
    var transferLoads = 0;   // numbers each load, so an answer to an older one is dropped

    function setTransferStatus(text, tone) {
      transferStatus.textContent = text || '';
      if (tone) transferStatus.setAttribute('data-tone', tone); else transferStatus.removeAttribute('data-tone');
    }

    function transferRadios() { return Array.prototype.slice.call(transferForm.querySelectorAll('input[name="tccc-transfer-target"]')); }

    /** A target that can be picked: not unavailable, and its kind neither disabled nor hidden by the page. */
    function pickable(radio) { return !radio.matches(':disabled') && !radio.closest('.button-off'); }

    /** The page's button configuration on the two kinds of target. */
    function applyButtons() {
      if (!env.buttons) return;
      env.buttons.apply('transferSkillGroup', { hide: [groupsSet], disable: [groupsSet], label: groupsLegend, text: t('Skill groups') });
      env.buttons.apply('transferSeat', { hide: [agentsSet], disable: [agentsSet], label: agentsLegend, text: t('Agents') });
      updateTransferSubmit();
    }

    function chosenTarget() {
      var input = transferRadios().filter(function (radio) { return radio.checked && pickable(radio); })[0];
      return input ? { kind: input.getAttribute('data-kind'), id: input.getAttribute('data-id'), name: input.getAttribute('data-name') } : null;
    }

    function updateTransferSubmit() { transferSubmit.disabled = !chosenTarget(); }

    /** One pickable target: a radio with the name and its details; an unavailable one is disabled and says why. */
    function transferOption(kind, id, name, detail, why, index) {
      var radio = el('input', { type: 'radio', name: 'tccc-transfer-target', 'data-kind': kind, 'data-id': id, 'data-name': name, disabled: !!why });
      var whyId = 'tccc-transfer-why-' + index;
      if (why) radio.setAttribute('aria-describedby', whyId);
      return el('div', { class: 'transfer-option' + (why ? ' unavailable' : ''), 'data-kind': kind, 'data-id': id }, [
        el('label', {}, [radio, el('span', { class: 'target-name', text: name }), detail ? el('span', { class: 'target-detail', text: detail }) : null]),
        why ? el('span', { class: 'target-why', id: whyId, text: why }) : null
      ]);
    }

    /** The host page's `transferTargets` option, in the shape of Agent.getTransferTargets' data. */
    function configuredTargets(configured) {
      function entries(list, key) {
        return (list || []).map(function (item) {
          var id = typeof item === 'string' ? item : item && (item[key] || item.id);
          return id ? { id: String(id), name: typeof item === 'string' ? String(id) : String(item.name || id) } : null;
        }).filter(Boolean);
      }
      return {
        skillGroups: entries(configured.skillGroups, 'skillGroupId').map(function (g) { return { skillGroupId: g.id, name: g.name }; }),
        agents: entries(configured.agents, 'userId').filter(function (a) { return a.id !== env.userId(); })
          .map(function (a) { return { userId: a.id, name: a.name }; })
      };
    }

    function renderTransferTargets(data, focusList) {
      var previous = chosenTarget();
      transferGroups.textContent = '';
      transferAgents.textContent = '';
      var index = 0;
      (data.skillGroups || []).forEach(function (group) {
        var detail = typeof group.waiting === 'number'
          ? t('{count} waiting', { count: group.waiting }) + (typeof group.membersOnline === 'number' ? ' · ' + t('{count} online', { count: group.membersOnline }) : '') : '';
        transferGroups.appendChild(transferOption('group', group.skillGroupId, group.name || group.skillGroupId, detail, null, index++));
      });
      (data.agents || []).forEach(function (agent) {
        var detail = agent.status ? env.statusLabel(agent.status) + (agent.connected === false ? ' · ' + t('disconnected') : '') : '';
        var why = agent.available === false ? (agent.why || t('cannot take this session now')) : null;
        transferAgents.appendChild(transferOption('agent', agent.userId, agent.name || agent.userId, detail, why, index++));
      });
      if (!transferGroups.children.length) transferGroups.appendChild(el('p', { class: 'empty', text: t('No skill groups.') }));
      if (!transferAgents.children.length) transferAgents.appendChild(el('p', { class: 'empty', text: t('No other agent is online.') }));
      var radios = transferRadios();
      if (previous) {
        radios.forEach(function (radio) {
          if (pickable(radio) && radio.getAttribute('data-kind') === previous.kind && radio.getAttribute('data-id') === previous.id) radio.checked = true;
        });
      }
      updateTransferSubmit();
      if (focusList) {
        var first = radios.filter(function (radio) { return radio.checked && pickable(radio); })[0] || radios.filter(pickable)[0];
        (first || transferRefresh).focus();
      }
    }

    /** Fills the form for the session it is open for; `note` stays shown once the list is in. */
    function loadTransferTargets(focusList, note) {
      if (env.configured) {
        renderTransferTargets(configuredTargets(env.configured), focusList);
        setTransferStatus(note, note ? 'bad' : null);
        return;
      }
      var sessionId = transferFor;
      var load = ++transferLoads;
      transferRefresh.disabled = true;
      setTransferStatus(transferRadios().length ? t('Refreshing…') : t('Loading who can take this session…'));
      tccc.Agent.getTransferTargets({ sessionId: sessionId }).then(function (answer) {
        if (load !== transferLoads || transferForm.hidden || transferFor !== sessionId) return;
        transferRefresh.disabled = false;
        if (answer.status !== 'success') {
          transferGroups.textContent = '';
          transferAgents.textContent = '';
          updateTransferSubmit();
          setTransferStatus(t('Could not load whom you can transfer to: {reason}', { reason: answer.errorMsg }), 'bad');
          if (focusList) transferRefresh.focus();
          return;
        }
        renderTransferTargets(answer.data, focusList);
        setTransferStatus(note, note ? 'bad' : null);
      });
    }

    function openTransfer() {
      transferFor = env.selected();
      applyButtons();
      transferForm.hidden = false;
      toggle.setAttribute('aria-expanded', 'true');
      transferGroups.textContent = '';
      transferAgents.textContent = '';
      updateTransferSubmit();
      transferRefresh.hidden = !!env.configured;
      transferRefresh.focus();
      loadTransferTargets(true);
    }

    function closeTransfer() {
      transferLoads += 1;
      transferFor = null;
      transferForm.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    }

    toggle.addEventListener('click', function () {
      if (!transferForm.hidden) { closeTransfer(); return; }
      openTransfer();
    });
    transferRefresh.addEventListener('click', function () { loadTransferTargets(false); });
    transferForm.addEventListener('change', updateTransferSubmit);
    transferCancel.addEventListener('click', function () { closeTransfer(); toggle.focus(); });
    transferForm.addEventListener('submit', function (event) {
      event.preventDefault();
      var target = chosenTarget();
      var sessionId = transferFor;
      if (!target || !sessionId) { setTransferStatus(t('Pick a skill group or an agent first.'), 'bad'); return; }
      var call = { sessionId: sessionId };
      if (target.kind === 'group') call.skillGroupId = target.id; else call.userId = target.id;
      transferSubmit.disabled = true;
      tccc.Chat.transfer(call).then(function (answer) {
        if (answer.status === 'success') {
          env.report(answer, t(target.kind === 'group' ? 'Transferred to the group {name}.' : 'Transferred to {name}.', { name: target.name }));
          if (transferFor === sessionId) closeTransfer();
          return;
        }
        // Whoever was free a moment ago may not be now: show the list as it is, with the reason.
        if (transferFor === sessionId) loadTransferTargets(false, t('Not transferred: {reason}', { reason: answer.errorMsg }));
        else env.report(answer);
      });
    });

    applyButtons();

    return {
      node: transferForm, css: CSS,
      /** The page changed the button configuration. */
      buttons: applyButtons,
      isOpen: function () { return !transferForm.hidden; },
      /** The session the form is open for, or null. */
      openFor: function () { return transferFor; },
      close: closeTransfer
    };
  };
})();
