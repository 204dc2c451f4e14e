# Recherche : personas, concurrents et comparatif, notes de recherche et leurs passages.

## Navigation et actions
nav-personas = Personas
nav-competitors = Comparatif
nav-notes = Notes de recherche
action-product-personas = Personas
action-product-competitors = Concurrents
action-product-notes = Notes de recherche
action-new-persona = Nouveau persona
action-create-persona = Créer le persona
action-delete-persona = Supprimer ce persona
action-link-persona = Lier
action-unlink-persona = Délier le persona { $name }
action-new-competitor = Ajouter un concurrent
action-create-competitor = Ajouter le concurrent
action-delete-competitor = Supprimer ce concurrent
action-open-competitor = Forces, faiblesses et évaluations →
action-add-capability = Ajouter la fonctionnalité
action-remove-capability = Retirer la ligne
action-save-ratings = Enregistrer les évaluations
action-see-grid = Voir tout le comparatif
action-new-note = Nouvelle note de recherche
action-create-note = Créer la note
action-all-notes = Toutes les notes de recherche du produit
action-capture-passage = Enregistrer le passage

product-sections-label = Rubriques du produit

## Décomptes
count-personas = { $count ->
    [one] { $count } persona
   *[other] { $count } personas
}
count-feedback = { $count ->
    [one] { $count } retour
   *[other] { $count } retours
}
count-notes = { $count ->
    [one] { $count } note de recherche
   *[other] { $count } notes de recherche
}

## Évaluations du comparatif (une icône et toujours le mot)
rating-have = Oui
rating-partial = En partie
rating-no = Non
rating-none = Non évalué
rating-have-means = dispose de la fonctionnalité.
rating-partial-means = la couvre en partie, ou avec des limites.
rating-no-means = ne l’a pas.
rating-none-means = personne n’a encore évalué cette case.

## Libellés et aides des formulaires
field-label-goals = Objectifs
field-label-frustrations = Frustrations
field-label-website = Site web
field-label-strengths = Forces
field-label-weaknesses = Faiblesses
field-label-capability = Fonctionnalité
field-label-our-rating = Évaluation de { $product }
field-label-rating = Évaluation
field-label-rating-of = Évaluation de { $name }
field-label-rating-note = Remarque (facultatif)
field-label-participant = Participant
field-label-persona = Persona
field-label-held-on = Date de l’entretien
field-label-notes = Notes
field-label-passage = Passage
field-label-link-persona = Lier un persona
persona-name-hint = Un prénom et un rôle parlants, par exemple « Léa, responsable administrative ».
persona-description-hint = Qui est cette personne, son contexte, ce qu’elle fait avec le produit.
persona-goals-hint = Ce qu’elle veut accomplir. Le Markdown est accepté.
persona-frustrations-hint = Ce qui la gêne aujourd’hui. Le Markdown est accepté.
website-hint = Une adresse web commençant par https:// ou http://.
strengths-hint = Là où ce concurrent fait mieux que nous.
weaknesses-hint = Là où il est en retrait. Le Markdown est accepté.
capability-name-hint = Ce qu’un client peut faire, par exemple « Export PDF » ou « Authentification unique ». Un nom déjà présent modifie notre évaluation.
rating-note-hint = Quelques mots affichés dans la case, par exemple « PDF uniquement ».
note-title-hint = Par exemple « Entretien — service comptable, Lyon ».
participant-hint = La personne interrogée ; les passages enregistrés la citent comme contact.
held-on-hint = Le jour de l’entretien ; les passages enregistrés portent cette date.
note-persona-hint = Le persona que représente ce participant ; les passages enregistrés y sont liés.
note-persona-hint-none = Ce produit n’a pas encore de persona : décrivez-en un pour y lier les passages enregistrés.
notes-hint = Ce qui a été dit et observé. Des passages pourront ensuite devenir des retours.

## Erreurs de saisie
field-invalid_url = Saisissez une adresse web commençant par https:// ou http://, sans espace.
field-unknown_persona = Ce persona n’existe pas dans ce produit.
field-unknown_target = Cette idée ou ce retour n’existe pas dans l’espace de travail.
field-rating_required = Choisissez une évaluation : oui, en partie ou non.
field-invalid_date-held_on = Saisissez une date comme 2026-03-31.
field-already_taken-persona-name = Un autre persona de ce produit porte déjà ce nom.
field-already_taken-competitor-name = Un autre concurrent de ce produit porte déjà ce nom.
field-name-goals = Objectifs
field-name-frustrations = Frustrations
field-name-website = Site web
field-name-strengths = Forces
field-name-weaknesses = Faiblesses
field-name-ours = Notre évaluation
field-name-ours_note = Remarque
field-name-participant = Participant
field-name-persona_id = Persona
field-name-held_on = Date de l’entretien
field-name-notes = Notes
field-name-passage = Passage

## Messages de confirmation
flash-persona_created = Persona créé.
flash-persona_saved = Persona enregistré.
flash-persona_deleted = Persona supprimé ; les idées et retours qu’il concernait sont conservés.
flash-persona_linked = Persona lié.
flash-persona_unlinked = Persona délié.
flash-competitor_created = Concurrent ajouté. Évaluez-le ci-dessous sur chaque fonctionnalité.
flash-competitor_saved = Concurrent enregistré.
flash-competitor_deleted = Concurrent supprimé avec ses évaluations.
flash-capability_saved = Fonctionnalité enregistrée dans le comparatif.
flash-capability_removed = Fonctionnalité retirée avec ses évaluations.
flash-ratings_saved = Évaluations enregistrées.
flash-note_created = Note de recherche créée. Sélectionnez-en un passage pour l’enregistrer comme retour.
flash-note_saved = Note de recherche enregistrée.

## Commun
conflict-saved-summary = La version enregistrée entre-temps
link-external = (autre site)
research-created = Création
research-updated = Dernière modification

## Personas
personas-title = Personas — { $product }
personas-lead = Les personnes pour qui le produit est fait : qui elles sont, leurs objectifs et frustrations, et les idées et retours qui les concernent.
personas-empty-title = Aucun persona pour l’instant
personas-empty-text = Décrivez les personnes pour qui vous construisez, puis liez-les aux idées et aux retours.
persona-kicker = Persona
persona-no-description = Pas encore de description.
persona-none-written = Rien d’écrit pour l’instant.
persona-new-title = Nouveau persona — { $product }
persona-edit-title = Modifier { $name }
persona-form-lead = Un archétype d’utilisateur : une personne que l’équipe se représente, avec ce qu’elle veut et ce qui la frustre.
persona-ideas = Idées pour ce persona
persona-ideas-none = Aucune idée n’est encore liée à ce persona.
persona-feedback = Retours de ce persona
persona-feedback-none = Aucun retour n’est encore lié à ce persona.
persona-link-how = Les idées et les retours se lient à un persona depuis leur propre page ; les passages enregistrés depuis une note de recherche sont liés à son persona.
persona-notes-title = Notes de recherche
persona-notes-none = Aucune note de recherche récente avec ce persona.
persona-notes-recent = Parmi les { $count } notes les plus récentes du produit.
persona-delete-title = Supprimer
persona-delete-text = Le persona et ses liens sont supprimés ; les idées, retours et notes de recherche restent. Action irréversible.
persona-panel-none = Aucun persona lié pour l’instant.
persona-panel-product-none = Ce produit n’a pas encore de persona.

## Concurrents et comparatif
grid-title = Face à la concurrence — { $product }
grid-lead = Les fonctionnalités qui comptent pour les clients, pour notre produit et pour chaque concurrent.
grid-heading = Comparatif
grid-caption = { $capabilities ->
    [one] { $capabilities } fonctionnalité comparée
   *[other] { $capabilities } fonctionnalités comparées
} entre { $solutions } solutions : notre produit d’abord, puis chaque concurrent.
grid-us = nous
grid-legend = Légende
grid-scroll-hint = Le comparatif est plus large que l’écran : faites-le défiler horizontalement pour voir chaque concurrent.
grid-no-capability = Aucune fonctionnalité pour l’instant : ajoutez la première ci-dessous, avec notre propre évaluation.
grid-edit-how = Pour modifier la colonne d’un concurrent, ouvrez sa page ; notre propre colonne se modifie ci-dessous.
grid-empty-title = Rien à comparer pour l’instant
grid-empty-text = Ajoutez les fonctionnalités qui comptent pour les clients, avec notre évaluation, puis les concurrents auxquels on nous compare.
col-capability = Fonctionnalité
competitors-title = Concurrents
competitor-new-title = Nouveau concurrent — { $product }
competitor-edit-title = Modifier { $name }
competitor-no-website = Aucun site web indiqué.
competitor-ratings-title = Fonctionnalités comparées à { $product }
competitor-ratings-lead = Seules les lignes que vous modifiez sont enregistrées.
competitor-ratings-none = Le comparatif n’a pas encore de fonctionnalité.
competitor-delete-title = Supprimer
competitor-delete-text = Le concurrent et toutes ses évaluations sont retirés du comparatif. Action irréversible.
capability-add-title = Ajouter une fonctionnalité
capability-add-lead = Une ligne du comparatif, avec notre propre évaluation ; les concurrents s’évaluent depuis leur page.
capability-remove-explained = Retirer une ligne retire ses évaluations pour tous les concurrents.
ours-title = Évaluer { $product }
ours-lead = Notre propre colonne du comparatif. Seules les lignes que vous modifiez sont enregistrées.

## Notes de recherche
notes-title = Notes de recherche — { $product }
notes-lead = Entretiens utilisateurs et études. Sélectionnez un passage d’une note pour en faire un retour lié à une idée.
notes-empty-title = Aucune note de recherche pour l’instant
notes-empty-text = Consignez votre prochain entretien : qui, quand, ce qui a été dit.
note-new-title = Nouvelle note de recherche — { $product }
note-edit-title = Modifier { $title }
note-with = Entretien avec { $participant }
note-no-participant = Aucun participant indiqué
note-empty = Aucune note écrite pour l’instant.
note-written-by = Rédigée par { $who } le { $date }
note-written-on = Rédigée le { $date }
note-captured-title = Retours issus de cet entretien
note-captured-how = Retours de source « entretien utilisateur » donnés par { $participant } le { $date } : les passages enregistrés ici, et tout autre retour saisi pour la même personne le même jour.
note-captured-how-anonymous = Retours de source « entretien utilisateur » sans contact, datés du { $date } : les passages enregistrés ici, et tout autre retour de ce type ce jour-là.
note-captured-none = Aucun passage enregistré pour l’instant.
passage-title = Enregistrer un passage
passage-lead = Sélectionnez un passage des notes, puis enregistrez-le comme retour issu de cet entretien.
passage-hint = Ce que le participant a dit, avec ses mots.
passage-selection-empty = Sélectionnez d’abord un passage des notes.
passage-selection-used = Le passage reprend votre sélection.
passage-idea-legend = Idée qu’il appuie (facultatif)
passage-idea-hint = Les idées de ce produit proches du passage, les plus proches d’abord.
passage-no-idea = Aucune pour l’instant : enregistrer seulement le retour
passage-no-similar = Aucune idée proche pour l’instant.
passage-persona = Il sera aussi lié au persona { $persona }.
passage-no-persona = Cette note n’indique aucun persona : modifiez-la pour y lier ses passages.
passage-captured-title = Passage enregistré
passage-captured-text = C’est désormais un retour issu de l’entretien.
passage-captured-idea = Il appuie
passage-captured-persona = Il est lié au persona { $persona }.
