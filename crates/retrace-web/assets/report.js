/* retrace report renderer: the one view shared by the web app (/) and the
 * standalone report file (`retrace compare|check --html FILE`).
 *
 *   RetraceReport.render(root, data) -> { select(index) }
 *
 * data is the report's JSON object plus the texts its spans refer to:
 *   { query: {id, chars}, verdict, headline, sources: [{id, verdict, confidence, score, query_coverage, source_coverage, chars,
 *       passages: [{query: [s, e], source: [s, e], similarity, kind, links: [{query, source, similarity}]}],
 *       findings: [{kind, source: [s, e] | null, query: [s, e] | null, detail}]}],
 *     texts: { query: "...", sources: { "<id>": "..." } } }
 * Spans are [start, end) offsets in Unicode code points (not UTF-16 units):
 * texts are split with Array.from before slicing.
 *
 * A page holding a JSON script element with the id retrace-data is drawn
 * into #report on load (the standalone file).
 *
 * Stable hooks (for tests): #report-summary; table#sources tbody tr.source-row
 * [data-index][aria-selected] (click, Enter or Space picks one); #source-detail;
 * #passages li[data-passage] button.show-passage; #findings li[data-kind]
 * [data-finding] with a.jump-query / a.jump-source; #link-info; #side-by-side
 * with #text-query / #text-source holding mark.passage[data-link][data-side]
 * [data-passage][data-kind] (data-link: space-separated link ids "P-L") and
 * span.finding-span / .fnd[data-finding] for finding spans. Marks of the
 * active link carry .active, hovered ones .on, the picked finding's spans .flash.
 * Keys: Enter/Space on a mark jumps to its counterpart; j / k step through
 * the sentence links in suspect order.
 *
 * All user text goes in through textContent: no innerHTML anywhere.
 */
(function () {
  'use strict';

  var PASSAGE_KINDS = {
    verbatim: ['verbatim', 'the same words in the same order'],
    'near-verbatim': ['light edit', 'near-verbatim: mostly the same wording with light edits'],
    paraphrase: ['paraphrase', 'the same content in substantially different words'],
    summary: ['summary', 'a much shorter rendering of a longer source stretch']
  };

  var current = null; // the view that j/k drive

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else e.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined) return;
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }

  /* The suspect's id worth showing after the word "Suspect": none for the
   * server's default id "suspect" (a pasted text), which would read "Suspect suspect". */
  function queryName(query) {
    var id = query && typeof query.id === 'string' ? query.id : '';
    return id.toLowerCase() === 'suspect' ? '' : id;
  }

  function num(x, digits) {
    return typeof x === 'number' && isFinite(x) ? x.toFixed(digits) : '–';
  }
  function pct(x) {
    return typeof x === 'number' && isFinite(x) ? (x * 100).toFixed(1) + '%' : '–';
  }
  function count(x) {
    return typeof x === 'number' && isFinite(x) ? x.toLocaleString('en-US') : '–';
  }
  function kindLabel(kind) {
    return (PASSAGE_KINDS[kind] || [String(kind || 'passage')])[0];
  }
  function kindBadge(kind) {
    var k = PASSAGE_KINDS[kind];
    return el('span', {
      class: 'kind-badge k-' + String(kind || 'unknown').replace(/[^a-z-]/g, ''),
      title: k ? k[1] : null,
      text: kindLabel(kind)
    });
  }
  function findingLabel(kind) {
    return String(kind || 'finding').replace(/_/g, ' ');
  }
  function isSpan(sp) {
    return Array.isArray(sp) && sp.length === 2 && typeof sp[0] === 'number' && typeof sp[1] === 'number';
  }
  function spanText(sp) {
    return isSpan(sp) ? count(sp[0]) + '–' + count(sp[1]) : '–';
  }

  function reducedMotion() {
    return !!(window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches);
  }

  /* Scrolls `target` into view inside `box` (a scrolling text column), or on
   * the page when the column does not scroll (phone width). */
  function reveal(box, target) {
    if (!box || !target) return;
    var behavior = reducedMotion() ? 'auto' : 'smooth';
    var style = window.getComputedStyle(box);
    var scrolls = box.scrollHeight > box.clientHeight + 1 && /(auto|scroll)/.test(style.overflowY);
    if (scrolls) {
      var top = target.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
      box.scrollTo({ top: Math.max(0, top - box.clientHeight / 3), behavior: behavior });
      var r = box.getBoundingClientRect();
      // the whole column in the window (where it fits), so the target is seen
      if (r.top < 0 || r.bottom > window.innerHeight) box.scrollIntoView({ block: 'nearest', behavior: behavior });
    } else {
      target.scrollIntoView({ block: 'center', behavior: behavior });
    }
  }

  /* Draws `cps` (the text as code points) into `box` with marks for the
   * links' spans on `side` ('query' or 'source') and the findings' spans. */
  function paint(box, cps, side, links, findings, view) {
    var n = cps.length;
    function clip(sp) {
      if (!isSpan(sp)) return null;
      var a = Math.max(0, Math.min(n, Math.floor(sp[0])));
      var b = Math.max(0, Math.min(n, Math.floor(sp[1])));
      return b > a ? [a, b] : null;
    }
    var items = [];
    links.forEach(function (l) {
      var sp = clip(l[side]);
      if (sp) items.push({ a: sp[0], b: sp[1], link: l });
    });
    findings.forEach(function (f, i) {
      var sp = clip(f[side]);
      if (sp) items.push({ a: sp[0], b: sp[1], finding: i });
    });
    var cuts = [0, n];
    items.forEach(function (it) { cuts.push(it.a, it.b); });
    cuts.sort(function (x, y) { return x - y; });
    var bounds = cuts.filter(function (c, i) { return i === 0 || c !== cuts[i - 1]; });
    var at = new Map();
    bounds.forEach(function (b, i) { at.set(b, i); });
    var segLinks = bounds.map(function () { return []; });
    var segFindings = bounds.map(function () { return []; });
    items.forEach(function (it) {
      for (var k = at.get(it.a); k < at.get(it.b); k++) {
        if (it.link) segLinks[k].push(it.link);
        else segFindings[k].push(it.finding);
      }
    });
    var frag = document.createDocumentFragment();
    var prevKey = null;
    var sideKey = side === 'query' ? 'q' : 's';
    for (var k = 0; k + 1 < bounds.length; k++) {
      var txt = cps.slice(bounds[k], bounds[k + 1]).join('');
      var ls = segLinks[k];
      var fs = segFindings[k];
      if (!ls.length && !fs.length) {
        frag.appendChild(document.createTextNode(txt));
        prevKey = null;
        continue;
      }
      var node;
      if (ls.length) {
        ls.sort(function (x, y) { return x.order - y.order; });
        var first = ls[0];
        var key = ls.map(function (l) { return l.id; }).join(' ');
        node = el('mark', {
          class: 'passage c' + (first.p % 8) + (first.l % 2 ? ' alt' : ''),
          'data-link': key,
          'data-side': sideKey,
          'data-passage': first.p,
          'data-kind': first.kind,
          title: 'passage ' + (first.p + 1) + ' (' + kindLabel(first.kind) + '), sentence similarity ' +
            num(first.similarity, 2) + ': Enter or click to show the ' +
            (side === 'query' ? 'source' : 'suspect') + ' side'
        });
        // one tab stop per run of the same link(s)
        node.tabIndex = key === prevKey ? -1 : 0;
        prevKey = key;
        ls.forEach(function (l) { view.marks[sideKey][l.id].push(node); });
      } else {
        node = el('span', { class: 'finding-span' });
        prevKey = null;
      }
      if (fs.length) {
        node.classList.add('fnd');
        node.setAttribute('data-finding', fs.join(' '));
        fs.forEach(function (i) { view.findingEls[sideKey][i].push(node); });
      }
      node.textContent = txt;
      frag.appendChild(node);
    }
    box.appendChild(frag);
  }

  function drawDetail(detail, data, index, qCps) {
    var src = data.sources[index];
    var texts = data.texts || {};
    var srcTexts = texts.sources || {};
    var sText = typeof srcTexts[src.id] === 'string' ? srcTexts[src.id] : null;
    var passages = Array.isArray(src.passages) ? src.passages : [];
    var findings = Array.isArray(src.findings) ? src.findings : [];
    detail.textContent = '';

    var view = {
      links: [],
      marks: { q: {}, s: {} },
      findingEls: { q: [], s: [] },
      active: -1,
      boxes: {}
    };
    passages.forEach(function (p, pi) {
      var ls = Array.isArray(p.links) && p.links.length ? p.links
        : [{ query: p.query, source: p.source, similarity: p.similarity }];
      ls.forEach(function (l, li) {
        var link = {
          id: pi + '-' + li, p: pi, l: li, order: view.links.length,
          query: l.query, source: l.source, similarity: l.similarity, kind: p.kind
        };
        view.links.push(link);
        view.marks.q[link.id] = [];
        view.marks.s[link.id] = [];
      });
    });
    findings.forEach(function () {
      view.findingEls.q.push([]);
      view.findingEls.s.push([]);
    });
    // j/k walk the links in suspect order
    view.order = view.links.slice().sort(function (a, b) {
      var x = isSpan(a.query) ? a.query[0] : 0;
      var y = isSpan(b.query) ? b.query[0] : 0;
      return x - y || a.order - b.order;
    });
    var byId = {};
    view.links.forEach(function (l) { byId[l.id] = l; });

    detail.appendChild(el('h2', { id: 'source-title', text: (index + 1) + '. ' + src.id }));
    detail.appendChild(el('p', { class: 'muted', id: 'source-stats' }, [
      (src.verdict === 'derived' ? 'derived' : 'related') + ' (confidence ' + num(src.confidence, 2) + ') · ' +
      'score ' + num(src.score, 2) + ' · ' + pct(src.query_coverage) + ' of the suspect · ' +
      pct(src.source_coverage) + ' of the source · ' + passages.length + ' passage(s) · ' +
      findings.length + ' finding(s)'
    ]));

    var info = el('p', { id: 'link-info', class: 'link-info', 'aria-live': 'polite' });

    if (passages.length) {
      var pl = el('ul', { id: 'passages', class: 'passages' });
      passages.forEach(function (p, pi) {
        var nLinks = Array.isArray(p.links) ? p.links.length : 0;
        var btn = el('button', { type: 'button', class: 'show-passage', text: 'show' });
        btn.addEventListener('click', function () {
          var first = view.links.filter(function (l) { return l.p === pi; })[0];
          if (first) activate(first, 'q', true);
        });
        pl.appendChild(el('li', { 'data-passage': pi, 'data-kind': p.kind }, [
          el('span', { class: 'swatch c' + (pi % 8), 'aria-hidden': 'true' }),
          'Passage ' + (pi + 1) + ' ',
          kindBadge(p.kind),
          ' similarity ' + num(p.similarity, 2) + ' · suspect ' + spanText(p.query) +
          ' ↔ source ' + spanText(p.source) + (nLinks ? ' · ' + nLinks + ' sentence link(s) ' : ' '),
          btn
        ]));
      });
      detail.appendChild(el('h3', { text: 'Reused passages' }));
      detail.appendChild(pl);
    } else {
      detail.appendChild(el('p', { class: 'empty', text: 'No reused passage was found in this source.' }));
    }

    if (findings.length) {
      detail.appendChild(el('h3', { text: 'What the rewrite changed' }));
      var fl = el('ul', { id: 'findings', class: 'findings' });
      findings.forEach(function (f, fi) {
        var li = el('li', { 'data-kind': f.kind, 'data-finding': fi }, [
          el('span', { class: 'finding-kind', text: findingLabel(f.kind) }),
          ' ',
          el('span', { class: 'finding-detail', text: f.detail || '' })
        ]);
        [['query', 'suspect', 'jump-query', 'q'], ['source', 'source', 'jump-source', 's']].forEach(function (d) {
          if (!isSpan(f[d[0]])) return;
          var a = el('a', {
            href: '#', class: 'jump ' + d[2], role: 'button',
            'aria-label': 'show this ' + findingLabel(f.kind) + ' in the ' + d[1], text: d[1]
          });
          a.addEventListener('click', function (e) {
            e.preventDefault();
            pickFinding(fi, d[3]);
          });
          a.addEventListener('keydown', function (e) {
            if (e.key === ' ') { e.preventDefault(); pickFinding(fi, d[3]); }
          });
          li.appendChild(document.createTextNode(' · '));
          li.appendChild(a);
        });
        fl.appendChild(li);
      });
      detail.appendChild(fl);
    }

    if (passages.length) {
      detail.appendChild(el('p', {
        class: 'hint muted',
        text: 'Each colour is one reused passage; alternate shades are its sentence links. ' +
          'Hover a highlighted sentence to see its counterpart; click it or press Enter to scroll the other side to it; ' +
          'j / k step through the links. Dashed red underlines mark the findings.'
      }));
    }
    detail.appendChild(info);

    var qBox = el('div', { id: 'text-query', class: 'text', 'aria-label': 'suspect text' });
    var sBox = el('div', { id: 'text-source', class: 'text', 'aria-label': 'source text' });
    view.boxes = { q: qBox, s: sBox };
    if (qCps) paint(qBox, qCps, 'query', view.links, findings, view);
    else qBox.appendChild(el('p', { class: 'muted', text: 'The suspect text is not included in this report.' }));
    if (sText !== null) paint(sBox, Array.from(sText), 'source', view.links, findings, view);
    else sBox.appendChild(el('p', { class: 'muted', text: 'The source text is not included in this report.' }));
    var cols = el('div', { id: 'side-by-side', class: 'cols' }, [
      el('div', { class: 'col col-query' }, [
        el('h3', {}, queryName(data.query) ? ['Suspect ', el('span', { class: 'doc-id', text: queryName(data.query) })]
          : ['Suspect text']), qBox
      ]),
      el('div', { class: 'col col-source' }, [
        el('h3', {}, ['Source ', el('span', { class: 'doc-id', text: src.id })]), sBox
      ])
    ]);
    detail.appendChild(cols);

    function linksOf(mark) {
      return (mark.getAttribute('data-link') || '').split(' ').filter(function (id) { return byId[id]; })
        .map(function (id) { return byId[id]; });
    }
    function setClass(ls, cls, on) {
      ls.forEach(function (l) {
        view.marks.q[l.id].concat(view.marks.s[l.id]).forEach(function (m) { m.classList.toggle(cls, on); });
      });
    }
    function clearActive() {
      Array.prototype.forEach.call(cols.querySelectorAll('mark.active'), function (m) { m.classList.remove('active'); });
    }
    function clearFlash() {
      Array.prototype.forEach.call(detail.querySelectorAll('.flash'), function (m) { m.classList.remove('flash'); });
    }
    function activate(link, fromSide, both) {
      clearActive();
      clearFlash();
      setClass([link], 'active', true);
      view.active = view.order.indexOf(link);
      var other = fromSide === 'q' ? 's' : 'q';
      reveal(view.boxes[other], view.marks[other][link.id][0]);
      if (both) reveal(view.boxes[fromSide], view.marks[fromSide][link.id][0]);
      info.textContent = 'Passage ' + (link.p + 1) + ' (' + kindLabel(link.kind) + '), sentence link ' + (link.l + 1) +
        ': similarity ' + num(link.similarity, 2) + ' · suspect ' + spanText(link.query) + ' ↔ source ' + spanText(link.source);
    }
    function activateMark(mark) {
      var ls = linksOf(mark);
      if (!ls.length) return;
      var fromSide = mark.getAttribute('data-side') === 's' ? 's' : 'q';
      activate(ls[0], fromSide, false);
      if (ls.length > 1) setClass(ls, 'active', true);
    }
    function pickFinding(fi, side) {
      clearFlash();
      clearActive();
      view.active = -1;
      var f = findings[fi];
      info.textContent = 'Finding ' + (fi + 1) + ' (' + findingLabel(f.kind) + '): suspect ' + spanText(f.query) +
        ' ↔ source ' + spanText(f.source);
      ['q', 's'].forEach(function (sd) {
        view.findingEls[sd][fi].forEach(function (m) { m.classList.add('flash'); });
      });
      var li = detail.querySelector('#findings li[data-finding="' + fi + '"]');
      if (li) li.classList.add('flash');
      var other = side === 'q' ? 's' : 'q';
      var target = view.findingEls[side][fi][0];
      if (view.findingEls[other][fi][0]) reveal(view.boxes[other], view.findingEls[other][fi][0]);
      if (target) {
        reveal(view.boxes[side], target);
        if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
        target.focus({ preventScroll: true });
      }
    }
    view.step = function (delta) {
      if (!view.order.length) return;
      var i = view.active < 0 ? (delta > 0 ? 0 : view.order.length - 1)
        : Math.max(0, Math.min(view.order.length - 1, view.active + delta));
      var link = view.order[i];
      activate(link, 'q', true);
      var m = view.marks.q[link.id][0];
      if (m) m.focus({ preventScroll: true });
    };

    cols.addEventListener('mouseover', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m) setClass(linksOf(m), 'on', true);
    });
    cols.addEventListener('mouseout', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m) setClass(linksOf(m), 'on', false);
    });
    cols.addEventListener('focusin', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m) setClass(linksOf(m), 'on', true);
    });
    cols.addEventListener('focusout', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m) setClass(linksOf(m), 'on', false);
    });
    cols.addEventListener('click', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m) activateMark(m);
    });
    cols.addEventListener('keydown', function (e) {
      var m = e.target.closest && e.target.closest('mark.passage');
      if (m && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        activateMark(m);
      }
    });
    return view;
  }

  function render(root, data) {
    root.textContent = '';
    data = data || {};
    var sources = Array.isArray(data.sources) ? data.sources : [];
    var query = data.query || {};
    var texts = data.texts || {};
    var qCps = typeof texts.query === 'string' ? Array.from(texts.query) : null;
    var withPassages = sources.filter(function (s) { return s.passages && s.passages.length; }).length;

    root.appendChild(el('p', { id: 'report-summary', class: 'summary' }, [
      queryName(query) ? 'Suspect ' : 'Suspect text',
      queryName(query) ? el('strong', { class: 'doc-id', text: queryName(query) }) : null,
      ' · ' + count(query.chars) + ' characters · ' + sources.length + ' source(s) ranked, ' +
      withPassages + ' with reused passages.'
    ]));
    if (typeof data.headline === 'string' && data.headline) {
      root.appendChild(el('p', {
        id: 'report-verdict',
        class: 'verdict-line ' + (data.verdict === 'derived' ? 'derived' : 'related'),
        text: data.headline
      }));
    }
    if (!sources.length) {
      root.appendChild(el('p', { class: 'empty', id: 'no-sources', text: 'No source was found for this text.' }));
      current = null;
      return { select: function () {} };
    }

    var tbody = el('tbody');
    var table = el('table', { id: 'sources', class: 'sources' }, [
      el('caption', { class: 'visually-hidden', text: 'Ranked sources: pick one to see it side by side' }),
      el('thead', {}, [el('tr', {}, ['#', 'source', 'verdict', 'confidence', 'score', 'suspect covered', 'source covered', 'passages', 'findings']
        .map(function (h, i) { return el('th', { scope: 'col', class: i > 2 ? 'num' : null, text: h }); }))]),
      tbody
    ]);
    var rows = sources.map(function (s, i) {
      var score = typeof s.score === 'number' ? Math.max(0, Math.min(1, s.score)) : 0;
      var tr = el('tr', { class: 'source-row', 'data-index': i, tabindex: 0, 'aria-selected': 'false' }, [
        el('td', { class: 'num rank', text: i + 1 }),
        el('td', { class: 'id' }, [el('span', { class: 'doc-id', text: s.id })]),
        el('td', { class: 'verdict' }, [el('span', {
          class: 'badge ' + (s.verdict === 'derived' ? 'derived' : 'related'),
          text: s.verdict === 'derived' ? 'derived' : 'related'
        })]),
        el('td', { class: 'num confidence', text: num(s.confidence, 2) }),
        el('td', { class: 'num score' }, [
          el('span', { class: 'bar', 'aria-hidden': 'true' }, [el('span', { style: 'width:' + (score * 100).toFixed(1) + '%' })]),
          num(s.score, 2)
        ]),
        el('td', { class: 'num', text: pct(s.query_coverage) }),
        el('td', { class: 'num', text: pct(s.source_coverage) }),
        el('td', { class: 'num', text: (s.passages || []).length }),
        el('td', { class: 'num', text: (s.findings || []).length })
      ]);
      tr.addEventListener('click', function () { select(i); });
      tr.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select(i);
        } else if (e.key === 'ArrowDown' && rows[i + 1]) {
          e.preventDefault();
          rows[i + 1].focus();
        } else if (e.key === 'ArrowUp' && rows[i - 1]) {
          e.preventDefault();
          rows[i - 1].focus();
        }
      });
      tbody.appendChild(tr);
      return tr;
    });
    root.appendChild(el('div', { class: 'table-wrap' }, [table]));
    var detail = el('section', { id: 'source-detail', class: 'source', 'aria-live': 'off' });
    root.appendChild(detail);

    function select(i) {
      if (!(i >= 0 && i < sources.length)) return;
      rows.forEach(function (r, k) {
        r.setAttribute('aria-selected', k === i ? 'true' : 'false');
        r.classList.toggle('selected', k === i);
      });
      current = drawDetail(detail, data, i, qCps);
    }
    var first = 0;
    for (var i = 0; i < sources.length; i++) {
      if (sources[i].passages && sources[i].passages.length) { first = i; break; }
    }
    select(first);
    return { select: select };
  }

  document.addEventListener('keydown', function (e) {
    if (!current || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === 'j') { e.preventDefault(); current.step(1); }
    else if (e.key === 'k') { e.preventDefault(); current.step(-1); }
  });

  function boot() {
    var script = document.getElementById('retrace-data');
    var root = document.getElementById('report');
    if (!script || !root) return;
    var data;
    try {
      data = JSON.parse(script.textContent);
    } catch (err) {
      root.textContent = 'The report data cannot be read: ' + err.message;
      return;
    }
    render(root, data);
  }

  window.RetraceReport = { render: render };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
