about-nav = Contacts
about-title = About the community
about-office = Reception office
about-people = Whom to contact
about-departments = Departments
about-settlements = Settlements
about-settlement = Settlement
about-admin-nav = The "About" page
about-intro = Introduction
about-intro-uk = Text in Ukrainian
about-intro-en = Text in English
about-intro-hint = Markdown works: **bold**, lists, links.
about-add-person = Add a contact
about-role-uk = Position in Ukrainian
about-role-en = Position in English
about-invalid-role = Give a position of 2 to 200 characters.
about-invalid-intro = The text is too long: up to 20,000 characters.
about-stat-contacts = { $count ->
    [one] contact on the "About" page
   *[other] contacts on the "About" page
}
about-widget = Officials' contacts
about-widget-more = All contacts
about-photo = Photo
about-photo-hint = Optional. PNG, JPEG or WebP; metadata (the place it was taken, too) is removed.
