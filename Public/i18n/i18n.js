/*
 * Switchboard's message catalogues: the pages' words in the person's language, without a build step.
 *
 * A message's key is its English text ("Accept", "{count} waiting"): English needs no catalogue,
 * and a message missing from a catalogue shows in English rather than as a key. Each language is a
 * file next to this one (zh-CN.js) that calls SwitchboardI18n.add(code, {english: translation}).
 * docs/browser-sdk.md ("Languages") says how to add one.
 *
 * The language: an explicit choice (?lang= on the page address, the widget's data-lang, or the
 * choice kept in localStorage by the agent and supervisor pages), else the first of
 * navigator.languages that a catalogue covers, else English.
 */
(function () {
  'use strict';
  if (window.SwitchboardI18n) return; // loaded twice (the page and tccc.js): keep the first

  var STORAGE_KEY = 'switchboard.language';
  // Every language shipped, named in itself (for the language pickers).
  var LANGUAGES = { en: 'English', 'zh-CN': '简体中文' };
  var catalogues = { en: {} };
  var missing = {};

  /** The shipped language a BCP 47 tag asks for (zh, zh-Hans, zh-CN → zh-CN; en-GB → en), or null. */
  function match(tag) {
    if (!tag) return null;
    var lower = String(tag).toLowerCase();
    var found = null;
    Object.keys(LANGUAGES).forEach(function (code) {
      if (!found && (lower === code.toLowerCase() || lower.split('-')[0] === code.toLowerCase().split('-')[0])) found = code;
    });
    return found;
  }

  function stored() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return null; } // storage blocked
  }

  /** The language to show: `explicit` (or ?lang=, or the kept choice) if shipped, else the browser's. */
  function choose(explicit) {
    var asked = [explicit, new URLSearchParams(location.search).get('lang'), stored()];
    for (var i = 0; i < asked.length; i += 1) { var picked = match(asked[i]); if (picked) return picked; }
    var browser = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language];
    for (var j = 0; j < browser.length; j += 1) { var found = match(browser[j]); if (found) return found; }
    return 'en';
  }

  var current = choose();

  /** `key` (English text) in the current language, with {name} placeholders filled from `params`. */
  function t(key, params) {
    var catalogue = catalogues[current] || {};
    var text = catalogue[key];
    if (text === undefined) {
      text = key;
      if (current !== 'en') missing[key] = true;
    }
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return params[name] === undefined ? whole : String(params[name]); });
  }

  window.SwitchboardI18n = {
    languages: LANGUAGES,
    /** Adds (or extends) a language's catalogue: {english text: translation}. */
    add: function (code, messages) {
      var catalogue = catalogues[code] = catalogues[code] || {};
      Object.keys(messages).forEach(function (key) { catalogue[key] = messages[key]; });
    },
    has: function (code) { return code === 'en' || !!catalogues[code]; },
    choose: choose,
    /** Switches the language for what is rendered from now on (pages re-render or reload). */
    use: function (code) { current = match(code) || 'en'; return current; },
    get language() { return current; },
    /** Keeps the person's choice for the next visit; null forgets it (the browser's language again). */
    remember: function (code) {
      try { if (code) localStorage.setItem(STORAGE_KEY, code); else localStorage.removeItem(STORAGE_KEY); } catch (e) { /* storage blocked */ }
    },
    /** The file a language's catalogue is in, relative to this folder. */
    file: function (code) { return code + '.js'; },
    /** English texts shown untranslated so far (tests read this to find leftovers). */
    missing: function () { return Object.keys(missing); },
    t: t
  };
})();
