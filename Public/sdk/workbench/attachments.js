/*
 * Switchboard workbench, part: files and links in the conversation. A paper-clip button beside
 * the reply box sends a picture or file to the customer (checked against the server's limits
 * before anything is uploaded, so an over-size or refused type is named at once); messages show
 * their web links as safe links and their files as inline pictures or download buttons
 * (chat-content.js, shared with the chat widget). Loaded by tccc.js before workbench.js.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};
  var t = window.SwitchboardI18n.t; // i18n/i18n.js: loaded before this file (by tccc.js, or the page's own script tags)

  /**
   * Creates the button and the message renderer. `selected()` is the open session's id;
   * `notify(text, ok)` shows a notice (`ok`: not an error); `sent(sessionId, message)` adds the stored message to the
   * transcript at once (the socket's event follows and is de-duplicated by messageId).
   * Returns {button, input, css, body(message, sessionId), limits()}.
   */
  parts.attachments = function (el, tccc, selected, notify, sent) {
    var content = window.SwitchboardChatContent;
    var limits = null;
    var input = el('input', { type: 'file', class: 'attach-input', hidden: true, 'aria-hidden': 'true', tabindex: '-1' });
    var button = el('button', { type: 'button', class: 'btn attach-button attach-icon', 'aria-label': t('Send a picture or file'), title: t('Send a picture or file') });
    if (content) button.appendChild(content.icon('clip'));
    var sending = 0;

    if (tccc.Chat.getFileLimits) {
      tccc.Chat.getFileLimits().then(function (answer) {
        if (answer.status !== 'success') return;
        limits = answer.data;
        input.setAttribute('accept', limits.contentTypes.join(','));
      });
    }

    button.addEventListener('click', function () { input.value = ''; input.click(); });
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      var sessionId = selected();
      if (!file || !sessionId) return;
      var problem = content.checkFile(file, limits);
      if (problem) { notify(problem); return; }
      sending += 1;
      button.disabled = true;
      button.setAttribute('aria-busy', 'true');
      notify(t('Sending {file}…', { file: file.name }), true);
      tccc.Chat.sendFile({ sessionId: sessionId, file: file }).then(function (answer) {
        sending -= 1;
        if (sending === 0) { button.disabled = false; button.removeAttribute('aria-busy'); }
        if (answer.status !== 'success') { notify('"' + file.name + '" was not sent: ' + answer.errorMsg); return; }
        notify(t('Sent {file}', { file: file.name }), true);
        sent(sessionId, answer.data.message);
      });
    });

    /** The body of a message in session `sessionId`: its file, or its text with links. */
    function body(message, sessionId) {
      if (!content) return document.createTextNode(message.text);
      if (!message.attachment) return content.text(message.text);
      var file = message.attachment;
      return content.attachment(file, function () { return fetchFile(sessionId, file.attachmentId); });
    }

    // Fetched once per page: the transcript is redrawn on every message, its pictures are not.
    var blobs = {};
    function fetchFile(sessionId, attachmentId) {
      if (!blobs[attachmentId]) {
        blobs[attachmentId] = tccc.Chat.getFile({ sessionId: sessionId, attachmentId: attachmentId }).then(function (answer) {
          if (answer.status !== 'success') { delete blobs[attachmentId]; throw new Error(answer.errorMsg); }
          return answer.data;
        });
      }
      return blobs[attachmentId];
    }

    return { button: button, input: input, css: content ? content.css : '', body: body, limits: function () { return limits; } };
  };
})();
