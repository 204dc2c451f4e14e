# Imports and exports: problems found in a file, by line and column.
field-encoding = The file is not UTF-8 text (save it as "CSV UTF-8").
field-empty_file = The file is empty.
field-missing_column = A required column is missing.
field-missing_value = A required cell is empty.
field-too_many_rows = The file has too many rows (100,000 at most per import).
field-cell_too_large = A cell is too large (100 KB at most).
field-row_too_wide = A row has too many columns.
field-invalid_date = This date cannot be read.
field-invalid_number = This number cannot be read.
field-invalid_json = The JSON cannot be read.
field-unknown_format = The format of this file is not recognised.
field-duplicate_external_id = The same id appears twice in the file.
field-unknown_source = Unknown source.
