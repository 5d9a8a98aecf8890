/* berpa: tables people can work with, on list pages and pages per group. Each table marked
   data-sortable gets a button in every column heading that sorts its rows (aria-sort says how),
   a box that keeps the rows containing a text, a choice of status where the table has one, and
   a link that downloads the rows shown as CSV. Without this script the whole table shows,
   sorted by name, and the link downloads the collection's full CSV.
   No inline code: this file is loaded from the site itself (Content-Security-Policy 'self'). */
(function () {
  'use strict';
  if (!document.querySelectorAll || !window.Blob || !window.URL || !URL.createObjectURL) return;

  /* Case, accents and the Azerbaijani letters folded, as the search box does. */
  function fold(s) {
    s = String(s || '').toLowerCase().replace(/ə/g, 'e').replace(/ı/g, 'i');
    if (s.normalize) s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    return s;
  }

  function cellText(c) { return (c.textContent || '').replace(/\s+/g, ' ').trim(); }

  /* What a cell sorts by: its data-sort (a number or an ISO date) or its text; "—" is empty. */
  function sortValue(c) {
    if (!c) return '';
    var v = c.getAttribute('data-sort');
    if (v !== null) return v;
    var t = cellText(c);
    return t === '—' ? '' : t;
  }

  /* In the CSV a cell is its data-csv (an amount with its currency), else its sort value (a
     plain number, an ISO date), else its text. A spreadsheet must not read a cell as a formula (the same rule as berpa's own CSV files). */
  function csvField(s) {
    s = String(s);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function setup(table, n) {
    var tools = table.closest('.records-block');
    if (!tools) return;
    var box = tools.querySelector('.table-tools');
    var link = tools.querySelector('a.rows-download');
    var body = table.tBodies[0];
    var heads = table.tHead ? Array.prototype.slice.call(table.tHead.rows[0].cells) : [];
    if (!box || !body || !heads.length) return;
    var rows = Array.prototype.slice.call(body.rows);
    var lang = document.documentElement.lang || 'en';
    var collator = window.Intl && Intl.Collator ? new Intl.Collator(lang, { numeric: true, sensitivity: 'base' }) : null;
    var sortCol = 0;
    var ascending = true;
    var url = null;

    /* The filter box and, where rows have a status, the choice of status. */
    var filterId = 'table-filter-' + n;
    var label = document.createElement('label');
    label.setAttribute('for', filterId);
    label.textContent = box.getAttribute('data-filter-label');
    var input = document.createElement('input');
    input.type = 'search';
    input.id = filterId;
    input.setAttribute('aria-controls', table.id);
    var field = document.createElement('div');
    field.className = 'table-tool';
    field.appendChild(label);
    field.appendChild(input);
    box.appendChild(field);

    var statuses = [];
    rows.forEach(function (r) {
      var s = r.querySelector('.status');
      if (s && statuses.indexOf(cellText(s)) < 0) statuses.push(cellText(s));
    });
    var select = null;
    if (statuses.length > 1) {
      var statusId = 'table-status-' + n;
      var sl = document.createElement('label');
      sl.setAttribute('for', statusId);
      sl.textContent = box.getAttribute('data-status-label');
      select = document.createElement('select');
      select.id = statusId;
      select.setAttribute('aria-controls', table.id);
      var all = document.createElement('option');
      all.value = '';
      all.textContent = box.getAttribute('data-all-label');
      select.appendChild(all);
      statuses.sort().forEach(function (s) {
        var o = document.createElement('option');
        o.value = s;
        o.textContent = s;
        select.appendChild(o);
      });
      var sf = document.createElement('div');
      sf.className = 'table-tool';
      sf.appendChild(sl);
      sf.appendChild(select);
      box.appendChild(sf);
    }
    var shown = document.createElement('p');
    shown.className = 'table-shown';
    shown.setAttribute('role', 'status');
    box.appendChild(shown);
    box.hidden = false;

    /* A button in every heading. */
    heads.forEach(function (th, i) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sort';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener('click', function () {
        ascending = sortCol === i ? !ascending : true;
        sortCol = i;
        sort();
      });
    });

    function compare(a, b) {
      var x = sortValue(a.cells[sortCol]);
      var y = sortValue(b.cells[sortCol]);
      if (x === '' || y === '') return x === y ? 0 : x === '' ? 1 : -1; /* empty cells last */
      var nx = Number(x), ny = Number(y);
      var c = !isNaN(nx) && !isNaN(ny) ? nx - ny : collator ? collator.compare(x, y) : x < y ? -1 : x > y ? 1 : 0;
      return ascending ? c : -c;
    }

    function sort() {
      var order = rows.map(function (r, i) { return [r, i]; });
      order.sort(function (a, b) { return compare(a[0], b[0]) || a[1] - b[1]; });
      order.forEach(function (p) { body.appendChild(p[0]); });
      heads.forEach(function (th, i) {
        if (i === sortCol) th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        else th.removeAttribute('aria-sort');
      });
      update();
    }

    function visible() {
      return Array.prototype.filter.call(body.rows, function (r) { return !r.hidden; });
    }

    function filter() {
      var q = fold(input.value.trim());
      var st = select ? select.value : '';
      rows.forEach(function (r) {
        var s = r.querySelector('.status');
        var ok = (!q || fold(cellText(r)).indexOf(q) >= 0) && (!st || (s && cellText(s) === st));
        r.hidden = !ok;
      });
      update();
    }

    /* The count shown, and the download link made of the rows shown. */
    function update() {
      var v = visible();
      shown.textContent = box.getAttribute('data-shown').replace('{n}', v.length).replace('{total}', rows.length);
      var lines = [heads.map(function (th) { return csvField(cellText(th)); }).join(',')];
      v.forEach(function (r) {
        lines.push(Array.prototype.map.call(r.cells, function (c) {
          return csvField(c.hasAttribute('data-csv') ? c.getAttribute('data-csv') : sortValue(c));
        }).join(','));
      });
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(new Blob(['\ufeff' + lines.join('\r\n') + '\r\n'], { type: 'text/csv' }));
      if (link) {
        link.href = url;
        link.textContent = box.getAttribute('data-rows-label');
        link.setAttribute('download', (box.getAttribute('data-file') || 'rows') + '.csv');
      }
    }

    input.addEventListener('input', filter);
    if (select) select.addEventListener('change', filter);
    update();
  }

  Array.prototype.forEach.call(document.querySelectorAll('table[data-sortable]'), setup);
})();
