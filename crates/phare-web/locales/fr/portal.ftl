# Le portail public (/p/{espace}/{produit}), sa modération par l’équipe, la boîte d’envoi des
# e-mails et les e-mails eux-mêmes.

## Les pages publiques

portal-account-label = Votre compte
portal-submit-action = Proposer une idée
portal-signed-in-as = Connecté·e : { $name }
portal-sign-out = Se déconnecter
portal-sign-in = Se connecter
portal-powered = Propulsé par Phare
portal-ideas-title = Idées
portal-sort-label = Ordre des idées
portal-sort-trending = Tendances
portal-sort-top = Les plus votées
portal-sort-newest = Les plus récentes
portal-filter-label = Filtrer par statut
portal-filter-all = Toutes
portal-status-draft = Ouverte
portal-status-under_consideration = À l’étude
portal-status-planned = Prévue
portal-status-in_progress = En cours
portal-status-shipped = Livrée
portal-status-declined = Refusée
portal-status-merged = Fusionnée
portal-empty = Aucune idée n’est encore publiée ici. Soyez la première personne à en proposer une.
portal-empty-filtered = Aucune idée n’a encore ce statut.
portal-submit-first = Proposer une idée
portal-vote = Voter
portal-voted = Voté
portal-vote-label = Voter pour « { $title } », { $count ->
    [one] { $count } vote jusqu’ici
   *[other] { $count } votes jusqu’ici
}
portal-unvote-label = Retirer votre vote pour « { $title } », { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
portal-comment-count = { $count ->
    [0] Aucun commentaire
    [one] { $count } commentaire
   *[other] { $count } commentaires
}
portal-more = Afficher la suite
portal-back-to-ideas = ← Toutes les idées
portal-published-on = Publiée le { $date }
portal-follow = Suivre cette idée
portal-following = Suivie (arrêter)
portal-follow-hint = Les personnes qui la suivent reçoivent un e-mail quand son statut change.
portal-sign-in-why = connectez-vous pour voter, commenter et suivre cette idée.
portal-no-comments = Pas encore de commentaire.
portal-team = Équipe
portal-more-comments = Afficher plus de commentaires
portal-comment-label = Votre commentaire
portal-markdown-hint = Le Markdown fonctionne : **gras**, *italique*, listes, liens.
portal-comment-action = Publier le commentaire
portal-sign-in-to-comment = Se connecter pour commenter
portal-someone = Quelqu’un
portal-submit-title = Proposer une idée
portal-submit-lead = Dites à l’équipe ce dont vous avez besoin et pourquoi. Les autres pourront voter dès qu’elle sera publiée.
portal-field-title = Votre idée en une phrase
portal-field-title-hint = Par exemple : « Exporter mes factures en PDF ».
portal-field-description = Détails
portal-field-description-hint = Quel problème cela réglerait-il pour vous ? Le Markdown fonctionne.
portal-honeypot = Laissez ce champ vide
portal-submit-send = Envoyer l’idée
portal-submit-moderation = L’équipe lit chaque idée avant de la publier.
portal-submit-sign-in = Connectez-vous avec votre adresse e-mail pour proposer une idée : nous vous envoyons un code à usage unique, sans mot de passe.
portal-sign-in-lead = Nous envoyons un code à usage unique à votre adresse e-mail. Pas de mot de passe, pas de compte à gérer.
portal-field-display-name = Votre nom (facultatif)
portal-field-display-name-hint = Affiché à côté de vos commentaires et de vos idées. Votre adresse e-mail n’est jamais affichée.
portal-send-code = Recevoir un code
portal-code-title = Consultez vos e-mails
portal-code-sent = Si { $email } peut recevoir des e-mails, un code à 6 chiffres est en route. Il est valable 15 minutes.
portal-field-code = Le code à 6 chiffres
portal-field-code-hint = Cinq essais au plus ; ensuite, demandez un nouveau code.
portal-code-action = Se connecter
portal-code-again = Demander un nouveau code

portal-flash-voted = Merci, votre vote est compté.
portal-flash-unvoted = Votre vote est retiré.
portal-flash-followed = Vous suivez cette idée : vous recevrez un e-mail quand son statut changera.
portal-flash-unfollowed = Vous ne suivez plus cette idée.
portal-flash-commented = Votre commentaire est publié.
portal-flash-submitted = Merci ! Votre idée est transmise à l’équipe, qui la lira avant de la publier.
portal-flash-signed_in = Vous êtes connecté·e.
portal-flash-signed_out = Vous êtes déconnecté·e.

## Erreurs de champ

field-code_wrong = Ce code n’est pas le bon. Vérifiez-le et réessayez.
field-code_dead = Ce code a expiré ou a été essayé trop de fois. Demandez un nouveau code.
field-invalid_code = Saisissez les 6 chiffres du code.
field-name-code = Code
field-name-display_name = Nom
field-name-body = Commentaire
field-name-intro = Introduction
field-name-state = Visibilité

## Les pages de l’équipe

portal-admin-title = Portail public
portal-admin-lead = Ce que les utilisateurs finaux voient de ce produit : les idées publiées, sur lesquelles ils votent et commentent, et leurs propositions qui vous attendent.
portal-live = En ligne
portal-off = Fermé
portal-open-public = Ouvrir le portail public
portal-settings-title = Réglages
portal-field-enabled = Le portail est ouvert au public
portal-field-enabled-hint = Son adresse est { $path }. Seules les idées que vous publiez y apparaissent.
portal-field-portal-title = Titre
portal-field-portal-title-hint = Laissez vide pour reprendre le nom du produit.
portal-field-intro = Introduction
portal-queue-title = Propositions en attente de modération
portal-queue-empty = Aucune proposition n’attend.
portal-submitted-on = Proposée le { $date }
portal-published-title = Sur le portail
portal-published-empty = Aucune idée n’est publiée ni masquée. Ouvrez la page portail d’une idée pour la publier.
portal-col-title = Titre public
portal-col-state = Visibilité
portal-col-votes = Votes
portal-col-comments = Commentaires
portal-state-private = Privée
portal-state-pending = En attente de modération
portal-state-published = Publiée
portal-state-hidden = Masquée
portal-state-hint-private = absente du portail
portal-state-hint-pending = proposée sur le portail, pas encore publique
portal-state-hint-published = visible par tous, qui peuvent voter et commenter
portal-state-hint-hidden = retirée du portail ; votes et commentaires sont conservés
portal-latest-comments = Derniers commentaires
portal-hidden = Masqué
portal-open-idea = ouvrir
portal-show-comment = Afficher de nouveau
portal-hide-comment = Masquer
portal-moderate-title = Sur le portail public
portal-moderate-lead = Le public ne voit que le titre public, la description publique, le statut, les votes et les commentaires : jamais le récit utilisateur, le responsable, les éléments probants, les clients ni l’historique.
portal-not-live = Le portail de ce produit est fermé : rien n’est public tant qu’il n’est pas ouvert.
portal-face-title = Ce que voit le public
portal-face-lead = Écrivez pour les utilisateurs finaux : des mots simples, pas de noms internes.
portal-field-public-title = Titre public
portal-field-public-title-hint = Laissez vide pour reprendre le titre de l’idée à la publication.
portal-field-public-description = Description publique
portal-merge-title = Fusionner dans une autre idée
portal-field-merge-into = L’idée à garder
portal-field-merge-into-hint = Sa référence, par exemple { $key }-12. Votes, commentaires et abonnés y sont déplacés.
portal-merge-action = Fusionner
portal-comments-title = Commentaires
portal-reply-label = Répondre au nom de l’équipe
portal-reply-hint = Affiché sur le portail avec un badge « Équipe ». Le Markdown fonctionne.
portal-reply-action = Publier la réponse
portal-flash-portal_saved = Les réglages du portail sont enregistrés.
portal-flash-portal_idea_saved = La page publique de l’idée est enregistrée.
portal-flash-portal_replied = Votre réponse est sur le portail.
portal-flash-portal_merged = Les idées sont fusionnées : votes, commentaires et abonnés sont maintenant ici.
portal-flash-comment_hidden = Le commentaire est masqué du portail.
portal-flash-comment_shown = Le commentaire est de nouveau visible.

## La boîte d’envoi

outbox-title = Boîte d’envoi
outbox-lead = Tous les e-mails que Phare envoie : codes de connexion des portails et notifications de statut. Sans serveur SMTP, ils attendent ici, si bien que rien ne se perd : vous pouvez transmettre un code à la main.
outbox-empty = Aucun e-mail pour l’instant.
outbox-status-queued = En attente
outbox-status-sending = En cours d’envoi
outbox-status-sent = Envoyé
outbox-status-failed = Échec
outbox-to = À { $email }
outbox-attempts = { $count ->
    [one] { $count } tentative
   *[other] { $count } tentatives
}
outbox-link = Boîte d’envoi

## Les e-mails

mail-footer = Envoyé par le portail { $product }.
mail-code-subject = Votre code de connexion pour { $product }
mail-code-intro = Voici votre code pour vous connecter au portail { $product } :
mail-code-gone = Cet e-mail contenait un code de connexion, qui n’est plus conservé.
mail-code-expiry = Il est valable { $minutes } minutes et ne sert qu’une fois.
mail-code-ignore = Si vous ne l’avez pas demandé, ignorez cet e-mail.
mail-status-subject = « { $title } » est maintenant : { $status }
mail-status-intro = L’idée « { $title } » du portail { $product } est passée de « { $old } » à « { $new } ».
mail-status-link = Voir l’idée
mail-status-rationale = Pourquoi cette décision :
mail-status-why = Vous recevez ce message parce que vous suivez cette idée.
