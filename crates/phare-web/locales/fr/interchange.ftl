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
