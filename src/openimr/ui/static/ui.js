// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Following a criterion's evidence link: highlight exactly that span's pieces in the record pane.
  function highlight(id) {
    document.querySelectorAll("mark.ev.current").forEach(function (m) { m.classList.remove("current"); });
    if (!id || id.indexOf("ev-") !== 0) { return; }
    var first = null;
    document.querySelectorAll("mark.ev").forEach(function (m) {
      if ((m.getAttribute("data-ev") || "").split(" ").indexOf(id) >= 0) {
        m.classList.add("current");
        if (!first) { first = m; }
      }
    });
    var anchor = document.getElementById(id);
    if (first) { first.scrollIntoView({ block: "center" }); }
    if (anchor) { anchor.focus({ preventScroll: true }); }
  }
  window.addEventListener("hashchange", function () { highlight(location.hash.slice(1)); });
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.evlink") : null;
    if (a && location.hash === "#" + a.getAttribute("data-ev")) { highlight(a.getAttribute("data-ev")); }
  });
  if (location.hash) { highlight(location.hash.slice(1)); }

  // A changed decision asks for a rationale of the reviewer's own: the drafted one argues for the
  // drafted outcome. Clear it (and require a new one) when the other outcome is chosen.
  document.querySelectorAll("fieldset.decide").forEach(function (fs) {
    var base = fs.getAttribute("data-base-decision");
    var text = fs.querySelector("textarea");
    var hint = fs.querySelector(".hint");
    if (!base || !text) { return; }
    var drafted = text.getAttribute("data-base-rationale") || "";
    var original = hint ? hint.textContent : "";
    fs.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.addEventListener("change", function () {
        if (r.value !== base) {
          if (text.value.trim() === drafted.trim()) { text.value = ""; }
          text.required = true;
          if (hint) { hint.textContent = "You changed the decision to " + r.value + ": write the rationale for it."; }
        } else {
          if (!text.value.trim()) { text.value = drafted; }
          text.required = false;
          if (hint) { hint.textContent = original; }
        }
      });
    });
  });
})();
