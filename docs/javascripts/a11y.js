/* Small accessibility fixes applied after every (instant) page load. */
(function () {
  "use strict";

  // Wide tables scroll sideways inside a wrapper; keyboard users can only scroll a region
  // they can focus, so an overflowing wrapper becomes a labelled, focusable region.
  // All sizes are read before any attribute is written: a write between two reads would make
  // the browser lay the page out again for the next read, once per table.
  var scrollers = new ResizeObserver(function (entries) {
    var overflowing = entries.map(function (entry) {
      return entry.target.scrollWidth > entry.target.clientWidth + 1;
    });
    entries.forEach(function (entry, index) {
      markScrollable(entry.target, overflowing[index]);
    });
  });

  function tableName(wrap) {
    var tables = Array.prototype.slice.call(document.querySelectorAll(".md-typeset__scrollwrap"));
    var heads = Array.prototype.map.call(wrap.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    return "Table " + (tables.indexOf(wrap) + 1) + (heads.length ? ": " + heads.join(", ") : "");
  }

  function markScrollable(wrap, overflows) {
    // Content tab labels also scroll sideways, but they hold the tabs themselves: focus only.
    var isTable = wrap.classList.contains("md-typeset__scrollwrap");
    if (overflows) {
      if (!wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        if (isTable) {
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", tableName(wrap) + " (scrolls sideways)");
        }
      }
    } else if (wrap.getAttribute("tabindex") === "0") {
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function nameNavigation(root) {
    // With navigation.indexes Material labels a section's nav by its icon-only toggle.
    root.querySelectorAll("nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      var title = nav.querySelector(":scope > .md-nav__title");
      if (label && !label.textContent.trim() && title) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", title.textContent.trim());
      }
    });
    // On small screens the page's contents appear twice: in the menu and beside the page.
    root.querySelectorAll(".md-sidebar--primary nav.md-nav--secondary[aria-label]:not([data-a11y]), " +
      ".md-sidebar--primary .md-nav--secondary nav[aria-label]:not([data-a11y])").forEach(function (nav) {
      nav.setAttribute("data-a11y", "");
      nav.setAttribute("aria-label", nav.getAttribute("aria-label") + " (menu)");
    });
  }

  function label(root) {
    // Material adds a <nav> per code block; give each one a distinct accessible name.
    root.querySelectorAll(".md-code__nav:not([aria-label])").forEach(function (nav, index) {
      nav.setAttribute("aria-label", "Code block actions " + (index + 1));
    });
    nameNavigation(root);
    root.querySelectorAll(".md-typeset__scrollwrap:not([data-a11y]), .tabbed-labels:not([data-a11y])").forEach(function (wrap) {
      wrap.setAttribute("data-a11y", "");
      // No measuring here: reading sizes now would force a layout of the whole page while it
      // loads. The observer reports each wrapper once laid out, and again when it resizes.
      scrollers.observe(wrap);
    });
  }

  // Batch DOM changes (instant navigation swaps the whole content) into one pass per frame.
  var pending = false;
  function watch() {
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        label(document);
      });
    }).observe(document.documentElement, { childList: true, subtree: true });
    label(document);
  }

  // None of this changes what the first paint shows: start once the page has painted and
  // Material has mounted its components, so the work never delays the page's first content.
  function afterPaint() {
    requestAnimationFrame(function () {
      setTimeout(watch, 0);
    });
  }
  if (document.readyState === "complete") afterPaint();
  else window.addEventListener("load", afterPaint, { once: true });
})();
