// The supervisor page's "Assign" action on a session waiting in a queue
// (POST /api/v1/sessions/{id}/assign, docs/routing.md): a dialog lists the agents who could take
// it now (online and connected, free or busy, no status change pending; the server checks their
// room), and the one chosen is rung at once, out of the queue's order. The server judges; its
// message is shown as it is.
//
// window.SupervisorAssign.create({ api, el, handled, onAssigned }) returns
// { setAgents(statusBoard), button(session) }: setAgents takes each refresh's
// /api/v1/status-board, button makes a waiting session's row action.
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  function create(page) {
    var el = page.el;
    var agents = [];
    var session = null;
    var select = el('select', { id: 'assign-agent', required: 'required' });
    var what = el('p', { class: 'muted' });
    var none = el('p', { class: 'muted', hidden: 'hidden', text: t('No agent can take it now: nobody is online, connected and free or busy.') });
    var error = el('p', { class: 'error', role: 'alert', hidden: 'hidden' });
    var cancel = el('button', { class: 'btn', type: 'button', text: t('Cancel') });
    var confirm = el('button', { class: 'btn primary', type: 'submit', text: t('Ring this agent') });
    var form = el('form', { novalidate: 'novalidate' }, [
      el('h2', { id: 'assign-title', text: t('Assign session') }), what,
      el('label', { class: 'field' }, [el('span', { text: t('Agent') }), ' ', select]), none, error,
      el('div', { class: 'actions' }, [cancel, confirm])
    ]);
    var dialog = el('dialog', { id: 'assign-dialog', 'aria-labelledby': 'assign-title' }, [form]);
    document.body.appendChild(dialog);

    /** The agents who could be rung now, from the status board. */
    function setAgents(board) {
      agents = [];
      (board.statuses || []).forEach(function (column) {
        if (column.status !== 'free' && column.status !== 'busy') return;
        column.agents.forEach(function (agent) {
          if (agent.connected && !agent.pendingStatus) agents.push({ id: agent.id, name: agent.name, status: column.status, held: agent.held.length });
        });
      });
      agents.sort(function (a, b) { return a.held - b.held || a.name.localeCompare(b.name); });
    }

    function open(waiting) {
      session = waiting;
      var customer = (waiting.customer || {}).nickname || (waiting.customer || {}).callerPhoneNumber || t('customer');
      what.textContent = t('Session {session} ({type}, {customer}) waits in {group}. The agent chosen is rung now, ahead of the queue; unanswered, it goes back to its place.',
        { session: waiting.id, type: waiting.type, customer: customer, group: waiting.skillGroupId });
      select.textContent = '';
      agents.forEach(function (agent) {
        var load = agent.held ? t(agent.held === 1 ? '{count} session' : '{count} sessions', { count: agent.held }) : t('free');
        select.appendChild(el('option', { value: agent.id, text: agent.name + ' (' + agent.id + ') · ' + load }));
      });
      none.hidden = agents.length > 0;
      select.disabled = confirm.disabled = agents.length === 0;
      error.hidden = true;
      dialog.showModal();
      (agents.length ? select : cancel).focus();
    }

    cancel.addEventListener('click', function () { dialog.close(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!session || !select.value) return;
      confirm.disabled = true;
      page.api('/api/v1/sessions/' + encodeURIComponent(session.id) + '/assign', { method: 'POST', body: { agentId: select.value } })
        .then(function () { dialog.close(); page.onAssigned(); })
        .catch(function (failure) {
          if (failure.status === 401 || failure.status === 403) dialog.close();
          if (page.handled(failure)) return;
          error.hidden = false;
          error.textContent = failure.message;
        })
        .then(function () { confirm.disabled = agents.length === 0; });
    });

    function button(waiting) {
      var assign = el('button', { class: 'btn small', type: 'button', 'data-assign': waiting.id,
        'aria-label': t('Assign session {session} to an agent', { session: waiting.id }), text: t('Assign') });
      assign.addEventListener('click', function () { open(waiting); });
      return assign;
    }

    return { setAgents: setAgents, button: button };
  }

  window.SupervisorAssign = { create: create };
})();
