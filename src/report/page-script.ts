/**
 * The interactive page's own script (plain ES2017, inlined after the vega runtime; docs/reading-a-report.md
 * says what a reader can do with it). It
 *
 * - renders every `figure.rl-figure` from the vega spec in its `script.rl-spec` (compiled from the
 *   vega-lite spec in Node) into its `.rl-view`, then hides the static SVG in `.rl-fallback`, which is
 *   what shows with scripts off or if rendering fails;
 * - shows a mark's tooltip fields on hover (`#rl-tooltip`), and on click copies the mark's `tt_replay`
 *   command to the clipboard (the last copy is also kept in `body[data-rl-copied]` and announced in the
 *   `#rl-status` live region) and highlights the instance in every plot and table;
 * - makes every `table.rl-table` sortable (a button per header; `aria-sort` says the order; numbers sort by
 *   their exact value in `data-v`, blanks last) and filterable per column (text: a substring, case-blind;
 *   numbers also `<x`, `<=x`, `>x`, `>=x`);
 * - wires the instance table's `a.rl-show` links (highlight the instance's points: the `rl_hl` signal of
 *   each view) and `button.rl-copy` buttons (copy the row's replay command).
 *
 * It reports nothing to the console unless something fails: the browser test counts console errors.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var doc = document;
  doc.documentElement.classList.add('rl-js');
  var statusEl = doc.getElementById('rl-status');
  var tip = doc.createElement('div');
  tip.id = 'rl-tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  doc.body.appendChild(tip);
  var views = [];

  function announce(text) {
    if (statusEl) statusEl.textContent = text;
  }
  function fallbackCopy(text) {
    var ta = doc.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    doc.body.appendChild(ta);
    ta.select();
    try { doc.execCommand('copy'); } catch (e) { /* the command stays shown in the status line */ }
    doc.body.removeChild(ta);
  }
  function copy(text) {
    doc.body.setAttribute('data-rl-copied', text);
    announce('Copied the replay command: ' + text);
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(null, function () { fallbackCopy(text); });
    else fallbackCopy(text);
  }
  function highlight(id) {
    views.forEach(function (v) {
      try { v.signal('rl_hl', id).runAsync(); } catch (e) { /* a view without instance marks has no rl_hl */ }
    });
    var rows = doc.querySelectorAll('tr[data-rl-id]');
    for (var i = 0; i < rows.length; i++) rows[i].classList.toggle('rl-selected', rows[i].getAttribute('data-rl-id') === id);
  }

  function showTip(handler, event, item, value) {
    if (value === null || value === undefined || value === '') { tip.hidden = true; return; }
    tip.textContent = '';
    if (typeof value !== 'object') {
      tip.textContent = String(value);
    } else {
      var table = doc.createElement('table');
      Object.keys(value).forEach(function (k) {
        var tr = table.insertRow();
        var th = doc.createElement('th');
        th.textContent = k;
        tr.appendChild(th);
        var td = tr.insertCell();
        var text = String(value[k]);
        if (k === 'replay') {
          var code = doc.createElement('code');
          code.className = 'rl-replay';
          code.textContent = text;
          td.appendChild(code);
        } else {
          td.textContent = text;
        }
      });
      tip.appendChild(table);
      if (value.replay && value.replay !== '-') {
        var hint = doc.createElement('div');
        hint.className = 'rl-hint';
        hint.textContent = 'click the mark to copy the replay command';
        tip.appendChild(hint);
      }
    }
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, event.clientX - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, event.clientY - h - 14);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  var pending = 0;
  function settled() {
    pending--;
    if (pending === 0) doc.body.setAttribute('data-rl-ready', 'true');
  }
  var figures = doc.querySelectorAll('figure.rl-figure');
  Array.prototype.forEach.call(figures, function (fig) {
    var holder = fig.querySelector('.rl-view');
    var fallback = fig.querySelector('.rl-fallback');
    var specEl = fig.querySelector('script.rl-spec');
    if (!holder || !specEl || typeof vega === 'undefined') return;
    var view;
    try {
      view = new vega.View(vega.parse(JSON.parse(specEl.textContent)), { renderer: 'svg', container: holder, hover: true });
    } catch (e) {
      console.error('robustlaw report: figure ' + fig.id + ' could not be rendered, the static SVG stays: ' + e);
      return;
    }
    view.tooltip(showTip);
    view.addEventListener('click', function (event, item) {
      var d = item && item.datum;
      if (d && d.tt_replay && d.tt_replay !== '-') {
        copy(d.tt_replay);
        if (d.tt_instance) highlight(d.tt_instance);
      }
    });
    views.push(view);
    pending++;
    view.runAsync().then(function () {
      var svg = holder.querySelector('svg');
      if (!svg || holder.querySelectorAll('.role-mark').length === 0) {
        console.error('robustlaw report: figure ' + fig.id + ' drew no marks, the static SVG stays');
        settled();
        return;
      }
      var caption = fig.querySelector('figcaption');
      if (caption) svg.setAttribute('aria-label', caption.textContent);
      holder.hidden = false;
      if (fallback) fallback.hidden = true;
      fig.setAttribute('data-rl-rendered', 'true');
      settled();
    }, function (e) {
      console.error('robustlaw report: figure ' + fig.id + ' failed to render, the static SVG stays: ' + e);
      settled();
    });
  });
  if (pending === 0) doc.body.setAttribute('data-rl-ready', 'true');
  doc.addEventListener('mouseleave', function () { tip.hidden = true; });

  function cellKey(td) {
    var v = td.getAttribute('data-v');
    if (v !== null) return Number(v);
    var t = td.textContent.trim();
    return t === '-' || t === '' ? null : t.toLowerCase();
  }
  function compare(a, b) {
    if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function matches(td, filter) {
    if (filter === '') return true;
    var m = /^(<=|>=|<|>)\s*(-?[0-9.]+(?:e-?[0-9]+)?)$/i.exec(filter);
    var v = td.getAttribute('data-v');
    if (m && v !== null) {
      var x = Number(v), y = Number(m[2]);
      return m[1] === '<' ? x < y : m[1] === '<=' ? x <= y : m[1] === '>' ? x > y : x >= y;
    }
    return td.textContent.toLowerCase().indexOf(filter.toLowerCase()) >= 0;
  }
  Array.prototype.forEach.call(doc.querySelectorAll('table.rl-table'), function (table) {
    var head = table.tHead.rows[0];
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var filters = [];
    var filterRow = table.tHead.insertRow();
    filterRow.className = 'rl-filters';
    Array.prototype.forEach.call(head.cells, function (th, j) {
      var label = th.textContent;
      var button = doc.createElement('button');
      button.type = 'button';
      button.className = 'rl-sort';
      button.textContent = label;
      button.title = 'sort by ' + label;
      th.textContent = '';
      th.appendChild(button);
      th.setAttribute('aria-sort', 'none');
      button.addEventListener('click', function () {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        Array.prototype.forEach.call(head.cells, function (c) { c.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', dir);
        var sign = dir === 'ascending' ? 1 : -1;
        var keyed = rows.map(function (r, i) { return { r: r, k: cellKey(r.cells[j]), i: i }; });
        keyed.sort(function (a, b) {
          if (a.k === null || b.k === null) return compare(a.k, b.k) || a.i - b.i;
          return sign * compare(a.k, b.k) || a.i - b.i;
        });
        keyed.forEach(function (e) { body.appendChild(e.r); });
      });
      var cell = doc.createElement('td');
      var input = doc.createElement('input');
      input.type = 'search';
      input.className = 'rl-filter';
      input.placeholder = 'filter';
      input.setAttribute('aria-label', 'filter the column ' + label);
      input.addEventListener('input', function () {
        var shown = 0;
        rows.forEach(function (r) {
          var ok = filters.every(function (f, c) { return matches(r.cells[c], f.value.trim()); });
          r.hidden = !ok;
          if (ok) shown++;
        });
        table.setAttribute('data-rl-shown', String(shown));
      });
      filters.push(input);
      cell.appendChild(input);
      filterRow.appendChild(cell);
    });
  });
  Array.prototype.forEach.call(doc.querySelectorAll('a.rl-show'), function (a) {
    a.addEventListener('click', function () { highlight(a.getAttribute('data-rl-id')); });
  });
  Array.prototype.forEach.call(doc.querySelectorAll('button.rl-copy'), function (b) {
    b.addEventListener('click', function () { copy(b.getAttribute('data-rl-cmd')); });
  });
})();
`;
