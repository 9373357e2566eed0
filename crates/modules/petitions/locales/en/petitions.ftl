petition-nav = Petitions
petition-admin-nav = Petitions: moderation and consideration
petition-gate-create = Creating a petition
petition-gate-sign = Signing a petition
petition-stat-moderation = { $count ->
    [one] petition awaits moderation
   *[other] petitions await moderation
}
petition-stat-collecting = { $count ->
    [one] petition is collecting signatures
   *[other] petitions are collecting signatures
}
petition-stat-consideration = { $count ->
    [one] petition under consideration
   *[other] petitions under consideration
}
petition-signatures = { $count ->
    [one] signature
   *[other] signatures
}
petition-list-title = E-petitions
petition-list-lead = A petition that gathers { $threshold } signatures within { $days } days must be considered by the council within 10 working days.
petition-new = Start a petition
petition-mine = My drafts and petitions in moderation
petition-public = Published petitions
petition-until = Collecting until { $date }
petition-none = No published petitions yet.
petition-new-lead = Describe the problem and what you ask for. Moderators review a petition within 2 working days; once published it has { $days } days to gather { $threshold } signatures.
petition-field-title = Title
petition-field-category = Topic
petition-field-body = Text of the petition
petition-hint-title = 10 to 200 characters: the demand in one sentence.
petition-hint-body = At least 50 characters. Markdown works: lists, **bold**, links.
petition-choose = — choose —
petition-save-draft = Save the draft
petition-author = Author
petition-count = Signatures
petition-of = of
petition-you-signed = You have signed this petition.
petition-sign = Sign the petition
petition-sign-needs = Signing needs the level: { $level }.
petition-sign-in-to-sign = Sign in to sign
petition-draft-hint = This is a draft: only you see it. When the text is ready, send the petition to moderation.
petition-submit = Send to moderation
petition-text = Text of the petition
petition-refused = Publication refused
petition-answer = Answer
petition-dates = Dates
petition-created = Created
petition-submitted = Sent to moderation
petition-moderation-due = Moderation decision due
petition-published = Published
petition-collection-ends = Collecting until
petition-consideration-due = To be considered by
petition-timeline = Timeline
petition-signers = Signers
petition-all-signers = All signers
petition-chain-head = Check hash of the list:
petition-signed-title = Petition signed
petition-signed-lead = Your signature under petition No. { $number } is saved. Signatures now: { $count }.
petition-receipt = Your receipt code:
petition-receipt-hint = Keep it: with this code you can check that your signature (No. { $seq }) is in the published list.
petition-back = Back to the petition "{ $title }"
petition-signer = Signer
petition-signed-at = Signed at
petition-chain-json = The signer list for verification (JSON)
petition-queue = Moderation queue
petition-overdue = overdue
petition-publish = Publish
petition-return = Return for changes
petition-refuse = Refuse publication
petition-refusal-reason = Ground
petition-refusal-explain = Explanation for the author
petition-queue-empty = No petitions await moderation.
petition-considering = Under consideration
petition-decision = Decision
petition-answer-text = Text of the answer
petition-publish-answer = Publish the answer
petition-considering-empty = No petitions under consideration.
petition-status-draft = draft
petition-status-submitted = in moderation
petition-status-returned = returned for changes
petition-status-collecting = collecting signatures
petition-status-refused = publication refused
petition-status-under_consideration = under consideration
petition-status-answered = answered
petition-status-fell_short = fell short
petition-status-passed_as_appeal = passed on as an appeal
petition-status-archived = archived
petition-category-roads = roads and lighting
petition-category-housing = housing and utilities
petition-category-environment = environment
petition-category-education = education
petition-category-social = social protection
petition-category-other = other
petition-refusal-duplicate = the same demand is already collecting signatures
petition-refusal-outside_competence = outside the council's competence
petition-refusal-prohibited_content = prohibited content
petition-refusal-missing_data = data missing
petition-decision-supported = supported
petition-decision-partly_supported = partly supported
petition-decision-not_supported = not supported
petition-flash-draft = The draft is saved.
petition-flash-submitted = The petition was sent to moderation.
petition-error-step-title = This step is not possible now
petition-error-step = The petition is already in another state; reload the page.
petition-error-refusal-needs-reason = Choose a ground and explain the refusal to the author.
petition-error-answer-needs-text = Choose a decision and write the answer (at least 20 characters).
petition-refused-not-collecting = This petition is not collecting signatures now.
petition-refused-period-over = The collection period is over.
petition-refused-under-age = The community's statute sets a minimum age for signing petitions, which you have not reached yet.
petition-refused-age-unknown = Give your year of birth in your profile: the statute limits the signers' age.
petition-refused-not-resident = Residents of the community may sign: give your settlement in your profile.
petition-refused-already-signed = You have already signed this petition.
petition-invalid-title = The title needs 10 to 200 characters.
petition-invalid-body = The text needs 50 to 10,000 characters.
petition-invalid-category = Choose a topic from the list.

petition-mail-published-subject = Petition No. { $number } is published — { $community }
petition-mail-published-body =
    Your petition "{ $title }" is published: collecting signatures has started.
    { $link }
petition-mail-refused-subject = Publication of petition No. { $number } refused — { $community }
petition-mail-refused-body =
    The moderators refused to publish the petition "{ $title }". The reason is on the petition's page:
    { $link }
petition-mail-returned-subject = Petition No. { $number } returned for changes — { $community }
petition-mail-returned-body =
    The moderators ask you to revise the petition "{ $title }". Change the text and send it again:
    { $link }
petition-mail-threshold-subject = Petition No. { $number } reached its signatures — { $community }
petition-mail-threshold-body =
    The petition "{ $title }" gathered the signatures it needed and goes to consideration, within 10 working days.
    { $link }
petition-mail-answered-subject = Answer to petition No. { $number } — { $community }
petition-mail-answered-body =
    An answer to the petition "{ $title }" is published:
    { $link }
petition-mail-fell-short-subject = Petition No. { $number } fell short — { $community }
petition-mail-fell-short-body =
    The period for signing the petition "{ $title }" is over without enough signatures. You can pass it on as an ordinary appeal:
    { $link }
petition-refused-already-signed-title = Already signed
petition-refused-not-collecting-title = Not collecting signatures
petition-settings = Petition rules of the statute
petition-settings-lead = The numbers the community's statute sets. New rules apply to petitions created after saving.
petition-rule-threshold = Signatures needed for consideration
petition-rule-collection-days = Collection period, calendar days
petition-rule-collection-days-hint = At most 90 days.
petition-rule-moderation-days = Moderation period, working days
petition-rule-consideration-days = Consideration period after the threshold, working days
petition-rule-min-age = Minimum age of signers, years (0: no limit)
petition-rule-residents-only = Only residents of the community may sign
petition-rule-accept-idp = Internally displaced persons registered in the community count as residents
petition-rule-addressee = Petitions are addressed to
petition-addressee-council = the council
petition-addressee-mayor = the mayor
petition-addressee-executive_committee = the executive committee
petition-invalid-threshold = From 1 to 1,000,000 signatures.
petition-invalid-collection_days = From 1 to 90 days.
petition-invalid-moderation_working_days = From 1 to 30 working days.
petition-invalid-consideration_working_days = From 1 to 60 working days.
petition-invalid-min_age = Give the age as a number from 0 to 120.
petition-edit = Edit the petition
petition-error-not-editable-title = The text can no longer change
petition-error-not-editable = Only a draft or a petition returned for changes can be edited.
petition-print = For the council: the petition and its signers (print)
petition-csv = Signer list (CSV)
petition-full-name = Full name
petition-threshold-reached = Reached its signatures
petition-filter = Choose petitions
petition-filter-status = Status
petition-filter-all = all
petition-filter-apply = Show
petition-sort = Order
petition-sort-newest = newest first
petition-sort-signed = most signed
petition-sort-ending = collection ending soon
petition-sort-relevance = best match
petition-search = Search
petition-search-found = Petitions with “{ $words }” in the title or text
petition-search-none = Nothing found. Try other or shorter words.
petition-similar-title = Similar petitions
petition-similar-lead = Such a petition may already exist. Signing it is often better than splitting the signatures.
petition-open-data = Open data on every published petition:
petition-count-refresh = Refresh
petition-rule-text = Rules for authors
petition-rule-text-hint = What the community's statute requires of a petition. Shown above the petition form. Markdown is allowed: paragraphs, lists, links.
petition-invalid-rules_text = The rules are too long: 20,000 characters at most.
petition-rules-title = How to file a petition
petition-rules-default-subject = The petition concerns a matter decided by the local council, the mayor or the executive committee.
petition-rules-default-content = It states what is asked and why, with no calls to violence, hatred or breaking the law, and no one else's personal data.
petition-rules-default-moderation = Moderators publish the petition or refuse it with a reason within { $days } working days.
petition-rules-default-consideration = A petition that gathers enough signatures is considered within { $days } working days and the answer is published.
petition-mail-passed-as-appeal-subject = Petition No. { $number } passed on as an appeal — { $community }
petition-mail-passed-as-appeal-body =
    The author of the petition "{ $title }", which did not gather enough signatures, passed it on as an ordinary appeal. It is to be considered under the Law "On citizens' appeals" within one month:
    { $link }
petition-pass-on-title = Pass on as an appeal
petition-pass-on-lead = The petition did not gather enough signatures. By law you may pass it on as an ordinary appeal: officials will consider it in the usual way, within one month, and answer you.
petition-pass-on = Pass the petition on as an appeal
petition-flash-passed-on = The petition was passed on as an appeal. Officials have been told.
petition-bursts = Signatures from one network
petition-bursts-lead = Networks (/24 for IPv4, /48 for IPv6) from which at least { $count } signatures of one petition came in the last day. A reason to look closer, not proof of abuse: a school or a CNAP hall shares one network too. Signers' own addresses are never kept.
petition-bursts-none = No such bursts in the last day.
petition-bursts-from-network = Signatures from the network
petition-bursts-all = All signatures in the same hours
petition-network = Network
petition-number = Petition
petition-ended = Ended
petition-ended-empty = No ended petitions outside the archive.
petition-archive = Archive
petition-files = Image and attachments (optional)
petition-files-attached = Already added; tick what should go:
petition-file-remove = Remove “{ $name }”
petition-field-image = Image
petition-hint-image = JPEG, PNG or WebP up to 15 MB. Where it was taken and with what device is removed.
petition-field-image-alt = Image description
petition-hint-image-alt = What it shows, for people who cannot see it. Required with an image.
petition-field-attachments = Attachments
petition-hint-attachments = PDF or images, at most { $count } files, each up to 20 MB.
petition-invalid-image-count = Add one image.
petition-invalid-image-alt = Describe what the image shows.
petition-invalid-attachment-count = Too many attachments: three at most.
petition-attachments = Attachments
petition-answer-document = Document of the answer
petition-answer-document-field = Document of the answer (optional)
petition-answer-document-hint = The signed document as PDF, or a scan as JPEG or PNG, up to 20 MB.
petition-author-under-age = The community's statute sets a minimum age for filing petitions, which you have not reached yet.
petition-author-age-unknown = Give your year of birth in your profile: the statute limits the authors' age.
petition-author-not-resident = Residents of the community may file petitions: give your settlement in your profile.

# In the chatbot
petition-bot-entry = Petitions
petition-bot-none = No petition is collecting signatures now.
petition-bot-all = All petitions on the website
petition-bot-collecting = Petitions collecting signatures:
petition-bot-more = More petitions
petition-bot-ends = Collecting until { $date }
petition-bot-sign = ✍️ Sign
petition-bot-open = Open on the website
petition-bot-back = Back to the petitions
petition-bot-signed = Signature No. { $seq } counted ({ $count } in all). Receipt code: { $receipt } — use it to find your signature in the public list.
petition-bot-check = Check the list of signatures
petition-widget-latest = Petitions collecting signatures
petition-widget-title = Petitions collecting signatures
petition-widget-count = Signatures: { $count } of { $threshold }
petition-widget-none = No petition is collecting signatures now.
petition-widget-all = All petitions
petition-search-kind = Petition
