// Phare — the feedback page's "Use selected text" button.
//
// A person selects a passage of the rendered feedback, then presses the button: the passage
// goes into the excerpt field of "Link to an idea". The selection is remembered as it is made,
// since pressing a button may clear it. Without this script the button stays hidden and the
// passage is typed or pasted into the same field.
// Arriving on #link (the inbox's "l" shortcut) puts the focus in the link form's first field.
(function () {
  'use strict';

  function start() {
    var source = document.querySelector('[data-feedback-text]');
    var button = document.querySelector('[data-use-selection]');
    var field = document.getElementById('excerpt');
    var status = document.querySelector('[data-selection-status]');
    var tools = document.querySelector('[data-selection-tools]');
    var picked = '';

    if (source && button && field && tools) {
      tools.hidden = false;
      document.addEventListener('selectionchange', function () {
        var sel = window.getSelection();
        if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
        var range = sel.getRangeAt(0);
        if (!source.contains(range.commonAncestorContainer)) return;
        picked = sel.toString().replace(/\s+/g, ' ').trim();
      });
      button.addEventListener('click', function () {
        if (!picked) {
          if (status) status.textContent = button.getAttribute('data-empty') || '';
          return;
        }
        field.value = picked;
        if (status) status.textContent = button.getAttribute('data-done') || '';
        field.focus();
      });
    }

    if (window.location.hash === '#link') {
      // After the load: until then the browser's own scrolling to #link moves the focus too.
      var focusForm = function () {
        setTimeout(function () {
          var first = document.querySelector('#link input[type="radio"], #link input[name="idea"]');
          if (first) first.focus();
        }, 0);
      };
      if (document.readyState === 'complete') focusForm();
      else window.addEventListener('load', focusForm);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
