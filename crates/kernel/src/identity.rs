use serde::{Deserialize, Serialize};

/// How sure the community is that an account is a real, single person.
/// Each community chooses which level each action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum IdentityLevel {
    /// Registered, e-mail not confirmed yet.
    #[default]
    None,
    /// E-mail confirmed.
    Email,
    /// Phone number shared from a messenger.
    Phone,
    /// State e-ID, or a document checked at the CNAP counter.
    Eid,
}

impl IdentityLevel {
    pub const ALL: [IdentityLevel; 4] = [Self::None, Self::Email, Self::Phone, Self::Eid];

    pub fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Eid => "eid",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn satisfies(self, required: IdentityLevel) -> bool {
        self >= required
    }
}

/// A tax number (РНОКПП, 10 digits) with spaces and separators removed, or `None` when it is not one.
pub fn normalize_tax_number(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered() {
        assert!(IdentityLevel::Eid.satisfies(IdentityLevel::Email));
        assert!(!IdentityLevel::Email.satisfies(IdentityLevel::Phone));
        assert!(IdentityLevel::None.satisfies(IdentityLevel::None));
        for l in IdentityLevel::ALL {
            assert_eq!(IdentityLevel::parse(l.code()), Some(l));
        }
    }

    #[test]
    fn tax_numbers_are_normalized() {
        assert_eq!(normalize_tax_number(" 12345 67890 ").as_deref(), Some("1234567890"));
        assert_eq!(normalize_tax_number("123456789"), None);
        assert_eq!(normalize_tax_number("12345678A0"), None);
    }
}
