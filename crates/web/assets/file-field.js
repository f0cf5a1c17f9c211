// Fills a form field from a chosen file, for forms with a `[data-file-field]` block:
// as text into the form's textarea (the owner's questionnaire import), or, with
// `data-file-field="data-url"` and `data-target="#id"`, as a data: URL into that field
// (a clinician's licence document). The file is read in the browser and sent with the
// form. Without this script the block stays hidden: text can still be pasted, and a
// credential can still be sent with its note alone.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-file-field]"), function (block) {
    var input = block.querySelector("input[type=file]");
    var form = block.closest("form");
    var asDataUrl = block.getAttribute("data-file-field") === "data-url";
    var target = form && form.querySelector(block.getAttribute("data-target") || "textarea");
    if (!input || !target || !window.FileReader) {
      return;
    }
    block.hidden = false;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) {
        target.value = "";
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        target.value = String(reader.result);
      };
      if (asDataUrl) {
        reader.readAsDataURL(file);
      } else {
        reader.readAsText(file);
      }
    });
  });
})();
