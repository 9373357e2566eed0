booking-nav = Appointments
booking-title = Book an appointment
booking-lead = Choose a CNAP service or a doctor, a day and a time. You will get a code to show when you come.
booking-none = Nothing can be booked yet.
booking-kind-cnap = CNAP
booking-kind-doctor = Doctors
booking-about-service = about the service
booking-days = Days
booking-free = { $count ->
    [0] none free
    [one] { $count } free time
   *[other] { $count } free times
}
booking-times = Free times on { $date }
booking-taken = taken
booking-no-free = No free times. Try later: new days open every day.
booking-moving = Choose the new time — your current booking is cancelled once you confirm the new one.
booking-confirm-title = Confirm the booking
booking-what = What
booking-when = When
booking-where = Where
booking-cancel-rule = You can cancel or move the booking up to { $minutes } min before it starts.
booking-confirm = Book
booking-other-time = Another time
booking-booked = You are booked. The code to show is in your list of bookings.
booking-mine = My bookings
booking-book-another = Book another
booking-code = Code
booking-move = Move
booking-cancel = Cancel the booking
booking-cancelled = The booking is cancelled.
booking-too-late-to-change = This booking can no longer be changed; if you cannot come, please call.
booking-no-visits = You have no bookings yet.
booking-status-booked = expected
booking-status-arrived = arrived
booking-status-served = served
booking-status-no_show = did not come
booking-status-cancelled = cancelled
booking-refused-past = That time has passed.
booking-refused-too-far = Booking for that day has not opened yet.
booking-refused-no-slot = There is no such time in the schedule.
booking-refused-taken = Somebody has just taken that time. Please choose another.
booking-refused-already = You already have a booking here. Move or cancel it to book again.
booking-refused-too-late = The booking can no longer be changed.
booking-action-cnap = Booking a CNAP visit
booking-action-doctor = Booking a doctor
booking-weekday-0 = Mon
booking-weekday-1 = Tue
booking-weekday-2 = Wed
booking-weekday-3 = Thu
booking-weekday-4 = Fri
booking-weekday-5 = Sat
booking-weekday-6 = Sun
booking-admin-nav = Appointments and queue
booking-find-code = Find a booking by its code
booking-find-code-hint = The code the visitor shows, e.g. AK3MXT.
booking-code-found = Booking found.
booking-code-unknown = No booking has that code.
booking-new-resource = Add a window or a doctor
booking-inactive = off
booking-settings = Settings
booking-queue = The day's queue
booking-field-name = Name, or the doctor's full name
booking-field-name-hint = For example: "Passport services (window 3)" or "Olena Ivanenko".
booking-field-specialty = The doctor's specialty
booking-field-place = Clinic or CNAP
booking-field-service = Service number in the catalogue
booking-field-service-hint = Optional: links the service's page.
booking-field-slot = Length of a visit, min
booking-field-horizon = How many days ahead booking opens
booking-field-cancel = Cancel at the latest, min before
booking-field-active = Takes bookings
booking-week = Weekly hours
booking-week-hint = For example: 08:00-12:00, 13:00-17:00. Empty means closed. Closed on public holidays unless a day is added below.
booking-exceptions = Days that differ
booking-exception-hint = The day's hours; empty means closed.
booking-field-day = Date
booking-field-hours = Hours
booking-field-note = Note
booking-closed = closed
booking-invalid-kind = Choose the kind.
booking-invalid-name = The name takes 2 to 200 characters.
booking-invalid-place = Give the clinic or office, 2 to 200 characters.
booking-invalid-service = The service number is a positive whole number.
booking-invalid-slot = A visit lasts 5 to 240 minutes.
booking-invalid-horizon = From 1 to 120 days.
booking-invalid-cancel = Up to 10080 minutes (a week).
booking-invalid-hours = Hours like 08:00-12:00, separated by commas; stretches may not overlap.
booking-invalid-day = Give the date.
booking-invalid-walk-in-name = Give the visitor's name.
booking-previous-day = Previous day
booking-next-day = Next day
booking-print-hint = To print, use the browser's print.
booking-time = Time
booking-person = Visitor
booking-status = Status
booking-walk-in = walk-in
booking-no-visits-day = No bookings for this day.
booking-add-walk-in = A visitor without a booking
booking-no-free-today = No free time is left today.
booking-walk-in-added = The visitor is in the queue.
booking-status-stale = The status has already changed — reload the page.
booking-mark-arrived = Arrived
booking-mark-served = Served
booking-mark-no_show = Did not come
booking-mark-cancelled = Cancel
booking-stat-resources = { $count ->
    [one] window or doctor taking bookings
   *[other] windows or doctors taking bookings
}
booking-bot-entry = Book an appointment
booking-bot-mine = My bookings
booking-bot-ask-resource = What would you like to book?
booking-bot-ask-day = Choose a day (free times in brackets):
booking-bot-ask-time = Free times on { $date }:
booking-bot-confirm = Book this for you?
    { $what }
    { $when }
    { $place }
booking-bot-other-time = Another time
booking-bot-booked = You are booked for { $when }. Your code: { $code }. Show it when you come.
booking-bot-no-visits = You have no upcoming bookings.
booking-mail-booked-subject = Booked for { $when }
booking-mail-booked-body = You are booked: { $what }, { $when }.
    Place: { $place }, { $address }.
    Your code: { $code } — show it when you come.
    { $community }
booking-mail-reminder-subject = Reminder: tomorrow { $when }
booking-mail-reminder-body = A reminder of your booking: { $what }, { $when }.
    Place: { $place }, { $address }.
    Your code: { $code }. If you cannot come, please cancel so someone else can have the time.
    { $community }
