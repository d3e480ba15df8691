/*
 * Switchboard workbench, part: TCCC.overrideButtonConfig on the workbench's own controls. The SDK
 * keeps the list (tccc.js, `_buttonConfig()`, with `relabelled` on entries whose text the page
 * changed); the parts call apply() for their controls each time they render, and the workbench
 * renders again when the list changes. By TCCC's types:
 *   transferSeat        the transfer form's Agents choices (and the Transfer button, with transferSkillGroup)
 *   transferSkillGroup  the transfer form's Skill groups choices
 *   holdToggle          the call bar's Hold button
 *   showKeyboard        the keypad: the dial pad's Keypad button and keys, the call bar's digit keys
 * forwardOut and selfService have no control in Switchboard (the SDK keeps them hidden).
 * Loaded by tccc.js before the parts that use it.
 */
(function () {
  'use strict';
  var parts = window.SwitchboardWorkbenchParts = window.SwitchboardWorkbenchParts || {};

  // A class rather than `hidden`: the parts set `hidden` themselves as a call's state changes.
  var CSS = '.button-off { display: none !important; }';
  // Marks a control this part disabled, so it is enabled again when the page allows it (and a
  // control the part itself disabled, a request in flight, is left alone).
  var MARK = 'data-button-disabled';

  /** Returns {css, entry(type), apply(type, how), transfer()}. */
  parts.buttonConfig = function (tccc) {
    function entry(type) {
      var list = typeof tccc._buttonConfig === 'function' ? tccc._buttonConfig() : [];
      return list.filter(function (button) { return button.type === type; })[0] || { type: type, visible: true, disabled: false };
    }

    /**
     * Applies a type to controls: `how` = {hide: [nodes], disable: [controls], label: node, text}:
     * the nodes hidden when the type is not visible, the controls disabled when it is disabled,
     * and the label showing the page's text, or `text` (the workbench's own) when it kept TCCC's.
     */
    function apply(type, how) {
      var button = entry(type);
      (how.hide || []).forEach(function (node) {
        if (node && node.classList.contains('button-off') === !!button.visible) node.classList.toggle('button-off', !button.visible);
      });
      (how.disable || []).forEach(function (control) {
        if (!control) return;
        if (button.disabled) {
          control.disabled = true;
          control.setAttribute(MARK, '');
        } else if (control.hasAttribute(MARK)) {
          control.disabled = false;
          control.removeAttribute(MARK);
        }
      });
      if (how.label) {
        var text = button.relabelled ? button.text : how.text;
        if (typeof text === 'string' && how.label.textContent !== text) how.label.textContent = text;
      }
      return button;
    }

    /** Whether the Transfer button shows (either kind of transfer visible) and works (one usable). */
    function transfer() {
      var kinds = [entry('transferSeat'), entry('transferSkillGroup')];
      return {
        visible: kinds.some(function (kind) { return kind.visible; }),
        enabled: kinds.some(function (kind) { return kind.visible && !kind.disabled; })
      };
    }

    return { css: CSS, entry: entry, apply: apply, transfer: transfer };
  };
})();
