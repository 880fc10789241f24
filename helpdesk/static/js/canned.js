// "Insert a saved reply" on the ticket page (templates/canned/picker.html).
// The page works without this file: the picker is a GET form that reloads the page with the
// reply box filled. With it, "Insert" puts the chosen reply's text, which the server already
// rendered for this ticket into the option's data-text, into the reply box without reloading.
// The text is only ever assigned as a value (setRangeText), never parsed as HTML or code.
"use strict";

document.querySelectorAll("form[data-canned-target]").forEach((picker) => {
  const box = document.getElementById(picker.dataset.cannedTarget);
  const choice = picker.querySelector("select");
  if (!box || !choice) {
    return;
  }
  picker.addEventListener("submit", (event) => {
    const option = choice.selectedOptions[0];
    if (!option) {
      return;
    }
    event.preventDefault();
    // Replace what is selected in the box (the cursor, if nothing is): typed text is kept.
    box.setRangeText(option.dataset.text || "", box.selectionStart, box.selectionEnd, "end");
    box.focus();
  });
});
