/*
 * Switchboard's own pages (agent sign-in, supervisor, landing) in the chosen language: run at the
 * end of <body>, before the page's script. It sets <html lang>, translates what the HTML marks:
 *   data-i18n                 the element's text (an element holding only text)
 *   data-i18n-attr="a,b"      those attributes (placeholder, aria-label, title)
 * and fills each <select data-language-picker> with the shipped languages: a choice is kept in
 * localStorage and the page reloads in it (a signed-in agent stays signed in).
 */
(function () {
  'use strict';
  var i18n = window.SwitchboardI18n;
  var t = i18n.t;
  document.documentElement.lang = i18n.language;
  document.title = document.title.split(' · ').map(function (part) { return part === 'Switchboard' ? part : t(part); }).join(' · ');

  Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (node) {
    node.textContent = t(node.textContent.replace(/\s+/g, ' ').trim());
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-attr]'), function (node) {
    node.getAttribute('data-i18n-attr').split(',').forEach(function (name) {
      name = name.trim();
      if (node.hasAttribute(name)) node.setAttribute(name, t(node.getAttribute(name)));
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll('select[data-language-picker]'), function (picker) {
    Object.keys(i18n.languages).forEach(function (code) {
      var option = document.createElement('option');
      option.value = code;
      option.lang = code;
      option.textContent = i18n.languages[code];
      picker.appendChild(option);
    });
    picker.value = i18n.language;
    if (!picker.hasAttribute('aria-label')) picker.setAttribute('aria-label', t('Language'));
    picker.addEventListener('change', function () {
      i18n.remember(picker.value);
      // ?lang= would win over the new choice: drop it.
      var url = new URL(location.href);
      url.searchParams.delete('lang');
      location.replace(url.href);
    });
  });
})();
