// Fills a textarea from a chosen file: for forms with a `[data-file-field]` block (the
// owner's questionnaire import). The file is read in the browser and sent as the form's
// text field; without this script the block stays hidden and the text can be pasted.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-file-field]"), function (block) {
    var input = block.querySelector("input[type=file]");
    var form = block.closest("form");
    var target = form && form.querySelector("textarea");
    if (!input || !target || !window.FileReader) {
      return;
    }
    block.hidden = false;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) {
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        target.value = String(reader.result);
      };
      reader.readAsText(file);
    });
  });
})();
