/* Glossary tooltips, mounted on demand: a term's definition shows on hover, on keyboard focus and
   on tap (a11y.js makes each term focusable), in Material's own tooltip style (.md-tooltip2).
   Material's content.tooltips would mount every <abbr> at load, up to 160 a page, each reading
   its position from the layout; here nothing runs until a reader points at or focuses a term. */
(function () {
  "use strict";

  var TERM = ".md-typeset abbr[title], .md-typeset abbr[data-tooltip-title]";
  var tip = null;
  var current = null;

  function element() {
    // Instant navigation replaces the page: build the tooltip again when it is gone.
    if (tip && tip.isConnected) return tip;
    tip = document.createElement("div");
    tip.className = "md-tooltip2";
    tip.setAttribute("role", "tooltip");
    tip.id = "__tooltip2_term";
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    tip.appendChild(inner);
    document.body.appendChild(tip);
    return tip;
  }

  function show(term) {
    if (current === term) return;
    hide();
    var text = term.getAttribute("title");
    if (!text) return;
    var box = element();
    box.firstChild.textContent = text;
    // The definition is now on screen: no native tooltip on top of it, and the term points at it.
    term.setAttribute("data-tooltip-title", text);
    term.removeAttribute("title");
    term.setAttribute("aria-describedby", box.id);
    var rect = term.getBoundingClientRect();
    box.style.setProperty("--md-tooltip-host-x", rect.left + window.scrollX + "px");
    box.style.setProperty("--md-tooltip-host-y", rect.top + window.scrollY + "px");
    box.style.setProperty("--md-tooltip-x", rect.width / 2 + "px");
    box.style.setProperty("--md-tooltip-y", rect.height + 8 + "px");
    box.style.setProperty("--md-tooltip-tail", "0px");
    box.style.setProperty("--md-tooltip-width", box.firstChild.getBoundingClientRect().width + "px");
    box.classList.add("md-tooltip2--bottom");
    // Next frame, so the fade-in transition starts from the hidden state.
    requestAnimationFrame(function () {
      if (current === term) box.classList.add("md-tooltip2--active");
    });
    current = term;
  }

  function hide() {
    if (!current) return;
    var term = current;
    current = null;
    term.setAttribute("title", term.getAttribute("data-tooltip-title"));
    term.removeAttribute("data-tooltip-title");
    term.removeAttribute("aria-describedby");
    if (tip) tip.classList.remove("md-tooltip2--active");
  }

  function termOf(event) {
    return event.target instanceof Element ? event.target.closest(TERM) : null;
  }

  document.addEventListener("mouseover", function (event) {
    var term = termOf(event);
    if (term) show(term);
  });
  document.addEventListener("mouseout", function (event) {
    var term = termOf(event);
    var to = event.relatedTarget;
    if (term && term === current && !(to instanceof Node && term.contains(to)) && document.activeElement !== term) hide();
  });
  document.addEventListener("focusin", function (event) {
    var term = termOf(event);
    if (term) show(term);
    else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (termOf(event) === current) hide();
  });
  // WCAG 1.4.13: the reader can dismiss the definition without moving the pointer or focus.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
