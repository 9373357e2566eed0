use crate::Lang;
use serde::{Deserialize, Serialize};

/// A text given in Ukrainian and, optionally, in English. English falls back to Ukrainian.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LocalizedText {
    pub uk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl LocalizedText {
    pub fn new(uk: impl Into<String>, en: Option<String>) -> Self {
        let en = en.filter(|e| !e.trim().is_empty());
        Self { uk: uk.into(), en }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Uk => &self.uk,
            Lang::En => self.en.as_deref().unwrap_or(&self.uk),
        }
    }
}

/// The first `chars` characters of a text, with "…" when it was longer.
pub fn excerpt(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    if text.chars().nth(chars).is_some() {
        out.push('…');
    }
    out
}

/// Text folded for search: lower case, apostrophes dropped, `ґ` as `г`, whitespace collapsed.
/// SQLite's own `lower()` knows only ASCII, so searches compare this form instead.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            '\'' | '’' | 'ʼ' | '`' => {}
            'ґ' => out.push('г'),
            'ё' => out.push('е'),
            c if c.is_alphanumeric() => out.push(c),
            _ => {
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
        }
    }
    out.trim_end().to_owned()
}

/// Words of a search query, folded, at most eight, each at least two letters.
pub fn query_words(query: &str) -> Vec<String> {
    fold(query).split(' ').filter(|w| w.chars().count() >= 2).take(8).map(str::to_owned).collect()
}

/// A text as a Latin address part: Ukrainian transliterated by the official (2010) table (the
/// initial forms of є, ї, й, ю, я at the start of a word), other Latin letters and digits kept,
/// everything else one dash; at most `max` characters, no dash at either end; empty when nothing
/// is left.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in text.to_lowercase().chars().enumerate() {
        let first = i == 0 || out.ends_with('-');
        let latin: &str = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "h",
            'ґ' => "g",
            'д' => "d",
            'е' => "e",
            'є' => {
                if first {
                    "ye"
                } else {
                    "ie"
                }
            }
            'ж' => "zh",
            'з' => "z",
            'и' => "y",
            'і' => "i",
            'ї' => {
                if first {
                    "yi"
                } else {
                    "i"
                }
            }
            'й' => {
                if first {
                    "y"
                } else {
                    "i"
                }
            }
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' => {
                if first {
                    "yu"
                } else {
                    "iu"
                }
            }
            'я' => {
                if first {
                    "ya"
                } else {
                    "ia"
                }
            }
            'ь' | '\'' | '’' | 'ʼ' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if latin == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(latin);
        }
    }
    let slug: String = out.trim_matches('-').chars().take(max).collect();
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_falls_back_to_ukrainian() {
        let t = LocalizedText::new("Громада", None);
        assert_eq!(t.get(Lang::En), "Громада");
        let t = LocalizedText::new("Громада", Some("Community".into()));
        assert_eq!(t.get(Lang::En), "Community");
        assert_eq!(LocalizedText::new("Громада", Some("  ".into())).en, None);
    }

    #[test]
    fn folding_finds_words_whatever_their_case_and_apostrophe() {
        assert_eq!(fold("Сім'я  ҐАНОК, Обʼєкт!"), "сімя ганок обєкт");
        assert_eq!(query_words("  обʼєкт  і  ҐАНОК "), vec!["обєкт", "ганок"]);
    }

    #[test]
    fn slugs_transliterate_by_the_official_table() {
        assert_eq!(slug("Їжа та Євроінтеграція", 80), "yizha-ta-yevrointehratsiia");
        assert_eq!(slug("Соціальні послуги / ЖКГ", 80), "sotsialni-posluhy-zhkh");
        assert_eq!(slug("Громадський бюджет", 10), "hromadskyi");
        assert_eq!(slug("  — !!", 80), "");
    }

    #[test]
    fn excerpts_end_with_an_ellipsis_only_when_cut() {
        assert_eq!(excerpt("Громада", 7), "Громада");
        assert_eq!(excerpt("Громада", 3), "Гро…");
    }
}
