// The ranked backlog's drag and drop (SortableJS). Dropping a row posts the same move the
// buttons post (`before` the next row, or `after` the previous one) to /ideas/{id}/move; the
// buttons and the "to position" field stay the way to reorder without a mouse.
(function () {
  "use strict";
  var body = document.querySelector("tbody[data-sortable]");
  var live = document.getElementById("backlog-live");
  if (!body || typeof Sortable === "undefined") {
    return;
  }
  function say(text) {
    if (live) {
      live.textContent = text;
    }
  }
  Sortable.create(body, {
    handle: ".drag-handle",
    animation: 150,
    onEnd: function (evt) {
      if (evt.oldIndex === evt.newIndex) {
        return;
      }
      var row = evt.item;
      var id = row.getAttribute("data-idea");
      var next = row.nextElementSibling;
      var prev = row.previousElementSibling;
      var data = new URLSearchParams();
      if (next) {
        data.set("before", next.getAttribute("data-idea"));
      } else if (prev) {
        data.set("after", prev.getAttribute("data-idea"));
      }
      data.set("back", window.location.pathname + window.location.search);
      fetch("/ideas/" + id + "/move", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: data.toString(),
        credentials: "same-origin",
        redirect: "manual"
      }).then(function (res) {
        if (res.type === "opaqueredirect" || res.ok) {
          say((body.getAttribute("data-moved") || "") + " " + row.getAttribute("data-ref"));
        } else {
          window.location.reload();
        }
      }).catch(function () {
        window.location.reload();
      });
    }
  });
})();
