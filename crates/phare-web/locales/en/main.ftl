# Phare — English messages. Every key here must exist in fr/main.ftl too (a test checks).

## Shell
skip-to-content = Skip to content
nav-label = Main navigation
nav-home = Home
nav-products = Products
nav-product-lines = Product lines
nav-members = Members
nav-audit = Audit trail
nav-settings = Settings
nav-tokens = API tokens
footer-language = Language:
footer-api = API documentation
yes = yes

## Actions
action-login = Sign in
action-logout = Sign out
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-filter = Apply
action-archive = Archive
action-restore = Restore
action-revoke = Revoke
action-invite = Send invitation
action-new-product = New product
action-new-product-line = New product line
action-create-product = Create product
action-create-line = Create product line
action-delete-line = Delete this product line
action-save-raci = Save RACI
action-create-token = Create token
action-change-password = Change password
action-reset-password = Set new password

## Roles, titles, RACI
role-admin = Admin
role-product_manager = Product manager
role-contributor = Contributor
role-stakeholder = Stakeholder
role-viewer = Viewer
job-title-none = No job title
job-apm = Associate PM (APM)
job-pm = Product manager (PM)
job-senior_pm = Senior PM
job-staff_pm = Staff PM
job-principal_pm = Principal PM
job-group_pm = Group PM
job-director_of_product = Director of Product
job-cpo = Chief Product Officer (CPO)
raci-responsible = Responsible
raci-accountable = Accountable
raci-consulted = Consulted
raci-informed = Informed
raci-nobody = Nobody yet
raci-title = RACI
raci-empty = Nobody is in the RACI of this product yet.
raci-add-title = Add someone
field-label-add-email = E-mail of a member
field-label-raci-letter = As
raci-lead = Who is Responsible, Accountable, Consulted and Informed for this product. One person at most is accountable.
pm-model-business_expert = PM role held by a business expert
pm-model-it_project_lead = PM role held by an IT project lead
pm-model-shared = PM role shared (business expert and IT project lead)
pm-model-short-business_expert = Business expert
pm-model-short-it_project_lead = IT project lead
pm-model-short-shared = Shared
pm-role-label = PM role:
pm-model-hint = Who carries the product manager role on this product.

## Common columns and states
col-name = Name
col-key = Key
col-product-line = Product line
col-pm-model = PM role
col-status = Status
col-created = Created
col-expires = Expires
col-last-used = Last used
col-scopes = Scopes
col-actions = Actions
col-member = Member
col-role = Role
col-products = Products
col-when = When
col-actor = Who
col-action = Action
col-target = Target
col-outcome = Outcome
col-source = Source
col-detail = Detail
status-active = Active
status-archived = Archived
status-disabled = Disabled
pagination-label = Pages
pagination-next = Next page →
count-products = { $count ->
    [one] { $count } product
   *[other] { $count } products
}

## Forms
form-errors-title = Please correct the following
field-label-email = E-mail address
field-label-password = Password
field-label-current-password = Current password
field-label-new-password = New password
field-label-name = Name
field-label-your-name = Your name
field-label-workspace-name = Workspace name
field-label-job-title = Job title
field-label-time-zone = Time zone
field-label-work-start = Working day starts
field-label-work-end = Working day ends
field-label-language = Language
field-label-default-language = Default language
field-label-product-name = Product name
field-label-product-key = Key
field-label-product-line = Product line
field-label-pm-model = Product manager role
field-label-description = Description
field-label-line-name = Product line name
field-label-token-name = Token name
field-label-scope = Scope
field-label-expiry = Expiry
password-hint = At least 8 characters. Common passwords are refused.
time-zone-hint = An IANA name such as Europe/Paris or America/Montreal.
product-key-hint = 2 to 10 capital letters or digits, starting with a letter; prefixes references such as CHK-42.
language-browser = Same as my browser

## Field errors
form-error-item = { $field }: { $message }
field-name-name = Name
field-name-key = Key
field-name-description = Description
field-name-product_line_id = Product line
field-name-pm_model = Product manager role
field-name-email = E-mail address
field-name-password = Password
field-name-current_password = Current password
field-name-new_password = New password
field-name-workspace_name = Workspace name
field-name-time_zone = Time zone
field-name-work_start = Working day starts
field-name-work_end = Working day ends
field-name-locale = Language
field-name-default_locale = Default language
field-name-role = Role
field-name-job_title = Job title
field-name-disabled = Access
field-name-scopes = Scope
field-name-expires_in_days = Expiry
field-name-raci = RACI
field-name-add_email = Person to add
field-required = This field is required.
field-too_long = This text is too long.
field-invalid_characters = This text contains characters that are not allowed.
field-invalid_email = Enter an e-mail address such as name@example.org.
field-invalid_product_key = Use 2 to 10 capital letters or digits, starting with a letter.
field-invalid_slug = Use 2 to 40 lower-case letters, digits or hyphens.
field-invalid_time = Enter a time as HH:MM.
field-invalid_time_zone = Enter a time zone such as Europe/Paris.
field-password_too_short = The password must have at least 8 characters.
field-password_too_long = The password must have at most 128 characters.
field-password_too_common = This password is among the most common ones; choose another.
field-wrong_password = The current password is not correct.
field-already_taken = This value is already used.
field-cannot_change_self = You cannot change your own role or disable your own account.
field-one_accountable = Only one person can be accountable for a product.
field-too_many = Too many entries.
field-unknown_member = This member does not exist in the workspace.
field-unknown_product_line = This product line does not exist in the workspace.
field-scope_not_allowed = Only administrators can create tokens with the admin scope.
field-out_of_range = This value is out of range.
field-invalid_value = This value is not valid.
field-unknown_field = This field is not accepted.

## Errors (title and message per stable code)
error-go-home = Go to the home page
error-not_found-title = Page not found
error-not_found = What you are looking for does not exist, or you do not have access to it.
error-unauthenticated-title = Please sign in
error-unauthenticated = You need to sign in to continue.
error-forbidden-title = Access refused
error-forbidden = Your role does not allow this action. Ask an administrator if you need it.
error-invalid_credentials-title = Sign-in failed
error-invalid_credentials = The e-mail address or the password is not correct.
error-validation-title = Some information is missing or incorrect
error-validation = Please check the highlighted fields.
error-unknown_field-title = Unexpected field
error-unknown_field = The request contains a field that is not accepted.
error-duplicate-title = Already exists
error-duplicate = Something with the same value already exists.
error-version_conflict-title = Changed by someone else
error-version_conflict = This item was changed after you opened it. Reload it to see the latest version.
error-version_conflict-form = Someone saved this item while you were editing it. Your text is kept below; saving again will apply it over their change.
error-precondition_required-title = Version required
error-precondition_required = Send the version you edited (If-Match) so that no change is lost.
error-rate_limited-title = Too many attempts
error-rate_limited = Too many attempts in a short time. Please wait a few minutes and try again.
error-setup_already_done-title = Already set up
error-setup_already_done = Phare is already set up. Sign in instead.
error-setup_token_invalid-title = Setup link not valid
error-setup_token_invalid = This setup link is unknown, used or expired. Restart the server to print a new one.
error-invitation_invalid-title = Invitation not valid
error-invitation_invalid = This invitation is unknown, already used, revoked or expired. Ask for a new one.
error-bad_request-title = Bad request
error-bad_request = The request could not be understood.
error-payload_too_large-title = Too large
error-payload_too_large = What you sent is larger than the server accepts.
error-idempotency_mismatch-title = Key already used
error-idempotency_mismatch = This Idempotency-Key was already used for a different request.
error-unavailable-title = Temporarily unavailable
error-unavailable = The database cannot be reached right now. Please try again in a moment.
error-internal-title = Something went wrong
error-internal = An unexpected error happened. It has been logged; quote the request id to your administrator.

## Flash messages after an action
flash-setup_complete = Your workspace is ready. Sign in with the account you just created.
flash-invitation_accepted = Welcome! Your account is ready; sign in.
flash-logged_out = You are signed out.
flash-product_created = Product created.
flash-product_saved = Product saved.
flash-product_archived = Product archived.
flash-product_restored = Product restored.
flash-raci_saved = RACI saved.
flash-line_created = Product line created.
flash-line_saved = Product line saved.
flash-line_deleted = Product line deleted; its products are kept without a line.
flash-profile_saved = Profile saved.
flash-password_changed = Password changed. Your other sessions were signed out.
flash-token_revoked = Token revoked.
flash-member_saved = Member saved.
flash-password_reset = New password set. The member's sessions were signed out.
flash-invitation_revoked = Invitation revoked.
flash-settings_saved = Settings saved.

## Setup, login, invitations
setup-title = Set up Phare
setup-lead = Create your workspace and its first administrator. This link works once.
setup-workspace-hint = Your organisation or team, e.g. “Ville de Lyon — Digital services”.
setup-submit = Create the workspace
login-title = Sign in to Phare
login-forgot = Forgot your password? An administrator of your workspace can set a new one.
login-not-set-up = Phare is not set up yet. Open the setup link printed by the server when it started.
invitation-title = Join the workspace
invitation-lead = You are invited to { $workspace } as { $role }.
invitation-email = Your account will use { $email }.
invitation-submit = Create my account

## Home
home-welcome = Welcome, { $name }.
home-empty-title = No product yet
home-empty-text = Products hold ideas, roadmaps, releases and metrics. Group them in product lines when you have several.
stat-products = { $count ->
    [one] product
   *[other] products
}
stat-lines = { $count ->
    [one] product line
   *[other] product lines
}
stat-members = { $count ->
    [one] member
   *[other] members
}
line-no-products = No product in this line yet.

## Products
products-title = Products
products-lead = Everything your teams build, with who is responsible for what.
products-empty-title = No product to show
filter-show-archived = Show archived products
product-new-title = New product
product-edit-title = Edit { $name }
product-about = About
product-who = Who's who
product-line-none = No product line

## Conflict
conflict-title = Someone else changed this product
conflict-lead = While you were editing, another person saved a new version. Nothing is lost: compare and choose.
conflict-mine = Your version
conflict-theirs = Saved version
conflict-keep-mine = Save my version over theirs
conflict-keep-theirs = Keep the saved version

## Product lines
lines-title = Product lines
lines-lead = Portfolios grouping related products, each led by a group PM.
lines-empty-title = No product line yet
lines-empty-text = Create a line to group products, for example “Citizen services”.
line-new-title = New product line
line-edit-title = Edit { $name }
line-delete-title = Delete
line-delete-text = Products of this line are kept; they simply no longer belong to a line.

## Members
members-title = Members
members-lead = Everyone in the workspace, their role, job title and working hours.
invite-title = Invite someone
invitations-pending = Pending invitations
invitations-none = No pending invitation.
invitation-created-title = Invitation created
invitation-created-text = Send this link to the person (e-mail sending comes later). It works once and expires in 7 days.
member-local-time = { $time } local time
member-hours = Working hours
member-access = Role and access
member-access-label = Access
member-reset-password = Set a new password
member-reset-password-text = The member's sessions end; give them the new password through a safe channel.

## Profile and tokens
profile-title = Your profile
profile-details = Details
profile-password = Password
tokens-title = API tokens
tokens-lead = Personal access tokens let scripts and the command line act as you through the API.
token-new = New token
token-name-hint = What it is for, e.g. “CI export”.
token-created-title = Copy your new token now
token-created-once = It is shown only this once. Phare keeps only a hash of it.
tokens-yours = Your tokens
tokens-empty = You have no token yet.
token-active = Active
token-revoked = Revoked
token-expired = Expired
never-used = Never used
scope-all = Everything I can do
scope-read = Read only
scope-write = Read and write
scope-admin = Administration
expiry-30 = 30 days
expiry-90 = 90 days
expiry-365 = 1 year
expiry-never = Never

## Settings
settings-title = Workspace settings
settings-lead = Workspace address: { $slug }
default-language-hint = Used when a member has not chosen a language and their browser asks for neither French nor English.

## Audit
audit-title = Audit trail
audit-lead = Every change and security event, newest first. It cannot be edited.
audit-filter-action = Action starts with
audit-any-outcome = Any outcome
audit-since = From
audit-until = To
audit-empty = No event matches these filters.
outcome-success = Success
outcome-denied = Denied
outcome-failure = Failure
