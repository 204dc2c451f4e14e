# Sessions de priorisation : groupes de parties prenantes et poids, sessions, bulletins, résultats.

nav-sessions = Sessions de priorisation
action-product-sessions = Sessions de priorisation

## Groupes de parties prenantes
stakeholder-group-management = Direction générale
stakeholder-group-finance = Finances
stakeholder-group-marketing = Marketing
stakeholder-group-tech = Technique
stakeholder-group-design = Design
stakeholder-group-business = Métier
stakeholder-group-removed = (groupe supprimé)
groups-title = Groupes de parties prenantes
groups-lead = Chaque partie prenante invitée répond au nom d'un groupe. Le poids d'un groupe est sa voix dans le classement pondéré : un groupe de poids 2 compte deux fois plus qu'un groupe de poids 1.
groups-empty-title = Aucun groupe de parties prenantes
groups-empty-text = Commencez par les six groupes habituels (direction générale, finances, marketing, technique, design, métier), puis renommez-les ou changez leurs poids.
action-add-default-groups = Ajouter les six groupes par défaut
groups-table-caption = Groupes et poids
sh-col-group = Groupe
sh-col-weight = Poids
group-default-badge = par défaut
field-label-group-name = Nom
action-save-group = Enregistrer { $group }
action-remove-group = Supprimer { $group }
groups-weight-hint = Un groupe par défaut laissé sans nom garde son nom traduit. Un groupe ne peut être supprimé que tant qu'aucune invitation à une session ne l'utilise.
groups-weight-range = De 0,1 à 100.
groups-add-title = Ajouter un groupe
action-add-group = Ajouter le groupe
field-name-new_name = Nom du nouveau groupe
field-name-new_weight = Poids du nouveau groupe
field-group_weight_out_of_range = Le poids doit être un nombre de 0,1 à 100.
field-group_in_use = Ce groupe est utilisé par une invitation à une session : il ne peut pas être supprimé.
flash-group_created = Le groupe a été ajouté.
flash-groups_seeded = Les groupes par défaut ont été ajoutés.
flash-group_saved = Le groupe a été enregistré.
flash-group_deleted = Le groupe a été supprimé.

## Sessions
sessions-title = Sessions de priorisation — { $product }
sessions-lead = Amenez les parties prenantes à exprimer ce qui compte pour elles, idée par idée, à côté des faits. Chacune répond en privé ; les résultats montrent le classement pondéré, le classement de chaque groupe et les désaccords entre groupes.
sessions-lead-invited = Les sessions auxquelles vous êtes invité à répondre.
action-new-session = Nouvelle session
sessions-empty-title = Aucune session
sessions-empty-text = Préparez une session sur quelques idées, invitez les parties prenantes, ouvrez-la, puis clôturez-la pour voir les résultats.
sessions-empty-text-invited = Vous n'êtes invité à aucune session de ce produit.
sh-col-session = Session
sh-col-method = Méthode
sh-col-state = État
sh-col-deadline = Échéance
sh-col-ideas = Idées
session-method-points = Répartition de 100 points
session-method-ranking = Classement
session-method-moscow = Vote MoSCoW
session-method-explain-points = Répartissez 100 points entre les idées : plus de points pour ce qui compte le plus pour vous. Vous n'êtes pas obligé de tous les utiliser.
session-method-explain-ranking = Classez toutes les idées, la plus importante en premier.
session-method-explain-moscow = Dites pour chaque idée si elle est indispensable, importante, souhaitable ou exclue cette fois-ci.
session-state-draft = Brouillon
session-state-open = Ouverte
session-state-closed = Clôturée
session-new-title = Nouvelle session de priorisation — { $product }
session-new-lead = La session commence en brouillon : invitez les parties prenantes, puis ouvrez-la. Personne ne peut répondre à un brouillon.
field-label-session-title = Titre
session-title-hint = Par exemple « Priorités du premier trimestre ».
field-label-session-description = Introduction pour les parties prenantes
session-description-hint = Facultatif : le contexte, ce qui sera décidé avec les résultats.
field-label-method = Méthode
session-method-hint = La façon dont chaque partie prenante répond.
field-label-deadline = Échéance
session-deadline-hint = Les réponses sont refusées après ce moment (votre fuseau horaire : { $zone }).
field-label-session-ideas = Idées
session-ideas-hint = Choisissez au moins deux idées du produit (les plus récentes sont listées).
session-no-ideas = Ce produit n'a encore aucune idée.
action-create-session = Préparer la session
field-name-method = Méthode
field-name-deadline = Échéance
field-name-member_id = Membre
field-name-group_id = Groupe
field-deadline_in_the_past = Ce moment est déjà passé.
field-session_too_few_ideas = Choisissez au moins deux idées.
field-session_too_many_ideas = Une session compte au plus 500 idées.
field-unknown_idea-idea_ids = L'une des idées n'est pas une idée de ce produit.
field-unknown_method = Choisissez l'une des trois méthodes.
field-unknown_stakeholder_group = Ce groupe n'existe pas.
field-too_many_invitations = Au plus 500 invitations à la fois.
field-session_not_draft = La session est déjà ouverte.
flash-session_created = La session est préparée. Invitez les parties prenantes, puis ouvrez-la.
flash-stakeholder_invited = La partie prenante a été invitée.
flash-session_opened = La session est ouverte : les parties prenantes invitées peuvent répondre jusqu'à l'échéance.
flash-session_closed = La session est clôturée et ses résultats calculés.

## La page de la session
session-deadline-is = Échéance : { $deadline }
action-my-ballot = Mon bulletin
action-see-results = Voir les résultats
session-answered-of = { $count ->
    [one] sur 1 partie prenante invitée a répondu
   *[other] sur { $count } parties prenantes invitées ont répondu
}
session-open-title = Ouvrir la session
session-open-text = Une fois ouverte, les parties prenantes invitées peuvent répondre jusqu'à l'échéance.
action-open-session = Ouvrir la session
session-close-title = Clôturer la session
session-close-text = La clôture calcule les résultats. Les bulletins ne peuvent plus changer ensuite, même avant l'échéance.
action-close-session = Clôturer et calculer les résultats
session-closed-title = Clôturée
session-closed-text = Les bulletins sont définitifs et les résultats calculés.
session-changed-meanwhile = La session a changé depuis l'affichage de cette page (quelqu'un l'a ouverte ou clôturée). La page la montre maintenant telle qu'elle est.
session-invited-title = Parties prenantes invitées
session-invited-lead = Vous voyez qui a répondu, pas quoi : chaque bulletin reste privé. Seuls les résultats agrégés sont montrés, après la clôture.
session-nobody-invited = Personne n'est encore invité.
sh-col-answered = A répondu
answered-yes = A répondu
answered-not-yet = Pas encore
field-label-invite-member = Membre à inviter
field-label-invite-group = Pour le groupe
sh-choose-member = Choisir un membre
sh-choose-group = Choisir un groupe
action-invite-stakeholder = Inviter
session-groups-link = Groupes de parties prenantes et leurs poids
session-ideas-title = { $count ->
    [one] 1 idée
   *[other] { $count } idées
}

## Les faits affichés à côté de chaque idée
facts-story = Récit
facts-no-story = Pas encore écrite comme un récit
facts-as-a = En tant que
facts-i-want = je veux
facts-benefit = Bénéfice
facts-no-benefit = Aucun bénéfice indiqué
facts-evidence = Éléments probants
facts-customers = Clients distincts
facts-score = Score actuel
facts-not-scored = non évaluée

## Le bulletin
ballot-title = Mon bulletin — { $session }
ballot-saved-at = enregistré le { $at }
ballot-private = Votre réponse est privée : personne ne voit le bulletin d'une autre partie prenante. Le chef de produit voit seulement si vous avez répondu ; les résultats sont agrégés par groupe.
ballot-moved-not-saved = L'ordre a changé. Il n'est pas encore enregistré : enregistrez votre bulletin pour le garder.
ballot-points-left = Points restants : { $left } sur { $budget }
ballot-points-label = Points pour { $idea }
action-move-up = Monter { $idea }
action-move-down = Descendre { $idea }
ballot-moscow-legend = Votre vote sur { $idea }
moscow-must = Indispensable
moscow-should = Important
moscow-could = Souhaitable
moscow-wont = Exclu cette fois
action-save-ballot = Enregistrer mon bulletin
ballot-changed-meanwhile = Votre bulletin a été enregistré depuis une autre fenêtre entre-temps. La page montre maintenant ce bulletin enregistré ; modifiez-le et enregistrez à nouveau si besoin.
field-negative_points = Les points ne peuvent pas être négatifs.
field-over_budget = Plus de 100 points sur une seule idée.
field-over_budget-points = Vos points dépassent 100 au total : retirez-en.
field-points_not_a_number = Saisissez un nombre entier de points.
field-repeated_idea = Cette idée apparaît deux fois.
field-repeated_idea-ranking = Le classement cite une idée deux fois.
field-missing_idea = Une idée de la session manque.
field-missing_idea-ranking = Le classement doit contenir toutes les idées de la session.
field-unknown_idea-ranking = Le classement cite une idée qui n'est pas dans la session.
field-unknown_idea-points = Cette idée n'est pas dans la session.
field-unknown_idea-moscow = Cette idée n'est pas dans la session.
field-required-moscow = Choisissez une catégorie pour cette idée.
field-session_not_open = La session n'est pas encore ouverte : les réponses seront acceptées quand le chef de produit l'ouvrira.
field-session_closed = La session est clôturée : les réponses ne peuvent plus être envoyées ni modifiées.
field-deadline_passed = L'échéance est passée : les réponses ne sont plus acceptées.
flash-ballot_saved = Votre bulletin a été enregistré. Vous pouvez le modifier jusqu'à l'échéance.

## Résultats
results-title = Résultats — { $session }
results-closed-at = clôturée le { $at }
action-print-results = Version imprimable
action-results-csv = Télécharger le CSV
action-results-csv-semicolon = CSV pour tableur français (;)
action-back-to-results = Retour aux résultats
results-print-hint = Utilisez la commande Imprimer de votre navigateur.
results-pending-title = Pas encore de résultats
results-pending-text = Les résultats apparaissent quand le chef de produit clôture la session. D'ici là, chaque bulletin reste privé.
results-ballots-of = { $invited ->
    [one] bulletins comptés, sur 1 invité
   *[other] bulletins comptés, sur { $invited } invités
}
results-ballots = Bulletins
results-ideas = idées classées
results-disputed-count = idées disputées, à discuter
results-disputed-title = À discuter : là où les groupes ne sont pas d'accord
results-disputed-lead = Les idées sur lesquelles les scores des groupes sont les plus dispersés (l'écart type des scores des groupes, sur 100). Elles méritent une discussion avant de décider.
results-disputed-none = Les groupes sont globalement d'accord : aucune idée ne ressort comme disputée.
results-disputed-badge = Disputée
results-disagreement-is = désaccord { $value }
results-group-rank-line = { $group } : n° { $rank }
results-rank-short = n° { $rank }
results-chart-title = Score pondéré de chaque idée
results-chart-desc = Une barre par idée, dans l'ordre du classement pondéré, de longueur égale au score pondéré sur 100. Le tableau « Classement pondéré » ci-dessous donne les mêmes valeurs.
results-chart-caption = Les idées disputées sont marquées ⚑. Le tableau ci-dessous donne toutes les valeurs du graphique.
results-ranking-title = Classement pondéré
results-ranking-lead = Les scores des groupes pondérés par les poids des groupes, sur 100.
results-by-group-title = Classement par groupe
results-by-group-lead = Le rang de chaque idée pour chaque groupe, et le score du groupe sur 100 entre parenthèses.
results-no-ballot = aucun bulletin de ce groupe
results-weights-title = Groupes, poids et bulletins
results-method-note = Calcul : chaque bulletin donne à chaque idée un score de 0 à 1 (sa part des points ; sa place dans le classement ; indispensable 1, important 2/3, souhaitable 1/3, exclu 0) ; le score d'un groupe est la moyenne de ses bulletins ; le score pondéré est la moyenne des scores des groupes pondérée par leurs poids. Les scores sont affichés sur 100.
results-col-rank = Rang
results-col-reference = Référence
results-col-title = Titre
results-col-idea = Idée
results-col-score = Score pondéré
results-col-disagreement = Désaccord
results-col-disputed = Disputée
results-col-group-rank = { $group } — rang
results-col-group-score = { $group } — score
results-disputed-yes = oui
results-disputed-no = non
