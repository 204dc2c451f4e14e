# Phare — messages en français. Chaque clé doit exister aussi dans en/main.ftl (un test le vérifie).

## Cadre
skip-to-content = Aller au contenu
nav-label = Navigation principale
nav-home = Accueil
nav-products = Produits
nav-product-lines = Gammes de produits
nav-members = Membres
nav-audit = Journal d’audit
nav-settings = Paramètres
nav-tokens = Jetons d’API
footer-language = Langue :
footer-api = Documentation de l’API
yes = oui

## Actions
action-login = Se connecter
action-logout = Se déconnecter
action-save = Enregistrer
action-cancel = Annuler
action-edit = Modifier
action-filter = Appliquer
action-archive = Archiver
action-restore = Restaurer
action-revoke = Révoquer
action-invite = Envoyer l’invitation
action-new-product = Nouveau produit
action-new-product-line = Nouvelle gamme
action-create-product = Créer le produit
action-create-line = Créer la gamme
action-delete-line = Supprimer cette gamme
action-save-raci = Enregistrer le RACI
action-create-token = Créer le jeton
action-change-password = Changer le mot de passe
action-reset-password = Définir le nouveau mot de passe

## Rôles, postes, RACI
role-admin = Administrateur
role-product_manager = Chef de produit
role-contributor = Contributeur
role-stakeholder = Partie prenante
role-viewer = Lecteur
job-title-none = Aucun poste
job-apm = Chef de produit associé (APM)
job-pm = Chef de produit (PM)
job-senior_pm = Chef de produit senior
job-staff_pm = Staff PM
job-principal_pm = Principal PM
job-group_pm = Responsable de gamme (Group PM)
job-director_of_product = Directeur ou directrice produit
job-cpo = Directeur ou directrice produit groupe (CPO)
raci-responsible = Réalisateur
raci-accountable = Approbateur
raci-consulted = Consulté
raci-informed = Informé
raci-nobody = Personne pour l’instant
raci-title = RACI
raci-empty = Personne n’est encore dans le RACI de ce produit.
raci-add-title = Ajouter quelqu’un
field-label-add-email = Adresse électronique d’un membre
field-label-raci-letter = En tant que
raci-lead = Qui est Réalisateur, Approbateur, Consulté et Informé pour ce produit. Une seule personne au plus approuve.
pm-model-business_expert = Rôle de chef de produit porté par un expert métier
pm-model-it_project_lead = Rôle de chef de produit porté par un chef de projet informatique
pm-model-shared = Rôle de chef de produit partagé (expert métier et chef de projet informatique)
pm-model-short-business_expert = Expert métier
pm-model-short-it_project_lead = Chef de projet informatique
pm-model-short-shared = Partagé
pm-role-label = Rôle de PM :
pm-model-hint = Qui porte le rôle de chef de produit sur ce produit.

## Colonnes et états
col-name = Nom
col-key = Clé
col-product-line = Gamme
col-pm-model = Rôle de chef de produit
col-status = État
col-created = Créé le
col-expires = Expire le
col-last-used = Dernière utilisation
col-scopes = Portées
col-actions = Actions
col-member = Membre
col-role = Rôle
col-products = Produits
col-when = Quand
col-actor = Qui
col-action = Action
col-target = Cible
col-outcome = Résultat
col-source = Origine
col-detail = Détail
status-active = Actif
status-archived = Archivé
status-disabled = Désactivé
pagination-label = Pages
pagination-next = Page suivante →
count-products = { $count ->
    [one] { $count } produit
   *[other] { $count } produits
}

## Formulaires
form-errors-title = Merci de corriger les points suivants
field-label-email = Adresse électronique
field-label-password = Mot de passe
field-label-current-password = Mot de passe actuel
field-label-new-password = Nouveau mot de passe
field-label-name = Nom
field-label-your-name = Votre nom
field-label-workspace-name = Nom de l’espace de travail
field-label-job-title = Poste
field-label-time-zone = Fuseau horaire
field-label-work-start = Début de journée
field-label-work-end = Fin de journée
field-label-language = Langue
field-label-default-language = Langue par défaut
field-label-product-name = Nom du produit
field-label-product-key = Clé
field-label-product-line = Gamme de produits
field-label-pm-model = Rôle de chef de produit
field-label-description = Description
field-label-line-name = Nom de la gamme
field-label-token-name = Nom du jeton
field-label-scope = Portée
field-label-expiry = Expiration
password-hint = Au moins 8 caractères. Les mots de passe trop courants sont refusés.
time-zone-hint = Un nom IANA comme Europe/Paris ou America/Montreal.
product-key-hint = 2 à 10 majuscules ou chiffres, commençant par une lettre ; préfixe des références comme CHK-42.
language-browser = Celle de mon navigateur

## Erreurs de champ
form-error-item = { $field } : { $message }
field-name-name = Nom
field-name-key = Clé
field-name-description = Description
field-name-product_line_id = Gamme de produits
field-name-pm_model = Rôle de chef de produit
field-name-email = Adresse électronique
field-name-password = Mot de passe
field-name-current_password = Mot de passe actuel
field-name-new_password = Nouveau mot de passe
field-name-workspace_name = Nom de l’espace de travail
field-name-time_zone = Fuseau horaire
field-name-work_start = Début de journée
field-name-work_end = Fin de journée
field-name-locale = Langue
field-name-default_locale = Langue par défaut
field-name-role = Rôle
field-name-job_title = Poste
field-name-disabled = Accès
field-name-scopes = Portée
field-name-expires_in_days = Expiration
field-name-raci = RACI
field-name-add_email = Personne à ajouter
field-required = Ce champ est obligatoire.
field-too_long = Ce texte est trop long.
field-invalid_characters = Ce texte contient des caractères non autorisés.
field-invalid_email = Saisissez une adresse comme nom@exemple.fr.
field-invalid_product_key = Utilisez 2 à 10 majuscules ou chiffres, en commençant par une lettre.
field-invalid_slug = Utilisez 2 à 40 minuscules, chiffres ou tirets.
field-invalid_time = Saisissez une heure au format HH:MM.
field-invalid_time_zone = Saisissez un fuseau comme Europe/Paris.
field-password_too_short = Le mot de passe doit compter au moins 8 caractères.
field-password_too_long = Le mot de passe doit compter au plus 128 caractères.
field-password_too_common = Ce mot de passe fait partie des plus courants ; choisissez-en un autre.
field-wrong_password = Le mot de passe actuel est incorrect.
field-already_taken = Cette valeur est déjà utilisée.
field-cannot_change_self = Vous ne pouvez ni changer votre propre rôle ni désactiver votre propre compte.
field-one_accountable = Une seule personne peut être approbatrice d’un produit.
field-too_many = Trop d’entrées.
field-unknown_member = Ce membre n’existe pas dans l’espace de travail.
field-unknown_product_line = Cette gamme n’existe pas dans l’espace de travail.
field-scope_not_allowed = Seuls les administrateurs peuvent créer des jetons de portée administration.
field-out_of_range = Cette valeur est hors des limites.
field-invalid_value = Cette valeur n’est pas valide.
field-unknown_field = Ce champ n’est pas accepté.

## Erreurs (titre et message pour chaque code stable)
error-go-home = Aller à l’accueil
error-not_found-title = Page introuvable
error-not_found = Ce que vous cherchez n’existe pas, ou vous n’y avez pas accès.
error-unauthenticated-title = Connexion nécessaire
error-unauthenticated = Connectez-vous pour continuer.
error-forbidden-title = Accès refusé
error-forbidden = Votre rôle ne permet pas cette action. Demandez à un administrateur si vous en avez besoin.
error-invalid_credentials-title = Échec de la connexion
error-invalid_credentials = L’adresse électronique ou le mot de passe est incorrect.
error-validation-title = Des informations manquent ou sont incorrectes
error-validation = Vérifiez les champs signalés.
error-unknown_field-title = Champ inattendu
error-unknown_field = La requête contient un champ qui n’est pas accepté.
error-duplicate-title = Existe déjà
error-duplicate = Un élément avec la même valeur existe déjà.
error-version_conflict-title = Modifié par quelqu’un d’autre
error-version_conflict = Cet élément a été modifié depuis que vous l’avez ouvert. Rechargez-le pour voir la dernière version.
error-version_conflict-form = Quelqu’un a enregistré cet élément pendant votre saisie. Votre texte est conservé ci-dessous ; enregistrer à nouveau l’appliquera par-dessus sa modification.
error-precondition_required-title = Version requise
error-precondition_required = Envoyez la version que vous avez modifiée (If-Match) afin qu’aucune modification ne soit perdue.
error-rate_limited-title = Trop de tentatives
error-rate_limited = Trop de tentatives en peu de temps. Patientez quelques minutes puis réessayez.
error-setup_already_done-title = Déjà configuré
error-setup_already_done = Phare est déjà configuré. Connectez-vous.
error-setup_token_invalid-title = Lien de configuration non valide
error-setup_token_invalid = Ce lien de configuration est inconnu, déjà utilisé ou expiré. Redémarrez le serveur pour en afficher un nouveau.
error-invitation_invalid-title = Invitation non valide
error-invitation_invalid = Cette invitation est inconnue, déjà utilisée, révoquée ou expirée. Demandez-en une nouvelle.
error-bad_request-title = Requête incorrecte
error-bad_request = La requête n’a pas pu être comprise.
error-payload_too_large-title = Trop volumineux
error-payload_too_large = Ce que vous avez envoyé dépasse la taille acceptée par le serveur.
error-idempotency_mismatch-title = Clé déjà utilisée
error-idempotency_mismatch = Cette clé Idempotency-Key a déjà servi pour une autre requête.
error-unavailable-title = Momentanément indisponible
error-unavailable = La base de données ne répond pas pour l’instant. Réessayez dans un moment.
error-internal-title = Une erreur est survenue
error-internal = Une erreur inattendue s’est produite. Elle a été journalisée ; communiquez l’identifiant de requête à votre administrateur.

## Messages après une action
flash-setup_complete = Votre espace de travail est prêt. Connectez-vous avec le compte que vous venez de créer.
flash-invitation_accepted = Bienvenue ! Votre compte est prêt ; connectez-vous.
flash-logged_out = Vous êtes déconnecté.
flash-product_created = Produit créé.
flash-product_saved = Produit enregistré.
flash-product_archived = Produit archivé.
flash-product_restored = Produit restauré.
flash-raci_saved = RACI enregistré.
flash-line_created = Gamme créée.
flash-line_saved = Gamme enregistrée.
flash-line_deleted = Gamme supprimée ; ses produits sont conservés, sans gamme.
flash-profile_saved = Profil enregistré.
flash-password_changed = Mot de passe changé. Vos autres sessions ont été fermées.
flash-token_revoked = Jeton révoqué.
flash-member_saved = Membre enregistré.
flash-password_reset = Nouveau mot de passe défini. Les sessions du membre ont été fermées.
flash-invitation_revoked = Invitation révoquée.
flash-settings_saved = Paramètres enregistrés.

## Configuration, connexion, invitations
setup-title = Configurer Phare
setup-lead = Créez votre espace de travail et son premier administrateur. Ce lien ne sert qu’une fois.
setup-workspace-hint = Votre organisation ou équipe, par exemple « Ville de Lyon — Services numériques ».
setup-submit = Créer l’espace de travail
login-title = Connexion à Phare
login-forgot = Mot de passe oublié ? Un administrateur de votre espace peut en définir un nouveau.
login-not-set-up = Phare n’est pas encore configuré. Ouvrez le lien de configuration affiché par le serveur au démarrage.
invitation-title = Rejoindre l’espace de travail
invitation-lead = Vous êtes invité dans { $workspace } en tant que { $role }.
invitation-email = Votre compte utilisera { $email }.
invitation-submit = Créer mon compte

## Accueil
home-welcome = Bienvenue, { $name }.
home-empty-title = Aucun produit pour l’instant
home-empty-text = Les produits portent les idées, feuilles de route, versions et indicateurs. Regroupez-les en gammes quand vous en avez plusieurs.
stat-products = { $count ->
    [one] produit
   *[other] produits
}
stat-lines = { $count ->
    [one] gamme
   *[other] gammes
}
stat-members = { $count ->
    [one] membre
   *[other] membres
}
line-no-products = Aucun produit dans cette gamme pour l’instant.

## Produits
products-title = Produits
products-lead = Tout ce que vos équipes construisent, et qui est responsable de quoi.
products-empty-title = Aucun produit à afficher
filter-show-archived = Afficher les produits archivés
product-new-title = Nouveau produit
product-edit-title = Modifier { $name }
product-about = À propos
product-who = Qui fait quoi
product-line-none = Sans gamme

## Conflit
conflict-title = Quelqu’un d’autre a modifié ce produit
conflict-lead = Pendant votre saisie, une autre personne a enregistré une nouvelle version. Rien n’est perdu : comparez et choisissez.
conflict-mine = Votre version
conflict-theirs = Version enregistrée
conflict-keep-mine = Enregistrer ma version par-dessus
conflict-keep-theirs = Garder la version enregistrée

## Gammes
lines-title = Gammes de produits
lines-lead = Des portefeuilles qui regroupent des produits proches, chacun mené par un responsable de gamme.
lines-empty-title = Aucune gamme pour l’instant
lines-empty-text = Créez une gamme pour regrouper des produits, par exemple « Services aux citoyens ».
line-new-title = Nouvelle gamme
line-edit-title = Modifier { $name }
line-delete-title = Supprimer
line-delete-text = Les produits de cette gamme sont conservés ; ils n’appartiennent simplement plus à aucune gamme.

## Membres
members-title = Membres
members-lead = Toutes les personnes de l’espace, leur rôle, leur poste et leurs horaires.
invite-title = Inviter quelqu’un
invitations-pending = Invitations en attente
invitations-none = Aucune invitation en attente.
invitation-created-title = Invitation créée
invitation-created-text = Transmettez ce lien à la personne (l’envoi de courriels viendra plus tard). Il ne sert qu’une fois et expire dans 7 jours.
member-local-time = { $time } heure locale
member-hours = Horaires de travail
member-access = Rôle et accès
member-access-label = Accès
member-reset-password = Définir un nouveau mot de passe
member-reset-password-text = Les sessions du membre sont fermées ; transmettez-lui le nouveau mot de passe par un canal sûr.

## Profil et jetons
profile-title = Votre profil
profile-details = Informations
profile-password = Mot de passe
tokens-title = Jetons d’API
tokens-lead = Les jetons d’accès personnels permettent aux scripts et à la ligne de commande d’agir en votre nom via l’API.
token-new = Nouveau jeton
token-name-hint = À quoi il sert, par exemple « Export CI ».
token-created-title = Copiez votre nouveau jeton maintenant
token-created-once = Il n’est affiché qu’une seule fois. Phare n’en conserve qu’une empreinte.
tokens-yours = Vos jetons
tokens-empty = Vous n’avez encore aucun jeton.
token-active = Actif
token-revoked = Révoqué
token-expired = Expiré
never-used = Jamais utilisé
scope-all = Tout ce que je peux faire
scope-read = Lecture seule
scope-write = Lecture et écriture
scope-admin = Administration
expiry-30 = 30 jours
expiry-90 = 90 jours
expiry-365 = 1 an
expiry-never = Jamais

## Paramètres
settings-title = Paramètres de l’espace de travail
settings-lead = Adresse de l’espace : { $slug }
default-language-hint = Utilisée quand un membre n’a pas choisi de langue et que son navigateur ne demande ni le français ni l’anglais.

## Audit
audit-title = Journal d’audit
audit-lead = Chaque modification et chaque événement de sécurité, du plus récent au plus ancien. Il ne peut pas être modifié.
audit-filter-action = Action commençant par
audit-any-outcome = Tous les résultats
audit-since = Du
audit-until = Au
audit-empty = Aucun événement ne correspond à ces filtres.
outcome-success = Réussite
outcome-denied = Refus
outcome-failure = Échec
