// Phare — the ballot page of a prioritization session.
//
// Ranking: "Move up" / "Move down" move the idea in place (the hidden `ranking` inputs follow
// the cards, so saving sends the new order), keep the focus on the button pressed, and say the
// new position in a live region. Without this script the same buttons submit the form and the
// server sends the page back in the new order (not saved until "Save my ballot").
// 100 points: the "points left" line follows what is typed.
(function () {
  'use strict';

  function start() {
    var form = document.querySelector('.ballot-form');
    if (!form) return;
    var list = form.querySelector('.ballot-ideas');
    var status = document.getElementById('move-status');

    function refresh() {
      var items = list.querySelectorAll(':scope > li');
      items.forEach(function (li, i) {
        var pos = li.querySelector('.rank-pos');
        if (pos) pos.textContent = String(i + 1);
        var up = li.querySelector('[data-move="up"]');
        var down = li.querySelector('[data-move="down"]');
        if (up) up.disabled = i === 0;
        if (down) down.disabled = i === items.length - 1;
      });
    }

    form.addEventListener('click', function (e) {
      var btn = e.target.closest('[data-move]');
      if (!btn || !form.classList.contains('ballot-ranking')) return;
      e.preventDefault();
      var li = btn.closest('li');
      var way = btn.getAttribute('data-move');
      if (way === 'up' && li.previousElementSibling) {
        list.insertBefore(li, li.previousElementSibling);
      } else if (way === 'down' && li.nextElementSibling) {
        list.insertBefore(li.nextElementSibling, li);
      }
      refresh();
      // The button pressed may now be disabled (top or bottom): keep the focus on the card.
      var target = btn.disabled ? li.querySelector('[data-move]:not([disabled])') : btn;
      if (target) target.focus();
      if (status) {
        var items = Array.prototype.slice.call(list.children);
        var name = li.querySelector('.idea-card-title .mono');
        status.textContent = (name ? name.textContent + ' ' : '') + (items.indexOf(li) + 1) + ' / ' + items.length;
      }
    });

    var left = document.getElementById('points-left');
    if (left && form.classList.contains('ballot-points')) {
      var budget = parseInt(form.getAttribute('data-budget'), 10) || 100;
      var template = left.textContent;
      var shown = String(budget - sum());
      function sum() {
        var total = 0;
        form.querySelectorAll('.points-input').forEach(function (input) {
          var n = parseInt(input.value, 10);
          if (!isNaN(n)) total += n;
        });
        return total;
      }
      form.addEventListener('input', function (e) {
        if (!e.target.classList.contains('points-input')) return;
        var now = String(budget - sum());
        left.textContent = template.replace(shown, now);
        template = left.textContent;
        shown = now;
        left.classList.toggle('over-budget', budget - sum() < 0);
      });
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
