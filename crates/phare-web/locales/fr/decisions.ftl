# Décisions (issue #4) : le journal des décisions, décider depuis une idée, « Ma boîte ».

nav-decisions = Décisions
nav-my-inbox = Ma boîte
action-product-decisions = Décisions
action-decide = Enregistrer une décision
action-record-decision = Enregistrer la décision
action-mark-read = Marquer comme lu
action-mark-all-read = Tout marquer comme lu
flash-decision-recorded = La décision est enregistrée.
flash-notification-read = Marqué comme lu.
flash-notifications-read = Tout est marqué comme lu.

decision-kind-accept = Accepter
decision-kind-decline = Refuser
decision-kind-defer = Reporter
decision-kind-merge = Fusionner

decisions-title = Décisions de { $product }
decisions-lead = Chaque décision prise sur les idées de ce produit, avec sa justification, ce qui a été pesé et qui y a pris part. Une décision ne se modifie jamais : une décision ultérieure la remplace.
decisions-filter-label = Filtrer les décisions
decisions-search-label = Rechercher dans les justifications
decisions-empty-title = Aucune décision pour l’instant
decisions-empty-text = Les décisions s’enregistrent depuis la page d’une idée : l’accepter, la refuser, la reporter ou la fusionner, en disant pourquoi.
decisions-empty-filtered = Aucune décision ne correspond à ces filtres.
count-decisions = { $count ->
    [one] 1 décision
   *[other] { $count } décisions
}
col-decided-at = Date
col-decision = Décision
col-ideas = Idées
col-rationale = Justification
col-decided-by = Décidée par
decision-until-short = jusqu’au { $date }

decision-title = Décision : { $kind }
decision-byline = Décidée le { $date } par { $name }
decision-facts = La décision
decision-no-public = Rien de cette justification n’est public.
decision-merged-into = Fusionnée dans
decision-later-title = Décisions ultérieures qui remplacent ou suivent celle-ci
decision-links = Ce qui a été pesé
decision-no-links = Aucun élément probant, aucune session ni décision antérieure n’est lié.
decision-link-decision = Une décision antérieure
decision-link-evidence = Élément probant
decision-link-session = Session de priorisation

idea-decisions-heading = Décisions
idea-decisions-open = Voir les décisions sur cette idée
idea-decisions-title = Décisions sur { $reference }
idea-decisions-none = Aucune décision n’a encore été enregistrée sur cette idée.
decide-shortcut = Raccourci : Alt+D (Alt+Maj+D dans Firefox).

decide-title = Décider sur { $reference }
decide-lead = Dites ce qui est décidé et pourquoi. Accepter planifie l’idée, refuser la refuse, reporter la renvoie à son responsable à la date donnée, fusionner déplace ses éléments probants, ses votes et ses abonnés vers l’idée conservée.
decide-kind-hint = Chaque choix indique le statut que prend l’idée.
decide-rationale-hint = Pourquoi : les faits, l’arbitrage, qui l’a demandé. Conservé dans le journal des décisions.
decide-public-hint = Facultatif. Ce que les abonnés de l’idée sur le portail public apprennent quand son statut change (Markdown).
decide-defer-legend = Pour un report : jusqu’à une date, ou une condition (au moins l’une des deux)
decide-until-hint = L’idée revient dans la boîte de son responsable ce jour-là.
decide-condition-hint = Par exemple : une fois la nouvelle facturation en service.
decide-merge-legend = Pour une fusion
decide-links-summary = Éléments probants, décisions antérieures, personnes consultées, sessions
decide-no-evidence = Cette idée n’a pas encore d’élément probant.
decide-sessions-hint = Identifiants de sessions de priorisation, séparés par des virgules.

field-label-decision-kind = Décision
field-label-rationale = Justification
field-label-public_rationale = Partie publique de la justification
field-label-until = Jusqu’au
field-label-condition = Condition
field-label-consulted = Personnes consultées
field-label-decided_by = Décidée par
field-label-from = Du
field-label-to = Au
field-label-evidence_ids = Éléments probants pesés
field-label-decision_ids = Décisions antérieures que celle-ci suit ou remplace
field-label-session_ids = Sessions de priorisation

field-name-rationale = Justification
field-name-public_rationale = Partie publique de la justification
field-name-until = Jusqu’au
field-name-condition = Condition
field-name-idea_ids = Idées
field-name-evidence_ids = Éléments probants
field-name-decision_ids = Décisions antérieures
field-name-session_ids = Sessions de priorisation
field-name-consulted = Personnes consultées
field-name-from = Du
field-name-to = Au
field-name-decided_by = Décidée par

field-required-kind = Choisissez accepter, refuser, reporter ou fusionner.
field-required-rationale = Dites pourquoi : une décision a besoin d’une justification.
field-unknown_kind = Choisissez accepter, refuser, reporter ou fusionner.
field-defer_needs_date_or_condition = Un report a besoin d’une date ou d’une condition.
field-date_in_past = Cette date est passée.
field-only_when_deferring = Seul un report a une date ou une condition.
field-only_when_merging = Seule une fusion désigne une idée à conserver.
field-other_product = Les idées d’une même décision doivent toutes être du même produit.
field-unknown_reference = L’un de ces éléments n’est pas dans l’espace de travail.
field-before_start = La fin précède le début.

my-inbox-title = Ma boîte
my-inbox-lead = Ce qui vous revient : les idées dont la date de report est arrivée.
my-inbox-unread = { $count ->
    [one] 1 non lue
   *[other] { $count } non lues
}
my-inbox-new = Nouveau
my-inbox-empty-title = Rien pour vous
my-inbox-empty-text = Quand une idée dont vous êtes responsable a été reportée à une date, elle revient ici ce jour-là.
notification-deferred-returned = Reportée jusqu’au { $date }, de retour aujourd’hui :
