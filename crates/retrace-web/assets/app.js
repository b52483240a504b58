/* retrace web app (served at /): paste a text or drop a .txt/.html file,
 * check it against the server's index, and see the report (drawn by
 * report.js, the same renderer as the standalone report file).
 *
 * Server API used (relative to the page):
 *   POST v1/check  {"text"|"html": ..., "top": K, "include_text": true, "all": bool}
 *                  -> the report object plus "texts": {"query", "sources": {id: text}}
 *   GET  v1/stats  -> index statistics (numeric fields are shown)
 *   errors: {"error": {"code", "message"}} with an HTTP status; 401 asks for
 *   a token (sent as "Authorization: Bearer <token>", kept in sessionStorage),
 *   503 means busy (Retry-After is shown).
 *
 * Stable hooks for end-to-end tests:
 *   #suspect-input      textarea for the suspect text
 *   #file-input         file input (.txt/.html); #drop-zone accepts dropped files; #file-name
 *   #top-k              number of sources
 *   #check-button       runs the check (Ctrl+Enter / Cmd+Enter in the textarea too)
 *   #download-button    saves the standalone report (shown once a report is drawn)
 *   #clear-button       empties the form and the report
 *   #token-row, #token-input   shown after a 401
 *   #status             progress and result line; data-state = idle | busy | done | error
 *   #error              error message (hidden when there is none)
 *   #stats              index statistics line
 *   #report             the report view (see report.js for its hooks: #sources tr.source-row,
 *                       #side-by-side mark.passage[data-link], #findings li, ...)
 */
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var input = $('suspect-input');
  var fileInput = $('file-input');
  var fileName = $('file-name');
  var dropZone = $('drop-zone');
  var topK = $('top-k');
  var checkButton = $('check-button');
  var downloadButton = $('download-button');
  var clearButton = $('clear-button');
  var tokenRow = $('token-row');
  var tokenInput = $('token-input');
  var statusEl = $('status');
  var errorEl = $('error');
  var statsEl = $('stats');
  var reportEl = $('report');
  var form = $('check-form');

  var TOKEN_KEY = 'retrace-token';
  var MAX_FILE_BYTES = 50 * 1024 * 1024;
  var fileIsHtml = false;
  var lastData = null;
  var busy = false;

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return tokenInput.value; }
  }
  function headers(json) {
    var h = { Accept: 'application/json' };
    if (json) h['Content-Type'] = 'application/json';
    var t = token();
    if (t) h.Authorization = 'Bearer ' + t;
    return h;
  }
  function setStatus(text, state) {
    statusEl.textContent = text;
    statusEl.setAttribute('data-state', state || 'idle');
  }
  function showError(text) {
    errorEl.textContent = text;
    errorEl.hidden = !text;
    if (text) setStatus('', 'error');
  }
  function askToken() {
    tokenRow.hidden = false;
    tokenInput.value = token();
    tokenInput.focus();
  }

  /* The error message of a failed response: {"error": {"code", "message"}} or text. */
  function errorOf(res) {
    return res.text().then(function (body) {
      var msg = '';
      var code = '';
      try {
        var j = JSON.parse(body);
        if (j && j.error) {
          msg = typeof j.error === 'string' ? j.error : (j.error.message || '');
          code = j.error.code || '';
        }
      } catch (e) {
        msg = body.slice(0, 300);
      }
      return { message: msg || res.statusText || ('HTTP ' + res.status), code: code };
    }, function () { return { message: res.statusText || ('HTTP ' + res.status), code: '' }; });
  }

  function loadStats() {
    fetch('v1/stats', { headers: headers(false) }).then(function (res) {
      if (res.status === 401) {
        statsEl.textContent = 'Index statistics need an access token.';
        tokenRow.hidden = false;
        tokenInput.value = token();
        return null;
      }
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    }).then(function (s) {
      if (!s || typeof s !== 'object') return;
      var parts = [];
      Object.keys(s).forEach(function (k) {
        var v = s[k];
        if (typeof v !== 'number' || !isFinite(v)) return;
        var label = k.replace(/_/g, ' ');
        if (/bytes$/.test(k)) {
          parts.push(label.replace(/ ?bytes$/, '') + ' ' + (v >= 1e6 ? (v / 1e6).toFixed(1) + ' MB' : (v / 1e3).toFixed(1) + ' kB'));
        }
        else parts.push(label + ' ' + v.toLocaleString('en-US'));
      });
      if (s.model && typeof s.model === 'object' && typeof s.model.id === 'string') parts.push('model ' + s.model.id);
      statsEl.textContent = parts.length ? 'Index: ' + parts.join(' · ') : '';
    }).catch(function () {
      statsEl.textContent = 'Index statistics are not available.';
    });
  }

  function check() {
    if (busy) return;
    var text = input.value;
    if (!text.trim()) {
      showError('Paste a text or drop a .txt or .html file first.');
      input.focus();
      return;
    }
    var top = parseInt(topK.value, 10);
    if (!(top >= 1)) top = 5;
    var body = { top: top, include_text: true };
    var related = document.getElementById('show-related');
    if (related && related.checked) body.all = true;
    body[fileIsHtml || /^\s*</.test(text) ? 'html' : 'text'] = text;
    showError('');
    busy = true;
    checkButton.disabled = true;
    setStatus('Checking…', 'busy');
    var t0 = Date.now();
    fetch('v1/check', { method: 'POST', headers: headers(true), body: JSON.stringify(body) })
      .then(function (res) {
        if (res.ok) return res.json();
        return errorOf(res).then(function (err) {
          if (res.status === 401) {
            askToken();
            throw new Error(err.message + ' Enter the access token and check again.');
          }
          if (res.status === 503) {
            var after = res.headers.get('Retry-After');
            throw new Error('The server is busy' + (after ? ': retry in ' + after + ' s' : ': retry in a moment') +
              '. (' + err.message + ')');
          }
          throw new Error(err.message + (err.code ? ' (' + err.code + ', HTTP ' + res.status + ')' : ' (HTTP ' + res.status + ')'));
        });
      })
      .then(function (data) {
        lastData = data;
        var n = Array.isArray(data.sources) ? data.sources.length : 0;
        window.RetraceReport.render(reportEl, data);
        downloadButton.hidden = false;
        setStatus('Checked in ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s: ' + n + ' source(s).', 'done');
      })
      .catch(function (err) {
        showError(err && err.message ? err.message : String(err));
      })
      .then(function () {
        busy = false;
        checkButton.disabled = false;
      });
  }

  function readFile(file) {
    if (!file) return;
    if (!/\.(txt|text|md|html?|xhtml)$/i.test(file.name) && !/^text\//.test(file.type)) {
      showError(file.name + ' is not a .txt or .html file.');
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      showError(file.name + ' is too large (' + (file.size / 1e6).toFixed(1) + ' MB).');
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      input.value = String(reader.result || '');
      fileIsHtml = /\.(html?|xhtml)$/i.test(file.name) || file.type === 'text/html';
      fileName.textContent = file.name;
      check();
    };
    reader.onerror = function () { showError('Cannot read ' + file.name + '.'); };
    reader.readAsText(file);
  }

  /* The standalone report, built from the same assets the server embeds
   * (the same template as retrace_web::standalone_report). */
  function scriptJson(value) {
    return JSON.stringify(value)
      .replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  }
  function htmlEscape(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
  function download() {
    if (!lastData) return;
    var get = function (name) {
      return fetch('assets/' + name).then(function (r) {
        if (!r.ok) throw new Error('cannot load ' + name);
        return r.text();
      });
    };
    Promise.all([get('standalone.html'), get('report.css'), get('report.js')]).then(function (parts) {
      var id = lastData.query && lastData.query.id ? String(lastData.query.id) : 'text';
      var values = {
        TITLE: htmlEscape('retrace report: ' + id),
        CSS: parts[1],
        JS: parts[2],
        DATA: scriptJson(lastData)
      };
      var html = parts[0].replace(/\{\{([A-Z]+)\}\}/g, function (m, k) {
        return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
      });
      var blob = new Blob([html], { type: 'text/html;charset=utf-8' });
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'retrace-report.html';
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }).catch(function (err) { showError('Cannot build the report file: ' + err.message); });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    check();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      check();
    }
  });
  input.addEventListener('input', function () {
    fileIsHtml = false;
    fileName.textContent = '';
  });
  fileInput.addEventListener('change', function () {
    readFile(fileInput.files && fileInput.files[0]);
    fileInput.value = '';
  });
  ['dragenter', 'dragover'].forEach(function (t) {
    dropZone.addEventListener(t, function (e) {
      e.preventDefault();
      dropZone.classList.add('dragging');
    });
  });
  ['dragleave', 'drop'].forEach(function (t) {
    dropZone.addEventListener(t, function (e) {
      e.preventDefault();
      dropZone.classList.remove('dragging');
    });
  });
  dropZone.addEventListener('drop', function (e) {
    var files = e.dataTransfer && e.dataTransfer.files;
    if (files && files.length) readFile(files[0]);
  });
  tokenInput.addEventListener('change', function () {
    try { sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); } catch (e) { /* storage off */ }
    loadStats();
  });
  tokenInput.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      e.preventDefault();
      try { sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); } catch (err) { /* storage off */ }
      check();
    }
  });
  downloadButton.addEventListener('click', download);
  clearButton.addEventListener('click', function () {
    input.value = '';
    fileIsHtml = false;
    fileName.textContent = '';
    lastData = null;
    reportEl.textContent = '';
    downloadButton.hidden = true;
    showError('');
    setStatus('', 'idle');
    input.focus();
  });

  setStatus('', 'idle');
  if (token()) tokenRow.hidden = false;
  loadStats();
})();
