// berpa serve: live reload and the build-error overlay.
// Served by the development server only (at /__berpa/livereload.js); never part of a built site.
// It is a file, not an inline script, so the site's Content-Security-Policy (script-src 'self')
// holds in development too. Diagnostic text is only ever set with textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var site = script ? script.getAttribute("data-site") : null;
  var path = script ? script.getAttribute("data-path") || "" : "";
  // Files a page loads: when one of them changes, every open page reloads.
  var ASSET = /\.(css|js|mjs|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf)$/;

  function affects(st) {
    if (path === "404.html" || st.changed_count > st.changed.length) {
      return true;
    }
    for (var i = 0; i < st.changed.length; i++) {
      if (st.changed[i] === path || ASSET.test(st.changed[i])) {
        return true;
      }
    }
    return false;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }

  function hideOverlay() {
    var o = document.getElementById("berpa-overlay");
    if (o) {
      o.remove();
    }
  }

  function ensureStyle() {
    if (document.querySelector('link[href="/__berpa/overlay.css"]')) {
      return;
    }
    var l = document.createElement("link");
    l.rel = "stylesheet";
    l.href = "/__berpa/overlay.css";
    (document.head || document.body).appendChild(l);
  }

  function place(d) {
    var s = d.file;
    if (d.line > 0) {
      s += ":" + d.line + ":" + Math.max(d.column, 1);
    }
    return s;
  }

  function wireClose(root) {
    var b = root.querySelector(".berpa-close");
    if (b) {
      b.hidden = false;
      b.addEventListener("click", hideOverlay);
    }
  }

  function showOverlay(st) {
    var errors = st.diagnostics.filter(function (d) {
      return d.severity === "error";
    });
    ensureStyle();
    hideOverlay();
    var root = el("div", "berpa-overlay");
    root.id = "berpa-overlay";
    root.setAttribute("role", "alertdialog");
    root.setAttribute("aria-labelledby", "berpa-overlay-title");
    var box = el("div", "berpa-overlay-box");
    var h = el("h2", "berpa-overlay-title", "The site did not build: " + errors.length + " error(s)");
    h.id = "berpa-overlay-title";
    box.appendChild(h);
    box.appendChild(el("p", "berpa-overlay-note",
      "berpa is still serving the last good version. Fix the problem and save: this page updates by itself."));
    var list = el("ol", "berpa-errors");
    errors.forEach(function (d) {
      var li = el("li", "berpa-error");
      li.appendChild(el("code", "berpa-loc", place(d)));
      li.appendChild(el("p", "berpa-msg", d.message));
      if (d.help) {
        li.appendChild(el("p", "berpa-help", "help: " + d.help));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    var close = el("button", "berpa-close", "Dismiss");
    close.type = "button";
    box.appendChild(close);
    root.appendChild(box);
    document.body.appendChild(root);
    wireClose(root);
  }

  // An overlay the server put into the page (the page was loaded while the build was broken).
  var served = document.getElementById("berpa-overlay");
  if (served) {
    wireClose(served);
  }

  if (typeof EventSource === "undefined") {
    return;
  }
  var fresh = true;
  var source = new EventSource("/__berpa/events");
  source.addEventListener("open", function () {
    fresh = true;
  });
  source.addEventListener("status", function (e) {
    var st;
    try {
      st = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    // The first status after (re)connecting may follow builds this page never heard of.
    var catchUp = fresh;
    fresh = false;
    if (!st.ok) {
      showOverlay(st);
      return;
    }
    hideOverlay();
    var now = String(st.site);
    if (site !== null && now !== site) {
      if (catchUp || affects(st)) {
        window.location.reload();
        return;
      }
      site = now;
    }
  });
})();
