// Phare — a research note's "Capture a passage" form (the approach of feedback.js).
//
// Selecting a passage of the rendered notes puts it in the passage field, so that capturing it
// takes two actions: select, then submit. The field is filled from the selection only while it
// is empty or still holds the previous selection: a passage typed or edited by hand is never
// overwritten by a later selection, except through the "Use selected text" button, which
// always takes the current selection. Each time the passage changes, an `input` event lets
// htmx refresh the ideas similar to it.
// Without this script the button stays hidden and the passage is typed or pasted; the ideas
// shown are then those similar to the whole note.
(function () {
  'use strict';

  function start() {
    var source = document.querySelector('[data-note-text]');
    var button = document.querySelector('[data-use-selection]');
    var field = document.getElementById('passage');
    var status = document.querySelector('[data-selection-status]');
    var tools = document.querySelector('[data-selection-tools]');
    if (!source || !button || !field || !tools) return;

    var picked = '';
    var filled = '';
    var timer = null;
    tools.hidden = false;

    function put(text, message) {
      field.value = text;
      filled = text;
      field.dispatchEvent(new Event('input', { bubbles: true }));
      if (status) status.textContent = message || '';
    }

    document.addEventListener('selectionchange', function () {
      var sel = window.getSelection();
      if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
      if (!source.contains(sel.getRangeAt(0).commonAncestorContainer)) return;
      picked = sel.toString().replace(/\s+/g, ' ').trim();
      // Once the selection settles, not at every step of a drag.
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (picked && (field.value === '' || field.value === filled)) {
          put(picked, button.getAttribute('data-done'));
        }
      }, 300);
    });

    button.addEventListener('click', function () {
      if (!picked) {
        if (status) status.textContent = button.getAttribute('data-empty') || '';
        return;
      }
      put(picked, button.getAttribute('data-done'));
      field.focus();
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
