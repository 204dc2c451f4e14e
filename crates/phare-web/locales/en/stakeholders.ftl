# Stakeholder prioritization sessions: groups and weights, sessions, ballots, results.

nav-sessions = Prioritization sessions
action-product-sessions = Prioritization sessions

## Stakeholder groups
stakeholder-group-management = Management
stakeholder-group-finance = Finance
stakeholder-group-marketing = Marketing
stakeholder-group-tech = Tech
stakeholder-group-design = Design
stakeholder-group-business = Business
stakeholder-group-removed = (removed group)
groups-title = Stakeholder groups
groups-lead = Each invited stakeholder answers for a group. A group's weight is its voice in the weighted ranking: a group of weight 2 counts twice as much as a group of weight 1.
groups-empty-title = No stakeholder group yet
groups-empty-text = Start with the six usual groups (management, finance, marketing, tech, design, business), then rename them or change their weights.
action-add-default-groups = Add the six default groups
groups-table-caption = Groups and their weights
sh-col-group = Group
sh-col-weight = Weight
group-default-badge = default
field-label-group-name = Name
action-save-group = Save { $group }
action-remove-group = Remove { $group }
groups-weight-hint = A default group left without a name keeps its translated name. A group can be removed only while no session invitation uses it.
groups-weight-range = From 0.1 to 100.
groups-add-title = Add a group
action-add-group = Add the group
field-name-new_name = Name of the new group
field-name-new_weight = Weight of the new group
field-group_weight_out_of_range = The weight must be a number from 0.1 to 100.
field-group_in_use = This group is used by a session invitation: it cannot be removed.
flash-group_created = The group was added.
flash-groups_seeded = The default groups were added.
flash-group_saved = The group was saved.
flash-group_deleted = The group was removed.

## Sessions
sessions-title = Prioritization sessions — { $product }
sessions-lead = Bring the stakeholders to say what matters to them, idea by idea, beside the facts. Each answers privately; the results show the weighted ranking, each group's ranking and where the groups disagree.
sessions-lead-invited = The sessions you are invited to answer.
action-new-session = New session
sessions-empty-title = No session yet
sessions-empty-text = Prepare a session on a few ideas, invite the stakeholders, open it, then close it to see the results.
sessions-empty-text-invited = You are invited to no session of this product.
sh-col-session = Session
sh-col-method = Method
sh-col-state = State
sh-col-deadline = Deadline
sh-col-ideas = Ideas
session-method-points = 100-point allocation
session-method-ranking = Ranking
session-method-moscow = MoSCoW vote
session-method-explain-points = Share 100 points among the ideas: more points for what matters more to you. You need not use them all.
session-method-explain-ranking = Put every idea in order, the most important first.
session-method-explain-moscow = Say for each idea whether it is a must have, a should have, a could have or a won't have this time.
session-state-draft = Draft
session-state-open = Open
session-state-closed = Closed
session-new-title = New prioritization session — { $product }
session-new-lead = The session starts as a draft: invite the stakeholders, then open it. Nobody can answer a draft.
field-label-session-title = Title
session-title-hint = For example "Priorities for the first quarter".
field-label-session-description = Introduction for the stakeholders
session-description-hint = Optional: the context, what will be decided with the results.
field-label-method = Method
session-method-hint = How each stakeholder answers.
field-label-deadline = Deadline
session-deadline-hint = Answers are refused after this moment (your time zone: { $zone }).
field-label-session-ideas = Ideas
session-ideas-hint = Choose at least two ideas of the product (the most recent are listed).
session-no-ideas = This product has no idea yet.
action-create-session = Prepare the session
field-name-method = Method
field-name-deadline = Deadline
field-name-member_id = Member
field-name-group_id = Group
field-deadline_in_the_past = This moment has already passed.
field-session_too_few_ideas = Choose at least two ideas.
field-session_too_many_ideas = A session holds at most 500 ideas.
field-unknown_idea-idea_ids = One of the ideas is not an idea of this product.
field-unknown_method = Choose one of the three methods.
field-unknown_stakeholder_group = This group does not exist.
field-too_many_invitations = At most 500 invitations at once.
field-session_not_draft = The session is already open.
flash-session_created = The session was prepared. Invite the stakeholders, then open it.
flash-stakeholder_invited = The stakeholder was invited.
flash-session_opened = The session is open: the invited stakeholders can answer until the deadline.
flash-session_closed = The session is closed and its results computed.

## The session page
session-deadline-is = Deadline: { $deadline }
action-my-ballot = My ballot
action-see-results = See the results
session-answered-of = { $count ->
    [one] of 1 invited stakeholder answered
   *[other] of { $count } invited stakeholders answered
}
session-open-title = Open the session
session-open-text = Once open, the invited stakeholders can answer until the deadline.
action-open-session = Open the session
session-close-title = Close the session
session-close-text = Closing computes the results. Ballots can no longer change afterwards, even before the deadline.
action-close-session = Close and compute the results
session-closed-title = Closed
session-closed-text = The ballots are final and the results computed.
session-changed-meanwhile = The session changed since this page was shown (someone opened or closed it). The page now shows it as it is.
session-invited-title = Invited stakeholders
session-invited-lead = You see who answered, not what: each ballot stays private. Only the aggregated results are shown, after the close.
session-nobody-invited = Nobody is invited yet.
sh-col-answered = Answered
answered-yes = Answered
answered-not-yet = Not yet
field-label-invite-member = Member to invite
field-label-invite-group = For the group
sh-choose-member = Choose a member
sh-choose-group = Choose a group
action-invite-stakeholder = Invite
session-groups-link = Stakeholder groups and their weights
session-ideas-title = { $count ->
    [one] 1 idea
   *[other] { $count } ideas
}

## Facts shown beside each idea
facts-story = Story
facts-no-story = Not written as a story yet
facts-as-a = As a
facts-i-want = I want
facts-benefit = Benefit
facts-no-benefit = No benefit stated
facts-evidence = Evidence
facts-customers = Distinct customers
facts-score = Current score
facts-not-scored = not scored

## The ballot
ballot-title = My ballot — { $session }
ballot-saved-at = saved { $at }
ballot-private = Your answer is private: nobody sees another stakeholder's ballot. The product manager sees only whether you answered; the results are aggregated by group.
ballot-moved-not-saved = The order changed. It is not saved yet: save your ballot to keep it.
ballot-points-left = Points left: { $left } of { $budget }
ballot-points-label = Points for { $idea }
action-move-up = Move { $idea } up
action-move-down = Move { $idea } down
ballot-moscow-legend = Your vote on { $idea }
moscow-must = Must have
moscow-should = Should have
moscow-could = Could have
moscow-wont = Won't have
action-save-ballot = Save my ballot
ballot-changed-meanwhile = Your ballot was saved from another window meanwhile. The page now shows that saved ballot; change it and save again if needed.
field-negative_points = Points cannot be negative.
field-over_budget = More than 100 points on one idea.
field-over_budget-points = Your points add up to more than 100: take some back.
field-points_not_a_number = Type a whole number of points.
field-repeated_idea = This idea appears twice.
field-repeated_idea-ranking = The ranking names an idea twice.
field-missing_idea = An idea of the session is missing.
field-missing_idea-ranking = The ranking must hold every idea of the session.
field-unknown_idea-ranking = The ranking names an idea that is not in the session.
field-unknown_idea-points = This idea is not in the session.
field-unknown_idea-moscow = This idea is not in the session.
field-required-moscow = Choose a category for this idea.
field-session_not_open = The session is not open yet: answers are accepted once the product manager opens it.
field-session_closed = The session is closed: answers can no longer be sent or changed.
field-deadline_passed = The deadline has passed: answers are no longer accepted.
flash-ballot_saved = Your ballot was saved. You can change it until the deadline.

## Results
results-title = Results — { $session }
results-closed-at = closed { $at }
action-print-results = Printable page
action-results-csv = Download CSV
action-results-csv-semicolon = CSV for French spreadsheets (;)
action-back-to-results = Back to the results
results-print-hint = Use your browser's Print command.
results-pending-title = No results yet
results-pending-text = The results appear once the product manager closes the session. Until then every ballot stays private.
results-ballots-of = { $invited ->
    [one] ballots counted, of 1 invited
   *[other] ballots counted, of { $invited } invited
}
results-ballots = Ballots
results-ideas = ideas ranked
results-disputed-count = disputed ideas, to discuss
results-disputed-title = To discuss: where the groups disagree
results-disputed-lead = The ideas on which the groups' scores are the most spread out (the standard deviation of the groups' scores, out of 100). Worth a conversation before deciding.
results-disputed-none = The groups broadly agree: no idea stands out as disputed.
results-disputed-badge = Disputed
results-disagreement-is = disagreement { $value }
results-group-rank-line = { $group }: #{ $rank }
results-rank-short = #{ $rank }
results-chart-title = Weighted score of each idea
results-chart-desc = A bar per idea, in the order of the weighted ranking, its length the weighted score out of 100. The table "Weighted ranking" below gives the same figures.
results-chart-caption = Disputed ideas are marked ⚑. The table below gives every figure of the chart.
results-ranking-title = Weighted ranking
results-ranking-lead = The groups' scores weighted by the groups' weights, out of 100.
results-by-group-title = Ranking per group
results-by-group-lead = Each group's rank of each idea, and the group's score out of 100 in brackets.
results-no-ballot = no ballot from this group
results-weights-title = Groups, weights and ballots
results-method-note = How it is computed: each ballot gives every idea a score from 0 to 1 (its share of the points; its place in the ranking; must 1, should 2/3, could 1/3, won't 0); a group's score is the mean of its ballots; the weighted score is the mean of the groups' scores weighted by their weights. Scores are shown out of 100.
results-col-rank = Rank
results-col-reference = Reference
results-col-title = Title
results-col-idea = Idea
results-col-score = Weighted score
results-col-disagreement = Disagreement
results-col-disputed = Disputed
results-col-group-rank = { $group } — rank
results-col-group-score = { $group } — score
results-disputed-yes = yes
results-disputed-no = no
