// End-to-end browser test of the retrace web UI against the real server.
//
//   RETRACE_BIN  the retrace binary (default: target/debug/retrace)
//   CHROMIUM     the Chromium binary (default: /usr/bin/chromium)
//   E2E_OUT      where the screenshots go (default: target/e2e/)
//
// Indexes examples/article.txt and examples/unrelated.txt, starts
// `retrace serve` on 127.0.0.1 (with a write token; one extra document is
// added through the API), pastes examples/rewrite.txt into the page, checks
// it, opens the side-by-side view and asserts the highlighted passages, the
// link between the two sides and the findings; saves screenshots at 1280 and
// 390 px width; stops the server with SIGTERM. Exits non-zero with the failed
// step on any failure.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = process.env.RETRACE_BIN
  ? path.resolve(process.env.RETRACE_BIN)
  : path.join(ROOT, 'target', 'debug', 'retrace');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const OUT = process.env.E2E_OUT ? path.resolve(process.env.E2E_OUT) : path.join(ROOT, 'target', 'e2e');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

// Generous but bounded: the CI machine is slow.
const T_STEP = 60_000; // one UI step (a check, a wait for a class, ...)
const T_START = 120_000; // server start, /healthz
const T_TOTAL = 600_000; // the whole test

let step = 'start';
function log(msg) {
  console.log(`[e2e ${(process.uptime()).toFixed(1)}s] ${msg}`);
}
function begin(name) {
  step = name;
  log(name);
}
class Failure extends Error {}
function assert(cond, msg) {
  if (!cond) throw new Failure(msg);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'retrace-e2e-'));
let server = null;
let serverExit = null; // a promise of {code, signal}
let serverErr = '';
let browser = null;
const outside = []; // requests that went anywhere but the server
const errors = []; // page errors, console errors, failed requests

async function main() {
  assert(fs.existsSync(BIN), `no retrace binary at ${BIN} (build it: cargo build -p retrace-cli, or set RETRACE_BIN)`);
  assert(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  fs.mkdirSync(OUT, { recursive: true });

  begin('index the example texts');
  const index = path.join(tmp, 'index');
  const ix = spawnSync(BIN, ['index', '--index', index, 'examples/article.txt', 'examples/unrelated.txt'], {
    cwd: ROOT, encoding: 'utf8', timeout: T_START
  });
  assert(ix.status === 0, `retrace index failed (status ${ix.status}, ${ix.error || ''}):\n${ix.stdout}\n${ix.stderr}`);

  begin('start retrace serve');
  const tokenFile = path.join(tmp, 'token');
  const token = 'e2e-' + Math.random().toString(36).slice(2);
  fs.writeFileSync(tokenFile, token + '\n');
  const env = { ...process.env };
  delete env.RETRACE_TOKEN;
  delete env.RETRACE_READ_TOKEN;
  server = spawn(BIN, ['serve', '--index', index, '--addr', '127.0.0.1:0', '--token-file', tokenFile], {
    cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe']
  });
  serverExit = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  server.stderr.setEncoding('utf8');
  server.stderr.on('data', (d) => { serverErr += d; });
  server.stdout.setEncoding('utf8');
  const addr = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Failure(`no "listening on" line in ${T_START / 1000} s; stderr:\n${serverErr}`)), T_START);
    server.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const m = /^listening on http:\/\/(127\.0\.0\.1:\d+)$/.exec(buf.slice(0, nl).trim());
      if (m) resolve(m[1]);
      else reject(new Failure(`unexpected first line ${JSON.stringify(buf.slice(0, nl))}`));
    });
    server.on('exit', (code, signal) => reject(new Failure(`retrace serve exited early (${code ?? signal}); stderr:\n${serverErr}`)));
  });
  const base = `http://${addr}/`;
  log(`server at ${base}`);

  begin('wait for /healthz');
  const deadline = Date.now() + T_START;
  for (;;) {
    try {
      const r = await fetch(base + 'healthz');
      if (r.ok && (await r.json()).status === 'ok') break;
    } catch (e) { /* not up yet */ }
    assert(Date.now() < deadline, `/healthz not ok in ${T_START / 1000} s; stderr:\n${serverErr}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  begin('add one document through the API (a write with the bearer token)');
  const doc = {
    id: 'e2e/extra.txt',
    text: 'Tomatoes need six hours of sun a day. Water them at the root in the morning, ' +
      'and pinch out the side shoots so the plant puts its strength into the fruit.'
  };
  const refused = await fetch(base + 'v1/documents', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(doc)
  });
  assert(refused.status === 401, `a write without the token: HTTP ${refused.status}, want 401`);
  const added = await fetch(base + 'v1/documents', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(doc)
  });
  const addedBody = await added.text();
  assert(added.ok, `POST v1/documents: HTTP ${added.status}: ${addedBody}`);
  assert(JSON.parse(addedBody).added === 1, `POST v1/documents: ${addedBody}`);
  const stats = await (await fetch(base + 'v1/stats')).json();
  assert(stats.documents === 3, `v1/stats documents ${stats.documents}, want 3`);

  begin('launch Chromium');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: T_START });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(T_STEP);
  // Every request must stay on the server; anything else is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base)) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith(base)) outside.push(r.url()); });
  page.on('pageerror', (e) => errors.push('page error: ' + String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console error: ' + m.text()); });
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });

  begin('open the page');
  const res = await page.goto(base, { timeout: T_STEP });
  assert(res && res.ok(), `GET / : ${res && res.status()}`);
  await page.waitForFunction(() => document.getElementById('stats').textContent !== '');
  const statsLine = await page.textContent('#stats');
  assert(/documents 3\b/.test(statsLine), `#stats: ${JSON.stringify(statsLine)}, want documents 3`);
  assert(!(await page.isVisible('#error')), 'an error is shown on load: ' + (await page.textContent('#error')));

  begin('paste the rewrite and check it');
  const rewrite = fs.readFileSync(path.join(ROOT, 'examples', 'rewrite.txt'), 'utf8');
  await page.fill('#suspect-input', rewrite);
  await page.click('#check-button');
  await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]');
  assert(await page.getAttribute('#status', 'data-state') === 'done',
    'the check failed: ' + (await page.textContent('#error')));
  assert(!(await page.isVisible('#error')), 'an error is shown after the check');

  begin('the ranked sources');
  const rows = await page.$$eval('#sources tr.source-row', (rs) => rs.map((r) => ({
    id: r.querySelector('.doc-id').textContent,
    score: parseFloat(r.querySelector('td.score').textContent)
  })));
  log('sources: ' + JSON.stringify(rows));
  assert(rows.length >= 1, 'no source rows');
  assert(rows[0].id === 'examples/article.txt', `first source ${JSON.stringify(rows[0].id)}, want examples/article.txt`);
  assert(rows[0].score > 0, `first source score ${rows[0].score}, want > 0`);
  const verdictLine = await page.textContent('#report-verdict');
  assert(/^Derived from examples\/article\.txt \(confidence 0\.\d\d\)/.test(verdictLine),
    `verdict line ${JSON.stringify(verdictLine)}`);
  const badge = await page.textContent('#sources tr.source-row[data-index="0"] td.verdict');
  assert(badge.trim() === 'derived', `first source verdict ${JSON.stringify(badge)}`);

  begin('open the side-by-side view of the first source');
  await page.click('#sources tr.source-row[data-index="0"]');
  assert(await page.getAttribute('#sources tr.source-row[data-index="0"]', 'aria-selected') === 'true', 'row 0 not selected');
  await page.waitForSelector('#side-by-side #text-query mark.passage[data-side="q"]');
  const nq = await page.$$eval('#side-by-side #text-query mark.passage[data-side="q"][data-link]', (ms) => ms.length);
  const ns = await page.$$eval('#side-by-side #text-source mark.passage[data-side="s"][data-link]', (ms) => ms.length);
  log(`marks: ${nq} in the suspect, ${ns} in the source`);
  assert(nq > 0 && ns > 0, `highlighted passages: ${nq} suspect, ${ns} source`);
  const heads = await page.$$eval('#side-by-side h3', (hs) => hs.map((h) => h.textContent));
  assert(heads[0] === 'Suspect text' && heads[1] === 'Source examples/article.txt', `column headings ${JSON.stringify(heads)}`);
  // the texts are shown whole
  const qText = await page.textContent('#text-query');
  assert(qText.replace(/\s+/g, ' ').trim() === rewrite.replace(/\s+/g, ' ').trim(), 'the suspect column does not hold the pasted text');

  begin('hover and click a suspect passage: its source counterpart lights up and is scrolled into view');
  // the last suspect link: its counterpart is the one most likely out of view
  const link = await page.$$eval('#text-query mark.passage[data-link]', (ms) => ms[ms.length - 1].dataset.link.split(' ')[0]);
  const qMark = `#text-query mark.passage[data-link~="${link}"]`;
  const sMark = `#text-source mark.passage[data-link~="${link}"]`;
  assert(await page.$(sMark), `no source mark for link ${link}`);
  await page.hover(qMark);
  await page.waitForSelector(`${sMark}.on`);
  await page.click(qMark);
  await page.waitForSelector(`${sMark}.active`);
  assert(await page.$(`${qMark}.active`), 'the clicked suspect mark is not active');
  // smooth scrolling: wait until the counterpart is inside its column and the window
  await page.waitForFunction((sel) => {
    const m = document.querySelector(sel);
    const r = m.getBoundingClientRect();
    const b = m.closest('#text-source').getBoundingClientRect();
    return r.bottom > Math.max(0, b.top) && r.top < Math.min(window.innerHeight, b.bottom);
  }, sMark);
  const info = await page.textContent('#link-info');
  assert(/^Passage \d+/.test(info), `#link-info: ${JSON.stringify(info)}`);
  await page.screenshot({ path: path.join(OUT, 'web-ui-1280-link.png') });

  begin('the findings');
  const findings = await page.$$eval('#findings li[data-kind]', (ls) => ls.map((l) => l.dataset.kind));
  log('findings: ' + findings.join(', '));
  assert(findings.length > 0, 'no findings');
  const fi = findings.findIndex((k) => k.startsWith('quote_') || k === 'attribution_removed');
  assert(fi >= 0, `no quote_* or attribution_removed finding among ${findings.join(', ')}`);
  const li = `#findings li[data-finding="${fi}"]`;
  const jump = (await page.$(`${li} a.jump-source`)) ? 'a.jump-source' : 'a.jump-query';
  await page.click(`${li} ${jump}`);
  await page.waitForSelector(`${li}.flash`);
  assert(/^Finding \d+/.test(await page.textContent('#link-info')), 'finding jump: #link-info not updated');
  assert((await page.$$('#side-by-side .flash')).length > 0, 'finding jump: no span flashed in the texts');

  begin('screenshots');
  await page.screenshot({ path: path.join(OUT, 'web-ui-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click(qMark);
  await page.waitForSelector(`${sMark}.active`);
  await page.waitForTimeout(1000); // let the smooth scroll settle
  await page.screenshot({ path: path.join(OUT, 'web-ui-390.png') });
  await page.screenshot({ path: path.join(OUT, 'web-ui-390-full.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert(overflow <= 1, `the page scrolls sideways at 390 px (${overflow} px too wide)`);

  begin('no request left the server, no errors in the page');
  assert(outside.length === 0, 'requests left 127.0.0.1:\n  ' + [...new Set(outside)].join('\n  '));
  assert(errors.length === 0, 'errors in the page:\n  ' + errors.join('\n  '));

  await browser.close();
  browser = null;

  begin('stop the server with SIGTERM');
  server.kill('SIGTERM');
  let timer;
  const exit = await Promise.race([
    serverExit,
    new Promise((r) => { timer = setTimeout(() => r(null), T_STEP); })
  ]);
  clearTimeout(timer);
  assert(exit, `retrace serve did not exit within ${T_STEP / 1000} s of SIGTERM`);
  assert(exit.code === 0, `retrace serve exited with ${exit.code ?? exit.signal} after SIGTERM; stderr:\n${serverErr}`);
  server = null;
  log(`OK; screenshots in ${OUT}`);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await serverExit;
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}

const overall = setTimeout(() => {
  console.error(`e2e FAILED: timed out after ${T_TOTAL / 1000} s at step "${step}"`);
  cleanup().finally(() => process.exit(1));
}, T_TOTAL);

try {
  await main();
  await cleanup();
  clearTimeout(overall);
} catch (e) {
  clearTimeout(overall);
  console.error(`e2e FAILED at step "${step}": ${e instanceof Failure ? e.message : (e && e.stack) || e}`);
  if (errors.length) console.error('--- errors in the page ---\n  ' + errors.join('\n  '));
  if (outside.length) console.error('--- requests outside the server ---\n  ' + outside.join('\n  '));
  if (serverErr) console.error('--- retrace serve stderr ---\n' + serverErr);
  await cleanup();
  process.exit(1);
}
