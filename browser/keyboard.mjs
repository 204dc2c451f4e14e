// Keyboard-only scenarios (RELIABILITY R21): a person who cannot use a mouse signs in, skips to
// the content, creates a product, adds someone to its RACI, triages the inbox (captures two
// feedback items, moves with j/k, archives with e, opens "link to an idea" with l) and switches
// the language, then, on a product's public portal, signs in with a one-time code, votes for an
// idea and submits one, with Tab, Shift+Tab, Enter, Space, the arrow keys and the inbox's
// shortcuts only.
// At every stop the focused element must show a visible focus indicator, and no page may show a
// raw message key.
//
// Environment: PHARE_BIN (default $CARGO_TARGET_DIR/debug/phare or target/debug/phare),
// CHROMIUM (default /usr/bin/chromium). Starts its own server on a free 127.0.0.1 port with a
// throwaway data directory, and stops it (by its pid) in every case.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, launchChromium, runPhare as phare, startPhare } from './lib.mjs';
import { codeFor, seedPortal } from './portal.mjs';

const EMAIL = 'ada@example.org';
const PASSWORD = 'lighthouse-keeper-42';
// A Fluent key shown instead of its text (e.g. "nav-home", "field-required").
const RAW_KEY = /\b(?:nav|action|field|error|flash|col|raci|role|job|pm-model|scope|expiry|outcome|status|token|tokens|members|member|product|products|line|lines|setup|login|invitation|invitations|audit|settings|home|stat|profile|conflict|count|form|footer|skip|filter|pagination|language|password|time-zone|inbox|feedback|idea|ideas|source|origin|importance|bulk|capture|shortcut|shortcuts|hint|hints|story|evidence|similar|demand|merge|history|search|customer|customers|portal|outbox|mail)-[a-z0-9_-]+\b/;

const failures = [];
const steps = [];
let server;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-keyboard-'));

function check(ok, what) {
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

/** Describes the focused element, and whether its focus is visible (outline or box shadow). */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body', visible: false, text: '' };
    const cs = getComputedStyle(el);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
    const shadow = cs.boxShadow && cs.boxShadow !== 'none';
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      text: (el.innerText || el.value || '').trim().slice(0, 60),
      href: el.getAttribute('href'),
      visible: outline || shadow,
    };
  });
}

/** Presses Tab until `match` holds for the focused element (at most 80 presses). */
async function tabTo(page, what, match) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f.visible) {
      failures.push(`no visible focus on <${f.tag}${f.id ? '#' + f.id : ''}> "${f.text}" (${page.url()})`);
    }
    if (match(f)) return f;
  }
  throw new Error(`Tab never reached ${what} on ${page.url()}`);
}

async function noRawKeys(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const m = text.match(RAW_KEY);
  check(!m, `no raw message key on ${new URL(page.url()).pathname}${m ? ` (found "${m[0]}")` : ''}`);
}

/** The numbers on the inbox's state tabs: { new, processed, archived }. */
async function tabCounts(page) {
  return page.$$eval('.tabs a', (as) => as.map((a) => Number(a.querySelector('.tab-count')?.textContent || 'NaN')));
}

/** Inbox triage from the keyboard: capture, j/k, e, l. */
async function inbox(page, base) {
  await page.goto(`${base}/inbox`);
  check(await page.isVisible('.kbd-legend'), 'the inbox shows the legend of its shortcuts');
  await page.keyboard.press('c');
  check((await focused(page)).id === 'text', 'c puts the focus in the capture field');
  await page.keyboard.type('Les agents ressaisissent chaque demande reçue par courrier.');
  await page.keyboard.press('Tab');
  const source = await focused(page);
  check(source.id === 'source' && source.visible, 'Tab goes from the text to its source, visibly');
  await page.keyboard.press('ArrowDown'); // Choose… → User interview
  await page.keyboard.press('ArrowDown'); // → Customer support
  check((await page.$eval('#source', (s) => s.value)) === 'support', 'the arrow keys choose the source');
  await page.keyboard.press('Shift+Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  check((await page.locator('.flash').count()) === 1, 'Ctrl+Enter in the capture field adds the feedback');
  check((await focused(page)).id === 'text', 'after a capture the focus is back in the capture field');
  check((await page.$eval('#source', (s) => s.value)) === 'support', 'the next capture keeps the same source');
  await page.keyboard.type('Un export **PDF** des démarches ferait gagner une heure par jour.');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
  const items = await page.locator('[data-inbox-item]').count();
  check(items === 2, `two captured items are listed (got ${items})`);
  await noRawKeys(page);

  await page.keyboard.press('Escape');
  await page.keyboard.press('j');
  const first = await focused(page);
  check(first.tag === 'a' && /^\/feedback\//.test(first.href || '') && first.visible, 'j focuses the first item, visibly');
  await page.keyboard.press('j');
  const second = await focused(page);
  check(second.href !== first.href && /^\/feedback\//.test(second.href || ''), 'j moves to the next item');
  await page.keyboard.press('k');
  check((await focused(page)).href === first.href, 'k moves back');
  check((await page.locator('.inbox-item.is-current').count()) === 1, 'one item is marked as the current one');

  const [newBefore, , archivedBefore] = await tabCounts(page);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('e')]);
  const [newAfter, , archivedAfter] = await tabCounts(page);
  check(newAfter === newBefore - 1 && archivedAfter === archivedBefore + 1, `e archives the current item (new ${newBefore}→${newAfter}, archived ${archivedBefore}→${archivedAfter})`);
  const current = await focused(page);
  check(/^\/feedback\//.test(current.href || '') && current.visible, 'after archiving, the item in its place is current and focused');
  await noRawKeys(page);

  await Promise.all([page.waitForNavigation(), page.keyboard.press('l')]);
  check(/\/feedback\/[0-9a-f-]{36}#link$/.test(page.url()), 'l opens the item at its "link to an idea" form');
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body, null, { timeout: 2000 }).catch(() => {});
  const field = await focused(page);
  check(field.name === 'idea' || field.name === 'idea_id', `the focus is in the link form (on ${field.tag}#${field.id})`);
  await noRawKeys(page);
}

// The public portal, keyboard only: sign in with the e-mailed code (read from the outbox, as
// an admin would pass it on), vote for an idea, then submit one.
async function portalScenario(browser, base) {
  const token = phare(['admin', 'create-token', '--data-dir', dataDir, '--email', EMAIL, '--scopes', 'all']).trim();
  const r = await fetch(`${base}/api/v1/products`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Mobile Transport', key: 'MOB' }),
  });
  const product = await r.json();
  const s = await seedPortal(base, token, { cit: product });
  const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US' }, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const visitor = 'kbd.visitor@example.org';
  await page.goto(`${base}${s.portal.path}`);
  await Promise.all([page.waitForNavigation(), tabTo(page, 'the portal\'s "Sign in"', (f) => (f.href || '').includes('/sign-in')).then(() => page.keyboard.press('Enter'))]);
  await tabTo(page, 'the e-mail field', (f) => f.id === 'email');
  await page.keyboard.type(visitor);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  check((await page.locator('#code').count()) === 1, 'Enter in the e-mail field sends a sign-in code');
  await tabTo(page, 'the code field', (f) => f.id === 'code');
  await page.keyboard.type(await codeFor(base, token, visitor));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  check(new URL(page.url()).pathname === s.portal.path && (await page.locator('.portal-me').count()) === 1, 'Enter in the code field signs in and comes back to the portal');
  await noRawKeys(page);
  // Vote for the idea nobody voted for yet, with Space.
  const n = s.portal.ideas.sms.face.number;
  await Promise.all([page.waitForNavigation(), tabTo(page, `the vote button of idea ${n}`, (f) => f.id === `vote-${n}`).then(() => page.keyboard.press('Space'))]);
  const voted = await page.evaluate((id) => {
    const b = document.getElementById(id);
    return b ? [b.getAttribute('aria-pressed'), b.querySelector('.vote-count')?.textContent.trim()] : [];
  }, `vote-${n}`);
  check(voted[0] === 'true' && voted[1] === '1', `Space on the vote button votes (pressed ${voted[0]}, count ${voted[1]})`);
  check(page.url().endsWith(`#idea-${n}`), 'the page comes back at the idea voted for');
  // Submit an idea, from a new visit of the portal (after the vote, focus starts at the idea,
  // at the bottom of the list: the link is at the top).
  await page.goto(`${base}${s.portal.path}`);
  await Promise.all([page.waitForNavigation(), tabTo(page, '"Submit an idea"', (f) => (f.href || '').endsWith('/submit')).then(() => page.keyboard.press('Enter'))]);
  await tabTo(page, 'the title field', (f) => f.id === 'title');
  await page.keyboard.type('Show the next three departures');
  await page.keyboard.press('Tab');
  check((await focused(page)).id === 'description', 'Tab goes from the title to the details');
  await page.keyboard.type('At the stop screen, not only the next one.');
  await Promise.all([page.waitForNavigation(), tabTo(page, '"Send the idea"', (f) => f.tag === 'button' && f.type === 'submit').then(() => page.keyboard.press('Enter'))]);
  check(new URL(page.url()).pathname === s.portal.path && (await page.locator('.flash-success').count()) === 1, 'Enter on "Send the idea" submits it');
  const pending = await fetch(`${base}/api/v1/products/${product.id}/portal/ideas?state=pending`, { headers: { Authorization: `Bearer ${token}` } }).then((x) => x.json());
  check(pending.items.some((i) => i.title === 'Show the next three departures'), 'the submitted idea waits for moderation');
  await noRawKeys(page);
  await context.close();
}

async function main() {
  if (!fs.existsSync(BIN)) throw new Error(`no phare binary at ${BIN}`);
  phare(['admin', 'create-user', '--data-dir', dataDir, '--email', EMAIL, '--name', 'Ada Lovelace', '--role', 'admin', '--password-stdin'], PASSWORD);
  server = await startPhare({ dataDir });
  const base = server.base;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'Accept-Language': 'en-US' }, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    // Sign in.
    await page.goto(`${base}/login`);
    await tabTo(page, 'the e-mail field', (f) => f.id === 'email');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    check((await focused(page)).id === 'password', 'Tab goes from e-mail to password');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    check(new URL(page.url()).pathname === '/', 'Enter in the password field signs in');
    await noRawKeys(page);

    // The first Tab reaches the skip link, which moves focus to the content.
    await page.keyboard.press('Tab');
    const skip = await focused(page);
    check(skip.href === '#main' && skip.visible, 'the first Tab shows the skip link');
    await page.keyboard.press('Enter');
    check(await page.evaluate(() => document.activeElement?.id === 'main' || location.hash === '#main'), 'the skip link moves to the content');

    // Create a product.
    await Promise.all([page.waitForNavigation(), tabTo(page, '"New product"', (f) => f.href === '/products/new').then(() => page.keyboard.press('Enter'))]);
    await tabTo(page, 'the name field', (f) => f.id === 'name');
    await page.keyboard.type('Portail citoyen');
    await tabTo(page, 'the key field', (f) => f.id === 'key');
    await page.keyboard.type('CIT');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    check(/\/products\/[0-9a-f-]{36}/.test(page.url()), 'Enter in the form creates the product');
    await noRawKeys(page);

    // Add oneself to the RACI as accountable, choosing the letter with the arrow keys.
    await tabTo(page, 'the RACI e-mail field', (f) => f.id === 'add_email');
    await page.keyboard.type(EMAIL);
    await page.keyboard.press('Tab');
    check((await focused(page)).id === 'add_raci', 'Tab reaches the RACI letter');
    await page.keyboard.press('ArrowDown'); // responsible → accountable
    await tabTo(page, '"Save RACI"', (f) => f.tag === 'button' && /RACI/.test(f.text));
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Space')]);
    const whoIsAccountable = await page.evaluate(() => {
      const dts = [...document.querySelectorAll('dl.kv dt')];
      const dt = dts.find((d) => d.textContent.trim() === 'Accountable');
      return dt ? dt.nextElementSibling.textContent.trim() : '';
    });
    check(whoIsAccountable === 'Ada Lovelace', `the RACI saved by keyboard shows Ada as accountable (got "${whoIsAccountable}")`);

    await inbox(page, base);

    // Switch to French from the footer.
    await Promise.all([page.waitForNavigation(), tabTo(page, '"Français"', (f) => f.tag === 'button' && f.text === 'Français').then(() => page.keyboard.press('Enter'))]);
    check((await page.getAttribute('html', 'lang')) === 'fr', 'the language switch works from the keyboard');
    await noRawKeys(page);
    // Shift+Tab walks back without losing a visible focus.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift+Tab');
      const f = await focused(page);
      if (!f.visible) failures.push(`no visible focus going back on <${f.tag}> "${f.text}"`);
    }
    await context.close();
    await portalScenario(browser, base);
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  failures.push(`scenario stopped: ${e.message}`);
} finally {
  if (server) await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log('== keyboard-only scenarios');
for (const s of steps) console.log(s);
for (const f of failures) console.log(`FAIL ${f}`);
const passed = steps.filter((s) => s.startsWith('ok')).length;
console.log(`\n${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
