// The community's web chat. On the chat page: forms are sent in the background and the
// conversation replaced by the one the server shows next. On every other page of the
// community: a "chat" button that opens the same conversation in a dialog. Without
// JavaScript the chat page works with ordinary form posts, and the menu links to it.
(function () {
  "use strict";

  // Sends a chat form in the background; `done` gets the next page's #chat, or the page is
  // reloaded the ordinary way when anything goes wrong.
  function send(form, done) {
    fetch(form.action, {
      method: "POST",
      body: form.enctype === "multipart/form-data" ? new FormData(form) : new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("chat");
        if (next) done(next); else form.submit();
      })
      .catch(function () { form.submit(); });
  }

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
      root.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      send(form, function (next) {
        root.innerHTML = next.innerHTML;
        wire(root);
        var end = root.querySelector("#chat-log li:last-child");
        if (end) end.scrollIntoView({ block: "end" });
        var input = root.querySelector("#chat-text");
        if (input) input.focus();
      });
    }, { once: true });
  }

  var page = document.getElementById("chat");
  if (page) {
    wire(page);
    return;
  }

  // Elsewhere: the launcher, found through the menu's link to the chat.
  var link = document.querySelector(".main-nav a[href$='/chat']");
  if (!link || typeof HTMLDialogElement !== "function") return;
  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "chat-launcher";
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.textContent = "💬 " + link.textContent.trim();
  var dialog = document.createElement("dialog");
  dialog.className = "chat-dialog";
  dialog.setAttribute("aria-label", link.textContent.trim());
  var close = document.createElement("button");
  close.type = "button";
  close.className = "secondary chat-close";
  close.textContent = "×";
  close.setAttribute("aria-label", document.documentElement.lang === "en" ? "Close the chat" : "Закрити чат");
  close.addEventListener("click", function () { dialog.close(); });
  var body = document.createElement("div");
  dialog.appendChild(close);
  dialog.appendChild(body);
  document.body.appendChild(launcher);
  document.body.appendChild(dialog);
  launcher.addEventListener("click", function () {
    dialog.showModal();
    fetch(link.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var chat = new DOMParser().parseFromString(html, "text/html").getElementById("chat");
        if (!chat) { window.location.href = link.href; return; }
        body.innerHTML = "";
        body.appendChild(chat);
        wire(chat);
        var input = chat.querySelector("#chat-text");
        if (input) input.focus();
      })
      .catch(function () { window.location.href = link.href; });
  });
  dialog.addEventListener("close", function () { launcher.focus(); });
})();
