//! The rules of the catalogue, pure: what a service card must say, how a cost is read and
//! written, which offices, cameras and tiles there are, and how an import row becomes a card.

use hromada_kernel::Lang;
use serde::{Deserialize, Serialize};

/// The kinds of places a resident gets a service at.
pub const OFFICE_KINDS: [&str; 3] = ["cnap", "remote", "starosta"];
/// What a camera can be doing.
pub const CAMERA_STATUSES: [&str; 3] = ["online", "offline", "maintenance"];
/// Icons a tile may carry: `(code, symbol)`. A fixed set keeps tiles uniform and free of
/// uploaded artwork that would need alternatives; the symbol is decoration, the title speaks.
pub const TILE_ICONS: [(&str, &str); 10] = [
    ("link", "🔗"),
    ("ticket", "🎫"),
    ("school", "🎒"),
    ("diia", "🪪"),
    ("utilities", "💡"),
    ("water", "🚰"),
    ("health", "🩺"),
    ("transport", "🚌"),
    ("parking", "🅿️"),
    ("waste", "♻️"),
];

pub fn tile_symbol(code: &str) -> &'static str {
    TILE_ICONS.iter().find(|(c, _)| *c == code).map_or("🔗", |(_, s)| s)
}

/// A field and the message key of what is wrong with it.
pub type Problem = (&'static str, &'static str);

/// The longest of the long texts of a card (documents, legal basis).
const MAX_TEXT: usize = 10_000;

/// A service card as an editor or an import gives it: every field text, nothing checked yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CardInput {
    /// The identifier in the national register, when there is one.
    pub code: String,
    /// The category's code or Ukrainian name.
    pub category: String,
    pub name_uk: String,
    pub name_en: String,
    /// Who may receive the service.
    pub recipients: String,
    /// The documents to bring, one per line.
    pub documents: String,
    /// The cost in hryvnias (`150`, `150,50`), or empty or «безоплатно» for free.
    pub cost: String,
    pub cost_note: String,
    pub term: String,
    pub result: String,
    pub how_to_receive: String,
    pub legal_basis: String,
    pub online_url: String,
    /// `так`/`ні`, `yes`/`no`, `true`/`false`, `1`/`0`; empty means published.
    pub published: String,
}

/// A card that passed [`CardInput::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub code: String,
    pub category: String,
    pub name_uk: String,
    pub name_en: Option<String>,
    pub recipients: String,
    pub documents: String,
    pub cost_kopiykas: Option<i64>,
    pub cost_note: String,
    pub term: String,
    pub result: String,
    pub how_to_receive: String,
    pub legal_basis: String,
    pub online_url: Option<String>,
    pub published: bool,
}

fn optional(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// Undoes the guard a spreadsheet export puts before a leading `=`, `+`, `-` or `@`.
fn undefused(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

impl CardInput {
    /// The card, or every problem with it.
    pub fn check(&self) -> Result<Card, Vec<Problem>> {
        let f = |s: &str| undefused(s.trim()).trim().to_owned();
        let mut problems = vec![];
        let code = f(&self.code);
        if code.chars().count() > 40 || !code.chars().all(|c| c.is_alphanumeric() || "-_./".contains(c)) {
            problems.push(("code", "services-invalid-code"));
        }
        let name_uk = f(&self.name_uk);
        if !(3..=300).contains(&name_uk.chars().count()) {
            problems.push(("name_uk", "services-invalid-name"));
        }
        let name_en = optional(&f(&self.name_en));
        if name_en.as_ref().is_some_and(|n| n.chars().count() > 300) {
            problems.push(("name_en", "services-invalid-name"));
        }
        let category = f(&self.category);
        if category.chars().count() > 120 {
            problems.push(("category", "services-invalid-category"));
        }
        let text = |field: &'static str, value: &str, required: bool, problems: &mut Vec<Problem>| {
            let value = f(value).replace("\r\n", "\n");
            if required && value.is_empty() {
                problems.push((field, "services-required"));
            } else if value.chars().count() > MAX_TEXT {
                problems.push((field, "services-too-long"));
            }
            value
        };
        let recipients = text("recipients", &self.recipients, false, &mut problems);
        let documents = text("documents", &self.documents, true, &mut problems);
        let cost_note = text("cost_note", &self.cost_note, false, &mut problems);
        let term = text("term", &self.term, true, &mut problems);
        let result = text("result", &self.result, true, &mut problems);
        let how_to_receive = text("how_to_receive", &self.how_to_receive, false, &mut problems);
        let legal_basis = text("legal_basis", &self.legal_basis, false, &mut problems);
        let cost_kopiykas = match parse_cost(&self.cost) {
            Ok(c) => c,
            Err(key) => {
                problems.push(("cost", key));
                None
            }
        };
        let online_url = optional(&f(&self.online_url));
        if online_url.as_deref().is_some_and(|u| !is_web_link(u)) {
            problems.push(("online_url", "services-invalid-url"));
        }
        let published = match parse_yes_no(&self.published) {
            Some(p) => p,
            None => {
                problems.push(("published", "services-invalid-yes-no"));
                true
            }
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Card {
            code,
            category,
            name_uk,
            name_en,
            recipients,
            documents,
            cost_kopiykas,
            cost_note,
            term,
            result,
            how_to_receive,
            legal_basis,
            online_url,
            published,
        })
    }
}

/// An absolute web address a resident may be sent to: `https://` or `http://` with a host.
pub fn is_web_link(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && host.contains('.') && !url.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "так" | "yes" | "true" | "1" | "+" => Some(true),
        "ні" | "no" | "false" | "0" | "-" => Some(false),
        _ => None,
    }
}

/// A cost in hryvnias as kopiykas: `None` for free (empty, `0`, «безоплатно», «free»).
/// Accepts `150`, `150,50`, `150.5`, `1 200 грн`; refuses negatives, letters and more than two
/// decimal places.
pub fn parse_cost(text: &str) -> Result<Option<i64>, &'static str> {
    let t = undefused(text.trim()).to_lowercase();
    let t = t.trim();
    if t.is_empty() || ["безоплатно", "безкоштовно", "free", "free of charge"].contains(&t) {
        return Ok(None);
    }
    let total = hromada_kernel::money::parse(t).map_err(|_| "services-invalid-cost")?;
    Ok((total > 0).then_some(total))
}

/// A cost as a resident reads it: «150,50 грн» or «UAH 150.50»; free in words.
pub fn format_cost(kopiykas: Option<i64>, lang: Lang) -> String {
    match (kopiykas, lang) {
        (None, Lang::Uk) => "безоплатно".into(),
        (None, Lang::En) => "free of charge".into(),
        (Some(k), lang) => hromada_kernel::money::format(k, lang),
    }
}

/// A cost as an import file carries it, so that an export reads back the same.
pub fn cost_for_file(kopiykas: Option<i64>) -> String {
    kopiykas.map(hromada_kernel::money::for_file).unwrap_or_default()
}

/// The documents to bring, one per line, without list markers an editor typed.
pub fn document_lines(documents: &str) -> Vec<&str> {
    documents
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*', '•', '–']).trim())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A category code made from a name: Latin letters, digits and dashes.
pub fn category_code(name: &str) -> String {
    let code = hromada_kernel::text::slug(name, 40);
    if code.is_empty() { "category".into() } else { code }
}

/// An office, camera or tile as an editor gives it, checked.
pub fn check_place_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if (2..=200).contains(&name.chars().count()) { Ok(name.to_owned()) } else { Err("services-invalid-place-name") }
}

/// Latitude and longitude typed in a form (a comma as the decimal mark is fine); both or neither.
pub fn parse_point(lat: &str, lon: &str) -> Result<Option<hromada_kernel::GeoPoint>, &'static str> {
    let (lat, lon) = (lat.trim().replace(',', "."), lon.trim().replace(',', "."));
    if lat.is_empty() && lon.is_empty() {
        return Ok(None);
    }
    match (lat.parse::<f64>(), lon.parse::<f64>()) {
        (Ok(a), Ok(o)) => hromada_kernel::GeoPoint::new(a, o).map(Some).ok_or("map-invalid-point"),
        _ => Err("map-invalid-point"),
    }
}

/// Great-circle distance in metres, for "the nearest office".
pub fn distance_m(a: hromada_kernel::GeoPoint, b: hromada_kernel::GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn valid() -> CardInput {
        CardInput {
            name_uk: "Реєстрація місця проживання".into(),
            documents: "- Паспорт\n- Заява".into(),
            term: "У день звернення".into(),
            result: "Відомості внесено до реєстру".into(),
            ..CardInput::default()
        }
    }

    #[test]
    fn costs_read_in_hryvnias_and_free_in_words() {
        assert_eq!(parse_cost(""), Ok(None));
        assert_eq!(parse_cost("Безоплатно"), Ok(None));
        assert_eq!(parse_cost("0"), Ok(None));
        assert_eq!(parse_cost("150"), Ok(Some(15_000)));
        assert_eq!(parse_cost("150,5"), Ok(Some(15_050)));
        assert_eq!(parse_cost("1 200,75 грн"), Ok(Some(120_075)));
        assert_eq!(parse_cost("UAH 85.00"), Ok(Some(8_500)));
        assert_eq!(parse_cost("-5"), Err("services-invalid-cost"));
        assert_eq!(parse_cost("'-5"), Err("services-invalid-cost"));
        assert_eq!(parse_cost("10,555"), Err("services-invalid-cost"));
        assert_eq!(parse_cost("п'ять"), Err("services-invalid-cost"));
        assert_eq!(format_cost(Some(15_050), Lang::Uk), "150,50 грн");
        assert_eq!(format_cost(Some(15_000), Lang::En), "UAH 150");
        assert_eq!(format_cost(None, Lang::Uk), "безоплатно");
    }

    proptest! {
        #[test]
        fn a_cost_written_to_a_file_reads_back_the_same(k in proptest::option::of(1i64..100_000_000)) {
            prop_assert_eq!(parse_cost(&cost_for_file(k)), Ok(k));
        }
    }

    #[test]
    fn a_card_needs_its_name_documents_term_and_result() {
        assert!(valid().check().is_ok());
        let problems = CardInput::default().check().unwrap_err();
        let fields: Vec<_> = problems.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name_uk", "documents", "term", "result"]);
        let bad = CardInput {
            online_url: "javascript:alert(1)".into(),
            cost: "дорого".into(),
            published: "можливо".into(),
            code: "a b".into(),
            ..valid()
        };
        let fields: Vec<_> = bad.check().unwrap_err().iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["code", "cost", "online_url", "published"]);
    }

    #[test]
    fn a_spreadsheet_guard_is_removed_on_import() {
        let card = CardInput { cost_note: "'-10% для пільговиків".into(), ..valid() }.check().unwrap();
        assert_eq!(card.cost_note, "-10% для пільговиків");
        assert!(!CardInput { published: "ні".into(), ..valid() }.check().unwrap().published);
    }

    #[test]
    fn web_links_only() {
        assert!(is_web_link("https://diia.gov.ua/services/1"));
        assert!(is_web_link("http://e-ticket.example.ua"));
        assert!(!is_web_link("https://"));
        assert!(!is_web_link("ftp://example.ua"));
        assert!(!is_web_link("https://exa mple.ua"));
        assert!(!is_web_link("https://localhost"));
    }

    #[test]
    fn documents_one_per_line_without_markers() {
        assert_eq!(document_lines("- Паспорт\n\n• Заява \n* Довідка"), vec!["Паспорт", "Заява", "Довідка"]);
    }

    #[test]
    fn category_codes_are_transliterated() {
        assert_eq!(category_code("Реєстрація місця проживання"), "reiestratsiia-mistsia-prozhyvannia");
        assert_eq!(category_code("Соціальні послуги / ЖКГ"), "sotsialni-posluhy-zhkh");
        assert_eq!(category_code("!!!"), "category");
    }

    #[test]
    fn points_both_or_neither_and_distances() {
        assert_eq!(parse_point("", ""), Ok(None));
        assert!(parse_point("48,95", "38,49").unwrap().is_some());
        assert_eq!(parse_point("48.95", ""), Err("map-invalid-point"));
        let a = hromada_kernel::GeoPoint::new(50.4501, 30.5234).unwrap();
        let b = hromada_kernel::GeoPoint::new(49.8397, 24.0297).unwrap();
        let d = distance_m(a, b);
        assert!((460_000.0..475_000.0).contains(&d), "{d}");
    }
}
