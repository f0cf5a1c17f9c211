// Saves a form as the person types: for forms marked `data-autosave` (the intake).
//
// The form works without this script ("Save and finish later"); this only spares the
// person the click. It posts the same fields the save button would, a moment after
// they stop typing, and says in a polite live region whether it worked. Nothing here
// reads or keeps the answers anywhere but the page and the server.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-autosave]");
  Array.prototype.forEach.call(forms, function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    var save = function () {
      timer = null;
      var data = new URLSearchParams(new FormData(form));
      data.set("action", "save");
      // getAttribute, not form.action: the form's buttons are named "action", and a
      // named control shadows the form's own property of that name.
      fetch(form.getAttribute("action"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          if (response.ok) {
            var now = new Date();
            var time = ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
            say("Saved at " + time + ".");
          } else {
            say("Not saved yet: press \u201cSave and finish later\u201d to see which answer needs attention.");
          }
        })
        .catch(function () {
          say("Not saved: check your connection. Your answers are still on this page.");
        });
    };
    var later = function (delay) {
      if (timer !== null) {
        clearTimeout(timer);
      }
      timer = setTimeout(save, delay);
    };
    form.addEventListener("input", function () {
      say("Saving\u2026");
      later(1500);
    });
    form.addEventListener("change", function () {
      later(300);
    });
    // Sending or saving by hand supersedes a pending save.
    form.addEventListener("submit", function () {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
    });
  });
})();
