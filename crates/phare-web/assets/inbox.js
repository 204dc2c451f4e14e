// Phare — keyboard shortcuts of the feedback inbox.
//
// j / k move the current item (its link takes the focus, so the focus ring shows it and Enter
// opens it), x ticks its checkbox for a bulk action, e presses its "Archive" button, l follows
// its "Link to an idea" link, c goes to the capture field, Ctrl+Enter (or Cmd+Enter) in the
// capture field saves it, Escape leaves it. Shortcuts are ignored while typing in a field.
// Everything here only presses buttons and follows links that work without this script.
(function () {
  'use strict';

  var KEY = 'phare-inbox-current';

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-inbox-item]'));
  }

  function capture() {
    return document.querySelector('[data-capture]');
  }

  function isTyping(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
    if (tag !== 'INPUT') return false;
    var type = (el.getAttribute('type') || 'text').toLowerCase();
    return ['checkbox', 'radio', 'button', 'submit', 'reset'].indexOf(type) === -1;
  }

  function currentIndex() {
    var list = items();
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains('is-current') || list[i].contains(document.activeElement)) return i;
    }
    return -1;
  }

  function setCurrent(i) {
    var list = items();
    if (list.length === 0) return;
    i = Math.max(0, Math.min(i, list.length - 1));
    list.forEach(function (li, j) {
      li.classList.toggle('is-current', j === i);
    });
    var link = list[i].querySelector('[data-open]');
    if (link) link.focus();
    list[i].scrollIntoView({ block: 'nearest' });
  }

  function within(i, selector) {
    var list = items();
    return i >= 0 && i < list.length ? list[i].querySelector(selector) : null;
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.defaultPrevented) return;
    var target = ev.target;
    if (target === capture() && ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      var form = target.form;
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
      return;
    }
    if (target === capture() && ev.key === 'Escape') {
      target.blur();
      return;
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(target)) return;
    var i = currentIndex();
    switch (ev.key) {
      case 'j':
        setCurrent(i + 1);
        break;
      case 'k':
        setCurrent(i < 0 ? 0 : i - 1);
        break;
      case 'x': {
        var box = within(i, '[data-select]');
        if (!box) return;
        box.checked = !box.checked;
        break;
      }
      case 'e': {
        var archive = within(i, '[data-archive]');
        if (!archive) return;
        // After the page comes back, the item that takes this one's place is current.
        try {
          sessionStorage.setItem(KEY, String(i));
        } catch (e) {
          /* storage refused: the first item will do */
        }
        archive.click();
        break;
      }
      case 'l': {
        var link = within(i, '[data-link]');
        if (!link) return;
        window.location.assign(link.href);
        break;
      }
      case 'c': {
        var field = capture();
        if (!field) return;
        field.focus();
        break;
      }
      default:
        return;
    }
    ev.preventDefault();
  });

  // Tabbing into an item makes it the current one, so j/k continue from there.
  document.addEventListener('focusin', function (ev) {
    var li = ev.target.closest && ev.target.closest('[data-inbox-item]');
    if (!li) return;
    items().forEach(function (other) {
      other.classList.toggle('is-current', other === li);
    });
  });

  // The legends describe this script: shown only when it runs, again after htmx swaps a list.
  function showLegends() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-shortcuts]'), function (el) {
      el.hidden = false;
    });
  }
  document.addEventListener('htmx:afterSettle', showLegends);

  function start() {
    showLegends();
    var params = new URLSearchParams(window.location.search);
    var done = params.get('done');
    var stored = null;
    try {
      stored = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
    } catch (e) {
      stored = null;
    }
    if (done === 'feedback_captured' && capture()) {
      capture().focus();
    } else if (stored !== null && done) {
      setCurrent(parseInt(stored, 10) || 0);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
