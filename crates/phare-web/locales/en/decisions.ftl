# Decisions (issue #4): the decision log, deciding from an idea, "My inbox".

nav-decisions = Decisions
nav-my-inbox = My inbox
action-product-decisions = Decisions
action-decide = Record a decision
action-record-decision = Record the decision
action-mark-read = Mark read
action-mark-all-read = Mark all read
flash-decision-recorded = The decision is recorded.
flash-notification-read = Marked read.
flash-notifications-read = All marked read.

decision-kind-accept = Accept
decision-kind-decline = Decline
decision-kind-defer = Defer
decision-kind-merge = Merge

decisions-title = Decisions of { $product }
decisions-lead = Every decision taken on this product's ideas, with why, what was weighed and who took part. Decisions are never edited: a later decision supersedes an earlier one.
decisions-filter-label = Filter the decisions
decisions-search-label = Search the rationales
decisions-empty-title = No decision yet
decisions-empty-text = Decisions are recorded from an idea's page: accept, decline, defer or merge it, and say why.
decisions-empty-filtered = No decision matches these filters.
count-decisions = { $count ->
    [one] 1 decision
   *[other] { $count } decisions
}
col-decided-at = Date
col-decision = Decision
col-ideas = Ideas
col-rationale = Rationale
col-decided-by = Decided by
decision-until-short = until { $date }

decision-title = Decision: { $kind }
decision-byline = Decided on { $date } by { $name }
decision-facts = The decision
decision-no-public = Nothing of this rationale is public.
decision-merged-into = Merged into
decision-later-title = Later decisions that supersede or follow this one
decision-links = What was weighed
decision-no-links = No evidence, session or earlier decision is linked.
decision-link-decision = An earlier decision
decision-link-evidence = Evidence item
decision-link-session = Prioritization session

idea-decisions-heading = Decisions
idea-decisions-open = See the decisions about this idea
idea-decisions-title = Decisions about { $reference }
idea-decisions-none = No decision has been recorded on this idea yet.
decide-shortcut = Shortcut: Alt+D (Alt+Shift+D in Firefox).

decide-title = Decide on { $reference }
decide-lead = Say what is decided and why. Accepting plans the idea, declining declines it, deferring brings it back to its owner on the date you give, merging moves its evidence, votes and followers to the idea you keep.
decide-kind-hint = Each choice shows the status the idea takes.
decide-rationale-hint = Why: the facts, the trade-off, who asked. Kept in the decision log.
decide-public-hint = Optional. What the idea's followers on the public portal are told when its status changes (Markdown).
decide-defer-legend = When deferring: until a date, or a condition (at least one)
decide-until-hint = The idea comes back to its owner's inbox on this day.
decide-condition-hint = For example: once the new billing is live.
decide-merge-legend = When merging
decide-links-summary = Evidence, earlier decisions, people consulted, sessions
decide-no-evidence = This idea has no evidence yet.
decide-sessions-hint = Ids of prioritization sessions, separated by commas.

field-label-decision-kind = Decision
field-label-rationale = Rationale
field-label-public_rationale = Public part of the rationale
field-label-until = Until
field-label-condition = Condition
field-label-consulted = People consulted
field-label-decided_by = Decided by
field-label-from = From
field-label-to = To
field-label-evidence_ids = Evidence weighed
field-label-decision_ids = Earlier decisions this one follows or supersedes
field-label-session_ids = Prioritization sessions

field-name-rationale = Rationale
field-name-public_rationale = Public part of the rationale
field-name-until = Until
field-name-condition = Condition
field-name-idea_ids = Ideas
field-name-evidence_ids = Evidence
field-name-decision_ids = Earlier decisions
field-name-session_ids = Prioritization sessions
field-name-consulted = People consulted
field-name-from = From
field-name-to = To
field-name-decided_by = Decided by

field-required-kind = Choose accept, decline, defer or merge.
field-required-rationale = Say why: a decision needs a rationale.
field-unknown_kind = Choose accept, decline, defer or merge.
field-defer_needs_date_or_condition = A deferral needs a date or a condition.
field-date_in_past = This date is in the past.
field-only_when_deferring = Only a deferral has a date or a condition.
field-only_when_merging = Only a merge names an idea to keep.
field-other_product = The ideas of one decision must all be of the same product.
field-unknown_reference = One of these is not in the workspace.
field-before_start = The end comes before the start.

my-inbox-title = My inbox
my-inbox-lead = What comes back to you: ideas whose deferral date has come.
my-inbox-unread = { $count ->
    [one] 1 unread
   *[other] { $count } unread
}
my-inbox-new = New
my-inbox-empty-title = Nothing for you
my-inbox-empty-text = When an idea you own was deferred until a date, it comes back here on that day.
notification-deferred-returned = Deferred until { $date }, back today:
