use serde::{Deserialize, Serialize};

/// The languages Hromada speaks: Ukrainian first, English second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Uk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    /// The English text where there is one (not blank), else the Ukrainian, which is always there.
    pub fn pick<'a>(self, uk: &'a str, en: Option<&'a str>) -> &'a str {
        match (self, en) {
            (Lang::En, Some(en)) if !en.trim().is_empty() => en,
            _ => uk,
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().get(..2)? {
            "uk" | "ua" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, in the order the client gave.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        header.split(',').find_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_picked_only_where_it_was_given() {
        assert_eq!(Lang::En.pick("Громада", Some("Community")), "Community");
        assert_eq!(Lang::En.pick("Громада", Some("  ")), "Громада");
        assert_eq!(Lang::En.pick("Громада", None), "Громада");
        assert_eq!(Lang::Uk.pick("Громада", Some("Community")), "Громада");
    }

    #[test]
    fn accept_language_takes_first_supported() {
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.8,uk;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("uk-UA,uk;q=0.9"), Some(Lang::Uk));
        assert_eq!(Lang::from_accept_language("fr"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
