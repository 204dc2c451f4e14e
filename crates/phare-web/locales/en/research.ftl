# Research: personas, competitors and "how do we compare", research notes and their passages.

## Navigation and actions
nav-personas = Personas
nav-competitors = How do we compare
nav-notes = Research notes
action-product-personas = Personas
action-product-competitors = Competitors
action-product-notes = Research notes
action-new-persona = New persona
action-create-persona = Create persona
action-delete-persona = Delete this persona
action-link-persona = Link
action-unlink-persona = Unlink the persona { $name }
action-new-competitor = Add a competitor
action-create-competitor = Add the competitor
action-delete-competitor = Delete this competitor
action-open-competitor = Strengths, weaknesses and ratings →
action-add-capability = Add the capability
action-remove-capability = Remove row
action-save-ratings = Save ratings
action-see-grid = See the whole grid
action-new-note = New research note
action-create-note = Create the note
action-all-notes = All research notes of the product
action-capture-passage = Capture the passage

product-sections-label = Product sections

## Counts
count-personas = { $count ->
    [one] { $count } persona
   *[other] { $count } personas
}
count-feedback = { $count ->
    [one] { $count } feedback item
   *[other] { $count } feedback items
}
count-notes = { $count ->
    [one] { $count } research note
   *[other] { $count } research notes
}

## Ratings of the comparison grid (an icon and always the word)
rating-have = Yes
rating-partial = Partly
rating-no = No
rating-none = Not rated
rating-have-means = has the capability.
rating-partial-means = covers part of it, or with limits.
rating-no-means = does not have it.
rating-none-means = nobody has rated this cell yet.

## Form labels and hints
field-label-goals = Goals
field-label-frustrations = Frustrations
field-label-website = Website
field-label-strengths = Strengths
field-label-weaknesses = Weaknesses
field-label-capability = Capability
field-label-our-rating = Rating of { $product }
field-label-rating = Rating
field-label-rating-of = Rating of { $name }
field-label-rating-note = Note (optional)
field-label-participant = Participant
field-label-persona = Persona
field-label-held-on = Date held
field-label-notes = Notes
field-label-passage = Passage
field-label-link-persona = Link a persona
persona-name-hint = A first name and a role people recognise, for example “Léa, office manager”.
persona-description-hint = Who this person is, their context, what they use the product for.
persona-goals-hint = What they want to achieve. Markdown is allowed.
persona-frustrations-hint = What gets in their way today. Markdown is allowed.
website-hint = A web address starting with https:// or http://.
strengths-hint = Where this competitor does better than us.
weaknesses-hint = Where it falls short. Markdown is allowed.
capability-name-hint = What a customer can do, for example “Export to PDF” or “Single sign-on”. An existing name changes our rating of it.
rating-note-hint = A few words shown in the cell, for example “PDF only”.
note-title-hint = For example “Interview — accounting team, Lyon”.
participant-hint = Who was interviewed; captured passages name them as the contact.
held-on-hint = The day of the interview; captured passages carry this date.
note-persona-hint = The persona this participant stands for; captured passages are linked to it.
note-persona-hint-none = This product has no persona yet: describe one to link captured passages to it.
notes-hint = What was said and observed. Passages of it can later become feedback.

## Field errors
field-invalid_url = Enter a web address starting with https:// or http://, without spaces.
field-unknown_persona = This persona does not exist in this product.
field-unknown_target = This idea or feedback item does not exist in the workspace.
field-rating_required = Choose a rating: yes, partly or no.
field-invalid_date-held_on = Enter a date such as 2026-03-31.
field-already_taken-persona-name = Another persona of this product already has this name.
field-already_taken-competitor-name = Another competitor of this product already has this name.
field-name-goals = Goals
field-name-frustrations = Frustrations
field-name-website = Website
field-name-strengths = Strengths
field-name-weaknesses = Weaknesses
field-name-ours = Our rating
field-name-ours_note = Note
field-name-participant = Participant
field-name-persona_id = Persona
field-name-held_on = Date held
field-name-notes = Notes
field-name-passage = Passage

## Flash messages
flash-persona_created = Persona created.
flash-persona_saved = Persona saved.
flash-persona_deleted = Persona deleted; the ideas and feedback it concerned are kept.
flash-persona_linked = Persona linked.
flash-persona_unlinked = Persona unlinked.
flash-competitor_created = Competitor added. Rate it on each capability below.
flash-competitor_saved = Competitor saved.
flash-competitor_deleted = Competitor deleted with its ratings.
flash-capability_saved = Capability saved in the grid.
flash-capability_removed = Capability removed with its ratings.
flash-ratings_saved = Ratings saved.
flash-note_created = Research note created. Select a passage of it to capture it as feedback.
flash-note_saved = Research note saved.

## Common
conflict-saved-summary = The version saved meanwhile
link-external = (another site)
research-created = Created
research-updated = Last changed

## Personas
personas-title = Personas — { $product }
personas-lead = The people the product is for: who they are, their goals and frustrations, and the ideas and feedback that concern them.
personas-empty-title = No persona yet
personas-empty-text = Describe the people you build for, then link them to ideas and feedback.
persona-kicker = Persona
persona-no-description = No description yet.
persona-none-written = Nothing written yet.
persona-new-title = New persona — { $product }
persona-edit-title = Edit { $name }
persona-form-lead = An archetype of user: one person the team can picture, with what they want and what frustrates them.
persona-ideas = Ideas for this persona
persona-ideas-none = No idea is linked to this persona yet.
persona-feedback = Feedback from this persona
persona-feedback-none = No feedback is linked to this persona yet.
persona-link-how = Ideas and feedback are linked to a persona from their own page; passages captured from a research note are linked to its persona.
persona-notes-title = Research notes
persona-notes-none = No recent research note was held with this persona.
persona-notes-recent = Among the product's { $count } most recent notes.
persona-delete-title = Delete
persona-delete-text = The persona and its links are removed; the ideas, feedback and research notes stay. This cannot be undone.
persona-panel-none = No persona linked yet.
persona-panel-product-none = This product has no persona yet.

## Competitors and the grid
grid-title = How do we compare — { $product }
grid-lead = The capabilities that matter to customers, for our product and each competitor.
grid-heading = Comparison grid
grid-caption = { $capabilities ->
    [one] { $capabilities } capability
   *[other] { $capabilities } capabilities
} compared across { $solutions } solutions: our product first, then each competitor.
grid-us = us
grid-legend = Legend
grid-scroll-hint = The grid is wider than the screen: scroll it sideways to see every competitor.
grid-no-capability = No capability yet: add the first one below, with our own rating.
grid-edit-how = To change a competitor's column, open the competitor; our own column is edited below.
grid-empty-title = Nothing to compare yet
grid-empty-text = Add the capabilities customers care about, with our rating, then the competitors you are compared with.
col-capability = Capability
competitors-title = Competitors
competitor-new-title = New competitor — { $product }
competitor-edit-title = Edit { $name }
competitor-no-website = No website given.
competitor-ratings-title = Capabilities compared with { $product }
competitor-ratings-lead = Only the rows you change are saved.
competitor-ratings-none = The grid has no capability yet.
competitor-delete-title = Delete
competitor-delete-text = The competitor and all its ratings are removed from the grid. This cannot be undone.
capability-add-title = Add a capability
capability-add-lead = A row of the grid, with our own rating; competitors are rated on their page.
capability-remove-explained = Removing a row removes its ratings for every competitor.
ours-title = Rate { $product }
ours-lead = Our own column of the grid. Only the rows you change are saved.

## Research notes
notes-title = Research notes — { $product }
notes-lead = User interviews and studies. Select a passage of a note to turn it into feedback linked to an idea.
notes-empty-title = No research note yet
notes-empty-text = Write down your next interview: who, when, what was said.
note-new-title = New research note — { $product }
note-edit-title = Edit { $title }
note-with = Interview with { $participant }
note-no-participant = No participant named
note-empty = No notes written yet.
note-written-by = Written by { $who } on { $date }
note-written-on = Written on { $date }
note-captured-title = Feedback from this interview
note-captured-how = Feedback with the source “user interview” given by { $participant } on { $date }: the passages captured here, and any other feedback recorded for the same person and day.
note-captured-how-anonymous = Feedback with the source “user interview” and no contact, dated { $date }: the passages captured here, and any other such feedback of that day.
note-captured-none = No passage captured yet.
passage-title = Capture a passage
passage-lead = Select a passage in the notes, then capture it as feedback from this interview.
passage-hint = What the participant said, in their words.
passage-selection-empty = Select a passage of the notes first.
passage-selection-used = The passage now holds your selection.
passage-idea-legend = Idea it supports (optional)
passage-idea-hint = Ideas of this product similar to the passage, most similar first.
passage-no-idea = None for now: capture the feedback only
passage-no-similar = No similar idea yet.
passage-persona = It will also be linked to the persona { $persona }.
passage-no-persona = This note names no persona: edit it to link its passages to one.
passage-captured-title = Passage captured
passage-captured-text = It is now feedback from the interview.
passage-captured-idea = It supports
passage-captured-persona = It is linked to the persona { $persona }.
