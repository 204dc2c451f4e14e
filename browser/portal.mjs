// The public portal in the browser checks: seed data (an open portal on the first product with
// published ideas of several statuses, votes and comments by visitors, a team reply, a pending
// submission), and the portal's pages to check in each language, anonymous and signed in,
// with the team's moderation pages and the outbox.
//
// Visitors sign in as a person would: the sign-in form, then the code read from the outbox
// (no SMTP server in the checks), then the code form.

async function api(base, token, method, path, body, extra = {}) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`portal seeding ${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function form(base, path, fields, cookie) {
  const headers = { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.Cookie = cookie;
  return fetch(`${base}${path}`, { method: 'POST', headers, body: new URLSearchParams(fields), redirect: 'manual' });
}

/** The newest sign-in code sent to `email`, from the outbox. */
export async function codeFor(base, token, email) {
  const page = await api(base, token, 'GET', '/outbox?limit=50');
  const m = page.items.find((i) => i.to === email && i.kind === 'sign_in_code');
  const line = m && m.text.split('\n').map((l) => l.trim()).find((l) => /^\d{6}$/.test(l));
  if (!line) throw new Error(`no sign-in code for ${email} in the outbox`);
  return line;
}

/** Signs a visitor in through the portal's forms; returns the cookie pair. */
export async function visitor(base, token, portalPath, email, name) {
  const r1 = await form(base, `${portalPath}/sign-in`, { email, display_name: name });
  if (r1.status !== 200) throw new Error(`portal sign-in form: ${r1.status}`);
  const code = await codeFor(base, token, email);
  const r2 = await form(base, `${portalPath}/sign-in/code`, { email, code });
  const cookie = (r2.headers.getSetCookie?.() ?? [r2.headers.get('set-cookie')]).find((c) => c && c.startsWith('phare_portal='));
  if (r2.status !== 303 || !cookie) throw new Error(`portal code form: ${r2.status}`);
  return cookie.split(';')[0];
}

export async function seedPortal(base, token, { cit }) {
  const ws = await api(base, token, 'GET', '/workspace');
  await api(
    base,
    token,
    'PATCH',
    `/products/${cit.id}/portal`,
    {
      enabled: true,
      title: 'Idées pour le Portail citoyen',
      intro: 'Proposez vos idées pour simplifier vos **démarches en ligne**, votez pour celles qui comptent pour vous et suivez leur avancement.',
    },
    { 'If-Match': '"0"' },
  );
  const ideas = {};
  for (const [name, title, description, status] of [
    ['pdf', 'Télécharger mes démarches en PDF', 'Un PDF de chaque démarche, **avec les pièces jointes**, à garder ou à imprimer.', 'planned'],
    ['rdv', 'Prendre rendez-vous en ligne', 'Choisir un créneau à la mairie sans appeler.', 'in_progress'],
    ['suivi', 'Être prévenu quand ma demande avance', 'Un e-mail à chaque étape de l’instruction.', 'under_consideration'],
    ['fc', 'Se connecter avec FranceConnect', '', 'shipped'],
    ['sms', 'Recevoir les rappels par SMS', 'Pour les personnes sans adresse e-mail.', 'declined'],
  ]) {
    let idea = await api(base, token, 'POST', `/products/${cit.id}/ideas`, {
      title,
      as_a: 'usager',
      i_want: title.toLowerCase(),
      so_that: 'mes démarches aillent plus vite',
      status,
    });
    idea = { ...idea, face: await api(base, token, 'PATCH', `/ideas/${idea.id}/portal`, { state: 'published', description }, { 'If-Match': '"1"' }) };
    ideas[name] = idea;
  }
  const portalPath = `/p/${ws.slug}/${cit.key}`;
  const lea = await visitor(base, token, portalPath, 'lea.portail@example.org', 'Léa');
  const max = await visitor(base, token, portalPath, 'max.portail@example.org', 'Max');
  for (const [cookie, names] of [[lea, ['pdf', 'rdv', 'suivi']], [max, ['pdf', 'fc']]]) {
    for (const n of names) await form(base, `${portalPath}/ideas/${ideas[n].face.number}/vote`, {}, cookie);
  }
  await form(base, `${portalPath}/ideas/${ideas.pdf.face.number}/comments`, { body: 'Indispensable pour les dossiers de **permis de construire** !' }, lea);
  await form(base, `${portalPath}/ideas/${ideas.pdf.face.number}/comments`, { body: 'Pareil pour les demandes d’état civil.' }, max);
  await api(base, token, 'POST', `/ideas/${ideas.pdf.id}/portal/comments`, { body: 'Merci ! C’est prévu pour la version de printemps.' });
  await form(base, `${portalPath}/submit`, { title: 'Payer la cantine en ligne', description: 'Sans passer à la mairie chaque mois.', website: '' }, max);
  const pending = await api(base, token, 'GET', `/products/${cit.id}/portal/ideas?state=pending`);
  return { portal: { path: portalPath, ideas, pending: pending.items[0], lea } };
}

/** The portal's pages, as [path, screenshot name, signed in as a visitor?]. */
export function portalPages(s) {
  const p = s.portal.path;
  const n = s.portal.ideas.pdf.face.number;
  return [
    [p, 'portal-list', false],
    [`${p}?sort=top`, 'portal-list-top', false],
    [`${p}?sort=newest&status=planned`, 'portal-list-planned', false],
    [`${p}?sort=trending&status=shipped`, 'portal-list-shipped', false],
    [`${p}?status=declined&sort=top`, 'portal-list-declined', false],
    [`${p}/ideas/${n}`, 'portal-idea', false],
    [`${p}/submit`, 'portal-submit-anonymous', false],
    [`${p}/sign-in`, 'portal-sign-in', false],
    [p, 'portal-list-signed-in', true],
    [`${p}/ideas/${n}`, 'portal-idea-signed-in', true],
    [`${p}/submit`, 'portal-submit', true],
    [`${p}/submit?kind=bug`, 'portal-submit-bug', true],
    [`/products/${s.cit.id}/portal`, 'portal-admin', false],
    [`/ideas/${s.portal.ideas.pdf.id}/portal`, 'portal-moderate', false],
    [`/ideas/${s.portal.pending.idea_id}/portal`, 'portal-moderate-pending', false],
    ['/outbox', 'outbox', false],
  ];
}

/**
 * Visits every portal page in this browser context (the team's session is already in it), with
 * the visitor's portal cookie for the signed-in ones, then the code form and an empty
 * submission (422).
 */
export async function portalChecks(page, context, loc, base, s, checkPage, ctx) {
  const cookie = s.portal.lea.split('=');
  const host = new URL(base).hostname;
  for (const [path, shotName, signedIn] of portalPages(s)) {
    if (signedIn) await context.addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), domain: host, path: '/' }]);
    else await context.clearCookies({ name: 'phare_portal' });
    const url = `${base}${path}`;
    const response = await page.goto(url, { waitUntil: 'load' });
    await checkPage(page, loc, url, response, { shotName, ctx });
  }
  // The code form, as a person reaches it.
  await context.clearCookies({ name: 'phare_portal' });
  await page.goto(`${base}${s.portal.path}/sign-in`, { waitUntil: 'load' });
  await page.fill('#email', `reader.${loc.lang}@example.org`);
  const [codePage] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/sign-in"] button[type="submit"]')]);
  await checkPage(page, loc, page.url(), codePage, { shotName: 'portal-code', ctx });
  // A wrong code: the form comes back with its error.
  await page.fill('#code', '000000');
  const [wrong] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/sign-in/code"] button[type="submit"]')]);
  await checkPage(page, loc, page.url(), wrong, { expectStatus: 422, shotName: 'portal-code-wrong', ctx });
  // An empty submission, signed in.
  await context.addCookies([{ name: cookie[0], value: cookie.slice(1).join('='), domain: host, path: '/' }]);
  await page.goto(`${base}${s.portal.path}/submit`, { waitUntil: 'load' });
  await page.evaluate(() => {
    const f = document.querySelector('form[action$="/submit"]');
    f.noValidate = true;
  });
  const [empty] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/submit"] button[type="submit"]')]);
  await checkPage(page, loc, page.url(), empty, { expectStatus: 422, shotName: 'portal-submit-empty', ctx });
  // A problem report with its title only: every part of the bug template is asked for.
  await page.goto(`${base}${s.portal.path}/submit?kind=bug`, { waitUntil: 'load' });
  await page.fill('#title', 'Le paiement échoue');
  const [bug] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form[action$="/submit"] button[type="submit"]')]);
  await checkPage(page, loc, page.url(), bug, { expectStatus: 422, shotName: 'portal-submit-bug-empty', ctx });
  await context.clearCookies({ name: 'phare_portal' });
}
