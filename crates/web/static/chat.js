// The web chat without page reloads: a form is sent in the background and the conversation
// is replaced by the one the server shows next. Without JavaScript the same forms reload the page.
(function () {
  "use strict";
  function wire(root) {
    var locate = root.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (p) {
          root.querySelector("#chat-lat").value = p.coords.latitude.toFixed(6);
          root.querySelector("#chat-lon").value = p.coords.longitude.toFixed(6);
          locate.form.requestSubmit();
        });
      });
    }
    root.addEventListener("submit", function (event) {
      var form = event.target;
      event.preventDefault();
      var buttons = root.querySelectorAll("button");
      buttons.forEach(function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        credentials: "same-origin",
      })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var next = new DOMParser().parseFromString(html, "text/html").getElementById("chat");
          if (!next) { form.submit(); return; }
          root.innerHTML = next.innerHTML;
          wire(root);
          var end = root.querySelector("#chat-log li:last-child");
          if (end) end.scrollIntoView({ block: "end" });
          var input = root.querySelector("#chat-text");
          if (input) input.focus();
        })
        .catch(function () { form.submit(); });
    }, { once: true });
  }
  var chat = document.getElementById("chat");
  if (chat) wire(chat);
})();
