# The public portal (/p/{workspace}/{product}), its moderation by the team, the outbox of
# e-mails, and the e-mails themselves.

## The public pages

portal-account-label = Your account
portal-submit-action = Submit an idea
portal-signed-in-as = Signed in as { $name }
portal-sign-out = Sign out
portal-sign-in = Sign in
portal-powered = Powered by Phare
portal-ideas-title = Ideas
portal-sort-label = Order of the ideas
portal-sort-trending = Trending
portal-sort-top = Most voted
portal-sort-newest = Newest
portal-filter-label = Filter by status
portal-filter-all = All
portal-status-draft = Open
portal-status-under_consideration = Under consideration
portal-status-planned = Planned
portal-status-in_progress = In progress
portal-status-shipped = Shipped
portal-status-declined = Declined
portal-status-merged = Merged
portal-empty = No idea is published here yet. Be the first to suggest one.
portal-empty-filtered = No idea has this status yet.
portal-submit-first = Suggest an idea
portal-vote = Vote
portal-voted = Voted
portal-vote-label = Vote for “{ $title }”, { $count ->
    [one] { $count } vote so far
   *[other] { $count } votes so far
}
portal-unvote-label = Take back your vote for “{ $title }”, { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
portal-comment-count = { $count ->
    [0] No comments
    [one] { $count } comment
   *[other] { $count } comments
}
portal-more = Show more
portal-back-to-ideas = ← All ideas
portal-published-on = Published on { $date }
portal-follow = Follow this idea
portal-following = Following (stop)
portal-follow-hint = Followers get an e-mail when the status changes.
portal-sign-in-why = sign in to vote, comment and follow this idea.
portal-no-comments = No comments yet.
portal-team = Team
portal-more-comments = Show more comments
portal-comment-label = Your comment
portal-markdown-hint = Markdown works: **bold**, *italics*, lists, links.
portal-comment-action = Post the comment
portal-sign-in-to-comment = Sign in to comment
portal-someone = Someone
portal-submit-title = Suggest an idea
portal-submit-lead = Tell the team what you need and why. Others can vote for it once it is published.
portal-field-title = Your idea in one sentence
portal-field-title-hint = For example: “Export my invoices as PDF”.
portal-field-description = Details
portal-field-description-hint = What problem would it solve for you? Markdown works.
portal-honeypot = Leave this field empty
portal-submit-send = Send the idea
portal-submit-moderation = The team reads every idea before it is published.
portal-submit-sign-in = Sign in with your e-mail address to suggest an idea: we send you a one-time code, no password.
portal-sign-in-lead = We send a one-time code to your e-mail address. No password, no account to manage.
portal-field-display-name = Your name (optional)
portal-field-display-name-hint = Shown next to your comments and ideas. Your e-mail address is never shown.
portal-send-code = Send me a code
portal-code-title = Check your e-mail
portal-code-sent = If { $email } can receive e-mail, a 6-digit code is on its way. It is valid for 15 minutes.
portal-field-code = The 6-digit code
portal-field-code-hint = Five tries at most; then ask for a new code.
portal-code-action = Sign in
portal-code-again = Ask for a new code

portal-flash-voted = Thank you, your vote is counted.
portal-flash-unvoted = Your vote is taken back.
portal-flash-followed = You follow this idea: you will get an e-mail when its status changes.
portal-flash-unfollowed = You no longer follow this idea.
portal-flash-commented = Your comment is posted.
portal-flash-submitted = Thank you! Your idea is with the team, who will read it before it is published.
portal-flash-signed_in = You are signed in.
portal-flash-signed_out = You are signed out.

## Field errors

field-code_wrong = This code is not right. Check it and try again.
field-code_dead = This code has expired or was tried too many times. Ask for a new code.
field-invalid_code = Type the 6 digits of the code.
field-name-code = Code
field-name-display_name = Name
field-name-body = Comment
field-name-intro = Introduction
field-name-state = Visibility

## The team's pages

portal-admin-title = Public portal
portal-admin-lead = What end users see of this product: published ideas they vote and comment on, and their own suggestions waiting for you.
portal-live = Live
portal-off = Off
portal-open-public = Open the public portal
portal-settings-title = Settings
portal-field-enabled = The portal is open to the public
portal-field-enabled-hint = Its address is { $path }. Only ideas you publish appear there.
portal-field-portal-title = Title
portal-field-portal-title-hint = Leave empty to use the product’s name.
portal-field-intro = Introduction
portal-queue-title = Submissions waiting for moderation
portal-queue-empty = No submission is waiting.
portal-submitted-on = Submitted on { $date }
portal-published-title = On the portal
portal-published-empty = No idea is published or hidden yet. Open an idea’s portal page to publish it.
portal-col-title = Public title
portal-col-state = Visibility
portal-col-votes = Votes
portal-col-comments = Comments
portal-state-private = Private
portal-state-pending = Waiting for moderation
portal-state-published = Published
portal-state-hidden = Hidden
portal-state-hint-private = not on the portal
portal-state-hint-pending = submitted on the portal, not public yet
portal-state-hint-published = everyone can see, vote and comment
portal-state-hint-hidden = taken off the portal; votes and comments are kept
portal-latest-comments = Latest comments
portal-hidden = Hidden
portal-open-idea = open
portal-show-comment = Show again
portal-hide-comment = Hide
portal-moderate-title = On the public portal
portal-moderate-lead = The public sees only the public title, the public description, the status, the votes and the comments: never the story, owner, evidence, customers or history.
portal-not-live = This product’s portal is off: nothing is public until it is turned on.
portal-face-title = What the public sees
portal-face-lead = Write for end users: plain words, no internal names.
portal-field-public-title = Public title
portal-field-public-title-hint = Leave empty to use the idea’s title when publishing.
portal-field-public-description = Public description
portal-merge-title = Merge into another idea
portal-field-merge-into = The idea to keep
portal-field-merge-into-hint = Its reference, for example { $key }-12. Votes, comments and followers move to it.
portal-merge-action = Merge
portal-comments-title = Comments
portal-reply-label = Reply in the team’s name
portal-reply-hint = Shown on the portal with a “Team” badge. Markdown works.
portal-reply-action = Post the reply
portal-flash-portal_saved = The portal settings are saved.
portal-flash-portal_idea_saved = The idea’s public page is saved.
portal-flash-portal_replied = Your reply is on the portal.
portal-flash-portal_merged = The ideas are merged: votes, comments and followers are here now.
portal-flash-comment_hidden = The comment is hidden from the portal.
portal-flash-comment_shown = The comment is visible again.

## The outbox

outbox-title = Outbox
outbox-lead = Every e-mail Phare sends: sign-in codes of the portals and status notifications. Without an SMTP server they wait here, so nothing is lost: you may pass a code on by hand.
outbox-empty = No e-mail yet.
outbox-status-queued = Queued
outbox-status-sending = Sending
outbox-status-sent = Sent
outbox-status-failed = Failed
outbox-to = To { $email }
outbox-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
outbox-link = Outbox

## E-mails

mail-footer = Sent by the { $product } portal.
mail-code-subject = Your sign-in code for { $product }
mail-code-intro = Here is your code to sign in to the { $product } portal:
mail-code-gone = This e-mail carried a sign-in code, which is no longer kept.
mail-code-expiry = It is valid for { $minutes } minutes and can be used once.
mail-code-ignore = If you did not ask for it, ignore this e-mail.
mail-status-subject = “{ $title }” is now { $status }
mail-status-intro = The idea “{ $title }” on the { $product } portal went from { $old } to { $new }.
mail-status-link = See the idea
mail-status-rationale = Why we decided this:
mail-status-why = You receive this because you follow this idea.
