//! The rules of a participatory budget as a council's regulation sets them: the phases of a
//! contest, categories with their budgets and voting rules, projects and their costs, what a
//! valid ballot is, how winners are found, and the public, verifiable list of ballots.
//!
//! There is no national law on participatory budgets: everything here is data a community sets.

use chrono::{Days, NaiveDate};
use hmac::{Hmac, Mac};
use hromada_kernel::{Eligibility, Ineligible, Person};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// A setting outside what makes sense; the value names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid budget setting: {0}")]
pub struct InvalidRule(pub &'static str);

// ---------- phases ----------

/// The phases of a contest, in the order they follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Announced, submission not open yet.
    Announced,
    Submission,
    /// The commission checks the projects.
    Review,
    /// Authors of returned projects revise them.
    Revision,
    Voting,
    /// Voting closed; results published.
    Results,
    /// Winners are being carried out.
    Implementation,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Announced,
        Phase::Submission,
        Phase::Review,
        Phase::Revision,
        Phase::Voting,
        Phase::Results,
        Phase::Implementation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Phase::Announced => "announced",
            Phase::Submission => "submission",
            Phase::Review => "review",
            Phase::Revision => "revision",
            Phase::Voting => "voting",
            Phase::Results => "results",
            Phase::Implementation => "implementation",
        }
    }

    /// Whether results (and the tally) are shown: from voting on, live.
    pub fn shows_results(self) -> bool {
        self >= Phase::Voting
    }
}

/// The last day of each phase (Kyiv dates, inclusive); each phase starts the day after the one
/// before it ends. Implementation has no end: it lasts until the last winner is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub submission_from: NaiveDate,
    pub submission_to: NaiveDate,
    pub review_to: NaiveDate,
    /// Equal to `review_to` for a contest without a revision phase.
    pub revision_to: NaiveDate,
    pub voting_to: NaiveDate,
    pub results_to: NaiveDate,
}

/// One phase with its dates, for the public timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseSpan {
    pub phase: Phase,
    pub from: NaiveDate,
    /// `None` for the open-ended implementation phase.
    pub to: Option<NaiveDate>,
}

fn next(d: NaiveDate) -> NaiveDate {
    d.checked_add_days(Days::new(1)).unwrap_or(d)
}

impl Timeline {
    pub fn validate(&self) -> Result<(), InvalidRule> {
        if self.submission_to < self.submission_from {
            return Err(InvalidRule("submission_to"));
        }
        if self.review_to <= self.submission_to {
            return Err(InvalidRule("review_to"));
        }
        if self.revision_to < self.review_to {
            return Err(InvalidRule("revision_to"));
        }
        if self.voting_to <= self.revision_to {
            return Err(InvalidRule("voting_to"));
        }
        if self.results_to <= self.voting_to {
            return Err(InvalidRule("results_to"));
        }
        Ok(())
    }

    pub fn voting_from(&self) -> NaiveDate {
        next(self.revision_to)
    }

    pub fn phase_at(&self, today: NaiveDate) -> Phase {
        if today < self.submission_from {
            Phase::Announced
        } else if today <= self.submission_to {
            Phase::Submission
        } else if today <= self.review_to {
            Phase::Review
        } else if today <= self.revision_to {
            Phase::Revision
        } else if today <= self.voting_to {
            Phase::Voting
        } else if today <= self.results_to {
            Phase::Results
        } else {
            Phase::Implementation
        }
    }

    /// The phases with their dates; a revision phase of no days is left out.
    pub fn spans(&self) -> Vec<PhaseSpan> {
        let mut spans = vec![
            PhaseSpan { phase: Phase::Submission, from: self.submission_from, to: Some(self.submission_to) },
            PhaseSpan { phase: Phase::Review, from: next(self.submission_to), to: Some(self.review_to) },
        ];
        if self.revision_to > self.review_to {
            spans.push(PhaseSpan { phase: Phase::Revision, from: next(self.review_to), to: Some(self.revision_to) });
        }
        spans.push(PhaseSpan { phase: Phase::Voting, from: self.voting_from(), to: Some(self.voting_to) });
        spans.push(PhaseSpan { phase: Phase::Results, from: next(self.voting_to), to: Some(self.results_to) });
        spans.push(PhaseSpan { phase: Phase::Implementation, from: next(self.results_to), to: None });
        spans
    }
}

// ---------- the regulation ----------

/// Who may vote and submit, and how ballots behave: a contest's own regulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContestRules {
    /// Minimum age of voters and authors, in years (regulations say 14, 16 or 18).
    pub min_age: u32,
    /// Only residents of the community's settlements.
    pub residents_only: bool,
    /// Internally displaced persons registered in the community count as residents.
    pub accept_idp: bool,
    /// A voter may change the ballot until voting closes; otherwise a ballot is final on submit.
    pub changeable_ballots: bool,
    /// Votes a project needs to be able to win at all.
    pub min_votes_to_win: u32,
    /// Supports a submitted project needs from residents before the commission may admit it
    /// (0: no support stage).
    pub supports_needed: u32,
    /// The contest's own questions to authors, beyond the standard fields.
    pub questions: Vec<Question>,
}

impl Default for ContestRules {
    fn default() -> Self {
        Self {
            min_age: 16,
            residents_only: true,
            accept_idp: true,
            changeable_ballots: false,
            min_votes_to_win: 1,
            supports_needed: 0,
            questions: vec![],
        }
    }
}

impl ContestRules {
    pub fn validate(&self) -> Result<(), InvalidRule> {
        if self.min_age > 120 {
            return Err(InvalidRule("min_age"));
        }
        if self.min_votes_to_win > 1_000_000 {
            return Err(InvalidRule("min_votes_to_win"));
        }
        if self.supports_needed > 100_000 {
            return Err(InvalidRule("supports_needed"));
        }
        Ok(())
    }

    /// Whether `person` may vote or submit on `today`, by age and residency.
    pub fn admits(&self, today: NaiveDate, person: &Person) -> Result<(), Ineligible> {
        Eligibility { min_age: self.min_age, residents_only: self.residents_only, accept_idp: self.accept_idp }
            .check(today, person)
    }
}

/// How the votes of one category are cast.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum VotingRule {
    /// Up to `up_to` projects of the category.
    Approve { up_to: u32 },
    /// Any set of projects whose total cost fits the category's budget.
    Knapsack,
    /// One project.
    One,
}

impl VotingRule {
    pub fn code(self) -> &'static str {
        match self {
            VotingRule::Approve { .. } => "approve",
            VotingRule::Knapsack => "knapsack",
            VotingRule::One => "one",
        }
    }

    pub fn parse(code: &str, up_to: u32) -> Option<VotingRule> {
        match code {
            "approve" => Some(VotingRule::Approve { up_to }),
            "knapsack" => Some(VotingRule::Knapsack),
            "one" => Some(VotingRule::One),
            _ => None,
        }
    }

    /// The `up_to` kept beside the code in storage.
    pub fn up_to(self) -> u32 {
        match self {
            VotingRule::Approve { up_to } => up_to,
            _ => 1,
        }
    }
}

/// A category's money and rule: small or large projects, a settlement, a theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryRules {
    /// What the category may spend, in kopiykas.
    pub budget: i64,
    /// The least and the most a project of the category may cost.
    pub min_cost: i64,
    pub max_cost: i64,
    pub rule: VotingRule,
}

impl CategoryRules {
    pub fn validate(&self) -> Result<(), InvalidRule> {
        if self.budget <= 0 || self.budget > hromada_kernel::money::MAX_KOPIYKAS {
            return Err(InvalidRule("budget"));
        }
        if self.min_cost < 0 || self.min_cost > self.max_cost {
            return Err(InvalidRule("min_cost"));
        }
        if self.max_cost > self.budget {
            return Err(InvalidRule("max_cost"));
        }
        if let VotingRule::Approve { up_to } = self.rule
            && !(1..=50).contains(&up_to)
        {
            return Err(InvalidRule("up_to"));
        }
        Ok(())
    }

    /// Whether a project of `cost` belongs in this category by its price.
    pub fn admits_cost(&self, cost: i64) -> bool {
        (self.min_cost..=self.max_cost).contains(&cost)
    }
}

/// The categories' budgets together may not exceed the contest's.
pub fn fits_total(total: i64, budgets: impl IntoIterator<Item = i64>) -> bool {
    budgets.into_iter().try_fold(0i64, |sum, b| sum.checked_add(b)).is_some_and(|sum| sum <= total)
}

// ---------- the questionnaire ----------

/// What kind of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    Text,
    Number,
    /// One of the question's options.
    Choice,
    /// A document or an image.
    File,
    /// A point: latitude and longitude.
    Location,
}

impl QuestionKind {
    const WORDS: [(QuestionKind, &'static [&'static str]); 5] = [
        (QuestionKind::Text, &["text", "текст"]),
        (QuestionKind::Number, &["number", "число"]),
        (QuestionKind::Choice, &["choice", "вибір"]),
        (QuestionKind::File, &["file", "файл"]),
        (QuestionKind::Location, &["location", "місце"]),
    ];

    pub fn code(self) -> &'static str {
        Self::WORDS.iter().find(|(k, _)| *k == self).map_or("text", |(_, w)| w[0])
    }

    fn parse(word: &str) -> Option<QuestionKind> {
        let word = word.trim().to_lowercase();
        Self::WORDS.iter().find(|(_, words)| words.contains(&word.as_str())).map(|(k, _)| *k)
    }
}

/// One question of a contest's questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the contest: `q1`, `q2`, … in the order written.
    pub key: String,
    pub label: String,
    pub kind: QuestionKind,
    pub required: bool,
    /// For a choice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

const REQUIRED_WORDS: [&str; 3] = ["обов'язкове", "required", "*"];

/// Reads a questionnaire written one question a line as «kind | question | required | options»
/// (kinds: text, number, choice, file, location — or текст, число, вибір, файл, місце; «required»
/// or «обов'язкове» to make it so; a choice's options separated by commas).
pub fn parse_questionnaire(text: &str) -> Result<Vec<Question>, CostLineError> {
    let mut questions = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let error = |key| CostLineError { line: i + 1, key };
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let kind = parts.first().and_then(|w| QuestionKind::parse(w)).ok_or(error("budget-question-kind"))?;
        let label = parts.get(1).copied().unwrap_or("");
        if label.is_empty() || label.chars().count() > 300 {
            return Err(error("budget-question-label"));
        }
        let mut required = false;
        let mut options = vec![];
        for part in parts.iter().skip(2).filter(|p| !p.is_empty()) {
            if REQUIRED_WORDS.contains(&part.to_lowercase().replace('’', "'").as_str()) {
                required = true;
            } else {
                options.extend(part.split(',').map(str::trim).filter(|o| !o.is_empty()).map(str::to_owned));
            }
        }
        // A choice needs options; nothing else takes them.
        if (kind == QuestionKind::Choice) == options.is_empty() {
            return Err(error("budget-question-options"));
        }
        questions.push(Question {
            key: format!("q{}", questions.len() + 1),
            label: label.to_owned(),
            kind,
            required,
            options,
        });
        if questions.len() > 30 {
            return Err(error("budget-question-too-many"));
        }
    }
    Ok(questions)
}

/// The questionnaire written back as the settings form takes it.
pub fn questionnaire_text(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| {
            let mut line = format!("{} | {}", q.kind.code(), q.label);
            if q.required {
                line.push_str(" | required");
            }
            if !q.options.is_empty() {
                line.push_str(&format!(" | {}", q.options.join(", ")));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An answer to a question that is not a file, checked and tidied; `Ok("")` for an optional
/// question left blank.
pub fn check_answer(q: &Question, value: &str) -> Result<String, &'static str> {
    let value = value.trim();
    if value.is_empty() {
        return if q.required { Err("budget-answer-required") } else { Ok(String::new()) };
    }
    match q.kind {
        QuestionKind::Text if value.chars().count() <= 5000 => Ok(value.to_owned()),
        QuestionKind::Number => value
            .replace([' ', '\u{a0}'], "")
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n.to_string())
            .ok_or("budget-answer-number"),
        QuestionKind::Choice => q.options.iter().find(|o| *o == value).cloned().ok_or("budget-answer-choice"),
        QuestionKind::Location => {
            let parts: Vec<f64> =
                value.split([',', ';', ' ']).filter(|p| !p.is_empty()).filter_map(|p| p.parse().ok()).collect();
            match parts[..] {
                [lat, lon] if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => {
                    Ok(format!("{lat}, {lon}"))
                }
                _ => Err("budget-answer-location"),
            }
        }
        _ => Err("budget-answer-text"),
    }
}

// ---------- projects ----------

/// Where a project is in its life before the vote; winning is found by the tally, not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Draft,
    Submitted,
    /// On the ballot.
    Admitted,
    Rejected,
    /// Returned to the author for revision by a deadline.
    Returned,
}

impl ProjectStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Admitted => "admitted",
            Self::Rejected => "rejected",
            Self::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Admitted, Self::Rejected, Self::Returned]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// Seen by everyone; a draft only by its author and the commission.
    pub fn public(self) -> bool {
        self != Self::Draft
    }

    /// The author may change the text and costs.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// What is done to a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    /// The author hands it in (first time or after revision).
    Submit,
    Admit,
    Reject,
    /// Back to the author, to revise by a date.
    Return,
}

/// An action that the project's status or the contest's phase does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not possible for a {status:?} project in the {phase:?} phase")]
pub struct TransitionError {
    pub status: ProjectStatus,
    pub action: ProjectAction,
    pub phase: Phase,
}

/// The next status, when `action` is allowed now. Authors hand in during submission, and a
/// returned project until voting starts; the commission decides until voting starts.
pub fn transition(
    status: ProjectStatus,
    action: ProjectAction,
    phase: Phase,
) -> Result<ProjectStatus, TransitionError> {
    use ProjectAction as A;
    use ProjectStatus as S;
    let before_voting = phase < Phase::Voting && phase > Phase::Announced;
    let next = match (status, action) {
        (S::Draft, A::Submit) if phase == Phase::Submission => Some(S::Submitted),
        (S::Returned, A::Submit) if before_voting => Some(S::Submitted),
        (S::Submitted, A::Admit) if before_voting => Some(S::Admitted),
        (S::Submitted, A::Reject) if before_voting => Some(S::Rejected),
        (S::Submitted, A::Return) if before_voting => Some(S::Returned),
        // The commission may reconsider a decision until the ballot is fixed by the vote.
        (S::Admitted | S::Rejected, A::Reject | A::Admit | A::Return) if before_voting && phase >= Phase::Review => {
            Some(match action {
                A::Admit => S::Admitted,
                A::Reject => S::Rejected,
                _ => S::Returned,
            })
        }
        _ => None,
    };
    next.filter(|n| *n != status).ok_or(TransitionError { status, action, phase })
}

/// Whether residents may back a project now: during submission, once it is handed in, and not
/// by its own author.
pub fn may_support(status: ProjectStatus, phase: Phase, own: bool) -> Result<(), &'static str> {
    if own {
        return Err("budget-support-own");
    }
    if status != ProjectStatus::Submitted || phase != Phase::Submission {
        return Err("budget-support-closed");
    }
    Ok(())
}

/// Why the commission rejects a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionReason {
    /// Not within the powers of the local council.
    OutsideCompetence,
    /// On land or property the community does not own.
    NotCommunityProperty,
    /// Costs more (or less) than its category allows, even after correction.
    CostOutOfRange,
    /// Cannot be carried out within one budget year.
    NotFeasibleInYear,
    /// Already financed from another programme.
    AlreadyFunded,
    /// Serves a narrow group or a business rather than the community.
    NotPublicInterest,
    /// Fewer residents supported it than the regulation asks before review.
    NotEnoughSupports,
}

impl RejectionReason {
    pub const ALL: [RejectionReason; 7] = [
        Self::OutsideCompetence,
        Self::NotCommunityProperty,
        Self::CostOutOfRange,
        Self::NotFeasibleInYear,
        Self::AlreadyFunded,
        Self::NotPublicInterest,
        Self::NotEnoughSupports,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::OutsideCompetence => "outside_competence",
            Self::NotCommunityProperty => "not_community_property",
            Self::CostOutOfRange => "cost_out_of_range",
            Self::NotFeasibleInYear => "not_feasible_in_year",
            Self::AlreadyFunded => "already_funded",
            Self::NotPublicInterest => "not_public_interest",
            Self::NotEnoughSupports => "not_enough_supports",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The commission's feasibility checklist; each answered yes, no or not yet.
pub const CHECKLIST: [&str; 5] = ["competence", "community_property", "one_year", "cost_realistic", "public_interest"];

/// One line of a project's cost breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostItem {
    pub name: String,
    pub quantity: i64,
    /// Price of one, in kopiykas.
    pub unit_price: i64,
    /// Why the review commission changed the line (empty when it did not).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl CostItem {
    pub fn total(&self) -> Option<i64> {
        self.quantity.checked_mul(self.unit_price)
    }
}

/// What is wrong with a line of the cost breakdown; the line number counts from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostLineError {
    pub line: usize,
    pub key: &'static str,
}

/// Reads a cost breakdown written one item a line as «name; quantity; price» (price of one, in
/// hryvnias; a tab or `|` also separates), with an optional fourth part: the commission's comment
/// on a corrected line. Blank lines are skipped.
pub fn parse_costs(text: &str) -> Result<Vec<CostItem>, CostLineError> {
    let mut items = vec![];
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let error = |key| CostLineError { line: i + 1, key };
        let parts: Vec<&str> = line.split([';', '\t', '|']).map(str::trim).collect();
        let (name, quantity, price, comment) = match parts[..] {
            [name, quantity, price] => (name, quantity, price, ""),
            [name, quantity, price, comment] => (name, quantity, price, comment),
            _ => return Err(error("budget-cost-line-shape")),
        };
        if comment.chars().count() > 500 {
            return Err(error("budget-cost-line-comment"));
        }
        if name.is_empty() || name.chars().count() > 200 {
            return Err(error("budget-cost-line-name"));
        }
        let quantity: i64 =
            quantity.parse().ok().filter(|q| (1..=1_000_000).contains(q)).ok_or(error("budget-cost-line-quantity"))?;
        let unit_price =
            hromada_kernel::money::parse(price).ok().filter(|p| *p > 0).ok_or(error("budget-cost-line-price"))?;
        items.push(CostItem { name: name.to_owned(), quantity, unit_price, comment: comment.to_owned() });
        if items.len() > 100 {
            return Err(error("budget-cost-too-many"));
        }
    }
    if items.is_empty() {
        return Err(CostLineError { line: 0, key: "budget-cost-empty" });
    }
    total_cost(&items).ok_or(CostLineError { line: 0, key: "budget-cost-too-large" })?;
    Ok(items)
}

/// The breakdown written back as the form takes it.
pub fn costs_text(items: &[CostItem]) -> String {
    items
        .iter()
        .map(|i| {
            let line = format!("{}; {}; {}", i.name, i.quantity, hromada_kernel::money::for_file(i.unit_price));
            if i.comment.is_empty() { line } else { format!("{line}; {}", i.comment) }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole cost, or `None` when it is beyond what any budget holds.
pub fn total_cost(items: &[CostItem]) -> Option<i64> {
    items
        .iter()
        .try_fold(0i64, |sum, i| sum.checked_add(i.total()?))
        .filter(|t| *t <= hromada_kernel::money::MAX_KOPIYKAS)
}

/// Where carrying out a winning project stands.
pub const PROGRESS: [&str; 5] = ["planned", "procurement", "in_progress", "done", "cancelled"];

/// A progress update as an official enters it: a known status, a percentage that fits it
/// (done is 100 %), and money spent that is not negative.
pub fn check_progress(status: &str, percent: i64, spent: i64) -> Result<(), &'static str> {
    if !PROGRESS.contains(&status) {
        return Err("budget-error-progress-status");
    }
    if !(0..=100).contains(&percent) || (status == "done") != (percent == 100) && status != "cancelled" {
        return Err("budget-error-progress-percent");
    }
    if spent < 0 {
        return Err("budget-error-money");
    }
    Ok(())
}

// ---------- ballots ----------

/// A category as the ballot sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotCategory {
    pub id: Uuid,
    pub budget: i64,
    pub rule: VotingRule,
}

/// A project on the ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub number: i64,
    pub category: Uuid,
    pub cost: i64,
}

/// What is wrong with a ballot; each has its own message for the voter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    #[error("no project chosen")]
    Empty,
    #[error("project {0} is not on the ballot")]
    NotOnBallot(i64),
    #[error("more than {up_to} projects chosen in a category")]
    TooMany { category: Uuid, up_to: u32 },
    #[error("the chosen projects cost more than the category's budget")]
    OverBudget { category: Uuid },
}

/// Checks a ballot against each category's rule; gives the chosen projects, each once, in
/// number order (the order the public list shows them in).
pub fn check_ballot(
    categories: &[BallotCategory],
    candidates: &[Candidate],
    chosen: &[i64],
) -> Result<Vec<Candidate>, BallotError> {
    let by_number: HashMap<i64, &Candidate> = candidates.iter().map(|c| (c.number, c)).collect();
    let mut picked: Vec<Candidate> = Vec::with_capacity(chosen.len());
    let mut seen = HashSet::new();
    for number in chosen {
        let c = by_number.get(number).ok_or(BallotError::NotOnBallot(*number))?;
        if seen.insert(*number) {
            picked.push(**c);
        }
    }
    if picked.is_empty() {
        return Err(BallotError::Empty);
    }
    for category in categories {
        let mine = picked.iter().filter(|c| c.category == category.id);
        let (count, cost) = mine.fold((0u32, 0i64), |(n, s), c| (n + 1, s.saturating_add(c.cost)));
        match category.rule {
            VotingRule::Approve { up_to } if count > up_to => {
                return Err(BallotError::TooMany { category: category.id, up_to });
            }
            VotingRule::One if count > 1 => return Err(BallotError::TooMany { category: category.id, up_to: 1 }),
            VotingRule::Knapsack if cost > category.budget => {
                return Err(BallotError::OverBudget { category: category.id });
            }
            _ => {}
        }
    }
    if let Some(stray) = picked.iter().find(|c| !categories.iter().any(|k| k.id == c.category)) {
        return Err(BallotError::NotOnBallot(stray.number));
    }
    picked.sort_by_key(|c| c.number);
    Ok(picked)
}

// ---------- the tally ----------

/// A project with its votes, as the tally ranks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tallied {
    pub project: Uuid,
    pub number: i64,
    pub cost: i64,
    pub votes: u64,
}

/// What the tally made of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Winner,
    /// Enough votes, but the money left when its turn came was less than its cost.
    DoesNotFit,
    /// Fewer votes than the regulation asks of a winner.
    TooFewVotes,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Winner => "winner",
            Outcome::DoesNotFit => "does_not_fit",
            Outcome::TooFewVotes => "too_few_votes",
        }
    }
}

/// One line of a category's results, in rank order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked {
    pub rank: usize,
    pub project: Tallied,
    pub outcome: Outcome,
}

/// A category's results: the ranking and the money the winners take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryResult {
    pub budget: i64,
    pub used: i64,
    pub ranked: Vec<Ranked>,
}

/// Ranks a category's projects and finds the winners, by the default rule of regulations:
/// most votes first; a tie goes to the cheaper project (it leaves more for the others), then to
/// the one submitted first (lower number). In rank order each project wins when it has at least
/// `min_votes` and fits in what is left of the budget, otherwise it is passed over and the next
/// one is tried — so a cheaper project further down can still win.
pub fn winners(budget: i64, min_votes: u32, mut projects: Vec<Tallied>) -> CategoryResult {
    projects.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.cost.cmp(&b.cost)).then(a.number.cmp(&b.number)));
    let mut left = budget;
    let ranked = projects
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let outcome = if p.votes < u64::from(min_votes.max(1)) {
                Outcome::TooFewVotes
            } else if p.cost <= left {
                left -= p.cost;
                Outcome::Winner
            } else {
                Outcome::DoesNotFit
            };
            Ranked { rank: i + 1, project: p, outcome }
        })
        .collect();
    CategoryResult { budget, used: budget - left, ranked }
}

// ---------- the public list of ballots ----------

/// Keys a voter's place in a contest without naming them: the store finds a voter's live ballot
/// by it (to replace a changeable ballot), yet whoever reads the database without the
/// installation secret cannot tie a ballot to the register of who voted.
pub fn voter_slot(secret: &[u8], contest: Uuid, voter_key: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"hromada/budget-slot/v1\0");
    mac.update(contest.as_bytes());
    mac.update(voter_key);
    mac.finalize().into_bytes().to_vec()
}

/// A salted commitment to a voter's receipt code, published in place of any name.
pub fn receipt_commitment(contest: Uuid, seq: u64, receipt_code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"hromada/budget-receipt/v1\0");
    h.update(contest.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(receipt_code.as_bytes());
    h.finalize().into()
}

/// The hash before the first ballot of a contest.
pub fn genesis(contest: Uuid) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"hromada/budget-chain/v1\0");
    h.update(contest.as_bytes());
    h.finalize().into()
}

/// `SHA-256(prev ‖ contest ‖ seq ‖ n ‖ choice₁ … choiceₙ ‖ supersedes (0 for none) ‖ paper ‖ commitment)`,
/// integers as 8-byte big-endian, `paper` as one byte.
pub fn entry_hash(
    prev: &[u8; 32],
    contest: Uuid,
    seq: u64,
    choices: &[i64],
    supersedes: Option<u64>,
    paper: bool,
    commitment: &[u8; 32],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(contest.as_bytes());
    h.update(seq.to_be_bytes());
    h.update((choices.len() as u64).to_be_bytes());
    for c in choices {
        h.update(c.to_be_bytes());
    }
    h.update(supersedes.unwrap_or(0).to_be_bytes());
    h.update([u8::from(paper)]);
    h.update(commitment);
    h.finalize().into()
}

/// One published ballot: its place, the projects chosen (by number), the ballot it replaces
/// when a voter changed their mind, whether it came on paper, the commitment and the hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BallotEntry {
    pub seq: u64,
    pub choices: Vec<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<u64>,
    #[serde(default)]
    pub paper: bool,
    /// Hex of [`receipt_commitment`].
    pub commitment: String,
    /// Hex of [`entry_hash`].
    pub hash: String,
}

/// What is wrong with a published list of ballots.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("entry {0} is out of sequence")]
    Sequence(u64),
    #[error("entry {0} has a malformed commitment")]
    Commitment(u64),
    #[error("entry {0} replaces a ballot that is not an earlier live one")]
    Supersedes(u64),
    #[error("entry {0} does not hash to what is published")]
    Hash(u64),
}

/// Recomputes the list from the start; gives the votes per project number counted over live
/// ballots (those no later ballot replaced), the number of live ballots and the head hash.
pub fn verify_chain(contest: Uuid, entries: &[BallotEntry]) -> Result<Recount, ChainError> {
    let mut prev = genesis(contest);
    let mut live: HashSet<u64> = HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        if e.seq != i as u64 + 1 {
            return Err(ChainError::Sequence(e.seq));
        }
        let commitment: [u8; 32] =
            hex::decode(&e.commitment).ok().and_then(|b| b.try_into().ok()).ok_or(ChainError::Commitment(e.seq))?;
        if let Some(old) = e.supersedes
            && !live.remove(&old)
        {
            return Err(ChainError::Supersedes(e.seq));
        }
        let hash = entry_hash(&prev, contest, e.seq, &e.choices, e.supersedes, e.paper, &commitment);
        if hex::encode(hash) != e.hash {
            return Err(ChainError::Hash(e.seq));
        }
        live.insert(e.seq);
        prev = hash;
    }
    let mut votes: BTreeMap<i64, u64> = BTreeMap::new();
    for e in entries.iter().filter(|e| live.contains(&e.seq)) {
        for c in &e.choices {
            *votes.entry(*c).or_default() += 1;
        }
    }
    Ok(Recount { ballots: live.len() as u64, votes, head: prev })
}

/// What anyone can recompute from the published ballots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recount {
    /// Live ballots.
    pub ballots: u64,
    /// Votes per project number.
    pub votes: BTreeMap<i64, u64>,
    pub head: [u8; 32],
}

/// The entry a receipt code belongs to, if it is in the list.
pub fn find_receipt<'a>(contest: Uuid, entries: &'a [BallotEntry], receipt_code: &str) -> Option<&'a BallotEntry> {
    entries.iter().find(|e| hex::encode(receipt_commitment(contest, e.seq, receipt_code)) == e.commitment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn timeline() -> Timeline {
        Timeline {
            submission_from: d(2027, 3, 1),
            submission_to: d(2027, 3, 31),
            review_to: d(2027, 4, 30),
            revision_to: d(2027, 5, 10),
            voting_to: d(2027, 5, 31),
            results_to: d(2027, 6, 15),
        }
    }

    #[test]
    fn phases_follow_the_dates_day_by_day() {
        let t = timeline();
        assert_eq!(t.validate(), Ok(()));
        assert_eq!(t.phase_at(d(2027, 2, 28)), Phase::Announced);
        assert_eq!(t.phase_at(d(2027, 3, 1)), Phase::Submission);
        assert_eq!(t.phase_at(d(2027, 3, 31)), Phase::Submission);
        assert_eq!(t.phase_at(d(2027, 4, 1)), Phase::Review);
        assert_eq!(t.phase_at(d(2027, 5, 1)), Phase::Revision);
        assert_eq!(t.phase_at(d(2027, 5, 11)), Phase::Voting);
        assert_eq!(t.phase_at(d(2027, 5, 31)), Phase::Voting);
        assert_eq!(t.phase_at(d(2027, 6, 1)), Phase::Results);
        assert_eq!(t.phase_at(d(2027, 6, 16)), Phase::Implementation);
        let spans = t.spans();
        assert_eq!(spans.len(), 6);
        assert_eq!(spans[3].phase, Phase::Voting);
        assert_eq!((spans[3].from, spans[3].to), (d(2027, 5, 11), Some(d(2027, 5, 31))));
        // Without revision days the phase is left out of the timeline and voting follows review.
        let short = Timeline { revision_to: t.review_to, ..t };
        assert_eq!(short.validate(), Ok(()));
        assert!(short.spans().iter().all(|s| s.phase != Phase::Revision));
        assert_eq!(short.phase_at(d(2027, 5, 1)), Phase::Voting);
        assert_eq!(Timeline { voting_to: t.revision_to, ..t }.validate(), Err(InvalidRule("voting_to")));
        assert_eq!(Timeline { submission_to: d(2027, 2, 1), ..t }.validate(), Err(InvalidRule("submission_to")));
    }

    #[test]
    fn projects_move_only_as_the_phase_allows() {
        use ProjectAction as A;
        use ProjectStatus as S;
        assert_eq!(transition(S::Draft, A::Submit, Phase::Submission), Ok(S::Submitted));
        assert!(transition(S::Draft, A::Submit, Phase::Review).is_err(), "submission closed");
        assert_eq!(transition(S::Submitted, A::Return, Phase::Review), Ok(S::Returned));
        assert_eq!(transition(S::Returned, A::Submit, Phase::Revision), Ok(S::Submitted));
        assert_eq!(transition(S::Submitted, A::Admit, Phase::Revision), Ok(S::Admitted));
        assert_eq!(transition(S::Admitted, A::Reject, Phase::Review), Ok(S::Rejected));
        assert!(transition(S::Submitted, A::Admit, Phase::Voting).is_err(), "the ballot is fixed once voting starts");
        assert!(transition(S::Returned, A::Submit, Phase::Voting).is_err());
        assert!(transition(S::Admitted, A::Admit, Phase::Review).is_err(), "no step to the same status");
        assert!(transition(S::Draft, A::Admit, Phase::Review).is_err(), "a draft is not the commission's yet");
        assert!(S::Returned.editable() && S::Draft.editable() && !S::Submitted.editable());
    }

    #[test]
    fn progress_updates_keep_their_figures_consistent() {
        assert_eq!(check_progress("in_progress", 40, 1000), Ok(()));
        assert_eq!(check_progress("done", 100, 0), Ok(()));
        assert_eq!(check_progress("done", 90, 0), Err("budget-error-progress-percent"));
        assert_eq!(check_progress("in_progress", 100, 0), Err("budget-error-progress-percent"));
        assert_eq!(check_progress("cancelled", 30, 0), Ok(()));
        assert_eq!(check_progress("in_progress", 101, 0), Err("budget-error-progress-percent"));
        assert_eq!(check_progress("maybe", 0, 0), Err("budget-error-progress-status"));
        assert_eq!(check_progress("planned", 0, -1), Err("budget-error-money"));
    }

    #[test]
    fn supports_come_during_submission_from_others() {
        assert_eq!(may_support(ProjectStatus::Submitted, Phase::Submission, false), Ok(()));
        assert_eq!(may_support(ProjectStatus::Submitted, Phase::Submission, true), Err("budget-support-own"));
        assert_eq!(may_support(ProjectStatus::Draft, Phase::Submission, false), Err("budget-support-closed"));
        assert_eq!(may_support(ProjectStatus::Submitted, Phase::Review, false), Err("budget-support-closed"));
    }

    #[test]
    fn a_questionnaire_reads_line_by_line_and_answers_are_checked() {
        let text = "текст | Кому допоможе проєкт? | обов'язкове\n\
                    number | Скільки людей користуватиметься\n\
                    choice | Тип проєкту | required | освіта, спорт, благоустрій\n\
                    файл | Погодження власника\n\
                    location | Точка на мапі";
        let q = parse_questionnaire(text).unwrap();
        assert_eq!(q.len(), 5);
        assert_eq!((q[0].key.as_str(), q[0].kind, q[0].required), ("q1", QuestionKind::Text, true));
        assert_eq!(q[2].options, vec!["освіта", "спорт", "благоустрій"]);
        assert!(q[2].required && !q[1].required);
        assert_eq!(q[3].kind, QuestionKind::File);
        assert_eq!(parse_questionnaire(&questionnaire_text(&q)).unwrap(), q, "written back, it reads the same");
        assert_eq!(
            parse_questionnaire("пісня | Що?").unwrap_err(),
            CostLineError { line: 1, key: "budget-question-kind" }
        );
        assert_eq!(parse_questionnaire("\nchoice | Тип").unwrap_err().line, 2);
        assert_eq!(parse_questionnaire("text | Що? | а, б").unwrap_err().key, "budget-question-options");
        assert_eq!(parse_questionnaire("text |  ").unwrap_err().key, "budget-question-label");

        assert_eq!(check_answer(&q[0], " "), Err("budget-answer-required"));
        assert_eq!(check_answer(&q[1], ""), Ok(String::new()));
        assert_eq!(check_answer(&q[1], "1 200,5"), Ok("1200.5".into()));
        assert_eq!(check_answer(&q[1], "багато"), Err("budget-answer-number"));
        assert_eq!(check_answer(&q[2], "спорт"), Ok("спорт".into()));
        assert_eq!(check_answer(&q[2], "музика"), Err("budget-answer-choice"));
        assert_eq!(check_answer(&q[4], "50.45, 30.52"), Ok("50.45, 30.52".into()));
        assert_eq!(check_answer(&q[4], "500, 30"), Err("budget-answer-location"));
    }

    #[test]
    fn category_rules_are_checked() {
        let ok = CategoryRules {
            budget: 100_000 * 100,
            min_cost: 10_000 * 100,
            max_cost: 50_000 * 100,
            rule: VotingRule::Knapsack,
        };
        assert_eq!(ok.validate(), Ok(()));
        assert_eq!(CategoryRules { max_cost: 200_000 * 100, ..ok }.validate(), Err(InvalidRule("max_cost")));
        assert_eq!(CategoryRules { min_cost: 60_000 * 100, ..ok }.validate(), Err(InvalidRule("min_cost")));
        assert_eq!(
            CategoryRules { rule: VotingRule::Approve { up_to: 0 }, ..ok }.validate(),
            Err(InvalidRule("up_to"))
        );
        assert!(ok.admits_cost(10_000 * 100) && ok.admits_cost(50_000 * 100) && !ok.admits_cost(5_000_001));
        assert!(fits_total(300, [100, 200]) && !fits_total(299, [100, 200]) && !fits_total(i64::MAX, [i64::MAX, 1]));
        assert_eq!(VotingRule::parse("approve", 3), Some(VotingRule::Approve { up_to: 3 }));
        assert_eq!(VotingRule::parse("knapsack", 0).map(VotingRule::code), Some("knapsack"));
    }

    #[test]
    fn cost_breakdowns_read_line_by_line() {
        let items = parse_costs("Лавка; 4; 3 500\n\nУрна | 2 | 1200,50\nМонтаж\t1\t5000").unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[1],
            CostItem { name: "Урна".into(), quantity: 2, unit_price: 120_050, comment: String::new() }
        );
        let corrected = parse_costs("Лавка; 4; 3000; ціна постачальника громади").unwrap();
        assert_eq!(corrected[0].comment, "ціна постачальника громади");
        assert_eq!(parse_costs(&costs_text(&corrected)).unwrap(), corrected);
        assert_eq!(total_cost(&items), Some(4 * 3_500 * 100 + 2 * 120_050 + 5_000 * 100));
        assert_eq!(parse_costs(&costs_text(&items)).unwrap(), items, "written back, it reads the same");
        assert_eq!(parse_costs("Лавка; 4").unwrap_err(), CostLineError { line: 1, key: "budget-cost-line-shape" });
        assert_eq!(parse_costs("\nЛавка; нуль; 5").unwrap_err().line, 2);
        assert_eq!(parse_costs("Лавка; 1; -5").unwrap_err().key, "budget-cost-line-price");
        assert_eq!(parse_costs("  ").unwrap_err().key, "budget-cost-empty");
        assert_eq!(parse_costs("Міст; 1000000; 999999999").unwrap_err().key, "budget-cost-too-large");
    }

    fn cat(budget: i64, rule: VotingRule) -> BallotCategory {
        BallotCategory { id: Uuid::now_v7(), budget, rule }
    }

    fn candidate(number: i64, category: &BallotCategory, cost: i64) -> Candidate {
        Candidate { id: Uuid::now_v7(), number, category: category.id, cost }
    }

    #[test]
    fn ballots_keep_to_each_category_rule() {
        let small = cat(100, VotingRule::Approve { up_to: 2 });
        let big = cat(1000, VotingRule::Knapsack);
        let one = cat(50, VotingRule::One);
        let cats = [small, big, one];
        let list = [
            candidate(1, &small, 40),
            candidate(2, &small, 40),
            candidate(3, &small, 40),
            candidate(4, &big, 600),
            candidate(5, &big, 400),
            candidate(6, &big, 300),
            candidate(7, &one, 50),
            candidate(8, &one, 20),
        ];
        let numbers =
            |r: Result<Vec<Candidate>, BallotError>| r.map(|v| v.iter().map(|c| c.number).collect::<Vec<_>>());
        assert_eq!(numbers(check_ballot(&cats, &list, &[5, 1, 4, 7, 1])), Ok(vec![1, 4, 5, 7]), "a repeat counts once");
        assert_eq!(check_ballot(&cats, &list, &[1, 2, 3]), Err(BallotError::TooMany { category: small.id, up_to: 2 }));
        assert_eq!(check_ballot(&cats, &list, &[4, 5, 6]), Err(BallotError::OverBudget { category: big.id }));
        assert_eq!(check_ballot(&cats, &list, &[7, 8]), Err(BallotError::TooMany { category: one.id, up_to: 1 }));
        assert_eq!(check_ballot(&cats, &list, &[9]), Err(BallotError::NotOnBallot(9)));
        assert_eq!(check_ballot(&cats, &list, &[]), Err(BallotError::Empty));
    }

    fn tallied(number: i64, cost: i64, votes: u64) -> Tallied {
        Tallied { project: Uuid::from_u128(number as u128), number, cost, votes }
    }

    #[test]
    fn winners_by_votes_pass_over_what_no_longer_fits() {
        let r = winners(
            1000,
            1,
            vec![
                tallied(1, 600, 90),
                tallied(2, 500, 80),
                tallied(3, 300, 70),
                tallied(4, 100, 0),
                tallied(5, 100, 70),
            ],
        );
        let got: Vec<(i64, Outcome)> = r.ranked.iter().map(|x| (x.project.number, x.outcome)).collect();
        assert_eq!(
            got,
            vec![
                (1, Outcome::Winner),
                (2, Outcome::DoesNotFit),
                // A tie on votes goes to the cheaper project.
                (5, Outcome::Winner),
                (3, Outcome::Winner),
                (4, Outcome::TooFewVotes),
            ]
        );
        assert_eq!(r.used, 1000);
        // Same votes and cost: the project submitted first ranks first.
        let tie = winners(100, 1, vec![tallied(9, 100, 5), tallied(3, 100, 5)]);
        assert_eq!(tie.ranked[0].project.number, 3);
        assert_eq!(tie.ranked[1].outcome, Outcome::DoesNotFit);
        assert_eq!(winners(100, 10, vec![tallied(1, 10, 9)]).ranked[0].outcome, Outcome::TooFewVotes);
    }

    /// Builds a published list from ballots given as (choices, replaces an earlier ballot's index).
    fn chain(contest: Uuid, ballots: &[(Vec<i64>, Option<usize>)]) -> Vec<BallotEntry> {
        let mut prev = genesis(contest);
        let mut out = vec![];
        for (i, (choices, replaces)) in ballots.iter().enumerate() {
            let seq = i as u64 + 1;
            let commitment = receipt_commitment(contest, seq, &format!("R{seq}"));
            let supersedes = replaces.map(|r| r as u64 + 1);
            let hash = entry_hash(&prev, contest, seq, choices, supersedes, false, &commitment);
            out.push(BallotEntry {
                seq,
                choices: choices.clone(),
                supersedes,
                paper: false,
                commitment: hex::encode(commitment),
                hash: hex::encode(hash),
            });
            prev = hash;
        }
        out
    }

    #[test]
    fn a_changed_ballot_replaces_the_old_one_in_the_recount() {
        let c = Uuid::now_v7();
        let entries = chain(c, &[(vec![1, 2], None), (vec![2], None), (vec![3], Some(0))]);
        let recount = verify_chain(c, &entries).unwrap();
        assert_eq!(recount.ballots, 2);
        assert_eq!(recount.votes, BTreeMap::from([(2, 1), (3, 1)]));
        assert_eq!(find_receipt(c, &entries, "R2").map(|e| e.seq), Some(2));
        assert!(find_receipt(c, &entries, "nope").is_none());
        // Replacing the same ballot twice is caught.
        let twice = chain(c, &[(vec![1], None), (vec![2], Some(0)), (vec![3], Some(0))]);
        assert_eq!(verify_chain(c, &twice), Err(ChainError::Supersedes(3)));
    }

    #[test]
    fn slots_differ_by_contest_and_voter_and_need_the_secret() {
        let c = Uuid::now_v7();
        let a = voter_slot(b"secret", c, b"p:1");
        assert_eq!(a, voter_slot(b"secret", c, b"p:1"));
        assert_ne!(a, voter_slot(b"secret", c, b"p:2"));
        assert_ne!(a, voter_slot(b"secret", Uuid::now_v7(), b"p:1"));
        assert_ne!(a, voter_slot(b"other", c, b"p:1"));
    }

    fn projects() -> impl Strategy<Value = Vec<Tallied>> {
        proptest::collection::vec((1i64..500, 0u64..50), 0..30).prop_map(|v| {
            v.into_iter().enumerate().map(|(i, (cost, votes))| tallied(i as i64 + 1, cost, votes)).collect()
        })
    }

    proptest! {
        #[test]
        fn the_tally_never_overspends_and_passes_over_only_what_does_not_fit(
            budget in 0i64..3000, min_votes in 0u32..5, list in projects(),
        ) {
            let r = winners(budget, min_votes, list.clone());
            let spent: i64 = r.ranked.iter().filter(|x| x.outcome == Outcome::Winner).map(|x| x.project.cost).sum();
            prop_assert!(spent <= budget);
            prop_assert_eq!(spent, r.used);
            prop_assert_eq!(r.ranked.len(), list.len());
            // Naively, in rank order: each project passed over for money costs more than what
            // the winners above it left.
            let mut left = budget;
            for x in &r.ranked {
                match x.outcome {
                    Outcome::Winner => left -= x.project.cost,
                    Outcome::DoesNotFit => prop_assert!(x.project.cost > left),
                    Outcome::TooFewVotes => prop_assert!(x.project.votes < u64::from(min_votes.max(1))),
                }
            }
            // Ranks follow votes.
            for w in r.ranked.windows(2) {
                prop_assert!(w[0].project.votes >= w[1].project.votes);
            }
        }

        #[test]
        fn the_tally_does_not_depend_on_the_order_it_reads_projects_in(
            budget in 0i64..3000, list in projects(), seed in any::<u64>(),
        ) {
            let mut shuffled = list.clone();
            // A deterministic shuffle from the seed.
            let mut s = seed | 1;
            for i in (1..shuffled.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                shuffled.swap(i, (s % (i as u64 + 1)) as usize);
            }
            prop_assert_eq!(winners(budget, 1, list), winners(budget, 1, shuffled));
        }

        #[test]
        fn the_published_list_recounts_to_the_live_ballots(
            ballots in proptest::collection::vec((proptest::collection::btree_set(1i64..20, 1..5), any::<bool>()), 0..40),
        ) {
            let c = Uuid::now_v7();
            // Each ballot may replace the latest live one before it.
            let mut live: Vec<usize> = vec![];
            let mut spec = vec![];
            let mut naive: BTreeMap<usize, Vec<i64>> = BTreeMap::new();
            for (i, (choices, replace)) in ballots.iter().enumerate() {
                let choices: Vec<i64> = choices.iter().copied().collect();
                let replaces = if *replace { live.pop() } else { None };
                if let Some(r) = replaces { naive.remove(&r); }
                live.push(i);
                naive.insert(i, choices.clone());
                spec.push((choices, replaces));
            }
            let recount = verify_chain(c, &chain(c, &spec)).unwrap();
            let mut expected: BTreeMap<i64, u64> = BTreeMap::new();
            for choices in naive.values() { for n in choices { *expected.entry(*n).or_default() += 1; } }
            prop_assert_eq!(recount.ballots as usize, naive.len());
            prop_assert_eq!(recount.votes, expected);
        }

        #[test]
        fn any_change_to_a_published_ballot_is_caught(
            ballots in proptest::collection::vec(proptest::collection::vec(1i64..20, 1..4), 1..20),
            at in any::<prop::sample::Index>(), what in 0u8..3,
        ) {
            let c = Uuid::now_v7();
            let spec: Vec<(Vec<i64>, Option<usize>)> = ballots.into_iter().map(|b| (b, None)).collect();
            let mut entries = chain(c, &spec);
            let i = at.index(entries.len());
            match what {
                0 => entries[i].choices.push(99),
                1 => entries[i].paper = true,
                _ => entries[i].commitment = hex::encode([7u8; 32]),
            }
            prop_assert!(verify_chain(c, &entries).is_err());
        }
    }
}
