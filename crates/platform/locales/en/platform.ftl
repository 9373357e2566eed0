home-title = Home
home-lead = Residents and the local government meet here: petitions, participatory budget, polls, appeals and services in one place.
home-sections = Sections
home-settlements = Settlements of the community

login-title = Sign in
login-failed = Wrong e-mail or password.
login-no-account = No account yet?
forgot-link = Forgot your password?

field-email = E-mail
field-password = Password
field-password-confirm = Repeat the password
field-new-password = New password
field-full-name = Full name
field-settlement = Settlement
field-settlement-none = — not given —
field-birth-year = Year of birth
field-lang = Interface language
field-token-name = Token name
field-tax-number = Tax number (RNOKPP)
field-document-checked = I have checked the identity document
field-name-uk = Name in Ukrainian
field-name-en = Name in English
field-kind = Kind
field-starosta-district = Starosta district
field-coat-of-arms = Coat of arms image address
field-address = Address
field-phone = Phone
field-hours = Reception hours
field-slug = Short name for the address
field-host = Host name
field-host-primary = Make it the primary one

hint-full-name = As in your documents: answers to your appeals will be addressed to it.
hint-password = At least 10 characters. A phrase of several words is best.
hint-birth-year = Needed for votes with an age limit. For example, 1985.
hint-tax-number = 10 digits. The number itself is not stored, only a protected fingerprint of it.
hint-coat-of-arms = An https:// link or a path on this site starting with /.
hint-slug = Lowercase Latin letters, digits and hyphens, e.g. sievierodonetska.
hint-host = For example: gromada.example.ua

register-title = Register
register-lead = An account lets you sign petitions, vote, answer polls and write appeals.
register-have-account = Already have an account?

forgot-title = Reset your password
forgot-lead = Give the e-mail you registered with, and we will send a link to set a new password.
forgot-sent = If an account with that address exists, we have sent a link to it. It works for 2 hours.
forgot-submit = Send the link

reset-title = New password
reset-submit = Save the password

profile-title = My account
profile-unconfirmed = Please confirm { $email }: we have sent you a message with a link.
profile-resend = Send the message again
profile-level = Identity level
profile-verify-link = Raise the level
profile-roles = Roles
profile-edit = Personal details
profile-data = My data
profile-export = Download my data (JSON)
profile-tokens = API access tokens
profile-delete = Delete the account

save = Save
cancel = Cancel
delete = Delete
add = Add
search = Search
actions = Actions
nothing-found = Nothing found.
pagination = Pages
previous-page = Previous page
next-page = Next page

level-none = not verified
level-email = e-mail confirmed
level-phone = phone verified
level-eid = person verified (e-ID)

verify-title = Identity verification
verify-lead = Some actions, such as signing a petition or voting, are open only to verified persons. One person, one vote.
verify-levels = Identity levels
verify-level = Level
verify-how = How to get it
verify-status = Status
verify-how-email = Follow the link in the message we sent
verify-how-phone = Share your number in the community's chatbot
verify-how-eid = Sign in with ID.GOV.UA (Diia, BankID, a qualified e-signature) or show a document at the CNAP
verify-done = yes
verify-not-yet = not yet
verify-eid-button = Verify with ID.GOV.UA
verify-eid-unavailable = Sign-in with ID.GOV.UA is not set up in this community yet.
verify-in-person = You can also verify your identity at the CNAP: an administrator will check your document.

tokens-title = API access tokens
tokens-lead = A token lets scripts use the API on your behalf. Keep it like a password.
tokens-created = A new token was created. Copy it now; it will not be shown again:
tokens-list = Your tokens
tokens-created-at = Created
tokens-last-used = Last used
tokens-revoke = Revoke
tokens-new = New token
tokens-create = Create a token

delete-title = Delete the account
delete-lead = Your account and personal data will be deleted. This cannot be undone.
delete-failed = Wrong password.
delete-submit = Delete for good

devmail-title = Outgoing mail
devmail-lead = No mail server is configured (or this is a demo), so messages are kept here.
devmail-to = To
devmail-empty = No messages yet.

admin-menu = Administration sections
admin-dashboard = Overview
admin-users = Users and roles
admin-departments = Departments
admin-settlements = Settlements
admin-settings = Settings
admin-audit = Audit log
admin-your-roles = Your roles
stat-users = { $count ->
    [one] user
   *[other] users
}
stat-staff = { $count ->
    [one] role held
   *[other] roles held
}
stat-departments = { $count ->
    [one] department
   *[other] departments
}
stat-settlements = { $count ->
    [one] settlement
   *[other] settlements
}
admin-users-search = Search by name or e-mail
admin-users-list = Users
admin-registered = Registered
admin-staff = Officials
admin-verified-in-person = Identity checked at the CNAP
admin-verified-eid = Identity verified with e-ID
admin-roles = Roles
admin-role-held = held
admin-revoke = Revoke
admin-grant = Grant
admin-unassign = Remove
admin-assign = Assign
admin-verify-in-person = Identity check at the CNAP
admin-verify-in-person-lead = Check the passport or ID card and enter the tax number. The action is written to the audit log.
admin-verify-submit = Verify identity
admin-history = History
admin-departments-list = Departments of the community
admin-officers = Officials
admin-department-head = Head
flash-department-head-not-officer = Only an official of this department can head it.
admin-department-new = New department
admin-settlements-list = Settlements of the community
admin-settlement-new = New settlement

settings-details = About the community
settings-identity = Identity levels for actions
settings-identity-lead = Choose which identity level each action needs, as the community's statute says.
settings-no-actions = Modules have not added any actions that need verification yet.

audit-filter = Audit log filter
audit-action = Action
audit-actor = Who
audit-apply = Show
audit-list = Audit log entries
audit-when = When
audit-summary = Details

role-admin = community administrator
role-moderator = moderator
role-editor = site editor
role-department_officer = department officer
role-bot_operator = chatbot operator
role-cnap_staff = CNAP administrator

settlement-kind-city = city
settlement-kind-town = town
settlement-kind-village = village
settlement-kind-settlement = settlement

landing-title = Communities
landing-lead = An open e-democracy platform: petitions, participatory budget, polls, appeals, a website and a chatbot for every community.
landing-communities = Communities on the platform
landing-none = No communities yet.

platform-login-title = Sign in for platform operators
platform-communities = Communities
platform-hosts = Host names
platform-status = Status
platform-enabled = running
platform-disabled = switched off
platform-community-new = New community
platform-operators = Platform operators
platform-operator-new = New operator
platform-address = Address
platform-disable = Switch the community off
platform-enable = Switch the community on
platform-primary = primary
platform-alias = alias
platform-no-hosts = No host of its own; the community is reached at /c/{ $slug }/

flash-registered = Your account was created. We have sent a message to confirm your e-mail.
flash-email-confirmed = Your e-mail is confirmed.
flash-link-invalid = The link is not valid or has expired.
flash-confirmation-sent = The confirmation message was sent again.
flash-signed-in = You are signed in.
flash-signed-out = You are signed out.
flash-password-changed = Your password was changed. Sign in with the new one.
flash-profile-saved = Saved.
flash-account-deleted = Your account was deleted.
flash-token-revoked = The token was revoked.
flash-eid-failed = Identity verification with ID.GOV.UA failed. Please try again.
flash-eid-no-tax-number = ID.GOV.UA did not pass a tax number, so the identity was not verified.
flash-person-taken = This person already has a verified account in the community. Sign in to it or contact the CNAP.
flash-eid-verified = Your identity was verified with ID.GOV.UA.
flash-role-granted = The role was granted.
flash-role-revoked = The role was revoked.
flash-cannot-revoke-own-admin = You cannot revoke your own administrator role.
flash-verified-in-person = The identity was verified.
flash-saved = Saved.
flash-deleted = Deleted.
flash-settlement-in-use = Residents live in this settlement, so it cannot be deleted.

invalid-full_name = Give a name of 2 to 200 characters.
invalid-email = Give a valid e-mail address, like name@example.com.
invalid-password = The password needs at least 10 characters.
invalid-password_confirm = The passwords do not match.
invalid-birth_year = Give the year of birth in four digits, from 1900 to this year.
invalid-settlement_id = Choose a settlement from the list.
email-taken = This address is already registered. Sign in or reset the password.
invalid-token-name = Give the token a name of up to 100 characters.
invalid-document_checked = Confirm that you have checked the document.
invalid-tax_number = The tax number has 10 digits.
person-taken = This person already has a verified account in the community.
invalid-name_uk = Give a name of at least 2 characters.
invalid-kind = Choose a kind from the list.
invalid-coat_of_arms = The link must start with https:// or /.
invalid-slug = Lowercase Latin letters, digits and hyphens only, 2 to 63 characters.
slug-taken = This short name is taken.
invalid-host = Give a host name, like gromada.example.ua.
host-taken = This host name belongs to another community.

mail-confirm-subject = Confirm your e-mail — { $community }
mail-confirm-body =
    Hello, { $name }!

    To confirm your e-mail address on the site of { $community }, follow this link:
    { $link }

    The link works for 3 days. If you did not register, just ignore this message.
mail-reset-subject = Password reset — { $community }
mail-reset-body =
    Hello, { $name }!

    To set a new password on the site of { $community }, follow this link:
    { $link }

    The link works for 2 hours. If you did not ask for a new password, ignore this message: your password stays the same.

gate-api-tokens = Creating API access tokens
admin-idp = Internally displaced person
admin-idp-since = registered in the community (recorded { $date })
admin-idp-title = Certificate of an internally displaced person
admin-idp-lead = If the person showed an IDP certificate registered in this community, record it: the statute may count such people as residents. The action is logged.
admin-idp-record = IDP certificate checked
admin-idp-withdraw = Withdraw the IDP mark
