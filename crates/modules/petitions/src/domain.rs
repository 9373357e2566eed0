//! The rules of e-petitions: the community's statute settings, the lifecycle, legal deadlines
//! in working days, who may sign, how signers are shown, and the verifiable signer list.

use chrono::{DateTime, Days, NaiveDate, Utc};
use hromada_kernel::{Eligibility, IdentityLevel, Ineligible, Person, WorkingCalendar};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

// ---------- statute settings ----------

/// Whom a petition is addressed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Addressee {
    #[default]
    Council,
    Mayor,
    ExecutiveCommittee,
}

/// The community's petition rules, as its statute sets them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// Signatures needed for the petition to be considered.
    pub threshold: u32,
    /// How long signatures are collected, in calendar days.
    pub collection_days: u32,
    /// Working days the moderators have to publish or refuse a submitted petition.
    pub moderation_working_days: u32,
    /// Working days to consider a petition once it reached the threshold.
    pub consideration_working_days: u32,
    /// Minimum age of signers, in years (0: none).
    pub min_age: u32,
    /// Only residents of the community's settlements may sign.
    pub residents_only: bool,
    /// Internally displaced persons registered in the community count as residents.
    pub accept_idp: bool,
    pub addressee: Addressee,
    /// What the statute tells authors (markdown), shown above the petition form.
    pub rules_text: String,
}

/// The longest collection period a statute may set here unless the operator raises it.
pub const MAX_COLLECTION_DAYS: u32 = 90;

impl Default for Rules {
    fn default() -> Self {
        Self {
            threshold: 100,
            collection_days: 60,
            moderation_working_days: 2,
            consideration_working_days: 10,
            min_age: 14,
            residents_only: true,
            accept_idp: true,
            addressee: Addressee::Council,
            rules_text: String::new(),
        }
    }
}

/// A statute setting outside what the law and common sense allow; the value names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid petition rule: {0}")]
pub struct InvalidRule(pub &'static str);

impl Rules {
    pub fn validate(&self) -> Result<(), InvalidRule> {
        if !(1..=1_000_000).contains(&self.threshold) {
            return Err(InvalidRule("threshold"));
        }
        if !(1..=MAX_COLLECTION_DAYS).contains(&self.collection_days) {
            return Err(InvalidRule("collection_days"));
        }
        if !(1..=30).contains(&self.moderation_working_days) {
            return Err(InvalidRule("moderation_working_days"));
        }
        if !(1..=60).contains(&self.consideration_working_days) {
            return Err(InvalidRule("consideration_working_days"));
        }
        if self.min_age > 120 {
            return Err(InvalidRule("min_age"));
        }
        if self.rules_text.chars().count() > 20_000 {
            return Err(InvalidRule("rules_text"));
        }
        Ok(())
    }
}

// ---------- lifecycle ----------

/// Why moderators refuse to publish a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// The same demand is already being collected.
    Duplicate,
    /// Outside the competence of the council.
    OutsideCompetence,
    /// Calls to violence, hate speech, obscenity and the like.
    ProhibitedContent,
    /// Author's data or the essence of the demand is missing.
    MissingData,
}

impl RefusalReason {
    pub const ALL: [RefusalReason; 4] =
        [Self::Duplicate, Self::OutsideCompetence, Self::ProhibitedContent, Self::MissingData];

    pub fn code(self) -> &'static str {
        match self {
            Self::Duplicate => "duplicate",
            Self::OutsideCompetence => "outside_competence",
            Self::ProhibitedContent => "prohibited_content",
            Self::MissingData => "missing_data",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// How the council answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Supported,
    PartlySupported,
    NotSupported,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Self::Supported, Self::PartlySupported, Self::NotSupported];

    pub fn code(self) -> &'static str {
        match self {
            Self::Supported => "supported",
            Self::PartlySupported => "partly_supported",
            Self::NotSupported => "not_supported",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    Draft,
    /// Waiting for moderation.
    Submitted,
    /// Sent back to the author for changes.
    Returned,
    /// Published and collecting signatures.
    Collecting,
    Refused {
        reason: RefusalReason,
    },
    /// Reached the threshold; the council must consider it.
    UnderConsideration,
    Answered {
        decision: Decision,
    },
    /// The period ended without enough signatures.
    FellShort,
    /// A petition that fell short was passed on as an ordinary appeal.
    PassedAsAppeal,
    Archived,
}

/// What someone does to a petition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Submit,
    ReturnForChanges,
    Publish,
    Refuse(RefusalReason),
    /// The signature count reached the threshold.
    ReachThreshold,
    /// The collection period ended.
    EndCollection,
    Answer(Decision),
    PassAsAppeal,
    Archive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{action:?} is not possible while the petition is {from:?}")]
pub struct TransitionError {
    pub from: Status,
    pub action: Action,
}

impl Status {
    /// The status after `action`, or why it cannot happen now.
    pub fn apply(self, action: Action) -> Result<Status, TransitionError> {
        use Action as A;
        use Status as S;
        let next = match (self, action) {
            (S::Draft | S::Returned, A::Submit) => S::Submitted,
            (S::Submitted, A::ReturnForChanges) => S::Returned,
            (S::Submitted, A::Publish) => S::Collecting,
            (S::Submitted, A::Refuse(reason)) => S::Refused { reason },
            (S::Collecting, A::ReachThreshold) => S::UnderConsideration,
            (S::Collecting, A::EndCollection) => S::FellShort,
            (S::UnderConsideration, A::Answer(decision)) => S::Answered { decision },
            (S::FellShort, A::PassAsAppeal) => S::PassedAsAppeal,
            (S::Refused { .. } | S::Answered { .. } | S::FellShort | S::PassedAsAppeal, A::Archive) => S::Archived,
            (from, action) => return Err(TransitionError { from, action }),
        };
        Ok(next)
    }

    /// The author may still change the text.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Returned)
    }

    /// Visible to everyone.
    pub fn public(self) -> bool {
        !matches!(self, Status::Draft | Status::Submitted | Status::Returned)
    }

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Returned => "returned",
            Status::Collecting => "collecting",
            Status::Refused { .. } => "refused",
            Status::UnderConsideration => "under_consideration",
            Status::Answered { .. } => "answered",
            Status::FellShort => "fell_short",
            Status::PassedAsAppeal => "passed_as_appeal",
            Status::Archived => "archived",
        }
    }

    /// Reads a stored status back; the reason or decision comes from their own columns.
    pub fn parse(code: &str, reason: Option<&str>, decision: Option<&str>) -> Option<Status> {
        Some(match code {
            "draft" => Status::Draft,
            "submitted" => Status::Submitted,
            "returned" => Status::Returned,
            "collecting" => Status::Collecting,
            "refused" => Status::Refused { reason: RefusalReason::parse(reason?)? },
            "under_consideration" => Status::UnderConsideration,
            "answered" => Status::Answered { decision: Decision::parse(decision?)? },
            "fell_short" => Status::FellShort,
            "passed_as_appeal" => Status::PassedAsAppeal,
            "archived" => Status::Archived,
            _ => return None,
        })
    }
}

// ---------- deadlines ----------

/// The day by which moderators must publish or refuse a petition submitted on `submitted`.
pub fn moderation_due(rules: &Rules, calendar: &WorkingCalendar, submitted: NaiveDate) -> NaiveDate {
    calendar.add_working_days(submitted, rules.moderation_working_days)
}

/// The last day signatures are collected for a petition published on `published`
/// (the day of publication counts as the first day).
pub fn collection_ends(rules: &Rules, published: NaiveDate) -> NaiveDate {
    published + Days::new(u64::from(rules.collection_days.max(1) - 1))
}

/// The day by which the council must consider a petition that reached the threshold on `reached`.
pub fn consideration_due(rules: &Rules, calendar: &WorkingCalendar, reached: NaiveDate) -> NaiveDate {
    calendar.add_working_days(reached, rules.consideration_working_days)
}

// ---------- who may sign ----------

/// What is known of someone who wants to sign.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    pub level: IdentityLevel,
    pub birth_year: Option<i32>,
    /// Lives in one of the community's settlements.
    pub resident: bool,
    /// An internally displaced person registered in the community.
    pub idp_registered: bool,
}

/// Why a signature is refused; each has its own message for the resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignRefusal {
    #[error("the petition is not collecting signatures")]
    NotCollecting,
    #[error("the collection period is over")]
    PeriodOver,
    #[error("identity must be verified at level {0:?}")]
    NotVerifiedEnough(IdentityLevel),
    #[error("signers must be at least {0} years old")]
    UnderAge(u32),
    #[error("the year of birth is needed to check the age")]
    AgeUnknown,
    #[error("only residents of the community may sign")]
    NotResident,
}

/// Whether `signer` may sign a petition in `status` whose collection ends on `ends`, on `today`,
/// when the community demands identity level `required` for signing.
/// (That a person signs only once is enforced by the database.)
pub fn may_sign(
    rules: &Rules,
    required: IdentityLevel,
    status: Status,
    ends: NaiveDate,
    today: NaiveDate,
    signer: &Signer,
) -> Result<(), SignRefusal> {
    if status != Status::Collecting {
        return Err(SignRefusal::NotCollecting);
    }
    if today > ends {
        return Err(SignRefusal::PeriodOver);
    }
    eligible(rules, required, today, signer)
}

/// Whether `author` may write a petition: the statute's identity level, age and residency, as
/// for signing (a petition nobody eligible could sign is no petition of the community).
pub fn may_author(
    rules: &Rules,
    required: IdentityLevel,
    today: NaiveDate,
    author: &Signer,
) -> Result<(), SignRefusal> {
    eligible(rules, required, today, author)
}

fn eligible(rules: &Rules, required: IdentityLevel, today: NaiveDate, signer: &Signer) -> Result<(), SignRefusal> {
    if !signer.level.satisfies(required) {
        return Err(SignRefusal::NotVerifiedEnough(required));
    }
    let statute =
        Eligibility { min_age: rules.min_age, residents_only: rules.residents_only, accept_idp: rules.accept_idp };
    let person =
        Person { birth_year: signer.birth_year, resident: signer.resident, idp_registered: signer.idp_registered };
    statute.check(today, &person).map_err(|e| match e {
        Ineligible::AgeUnknown => SignRefusal::AgeUnknown,
        Ineligible::UnderAge(age) => SignRefusal::UnderAge(age),
        Ineligible::NotResident => SignRefusal::NotResident,
    })
}

// ---------- the public signer list ----------

/// How a signer is shown in the public list: "Прізвище І." — the surname and the first initial.
pub fn display_name(surname: &str, given_name: &str) -> String {
    let surname = surname.trim();
    match given_name.trim().chars().next() {
        Some(initial) => format!("{surname} {}.", initial.to_uppercase()),
        None => surname.to_owned(),
    }
}

/// A salted commitment to a signer's receipt code: it shows in the public chain without revealing
/// the code, and the signer, who knows the code, can find their own entry.
pub fn receipt_commitment(petition: Uuid, seq: u64, receipt_code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"hromada/petition-receipt/v1\0");
    h.update(petition.as_bytes());
    h.update(seq.to_be_bytes());
    h.update(receipt_code.as_bytes());
    h.finalize().into()
}

/// One entry of the public signer list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainEntry {
    /// 1, 2, 3 … in signing order.
    pub seq: u64,
    pub display_name: String,
    pub signed_at: DateTime<Utc>,
    /// Hex of [`receipt_commitment`].
    pub commitment: String,
    /// Hex of this entry's hash.
    pub hash: String,
}

/// The hash before the first entry of a petition's chain.
pub fn genesis(petition: Uuid) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"hromada/petition-chain/v1\0");
    h.update(petition.as_bytes());
    h.finalize().into()
}

/// `SHA-256(prev ‖ petition ‖ seq ‖ len(name) ‖ name ‖ signed_at (RFC 3339, µs, UTC) ‖ commitment)`.
pub fn entry_hash(
    prev: &[u8; 32],
    petition: Uuid,
    seq: u64,
    display_name: &str,
    signed_at: DateTime<Utc>,
    commitment: &[u8; 32],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(petition.as_bytes());
    h.update(seq.to_be_bytes());
    h.update((display_name.len() as u64).to_be_bytes());
    h.update(display_name.as_bytes());
    h.update(signed_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true).as_bytes());
    h.update(commitment);
    h.finalize().into()
}

/// Builds the next entry after `prev`.
pub fn next_entry(
    prev: &[u8; 32],
    petition: Uuid,
    seq: u64,
    display_name: &str,
    signed_at: DateTime<Utc>,
    receipt_code: &str,
) -> ChainEntry {
    let commitment = receipt_commitment(petition, seq, receipt_code);
    let hash = entry_hash(prev, petition, seq, display_name, signed_at, &commitment);
    ChainEntry {
        seq,
        display_name: display_name.to_owned(),
        signed_at,
        commitment: hex::encode(commitment),
        hash: hex::encode(hash),
    }
}

/// What is wrong with a published chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("entry {0} is out of sequence")]
    Sequence(u64),
    #[error("entry {0} does not hash to what it claims")]
    Hash(u64),
    #[error("entry {0} has a malformed commitment")]
    Commitment(u64),
}

/// Recomputes a chain from the start; returns the count and the head hash when every entry holds.
pub fn verify_chain(petition: Uuid, entries: &[ChainEntry]) -> Result<(u64, [u8; 32]), ChainError> {
    let mut prev = genesis(petition);
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        if e.seq != expected_seq {
            return Err(ChainError::Sequence(e.seq));
        }
        let commitment: [u8; 32] =
            hex::decode(&e.commitment).ok().and_then(|b| b.try_into().ok()).ok_or(ChainError::Commitment(e.seq))?;
        let hash = entry_hash(&prev, petition, e.seq, &e.display_name, e.signed_at, &commitment);
        if hex::encode(hash) != e.hash {
            return Err(ChainError::Hash(e.seq));
        }
        prev = hash;
    }
    Ok((entries.len() as u64, prev))
}

/// The entry a receipt code belongs to, if it is in the chain.
pub fn find_receipt<'a>(petition: Uuid, entries: &'a [ChainEntry], receipt_code: &str) -> Option<&'a ChainEntry> {
    entries.iter().find(|e| hex::encode(receipt_commitment(petition, e.seq, receipt_code)) == e.commitment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn resident(level: IdentityLevel, birth_year: i32) -> Signer {
        Signer { level, birth_year: Some(birth_year), resident: true, idp_registered: false }
    }

    #[test]
    fn default_rules_are_valid_and_bad_ones_are_named() {
        assert_eq!(Rules::default().validate(), Ok(()));
        let too_long = Rules { collection_days: 91, ..Rules::default() };
        assert_eq!(too_long.validate(), Err(InvalidRule("collection_days")));
        assert_eq!(Rules { threshold: 0, ..Rules::default() }.validate(), Err(InvalidRule("threshold")));
    }

    #[test]
    fn rules_read_from_partial_statute_settings() {
        let rules: Rules = serde_json::from_str(r#"{"threshold": 6000, "min_age": 16}"#).unwrap();
        assert_eq!(rules.threshold, 6000);
        assert_eq!(rules.min_age, 16);
        assert_eq!(rules.collection_days, 60, "the rest keeps its defaults");
    }

    #[test]
    fn the_lifecycle_follows_the_law() {
        let s = Status::Draft.apply(Action::Submit).unwrap();
        assert_eq!(s, Status::Submitted);
        assert_eq!(s.apply(Action::ReturnForChanges).unwrap().apply(Action::Submit).unwrap(), Status::Submitted);
        let collecting = s.apply(Action::Publish).unwrap();
        assert!(collecting.public() && !collecting.editable());
        let considered = collecting.apply(Action::ReachThreshold).unwrap();
        let answered = considered.apply(Action::Answer(Decision::PartlySupported)).unwrap();
        assert_eq!(answered, Status::Answered { decision: Decision::PartlySupported });
        assert_eq!(answered.apply(Action::Archive).unwrap(), Status::Archived);

        let short = collecting.apply(Action::EndCollection).unwrap();
        assert_eq!(short.apply(Action::PassAsAppeal).unwrap(), Status::PassedAsAppeal);
        let refused = Status::Submitted.apply(Action::Refuse(RefusalReason::Duplicate)).unwrap();
        assert_eq!(refused.code(), "refused");
        assert!(refused.public());
    }

    #[test]
    fn stored_statuses_read_back() {
        let all = [
            Status::Draft,
            Status::Submitted,
            Status::Returned,
            Status::Collecting,
            Status::Refused { reason: RefusalReason::OutsideCompetence },
            Status::UnderConsideration,
            Status::Answered { decision: Decision::NotSupported },
            Status::FellShort,
            Status::PassedAsAppeal,
            Status::Archived,
        ];
        for s in all {
            let reason = match s {
                Status::Refused { reason } => Some(reason.code()),
                _ => None,
            };
            let decision = match s {
                Status::Answered { decision } => Some(decision.code()),
                _ => None,
            };
            assert_eq!(Status::parse(s.code(), reason, decision), Some(s));
        }
        assert_eq!(Status::parse("refused", None, None), None);
        assert_eq!(Status::parse("nonsense", None, None), None);
    }

    #[test]
    fn impossible_steps_are_refused() {
        assert!(Status::Draft.apply(Action::Publish).is_err());
        assert!(Status::Collecting.apply(Action::Answer(Decision::Supported)).is_err());
        assert!(Status::UnderConsideration.apply(Action::PassAsAppeal).is_err());
        assert!(Status::Archived.apply(Action::Archive).is_err());
        let err = Status::Refused { reason: RefusalReason::MissingData }.apply(Action::Submit).unwrap_err();
        assert_eq!(err.action, Action::Submit);
    }

    #[test]
    fn deadlines_count_working_days() {
        let rules = Rules::default();
        // Friday 2026-12-25 is a holiday in this calendar; submitted on Thursday the 24th.
        let cal = WorkingCalendar::new([d(2026, 12, 25)], []);
        assert_eq!(moderation_due(&rules, &cal, d(2026, 12, 24)), d(2026, 12, 29));
        assert_eq!(consideration_due(&rules, &cal, d(2026, 12, 24)), d(2027, 1, 8));
        assert_eq!(collection_ends(&rules, d(2026, 1, 1)), d(2026, 3, 1), "60 days, the first day included");
    }

    #[test]
    fn signing_is_refused_with_the_reason() {
        let rules = Rules::default();
        let ends = d(2026, 12, 31);
        let today = d(2026, 12, 1);
        let ok = resident(IdentityLevel::Eid, 1990);
        assert_eq!(may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &ok), Ok(()));
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Submitted, ends, today, &ok),
            Err(SignRefusal::NotCollecting)
        );
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, d(2027, 1, 1), &ok),
            Err(SignRefusal::PeriodOver)
        );
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, ends, &ok),
            Ok(()),
            "the last day still counts"
        );
        let email_only = resident(IdentityLevel::Email, 1990);
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &email_only),
            Err(SignRefusal::NotVerifiedEnough(IdentityLevel::Eid))
        );
        let child = resident(IdentityLevel::Eid, 2015);
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &child),
            Err(SignRefusal::UnderAge(14))
        );
        let unknown_age = Signer { birth_year: None, ..ok.clone() };
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &unknown_age),
            Err(SignRefusal::AgeUnknown)
        );
        let visitor = Signer { resident: false, ..ok.clone() };
        assert_eq!(
            may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &visitor),
            Err(SignRefusal::NotResident)
        );
        let idp = Signer { resident: false, idp_registered: true, ..ok.clone() };
        assert_eq!(may_sign(&rules, IdentityLevel::Eid, Status::Collecting, ends, today, &idp), Ok(()));
        let no_idp = Rules { accept_idp: false, ..Rules::default() };
        assert_eq!(
            may_sign(&no_idp, IdentityLevel::Eid, Status::Collecting, ends, today, &idp),
            Err(SignRefusal::NotResident)
        );
    }

    #[test]
    fn authors_meet_the_same_statute_rules_whatever_the_petitions_state() {
        let rules = Rules::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(may_author(&rules, IdentityLevel::Eid, today, &resident(IdentityLevel::Eid, 1990)), Ok(()));
        assert_eq!(
            may_author(&rules, IdentityLevel::Eid, today, &resident(IdentityLevel::Email, 1990)),
            Err(SignRefusal::NotVerifiedEnough(IdentityLevel::Eid))
        );
        assert_eq!(
            may_author(&rules, IdentityLevel::Email, today, &resident(IdentityLevel::Email, 2015)),
            Err(SignRefusal::UnderAge(14))
        );
        let displaced = Signer { resident: false, idp_registered: true, ..resident(IdentityLevel::Eid, 1970) };
        assert_eq!(may_author(&rules, IdentityLevel::Eid, today, &displaced), Ok(()));
        let open = Rules { residents_only: false, min_age: 0, ..Rules::default() };
        let stranger = Signer { resident: false, birth_year: None, ..resident(IdentityLevel::Eid, 1970) };
        assert_eq!(may_author(&open, IdentityLevel::Eid, today, &stranger), Ok(()));
    }

    #[test]
    fn signers_are_shown_as_surname_and_initial() {
        assert_eq!(display_name("Шевченко", "олена"), "Шевченко О.");
        assert_eq!(display_name(" Коваль ", ""), "Коваль");
        assert_eq!(display_name("Їжак", "Єва"), "Їжак Є.");
    }

    fn chain(petition: Uuid, names: &[String]) -> Vec<ChainEntry> {
        let mut prev = genesis(petition);
        let start = DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z").unwrap().with_timezone(&Utc);
        names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let e = next_entry(
                    &prev,
                    petition,
                    i as u64 + 1,
                    n,
                    start + chrono::Duration::microseconds(i as i64 * 1_500),
                    &format!("R{i}"),
                );
                prev = hex::decode(&e.hash).unwrap().try_into().unwrap();
                e
            })
            .collect()
    }

    #[test]
    fn a_signer_finds_their_entry_by_receipt_code() {
        let p = Uuid::now_v7();
        let entries = chain(p, &["А Б.".into(), "В Г.".into(), "Ґ Д.".into()]);
        assert_eq!(find_receipt(p, &entries, "R1").map(|e| e.seq), Some(2));
        assert!(find_receipt(p, &entries, "nope").is_none());
        assert!(find_receipt(Uuid::now_v7(), &entries, "R1").is_none(), "commitments are bound to the petition");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn a_chain_verifies_and_counts_exactly(names in proptest::collection::vec("[А-Яа-я]{1,12} [А-Я]\\.", 0..40)) {
            let p = Uuid::now_v7();
            let entries = chain(p, &names);
            let (count, head) = verify_chain(p, &entries).unwrap();
            prop_assert_eq!(count, names.len() as u64);
            match entries.last() {
                Some(last) => prop_assert_eq!(hex::encode(head), last.hash.clone()),
                None => prop_assert_eq!(head, genesis(p)),
            }
        }

        #[test]
        fn any_change_to_the_list_is_detected(
            names in proptest::collection::vec("[a-z]{1,8}", 1..20),
            victim in 0usize..20,
            change in 0u8..4,
        ) {
            let p = Uuid::now_v7();
            let mut entries = chain(p, &names);
            // What the petition page publishes: the count and the head hash.
            let published = verify_chain(p, &entries).unwrap();
            let i = victim % entries.len();
            match change {
                0 => entries[i].display_name.push('x'),
                1 => entries[i].signed_at += chrono::Duration::microseconds(1),
                2 => entries[i].commitment = hex::encode([7u8; 32]),
                _ => { entries.remove(i); }
            }
            // Dropping the last entry leaves a valid shorter chain: it is caught by the published head.
            prop_assert!(verify_chain(p, &entries).map(|found| found != published).unwrap_or(true));
        }

        #[test]
        fn a_moderation_deadline_is_a_working_day_after_submission(start in 0i64..2000, holes in proptest::collection::vec(0i64..2100, 0..30)) {
            let base = d(2025, 1, 1);
            let cal = WorkingCalendar::new(holes.iter().map(|h| base + chrono::Duration::days(*h)), []);
            let submitted = base + chrono::Duration::days(start);
            let due = moderation_due(&Rules::default(), &cal, submitted);
            prop_assert!(due > submitted);
            prop_assert!(cal.is_working_day(due));
            prop_assert_eq!(cal.working_days_between(submitted, due), 2);
        }
    }
}
