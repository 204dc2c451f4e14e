# Discovery: feedback, the inbox, customers, ideas, evidence, search.

## Navigation and common words
nav-inbox = Inbox
nav-customers = Customers
nav-search = Search
nav-ideas = Ideas
search-label = Search feedback and ideas
search-placeholder = Search…
any = Any
choose = Choose…
none = None
nobody = Nobody
product-none-yet = No product yet
select-item = Select
assigned-to-you = Assigned to you
by-person = by { $who }
changed-to = changed to
weight-value = weight { $weight }
captured-on = (captured on { $date })
evidence-count = { $count ->
    [one] { $count } piece of evidence
   *[other] { $count } pieces of evidence
}

## Enumerated values
source-interview = User interview
source-support = Customer support
source-sales = Sales
source-team_brainstorm = Team brainstorm
source-customer_brainstorm = Customer brainstorm
source-data = Data
source-market_watch = Market watch
source-user_club = User club
source-portal = Portal
source-survey = Survey
source-other = Other
origin-internal = Internal
origin-external = External
feedback-state-new = New
feedback-state-processed = Processed
feedback-state-archived = Archived
importance-nice_to_have = Nice to have
importance-important = Important
importance-critical = Critical
idea-status-draft = Draft
idea-status-under_consideration = Under consideration
idea-status-planned = Planned
idea-status-in_progress = In progress
idea-status-shipped = Shipped
idea-status-declined = Declined
idea-status-merged = Merged
customer-kind-organisation = Organisation
customer-kind-person = Person
search-kind-feedback = Feedback
search-kind-idea = Idea
search-kind-persona = Persona
search-kind-competitor = Competitor
search-kind-research_note = Research note
search-kind-any = Everything

## Actions
action-capture = Add to the inbox
action-apply-selected = Apply to selected
action-clear-filters = Clear filters
action-link = Link to an idea
action-link-idea = Link to this idea
action-reopen = Move back to new
action-unlink = Unlink
action-use-selection = Use selected text
action-create-idea = Create idea
action-create-idea-from = Create the idea
action-new-idea = New idea
action-open-feedback = Open the feedback
action-merge = Merge into that idea
action-delete-feedback = Delete this feedback
action-product-inbox = Inbox
action-product-ideas = Ideas
action-customer-feedback = Feedback

## Form labels and hints
field-label-feedback-text = What was said
field-label-source = Source
field-label-origin = Origin
field-label-customer = Customer
field-label-customer-name = Customer name
field-label-segment = Segment
field-label-weight = Weight
field-label-contact = Contact
field-label-product = Product
field-label-observed = Date observed
field-label-observed-from = Observed from
field-label-observed-to = Observed until
field-label-tags = Tags
field-label-tag = Tag
field-label-has-evidence = Linked to an idea
field-label-assignee = Assignee
field-label-author = Captured by
field-label-title = Title
field-label-as_a = As a…
field-label-i_want = I want…
field-label-so_that = so that…
field-label-status = Status
field-label-owner = Owner
field-label-importance = Importance
field-label-excerpt = Excerpt (optional)
field-label-idea-ref = Idea reference
field-label-idea-ref-or = Or type an idea reference
field-label-into = Idea that absorbs this one
field-label-reason = Reason
field-label-kind = Kind
capture-text-hint = Markdown is allowed.
markdown-hint = Markdown is allowed: **bold**, lists, links.
customer-hint = An organisation or a person; a new name creates the customer.
customer-edit-hint = Segment and weight are used when the customer is new; change an existing customer on the Customers page.
segment-hint = For example “Enterprise”, “Public sector”, “Free plan”.
weight-hint = From 1 (default) to 10: how much this customer counts in the demand of ideas.
tags-hint = Separated by commas, for example “export, pdf”.
idea-title-hint = A short name for the need, as people would say it.
story-hint = Who has the need, what they want, and the benefit they expect. An idea cannot leave the draft status without its benefit.
so_that-hint = The benefit: what changes for this person once it is done.
as_a-placeholder = e.g. accountant closing the month
i_want-placeholder = e.g. to export the monthly report as a PDF
so_that-placeholder = e.g. I can send it to the auditors without retyping it
excerpt-hint = The passage of the feedback that speaks for the idea. Select it in the text above and use the button, or paste it here.
idea-ref-hint = The reference of an idea, for example { $key }-42.
idea-ref-hint-any = The reference of an idea with its product key, for example CHK-42.
into-hint = Its reference, for example { $key }-7, or its number.
filter-mine = Assigned to me
evidence-yes = Yes
evidence-no = No
status-any-open = Any except merged

## Field errors (general messages by code, then messages for one field)
field-benefit_required = An idea cannot leave the draft status without its benefit: fill in “so that…”.
field-use_merge = An idea becomes “merged” only by merging it into another one.
field-idea_merged = This idea has been merged into another one; work on that one instead.
field-merge_into_itself = An idea cannot be merged into itself.
field-unknown_product = This product does not exist in the workspace.
field-unknown_feedback = This feedback item does not exist in the workspace.
field-unknown_idea = No idea of the workspace has this reference.
field-invalid_date-observed_at = Enter a date such as 2026-03-31.
field-already_taken-feedback_id = This feedback already supports that idea.
field-already_taken-name = Another customer already has this name.
field-required-idea = Choose one of the similar ideas or type an idea reference.
field-required-ids = Select at least one feedback item first.
field-required-action = Choose what to do with the selected items.
field-too_many-ids = Select at most 200 items at once.
field-out_of_range-customer_weight = Enter a whole number from 1 to 10.
field-out_of_range-weight = Enter a whole number from 1 to 10.
field-name-text = What was said
field-name-source = Source
field-name-customer = Customer
field-name-customer_weight = Customer weight
field-name-customer_segment = Customer segment
field-name-contact = Contact
field-name-tags = Tags
field-name-title = Title
field-name-new-title = Title
field-name-as_a = As a…
field-name-i_want = I want…
field-name-so_that = So that…
field-name-status = Status
field-name-owner_id = Owner
field-name-product_id = Product
field-name-new-product = Product
field-name-feedback_id = Feedback
field-name-excerpt = Excerpt
field-name-into = Idea that absorbs this one
field-name-reason = Reason
field-name-q = Search
field-name-weight = Weight
field-name-segment = Segment
field-name-ids = Selected items
field-name-action = Action
field-name-bulk-action = Action
field-name-observed_at = Date observed
field-name-idea = Idea
field-name-importance = Importance
field-name-assignee_id = Assignee
field-name-kind = Kind

## Flash messages
flash-feedback_captured = Feedback added to the inbox.
flash-feedback_processed = Marked as processed.
flash-feedback_archived = Archived.
flash-feedback_new = Moved back to new.
flash-feedback_assign_me = Assigned to you.
flash-feedback_move = Moved to the product.
flash-feedback_saved = Feedback saved.
flash-feedback_deleted = Feedback deleted.
flash-evidence_added = Linked to the idea.
flash-evidence_removed = Link removed.
flash-idea_created = Idea created.
flash-idea_created_from_feedback = Idea created from the feedback, which is kept as its evidence. Now write its story.
flash-idea_saved = Idea saved.
flash-idea_merged = Ideas merged: the evidence and votes are now on this idea.
flash-customer_saved = Customer saved.

## Inbox
inbox-title = Inbox
inbox-product-title = Inbox — { $product }
inbox-lead = Everything people told the team, to be triaged: link what matters to ideas, archive the rest.
inbox-all-products = All products
inbox-states = Feedback by state
inbox-list-label = { $state } feedback
inbox-filters = Filters
inbox-filters-on = active
inbox-empty-title = Nothing here
inbox-empty-new = No new feedback: everything has been triaged.
inbox-empty-processed = No processed feedback yet.
inbox-empty-archived = No archived feedback.
inbox-empty-filtered = No feedback matches these filters.
inbox-unknown-customer = No customer is named “{ $name }”. Pick a name from the suggestions, or clear the customer filter.
capture-title = Capture feedback
capture-more = More details
capture-shortcut = Ctrl+Enter saves.
bulk-label = With the selected items
bulk-product = Product (to move them)
bulk-assign-me = Assign to me
bulk-move = Move to the product
bulk-to-new = Move back to new
bulk-to-processed = Mark as processed
bulk-to-archived = Archive
shortcuts-title = Keyboard:
shortcut-move = move
shortcut-open = open
shortcut-select = select
shortcut-archive = archive
shortcut-link = link to an idea
shortcut-capture = capture

## Feedback page
feedback-title = Feedback
feedback-from = Feedback from { $customer }
feedback-said = What was said
feedback-details = Details
feedback-supports = Ideas it supports
feedback-supports-none = This feedback supports no idea yet.
feedback-edit-title = Edit feedback
feedback-conflict-title = Someone else changed this feedback
feedback-delete-title = Delete
feedback-delete-text = The feedback and its links to ideas are removed; the ideas' figures follow. This cannot be undone.
link-title = Link to an idea
similar-ideas = Similar ideas
similar-from-feedback = Ideas of this product that resemble the feedback, most similar first.
similarity = { $percent } % similar
selection-empty = Select a passage of the feedback first.
selection-used = The excerpt now holds your selection.
idea-from-feedback-title = Create an idea from this feedback
idea-from-feedback-lead = The feedback becomes the idea's first evidence; you then write its story.
customer-unknown = No customer

## Ideas
ideas-title = Ideas — { $product }
ideas-lead = The product's backlog, each idea a user story with the evidence behind it.
ideas-empty-title = No idea to show
ideas-empty-text = Write the first idea, or create one from feedback in the inbox.
ideas-empty-filtered = No idea matches these filters.
count-ideas = { $count ->
    [one] { $count } idea
   *[other] { $count } ideas
}
col-reference = Reference
col-title = Title
col-evidence = Evidence
col-customers = Customers
col-demand = Demand
col-votes = Votes
col-owner = Owner
col-tags = Tags
col-field = Field
col-change = Change
col-updated = Updated
demand-explained = Demand = Σ importance (1 nice to have, 2 important, 3 critical) × customer weight (1 to 10; 1 when no customer is known).
idea-new-title = New idea — { $product }
idea-edit-title = Edit { $reference }
idea-conflict-title = Someone else changed this idea
story-legend = User story
story-none = No story written yet.
story-part-missing = not written yet
hints-title = Story advice
hints-start = Advice on the story appears here as you write it.
hints-none = The story reads well: a role, a need and its benefit.
similar-while-typing = Similar ideas already exist:
hint-title_missing = Give the idea a title.
hint-missing_role = Say who has the need (“As a…”).
hint-generic_role = The role names nobody in particular: say which user has the need, e.g. “accountant closing the month”.
hint-missing_want = Say what this person wants (“I want…”).
hint-vague_verb = “{ $word }” is vague: say what the person will be able to do.
hint-missing_benefit = Say the benefit (“so that…”): it is required before the idea leaves the draft status.
hint-benefit_repeats_want = The benefit repeats the want: say what changes for the person once it is done.
hint-want_too_long = “I want…” has { $chars } characters (more than { $max }): it may hold several needs; split the idea.
hint-story_too_long = The story has { $chars } characters (more than { $max }): keep it to a card read at a glance; details go in the description.

## Idea page
idea-merged-notice = This idea was merged into
idea-about = About
idea-gone = An idea that no longer exists
figures-title = Figures
demand-line = Demand { $demand } = Σ importance × customer weight: { $terms }
demand-line-empty = Demand { $demand }: no evidence yet.
demand-weights = Importance counts 1 (nice to have), 2 (important) or 3 (critical); a customer weighs 1 to 10, and 1 when none is known.
evidence-title = Evidence
evidence-none = No feedback supports this idea yet. Link some from the inbox.
merged-here-title = Merged into this idea
merged-by = merged by { $who } on { $date }
history-title = History
history-none = No change since it was created on { $date }.
change-field-title = Title
change-field-as_a = As a…
change-field-i_want = I want…
change-field-so_that = So that…
change-field-description = Description
change-field-status = Status
change-field-owner = Owner
change-field-merged_from = Merged idea
change-field-tags = Tags
merge-title = Merge into another idea
merge-lead = For a duplicate: its evidence and votes move to the idea that absorbs it, and this one then points there. The merge is recorded with who and why.

## Search
search-title = Search
search-title-for = Search: { $query }
search-lead = Feedback and ideas of every product, in French and English.
search-count = { $count ->
    [one] { $count } result for “{ $query }”
   *[other] { $count } results for “{ $query }”
}
search-none-title = No result
search-none-text = Try other words, fewer words, or another product.

## Customers
customers-title = Customers
customers-lead = Organisations and people who give feedback, with their segment and weight.
customers-empty-title = No customer yet
customers-empty-text = Customers are created when feedback names them.
customers-weight-explained = A customer's weight (1 to 10) multiplies the importance of their feedback in each idea's demand.
count-customers = { $count ->
    [one] { $count } customer
   *[other] { $count } customers
}
customer-edit-title = Edit { $name }
