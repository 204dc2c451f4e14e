//! Realistic French and English prose for discovery records: feedback as people write it (a
//! support ticket, a sales note, interview notes…), ideas as user stories, customer names.
//!
//! Every text is built from the phrases of one [`Topic`] (exports, performance, accessibility…)
//! so that search, duplicates and evidence link records that really talk about the same need.
//! Phrases combine (verb × object × qualifier, problem × opener…), which gives tens of
//! thousands of distinct sentences per language. Everything is drawn from the caller's seeded
//! random source.

use phare_domain::{CustomerKind, Locale, SourceKind};
use rand::seq::SliceRandom;
use rand::Rng;

/// The phrases of one topic in one language.
pub struct Phrases {
    /// Bare infinitives that go with every object ("exporter", "export").
    pub verbs: &'static [&'static str],
    pub objects: &'static [&'static str],
    /// Ends of the wish; "" leaves it out.
    pub qualifiers: &'static [&'static str],
    /// Whole clauses, lower-case, without the final full stop.
    pub problems: &'static [&'static str],
    /// French: an infinitive after "afin de"; English: a clause after "so that".
    pub benefits: &'static [&'static str],
}

pub struct Topic {
    /// The tag records of this topic carry (language-neutral, lower-case).
    pub tag: &'static str,
    pub fr: Phrases,
    pub en: Phrases,
}

impl Topic {
    pub fn phrases(&self, lang: Locale) -> &Phrases {
        match lang {
            Locale::Fr => &self.fr,
            Locale::En => &self.en,
        }
    }
}

pub const TOPICS: &[Topic] = &[
    Topic {
        tag: "export",
        fr: Phrases {
            verbs: &["exporter", "télécharger", "extraire"],
            objects: &[
                "les demandes filtrées",
                "les factures du mois",
                "la liste des usagers",
                "l'historique des paiements",
                "les réservations de la semaine",
            ],
            qualifiers: &[
                "en CSV",
                "au format Excel",
                "en PDF",
                "avec les colonnes choisies",
                "",
            ],
            problems: &[
                "l'export plante au-delà de 10 000 lignes",
                "les accents sont cassés dans le fichier exporté",
                "les dates sortent au format américain dans l'export",
                "il manque la colonne du numéro de dossier dans l'export",
                "l'export Excel prend plusieurs minutes",
            ],
            benefits: &[
                "préparer le bilan mensuel sans ressaisie",
                "transmettre les chiffres à la trésorerie",
                "retravailler les données dans un tableur",
                "archiver les pièces comptables",
            ],
        },
        en: Phrases {
            verbs: &["export", "download", "extract"],
            objects: &[
                "the filtered requests",
                "this month's invoices",
                "the list of residents",
                "the payment history",
                "this week's bookings",
            ],
            qualifiers: &[
                "as CSV",
                "to Excel",
                "as a PDF",
                "with the columns I choose",
                "",
            ],
            problems: &[
                "the export crashes beyond 10,000 rows",
                "accented characters are broken in the exported file",
                "dates come out in the wrong format in the export",
                "the case number column is missing from the export",
                "the Excel export takes several minutes",
            ],
            benefits: &[
                "I can prepare the monthly report without retyping",
                "I can send the figures to the treasury",
                "I can rework the data in a spreadsheet",
                "we can archive the accounting records",
            ],
        },
    },
    Topic {
        tag: "performance",
        fr: Phrases {
            verbs: &["afficher", "ouvrir", "charger"],
            objects: &[
                "la liste des demandes",
                "le tableau de bord",
                "la carte des travaux",
                "le planning de l'équipe",
                "la fiche usager",
            ],
            qualifiers: &[
                "en moins d'une seconde",
                "même avec plusieurs milliers de lignes",
                "sans bloquer le navigateur",
                "rapidement le lundi matin",
                "",
            ],
            problems: &[
                "la page met plus de dix secondes à s'afficher",
                "le tableau de bord est très lent en fin de mois",
                "tout se fige quand on ouvre la carte",
                "la recherche tourne dans le vide pendant de longues secondes",
                "l'application rame dès qu'on dépasse 500 demandes",
            ],
            benefits: &[
                "ne pas faire attendre les usagers au guichet",
                "traiter plus de dossiers dans la journée",
                "garder le fil pendant un appel",
                "éviter les doubles saisies quand la page ne répond pas",
            ],
        },
        en: Phrases {
            verbs: &["display", "open", "load"],
            objects: &[
                "the request list",
                "the dashboard",
                "the roadworks map",
                "the team rota",
                "the resident record",
            ],
            qualifiers: &[
                "in under a second",
                "even with thousands of rows",
                "without freezing the browser",
                "quickly on Monday mornings",
                "",
            ],
            problems: &[
                "the page takes more than ten seconds to load",
                "the dashboard is very slow at the end of the month",
                "everything freezes when we open the map",
                "search spins for a long time before answering",
                "the app slows to a crawl past 500 requests",
            ],
            benefits: &[
                "residents are not kept waiting at the desk",
                "we can handle more cases in a day",
                "I keep track during a phone call",
                "we avoid entering things twice when the page hangs",
            ],
        },
    },
    Topic {
        tag: "accessibility",
        fr: Phrases {
            verbs: &["utiliser", "parcourir", "remplir"],
            objects: &[
                "le formulaire de demande",
                "le menu principal",
                "le calendrier de réservation",
                "la page de paiement",
                "les tableaux de résultats",
            ],
            qualifiers: &[
                "au clavier uniquement",
                "avec un lecteur d'écran",
                "avec un zoom à 200 %",
                "en contraste élevé",
                "",
            ],
            problems: &[
                "le lecteur d'écran ne lit pas les boutons du formulaire",
                "le focus clavier disparaît dans le calendrier",
                "les contrastes sont insuffisants sur les boutons gris",
                "le texte devient illisible quand on agrandit la page",
                "les messages d'erreur ne sont signalés qu'en rouge",
            ],
            benefits: &[
                "permettre aux personnes malvoyantes de faire leurs démarches seules",
                "respecter le RGAA",
                "ne pas exclure les usagers âgés",
                "réussir l'audit d'accessibilité",
            ],
        },
        en: Phrases {
            verbs: &["use", "navigate", "fill in"],
            objects: &[
                "the request form",
                "the main menu",
                "the booking calendar",
                "the payment page",
                "the results tables",
            ],
            qualifiers: &[
                "with the keyboard only",
                "with a screen reader",
                "at 200% zoom",
                "in high contrast",
                "",
            ],
            problems: &[
                "the screen reader does not read the form buttons",
                "keyboard focus gets lost in the calendar",
                "contrast is too low on the grey buttons",
                "text becomes unreadable when the page is zoomed",
                "error messages are only shown in red",
            ],
            benefits: &[
                "visually impaired residents can complete requests on their own",
                "we meet WCAG 2.1 AA",
                "older residents are not left out",
                "we pass the accessibility audit",
            ],
        },
    },
    Topic {
        tag: "notifications",
        fr: Phrases {
            verbs: &["recevoir", "paramétrer", "activer"],
            objects: &[
                "une notification",
                "un e-mail de rappel",
                "une alerte SMS",
                "un résumé quotidien",
                "les notifications push",
            ],
            qualifiers: &[
                "quand une demande change de statut",
                "la veille d'un rendez-vous",
                "quand un paiement échoue",
                "une seule fois par jour",
                "",
            ],
            problems: &[
                "on reçoit des dizaines d'e-mails identiques chaque matin",
                "les rappels de rendez-vous partent après le rendez-vous",
                "aucune alerte n'arrive quand un paiement échoue",
                "les notifications push ne s'affichent plus sur Android",
                "impossible de couper les notifications le week-end",
            ],
            benefits: &[
                "ne plus rater de rendez-vous",
                "réagir vite quand un dossier bloque",
                "limiter le bruit dans les boîtes mail",
                "prévenir les usagers sans les appeler",
            ],
        },
        en: Phrases {
            verbs: &["receive", "set up", "turn on"],
            objects: &[
                "a notification",
                "a reminder e-mail",
                "an SMS alert",
                "a daily digest",
                "push notifications",
            ],
            qualifiers: &[
                "when a request changes status",
                "the day before an appointment",
                "when a payment fails",
                "once a day at most",
                "",
            ],
            problems: &[
                "we get dozens of identical e-mails every morning",
                "appointment reminders are sent after the appointment",
                "no alert arrives when a payment fails",
                "push notifications no longer show on Android",
                "notifications cannot be muted at weekends",
            ],
            benefits: &[
                "nobody misses an appointment",
                "we react quickly when a case is stuck",
                "inboxes stay quiet",
                "residents are told without a phone call",
            ],
        },
    },
    Topic {
        tag: "permissions",
        fr: Phrases {
            verbs: &["restreindre", "déléguer", "attribuer"],
            objects: &[
                "l'accès aux dossiers sensibles",
                "les droits de validation",
                "un rôle en lecture seule",
                "l'accès par service",
                "les droits d'administration",
            ],
            qualifiers: &[
                "à un groupe d'agents",
                "pour une durée limitée",
                "par équipe",
                "sans passer par le support",
                "",
            ],
            problems: &[
                "un stagiaire voit toutes les données de paie",
                "on ne peut pas donner un accès en lecture seule",
                "les droits sautent à chaque changement de service",
                "il faut un administrateur pour la moindre modification de droits",
                "les prestataires voient les dossiers des autres communes",
            ],
            benefits: &[
                "respecter le RGPD",
                "déléguer pendant les congés",
                "limiter les erreurs de manipulation",
                "ouvrir l'outil aux prestataires sans risque",
            ],
        },
        en: Phrases {
            verbs: &["restrict", "delegate", "grant"],
            objects: &[
                "access to sensitive cases",
                "approval rights",
                "a read-only role",
                "access per department",
                "admin rights",
            ],
            qualifiers: &[
                "to a group of staff",
                "for a limited time",
                "per team",
                "without going through support",
                "",
            ],
            problems: &[
                "an intern can see all the payroll data",
                "there is no way to give read-only access",
                "permissions are lost whenever someone changes department",
                "any change of rights needs an administrator",
                "contractors can see other towns' cases",
            ],
            benefits: &[
                "we comply with GDPR",
                "work can be delegated during holidays",
                "mistakes are limited",
                "contractors can use the tool safely",
            ],
        },
    },
    Topic {
        tag: "billing",
        fr: Phrases {
            verbs: &["régler", "consulter", "contester"],
            objects: &[
                "les factures de cantine",
                "les frais de crèche",
                "une facture en retard",
                "le solde du compte famille",
            ],
            qualifiers: &[
                "par carte bancaire",
                "en plusieurs fois",
                "depuis l'espace usager",
                "avec un justificatif PDF",
                "",
            ],
            problems: &[
                "le paiement par carte échoue sans message clair",
                "les avoirs n'apparaissent pas sur la facture suivante",
                "le prélèvement est passé deux fois ce mois-ci",
                "les familles ne retrouvent pas leurs anciennes factures",
                "la relance part alors que la facture est réglée",
            ],
            benefits: &[
                "éviter les appels au service facturation",
                "réduire les impayés",
                "donner de la visibilité aux familles",
                "clôturer la régie plus vite",
            ],
        },
        en: Phrases {
            verbs: &["pay", "view", "dispute"],
            objects: &[
                "canteen invoices",
                "nursery fees",
                "an overdue invoice",
                "the family account balance",
            ],
            qualifiers: &[
                "by card",
                "in instalments",
                "from the resident account",
                "with a PDF receipt",
                "",
            ],
            problems: &[
                "card payment fails without a clear message",
                "credit notes do not show on the next invoice",
                "the direct debit was taken twice this month",
                "families cannot find their old invoices",
                "the reminder goes out even though the invoice is paid",
            ],
            benefits: &[
                "the billing team gets fewer calls",
                "unpaid invoices go down",
                "families see what they owe",
                "we can close the accounts faster",
            ],
        },
    },
    Topic {
        tag: "search",
        fr: Phrases {
            verbs: &["rechercher", "filtrer", "retrouver"],
            objects: &[
                "un dossier",
                "les demandes d'un usager",
                "les factures",
                "un agent",
                "les rendez-vous passés",
            ],
            qualifiers: &[
                "par numéro de dossier",
                "sans tenir compte des accents",
                "par date et par statut",
                "malgré une faute de frappe",
                "",
            ],
            problems: &[
                "la recherche ne trouve rien si on oublie un accent",
                "impossible de chercher par numéro de dossier",
                "les résultats ne sont pas triés par pertinence",
                "les filtres se réinitialisent à chaque page",
                "la recherche ignore les noms composés",
            ],
            benefits: &[
                "répondre à l'usager pendant l'appel",
                "gagner du temps au guichet",
                "ne pas créer de doublons",
                "retrouver l'historique d'un dossier",
            ],
        },
        en: Phrases {
            verbs: &["search for", "filter", "find"],
            objects: &[
                "a case",
                "a resident's requests",
                "invoices",
                "a member of staff",
                "past appointments",
            ],
            qualifiers: &[
                "by case number",
                "regardless of accents",
                "by date and status",
                "despite a typo",
                "",
            ],
            problems: &[
                "search finds nothing if an accent is missing",
                "there is no way to search by case number",
                "results are not sorted by relevance",
                "filters reset on every page",
                "search ignores hyphenated names",
            ],
            benefits: &[
                "I can answer the resident during the call",
                "the front desk saves time",
                "we do not create duplicates",
                "I can find a case's history",
            ],
        },
    },
    Topic {
        tag: "mobile",
        fr: Phrases {
            verbs: &["consulter", "retrouver", "enregistrer"],
            objects: &[
                "les horaires en temps réel",
                "un titre de transport",
                "mes rendez-vous",
                "l'état de ma demande",
                "le plan du réseau",
            ],
            qualifiers: &[
                "sur mobile",
                "hors connexion",
                "depuis l'application",
                "en mode sombre",
                "",
            ],
            problems: &[
                "l'application se ferme au lancement sur iPhone",
                "le titre de transport ne s'affiche pas sans réseau",
                "les horaires affichés ont dix minutes de retard",
                "le bouton de validation est caché par le clavier",
                "l'application vide la batterie en une matinée",
            ],
            benefits: &[
                "voyager sans imprimer de billet",
                "savoir quand partir de chez moi",
                "garder mes informations dans le métro sans réseau",
                "éviter de rappeler la mairie",
            ],
        },
        en: Phrases {
            verbs: &["check", "find", "save"],
            objects: &[
                "real-time timetables",
                "a travel ticket",
                "my appointments",
                "the status of my request",
                "the network map",
            ],
            qualifiers: &["on my phone", "offline", "from the app", "in dark mode", ""],
            problems: &[
                "the app closes on launch on iPhone",
                "the ticket does not show without signal",
                "timetables shown are ten minutes late",
                "the confirm button is hidden behind the keyboard",
                "the app drains the battery in a morning",
            ],
            benefits: &[
                "I can travel without printing a ticket",
                "I know when to leave home",
                "I keep my details in the underground without signal",
                "I do not need to call the town hall again",
            ],
        },
    },
    Topic {
        tag: "integrations",
        fr: Phrases {
            verbs: &["synchroniser", "connecter", "importer"],
            objects: &[
                "les agendas Outlook",
                "le logiciel comptable",
                "l'annuaire LDAP",
                "les données du SIG",
                "les tickets du support",
            ],
            qualifiers: &[
                "automatiquement chaque nuit",
                "via une API documentée",
                "dans les deux sens",
                "sans ressaisie",
                "",
            ],
            problems: &[
                "la synchronisation avec Outlook crée des doublons",
                "le connecteur comptable s'arrête sans prévenir",
                "les comptes ne sont pas mis à jour depuis l'annuaire",
                "l'API renvoie une erreur 500 sur les gros volumes",
                "on doit copier-coller les tickets à la main",
            ],
            benefits: &[
                "ne plus ressaisir les rendez-vous",
                "fiabiliser la comptabilité",
                "gérer les arrivées et départs au même endroit",
                "brancher nos outils métier",
            ],
        },
        en: Phrases {
            verbs: &["sync", "connect", "import"],
            objects: &[
                "Outlook calendars",
                "the accounting software",
                "the LDAP directory",
                "GIS data",
                "support tickets",
            ],
            qualifiers: &[
                "automatically every night",
                "through a documented API",
                "both ways",
                "without retyping",
                "",
            ],
            problems: &[
                "the Outlook sync creates duplicates",
                "the accounting connector stops without warning",
                "accounts are not updated from the directory",
                "the API returns a 500 error on large volumes",
                "we copy and paste tickets by hand",
            ],
            benefits: &[
                "appointments never have to be retyped",
                "the accounts are reliable",
                "arrivals and departures are handled in one place",
                "we can plug in our business tools",
            ],
        },
    },
    Topic {
        tag: "reports",
        fr: Phrases {
            verbs: &["générer", "planifier", "partager"],
            objects: &[
                "le rapport mensuel d'activité",
                "un tableau de bord par service",
                "les statistiques de fréquentation",
                "le bilan annuel",
                "un indicateur de délai de traitement",
            ],
            qualifiers: &[
                "chaque premier lundi du mois",
                "avec les élus",
                "par quartier",
                "sans passer par l'informatique",
                "",
            ],
            problems: &[
                "le rapport mensuel affiche des chiffres différents de l'export",
                "les graphiques sont vides pour le mois dernier",
                "il faut trois jours pour sortir le bilan annuel",
                "les statistiques ne distinguent pas les quartiers",
                "le délai de traitement moyen est faux quand une demande est rouverte",
            ],
            benefits: &[
                "piloter le service avec des chiffres fiables",
                "préparer le conseil municipal",
                "justifier les moyens demandés",
                "suivre les engagements de délai",
            ],
        },
        en: Phrases {
            verbs: &["generate", "schedule", "share"],
            objects: &[
                "the monthly activity report",
                "a dashboard per department",
                "visitor statistics",
                "the annual review",
                "a processing-time indicator",
            ],
            qualifiers: &[
                "on the first Monday of each month",
                "with councillors",
                "by neighbourhood",
                "without asking IT",
                "",
            ],
            problems: &[
                "the monthly report shows different figures from the export",
                "charts are empty for last month",
                "it takes three days to produce the annual review",
                "statistics do not break down by neighbourhood",
                "average processing time is wrong when a request is reopened",
            ],
            benefits: &[
                "we run the service with reliable figures",
                "I can prepare the council meeting",
                "we can justify the budget we ask for",
                "we track our turnaround commitments",
            ],
        },
    },
];

/// Extra tags some records carry besides their topic's.
pub const FEEDBACK_EXTRA_TAGS: &[&str] = &["bug", "ux", "urgent", "quick-win", "key-account"];
pub const IDEA_EXTRA_TAGS: &[&str] = &["roadmap-2026", "quick-win", "tech-debt", "rgpd", "ux"];

/// Who an idea is for ("En tant que …" / "As a …").
const PERSONAS_FR: &[&str] = &[
    "agent d'accueil",
    "responsable financière",
    "usager",
    "cheffe de projet",
    "gestionnaire de paie",
    "élu de quartier",
    "technicien de terrain",
    "directrice des services",
    "administrateur de la plateforme",
    "chargé de communication",
    "parent d'élève",
    "voyageur quotidien",
];
const PERSONAS_EN: &[&str] = &[
    "front-desk agent",
    "finance manager",
    "resident",
    "project lead",
    "payroll officer",
    "councillor",
    "field technician",
    "head of services",
    "platform administrator",
    "communications officer",
    "parent",
    "daily commuter",
];

const OPENERS_FR: &[&str] = &[
    "Depuis la dernière mise à jour, ",
    "Chaque début de mois, ",
    "Plusieurs agents signalent que ",
    "Le client nous explique que ",
    "Lors de l'atelier, on a constaté que ",
    "Constat terrain : ",
    "Remontée du support : ",
    "Bonjour, ",
    "",
    "",
];
const OPENERS_EN: &[&str] = &[
    "Since the last update, ",
    "At the start of every month, ",
    "Several agents report that ",
    "The customer explains that ",
    "During the workshop we noticed that ",
    "From the field: ",
    "Support escalation: ",
    "Hi, ",
    "",
    "",
];

const WISHES_FR: &[(&str, &str)] = &[
    ("Nous aimerions pouvoir ", "."),
    ("Serait-il possible de ", " ?"),
    ("Il faudrait pouvoir ", "."),
    ("Ce serait vraiment utile de ", "."),
    ("Idéalement, on voudrait ", "."),
    ("Pouvez-vous nous permettre de ", " ?"),
];
const WISHES_EN: &[(&str, &str)] = &[
    ("We would like to ", "."),
    ("Could we ", "?"),
    ("It would really help to ", "."),
    ("Ideally we want to ", "."),
    ("Please let us ", "."),
    ("Any chance we could ", "?"),
];

const IMPACTS_FR: &[&str] = &[
    "C'est bloquant pour l'équipe comptable.",
    "On perd environ {n} heures par semaine.",
    "Cela concerne près de {n} agents.",
    "Les usagers nous appellent pour ça tous les jours.",
    "Ce n'est pas urgent mais ça revient souvent.",
    "Le problème est apparu après la migration.",
    "Nous avons dû revenir à un tableur en attendant.",
    "Trois autres communes nous ont dit la même chose.",
];
const IMPACTS_EN: &[&str] = &[
    "It blocks the accounts team.",
    "We lose about {n} hours a week.",
    "It affects nearly {n} staff.",
    "Residents call us about it every day.",
    "Not urgent, but it keeps coming up.",
    "It started after the migration.",
    "We went back to a spreadsheet in the meantime.",
    "Three other councils told us the same thing.",
];

const CLOSERS_FR: &[&str] = &[
    "Merci d'avance !",
    "Merci pour votre retour.",
    "Sinon l'outil est très apprécié.",
    "Bonne journée.",
];
const CLOSERS_EN: &[&str] = &[
    "Thanks in advance!",
    "Thanks for getting back to us.",
    "Otherwise the tool is much appreciated.",
    "Have a nice day.",
];

fn pick<'a>(rng: &mut impl Rng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("")
}

fn starts_with_vowel(s: &str) -> bool {
    s.chars().next().is_some_and(|c| {
        matches!(
            c.to_ascii_lowercase(),
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'é' | 'è' | 'ê' | 'à' | 'â' | 'î' | 'ô' | 'û'
        )
    })
}

/// French elision at a join: "de exporter" → "d'exporter", "que il" → "qu'il".
fn elide(prefix: &str, rest: &str) -> String {
    for (full, short) in [("de ", "d'"), ("que ", "qu'")] {
        if let Some(head) = prefix.strip_suffix(full) {
            if starts_with_vowel(rest) && (head.is_empty() || head.ends_with(' ')) {
                return format!("{head}{short}{rest}");
            }
        }
    }
    format!("{prefix}{rest}")
}

pub fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "exporter les factures du mois en CSV".
pub fn wish(rng: &mut impl Rng, p: &Phrases) -> String {
    let verb = pick(rng, p.verbs);
    let object = pick(rng, p.objects);
    let qualifier = pick(rng, p.qualifiers);
    if qualifier.is_empty() {
        format!("{verb} {object}")
    } else {
        format!("{verb} {object} {qualifier}")
    }
}

fn problem_sentence(rng: &mut impl Rng, lang: Locale, p: &Phrases) -> String {
    let openers = match lang {
        Locale::Fr => OPENERS_FR,
        Locale::En => OPENERS_EN,
    };
    let opener = pick(rng, openers);
    let problem = pick(rng, p.problems);
    if opener.is_empty() {
        format!("{}.", capitalize(problem))
    } else {
        format!("{}.", elide(opener, problem))
    }
}

fn wish_sentence(rng: &mut impl Rng, lang: Locale, p: &Phrases) -> String {
    let w = wish(rng, p);
    let with_benefit = rng.gen_bool(0.35);
    let benefit = pick(rng, p.benefits);
    match lang {
        Locale::Fr => {
            let (head, tail) = *WISHES_FR.choose(rng).unwrap_or(&WISHES_FR[0]);
            let mut s = elide(head, &w);
            if with_benefit {
                s = elide(&format!("{s} afin de "), benefit);
            }
            format!("{s}{tail}")
        }
        Locale::En => {
            let (head, tail) = *WISHES_EN.choose(rng).unwrap_or(&WISHES_EN[0]);
            if with_benefit {
                format!("{head}{w} so that {benefit}{tail}")
            } else {
                format!("{head}{w}{tail}")
            }
        }
    }
}

fn impact_sentence(rng: &mut impl Rng, lang: Locale) -> String {
    let list = match lang {
        Locale::Fr => IMPACTS_FR,
        Locale::En => IMPACTS_EN,
    };
    pick(rng, list).replace("{n}", &rng.gen_range(2..=40).to_string())
}

/// A feedback item as the source would have it written: a one-line ticket, a few sentences,
/// or interview notes in Markdown. `customer` appears in notes that name who was met.
pub fn feedback_text(
    rng: &mut impl Rng,
    lang: Locale,
    topic: &Topic,
    source: SourceKind,
    customer: Option<&str>,
) -> String {
    let p = topic.phrases(lang);
    let notes = matches!(
        source,
        SourceKind::Interview | SourceKind::CustomerBrainstorm | SourceKind::UserClub
    ) && rng.gen_bool(0.6);
    if notes {
        let mut s = match (lang, customer) {
            (Locale::Fr, Some(c)) => format!("Notes d'entretien avec {c} :\n\n"),
            (Locale::Fr, None) => "Notes d'entretien :\n\n".to_string(),
            (Locale::En, Some(c)) => format!("Interview notes with {c}:\n\n"),
            (Locale::En, None) => "Interview notes:\n\n".to_string(),
        };
        for _ in 0..rng.gen_range(2..=5) {
            s.push_str("- ");
            s.push_str(&capitalize(pick(rng, p.problems)));
            s.push('\n');
        }
        let w = wish(rng, p);
        match lang {
            Locale::Fr => s.push_str(&format!("- Souhaite {w}\n\n")),
            Locale::En => s.push_str(&format!("- Wants to {w}\n\n")),
        }
        s.push_str(&impact_sentence(rng, lang));
        return s;
    }
    // Length: most items are one to three sentences; some ramble on.
    let sentences = match rng.gen_range(0..100) {
        0..=24 => 1,
        25..=59 => 2,
        60..=84 => 3,
        85..=95 => 4,
        _ => rng.gen_range(5..=8),
    };
    let mut parts: Vec<String> = Vec::with_capacity(sentences);
    if sentences == 1 {
        parts.push(if rng.gen_bool(0.5) {
            problem_sentence(rng, lang, p)
        } else {
            wish_sentence(rng, lang, p)
        });
    } else {
        parts.push(problem_sentence(rng, lang, p));
        parts.push(wish_sentence(rng, lang, p));
        for _ in 2..sentences {
            parts.push(match rng.gen_range(0..3) {
                0 => problem_sentence(rng, lang, p),
                1 => impact_sentence(rng, lang),
                _ => wish_sentence(rng, lang, p),
            });
        }
        if rng.gen_bool(0.3) {
            let closers = match lang {
                Locale::Fr => CLOSERS_FR,
                Locale::En => CLOSERS_EN,
            };
            parts.push(pick(rng, closers).to_string());
        }
    }
    parts.join(" ")
}

/// One sentence (or Markdown list line) of a text, as a highlighted excerpt would be.
pub fn excerpt(rng: &mut impl Rng, text: &str) -> String {
    let pieces: Vec<&str> = text
        .split(['\n', '.', '?', '!'])
        .map(|s| s.trim().trim_start_matches("- ").trim())
        .filter(|s| s.chars().count() >= 12)
        .collect();
    let chosen = pieces.choose(rng).copied().unwrap_or(text);
    chosen
        .chars()
        .take(phare_domain::EXCERPT_MAX)
        .collect::<String>()
}

/// An idea: title, user story (as a … / I want … / so that …) and, for some, a Markdown
/// description. `with_benefit: false` leaves "so that" empty (only drafts may).
pub fn idea_text(
    rng: &mut impl Rng,
    lang: Locale,
    topic: &Topic,
    with_benefit: bool,
) -> phare_domain::IdeaText {
    let p = topic.phrases(lang);
    let w = wish(rng, p);
    let title = capitalize(&w);
    let (as_a, i_want) = match lang {
        Locale::Fr => (pick(rng, PERSONAS_FR).to_string(), format!("pouvoir {w}")),
        Locale::En => (pick(rng, PERSONAS_EN).to_string(), w.clone()),
    };
    let so_that = if with_benefit {
        pick(rng, p.benefits).to_string()
    } else {
        String::new()
    };
    let description = if rng.gen_bool(0.5) {
        let problem = capitalize(pick(rng, p.problems));
        let impact = impact_sentence(rng, lang);
        let asked = rng.gen_range(2..=60);
        match lang {
            Locale::Fr => format!(
                "**Contexte** : {problem}.\n\n- {impact}\n- Demandé par {asked} usagers ou agents\n"
            ),
            Locale::En => format!(
                "**Context**: {problem}.\n\n- {impact}\n- Asked for by {asked} residents or staff\n"
            ),
        }
    } else {
        String::new()
    };
    phare_domain::IdeaText {
        title,
        as_a,
        i_want,
        so_that,
        description,
        ..Default::default()
    }
}

// --- customers --------------------------------------------------------------------------------

const FR_ORG_TYPES: &[(&str, &str)] = &[
    ("Mairie de", "Collectivité"),
    ("Communauté de communes de", "Collectivité"),
    ("Métropole de", "Collectivité"),
    ("CCAS de", "Collectivité"),
    ("Centre hospitalier de", "Santé"),
    ("Maison de santé de", "Santé"),
    ("Lycée Jean Moulin de", "Éducation"),
    ("Collège Victor Hugo de", "Éducation"),
    ("Médiathèque de", "Culture"),
    ("Office de tourisme de", "Culture"),
    ("Régie des transports de", "Transport"),
    ("Syndicat des eaux de", "Entreprise"),
    ("Association sportive de", "Association"),
    ("Restos du cœur de", "Association"),
];
const FR_CITIES: &[&str] = &[
    "Lyon",
    "Nantes",
    "Lille",
    "Rennes",
    "Grenoble",
    "Dijon",
    "Angers",
    "Tours",
    "Brest",
    "Limoges",
    "Metz",
    "Nancy",
    "Rouen",
    "Caen",
    "Reims",
    "Amiens",
    "Besançon",
    "Poitiers",
    "Pau",
    "Bayonne",
    "Annecy",
    "Chambéry",
    "Valence",
    "Nîmes",
    "Avignon",
    "Perpignan",
    "Béziers",
    "Quimper",
    "Lorient",
    "Vannes",
    "Saint-Malo",
    "La Rochelle",
    "Niort",
    "Cholet",
    "Laval",
    "Orléans",
    "Bourges",
    "Troyes",
    "Colmar",
    "Épinal",
];
const EN_ORG_TYPES: &[(&str, &str)] = &[
    ("{} City Council", "Collectivité"),
    ("{} Borough Council", "Collectivité"),
    ("NHS {} Trust", "Santé"),
    ("{} College", "Éducation"),
    ("University of {}", "Éducation"),
    ("{} Housing Association", "Association"),
    ("{} Library Services", "Culture"),
    ("{} Water", "Entreprise"),
    ("{} Transport", "Transport"),
    ("{} Chamber of Commerce", "Entreprise"),
    ("{} Leisure Centre", "Culture"),
    ("{} Food Bank", "Association"),
];
const EN_CITIES: &[&str] = &[
    "Leeds",
    "Bristol",
    "York",
    "Bath",
    "Oxford",
    "Cambridge",
    "Norwich",
    "Exeter",
    "Plymouth",
    "Derby",
    "Leicester",
    "Coventry",
    "Sheffield",
    "Hull",
    "Durham",
    "Carlisle",
    "Lancaster",
    "Preston",
    "Bolton",
    "Reading",
    "Brighton",
    "Dover",
    "Canterbury",
    "Swindon",
    "Gloucester",
    "Worcester",
    "Chester",
    "Ipswich",
    "Colchester",
    "Luton",
    "Cardiff",
    "Swansea",
    "Dundee",
    "Aberdeen",
    "Inverness",
    "Belfast",
    "Dublin",
    "Cork",
    "Galway",
    "Ottawa",
];

/// How many distinct organisation names [`organisation`] can make.
pub fn organisation_names() -> usize {
    FR_ORG_TYPES.len() * FR_CITIES.len() + EN_ORG_TYPES.len() * EN_CITIES.len()
}

/// An organisation's name and segment ("Mairie d'Angers", "Leeds City Council").
pub fn organisation(rng: &mut impl Rng, lang: Locale) -> (String, &'static str) {
    match lang {
        Locale::Fr => {
            let (kind, segment) = *FR_ORG_TYPES.choose(rng).unwrap_or(&FR_ORG_TYPES[0]);
            let city = pick(rng, FR_CITIES);
            (elide(&format!("{kind} "), city), segment)
        }
        Locale::En => {
            let (kind, segment) = *EN_ORG_TYPES.choose(rng).unwrap_or(&EN_ORG_TYPES[0]);
            let city = pick(rng, EN_CITIES);
            (kind.replace("{}", city), segment)
        }
    }
}

/// A customer's weight (1 to 10): most organisations weigh 2 to 5, a few key accounts 8 to 10;
/// people mostly 1.
pub fn customer_weight(rng: &mut impl Rng, kind: CustomerKind) -> i64 {
    match kind {
        CustomerKind::Organisation => {
            const W: [(i64, u32); 10] = [
                (1, 10),
                (2, 15),
                (3, 20),
                (4, 15),
                (5, 12),
                (6, 9),
                (7, 7),
                (8, 6),
                (9, 3),
                (10, 3),
            ];
            W.choose_weighted(rng, |w| w.1).map(|w| w.0).unwrap_or(1)
        }
        CustomerKind::Person => match rng.gen_range(0..100) {
            0..=59 => 1,
            60..=84 => 2,
            85..=96 => 3,
            _ => 5,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn french_elides_before_a_vowel() {
        assert_eq!(
            elide("Serait-il possible de ", "exporter"),
            "Serait-il possible d'exporter"
        );
        assert_eq!(
            elide("Plusieurs agents signalent que ", "il manque"),
            "Plusieurs agents signalent qu'il manque"
        );
        assert_eq!(elide("Mairie de ", "Angers"), "Mairie d'Angers");
        assert_eq!(elide("Mairie de ", "Lyon"), "Mairie de Lyon");
    }

    #[test]
    fn texts_are_valid_for_the_domain() {
        let mut rng = StdRng::seed_from_u64(3);
        let mut detected = 0;
        for i in 0..2_000 {
            let topic = &TOPICS[i % TOPICS.len()];
            let lang = if i % 2 == 0 { Locale::Fr } else { Locale::En };
            let source = SourceKind::ALL[i % SourceKind::ALL.len()];
            let t = feedback_text(&mut rng, lang, topic, source, Some("Mairie de Lyon"));
            let mut e = phare_domain::Invalid::new();
            assert_eq!(phare_domain::feedback_text(&mut e, "text", &t), t);
            assert!(e.is_empty(), "{t}");
            detected += usize::from(phare_domain::text::detect_language(&t) == lang);
            let x = excerpt(&mut rng, &t);
            assert!(!x.is_empty() && x.chars().count() <= phare_domain::EXCERPT_MAX);
            let idea = idea_text(&mut rng, lang, topic, true);
            let mut e = phare_domain::Invalid::new();
            idea.clone()
                .validate(phare_domain::IdeaStatus::Planned, &mut e);
            assert!(e.is_empty(), "{idea:?}");
        }
        // Search analyzes each text in its detected language: nearly all must be recognised.
        assert!(
            detected > 1_900,
            "{detected} of 2000 texts in the expected language"
        );
        for lang in [Locale::Fr, Locale::En] {
            let (name, _) = organisation(&mut rng, lang);
            assert!(name.chars().count() <= phare_domain::CUSTOMER_NAME_MAX);
        }
        for t in TOPICS {
            assert_eq!(t.tag, t.tag.to_lowercase());
        }
    }
}
