# Imports et exports : problèmes trouvés dans un fichier, par ligne et colonne.
field-encoding = Le fichier n'est pas du texte UTF-8 (enregistrez-le en « CSV UTF-8 »).
field-empty_file = Le fichier est vide.
field-missing_column = Une colonne obligatoire manque.
field-missing_value = Une cellule obligatoire est vide.
field-too_many_rows = Le fichier a trop de lignes (100 000 au plus par import).
field-cell_too_large = Une cellule est trop grande (100 Ko au plus).
field-row_too_wide = Une ligne a trop de colonnes.
field-invalid_date = Cette date est illisible.
field-invalid_number = Ce nombre est illisible.
field-invalid_json = Le JSON est illisible.
field-unknown_format = Le format de ce fichier n'est pas reconnu.
field-duplicate_external_id = Le même identifiant apparaît deux fois dans le fichier.
field-unknown_source = Source inconnue.

# La page d'import et d'export d'un produit.
import-title = Import et export
import-lead = Reprenez les retours et les idées d'autres outils, ou emportez-les dans un tableur.
export-title = Export
export-lead = Téléchargez les retours ou les idées de ce produit. Les fichiers CSV sont en UTF-8 avec BOM ; les cellules qu'un tableur exécuterait comme des formules sont protégées.
export-feedback = Retours
export-ideas = Idées
export-csv-comma = CSV (virgule)
export-csv-semicolon = CSV (point-virgule, pour les tableurs français)
export-xlsx = Classeur Excel (XLSX)
export-json = JSON (complet, pour un autre Phare)
import-upload-title = Importer un fichier
import-formats = Exports de Jira (CSV), Linear (CSV), tickets GitHub (JSON), Trello (JSON), Canny et Productboard, l'export de Phare, ou tout CSV avec une ligne d'en-tête. Le format est reconnu à l'en-tête ; vous vérifiez tout avant que rien ne soit enregistré.
import-file-label = Fichier
import-file-hint = CSV ou JSON, en UTF-8, jusqu'à 100 000 lignes.
import-source-label = Source des retours
import-source-hint = Utilisée pour les lignes dont le fichier ne donne pas la source.
import-check = Vérifier le fichier
import-recheck = Vérifier à nouveau avec ces colonnes
import-plan-title = Ce qui serait importé
import-detected = Reconnu : fichier { $preset }, importé comme { $kind }, { $rows } lignes.
import-problems-count = { $count ->
    [one] { $count } problème : rien ne sera importé tant qu'il n'est pas corrigé.
   *[other] { $count } problèmes : rien ne sera importé tant qu'ils ne sont pas corrigés.
}
import-refused = Rien n'a été importé.
import-problems-title = Problèmes, par ligne et colonne
col-line = Ligne
col-column = Colonne
col-problem = Problème
import-mapping-title = Colonnes
import-mapping-hint = La colonne du fichier qui remplit chaque champ. Changez un choix, puis vérifiez à nouveau.
import-mapping-none = (aucune)
import-sample-title = Premières lignes
import-confirm = { $count ->
    [one] Importer { $count } ligne
   *[other] Importer les { $count } lignes
}
import-error-upload = Le fichier n'a pas pu être reçu. Réessayez, ou passez par l'API ou `phare import` pour les très gros fichiers.
import-error-no-file = Choisissez un fichier à importer.
import-kind-feedback = retours
import-kind-idea = idées
import-preset-jira = Jira
import-preset-linear = Linear
import-preset-github = tickets GitHub
import-preset-trello = Trello
import-preset-canny = Canny
import-preset-productboard = Productboard
import-preset-csv = CSV
import-field-external_id = Identifiant dans l'autre outil
import-field-human_key = Clé (par ex. PROJ-12)
import-field-url = Lien vers l'original
import-field-title = Titre
import-field-body = Texte
import-field-status = Statut
import-field-source = Source
import-field-tags = Étiquettes
import-field-author = Auteur
import-field-customer = Client
import-field-segment = Segment
import-field-contact = Contact
import-field-created_at = Date
import-field-votes = Votes
import-field-as_a = En tant que…
import-field-i_want = Je veux…
import-field-so_that = Afin de…
flash-imported = Import terminé.
action-import-export = Import et export
