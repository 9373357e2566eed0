// Keeps a number on the page current without a reload: a container with data-live-url
// (a small JSON document) and elements inside it with data-live-field naming a key of it.
// Without JavaScript the page still works: a plain link reloads it.
(function () {
  "use strict";
  document.querySelectorAll("[data-live-url]").forEach(function (box) {
    var url = box.getAttribute("data-live-url");
    var every = 1000 * (parseInt(box.getAttribute("data-live-every"), 10) || 15);
    function refresh() {
      if (document.hidden) return;
      fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          box.querySelectorAll("[data-live-field]").forEach(function (el) {
            var value = data[el.getAttribute("data-live-field")];
            if (value === undefined) return;
            if (el.tagName === "PROGRESS") el.value = value; else el.textContent = String(value);
          });
        })
        .catch(function () { /* offline for a moment: try again next time */ });
    }
    setInterval(refresh, every);
  });
})();
