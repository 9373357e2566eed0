//! The rules of the Law "On citizens' appeals" as code: what an appeal must contain, how it is
//! numbered, which terms the law gives for each step and how they are counted, and which step
//! may follow which.

use chrono::{Datelike, Days, Months, NaiveDate};
use hromada_kernel::WorkingCalendar;
use serde::{Deserialize, Serialize};

// ---------- kinds and contents ----------

/// The kinds of appeal the law knows (art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A proposal (пропозиція, зауваження): an idea for improving the work of the authorities.
    Proposal,
    /// A statement (заява, клопотання): a request to help realise a right or interest.
    Statement,
    /// A complaint (скарга): against a decision, action or inaction that violated rights.
    Complaint,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Proposal, Kind::Statement, Kind::Complaint];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Proposal => "proposal",
            Kind::Statement => "statement",
            Kind::Complaint => "complaint",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What the author writes, as the form gives it.
#[derive(Debug, Clone, Default)]
pub struct Draft<'a> {
    pub full_name: &'a str,
    /// The settlement of the author's address; `None` when not chosen.
    pub settlement: Option<&'a str>,
    pub street: &'a str,
    /// Where the answer goes: an e-mail address or a phone number.
    pub contact: &'a str,
    pub essence: &'a str,
}

/// What an appeal lacks. Without a name or an address it would be anonymous, and the law does
/// not let anonymous appeals be considered (art. 8): the author is told so before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Missing {
    /// Surname and given name at least (art. 5).
    FullName,
    /// The settlement and the street of the place of residence (art. 5).
    Address,
    /// An e-mail address or phone number for the answer (art. 5 for electronic appeals).
    Contact,
    /// The essence of the question, request or complaint.
    Essence,
}

impl Missing {
    /// Without these the appeal would be anonymous.
    pub fn makes_anonymous(self) -> bool {
        matches!(self, Missing::FullName | Missing::Address)
    }
}

/// The shortest essence worth registering; shorter texts cannot state a question.
pub const MIN_ESSENCE_CHARS: usize = 20;

/// Everything art. 5 asks of an electronic appeal, or what is missing.
pub fn check(draft: &Draft<'_>) -> Result<(), Vec<Missing>> {
    let mut missing = vec![];
    if draft.full_name.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count() < 2 {
        missing.push(Missing::FullName);
    }
    if draft.settlement.is_none_or(|s| s.trim().is_empty()) || draft.street.trim().is_empty() {
        missing.push(Missing::Address);
    }
    if !is_contact(draft.contact) {
        missing.push(Missing::Contact);
    }
    if draft.essence.trim().chars().count() < MIN_ESSENCE_CHARS {
        missing.push(Missing::Essence);
    }
    if missing.is_empty() { Ok(()) } else { Err(missing) }
}

/// An e-mail address (something@domain.tld) or a phone number (10–15 digits).
fn is_contact(raw: &str) -> bool {
    let raw = raw.trim();
    if let Some((local, domain)) = raw.split_once('@') {
        return !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !raw.contains(char::is_whitespace);
    }
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let only_phone_chars = raw.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c));
    only_phone_chars && (10..=15).contains(&digits)
}

// ---------- registration ----------

/// The registration number: `Е-2026-000123` — "Е" for an electronic appeal, the year of
/// receipt and the community's running number within that year.
pub fn registration_number(year: i32, seq: u64) -> String {
    format!("Е-{year}-{seq:06}")
}

/// The year and running number of a registration number.
pub fn parse_registration_number(number: &str) -> Option<(i32, u64)> {
    let rest = number.trim().strip_prefix("Е-")?;
    let (year, seq) = rest.split_once('-')?;
    if year.len() != 4 || seq.len() < 6 {
        return None;
    }
    Some((year.parse().ok()?, seq.parse().ok()?))
}

// ---------- terms ----------

/// A term as the law states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// Calendar days.
    Days(u32),
    /// Calendar months.
    Months(u32),
}

/// The last day of a term that starts with an event on `from`, counted as the Civil Code
/// counts terms (arts. 253–254), which the law's terms follow: counting starts on the next day;
/// a term of months ends on the same date of the last month, or on that month's last day; a
/// term ending on a day off ends on the next working day.
pub fn term_end(from: NaiveDate, term: Term, calendar: &WorkingCalendar) -> NaiveDate {
    let end = match term {
        Term::Days(n) => from + Days::new(u64::from(n)),
        // `checked_add_months` keeps the date or takes the month's last day, as the law does.
        Term::Months(n) => from.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX),
    };
    next_working_day(end, calendar)
}

fn next_working_day(mut day: NaiveDate, calendar: &WorkingCalendar) -> NaiveDate {
    while !calendar.is_working_day(day) {
        day = day + Days::new(1);
    }
    day
}

/// Answered at once, but within 15 days, when no extra study is needed (art. 20).
pub const NO_STUDY: Term = Term::Days(15);
/// Otherwise within one month (art. 20).
pub const WITH_STUDY: Term = Term::Months(1);
/// Extensions never take the whole consideration past 45 days (art. 20).
pub const LONGEST: Term = Term::Days(45);
/// An appeal that is not for this body is sent to the competent one within 5 days, and its
/// author told (art. 7).
pub const FORWARD: Term = Term::Days(5);
/// An appeal that lacks what art. 5 asks is returned with the reason within 10 days (art. 7).
pub const RETURN: Term = Term::Days(10);

/// Whether answering needs extra study; the official decides when taking the appeal up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Study {
    NotNeeded,
    Needed,
}

impl Study {
    pub fn code(self) -> &'static str {
        match self {
            Study::NotNeeded => "not_needed",
            Study::Needed => "needed",
        }
    }
}

/// The answer is due on this day.
pub fn answer_due(received: NaiveDate, study: Study, calendar: &WorkingCalendar) -> NaiveDate {
    let term = match study {
        Study::NotNeeded => NO_STUDY,
        Study::Needed => WITH_STUDY,
    };
    term_end(received, term, calendar)
}

/// The latest day an extension may set.
pub fn longest_due(received: NaiveDate, calendar: &WorkingCalendar) -> NaiveDate {
    term_end(received, LONGEST, calendar)
}

/// Why an extension is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("an extension must move the due date later")]
    NotLater,
    #[error("the law allows at most 45 days in all, until {0}")]
    PastLongest(NaiveDate),
    #[error("an extension needs its reason, which the author is told")]
    NoReason,
}

/// A new due date set by the head of the body, with the reason the author is told (art. 20).
pub fn extend(
    received: NaiveDate,
    current_due: NaiveDate,
    requested: NaiveDate,
    reason: &str,
    calendar: &WorkingCalendar,
) -> Result<NaiveDate, ExtensionError> {
    if reason.trim().is_empty() {
        return Err(ExtensionError::NoReason);
    }
    let requested = next_working_day(requested, calendar);
    if requested <= current_due {
        return Err(ExtensionError::NotLater);
    }
    let longest = longest_due(received, calendar);
    if requested > longest {
        return Err(ExtensionError::PastLongest(longest));
    }
    Ok(requested)
}

/// How near its due date an open item is, for the inbox's colours and the reminders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Overdue,
    DueToday,
    /// Within [`REMIND_WORKING_DAYS`] working days.
    DueSoon,
    OnTrack,
}

/// Reminders go out this many working days before a due date.
pub const REMIND_WORKING_DAYS: u32 = 3;

pub fn urgency(due: NaiveDate, today: NaiveDate, calendar: &WorkingCalendar) -> Urgency {
    if today > due {
        Urgency::Overdue
    } else if today == due {
        Urgency::DueToday
    } else if calendar.working_days_between(today, due) <= REMIND_WORKING_DAYS {
        Urgency::DueSoon
    } else {
        Urgency::OnTrack
    }
}

// ---------- workflow ----------

/// Where an appeal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Received and given its number; nobody has it yet.
    Registered,
    /// A department and an officer have it.
    Assigned,
    InProgress,
    /// In progress with a later due date, whose reason the author was told.
    Extended,
    Answered,
    /// The author rated the answer or the time for it passed.
    Closed,
    /// Sent to the competent body; the author was told where.
    Forwarded,
    /// Sent back to the author with what it lacks.
    Returned,
}

/// A step an official (or the author, for closing) takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Assign,
    Start,
    Extend,
    Answer,
    Close,
    Forward,
    Return,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("an appeal that is {from:?} cannot take the step {action:?}")]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Registered,
        Status::Assigned,
        Status::InProgress,
        Status::Extended,
        Status::Answered,
        Status::Closed,
        Status::Forwarded,
        Status::Returned,
    ];

    pub fn apply(self, action: Action) -> Result<Status, TransitionError> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            // Reassigning to another department or officer is allowed while the work is open.
            (S::Registered | S::Assigned | S::InProgress | S::Extended, A::Assign) => S::Assigned,
            (S::Assigned, A::Start) => S::InProgress,
            (S::Assigned | S::InProgress | S::Extended, A::Extend) => S::Extended,
            (S::Assigned | S::InProgress | S::Extended, A::Answer) => S::Answered,
            (S::Answered, A::Close) => S::Closed,
            // Forwarding and returning are decided early: before the work on the answer starts.
            (S::Registered | S::Assigned, A::Forward) => S::Forwarded,
            (S::Registered | S::Assigned, A::Return) => S::Returned,
            (from, action) => return Err(TransitionError { from, action }),
        };
        Ok(next)
    }

    /// Still waiting for the body to act.
    pub fn open(self) -> bool {
        matches!(self, Status::Registered | Status::Assigned | Status::InProgress | Status::Extended)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Registered => "registered",
            Status::Assigned => "assigned",
            Status::InProgress => "in_progress",
            Status::Extended => "extended",
            Status::Answered => "answered",
            Status::Closed => "closed",
            Status::Forwarded => "forwarded",
            Status::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The due date an appeal in `status` is measured against: forwarding and returning have their
/// own short terms while nobody has started on the answer.
pub fn due_for(
    status: Status,
    received: NaiveDate,
    answer_due: NaiveDate,
    calendar: &WorkingCalendar,
) -> Option<NaiveDate> {
    match status {
        Status::Registered => Some(term_end(received, FORWARD, calendar).min(answer_due)),
        Status::Assigned | Status::InProgress | Status::Extended => Some(answer_due),
        Status::Answered | Status::Closed | Status::Forwarded | Status::Returned => None,
    }
}

/// An author's rating of an answer: 1 to 5.
pub fn rating(stars: i64) -> Option<u8> {
    u8::try_from(stars).ok().filter(|s| (1..=5).contains(s))
}

/// Topics an author files an appeal under; officials filter their inbox by them.
pub const CATEGORIES: [&str; 9] =
    ["housing", "roads", "utilities", "transport", "social", "health", "education", "environment", "other"];

// ---------- figures for the public dashboard ----------

/// What the dashboard needs of one appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Handled {
    pub received_on: NaiveDate,
    pub answered_on: Option<NaiveDate>,
    pub answer_due: NaiveDate,
    /// Still waiting for the body (registered, assigned, in progress, extended).
    pub open: bool,
}

/// How a department (or the whole body) answers.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Figures {
    pub received: u64,
    pub answered: u64,
    pub answered_on_time: u64,
    /// Calendar days from receipt to answer, the middle value; `None` before the first answer.
    pub median_days: Option<f64>,
    /// Open and past their due date today.
    pub overdue_now: u64,
}

impl Figures {
    /// Share of answers given by their due date, in whole percent.
    pub fn on_time_percent(&self) -> Option<u64> {
        (self.answered > 0).then(|| (self.answered_on_time * 100 + self.answered / 2) / self.answered)
    }
}

pub fn figures<'a>(appeals: impl IntoIterator<Item = &'a Handled>, today: NaiveDate) -> Figures {
    let mut f = Figures::default();
    let mut days = vec![];
    for a in appeals {
        f.received += 1;
        if let Some(answered) = a.answered_on {
            f.answered += 1;
            if answered <= a.answer_due {
                f.answered_on_time += 1;
            }
            days.push((answered - a.received_on).num_days());
        }
        if a.open && today > a.answer_due {
            f.overdue_now += 1;
        }
    }
    days.sort_unstable();
    f.median_days = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2] as f64),
        n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };
    f
}

/// Received and answered per calendar month, for the `months` months up to `today`'s, oldest first.
pub fn by_month<'a>(
    appeals: impl IntoIterator<Item = &'a Handled>,
    today: NaiveDate,
    months: u32,
) -> Vec<(NaiveDate, u64, u64)> {
    let this_month = today.with_day(1).unwrap_or(today);
    let mut series: Vec<(NaiveDate, u64, u64)> = (0..months)
        .rev()
        .filter_map(|back| this_month.checked_sub_months(Months::new(back)))
        .map(|m| (m, 0, 0))
        .collect();
    let slot = |day: NaiveDate| {
        let month = day.with_day(1).unwrap_or(day);
        series.iter().position(|(m, _, _)| *m == month)
    };
    let mut received = vec![];
    let mut answered = vec![];
    for a in appeals {
        received.extend(slot(a.received_on));
        answered.extend(a.answered_on.and_then(slot));
    }
    for i in received {
        series[i].1 += 1;
    }
    for i in answered {
        series[i].2 += 1;
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn weekends_only() -> WorkingCalendar {
        WorkingCalendar::default()
    }

    #[test]
    fn a_complete_appeal_passes_and_a_nameless_one_would_be_anonymous() {
        let ok = Draft {
            full_name: "Шевченко Тарас Григорович",
            settlement: Some("Сєвєродонецьк"),
            street: "вул. Центральна, 5, кв. 2",
            contact: "taras@example.com",
            essence: "Прошу відремонтувати освітлення у дворі будинку.",
        };
        assert_eq!(check(&ok), Ok(()));
        assert_eq!(check(&Draft { contact: "+380 (67) 123-45-67", ..ok.clone() }), Ok(()));
        let nameless = Draft { full_name: "Тарас", settlement: None, ..ok.clone() };
        let missing = check(&nameless).unwrap_err();
        assert_eq!(missing, vec![Missing::FullName, Missing::Address]);
        assert!(missing.iter().all(|m| m.makes_anonymous()));
        let vague = Draft { contact: "call me", essence: "Допоможіть", ..ok.clone() };
        assert_eq!(check(&vague).unwrap_err(), vec![Missing::Contact, Missing::Essence]);
        assert!(!Missing::Contact.makes_anonymous());
        assert_eq!(check(&Draft { street: "  ", ..ok }).unwrap_err(), vec![Missing::Address]);
    }

    #[test]
    fn registration_numbers_read_back() {
        assert_eq!(registration_number(2026, 123), "Е-2026-000123");
        assert_eq!(parse_registration_number("Е-2026-000123"), Some((2026, 123)));
        assert_eq!(parse_registration_number("Е-2026-1234567"), Some((2026, 1_234_567)));
        // A Latin "E" is another number, not this one.
        assert_eq!(parse_registration_number("E-2026-000123"), None);
        assert_eq!(parse_registration_number("Е-26-000123"), None);
    }

    #[test]
    fn fifteen_days_end_on_a_working_day() {
        // Received on Friday 27 November 2026: day 15 is Saturday 12 December, so Monday 14th.
        assert_eq!(answer_due(d(2026, 11, 27), Study::NotNeeded, &weekends_only()), d(2026, 12, 14));
        // Received on Monday 2 November: day 15 is Tuesday 17 November.
        assert_eq!(answer_due(d(2026, 11, 2), Study::NotNeeded, &weekends_only()), d(2026, 11, 17));
    }

    #[test]
    fn a_month_ends_on_the_same_date_or_the_months_last_day() {
        assert_eq!(answer_due(d(2026, 3, 10), Study::Needed, &weekends_only()), d(2026, 4, 10));
        // 31 January + 1 month = 28 February 2026, a Saturday: Monday 2 March.
        assert_eq!(answer_due(d(2026, 1, 31), Study::Needed, &weekends_only()), d(2026, 3, 2));
    }

    #[test]
    fn holidays_move_the_end_like_weekends() {
        // 1 January 2027 is a Friday; with it a holiday, a term ending that day ends on Monday 4th.
        let calendar = WorkingCalendar::new([d(2027, 1, 1)], []);
        assert_eq!(term_end(d(2026, 12, 27), Term::Days(5), &calendar), d(2027, 1, 4));
        // A Saturday declared a working day ends the term where it falls.
        let calendar = WorkingCalendar::new([], [d(2026, 12, 12)]);
        assert_eq!(answer_due(d(2026, 11, 27), Study::NotNeeded, &calendar), d(2026, 12, 12));
    }

    #[test]
    fn extensions_move_later_with_a_reason_and_never_past_45_days() {
        let cal = weekends_only();
        let received = d(2026, 11, 2);
        let due = answer_due(received, Study::Needed, &cal);
        assert_eq!(due, d(2026, 12, 2));
        assert_eq!(longest_due(received, &cal), d(2026, 12, 17));
        assert_eq!(extend(received, due, d(2026, 12, 15), "потрібен висновок експерта", &cal), Ok(d(2026, 12, 15)));
        assert_eq!(extend(received, due, d(2026, 12, 15), " ", &cal), Err(ExtensionError::NoReason));
        assert_eq!(extend(received, due, d(2026, 12, 1), "причина", &cal), Err(ExtensionError::NotLater));
        assert_eq!(
            extend(received, due, d(2026, 12, 18), "причина", &cal),
            Err(ExtensionError::PastLongest(d(2026, 12, 17)))
        );
        // A Saturday asked for becomes the Monday after, which must still fit.
        assert_eq!(extend(received, due, d(2026, 12, 12), "причина", &cal), Ok(d(2026, 12, 14)));
    }

    #[test]
    fn forwarding_and_returning_have_short_terms_until_work_starts() {
        let cal = weekends_only();
        let received = d(2026, 11, 2);
        let due = answer_due(received, Study::NotNeeded, &cal);
        assert_eq!(due_for(Status::Registered, received, due, &cal), Some(d(2026, 11, 9)), "day 5 is Saturday 7th");
        assert_eq!(term_end(received, RETURN, &cal), d(2026, 11, 12));
        assert_eq!(due_for(Status::InProgress, received, due, &cal), Some(due));
        assert_eq!(due_for(Status::Answered, received, due, &cal), None);
    }

    #[test]
    fn urgency_colours_follow_the_due_date() {
        let cal = weekends_only();
        let due = d(2026, 12, 14); // Monday
        assert_eq!(urgency(due, d(2026, 12, 15), &cal), Urgency::Overdue);
        assert_eq!(urgency(due, due, &cal), Urgency::DueToday);
        assert_eq!(urgency(due, d(2026, 12, 9), &cal), Urgency::DueSoon, "3 working days before");
        assert_eq!(urgency(due, d(2026, 12, 8), &cal), Urgency::OnTrack);
    }

    #[test]
    fn the_workflow_takes_only_lawful_steps() {
        let answered = Status::Registered
            .apply(Action::Assign)
            .and_then(|s| s.apply(Action::Start))
            .and_then(|s| s.apply(Action::Extend))
            .and_then(|s| s.apply(Action::Answer))
            .unwrap();
        assert_eq!(answered, Status::Answered);
        assert_eq!(answered.apply(Action::Close), Ok(Status::Closed));
        assert_eq!(Status::Registered.apply(Action::Forward), Ok(Status::Forwarded));
        assert_eq!(Status::Assigned.apply(Action::Return), Ok(Status::Returned));
        assert!(Status::InProgress.apply(Action::Return).is_err(), "returned early or not at all");
        assert!(Status::Registered.apply(Action::Answer).is_err(), "someone must have it first");
        assert!(Status::Closed.apply(Action::Assign).is_err());
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn ratings_are_one_to_five_stars() {
        assert_eq!(rating(5), Some(5));
        assert_eq!(rating(0), None);
        assert_eq!(rating(6), None);
        assert_eq!(rating(-1), None);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0u64..4000).prop_map(|n| d(2020, 1, 1) + Days::new(n))
    }

    fn any_calendar() -> impl Strategy<Value = WorkingCalendar> {
        proptest::collection::vec(0u64..4200, 0..60)
            .prop_map(|days| WorkingCalendar::new(days.into_iter().map(|n| d(2020, 1, 1) + Days::new(n)), []))
    }

    proptest! {
        #[test]
        fn a_term_never_ends_early_and_always_on_a_working_day(
            from in any_date(), n in 1u32..60, calendar in any_calendar()
        ) {
            let end = term_end(from, Term::Days(n), &calendar);
            prop_assert!(end >= from + Days::new(u64::from(n)));
            prop_assert!(calendar.is_working_day(end));
            // It moves only across days off: every day from the nominal end up to it is one.
            let nominal = from + Days::new(u64::from(n));
            prop_assert!(nominal.iter_days().take_while(|x| *x < end).all(|x| !calendar.is_working_day(x)));
        }

        #[test]
        fn a_study_term_is_never_shorter_than_fifteen_days_nor_an_extension_past_45(
            received in any_date(), extra in 0u64..80, calendar in any_calendar()
        ) {
            let quick = answer_due(received, Study::NotNeeded, &calendar);
            let long = answer_due(received, Study::Needed, &calendar);
            prop_assert!(long >= quick);
            let requested = long + Days::new(extra);
            if let Ok(extended) = extend(received, long, requested, "причина", &calendar) {
                prop_assert!(extended <= longest_due(received, &calendar));
                prop_assert!(extended > long);
            }
        }
    }

    fn handled(received: NaiveDate, answered: Option<NaiveDate>, due: NaiveDate, open: bool) -> Handled {
        Handled { received_on: received, answered_on: answered, answer_due: due, open }
    }

    #[test]
    fn figures_count_answers_on_time_the_median_and_what_is_overdue_now() {
        let today = d(2026, 11, 20);
        let rows = [
            handled(d(2026, 10, 1), Some(d(2026, 10, 5)), d(2026, 10, 16), false),
            handled(d(2026, 10, 1), Some(d(2026, 10, 20)), d(2026, 10, 16), false),
            handled(d(2026, 10, 2), Some(d(2026, 10, 12)), d(2026, 10, 17), false),
            handled(d(2026, 11, 1), None, d(2026, 11, 16), true),
            handled(d(2026, 11, 10), None, d(2026, 11, 25), true),
            handled(d(2026, 9, 1), None, d(2026, 9, 16), false),
        ];
        let f = figures(&rows, today);
        assert_eq!((f.received, f.answered, f.answered_on_time, f.overdue_now), (6, 3, 2, 1));
        // 4, 19 and 10 days.
        assert_eq!(f.median_days, Some(10.0));
        assert_eq!(f.on_time_percent(), Some(67));
        let even = figures(&rows[..2], today);
        assert_eq!(even.median_days, Some(11.5));
        assert_eq!(figures(&[], today), Figures::default());
        assert_eq!(Figures::default().on_time_percent(), None);
    }

    #[test]
    fn monthly_series_cover_the_last_months_and_skip_older_appeals() {
        let today = d(2026, 3, 15);
        let rows = [
            handled(d(2026, 1, 31), Some(d(2026, 2, 2)), d(2026, 2, 16), false),
            handled(d(2026, 3, 1), None, d(2026, 3, 16), true),
            handled(d(2025, 12, 31), Some(d(2026, 1, 5)), d(2026, 1, 15), false),
        ];
        let series = by_month(&rows, today, 3);
        assert_eq!(series, vec![(d(2026, 1, 1), 1, 1), (d(2026, 2, 1), 0, 1), (d(2026, 3, 1), 1, 0)]);
    }

    proptest! {
        #[test]
        fn figures_never_count_more_answered_than_received_nor_more_on_time_than_answered(
            rows in proptest::collection::vec((any_date(), proptest::option::of(0i64..90), 0u64..60, any::<bool>()), 0..40),
            today in any_date(),
        ) {
            let rows: Vec<Handled> = rows
                .into_iter()
                .map(|(r, a, due, open)| handled(r, a.map(|a| r + chrono::TimeDelta::days(a)), r + Days::new(due), open && a.is_none()))
                .collect();
            let f = figures(&rows, today);
            prop_assert!(f.answered <= f.received && f.answered_on_time <= f.answered && f.overdue_now <= f.received);
            prop_assert!(f.on_time_percent().is_none_or(|p| p <= 100));
            let series = by_month(&rows, today, 12);
            prop_assert_eq!(series.len(), 12);
            prop_assert!(series.iter().map(|s| s.1).sum::<u64>() <= f.received);
        }
    }
}
