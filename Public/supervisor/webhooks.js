// The supervisor page's webhooks card (admins only, docs/webhooks.md): the subscriptions, a form
// that adds one (its secret shown once, in the answer that made it), pausing, resuming and
// deleting, and each subscription's delivery log with a "Redeliver" action. Everything goes
// through /api/v1/webhooks; the server judges every input and its message is shown as it is.
//
// window.SupervisorWebhooks.create({ api, el, handled }) returns { show() }: show() (re)loads the
// list. `api` is the page's fetch wrapper (cookie + CSRF), `el` its element builder, `handled`
// what the page does first with a failed call (401 and 403).
(function () {
  'use strict';
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  // The event kinds a subscription may ask for, with the words shown beside them.
  var KINDS = [
    ['session.created', t('Session created')], ['session.offered', t('Offered to an agent')],
    ['session.accepted', t('Accepted')], ['session.transferred', t('Transferred')],
    ['session.ended', t('Ended (with its record)')], ['session.message', t('Chat message')],
    ['agent.statusChanged', t('Agent status changed')]
  ];
  var STATUS = { pending: t('Pending'), delivered: t('Delivered'), failed: t('Failed') };

  function time(milliseconds) {
    return milliseconds == null ? '—' : new Date(milliseconds).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
  }

  function create(page) {
    var api = page.api, el = page.el, handled = page.handled;
    var $ = function (id) { return document.getElementById(id); };
    var viewing = null;  // the subscription whose log is open
    var again = null;    // the next look at a log with deliveries still pending

    // The kinds as checkboxes, all ticked: most receivers want everything and filter themselves.
    KINDS.forEach(function (kind) {
      $('webhook-kinds').appendChild(el('label', { class: 'check inline' }, [
        el('input', { type: 'checkbox', value: kind[0], checked: 'checked' }), el('span', { text: kind[1] })
      ]));
    });

    function fail(id, error) {
      if (handled(error)) return;
      $(id).hidden = false;
      $(id).textContent = error.message;
    }

    function show() {
      return api('/api/v1/webhooks?limit=500')
        .then(function (answer) { render(answer.items); })
        .catch(function (error) { fail('webhook-error', error); });
    }

    function render(list) {
      var body = $('webhooks').querySelector('tbody');
      body.textContent = '';
      list.forEach(function (hook) {
        var buttons = [
          button(t('Deliveries'), t('Deliveries of {url}', { url: hook.url }), function () { openLog(hook); }),
          hook.paused
            ? button(t('Resume'), t('Resume {url}', { url: hook.url }), function () { setPaused(hook, false); })
            : button(t('Pause'), t('Pause {url}', { url: hook.url }), function () { setPaused(hook, true); }),
          button(t('Delete'), t('Delete {url}', { url: hook.url }), function () { remove(hook); }, 'danger')
        ];
        body.appendChild(el('tr', { 'data-webhook': hook.id }, [
          el('td', {}, [el('strong', { class: 'webhook-url', text: hook.url }), el('div', { class: 'muted', text: hook.id })]),
          el('td', { class: 'group-tags' }, hook.kinds.map(function (kind) { return el('span', { class: 'tag', text: kind }); })),
          el('td', { text: hook.description || '' }),
          el('td', {}, [el('span', { class: 'pill ' + (hook.paused ? 'paused' : 'active'), text: hook.paused ? t('Paused') : t('Active') })]),
          el('td', { class: 'actions-cell' }, buttons)
        ]));
      });
      $('webhooks-empty').hidden = list.length > 0;
      $('webhooks-count').textContent = list.length ? String(list.length) : '';
      if (viewing && !list.some(function (hook) { return hook.id === viewing.id; })) closeLog();
    }

    function button(text, label, action, kind) {
      var node = el('button', { class: 'btn small' + (kind ? ' ' + kind : ''), type: 'button', 'aria-label': label, text: text });
      node.addEventListener('click', action);
      return node;
    }

    $('webhook-form').addEventListener('submit', function (event) {
      event.preventDefault();
      $('webhook-error').hidden = true;
      var kinds = Array.prototype.filter.call($('webhook-kinds').querySelectorAll('input'), function (box) { return box.checked; })
        .map(function (box) { return box.value; });
      var request = { url: $('webhook-url').value.trim(), kinds: kinds };
      var description = $('webhook-description').value.trim();
      if (description) request.description = description;
      $('webhook-add').disabled = true;
      api('/api/v1/webhooks', { method: 'POST', body: request })
        .then(function (created) {
          $('webhook-url').value = '';
          $('webhook-description').value = '';
          // The only time the secret is shown: the receiver needs it to verify signatures.
          $('webhook-secret-url').textContent = created.url;
          $('webhook-secret-value').textContent = created.secret;
          $('webhook-secret').hidden = false;
          return show();
        })
        .catch(function (error) { fail('webhook-error', error); })
        .then(function () { $('webhook-add').disabled = false; });
    });
    $('webhook-secret-dismiss').addEventListener('click', function () {
      $('webhook-secret').hidden = true;
      $('webhook-secret-value').textContent = '';
    });

    function setPaused(hook, paused) {
      api('/api/v1/webhooks/' + encodeURIComponent(hook.id), { method: 'PATCH', body: { paused: paused } })
        .then(show)
        .then(function () { if (viewing && viewing.id === hook.id) return loadLog(); })
        .catch(function (error) { fail('webhook-error', error); });
    }

    function remove(hook) {
      if (!window.confirm(t('Delete the webhook to {url}? Its delivery log and pending deliveries go with it.', { url: hook.url }))) return;
      api('/api/v1/webhooks/' + encodeURIComponent(hook.id), { method: 'DELETE' })
        .then(show)
        .catch(function (error) { fail('webhook-error', error); });
    }

    // The delivery log, newest first, optionally of one status.
    function openLog(hook) {
      viewing = hook;
      $('webhook-log-title').textContent = t('Deliveries to {url}', { url: hook.url });
      $('webhook-log').hidden = false;
      loadLog();
    }

    function closeLog() {
      viewing = null;
      clearTimeout(again);
      $('webhook-log').hidden = true;
    }

    function loadLog() {
      clearTimeout(again);
      if (!viewing) return Promise.resolve();
      var status = $('webhook-log-status').value;
      var hook = viewing;
      $('webhook-log-error').hidden = true;
      return api('/api/v1/webhooks/' + encodeURIComponent(hook.id) + '/deliveries?limit=100' + (status ? '&status=' + status : ''))
        .then(function (answer) { if (viewing === hook) renderLog(hook, answer); })
        .catch(function (error) { fail('webhook-log-error', error); });
    }

    function renderLog(hook, answer) {
      var body = $('webhook-deliveries').querySelector('tbody');
      body.textContent = '';
      answer.items.forEach(function (delivery) {
        var note = delivery.lastError || (delivery.lastStatusCode ? 'HTTP ' + delivery.lastStatusCode : '');
        if (delivery.redeliveryOf) note = (note ? note + ' · ' : '') + t('redelivery of #{delivery}', { delivery: delivery.redeliveryOf });
        body.appendChild(el('tr', { 'data-delivery': String(delivery.id) }, [
          el('td', { class: 'num', text: '#' + delivery.id }),
          el('td', {}, [el('code', { text: delivery.eventId })]),
          el('td', { text: delivery.kind }),
          el('td', {}, [el('span', { class: 'pill ' + delivery.status, text: STATUS[delivery.status] || delivery.status })]),
          el('td', { class: 'num', text: String(delivery.attempts) }),
          el('td', { text: time(delivery.lastAttemptAt) }),
          el('td', { class: 'muted delivery-note', text: note }),
          el('td', {}, [button(t('Redeliver'), t('Redeliver #{delivery}', { delivery: delivery.id }), function () { redeliver(hook, delivery); })])
        ]));
      });
      $('webhook-log-empty').hidden = answer.items.length > 0;
      $('webhook-log-count').textContent = t('{count} in all', { count: answer.total });
      // While some are still pending the log moves on its own: look again in a few seconds.
      if (answer.items.some(function (delivery) { return delivery.status === 'pending'; })) again = setTimeout(loadLog, 2000);
    }

    function redeliver(hook, delivery) {
      api('/api/v1/webhooks/' + encodeURIComponent(hook.id) + '/deliveries/' + delivery.id + '/redeliver', { method: 'POST' })
        .then(loadLog)
        .catch(function (error) { fail('webhook-log-error', error); });
    }

    $('webhook-log-status').addEventListener('change', loadLog);
    $('webhook-log-refresh').addEventListener('click', loadLog);
    $('webhook-log-close').addEventListener('click', closeLog);

    return { show: show };
  }

  window.SupervisorWebhooks = { create: create };
})();
