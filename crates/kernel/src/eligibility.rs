//! Who may take part: the age and residency rules a statute or a regulation sets for signing a
//! petition, voting in the participatory budget or answering a survey.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What the rules need to know of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Person {
    pub birth_year: Option<i32>,
    /// Lives in one of the community's settlements.
    pub resident: bool,
    /// An internally displaced person registered in the community.
    pub idp_registered: bool,
}

/// The rules; the default lets everyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Eligibility {
    /// 0 for no limit.
    pub min_age: u32,
    pub residents_only: bool,
    /// With `residents_only`: internally displaced persons registered in the community count.
    pub accept_idp: bool,
}

/// Why a person may not take part; each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Ineligible {
    #[error("the year of birth is needed to check the age")]
    AgeUnknown,
    #[error("at least {0} years old")]
    UnderAge(u32),
    #[error("residents of the community only")]
    NotResident,
}

impl Eligibility {
    pub fn check(&self, today: NaiveDate, person: &Person) -> Result<(), Ineligible> {
        if self.min_age > 0 {
            // Only the year is known: someone born in that year is counted as having had their
            // birthday, which can let a person in a few months early but never refuses anyone of age.
            let year = person.birth_year.ok_or(Ineligible::AgeUnknown)?;
            if today.year() - year < self.min_age as i32 {
                return Err(Ineligible::UnderAge(self.min_age));
            }
        }
        if self.residents_only && !person.resident && !(self.accept_idp && person.idp_registered) {
            return Err(Ineligible::NotResident);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_and_residency_are_checked_as_the_rules_say() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let open = Eligibility::default();
        assert_eq!(open.check(today, &Person::default()), Ok(()));
        let adults = Eligibility { min_age: 18, ..open };
        assert_eq!(adults.check(today, &Person::default()), Err(Ineligible::AgeUnknown));
        assert_eq!(
            adults.check(today, &Person { birth_year: Some(2009), ..Person::default() }),
            Err(Ineligible::UnderAge(18))
        );
        assert_eq!(adults.check(today, &Person { birth_year: Some(2008), ..Person::default() }), Ok(()));
        let locals = Eligibility { residents_only: true, ..open };
        let displaced = Person { idp_registered: true, ..Person::default() };
        assert_eq!(locals.check(today, &displaced), Err(Ineligible::NotResident));
        assert_eq!(Eligibility { accept_idp: true, ..locals }.check(today, &displaced), Ok(()));
        assert_eq!(locals.check(today, &Person { resident: true, ..Person::default() }), Ok(()));
    }
}
