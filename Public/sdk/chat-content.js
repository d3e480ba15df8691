/*
 * Switchboard: what an im message shows, shared by the chat widget and the agent workbench.
 *
 * - Text with its web links clickable, safely: only http and https addresses become links (with
 *   rel="noopener noreferrer", opening in a new tab); the text is only ever set as text, never
 *   read as HTML, so a message cannot add markup or script to the page.
 * - Files (docs/protocol.md, "Attachments"): a picture is shown inline and a click opens it full
 *   size; any other file is a button that downloads it. The content is fetched with the reader's
 *   credential (the customer's session secret, the agent's token) by `fetchBlob`, since an <img>
 *   or a link cannot send one, and shown from a blob: URL.
 * - A file chosen for sending is checked against the server's limits first, so an over-size or
 *   refused type is named before anything is uploaded.
 *
 * Exposes window.SwitchboardChatContent = {text, attachment, checkFile, size, css}.
 */
(function () {
  'use strict';
  // The page's language (i18n/i18n.js), read when a text is made: the widget loads it after this file may have.
  function t(text, params) {
    if (window.SwitchboardI18n) return window.SwitchboardI18n.t(text, params);
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return params && params[name] !== undefined ? String(params[name]) : whole; });
  }

  // An address starts at http:// or https:// and runs to the next space; punctuation that
  // usually ends a sentence is left out of it.
  var LINK = /\bhttps?:\/\/[^\s<>"]+/gi;
  var TRAILING = /[.,;:!?)\]}'"]+$/;

  /** A web address as a safe link target, or null (only http and https, and a host). */
  function safeURL(candidate) {
    try {
      var url = new URL(candidate);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname) return url.href;
    } catch (error) { /* not an address */ }
    return null;
  }

  /** The message text as text nodes and <a> links, in a fragment. */
  function text(value) {
    var fragment = document.createDocumentFragment();
    var source = String(value == null ? '' : value);
    var at = 0;
    LINK.lastIndex = 0;
    var match;
    while ((match = LINK.exec(source)) !== null) {
      var raw = match[0];
      var trailing = (raw.match(TRAILING) || [''])[0];
      var address = raw.slice(0, raw.length - trailing.length);
      var href = safeURL(address);
      if (!href) continue;
      if (match.index > at) fragment.appendChild(document.createTextNode(source.slice(at, match.index)));
      var link = document.createElement('a');
      link.href = href;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      link.className = 'msg-link';
      link.textContent = address;
      fragment.appendChild(link);
      at = match.index + address.length;
      LINK.lastIndex = at;
    }
    if (at < source.length) fragment.appendChild(document.createTextNode(source.slice(at)));
    return fragment;
  }

  // One blob: URL per picture however often the conversation is redrawn.
  var urls = new WeakMap();
  function urlOf(blob) {
    if (!urls.has(blob)) urls.set(blob, URL.createObjectURL(blob));
    return urls.get(blob);
  }

  /** A size as people read it: 812 bytes, 14 KB, 2.3 MB. */
  function size(bytes) {
    if (bytes < 1024) return bytes + ' bytes';
    if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + ' KB';
    return (Math.round(bytes / 1024 / 1024 * 10) / 10) + ' MB';
  }

  // Line icons (24×24, stroked), built as elements: no emoji font is needed, no markup parsed.
  var ICONS = {
    clip: ['M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48'],
    file: ['M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z', 'M14 2v6h6', 'M12 18v-6', 'M9 15l3 3 3-3']
  };
  function icon(name) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'icon-' + name);
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    ICONS[name].forEach(function (d) {
      var path = document.createElementNS(ns, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  /** Why `file` cannot be sent under `limits` ({maximumBytes, contentTypes}), or null. */
  function checkFile(file, limits) {
    if (!file) return t('no file was chosen');
    if (!file.size) return t('"{file}" is empty', { file: file.name });
    if (limits && file.size > limits.maximumBytes) {
      var over = size(file.size) === size(limits.maximumBytes) ? '' : t(' (it is {size})', { size: size(file.size) });
      return t('"{file}" is too large to send: files can be at most {limit}', { file: file.name, limit: size(limits.maximumBytes) }) + over;
    }
    var type = (file.type || '').toLowerCase();
    if (limits && limits.contentTypes && limits.contentTypes.indexOf(type) < 0) {
      return type
        ? t('"{file}" cannot be sent: {type} files are not accepted (pictures, PDF, text and office documents are)', { file: file.name, type: type })
        : t('"{file}" cannot be sent: files of unknown type are not accepted (pictures, PDF, text and office documents are)', { file: file.name });
    }
    return null;
  }

  /**
   * The node for a message's file. `fetchBlob()` returns a promise of the content as a Blob.
   * Pictures load at once; other files when their button is pressed.
   */
  function attachment(file, fetchBlob) {
    var label = file.name + ' (' + size(file.size) + ')';
    if (file.kind === 'image') {
      var figure = document.createElement('figure');
      figure.className = 'attachment image';
      var open = document.createElement('button');
      open.type = 'button';
      open.className = 'attachment-open';
      open.setAttribute('aria-label', t('Open the picture {file}', { file: file.name }));
      var picture = document.createElement('img');
      picture.alt = file.name;
      picture.hidden = true;
      var loading = document.createElement('span');
      loading.className = 'attachment-loading';
      loading.textContent = t('Loading {file}…', { file: file.name });
      open.appendChild(picture);
      open.appendChild(loading);
      var caption = document.createElement('figcaption');
      caption.textContent = label;
      figure.appendChild(open);
      figure.appendChild(caption);
      var objectURL = null;
      fetchBlob().then(function (blob) {
        objectURL = urlOf(blob);
        picture.src = objectURL;
        picture.hidden = false;
        loading.remove();
      }, function (error) {
        loading.textContent = t('The picture could not be loaded ({reason})', { reason: error && error.message || error });
      });
      open.addEventListener('click', function () { if (objectURL) window.open(objectURL, '_blank', 'noopener'); });
      return figure;
    }
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'attachment file';
    button.setAttribute('aria-label', t('Download {file}', { file: label }));
    var caption = document.createElement('span');
    caption.textContent = label;
    button.appendChild(icon('file'));
    button.appendChild(caption);
    button.addEventListener('click', function () {
      button.disabled = true;
      fetchBlob().then(function (blob) {
        button.disabled = false;
        var link = document.createElement('a');
        link.href = URL.createObjectURL(blob);
        link.download = file.name;
        link.rel = 'noopener';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
      }, function (error) {
        button.disabled = false;
        caption.textContent = t('{file} — could not download ({reason})', { file: label, reason: error && error.message || error });
      });
    });
    return button;
  }

  var CSS = [
    '.msg-link { color: inherit; text-decoration: underline; overflow-wrap: anywhere; }',
    '.attachment.image { margin: 2px 0; }',
    '.attachment.image .attachment-open { display: block; padding: 0; border: none; background: none; cursor: zoom-in; }',
    '.attachment.image img { display: block; max-width: 100%; max-height: 240px; border-radius: 8px; }',
    '.attachment.image figcaption { font-size: 12px; opacity: .8; margin-top: 2px; }',
    '.attachment.file { display: inline-flex; gap: 6px; align-items: center; max-width: 100%; text-align: left; border: 1px solid currentColor; border-radius: 8px;',
    '  padding: 6px 10px; background: transparent; color: inherit; cursor: pointer; overflow-wrap: anywhere; font: inherit; }',
    '.attachment.file svg, .attach-icon svg { width: 18px; height: 18px; flex: none; fill: none; stroke: currentColor; stroke-width: 2;',
    '  stroke-linecap: round; stroke-linejoin: round; }',
    '.attach-button { flex: none; }'
  ].join('\n');

  window.SwitchboardChatContent = { text: text, attachment: attachment, checkFile: checkFile, size: size, icon: icon, css: CSS, safeURL: safeURL };
})();
