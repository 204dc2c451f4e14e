#!/usr/bin/env python3
"""Request files for the discovery scenarios of bench/run (cycled by bench/wrk.lua).

    bench/scenarios.py SAMPLE_FILE OUT_DIR PRODUCT_ID

SAMPLE_FILE is what `phare-bench-gen --sample-file` wrote (products, then a uniform sample of
ideas). Writes into OUT_DIR:
  ideas.paths     GET /api/v1/ideas/{id} for every sampled idea
  search.paths    GET /api/v1/search?q=… for 1–3 word queries in French and English, as people
                  type them (some without accents, two that find nothing)
  similar.paths   GET /api/v1/products/{PRODUCT_ID}/ideas/similar?text=… for idea titles being
                  typed (whole and partial)
  feedback.bodies JSON bodies for POST /api/v1/products/{PRODUCT_ID}/feedback
  backlog.paths   GET /api/v1/products/{PRODUCT_ID}/backlog (50 rows) by score, filtered by
                  status, by score range, or both
"""

import json
import sys
import urllib.parse

SEARCHES = [
    # French
    "export csv", "facture", "lenteur tableau de bord", "lecteur d'écran", "notification",
    "rappel rendez-vous", "lecture seule", "prélèvement", "recherche accents",
    "application iphone", "synchronisation outlook", "rapport mensuel", "paiement carte",
    "horaires temps réel", "accessibilite", "titre de transport", "doublons", "annuaire ldap",
    "statistiques quartier", "export excel", "crèche", "hors connexion", "contraste", "rgpd",
    "facturation cantine", "bilan annuel", "droits", "carte des travaux",
    # English
    "export", "slow dashboard", "screen reader", "reminder email", "read-only role",
    "direct debit", "iphone app", "outlook sync", "monthly report", "card payment",
    "real-time timetables", "accessibility", "offline ticket", "duplicates", "invoices pdf",
    "keyboard focus", "push notifications android", "processing time", "nursery fees",
    "annual review",
    # nothing matches these
    "vélo électrique", "quantum blockchain",
]

SIMILAR = [
    "Exporter les factures en CSV",
    "Exporter les fact",
    "Recevoir une alerte SMS quand un paiement échoue",
    "Afficher le tableau de bord plus vite",
    "Utiliser le calendrier de réservation au clavier",
    "Restreindre l'accès aux dossiers sensibles par équipe",
    "Régler les factures de cantine en plusieurs fois",
    "Rechercher un dossier sans tenir compte des accents",
    "Consulter mon titre de transport hors connexion",
    "Synchroniser les agendas Outlook",
    "Planifier le rapport mensuel d'activité",
    "Export the filtered requests as CSV",
    "Export the filt",
    "Receive a reminder e-mail the day before an appointment",
    "Load the dashboard in under a second",
    "Navigate the booking calendar with a screen reader",
    "Grant a read-only role to a group of staff",
    "Pay canteen invoices by card",
    "Search for a case by case number",
    "Check real-time timetables offline",
    "Sync Outlook calendars both ways",
    "Share the monthly activity report with councillors",
]

FEEDBACK = [
    ("L'export CSV plante au-delà de 10 000 lignes. Nous aimerions pouvoir exporter les "
     "demandes filtrées en Excel.", "support", "Mairie de Lyon", ["export", "bug"]),
    ("The dashboard takes more than ten seconds to load on Monday mornings.", "support",
     "Leeds City Council", ["performance"]),
    ("Le lecteur d'écran ne lit pas les boutons du formulaire de demande.", "interview",
     "CCAS de Nantes", ["accessibility"]),
    ("Could we get an SMS alert when a payment fails?", "portal", None, ["notifications"]),
    ("Un stagiaire voit toutes les données de paie : il faudrait pouvoir restreindre l'accès "
     "par service.", "sales", "Métropole de Lille", ["permissions", "urgent"]),
    ("Families cannot find their old invoices. Please let us download them as PDF.", "survey",
     "Camille Martin", []),
    ("La recherche ne trouve rien si on oublie un accent.", "user_club", None, ["search"]),
    ("The app closes on launch on iPhone since the last update.", "support", "Oliver Smith",
     ["mobile", "bug"]),
    ("La synchronisation avec Outlook crée des doublons dans les agendas.", "team_brainstorm",
     None, ["integrations"]),
    ("It takes three days to produce the annual review; we would like to schedule it.",
     "customer_brainstorm", "University of York", ["reports"]),
]


def main() -> int:
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    sample, out, product = sys.argv[1], sys.argv[2], sys.argv[3]
    ideas = []
    for line in open(sample, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if parts[0] == "idea":
            ideas.append(parts[1])
    if not ideas:
        print("scenarios.py: no idea in the sample file", file=sys.stderr)
        return 1
    q = urllib.parse.quote
    with open(f"{out}/ideas.paths", "w", encoding="utf-8") as f:
        for i in ideas:
            f.write(f"/api/v1/ideas/{i}\n")
    with open(f"{out}/search.paths", "w", encoding="utf-8") as f:
        for s in SEARCHES:
            f.write(f"/api/v1/search?q={q(s)}\n")
    with open(f"{out}/similar.paths", "w", encoding="utf-8") as f:
        for s in SIMILAR:
            f.write(f"/api/v1/products/{product}/ideas/similar?text={q(s)}\n")
    with open(f"{out}/feedback.bodies", "w", encoding="utf-8") as f:
        for text, source, customer, tags in FEEDBACK:
            body = {"text": text, "source": source, "tags": tags}
            if customer:
                body["customer"] = customer
            f.write(json.dumps(body, ensure_ascii=False) + "\n")
    # Issue #4: the ranked backlog by score, filtered (the target's page), 50 rows a page:
    # by status, by score range, by both.
    backlog = [
        "sort=score&status=under_consideration",
        "sort=score&status=planned",
        "sort=score&status=draft",
        "sort=score&min_score=50&max_score=500",
        "sort=score&min_score=100",
        "sort=score&status=under_consideration&min_score=20",
    ]
    with open(f"{out}/backlog.paths", "w", encoding="utf-8") as f:
        for b in backlog:
            f.write(f"/api/v1/products/{product}/backlog?{b}&limit=50\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
