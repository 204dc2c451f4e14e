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

# The import and export page of a product.
import-title = Import and export
import-lead = Bring feedback and ideas from other tools, or take them to a spreadsheet.
export-title = Export
export-lead = Download this product's feedback or ideas. CSV files are UTF-8 with a BOM; cells that a spreadsheet would run as formulas are protected.
export-feedback = Feedback
export-ideas = Ideas
export-csv-comma = CSV (comma)
export-csv-semicolon = CSV (semicolon, for French spreadsheets)
export-xlsx = Excel workbook (XLSX)
export-json = JSON (complete, for another Phare)
import-upload-title = Import a file
import-formats = Exports of Jira (CSV), Linear (CSV), GitHub issues (JSON), Trello (JSON), Canny and Productboard, Phare's own export, or any CSV with a header row. The format is recognised from the header; you check everything before anything is stored.
import-file-label = File
import-file-hint = CSV or JSON, UTF-8, up to 100,000 rows.
import-source-label = Source of feedback rows
import-source-hint = Used for rows whose file names no source.
import-check = Check the file
import-recheck = Check again with this mapping
import-plan-title = What would be imported
import-detected = Recognised: { $preset } file, imported as { $kind }, { $rows } rows.
import-problems-count = { $count ->
    [one] { $count } problem: nothing will be imported until it is fixed.
   *[other] { $count } problems: nothing will be imported until they are fixed.
}
import-refused = Nothing was imported.
import-problems-title = Problems, by line and column
col-line = Line
col-column = Column
col-problem = Problem
import-mapping-title = Columns
import-mapping-hint = Which column of the file fills each field. Change a choice, then check again.
import-mapping-none = (none)
import-sample-title = First rows
import-confirm = { $count ->
    [one] Import { $count } row
   *[other] Import all { $count } rows
}
import-error-upload = The file could not be received. Try again, or use the API or `phare import` for very large files.
import-error-no-file = Choose a file to import.
import-kind-feedback = feedback
import-kind-idea = ideas
import-preset-jira = Jira
import-preset-linear = Linear
import-preset-github = GitHub issues
import-preset-trello = Trello
import-preset-canny = Canny
import-preset-productboard = Productboard
import-preset-csv = CSV
import-field-external_id = Id in the other tool
import-field-human_key = Key (e.g. PROJ-12)
import-field-url = Link to the original
import-field-title = Title
import-field-body = Text
import-field-status = Status
import-field-source = Source
import-field-tags = Tags
import-field-author = Author
import-field-customer = Customer
import-field-segment = Segment
import-field-contact = Contact
import-field-created_at = Date
import-field-votes = Votes
import-field-as_a = As a…
import-field-i_want = I want…
import-field-so_that = So that…
flash-imported = Import finished.
action-import-export = Import and export
