//! Surveys as data: every common question type, sections, conditions on earlier answers; what
//! makes a response complete and valid; and the results — counts, means, rankings — with
//! breakdowns that never show a group small enough to point at a person.

use chrono::NaiveDate;
use hromada_kernel::LocalizedText;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

// ---------- the survey ----------

/// One option of a choice or ranking question; `value` is stable, the label may change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: LocalizedText,
}

/// What a question asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One of the options; with `other`, or a text of one's own.
    Single {
        options: Vec<Choice>,
        other: bool,
    },
    /// Between `min` and `max` of the options (and `other`).
    Multiple {
        options: Vec<Choice>,
        other: bool,
        min: u32,
        max: u32,
    },
    /// A point on a scale from 1 to `max` (5 or 10), the ends labelled.
    Scale {
        max: u8,
        low: LocalizedText,
        high: LocalizedText,
    },
    /// Every option put in order, the first most preferred.
    Ranking {
        options: Vec<Choice>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        whole: bool,
    },
    Date {
        min: Option<NaiveDate>,
        max: Option<NaiveDate>,
    },
    ShortText {
        max_chars: u32,
    },
    LongText {
        max_chars: u32,
    },
}

/// Show a question only when an earlier choice question was answered with one of `values`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub question: String,
    pub any_of: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable within the survey; answers are stored under it.
    pub key: String,
    pub title: LocalizedText,
    #[serde(default)]
    pub hint: Option<LocalizedText>,
    pub required: bool,
    /// Index into the survey's sections.
    #[serde(default)]
    pub section: usize,
    pub kind: QuestionKind,
    #[serde(default)]
    pub show_when: Option<Condition>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Survey {
    /// Section titles; questions point at them by index. One untitled section when empty.
    #[serde(default)]
    pub sections: Vec<LocalizedText>,
    pub questions: Vec<Question>,
}

/// Why a survey cannot be published as built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    #[error("the survey has no questions")]
    Empty,
    #[error("two questions share the key {0}")]
    DuplicateKey(String),
    #[error("question {0} has too few options")]
    TooFewOptions(String),
    #[error("question {0} repeats an option")]
    DuplicateOption(String),
    #[error("question {0} asks for an impossible number of choices")]
    BadLimits(String),
    #[error("question {0} depends on a question that does not come before it or has no options")]
    BadCondition(String),
    #[error("question {0} is in a section that does not exist")]
    BadSection(String),
}

impl QuestionKind {
    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionKind::Single { options, .. }
            | QuestionKind::Multiple { options, .. }
            | QuestionKind::Ranking { options } => options,
            _ => &[],
        }
    }

    pub fn allows_other(&self) -> bool {
        matches!(self, QuestionKind::Single { other: true, .. } | QuestionKind::Multiple { other: true, .. })
    }
}

/// The answer value standing for "other: ___".
pub const OTHER: &str = "other";

impl Survey {
    /// Checks the structure an official built before it goes to residents.
    pub fn validate(&self) -> Result<(), SurveyError> {
        if self.questions.is_empty() {
            return Err(SurveyError::Empty);
        }
        let mut seen: HashMap<&str, &Question> = HashMap::new();
        for q in &self.questions {
            let key = || q.key.clone();
            if seen.contains_key(q.key.as_str()) {
                return Err(SurveyError::DuplicateKey(key()));
            }
            if q.section >= self.sections.len().max(1) {
                return Err(SurveyError::BadSection(key()));
            }
            let options = q.kind.options();
            let needs = match q.kind {
                QuestionKind::Single { .. } | QuestionKind::Multiple { .. } | QuestionKind::Ranking { .. } => 2,
                _ => 0,
            };
            if options.len() < needs {
                return Err(SurveyError::TooFewOptions(key()));
            }
            let distinct: BTreeSet<&str> = options.iter().map(|o| o.value.as_str()).collect();
            if distinct.len() != options.len() || distinct.contains(OTHER) {
                return Err(SurveyError::DuplicateOption(key()));
            }
            let limits_ok = match &q.kind {
                QuestionKind::Multiple { min, max, other, .. } => {
                    min <= max && *max >= 1 && (*min as usize) <= options.len() + usize::from(*other)
                }
                QuestionKind::Scale { max, .. } => *max == 5 || *max == 10,
                QuestionKind::Number { min: Some(a), max: Some(b), .. } => a <= b,
                QuestionKind::Date { min: Some(a), max: Some(b) } => a <= b,
                QuestionKind::ShortText { max_chars } | QuestionKind::LongText { max_chars } => *max_chars > 0,
                _ => true,
            };
            if !limits_ok {
                return Err(SurveyError::BadLimits(key()));
            }
            if let Some(c) = &q.show_when {
                let earlier = seen.get(c.question.as_str());
                let fits = earlier.is_some_and(|e| {
                    matches!(e.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. })
                        && !c.any_of.is_empty()
                        && c.any_of.iter().all(|v| e.kind.options().iter().any(|o| &o.value == v))
                });
                if !fits {
                    return Err(SurveyError::BadCondition(key()));
                }
            }
            seen.insert(&q.key, q);
        }
        Ok(())
    }

    /// The questions a respondent sees given their answers so far: a condition on a hidden
    /// question is never met.
    pub fn visible<'a>(&'a self, answers: &BTreeMap<String, Answer>) -> Vec<&'a Question> {
        let mut shown: BTreeSet<&str> = BTreeSet::new();
        let mut out = vec![];
        for q in &self.questions {
            let visible = match &q.show_when {
                None => true,
                Some(c) => {
                    shown.contains(c.question.as_str())
                        && answers.get(&c.question).is_some_and(|a| a.chosen().any(|v| c.any_of.iter().any(|x| x == v)))
                }
            };
            if visible {
                shown.insert(&q.key);
                out.push(q);
            }
        }
        out
    }
}

// ---------- answers ----------

/// One answer as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// The chosen option values; `other` holds the own text when [`OTHER`] is among them.
    Choices {
        values: Vec<String>,
        other: Option<String>,
    },
    Scale(u8),
    /// Option values, most preferred first.
    Ranking(Vec<String>),
    Number(f64),
    Date(NaiveDate),
    Text(String),
}

impl Answer {
    /// The option values this answer chose, for conditions and tallies.
    pub fn chosen(&self) -> impl Iterator<Item = &str> {
        let values: &[String] = match self {
            Answer::Choices { values, .. } => values,
            _ => &[],
        };
        values.iter().map(String::as_str)
    }
}

/// What a form sends for one question, before checking: every value of its field, and the
/// "other" text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawAnswer {
    pub values: Vec<String>,
    pub other: String,
}

/// Why an answer is refused; each has a translation key for the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerError {
    Required,
    UnknownOption,
    TooFew,
    TooMany,
    OtherNeedsText,
    NotANumber,
    NotWhole,
    OutOfRange,
    NotADate,
    TooLong,
    /// A ranking must place every option exactly once.
    IncompleteRanking,
}

impl AnswerError {
    pub fn key(self) -> &'static str {
        match self {
            AnswerError::Required => "survey-error-required",
            AnswerError::UnknownOption => "survey-error-unknown-option",
            AnswerError::TooFew => "survey-error-too-few",
            AnswerError::TooMany => "survey-error-too-many",
            AnswerError::OtherNeedsText => "survey-error-other-needs-text",
            AnswerError::NotANumber => "survey-error-not-a-number",
            AnswerError::NotWhole => "survey-error-not-whole",
            AnswerError::OutOfRange => "survey-error-out-of-range",
            AnswerError::NotADate => "survey-error-not-a-date",
            AnswerError::TooLong => "survey-error-too-long",
            AnswerError::IncompleteRanking => "survey-error-incomplete-ranking",
        }
    }
}

/// Checks one answer as the whole response's check would; `None` for a skipped optional question.
pub fn check_one(q: &Question, raw: &RawAnswer) -> Result<Option<Answer>, AnswerError> {
    let values: Vec<&str> = raw.values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
    if values.is_empty() {
        return if q.required { Err(AnswerError::Required) } else { Ok(None) };
    }
    let known = |v: &str| q.kind.options().iter().any(|o| o.value == v) || (v == OTHER && q.kind.allows_other());
    let answer = match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
            let mut chosen: Vec<String> = vec![];
            for v in &values {
                if !known(v) {
                    return Err(AnswerError::UnknownOption);
                }
                if !chosen.iter().any(|c| c == v) {
                    chosen.push((*v).to_owned());
                }
            }
            match &q.kind {
                QuestionKind::Single { .. } if chosen.len() > 1 => return Err(AnswerError::TooMany),
                QuestionKind::Multiple { min, max, .. } => {
                    if chosen.len() < *min as usize {
                        return Err(AnswerError::TooFew);
                    }
                    if chosen.len() > *max as usize {
                        return Err(AnswerError::TooMany);
                    }
                }
                _ => {}
            }
            let other = raw.other.trim();
            let other = if chosen.iter().any(|c| c == OTHER) {
                if other.is_empty() {
                    return Err(AnswerError::OtherNeedsText);
                }
                if other.chars().count() > 500 {
                    return Err(AnswerError::TooLong);
                }
                Some(other.to_owned())
            } else {
                None
            };
            Answer::Choices { values: chosen, other }
        }
        QuestionKind::Scale { max, .. } => {
            let n: u8 = values[0].parse().map_err(|_| AnswerError::NotANumber)?;
            if !(1..=*max).contains(&n) || values.len() > 1 {
                return Err(AnswerError::OutOfRange);
            }
            Answer::Scale(n)
        }
        QuestionKind::Ranking { options } => {
            let distinct: BTreeSet<&str> = values.iter().copied().collect();
            if values.iter().any(|v| !known(v)) {
                return Err(AnswerError::UnknownOption);
            }
            if distinct.len() != values.len() || values.len() != options.len() {
                return Err(AnswerError::IncompleteRanking);
            }
            Answer::Ranking(values.iter().map(|v| (*v).to_owned()).collect())
        }
        QuestionKind::Number { min, max, whole } => {
            let n: f64 = values[0].replace(',', ".").replace(' ', "").parse().map_err(|_| AnswerError::NotANumber)?;
            if !n.is_finite() {
                return Err(AnswerError::NotANumber);
            }
            if *whole && n.fract() != 0.0 {
                return Err(AnswerError::NotWhole);
            }
            if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
                return Err(AnswerError::OutOfRange);
            }
            Answer::Number(n)
        }
        QuestionKind::Date { min, max } => {
            let d = NaiveDate::parse_from_str(values[0], "%Y-%m-%d").map_err(|_| AnswerError::NotADate)?;
            if min.is_some_and(|m| d < m) || max.is_some_and(|m| d > m) {
                return Err(AnswerError::OutOfRange);
            }
            Answer::Date(d)
        }
        QuestionKind::ShortText { max_chars } | QuestionKind::LongText { max_chars } => {
            let text = values.join("\n");
            if text.chars().count() > *max_chars as usize {
                return Err(AnswerError::TooLong);
            }
            Answer::Text(text)
        }
    };
    Ok(Some(answer))
}

/// A complete, valid response: an answer for every visible required question, none for a
/// hidden one (answers to questions a condition hid are dropped, not kept).
pub fn check_response(
    survey: &Survey,
    raw: &BTreeMap<String, RawAnswer>,
) -> Result<BTreeMap<String, Answer>, Vec<(String, AnswerError)>> {
    let mut answers = BTreeMap::new();
    let mut errors = vec![];
    // Conditions only look back, so one pass in order sees every earlier answer.
    for q in &survey.questions {
        let visible = match &q.show_when {
            None => true,
            Some(_) => survey.visible(&answers).iter().any(|v| v.key == q.key),
        };
        if !visible {
            continue;
        }
        match check_one(q, raw.get(&q.key).unwrap_or(&RawAnswer::default())) {
            Ok(Some(a)) => {
                answers.insert(q.key.clone(), a);
            }
            Ok(None) => {}
            Err(e) => errors.push((q.key.clone(), e)),
        }
    }
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

// ---------- results ----------

/// The smallest group a breakdown shows; smaller ones are merged into "other groups" so that
/// nobody's answer can be read off a small village's row.
pub const MIN_GROUP: u64 = 5;

/// Results of one question.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Tally {
    /// Respondents per option value (and [`OTHER`]); with the own texts given for "other".
    Choices {
        answered: u64,
        counts: Vec<(String, u64)>,
        others: Vec<String>,
    },
    /// Respondents per point of the scale (index 0 is 1), and the mean.
    Scale {
        answered: u64,
        counts: Vec<u64>,
        mean: Option<f64>,
    },
    /// Borda points per option (n−1 for first place … 0 for last), highest first.
    Ranking {
        answered: u64,
        points: Vec<(String, u64)>,
    },
    Number {
        answered: u64,
        mean: Option<f64>,
        median: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
    },
    Dates {
        answered: u64,
        earliest: Option<NaiveDate>,
        latest: Option<NaiveDate>,
    },
    Texts {
        answered: u64,
        texts: Vec<String>,
    },
}

fn median(sorted: &[f64]) -> Option<f64> {
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[n / 2]),
        n => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// Tallies one question over all responses.
pub fn tally<'a>(q: &Question, responses: impl IntoIterator<Item = &'a BTreeMap<String, Answer>>) -> Tally {
    let answers: Vec<&Answer> = responses.into_iter().filter_map(|r| r.get(&q.key)).collect();
    let answered = answers.len() as u64;
    match &q.kind {
        QuestionKind::Single { options, other } | QuestionKind::Multiple { options, other, .. } => {
            let mut counts: Vec<(String, u64)> = options.iter().map(|o| (o.value.clone(), 0)).collect();
            if *other {
                counts.push((OTHER.to_owned(), 0));
            }
            let mut others = vec![];
            for a in &answers {
                for v in a.chosen() {
                    if let Some(slot) = counts.iter_mut().find(|(value, _)| value == v) {
                        slot.1 += 1;
                    }
                }
                if let Answer::Choices { other: Some(text), .. } = a {
                    others.push(text.clone());
                }
            }
            Tally::Choices { answered, counts, others }
        }
        QuestionKind::Scale { max, .. } => {
            let mut counts = vec![0; usize::from(*max)];
            let mut sum = 0u64;
            for a in &answers {
                if let Answer::Scale(n) = a
                    && (1..=*max).contains(n)
                {
                    counts[usize::from(*n - 1)] += 1;
                    sum += u64::from(*n);
                }
            }
            let rated: u64 = counts.iter().sum();
            Tally::Scale { answered, counts, mean: (rated > 0).then(|| sum as f64 / rated as f64) }
        }
        QuestionKind::Ranking { options } => {
            let n = options.len() as u64;
            let mut points: Vec<(String, u64)> = options.iter().map(|o| (o.value.clone(), 0)).collect();
            for a in &answers {
                if let Answer::Ranking(order) = a {
                    for (place, v) in order.iter().enumerate() {
                        if let Some(slot) = points.iter_mut().find(|(value, _)| value == v) {
                            slot.1 += n.saturating_sub(1 + place as u64);
                        }
                    }
                }
            }
            // Highest first; ties keep the survey's order.
            points.sort_by_key(|p| std::cmp::Reverse(p.1));
            Tally::Ranking { answered, points }
        }
        QuestionKind::Number { .. } => {
            let mut xs: Vec<f64> =
                answers.iter().filter_map(|a| if let Answer::Number(n) = a { Some(*n) } else { None }).collect();
            xs.sort_by(f64::total_cmp);
            let mean = (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64);
            Tally::Number { answered, mean, median: median(&xs), min: xs.first().copied(), max: xs.last().copied() }
        }
        QuestionKind::Date { .. } => {
            let ds: Vec<NaiveDate> =
                answers.iter().filter_map(|a| if let Answer::Date(d) = a { Some(*d) } else { None }).collect();
            Tally::Dates { answered, earliest: ds.iter().min().copied(), latest: ds.iter().max().copied() }
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {
            let texts =
                answers.iter().filter_map(|a| if let Answer::Text(t) = a { Some(t.clone()) } else { None }).collect();
            Tally::Texts { answered, texts }
        }
    }
}

// ---------- stored counts ----------

/// What a stored count counts. Its code is kept in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// Respondents (of the survey, or of a group) or, for a question, those who answered it.
    Answered,
    /// Respondents per option value (and [`OTHER`]), or per point of a scale.
    Option,
    /// Borda points per option of a ranking.
    Points,
    /// Respondents per number given: the mean and the median need them all.
    Number,
    /// Respondents per day given; the results read only the earliest and the latest.
    Date,
}

impl Slot {
    pub const ALL: [Slot; 5] = [Slot::Answered, Slot::Option, Slot::Points, Slot::Number, Slot::Date];

    /// Every code but the days' sorts after "d": the results read them as one range.
    pub fn code(self) -> &'static str {
        match self {
            Slot::Answered => "n",
            Slot::Option => "o",
            Slot::Points => "p",
            Slot::Number => "x",
            Slot::Date => "d",
        }
    }

    pub fn parse(code: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The group of respondents a count is about: everyone, or one settlement or age band (for
/// the breakdowns of choice questions).
pub const EVERYONE: &str = "";

pub fn settlement_group(settlement: &str) -> String {
    format!("s:{settlement}")
}

pub fn age_group(band: &str) -> String {
    format!("a:{band}")
}

/// Counts a survey's results are drawn from, kept as responses arrive so that the results
/// never read the responses. A key is (question, group, slot, value); the question is empty
/// for counts of respondents, the value empty for [`Slot::Answered`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts(BTreeMap<(String, String, Slot), BTreeMap<String, i64>>);

impl Counts {
    pub fn add(&mut self, question: &str, group: &str, slot: Slot, value: &str, n: i64) {
        let values = self.0.entry((question.to_owned(), group.to_owned(), slot)).or_default();
        *values.entry(value.to_owned()).or_default() += n;
    }

    /// The values counted under one key, with their counts (zeros included).
    pub fn values(&self, question: &str, group: &str, slot: Slot) -> impl Iterator<Item = (&str, i64)> {
        self.0
            .get(&(question.to_owned(), group.to_owned(), slot))
            .into_iter()
            .flat_map(|m| m.iter().map(|(v, n)| (v.as_str(), *n)))
    }

    pub fn get(&self, question: &str, group: &str, slot: Slot, value: &str) -> i64 {
        self.0.get(&(question.to_owned(), group.to_owned(), slot)).and_then(|m| m.get(value)).copied().unwrap_or(0)
    }

    /// Adds every count of `other`, times `sign`.
    pub fn merge(&mut self, other: &Counts, sign: i64) {
        for ((q, g, slot), values) in &other.0 {
            let mine = self.0.entry((q.clone(), g.clone(), *slot)).or_default();
            for (v, n) in values {
                *mine.entry(v.clone()).or_default() += sign * n;
            }
        }
    }

    /// Every count in key order: (question, group, slot, value, n).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str, Slot, &str, i64)> {
        self.0.iter().flat_map(|((q, g, slot), values)| {
            values.iter().map(move |(v, n)| (q.as_str(), g.as_str(), *slot, v.as_str(), *n))
        })
    }

    /// The same counts without the zeros (a value counted and then taken back).
    pub fn without_zeros(&self) -> Counts {
        let mut out = Counts::default();
        for (q, g, slot, v, n) in self.entries() {
            if n != 0 {
                out.add(q, g, slot, v, n);
            }
        }
        out
    }

    /// Respondents per group whose name starts with `prefix`, in the order of the names.
    pub fn groups<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, i64)> + 'a {
        // The survey's own counts (question "") sort first.
        self.0
            .iter()
            .take_while(|((q, _, _), _)| q.is_empty())
            .filter(move |((_, g, slot), _)| *slot == Slot::Answered && g.starts_with(prefix))
            .filter_map(|((_, g, _), values)| Some((g.as_str(), *values.get("")?)))
    }

    /// Respondents of the whole survey.
    pub fn respondents(&self) -> u64 {
        self.get("", EVERYONE, Slot::Answered, "").max(0) as u64
    }
}

/// What one response adds to the counts (taken away again with `sign` −1 when it is replaced).
pub fn count_response(
    survey: &Survey,
    answers: &BTreeMap<String, Answer>,
    settlement: &str,
    age_band: &str,
    sign: i64,
    into: &mut Counts,
) {
    let groups = [settlement_group(settlement), age_group(age_band)];
    into.add("", EVERYONE, Slot::Answered, "", sign);
    for g in &groups {
        into.add("", g, Slot::Answered, "", sign);
    }
    for q in &survey.questions {
        let Some(a) = answers.get(&q.key) else { continue };
        into.add(&q.key, EVERYONE, Slot::Answered, "", sign);
        match (&q.kind, a) {
            (QuestionKind::Single { .. } | QuestionKind::Multiple { .. }, Answer::Choices { values, .. }) => {
                for v in values {
                    into.add(&q.key, EVERYONE, Slot::Option, v, sign);
                    for g in &groups {
                        into.add(&q.key, g, Slot::Option, v, sign);
                    }
                }
            }
            (QuestionKind::Scale { .. }, Answer::Scale(n)) => {
                into.add(&q.key, EVERYONE, Slot::Option, &n.to_string(), sign)
            }
            (QuestionKind::Ranking { options }, Answer::Ranking(order)) => {
                let n = options.len() as i64;
                for (place, v) in order.iter().enumerate() {
                    let points = (n - 1 - place as i64).max(0);
                    if points > 0 {
                        into.add(&q.key, EVERYONE, Slot::Points, v, sign * points);
                    }
                }
            }
            // Rust prints a float in the shortest form that reads back the same number.
            (QuestionKind::Number { .. }, Answer::Number(x)) => {
                into.add(&q.key, EVERYONE, Slot::Number, &x.to_string(), sign)
            }
            (QuestionKind::Date { .. }, Answer::Date(d)) => {
                into.add(&q.key, EVERYONE, Slot::Date, &d.to_string(), sign)
            }
            _ => {}
        }
    }
}

/// The free text of an answer, if it has one: a text question's answer, or an "other: ___".
pub fn free_text(a: &Answer) -> Option<&str> {
    match a {
        Answer::Text(t) => Some(t),
        Answer::Choices { other: Some(t), .. } => Some(t),
        _ => None,
    }
}

/// Whether a question's answers may carry a free text to list (and moderate).
pub fn has_texts(q: &Question) -> bool {
    q.kind.allows_other() || matches!(q.kind, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. })
}

/// Tallies one question from the stored counts. The texts are left empty: they are listed
/// apart, a page at a time and only once a moderator lets them be (see the store).
pub fn tally_counted(q: &Question, counts: &Counts) -> Tally {
    let n = |slot: Slot, value: &str| counts.get(&q.key, EVERYONE, slot, value).max(0) as u64;
    let answered = n(Slot::Answered, "");
    match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
            Tally::Choices { answered, counts: option_counts(q, counts, &[EVERYONE]), others: vec![] }
        }
        QuestionKind::Scale { max, .. } => {
            let counts: Vec<u64> = (1..=*max).map(|p| n(Slot::Option, &p.to_string())).collect();
            let sum: u64 = counts.iter().zip(1u64..).map(|(c, p)| c * p).sum();
            let rated: u64 = counts.iter().sum();
            Tally::Scale { answered, counts, mean: (rated > 0).then(|| sum as f64 / rated as f64) }
        }
        QuestionKind::Ranking { options } => {
            let mut points: Vec<(String, u64)> =
                options.iter().map(|o| (o.value.clone(), n(Slot::Points, &o.value))).collect();
            points.sort_by_key(|p| std::cmp::Reverse(p.1));
            Tally::Ranking { answered, points }
        }
        QuestionKind::Number { .. } => {
            let mut xs: Vec<(f64, u64)> = counts
                .values(&q.key, EVERYONE, Slot::Number)
                .filter(|(_, c)| *c > 0)
                .filter_map(|(v, c)| Some((v.parse::<f64>().ok()?, c as u64)))
                .collect();
            xs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let total: u64 = xs.iter().map(|(_, c)| c).sum();
            // Added one by one in order, as over the responses themselves: the same mean to the bit.
            let sum: f64 = xs.iter().flat_map(|(x, c)| std::iter::repeat_n(*x, *c as usize)).sum();
            let nth = |k: u64| {
                let mut seen = 0;
                xs.iter()
                    .find(|(_, c)| {
                        seen += c;
                        k < seen
                    })
                    .map(|(x, _)| *x)
            };
            let median = match total {
                0 => None,
                t if t % 2 == 1 => nth(t / 2),
                t => nth(t / 2 - 1).zip(nth(t / 2)).map(|(a, b)| (a + b) / 2.0),
            };
            Tally::Number {
                answered,
                mean: (total > 0).then(|| sum / total as f64),
                median,
                min: xs.first().map(|x| x.0),
                max: xs.last().map(|x| x.0),
            }
        }
        QuestionKind::Date { .. } => {
            let days: Vec<NaiveDate> = counts
                .values(&q.key, EVERYONE, Slot::Date)
                .filter(|(_, c)| *c > 0)
                .filter_map(|(v, _)| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                .collect();
            Tally::Dates { answered, earliest: days.iter().min().copied(), latest: days.iter().max().copied() }
        }
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => Tally::Texts { answered, texts: vec![] },
    }
}

/// Respondents per option (and [`OTHER`]) of a choice question, over the given groups.
fn option_counts(q: &Question, counts: &Counts, groups: &[&str]) -> Vec<(String, u64)> {
    let of = |value: &str| groups.iter().map(|g| counts.get(&q.key, g, Slot::Option, value).max(0) as u64).sum();
    let mut out: Vec<(String, u64)> = q.kind.options().iter().map(|o| (o.value.clone(), of(&o.value))).collect();
    if q.kind.allows_other() {
        out.push((OTHER.to_owned(), of(OTHER)));
    }
    out
}

/// [`breakdown`] from the stored counts, by the groups whose names start with `prefix`
/// (`s:` settlements, `a:` age bands); the same rows, small groups merged the same way.
pub fn breakdown_counted(q: &Question, counts: &Counts, prefix: &str) -> Vec<GroupRow> {
    let groups: Vec<(&str, u64)> = counts.groups(prefix).filter(|(_, n)| *n > 0).map(|(g, n)| (g, n as u64)).collect();
    let mut rows = vec![];
    let mut small: Vec<&str> = vec![];
    let mut small_respondents = 0;
    for (group, respondents) in &groups {
        if *respondents >= MIN_GROUP {
            rows.push(GroupRow {
                group: Some(group[prefix.len()..].to_owned()),
                respondents: *respondents,
                counts: option_counts(q, counts, &[group]),
            });
        } else {
            small.push(group);
            small_respondents += respondents;
        }
    }
    if small_respondents >= MIN_GROUP {
        rows.push(GroupRow { group: None, respondents: small_respondents, counts: option_counts(q, counts, &small) });
    }
    rows
}

/// One group's row of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupRow {
    /// `None` for the small groups merged together.
    pub group: Option<String>,
    pub respondents: u64,
    pub counts: Vec<(String, u64)>,
}

/// Option counts per group (a settlement, an age band), for a choice question. Groups with
/// fewer than [`MIN_GROUP`] respondents are merged into one "other groups" row (`None`), which
/// is itself left out when it is still too small.
pub fn breakdown<'a>(
    q: &Question,
    responses: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, Answer>)>,
) -> Vec<GroupRow> {
    let mut groups: BTreeMap<&str, Vec<&BTreeMap<String, Answer>>> = BTreeMap::new();
    for (group, response) in responses {
        groups.entry(group).or_default().push(response);
    }
    let counts = |rs: &[&BTreeMap<String, Answer>]| match tally(q, rs.iter().copied()) {
        Tally::Choices { counts, .. } => counts,
        _ => vec![],
    };
    let mut rows = vec![];
    let mut small: Vec<&BTreeMap<String, Answer>> = vec![];
    for (group, rs) in &groups {
        if rs.len() as u64 >= MIN_GROUP {
            rows.push(GroupRow { group: Some((*group).to_owned()), respondents: rs.len() as u64, counts: counts(rs) });
        } else {
            small.extend(rs.iter().copied());
        }
    }
    if small.len() as u64 >= MIN_GROUP {
        rows.push(GroupRow { group: None, respondents: small.len() as u64, counts: counts(&small) });
    }
    rows
}

/// Age bands for breakdowns; an exact age is never shown.
pub fn age_band(birth_year: Option<i32>, year: i32) -> &'static str {
    match birth_year.map(|b| year - b) {
        Some(a) if a < 18 => "under-18",
        Some(a) if a < 30 => "18-29",
        Some(a) if a < 45 => "30-44",
        Some(a) if a < 60 => "45-59",
        Some(_) => "60-plus",
        None => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(s: &str) -> LocalizedText {
        LocalizedText::new(s, None)
    }

    fn options(values: &[&str]) -> Vec<Choice> {
        values.iter().map(|v| Choice { value: (*v).into(), label: text(v) }).collect()
    }

    fn question(key: &str, required: bool, kind: QuestionKind) -> Question {
        Question { key: key.into(), title: text(key), hint: None, required, section: 0, kind, show_when: None }
    }

    fn raw(values: &[&str]) -> RawAnswer {
        RawAnswer { values: values.iter().map(|v| (*v).into()).collect(), other: String::new() }
    }

    /// One question of every type; `why` shows only when `transport` is `car`.
    fn every_type() -> Survey {
        let mut why = question("why", true, QuestionKind::LongText { max_chars: 200 });
        why.show_when = Some(Condition { question: "transport".into(), any_of: vec!["car".into()] });
        Survey {
            sections: vec![text("Про вас"), text("Про місто")],
            questions: vec![
                question(
                    "transport",
                    true,
                    QuestionKind::Single { options: options(&["bus", "car", "bike"]), other: true },
                ),
                why,
                question(
                    "parks",
                    false,
                    QuestionKind::Multiple { options: options(&["a", "b", "c"]), other: false, min: 1, max: 2 },
                ),
                question("safety", true, QuestionKind::Scale { max: 5, low: text("погано"), high: text("добре") }),
                question("priorities", false, QuestionKind::Ranking { options: options(&["roads", "light", "water"]) }),
                question("children", false, QuestionKind::Number { min: Some(0.0), max: Some(20.0), whole: true }),
                question("moved", false, QuestionKind::Date { min: None, max: NaiveDate::from_ymd_opt(2026, 12, 31) }),
                question("street", false, QuestionKind::ShortText { max_chars: 10 }),
            ],
        }
    }

    #[test]
    fn a_survey_with_every_type_is_valid_and_bad_ones_are_refused_with_the_reason() {
        let good = every_type();
        assert_eq!(good.validate(), Ok(()));
        assert_eq!(Survey::default().validate(), Err(SurveyError::Empty));
        let mut dup = good.clone();
        dup.questions[2].key = "transport".into();
        assert_eq!(dup.validate(), Err(SurveyError::DuplicateKey("transport".into())));
        let mut forward = good.clone();
        forward.questions.swap(0, 1);
        assert_eq!(forward.validate(), Err(SurveyError::BadCondition("why".into())), "a condition looks back only");
        let mut unknown = good.clone();
        unknown.questions[1].show_when = Some(Condition { question: "transport".into(), any_of: vec!["plane".into()] });
        assert_eq!(unknown.validate(), Err(SurveyError::BadCondition("why".into())));
        let mut limits = good.clone();
        limits.questions[2].kind =
            QuestionKind::Multiple { options: options(&["a", "b"]), other: false, min: 3, max: 2 };
        assert_eq!(limits.validate(), Err(SurveyError::BadLimits("parks".into())));
        let mut scale = good.clone();
        scale.questions[3].kind = QuestionKind::Scale { max: 7, low: text("-"), high: text("+") };
        assert_eq!(scale.validate(), Err(SurveyError::BadLimits("safety".into())));
        let mut one = good.clone();
        one.questions[0].kind = QuestionKind::Single { options: options(&["bus"]), other: false };
        assert_eq!(one.validate(), Err(SurveyError::TooFewOptions("transport".into())));
        let mut reserved = good;
        reserved.questions[2].kind =
            QuestionKind::Multiple { options: options(&["a", OTHER]), other: false, min: 1, max: 1 };
        assert_eq!(reserved.validate(), Err(SurveyError::DuplicateOption("parks".into())));
    }

    #[test]
    fn conditions_show_and_hide_questions_and_hidden_answers_are_dropped() {
        let s = every_type();
        let mut form = BTreeMap::from([
            ("transport".to_owned(), raw(&["bus"])),
            ("why".to_owned(), raw(&["бо пробки"])),
            ("safety".to_owned(), raw(&["4"])),
        ]);
        let ok = check_response(&s, &form).unwrap();
        assert!(!ok.contains_key("why"), "hidden: its answer is not kept");
        form.insert("transport".into(), raw(&["car"]));
        form.remove("why");
        assert_eq!(check_response(&s, &form).unwrap_err(), vec![("why".into(), AnswerError::Required)]);
        form.insert("why".into(), raw(&["бо далеко"]));
        assert_eq!(check_response(&s, &form).unwrap()["why"], Answer::Text("бо далеко".into()));
    }

    #[test]
    fn every_type_checks_its_answer() {
        let s = every_type();
        let q = |k: &str| s.questions.iter().find(|q| q.key == k).unwrap();
        assert_eq!(check_one(q("transport"), &raw(&["plane"])), Err(AnswerError::UnknownOption));
        assert_eq!(check_one(q("transport"), &raw(&["bus", "car"])), Err(AnswerError::TooMany));
        assert_eq!(check_one(q("transport"), &raw(&[OTHER])), Err(AnswerError::OtherNeedsText));
        let other = RawAnswer { values: vec![OTHER.into()], other: " самокат ".into() };
        assert_eq!(
            check_one(q("transport"), &other),
            Ok(Some(Answer::Choices { values: vec![OTHER.into()], other: Some("самокат".into()) }))
        );
        assert_eq!(check_one(q("parks"), &raw(&[])), Ok(None), "optional");
        assert_eq!(check_one(q("parks"), &raw(&["a", "b", "c"])), Err(AnswerError::TooMany));
        assert_eq!(
            check_one(q("parks"), &raw(&["a", "a"])).unwrap().unwrap().chosen().count(),
            1,
            "a repeat counts once"
        );
        assert_eq!(check_one(q("safety"), &raw(&["6"])), Err(AnswerError::OutOfRange));
        assert_eq!(check_one(q("safety"), &raw(&["так"])), Err(AnswerError::NotANumber));
        assert_eq!(check_one(q("safety"), &raw(&[])), Err(AnswerError::Required));
        assert_eq!(check_one(q("priorities"), &raw(&["roads", "light"])), Err(AnswerError::IncompleteRanking));
        assert_eq!(check_one(q("priorities"), &raw(&["roads", "roads", "light"])), Err(AnswerError::IncompleteRanking));
        assert!(check_one(q("priorities"), &raw(&["water", "roads", "light"])).is_ok());
        assert_eq!(check_one(q("children"), &raw(&["2,5"])), Err(AnswerError::NotWhole));
        assert_eq!(check_one(q("children"), &raw(&["21"])), Err(AnswerError::OutOfRange));
        assert_eq!(check_one(q("children"), &raw(&["3"])), Ok(Some(Answer::Number(3.0))));
        assert_eq!(check_one(q("moved"), &raw(&["31.12.2026"])), Err(AnswerError::NotADate));
        assert_eq!(check_one(q("moved"), &raw(&["2027-01-01"])), Err(AnswerError::OutOfRange));
        assert_eq!(check_one(q("street"), &raw(&["Героїв України"])), Err(AnswerError::TooLong));
    }

    fn response(pairs: &[(&str, Answer)]) -> BTreeMap<String, Answer> {
        pairs.iter().map(|(k, a)| ((*k).to_owned(), a.clone())).collect()
    }

    fn chose(v: &str) -> Answer {
        Answer::Choices { values: vec![v.into()], other: None }
    }

    #[test]
    fn tallies_count_choices_scales_rankings_and_numbers() {
        let s = every_type();
        let rs = vec![
            response(&[("transport", chose("bus")), ("safety", Answer::Scale(5)), ("children", Answer::Number(2.0))]),
            response(&[("transport", chose("bus")), ("safety", Answer::Scale(3)), ("children", Answer::Number(0.0))]),
            response(&[
                ("transport", Answer::Choices { values: vec![OTHER.into()], other: Some("пішки".into()) }),
                ("priorities", Answer::Ranking(vec!["light".into(), "roads".into(), "water".into()])),
            ]),
            response(&[("priorities", Answer::Ranking(vec!["light".into(), "water".into(), "roads".into()]))]),
        ];
        let q = |k: &str| s.questions.iter().find(|q| q.key == k).unwrap();
        assert_eq!(
            tally(q("transport"), &rs),
            Tally::Choices {
                answered: 3,
                counts: vec![("bus".into(), 2), ("car".into(), 0), ("bike".into(), 0), (OTHER.into(), 1)],
                others: vec!["пішки".into()],
            }
        );
        assert_eq!(tally(q("safety"), &rs), Tally::Scale { answered: 2, counts: vec![0, 0, 1, 0, 1], mean: Some(4.0) });
        assert_eq!(
            tally(q("priorities"), &rs),
            Tally::Ranking { answered: 2, points: vec![("light".into(), 4), ("roads".into(), 1), ("water".into(), 1)] }
        );
        assert_eq!(
            tally(q("children"), &rs),
            Tally::Number { answered: 2, mean: Some(1.0), median: Some(1.0), min: Some(0.0), max: Some(2.0) }
        );
    }

    #[test]
    fn small_groups_are_merged_and_a_still_small_remainder_is_left_out() {
        let s = every_type();
        let bus = response(&[("transport", chose("bus"))]);
        let car = response(&[("transport", chose("car"))]);
        let mut rs: Vec<(&str, &BTreeMap<String, Answer>)> = vec![];
        rs.extend(std::iter::repeat_n(("Місто", &bus), 6));
        rs.extend(std::iter::repeat_n(("Село", &car), 3));
        rs.extend(std::iter::repeat_n(("Хутір", &bus), 2));
        let rows = breakdown(&s.questions[0], rs.clone());
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].group.as_deref(), rows[0].respondents), (Some("Місто"), 6));
        assert_eq!(
            (rows[1].group.as_deref(), rows[1].respondents),
            (None, 5),
            "the village and the farmstead together"
        );
        let rows = breakdown(&s.questions[0], rs.into_iter().filter(|(g, _)| *g != "Хутір"));
        assert_eq!(rows.len(), 1, "three alone would be seen: left out");
    }

    #[test]
    fn every_slot_but_the_days_sorts_after_them() {
        for slot in Slot::ALL {
            assert_eq!(slot == Slot::Date, slot.code() <= Slot::Date.code(), "{slot:?}");
            assert_eq!(Slot::parse(slot.code()), Some(slot));
        }
    }

    #[test]
    fn age_bands_never_show_an_exact_age() {
        assert_eq!(age_band(Some(2010), 2026), "under-18");
        assert_eq!(age_band(Some(1990), 2026), "30-44");
        assert_eq!(age_band(Some(1950), 2026), "60-plus");
        assert_eq!(age_band(None, 2026), "unknown");
    }

    /// A response to [`every_type`] from generated picks; `None` picks skip a question.
    fn generated(picks: &[Option<u8>; 8]) -> BTreeMap<String, Answer> {
        let mut r = BTreeMap::new();
        let mut put = |k: &str, a: Answer| {
            r.insert(k.to_owned(), a);
        };
        if let Some(p) = picks[0] {
            let v = ["bus", "car", "bike", OTHER][usize::from(p % 4)];
            let other = (v == OTHER).then(|| format!("свій варіант {p}"));
            put("transport", Answer::Choices { values: vec![v.into()], other });
        }
        if let Some(p) = picks[1] {
            put("why", Answer::Text(format!("бо {p}")));
        }
        if let Some(p) = picks[2] {
            let values: Vec<String> =
                ["a", "b", "c"].iter().enumerate().filter(|(i, _)| p >> i & 1 == 1).map(|(_, v)| (*v).into()).collect();
            put("parks", Answer::Choices { values, other: None });
        }
        if let Some(p) = picks[3] {
            put("safety", Answer::Scale(p % 5 + 1));
        }
        if let Some(p) = picks[4] {
            let mut order: Vec<String> = ["roads", "light", "water"].iter().map(|v| (*v).into()).collect();
            order.rotate_left(usize::from(p % 3));
            if p % 2 == 1 {
                order.swap(1, 2);
            }
            put("priorities", Answer::Ranking(order));
        }
        if let Some(p) = picks[5] {
            put("children", Answer::Number(f64::from(p % 7) * 0.5 - 1.0));
        }
        if let Some(p) = picks[6] {
            put("moved", Answer::Date(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(u64::from(p))));
        }
        if let Some(p) = picks[7] {
            put("street", Answer::Text(format!("вулиця {p}")));
        }
        r
    }

    fn without_texts(t: Tally) -> Tally {
        match t {
            Tally::Choices { answered, counts, .. } => Tally::Choices { answered, counts, others: vec![] },
            Tally::Texts { answered, .. } => Tally::Texts { answered, texts: vec![] },
            other => other,
        }
    }

    fn picks() -> impl Strategy<Value = [Option<u8>; 8]> {
        proptest::array::uniform8(proptest::option::of(0u8..40))
    }

    const PLACES: [&str; 4] = ["Місто", "Село", "Хутір", ""];
    const BANDS: [&str; 3] = ["18-29", "30-44", "60-plus"];

    proptest! {
        #[test]
        fn stored_counts_give_the_tallies_and_breakdowns_of_the_responses_themselves(
            people in proptest::collection::vec((picks(), 0usize..4, 0usize..3), 0..60),
            gone in proptest::collection::vec(any::<bool>(), 60),
        ) {
            let s = every_type();
            let responses: Vec<(BTreeMap<String, Answer>, &str, &str)> =
                people.iter().map(|(p, place, band)| (generated(p), PLACES[*place], BANDS[*band])).collect();
            // Every response counted, then some taken back again, as when answers are replaced.
            let mut counts = Counts::default();
            for (r, place, band) in &responses {
                count_response(&s, r, place, band, 1, &mut counts);
            }
            for ((r, place, band), gone) in responses.iter().zip(&gone) {
                if *gone {
                    count_response(&s, r, place, band, -1, &mut counts);
                }
            }
            let kept: Vec<&(BTreeMap<String, Answer>, &str, &str)> =
                responses.iter().zip(&gone).filter(|(_, g)| !**g).map(|(r, _)| r).collect();
            prop_assert_eq!(counts.respondents(), kept.len() as u64);
            for q in &s.questions {
                prop_assert_eq!(
                    without_texts(tally(q, kept.iter().map(|r| &r.0))),
                    tally_counted(q, &counts),
                    "question {}", &q.key
                );
                if matches!(q.kind, QuestionKind::Single { .. } | QuestionKind::Multiple { .. }) {
                    prop_assert_eq!(
                        breakdown(q, kept.iter().map(|r| (r.1, &r.0))),
                        breakdown_counted(q, &counts, "s:")
                    );
                    prop_assert_eq!(
                        breakdown(q, kept.iter().map(|r| (r.2, &r.0))),
                        breakdown_counted(q, &counts, "a:")
                    );
                }
            }
            // What is left equals the remaining responses counted afresh, up to the zeros.
            let mut fresh = Counts::default();
            for (r, place, band) in &kept {
                count_response(&s, r, place, band, 1, &mut fresh);
            }
            prop_assert_eq!(counts.without_zeros(), fresh);
        }

        #[test]
        fn every_shown_group_has_at_least_the_minimum(sizes in proptest::collection::vec(0usize..12, 1..8)) {
            let s = every_type();
            let bus = response(&[("transport", chose("bus"))]);
            let names: Vec<String> = (0..sizes.len()).map(|i| format!("g{i}")).collect();
            let mut rs: Vec<(&str, &BTreeMap<String, Answer>)> = vec![];
            for (name, n) in names.iter().zip(&sizes) {
                rs.extend(std::iter::repeat_n((name.as_str(), &bus), *n));
            }
            let rows = breakdown(&s.questions[0], rs);
            prop_assert!(rows.iter().all(|r| r.respondents >= MIN_GROUP));
            prop_assert!(rows.iter().map(|r| r.respondents).sum::<u64>() <= sizes.iter().sum::<usize>() as u64);
        }

        #[test]
        fn a_checked_multiple_choice_answer_respects_its_limits(picks in proptest::collection::vec(0usize..4, 0..6)) {
            let s = every_type();
            let q = &s.questions[2];
            let all = ["a", "b", "c", "zz"];
            let values: Vec<&str> = picks.iter().map(|i| all[*i]).collect();
            if let Ok(Some(a)) = check_one(q, &raw(&values)) {
                let n = a.chosen().count();
                prop_assert!((1..=2).contains(&n));
                prop_assert!(a.chosen().all(|v| ["a", "b", "c"].contains(&v)));
            }
        }
    }
}
