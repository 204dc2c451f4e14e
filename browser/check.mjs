// Browser checks of Phare's server-rendered pages in headless Chromium (RELIABILITY.md R15, R21).
//
// Starts `phare serve` on a fresh data directory and a free 127.0.0.1 port, creates an admin,
// then, in English and in French: logs in through the form, crawls every same-origin page linked
// from `/` and on each page asserts
//   - the response status is below 400 (a dead link fails),
//   - <html lang> matches the locale,
//   - axe-core (WCAG 2.0/2.1 A and AA) finds no serious or critical violation,
//   - the page reflows at 320 px (no horizontal scrolling),
//   - no request leaves 127.0.0.1 and the HTML names no third-party host in src/href,
//   - the Content-Security-Policy header has default-src 'self', and nothing violates it,
// and saves a full-page screenshot in browser/out/<locale>/<slug>.png. It also visits the error
// states: an unknown page (404, translated), the products "new" form submitted empty, the inbox's
// capture form submitted empty, an idea planned without its benefit, and the research forms
// (a persona without a name, a competitor's website that is not http(s), a capability without our
// rating, a rating note too long, an empty passage, a persona edited by someone else meanwhile).
// Every research page is also visited by name, whatever the crawl's page cap left out.
// The workspace is seeded through the API (browser/seed.mjs) so that every kind of page has
// something to show; the crawl visits at most PHARE_BROWSER_PER_SHAPE pages (default 2) of one
// shape (same path with ids replaced, same query parameter names), so it covers every kind of
// page without walking every feedback item.
//
// Environment: PHARE_BIN (default $CARGO_TARGET_DIR/debug/phare or target/debug/phare),
// CHROMIUM (default /usr/bin/chromium), PHARE_BROWSER_MAX_PAGES (default 60 per locale),
// PHARE_BROWSER_WARN_ONLY (comma list of check kinds reported as warnings, not failures:
// reflow, axe, csp, lang, network, js, status, other; empty by default: everything fails).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, CHROMIUM, HERE, ROOT, launchChromium, runPhare, startPhare } from './lib.mjs';
import { seedDiscovery, seedOrg, seedResearch } from './seed.mjs';
import { portalChecks, seedPortal } from './portal.mjs';

const OUT = path.join(HERE, 'out');
const MAX_PAGES = Number(process.env.PHARE_BROWSER_MAX_PAGES || 60);
const PER_SHAPE = Number(process.env.PHARE_BROWSER_PER_SHAPE || 2);
const DEADLINE_MS = 4.5 * 60 * 1000; // the whole run stays under five minutes
const NAV_TIMEOUT_MS = 20_000;

const ADMIN_EMAIL = 'ada.admin@example.org';
const ADMIN_NAME = 'Ada Lovelace';
const ADMIN_PASSWORD = 'lighthouse-keeper-browser-42';

const LOCALES = [
  { locale: 'en-US', lang: 'en', acceptLanguage: 'en-US,en;q=0.9' },
  { locale: 'fr-FR', lang: 'fr', acceptLanguage: 'fr-FR,fr;q=0.9' },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const LOCAL_HOSTS = new Set(['127.0.0.1']);
// Links never followed by the crawler: they end the session or leave the HTML application.
const SKIP_LINK = /(^|\/)(logout|log-out|signout|sign-out|deconnexion)(\/|$|\?)|^\/api\/docs|^\/api\//i;

const failures = [];
const warnings = [];
const checked = []; // { locale, url, status, violations, reflow, shot }
let server = null; // startPhare's handle
let browser = null;
let dataDir = null;

// Check kinds (PHARE_BROWSER_WARN_ONLY=reflow,csp,… reports those kinds as warnings instead).
const WARN_ONLY = new Set((process.env.PHARE_BROWSER_WARN_ONLY || '').split(',').map((s) => s.trim()).filter(Boolean));

function kindOf(what) {
  if (what.startsWith('no reflow')) return 'reflow';
  if (what.startsWith('axe ')) return 'axe';
  if (what.startsWith('Content-Security-Policy') || what.startsWith('CSP violation')) return 'csp';
  if (what.startsWith('<html lang')) return 'lang';
  if (what.startsWith('third-party') || what.startsWith('request to another host')) return 'network';
  if (what.startsWith('JavaScript error')) return 'js';
  if (what.startsWith('status') || what.startsWith('subresource') || what.startsWith('navigation')) return 'status';
  return 'other';
}

function fail(locale, url, what) {
  if (WARN_ONLY.has(kindOf(what))) {
    warn(locale, url, `(${kindOf(what)} downgraded by PHARE_BROWSER_WARN_ONLY) ${what}`);
    return;
  }
  if (what.length > 300) what = `${what.slice(0, 300)}…`;
  if (failures.some((f) => f.locale === locale && f.url === url && f.what === what)) return;
  failures.push({ locale, url, what });
  console.log(`  FAIL [${locale}] ${url}: ${what}`);
}

function warn(locale, url, what) {
  if (warnings.some((f) => f.locale === locale && f.url === url && f.what === what)) return;
  warnings.push({ locale, url, what });
  console.log(`  warn [${locale}] ${url}: ${what}`);
}

function slugFor(url) {
  const u = new URL(url);
  let s = (u.pathname + u.search).replace(/^\/+|\/+$/g, '');
  s = s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return (s || 'home').slice(0, 120);
}

const AXE_SOURCE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

async function runAxe(page) {
  // Evaluated through the DevTools protocol, so the page's CSP does not block it.
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      count: v.nodes.length,
    }));
  }, AXE_TAGS);
}

// A link people typed to another site (a competitor's website): an <a> that sends neither the
// referrer nor the opener and is not followed by search engines. Following it is the reader's
// choice, not a request of the page, so it is not a third party (requests are watched apart).
const OUTBOUND_LINK = /<a\b(?=[^>]*\brel="(?=[^"]*\bnoopener\b)(?=[^"]*\bnoreferrer\b)(?=[^"]*\bnofollow\b)[^"]*")[^>]*>/gi;

// Attribute values that name an absolute URL of another host (src, href, srcset, action…).
function thirdPartyUrls(html, base) {
  html = html.replace(OUTBOUND_LINK, '<a>');
  const found = new Set();
  const attr = /\b(src|href|srcset|action|poster|data|formaction|content)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/gi;
  let m;
  while ((m = attr.exec(html)) !== null) {
    const value = (m[3] ?? m[4] ?? m[5] ?? '').trim();
    for (const candidate of value.split(/[\s,]+/)) {
      const c = candidate.replace(/&amp;/g, '&');
      if (!/^(https?:)?\/\//i.test(c)) continue;
      let host;
      try {
        host = new URL(c, base).hostname;
      } catch {
        continue;
      }
      if (!LOCAL_HOSTS.has(host)) found.add(`${m[1]}=${c}`);
    }
  }
  // url(...) in inline styles loads too.
  const css = /url\(\s*['"]?((?:https?:)?\/\/[^'")\s]+)/gi;
  while ((m = css.exec(html)) !== null) {
    try {
      if (!LOCAL_HOSTS.has(new URL(m[1], base).hostname)) found.add(`url(${m[1]})`);
    } catch {
      /* ignore */
    }
  }
  return [...found];
}

function cspAllowsOnlySelf(header) {
  if (!header) return false;
  return header
    .split(';')
    .map((d) => d.trim().toLowerCase())
    .some((d) => d === "default-src 'self'" || d === "default-src 'none'");
}

// Checks the page currently shown (after `response`); returns same-origin links found on it.
async function checkPage(page, loc, url, response, opts = {}) {
  const { expectStatus, shotName, ctx } = opts;
  const status = response ? response.status() : 0;
  const entry = { locale: loc.locale, url, status, violations: 0, reflow: null, shot: null };
  checked.push(entry);
  if (expectStatus !== undefined) {
    if (status !== expectStatus) fail(loc.locale, url, `status ${status}, expected ${expectStatus}`);
  } else if (status === 0 || status >= 400) {
    fail(loc.locale, url, `status ${status}${opts.from ? ` (linked from ${opts.from})` : ''}`);
  }
  const headers = response ? await response.allHeaders() : {};
  const type = headers['content-type'] || '';
  if (!type.includes('text/html')) return [];

  const csp = headers['content-security-policy'];
  if (!cspAllowsOnlySelf(csp)) {
    fail(loc.locale, url, `Content-Security-Policy lacks default-src 'self' (got: ${csp ?? 'none'})`);
  }
  let body = '';
  try {
    body = await response.text();
  } catch {
    body = await page.content();
  }
  for (const u of thirdPartyUrls(body, url)) fail(loc.locale, url, `third-party URL in HTML: ${u}`);

  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  if (!lang || lang.split('-')[0].toLowerCase() !== loc.lang) {
    fail(loc.locale, url, `<html lang="${lang}">, expected "${loc.lang}"`);
  }
  const title = (await page.title()).trim();
  if (!title) fail(loc.locale, url, 'empty <title>');

  // Screenshot at desktop width first, then the 320 px reflow check.
  const dir = path.join(OUT, loc.locale);
  fs.mkdirSync(dir, { recursive: true });
  const shot = path.join(dir, `${shotName || slugFor(url)}.png`);
  await page.screenshot({ path: shot, fullPage: true });
  entry.shot = path.relative(ROOT, shot);

  const violations = (await runAxe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  entry.violations = violations.length;
  for (const v of violations) {
    fail(loc.locale, url, `axe ${v.id} (${v.impact}, ${v.count} node(s)): ${v.help} — ${v.targets.join(' | ')}`);
  }

  await page.setViewportSize({ width: 320, height: 800 });
  await page.waitForTimeout(50);
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  entry.reflow = widths.scroll;
  if (widths.scroll > 321) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => {
          const r = e.getBoundingClientRect();
          const overflowing = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible';
          return r.right > 321 || (overflowing && r.width > 0);
        })
        .slice(-3)
        .map((e) => e.tagName.toLowerCase() + (e.id ? `#${e.id}` : '') + (typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/)[0]}` : '')),
    );
    fail(loc.locale, url, `no reflow at 320 px: scrollWidth ${widths.scroll} (widest: ${wide.join(', ')})`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  if (ctx) ctx.pageErrors.forEach((e) => fail(loc.locale, url, `JavaScript error: ${e}`));
  if (ctx) ctx.pageErrors.length = 0;

  const base = new URL(url).origin;
  const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
  const links = [];
  for (const h of hrefs) {
    let u;
    try {
      u = new URL(h, url);
    } catch {
      continue;
    }
    if (u.origin !== base) continue;
    u.hash = '';
    links.push(u.toString());
  }
  return links;
}

async function login(page, loc, base) {
  const url = `${base}/login`;
  const response = await page.goto(url, { waitUntil: 'load' });
  await checkPage(page, loc, url, response, { shotName: 'login' });
  const form = page.locator('form:has(input[name="password"])').first();
  await form.locator('input[name="email"]').fill(ADMIN_EMAIL);
  await form.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
  const [nav] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), submit.click()]);
  const status = nav ? nav.status() : 0;
  const landed = new URL(page.url());
  if (status >= 400 || landed.pathname === '/login') {
    throw new Error(`[${loc.locale}] login failed: status ${status}, landed on ${page.url()}`);
  }
  console.log(`  [${loc.locale}] logged in, landed on ${landed.pathname}`);
}

// The shape of a URL: its path with ids replaced and the names of its query parameters, so
// that /feedback/<a> and /feedback/<b>, or /inbox?customer=<a> and ?customer=<b>, count as one.
function shapeOf(url) {
  const u = new URL(url);
  const path = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
  const keys = [...new Set([...u.searchParams.keys()])].sort().join('&');
  return `${path}?${keys}`;
}

async function crawl(page, loc, base, ctx) {
  const start = `${base}/`;
  const seen = new Set([start, `${base}/login`]);
  const queue = [{ url: start, from: null }];
  const shapes = new Map();
  let count = 0;
  while (queue.length > 0 && count < MAX_PAGES) {
    const { url, from } = queue.shift();
    count += 1;
    let response;
    try {
      response = await page.goto(url, { waitUntil: 'load' });
    } catch (e) {
      fail(loc.locale, url, `navigation failed: ${e.message.split('\n')[0]}`);
      continue;
    }
    if (new URL(page.url()).pathname === '/login' && new URL(url).pathname !== '/login') {
      fail(loc.locale, url, 'redirected to /login: the session was lost');
      continue;
    }
    const links = await checkPage(page, loc, url, response, { from, ctx });
    for (const link of links) {
      const p = new URL(link).pathname;
      if (seen.has(link) || SKIP_LINK.test(p)) continue;
      seen.add(link);
      const shape = shapeOf(link);
      const n = shapes.get(shape) || 0;
      if (n >= PER_SHAPE) continue;
      shapes.set(shape, n + 1);
      queue.push({ url: link, from: url });
    }
  }
  if (queue.length > 0) warn(loc.locale, base, `crawl capped at ${MAX_PAGES} pages, ${queue.length} left unvisited`);
  console.log(`  [${loc.locale}] crawled ${count} page(s)`);
  return [...seen];
}

async function notFound(page, loc, base, ctx) {
  const url = `${base}/does-not-exist`;
  const response = await page.goto(url, { waitUntil: 'load' });
  await checkPage(page, loc, url, response, { expectStatus: 404, shotName: 'error-404', ctx });
  return (await page.locator('main, body').first().innerText()).trim();
}

async function emptyProductForm(page, loc, base, seen, ctx) {
  let formUrl = seen.find((u) => /\/products\/new\/?$/.test(new URL(u).pathname));
  if (!formUrl) {
    const probe = await page.goto(`${base}/products/new`, { waitUntil: 'load' });
    if (!probe || probe.status() !== 200) {
      warn(loc.locale, `${base}/products/new`, 'no products "new" page found: empty-form error state not checked');
      return;
    }
    formUrl = `${base}/products/new`;
  } else {
    await page.goto(formUrl, { waitUntil: 'load' });
  }
  const form = page.locator('form[method="post" i]').filter({ has: page.locator('input[name], textarea[name]') }).first();
  if ((await form.count()) === 0) {
    warn(loc.locale, formUrl, 'no POST form on the products "new" page');
    return;
  }
  // Empty every text field and skip the browser's own validation, so the server's error state shows.
  await form.evaluate((f) => {
    f.noValidate = true;
    for (const el of f.querySelectorAll('input[type="text"], input:not([type]), textarea')) el.value = '';
  });
  const submit = form.locator('button[type="submit"], input[type="submit"], button:not([type])').first();
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    submit.count().then((n) => (n > 0 ? submit.click() : form.evaluate((f) => f.submit()))),
  ]);
  const status = response ? response.status() : 0;
  const after = new URL(page.url()).pathname;
  const label = `${formUrl} (submitted empty)`;
  if (status >= 500) fail(loc.locale, label, `server error ${status}`);
  else if (status < 400 && after !== new URL(formUrl).pathname && !/\/products\/?$/.test(after)) {
    fail(loc.locale, label, `the empty form was accepted (landed on ${after}, status ${status})`);
  }
  const markedInvalid = await page.locator('[aria-invalid="true"], [role="alert"], .error, .errors').count();
  if (markedInvalid === 0) warn(loc.locale, label, 'no aria-invalid field or role="alert" message on the error page');
  const links = await checkPage(page, loc, page.url(), response, {
    expectStatus: status >= 400 && status < 500 ? status : undefined,
    shotName: 'error-products-new-empty',
    ctx,
  });
  void links;
}

// The product line, products, feedback, ideas and evidence of browser/seed.mjs, so the crawl
// reaches their pages (an empty workspace links to no product, feedback or idea page at all).
async function seed(base, token) {
  const org = await seedOrg(base, token);
  const discovery = await seedDiscovery(base, token, org);
  const research = await seedResearch(base, token, org, discovery);
  const portal = await seedPortal(base, token, org);
  console.log('seeded a product line, 2 products, feedback, ideas, evidence, personas, competitors and research notes through the API');
  return { ...org, ...discovery, ...research, ...portal };
}

// A discovery form submitted so that the server refuses it: the page that comes back (422) must
// pass the same checks, with its errors tied to fields.
async function refusedForm(page, loc, url, formSelector, fill, shotName, ctx) {
  await page.goto(url, { waitUntil: 'load' });
  const form = page.locator(formSelector).first();
  if ((await form.count()) === 0) {
    fail(loc.locale, url, `no form ${formSelector} to submit`);
    return;
  }
  await fill(form);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('button[type="submit"]').first().click(),
  ]);
  const label = `${url} (${shotName})`;
  const status = response ? response.status() : 0;
  if (status !== 422) fail(loc.locale, label, `expected 422, got ${status}`);
  const invalid = await page.locator('[aria-invalid="true"][aria-describedby]').count();
  if (invalid === 0) fail(loc.locale, label, 'no field marked aria-invalid with its message tied by aria-describedby');
  await checkPage(page, loc, page.url(), response, { expectStatus: 422, shotName, ctx });
}

// Someone else saves the record while this person edits it: the form comes back with 409, what
// was typed kept and the saved version shown.
async function conflictForm(page, loc, url, bump, shotName, ctx) {
  await page.goto(url, { waitUntil: 'load' });
  await bump();
  const form = page.locator('form.form').first();
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    form.locator('button[type="submit"]').first().click(),
  ]);
  const label = `${url} (${shotName})`;
  const status = response ? response.status() : 0;
  if (status !== 409) fail(loc.locale, label, `expected 409, got ${status}`);
  if ((await page.locator('.saved-version').count()) === 0) fail(loc.locale, label, 'the saved version is not shown beside the form');
  await checkPage(page, loc, page.url(), response, { expectStatus: 409, shotName, ctx });
}

// The research pages, visited even when the crawl's page cap stopped before them.
function researchPages(s) {
  return [
    [`/products/${s.cit.id}/personas`, 'research-personas'],
    [`/products/${s.mob.id}/personas`, 'research-personas-empty'],
    [`/products/${s.cit.id}/personas/new`, 'research-persona-new'],
    [`/personas/${s.personas.claire.id}`, 'research-persona'],
    [`/personas/${s.personas.claire.id}/edit`, 'research-persona-edit'],
    [`/products/${s.cit.id}/competitors`, 'research-grid'],
    [`/products/${s.mob.id}/competitors`, 'research-grid-empty'],
    [`/products/${s.cit.id}/competitors/new`, 'research-competitor-new'],
    [`/competitors/${s.competitors.rival.id}`, 'research-competitor'],
    [`/competitors/${s.competitors.rival.id}/edit`, 'research-competitor-edit'],
    [`/products/${s.cit.id}/research-notes`, 'research-notes'],
    [`/products/${s.mob.id}/research-notes`, 'research-notes-mob'],
    [`/products/${s.cit.id}/research-notes/new`, 'research-note-new'],
    [`/research-notes/${s.notes.interview.id}`, 'research-note'],
    [`/research-notes/${s.notes.interview.id}?captured=${s.captured.id}`, 'research-note-captured'],
    [`/research-notes/${s.notes.interview.id}/edit`, 'research-note-edit'],
    [`/research-notes/${s.notes.drivers.id}`, 'research-note-no-persona'],
    [`/ideas/${s.ideas.export1.id}`, 'idea-with-personas'],
    [`/feedback/${s.feedback[0].id}`, 'feedback-with-personas'],
  ];
}

async function researchChecks(page, loc, base, token, s, ctx) {
  for (const [path, shotName] of researchPages(s)) {
    const url = `${base}${path}`;
    const response = await page.goto(url, { waitUntil: 'load' });
    await checkPage(page, loc, url, response, { shotName, ctx });
  }
  await refusedForm(page, loc, `${base}/products/${s.cit.id}/personas/new`, 'form.form', async () => {}, 'error-persona-empty', ctx);
  await refusedForm(
    page,
    loc,
    `${base}/products/${s.cit.id}/competitors/new`,
    'form.form',
    async (form) => {
      await form.locator('input[name="name"]').fill('Rival sans site');
      await form.locator('input[name="website"]').fill('javascript:alert(1)');
    },
    'error-competitor-website',
    ctx,
  );
  await refusedForm(
    page,
    loc,
    `${base}/products/${s.cit.id}/competitors`,
    '#add-capability form',
    async (form) => form.locator('input[name="name"]').fill('Signature électronique'),
    'error-capability-without-rating',
    ctx,
  );
  await refusedForm(
    page,
    loc,
    `${base}/competitors/${s.competitors.rival.id}`,
    '#ratings form',
    async (form) => form.locator('input[name^="note-"]').nth(1).fill('x'.repeat(600)),
    'error-rating-note-too-long',
    ctx,
  );
  await refusedForm(page, loc, `${base}/research-notes/${s.notes.interview.id}`, '#capture form', async () => {}, 'error-passage-empty', ctx);
  const marc = s.personas.marc.id;
  await conflictForm(
    page,
    loc,
    `${base}/personas/${marc}/edit`,
    async () => {
      const current = await fetch(`${base}/api/v1/personas/${marc}`, { headers: { Authorization: `Bearer ${token}` } });
      const r = await fetch(`${base}/api/v1/personas/${marc}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'If-Match': current.headers.get('etag') },
        body: JSON.stringify({ goals: `Changed meanwhile (${loc.lang})` }),
      });
      if (!r.ok) throw new Error(`could not change the persona meanwhile: ${r.status}`);
    },
    'error-persona-conflict',
    ctx,
  );
}

async function main() {
  const deadline = setTimeout(() => {
    console.error(`browser checks: over ${DEADLINE_MS / 1000} s, giving up`);
    cleanup().finally(() => process.exit(2));
  }, DEADLINE_MS);
  deadline.unref();

  if (!fs.existsSync(BIN)) throw new Error(`no phare binary at ${BIN} (build it, or set PHARE_BIN)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-browser-'));
  runPhare(
    ['admin', 'create-user', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--name', ADMIN_NAME, '--role', 'admin', '--password-stdin'],
    `${ADMIN_PASSWORD}\n`,
  );
  const token = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--scopes', 'all']).trim();
  server = await startPhare({ dataDir, env: { PHARE_LOGIN_RATE_LIMIT: '1000' } });
  const base = server.base;
  console.log(`phare serve on ${base} (pid ${server.proc.pid}), data dir ${dataDir}`);
  const seeded = await seed(base, token);

  // A fresh temporary profile (removed on close), and no route out (see lib.mjs).
  browser = await launchChromium();

  const notFoundTexts = {};
  for (const loc of LOCALES) {
    console.log(`\n== ${loc.locale}`);
    const context = await browser.newContext({
      locale: loc.locale,
      extraHTTPHeaders: { 'Accept-Language': loc.acceptLanguage },
      viewport: { width: 1280, height: 800 },
    });
    context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
    context.setDefaultTimeout(NAV_TIMEOUT_MS);
    const ctx = { pageErrors: [] };
    context.on('request', (req) => {
      const u = new URL(req.url());
      if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return;
      if (!LOCAL_HOSTS.has(u.hostname)) fail(loc.locale, req.frame()?.url() ?? '?', `request to another host: ${req.method()} ${req.url()}`);
    });
    context.on('response', async (res) => {
      const req = res.request();
      if (req.resourceType() === 'stylesheet' && res.status() === 200) {
        const size = await res.body().then((b) => b.length).catch(() => -1);
        if (size === 0) warn(loc.locale, new URL(res.url()).pathname, 'the stylesheet is empty: pages render unstyled');
      }
      if (req.resourceType() !== 'document' && res.status() >= 400) {
        const what = `subresource ${req.resourceType()} ${res.url()} answered ${res.status()}`;
        if (new URL(res.url()).pathname === '/favicon.ico') warn(loc.locale, req.frame()?.url() ?? '?', what);
        else fail(loc.locale, req.frame()?.url() ?? '?', what);
      }
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => ctx.pageErrors.push(e.message));
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) {
        fail(loc.locale, page.url(), `CSP violation: ${text}`);
      }
    });

    await login(page, loc, base);
    const seen = await crawl(page, loc, base, ctx);
    notFoundTexts[loc.lang] = await notFound(page, loc, base, ctx);
    await emptyProductForm(page, loc, base, seen, ctx);
    // Pages no link leads to from a fresh crawl's first pages: a search with results and an idea
    // merged into another one.
    for (const [path, shotName] of [
      ['/search?q=pdf', 'search-results'],
      ['/search?q=zzzzqqq', 'search-no-result'],
      [`/ideas/${seeded.ideas.duplicate.id}`, 'idea-merged'],
      [`/ideas/${seeded.ideas.bug.id}`, 'idea-bug'],
      [`/ideas/${seeded.ideas.bug.id}/edit`, 'idea-bug-edit'],
      [`/products/${seeded.cit.id}/ideas?kind=bug`, 'ideas-bugs'],
      [`/products/${seeded.cit.id}/ideas/new?kind=bug`, 'idea-bug-new'],
    ]) {
      const response = await page.goto(`${base}${path}`, { waitUntil: 'load' });
      await checkPage(page, loc, `${base}${path}`, response, { shotName, ctx });
    }
    await refusedForm(page, loc, `${base}/inbox`, '#capture-form', async () => {}, 'error-inbox-capture-empty', ctx);
    await refusedForm(
      page,
      loc,
      `${base}/ideas/${seeded.ideas.booking.id}/edit`,
      'form.idea-form',
      async (form) => form.locator('select[name="status"]').selectOption('planned'),
      'error-idea-without-benefit',
      ctx,
    );
    await refusedForm(
      page,
      loc,
      `${base}/products/${seeded.cit.id}/ideas/new?kind=bug`,
      'form.idea-form',
      async (form) => form.locator('#title').fill('Le tri par date ne trie pas'),
      'error-bug-without-template',
      ctx,
    );
    await researchChecks(page, loc, base, token, seeded, ctx);
    // The public portal, anonymous and signed in, and the team's moderation pages.
    await portalChecks(page, context, loc, base, seeded, checkPage, ctx);
    await context.close();
  }
  if (notFoundTexts.en && notFoundTexts.fr && notFoundTexts.en === notFoundTexts.fr) {
    fail('both', '/does-not-exist', 'the 404 page reads the same in English and French (not translated)');
  }
}

async function cleanup() {
  try {
    if (browser) await browser.close();
  } catch {
    /* already gone */
  }
  browser = null;
  if (server) await server.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
}

function summary() {
  console.log('\n== browser checks summary');
  const byLocale = {};
  for (const c of checked) {
    byLocale[c.locale] ??= { pages: 0, violations: 0 };
    byLocale[c.locale].pages += 1;
    byLocale[c.locale].violations += c.violations;
  }
  console.log('locale   status  axe  reflow  url');
  for (const c of checked) {
    console.log(
      `${c.locale.padEnd(8)} ${String(c.status).padEnd(7)} ${String(c.violations).padEnd(4)} ${String(c.reflow ?? '-').padEnd(7)} ${new URL(c.url).pathname}${new URL(c.url).search}`,
    );
  }
  for (const [l, s] of Object.entries(byLocale)) console.log(`${l}: ${s.pages} page(s), ${s.violations} serious/critical axe violation(s)`);
  console.log(`screenshots: ${path.relative(ROOT, OUT)}/<locale>/*.png`);
  if (warnings.length) console.log(`${warnings.length} warning(s)`);
  if (failures.length) {
    console.log(`\n${failures.length} failure(s):`);
    for (const f of failures) console.log(`  [${f.locale}] ${f.url}: ${f.what}`);
  }
  // Pages are the unit: a page passes when no failure names it.
  const pagesFailed = new Set(failures.map((f) => `${f.locale} ${f.url}`)).size;
  const pagesOk = checked.filter((c) => !failures.some((f) => f.locale === c.locale && f.url === c.url)).length;
  console.log(`\n${pagesOk} passed, ${pagesFailed} failed`);
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130));
  });
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`\nbrowser checks aborted: ${e.stack || e}`);
  failures.push({ locale: '-', url: '-', what: `aborted: ${String(e.message || e).split('\n')[0]}` });
  if (server) console.error(`--- server log (tail) ---\n${server.log().slice(-4000)}`);
  code = 1;
} finally {
  await cleanup();
}
summary();
if (failures.length > 0) code = 1;
process.exit(code);
