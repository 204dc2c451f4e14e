# Découverte : retours, boîte de réception, clients, idées, éléments probants, recherche.

## Navigation et mots courants
nav-inbox = Boîte de réception
nav-customers = Clients
nav-search = Rechercher
nav-ideas = Idées
search-label = Rechercher dans les retours et les idées
search-placeholder = Rechercher…
any = Tous
choose = Choisir…
none = Aucun
nobody = Personne
product-none-yet = Pas encore de produit
select-item = Sélectionner
assigned-to-you = Vous est attribué
by-person = par { $who }
changed-to = devient
weight-value = poids { $weight }
captured-on = (saisi le { $date })
evidence-count = { $count ->
    [one] { $count } élément probant
   *[other] { $count } éléments probants
}

## Valeurs énumérées
source-interview = Entretien utilisateur
source-support = Service client
source-sales = Équipe commerciale
source-team_brainstorm = Brainstorming interne
source-customer_brainstorm = Brainstorming client
source-data = Données
source-market_watch = Veille marché
source-user_club = Club utilisateurs
source-portal = Portail
source-survey = Questionnaire
source-other = Autre
origin-internal = Interne
origin-external = Externe
feedback-state-new = Nouveau
feedback-state-processed = Traité
feedback-state-archived = Archivé
importance-nice_to_have = Souhaitable
importance-important = Important
importance-critical = Critique
idea-status-draft = Brouillon
idea-status-under_consideration = À l’étude
idea-status-planned = Planifiée
idea-status-in_progress = En cours
idea-status-shipped = Livrée
idea-status-declined = Refusée
idea-status-merged = Fusionnée
customer-kind-organisation = Organisation
customer-kind-person = Personne
search-kind-feedback = Retour
search-kind-idea = Idée
search-kind-persona = Persona
search-kind-competitor = Concurrent
search-kind-research_note = Note de recherche
search-kind-any = Tout

## Actions
action-capture = Ajouter à la boîte de réception
action-apply-selected = Appliquer à la sélection
action-clear-filters = Effacer les filtres
action-link = Lier à une idée
action-link-idea = Lier à cette idée
action-reopen = Remettre en nouveau
action-unlink = Délier
action-use-selection = Reprendre le texte sélectionné
action-create-idea = Créer l’idée
action-create-idea-from = Créer l’idée
action-new-idea = Nouvelle idée
action-open-feedback = Ouvrir le retour
action-merge = Fusionner dans cette idée
action-delete-feedback = Supprimer ce retour
action-product-inbox = Boîte de réception
action-product-ideas = Idées
action-customer-feedback = Retours

## Libellés et aides des formulaires
field-label-feedback-text = Ce qui a été dit
field-label-source = Source
field-label-origin = Origine
field-label-customer = Client
field-label-customer-name = Nom du client
field-label-segment = Segment
field-label-weight = Poids
field-label-contact = Contact
field-label-product = Produit
field-label-observed = Date de l’observation
field-label-observed-from = Observé à partir du
field-label-observed-to = Observé jusqu’au
field-label-tags = Étiquettes
field-label-tag = Étiquette
field-label-has-evidence = Lié à une idée
field-label-assignee = Attribué à
field-label-author = Saisi par
field-label-title = Titre
field-label-as_a = En tant que…
field-label-i_want = je veux…
field-label-so_that = afin de…
field-label-status = Statut
field-label-owner = Responsable
field-label-importance = Importance
field-label-excerpt = Extrait (facultatif)
field-label-idea-ref = Référence de l’idée
field-label-idea-ref-or = Ou saisissez la référence d’une idée
field-label-into = Idée qui absorbe celle-ci
field-label-reason = Justification
field-label-kind = Type
capture-text-hint = Le Markdown est accepté.
markdown-hint = Le Markdown est accepté : **gras**, listes, liens.
customer-hint = Une organisation ou une personne ; un nouveau nom crée le client.
customer-edit-hint = Le segment et le poids servent quand le client est nouveau ; modifiez un client existant depuis la page Clients.
segment-hint = Par exemple « Grands comptes », « Secteur public », « Offre gratuite ».
weight-hint = De 1 (par défaut) à 10 : le poids de ce client dans la demande des idées.
tags-hint = Séparées par des virgules, par exemple « export, pdf ».
idea-title-hint = Un nom court pour le besoin, tel que les gens le diraient.
story-hint = Qui a le besoin, ce qu’il veut et le bénéfice attendu. Une idée ne peut pas quitter le brouillon sans son bénéfice.
so_that-hint = Le bénéfice : ce qui change pour cette personne une fois la chose faite.
as_a-placeholder = p. ex. comptable qui clôture le mois
i_want-placeholder = p. ex. exporter le rapport mensuel en PDF
so_that-placeholder = p. ex. l’envoyer aux auditeurs sans le ressaisir
excerpt-hint = Le passage du retour qui plaide pour l’idée. Sélectionnez-le dans le texte ci-dessus puis utilisez le bouton, ou collez-le ici.
idea-ref-hint = La référence d’une idée, par exemple { $key }-42.
idea-ref-hint-any = La référence d’une idée avec la clé de son produit, par exemple CHK-42.
into-hint = Sa référence, par exemple { $key }-7, ou son numéro.
filter-mine = Qui me sont attribués
evidence-yes = Oui
evidence-no = Non
status-any-open = Tous sauf fusionnées

## Erreurs de champ (messages généraux par code, puis messages propres à un champ)
field-benefit_required = Une idée ne peut pas quitter le brouillon sans son bénéfice : remplissez « afin de… ».
field-use_merge = Une idée ne devient « fusionnée » qu’en la fusionnant dans une autre.
field-idea_merged = Cette idée a été fusionnée dans une autre ; travaillez plutôt sur celle-là.
field-merge_into_itself = Une idée ne peut pas être fusionnée dans elle-même.
field-unknown_product = Ce produit n’existe pas dans l’espace de travail.
field-unknown_feedback = Ce retour n’existe pas dans l’espace de travail.
field-unknown_idea = Aucune idée de l’espace de travail n’a cette référence.
field-invalid_date-observed_at = Saisissez une date comme 2026-03-31.
field-already_taken-feedback_id = Ce retour appuie déjà cette idée.
field-already_taken-name = Un autre client porte déjà ce nom.
field-required-idea = Choisissez l’une des idées similaires ou saisissez la référence d’une idée.
field-required-ids = Sélectionnez d’abord au moins un retour.
field-required-action = Choisissez quoi faire des retours sélectionnés.
field-too_many-ids = Sélectionnez au plus 200 retours à la fois.
field-out_of_range-customer_weight = Saisissez un nombre entier de 1 à 10.
field-out_of_range-weight = Saisissez un nombre entier de 1 à 10.
field-name-text = Ce qui a été dit
field-name-source = Source
field-name-customer = Client
field-name-customer_weight = Poids du client
field-name-customer_segment = Segment du client
field-name-contact = Contact
field-name-tags = Étiquettes
field-name-title = Titre
field-name-new-title = Titre
field-name-as_a = En tant que…
field-name-i_want = Je veux…
field-name-so_that = Afin de…
field-name-status = Statut
field-name-owner_id = Responsable
field-name-product_id = Produit
field-name-new-product = Produit
field-name-feedback_id = Retour
field-name-excerpt = Extrait
field-name-into = Idée qui absorbe celle-ci
field-name-reason = Justification
field-name-q = Recherche
field-name-weight = Poids
field-name-segment = Segment
field-name-ids = Retours sélectionnés
field-name-action = Action
field-name-bulk-action = Action
field-name-observed_at = Date de l’observation
field-name-idea = Idée
field-name-importance = Importance
field-name-assignee_id = Attribué à
field-name-kind = Type

## Messages après une action
flash-feedback_captured = Retour ajouté à la boîte de réception.
flash-feedback_processed = Marqué comme traité.
flash-feedback_archived = Archivé.
flash-feedback_new = Remis en nouveau.
flash-feedback_assign_me = Vous est attribué.
flash-feedback_move = Déplacé vers le produit.
flash-feedback_saved = Retour enregistré.
flash-feedback_deleted = Retour supprimé.
flash-evidence_added = Lié à l’idée.
flash-evidence_removed = Lien retiré.
flash-idea_created = Idée créée.
flash-idea_created_from_feedback = Idée créée à partir du retour, conservé comme élément probant. Rédigez maintenant son récit utilisateur.
flash-idea_saved = Idée enregistrée.
flash-idea_merged = Idées fusionnées : les éléments probants et les votes sont désormais sur cette idée.
flash-customer_saved = Client enregistré.

## Boîte de réception
inbox-title = Boîte de réception
inbox-product-title = Boîte de réception — { $product }
inbox-lead = Tout ce que l’on a dit à l’équipe, à trier : liez ce qui compte à des idées, archivez le reste.
inbox-all-products = Tous les produits
inbox-states = Retours par état
inbox-list-label = Retours : { $state }
inbox-filters = Filtres
inbox-filters-on = actifs
inbox-empty-title = Rien ici
inbox-empty-new = Aucun nouveau retour : tout a été trié.
inbox-empty-processed = Aucun retour traité pour l’instant.
inbox-empty-archived = Aucun retour archivé.
inbox-empty-filtered = Aucun retour ne correspond à ces filtres.
inbox-unknown-customer = Aucun client ne s’appelle « { $name } ». Choisissez un nom parmi les suggestions, ou effacez le filtre client.
capture-title = Saisir un retour
capture-more = Plus de détails
capture-shortcut = Ctrl+Entrée enregistre.
bulk-label = Pour les retours sélectionnés
bulk-product = Produit (pour les déplacer)
bulk-assign-me = Me les attribuer
bulk-move = Déplacer vers le produit
bulk-to-new = Remettre en nouveau
bulk-to-processed = Marquer comme traité
bulk-to-archived = Archiver
shortcuts-title = Clavier :
shortcut-move = se déplacer
shortcut-open = ouvrir
shortcut-select = sélectionner
shortcut-archive = archiver
shortcut-link = lier à une idée
shortcut-capture = saisir

## Page d’un retour
feedback-title = Retour
feedback-from = Retour de { $customer }
feedback-said = Ce qui a été dit
feedback-details = Détails
feedback-supports = Idées qu’il appuie
feedback-supports-none = Ce retour n’appuie encore aucune idée.
feedback-edit-title = Modifier le retour
feedback-conflict-title = Quelqu’un d’autre a modifié ce retour
feedback-delete-title = Supprimer
feedback-delete-text = Le retour et ses liens vers des idées sont supprimés ; les chiffres des idées suivent. C’est définitif.
link-title = Lier à une idée
similar-ideas = Idées similaires
similar-from-feedback = Les idées de ce produit qui ressemblent au retour, les plus proches d’abord.
similarity = similaire à { $percent } %
selection-empty = Sélectionnez d’abord un passage du retour.
selection-used = L’extrait reprend désormais votre sélection.
idea-from-feedback-title = Créer une idée à partir de ce retour
idea-from-feedback-lead = Le retour devient le premier élément probant de l’idée ; vous rédigez ensuite son récit utilisateur.
customer-unknown = Aucun client

## Idées
ideas-title = Idées — { $product }
ideas-lead = Le backlog du produit : chaque idée est un récit utilisateur, avec les éléments probants qui l’appuient.
ideas-empty-title = Aucune idée à afficher
ideas-empty-text = Rédigez la première idée, ou créez-en une à partir d’un retour de la boîte de réception.
ideas-empty-filtered = Aucune idée ne correspond à ces filtres.
count-ideas = { $count ->
    [one] { $count } idée
   *[other] { $count } idées
}
col-reference = Référence
col-title = Titre
col-evidence = Éléments probants
col-customers = Clients
col-demand = Demande
col-votes = Votes
col-owner = Responsable
col-tags = Étiquettes
col-field = Champ
col-change = Modification
col-updated = Modifiée le
demand-explained = Demande = Σ importance (1 souhaitable, 2 important, 3 critique) × poids du client (de 1 à 10 ; 1 quand aucun client n’est connu).
idea-new-title = Nouvelle idée — { $product }
idea-edit-title = Modifier { $reference }
idea-conflict-title = Quelqu’un d’autre a modifié cette idée
story-legend = Récit utilisateur
story-none = Aucun récit rédigé pour l’instant.
story-part-missing = pas encore rédigé
hints-title = Conseils sur le récit
hints-start = Les conseils sur le récit apparaissent ici pendant que vous écrivez.
hints-none = Le récit se lit bien : un rôle, un besoin et son bénéfice.
similar-while-typing = Des idées similaires existent déjà :
hint-title_missing = Donnez un titre à l’idée.
hint-missing_role = Dites qui a le besoin (« En tant que… »).
hint-generic_role = Le rôle ne désigne personne en particulier : dites quel utilisateur a le besoin, p. ex. « comptable qui clôture le mois ».
hint-missing_want = Dites ce que veut cette personne (« je veux… »).
hint-vague_verb = « { $word } » est vague : dites ce que la personne pourra faire.
hint-missing_benefit = Dites le bénéfice (« afin de… ») : il est obligatoire pour quitter le brouillon.
hint-benefit_repeats_want = Le bénéfice répète le besoin : dites ce qui change pour la personne une fois la chose faite.
hint-want_too_long = « Je veux… » compte { $chars } caractères (plus de { $max }) : il contient peut-être plusieurs besoins ; scindez l’idée.
hint-story_too_long = Le récit compte { $chars } caractères (plus de { $max }) : gardez-le lisible d’un coup d’œil ; les détails vont dans la description.

## Page d’une idée
idea-merged-notice = Cette idée a été fusionnée dans
idea-about = À propos
idea-gone = Une idée qui n’existe plus
figures-title = Chiffres
demand-line = Demande { $demand } = Σ importance × poids du client : { $terms }
demand-line-empty = Demande { $demand } : aucun élément probant pour l’instant.
demand-weights = L’importance compte 1 (souhaitable), 2 (important) ou 3 (critique) ; un client pèse de 1 à 10, et 1 quand il n’est pas connu.
evidence-title = Éléments probants
evidence-none = Aucun retour n’appuie encore cette idée. Liez-en depuis la boîte de réception.
merged-here-title = Fusionnées dans cette idée
merged-by = fusionnée par { $who } le { $date }
history-title = Historique
history-none = Aucune modification depuis sa création le { $date }.
change-field-title = Titre
change-field-as_a = En tant que…
change-field-i_want = Je veux…
change-field-so_that = Afin de…
change-field-description = Description
change-field-status = Statut
change-field-owner = Responsable
change-field-merged_from = Idée fusionnée
change-field-tags = Étiquettes
merge-title = Fusionner dans une autre idée
merge-lead = Pour un doublon : ses éléments probants et ses votes passent à l’idée qui l’absorbe, et celle-ci renvoie ensuite vers elle. La fusion est enregistrée avec son auteur et sa justification.

## Recherche
search-title = Recherche
search-title-for = Recherche : { $query }
search-lead = Les retours et les idées de tous les produits, en français et en anglais.
search-count = { $count ->
    [one] { $count } résultat pour « { $query } »
   *[other] { $count } résultats pour « { $query } »
}
search-none-title = Aucun résultat
search-none-text = Essayez d’autres mots, moins de mots, ou un autre produit.

## Clients
customers-title = Clients
customers-lead = Les organisations et les personnes qui font des retours, avec leur segment et leur poids.
customers-empty-title = Aucun client pour l’instant
customers-empty-text = Les clients sont créés quand un retour les nomme.
customers-weight-explained = Le poids d’un client (de 1 à 10) multiplie l’importance de ses retours dans la demande de chaque idée.
count-customers = { $count ->
    [one] { $count } client
   *[other] { $count } clients
}
customer-edit-title = Modifier { $name }
