/* Figures open full size in a dialog: click (or Enter on) a figure, zoom to 2x, close with
   Escape, the close button or a click outside. Each figure is a link to its SVG, so without
   this script (or with a modifier key) the figure still opens full size in the browser. */
(function () {
  "use strict";

  var dialog = null;
  var opener = null;

  function build() {
    var element = document.createElement("dialog");
    element.className = "figure-dialog";
    element.innerHTML =
      '<div class="figure-dialog__bar">' +
      '<p class="figure-dialog__title"></p>' +
      '<button type="button" class="figure-dialog__zoom" aria-pressed="false">Zoom in</button>' +
      '<button type="button" class="figure-dialog__close" aria-label="Close the figure">Close</button>' +
      "</div>" +
      '<div class="figure-dialog__view"><img alt=""></div>';
    element.querySelector(".figure-dialog__close").addEventListener("click", function () {
      element.close();
    });
    element.querySelector(".figure-dialog__zoom").addEventListener("click", function (event) {
      var zoomed = element.classList.toggle("figure-dialog--zoomed");
      var view = element.querySelector(".figure-dialog__view img");
      view.style.width = zoomed ? 2 * Number(view.getAttribute("width")) + "px" : "";
      event.currentTarget.setAttribute("aria-pressed", String(zoomed));
      event.currentTarget.textContent = zoomed ? "Fit to screen" : "Zoom in";
    });
    element.addEventListener("click", function (event) {
      if (event.target === element) element.close(); // the backdrop
    });
    element.addEventListener("close", function () {
      if (opener && opener.isConnected) opener.focus();
      opener = null;
    });
    document.body.appendChild(element);
    return element;
  }

  function open(link) {
    // Instant navigation replaces the page body, dialog included: build it again when needed.
    if (!dialog || !dialog.isConnected) dialog = build();
    var image = link.querySelector("img");
    var figure = link.closest("figure");
    var caption = figure ? figure.querySelector("figcaption") : null;
    var view = dialog.querySelector(".figure-dialog__view img");
    var title = caption ? caption.textContent.trim() : image.alt;
    view.src = link.href;
    view.alt = image.alt;
    view.setAttribute("width", image.getAttribute("width") || "");
    view.setAttribute("height", image.getAttribute("height") || "");
    view.style.width = "";
    dialog.querySelector(".figure-dialog__title").textContent = title;
    dialog.setAttribute("aria-label", title);
    dialog.classList.remove("figure-dialog--zoomed");
    var zoom = dialog.querySelector(".figure-dialog__zoom");
    zoom.setAttribute("aria-pressed", "false");
    zoom.textContent = "Zoom in";
    opener = link;
    dialog.showModal();
  }

  // Capture phase: decide before Material's instant navigation looks at the click.
  document.addEventListener(
    "click",
    function (event) {
      var link = event.target instanceof Element ? event.target.closest("a.figure-open") : null;
      if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      if (typeof HTMLDialogElement !== "function") return; // very old browsers: follow the link
      event.preventDefault();
      event.stopPropagation();
      open(link);
    },
    true
  );
})();
