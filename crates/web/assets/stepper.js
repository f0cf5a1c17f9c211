// Shows a questionnaire one question at a time on a narrow screen: for forms marked
// `data-stepper`, whose questions are `fieldset[data-step]`.
//
// Without this script (or on a wide screen) every question is on one page and the form
// works the same. With it, a phone shows one question, "Back" and "Next" buttons, and
// "Question 3 of 9" in a polite live region; choosing an answer moves on by itself.
// The send button appears with the last question. Nothing is kept anywhere but the page.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 40rem)");
  var forms = document.querySelectorAll("form[data-stepper]");
  Array.prototype.forEach.call(forms, function (form) {
    var steps = form.querySelectorAll("fieldset[data-step]");
    var finish = form.querySelector("[data-step-finish]");
    if (steps.length < 2) {
      return;
    }
    var current = 0;
    var bar = document.createElement("div");
    bar.className = "stepper";
    var progress = document.createElement("p");
    progress.setAttribute("aria-live", "polite");
    var back = document.createElement("button");
    back.type = "button";
    back.className = "secondary-button";
    back.textContent = "Back";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next";
    bar.appendChild(progress);
    bar.appendChild(back);
    bar.appendChild(next);
    steps[0].parentNode.insertBefore(bar, steps[steps.length - 1].nextSibling);
    var show = function () {
      var stepping = narrow.matches;
      Array.prototype.forEach.call(steps, function (step, index) {
        step.hidden = stepping && index !== current;
      });
      bar.hidden = !stepping;
      if (finish) {
        finish.hidden = stepping && current !== steps.length - 1;
      }
      progress.textContent = "Question " + (current + 1) + " of " + steps.length;
      back.disabled = current === 0;
      next.hidden = current === steps.length - 1;
    };
    var go = function (index) {
      current = Math.max(0, Math.min(steps.length - 1, index));
      show();
      var first = steps[current].querySelector("input");
      if (first && narrow.matches) {
        first.focus();
      }
    };
    back.addEventListener("click", function () { go(current - 1); });
    next.addEventListener("click", function () { go(current + 1); });
    Array.prototype.forEach.call(steps, function (step, index) {
      step.addEventListener("change", function () {
        if (narrow.matches && index === current && current < steps.length - 1) {
          setTimeout(function () { go(current + 1); }, 250);
        }
      });
    });
    if (narrow.addEventListener) {
      narrow.addEventListener("change", show);
    }
    show();
  });
})();
