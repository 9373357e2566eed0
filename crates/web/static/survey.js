// Hides a survey question until the earlier answer it depends on is given. Without JavaScript
// every question shows, with a sentence saying when to answer it, and the server ignores the
// answers to questions whose condition is not met.
(function () {
  "use strict";
  var form = document.querySelector("form.survey");
  if (!form) return;
  var dependent = form.querySelectorAll("[data-show-when]");
  function update() {
    dependent.forEach(function (box) {
      var parent = "q." + box.getAttribute("data-show-when");
      var wanted = box.getAttribute("data-show-values").split(" ");
      var chosen = Array.prototype.some.call(form.querySelectorAll("input[name='" + parent + "']:checked"), function (i) {
        return wanted.indexOf(i.value) >= 0;
      });
      var parentShown = true;
      var parentBox = document.getElementById("q-" + box.getAttribute("data-show-when"));
      if (parentBox && parentBox.hidden) parentShown = false;
      box.hidden = !(chosen && parentShown);
    });
  }
  form.addEventListener("change", update);
  update();
})();
