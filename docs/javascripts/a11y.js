/* Small accessibility fixes applied after every (instant) page load. */
(function () {
  "use strict";

  function label(root) {
    // Material adds a <nav> per code block; give each one a distinct accessible name.
    root.querySelectorAll(".md-code__nav:not([aria-label])").forEach(function (nav, index) {
      nav.setAttribute("aria-label", "Code block actions " + (index + 1));
    });
    // Glossary terms show their definition on focus as well as on hover.
    root.querySelectorAll(".md-typeset abbr[title]:not([tabindex])").forEach(function (abbr) {
      abbr.setAttribute("tabindex", "0");
    });
  }

  new MutationObserver(function () {
    label(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
  label(document);
})();
