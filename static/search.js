/* berpa: the search box. Loads the language's search-index.json the first time the reader uses
   the box and lists the records whose names (in any language), place or kind match what is
   typed. Without this script the form still works: it goes to the list of settlements.
   No inline code: this file is loaded from the site itself (Content-Security-Policy 'self'). */
(function () {
  'use strict';
  var form = document.querySelector('form.site-search');
  if (!form || !window.fetch || !document.getElementById) return;
  var input = form.querySelector('input[type="search"]');
  var status = document.getElementById('site-search-status');
  var list = document.getElementById('site-search-results');
  if (!input || !status || !list) return;
  var home = form.getAttribute('data-home') || '';
  var url = form.getAttribute('data-index');
  var LIMIT = 20;
  var index = null;
  var loading = null;
  var results = [];
  var statusTimer = null;

  form.classList.add('search-ready');
  /* aria-controls only: aria-expanded is not allowed on a search box (role searchbox), and the
     results are links, not a listbox; their count is announced in the status line. */
  input.setAttribute('aria-controls', list.id);

  /* Case, accents and the Azerbaijani letters folded, so "fuzuli" finds Füzuli and "susa" Şuşa. */
  function fold(s) {
    s = String(s || '').toLowerCase().replace(/ə/g, 'e').replace(/ı/g, 'i');
    if (s.normalize) s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    return s;
  }

  function load() {
    if (loading) return loading;
    loading = fetch(url, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        data.records.forEach(function (r) {
          r.names = [r.t].concat(r.n || []).map(fold);
          r.hay = r.names.concat([fold(r.w), fold(r.k)]).join(' ');
        });
        index = data;
        return data;
      })
      .catch(function () { loading = null; index = null; });
    return loading;
  }

  function label(key, n) {
    var t = (index && index.labels && index.labels[key]) || '';
    return t.replace('{n}', n).replace('{shown}', LIMIT);
  }

  function say(text) {
    clearTimeout(statusTimer);
    /* Announce once the reader pauses, not at every key. */
    statusTimer = setTimeout(function () { status.textContent = text; }, 400);
  }

  function clear() {
    while (list.firstChild) list.removeChild(list.firstChild);
    list.hidden = true;
    results = [];
  }

  function search() {
    var q = fold(input.value).trim();
    clear();
    if (!q || !index) { clearTimeout(statusTimer); status.textContent = ''; return; }
    var terms = q.split(/\s+/);
    var found = index.records.filter(function (r) {
      return terms.every(function (t) { return r.hay.indexOf(t) !== -1; });
    });
    /* Names that start with what was typed come first; otherwise the index's order. */
    var starts = function (r) {
      return r.names.some(function (n) { return n.indexOf(q) === 0; }) ? 0 : 1;
    };
    found = found.map(function (r, i) { return [starts(r), i, r]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (x) { return x[2]; });
    results = found;
    found.slice(0, LIMIT).forEach(function (r) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = home + r.p;
      a.textContent = r.t;
      li.appendChild(a);
      var meta = [r.k, r.w, r.s].filter(Boolean).join(' · ');
      if (meta) {
        var span = document.createElement('span');
        span.className = 'search-meta';
        span.textContent = ' ' + meta;
        li.appendChild(span);
      }
      list.appendChild(li);
    });
    list.hidden = found.length === 0;
    var text = found.length === 0 ? label('search_none', 0)
      : label(found.length === 1 ? 'search_results_one' : 'search_results_many', found.length);
    if (found.length > LIMIT) text += ' — ' + label('search_shown', found.length);
    say(text);
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    if (index) search(); else load().then(search);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown' && links().length) { e.preventDefault(); links()[0].focus(); }
    else if (e.key === 'Escape') { input.value = ''; search(); }
  });
  list.addEventListener('keydown', function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); if (i > 0) all[i - 1].focus(); else input.focus(); }
    else if (e.key === 'Escape') { e.preventDefault(); input.focus(); input.value = ''; search(); }
  });
  /* A search sent before the script ran (the form's fallback) is shown where it lands. */
  var sent = window.URLSearchParams ? new URLSearchParams(window.location.search).get('q') : null;
  if (sent) {
    input.value = sent;
    load().then(search);
  }
  form.addEventListener('submit', function (e) {
    /* With the index loaded, Enter opens the first match; without it the form goes on to the
       list of settlements as it would without the script. */
    if (!index) return;
    e.preventDefault();
    if (!results.length) search();
    var first = links()[0];
    if (first) window.location.href = first.href;
  });
}());
