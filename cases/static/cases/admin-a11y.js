// Names and roles that Django's bundled widgets (select2 autocompletes, the two-box selector) leave
// out, so that screen readers announce every control (axe: label, aria-input-field-name, list,
// aria-prohibited-attr). The widgets draw themselves after the page loads and again as they are
// used: an observer labels whatever they add.
"use strict";
(function () {
  function labelText(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : select.name;
  }

  function labelAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      const name = labelText(select);
      container.querySelectorAll('[role="combobox"], [role="textbox"], input.select2-search__field')
        .forEach(function (element) {
          if (element.getAttribute("aria-label") !== name) {
            element.setAttribute("aria-label", name);
          }
        });
      // select2 puts its "remove all" button among the list items of a multiple choice.
      container.querySelectorAll("ul > .select2-selection__clear:not([role])").forEach(function (element) {
        element.setAttribute("role", "listitem");
      });
    });
    // The two-box selector's help icons carry a label but no role that may have one.
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (element) {
      element.setAttribute("role", "img");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    labelAutocompletes();
    new MutationObserver(labelAutocompletes).observe(document.body, { childList: true, subtree: true });
  });
})();
