// Seed data for the browser checks, created through the API with an admin's token: a product
// line, two products, feedback from three customers, three ideas written as user stories (one
// merged into another), and evidence between them; then personas, competitors with a partly rated
// comparison grid and research notes (seedResearch). Enough for the crawl to reach every kind of
// page (inbox, feedback, ideas, an idea merged away, search, customers, research) in both languages.

async function call(base, token, method, path, body, extra = {}) {
  const r = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status >= 300) throw new Error(`seeding ${method} ${path}: ${r.status} ${await r.text()}`);
  return r.status === 204 ? null : r.json();
}

export async function seedOrg(base, token) {
  const post = (path, body) => call(base, token, 'POST', path, body);
  const line = await post('/product-lines', {
    name: 'Services aux citoyens',
    description: 'Démarches, paiements et rendez-vous en ligne.',
  });
  const cit = await post('/products', {
    name: 'Portail citoyen',
    key: 'CIT',
    product_line_id: line.id,
    description: 'Le guichet unique en ligne : compte usager, suivi des demandes.',
  });
  const mob = await post('/products', { name: 'Mobile Transport', key: 'MOB', description: 'Real-time timetables and digital tickets.' });
  return { line, cit, mob };
}

export async function seedDiscovery(base, token, { cit, mob }) {
  const post = (path, body) => call(base, token, 'POST', path, body);
  const lyon = { name: 'Ville de Lyon', segment: 'Secteur public', weight: 8 };
  const f1 = await post(`/products/${cit.id}/feedback`, {
    text: "Les agents doivent **ressaisir** chaque demande reçue par courrier. Un export PDF des démarches leur ferait gagner une heure par jour.",
    source: 'interview',
    customer: lyon,
    contact: 'Claire Martin, responsable accueil',
    tags: ['export', 'pdf'],
    observed_at: '2026-03-12T09:00:00Z',
  });
  const f2 = await post(`/products/${cit.id}/feedback`, {
    text: 'Impossible de retrouver le récépissé de ma demande de carte grise : je voudrais le télécharger en PDF.',
    source: 'support',
    customer: { name: 'Marie Curie', kind: 'person', weight: 1 },
    tags: ['pdf'],
  });
  const f3 = await post(`/products/${mob.id}/feedback`, {
    text: 'Drivers ask for a way to see delays on the whole line, not only the next stop.\n\n- asked twice at the user club\n- matters most at rush hour',
    source: 'user_club',
    customer: { name: 'Transdev', segment: 'Enterprise', weight: 5 },
    tags: ['realtime'],
  });
  await post('/feedback', {
    text: 'Competitors now offer appointment booking for every service.',
    source: 'market_watch',
  });
  await post(`/products/${cit.id}/feedback`, {
    text: 'Les usagers veulent **prendre rendez-vous en ligne** pour retirer leur passeport, sans appeler la mairie.',
    source: 'sales',
    customer: lyon,
    tags: ['rendez-vous'],
  });
  await post(`/products/${mob.id}/feedback`, {
    text: 'The ticket app logs me out every morning; I have to type my password at the bus stop.',
    source: 'survey',
    customer: { name: 'Transdev', segment: 'Enterprise', weight: 5 },
  });
  const export1 = await post(`/products/${cit.id}/ideas`, {
    title: 'Export des démarches en PDF',
    as_a: "agent d'accueil de la mairie",
    i_want: 'exporter une démarche et ses pièces en un seul PDF',
    so_that: 'je la transmets au service instructeur sans ressaisie',
  });
  // Edits carry the version they apply to (If-Match), as every client must.
  const etag = (await fetch(`${base}/api/v1/ideas/${export1.id}`, { headers: { Authorization: `Bearer ${token}` } })).headers.get('etag');
  await call(base, token, 'PATCH', `/ideas/${export1.id}`, { status: 'under_consideration', description: 'Un PDF par démarche, **pièces jointes comprises**.' }, { 'If-Match': etag });
  const booking = await post(`/products/${cit.id}/ideas`, {
    title: 'Prise de rendez-vous en ligne',
    as_a: 'usager',
    i_want: 'améliorer la prise de rendez-vous',
  });
  const duplicate = await post(`/products/${cit.id}/ideas`, {
    title: 'Télécharger le récépissé en PDF',
    as_a: 'usager ayant déposé une demande',
    i_want: 'télécharger mon récépissé en PDF',
    so_that: 'je prouve ma démarche au guichet',
  });
  await post(`/ideas/${export1.id}/evidence`, { feedback_id: f1.id, importance: 'critical', excerpt: 'Un export PDF des démarches leur ferait gagner une heure par jour.' });
  await post(`/ideas/${duplicate.id}/evidence`, { feedback_id: f2.id, importance: 'important' });
  await post(`/ideas/${duplicate.id}/merge`, { into: export1.id, reason: 'Même besoin : un PDF de la démarche.' });
  const delays = await post(`/products/${mob.id}/ideas`, {
    title: 'Line-wide delay view',
    as_a: 'bus driver',
    i_want: 'to see delays on the whole line',
    so_that: 'I can warn passengers before they wait',
  });
  await post(`/ideas/${delays.id}/evidence`, { feedback_id: f3.id, importance: 'important' });
  // A bug report with its whole template (issue #4 part 6).
  const bug = await post(`/products/${cit.id}/ideas`, {
    kind: 'bug',
    title: "L'export PDF s'arrête à 50 pièces",
    bug: {
      steps: "1. Ouvrir une démarche de plus de 50 pièces\n2. Cliquer sur « Exporter en PDF »\n3. Ouvrir le fichier",
      expected: 'Un PDF avec toutes les pièces',
      actual: 'Le PDF s’arrête à la 50e pièce, sans message',
      environment: 'Firefox 133, Windows 11, poste de la mairie annexe',
      severity: 'major',
    },
    status: 'under_consideration',
  });
  void booking;
  return { feedback: [f1, f2, f3], ideas: { export1, booking, duplicate, delays, bug } };
}

// Personas, competitors with a partly rated grid, and research notes with a captured passage,
// so the crawl reaches every research page (and the empty states of the second product).
export async function seedResearch(base, token, { cit, mob }, { feedback, ideas }) {
  const post = (path, body) => call(base, token, 'POST', path, body);
  const put = (path, body) => call(base, token, 'PUT', path, body);
  const claire = await post(`/products/${cit.id}/personas`, {
    name: "Claire, agente d'accueil",
    description: "Reçoit les usagers à la mairie et **ressaisit** les demandes arrivées par courrier.",
    goals: '- Traiter une demande en une seule fois\n- Répondre aux usagers sans les faire revenir',
    frustrations: '- La double saisie\n- Les pièces jointes perdues entre deux services',
  });
  const marc = await post(`/products/${cit.id}/personas`, {
    name: 'Marc, usager pressé',
    description: 'Fait ses démarches depuis son téléphone, entre deux rendez-vous.',
    goals: 'Prendre rendez-vous sans appeler la mairie.',
  });
  await post(`/personas/${claire.id}/links`, { target_kind: 'idea', target_id: ideas.export1.id });
  await post(`/personas/${claire.id}/links`, { target_kind: 'feedback', target_id: feedback[0].id });
  await post(`/personas/${marc.id}/links`, { target_kind: 'idea', target_id: ideas.booking.id });

  const caps = {};
  for (const [name, ours, ours_note] of [
    ['Export PDF des démarches', 'partial', 'Démarche seule, sans les pièces jointes'],
    ['Prise de rendez-vous en ligne', 'no', ''],
    ['Suivi de la demande', 'have', ''],
    ['Connexion FranceConnect', 'have', ''],
  ]) {
    caps[name] = await put(`/products/${cit.id}/capabilities`, { name, ours, ours_note });
  }
  const rival = await post(`/products/${cit.id}/competitors`, {
    name: 'Démarches+',
    website: 'https://demarches-plus.example',
    strengths: '- Prise de rendez-vous intégrée\n- Application mobile **très** bien notée',
    weaknesses: "- Pas d'export PDF\n- Hébergement hors de l'Union européenne",
  });
  const guichet = await post(`/products/${cit.id}/competitors`, {
    name: 'GuichetNet',
    strengths: 'Déjà en place dans de nombreuses communes.',
  });
  const rate = (c, cap, rating, note) => put(`/competitors/${c.id}/ratings/${caps[cap].id}`, note ? { rating, note } : { rating });
  await rate(rival, 'Export PDF des démarches', 'no');
  await rate(rival, 'Prise de rendez-vous en ligne', 'have', 'Avec rappel par SMS');
  await rate(rival, 'Suivi de la demande', 'partial', 'Par e-mail seulement');
  await rate(guichet, 'Export PDF des démarches', 'have');
  await rate(guichet, 'Connexion FranceConnect', 'no');

  const interview = await post(`/products/${cit.id}/research-notes`, {
    title: "Entretien — accueil de la mairie de Lyon",
    participant: 'Claire Martin',
    persona_id: claire.id,
    held_on: '2026-03-12T00:00:00Z',
    notes: [
      '## Contexte',
      "Claire accueille une quarantaine d'usagers par jour. Les demandes papier arrivent au courrier du matin.",
      '',
      '## Ce qu\'elle dit',
      '> « Je ressaisis chaque demande reçue par courrier, puis je l\'imprime pour le service instructeur. Un export PDF me ferait gagner une heure par jour. »',
      '',
      "- Les pièces jointes se perdent entre l'accueil et l'instruction.",
      '- Les usagers rappellent pour savoir où en est leur dossier.',
    ].join('\n'),
  });
  const captured = await post(`/research-notes/${interview.id}/passages`, {
    text: "Un export PDF me ferait gagner une heure par jour.",
    idea_id: ideas.export1.id,
    importance: 'critical',
  });
  const drivers = await post(`/products/${mob.id}/research-notes`, {
    title: 'User club — drivers, March session',
    participant: 'Drivers of line 12',
    held_on: '2026-03-20T00:00:00Z',
    notes: 'Drivers want to see **delays on the whole line**, not only the next stop. It matters most at rush hour.',
  });
  return { personas: { claire, marc }, competitors: { rival, guichet }, notes: { interview, drivers }, captured };
}
