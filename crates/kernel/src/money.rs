//! Sums of money in hryvnias, kept as whole kopiykas (`i64`) everywhere below the page.

use crate::Lang;

/// A sum that does not read as hryvnias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a sum in hryvnias")]
pub struct InvalidMoney;

/// The largest sum accepted from a person: a billion hryvnias, far above any community budget
/// line, and far below where kopiykas would overflow when added up.
pub const MAX_KOPIYKAS: i64 = 1_000_000_000 * 100;

/// Reads `150`, `150,50`, `150.5`, `1 200 грн`, `UAH 1,200.00` is refused (one decimal
/// separator only, at most two decimal places); spaces between digit groups are allowed.
pub fn parse(text: &str) -> Result<i64, InvalidMoney> {
    let t = text.trim().to_lowercase();
    let t = t.trim_end_matches("грн.").trim_end_matches("грн").trim_end_matches("uah").trim();
    let t = t.strip_prefix("uah").unwrap_or(t).trim();
    let digits: String = t.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}').collect();
    let (whole, fraction) = match digits.split_once([',', '.']) {
        Some((w, f)) => (w, f),
        None => (digits.as_str(), ""),
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || whole.len() > 10 {
        return Err(InvalidMoney);
    }
    if fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(InvalidMoney);
    }
    let hryvnias: i64 = whole.parse().map_err(|_| InvalidMoney)?;
    let kopiykas: i64 = format!("{fraction:0<2}").parse().map_err(|_| InvalidMoney)?;
    let total = hryvnias * 100 + kopiykas;
    if total > MAX_KOPIYKAS { Err(InvalidMoney) } else { Ok(total) }
}

/// A sum as a person reads it: «1 250 000 грн», «150,50 грн», «UAH 1,250,000», «UAH 150.50».
/// Ukrainian groups thousands with a no-break space so a sum never wraps across lines.
pub fn format(kopiykas: i64, lang: Lang) -> String {
    let sign = if kopiykas < 0 { "-" } else { "" };
    let k = kopiykas.unsigned_abs();
    let (whole, cents) = (k / 100, k % 100);
    let separator = if lang == Lang::Uk { '\u{a0}' } else { ',' };
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    match (lang, cents) {
        (Lang::Uk, 0) => format!("{sign}{grouped} грн"),
        (Lang::Uk, c) => format!("{sign}{grouped},{c:02} грн"),
        (Lang::En, 0) => format!("{sign}UAH {grouped}"),
        (Lang::En, c) => format!("{sign}UAH {grouped}.{c:02}"),
    }
}

/// A sum as a file carries it (`1250000`, `150.50`), so that it reads back the same.
pub fn for_file(kopiykas: i64) -> String {
    if kopiykas % 100 == 0 {
        (kopiykas / 100).to_string()
    } else {
        format!("{}.{:02}", kopiykas / 100, (kopiykas % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_read_as_people_write_them() {
        assert_eq!(parse("150"), Ok(15_000));
        assert_eq!(parse("150,5"), Ok(15_050));
        assert_eq!(parse(" 1 200 грн "), Ok(120_000));
        assert_eq!(parse("1\u{a0}250\u{a0}000,00 грн."), Ok(125_000_000));
        assert_eq!(parse("UAH 99.99"), Ok(9_999));
        assert_eq!(parse("0"), Ok(0));
        for bad in ["", "-5", "10,123", "1,2,3", "сто", "12a", "99999999999"] {
            assert_eq!(parse(bad), Err(InvalidMoney), "{bad:?}");
        }
    }

    #[test]
    fn sums_are_written_for_each_language_and_read_back() {
        assert_eq!(format(125_000_000, Lang::Uk), "1\u{a0}250\u{a0}000 грн");
        assert_eq!(format(15_050, Lang::Uk), "150,50 грн");
        assert_eq!(format(125_000_000, Lang::En), "UAH 1,250,000");
        assert_eq!(format(99_999, Lang::En), "UAH 999.99");
        assert_eq!(format(-500, Lang::Uk), "-5 грн");
        for k in [0, 1, 99, 100, 123_456_789, MAX_KOPIYKAS] {
            assert_eq!(parse(&format(k, Lang::Uk)), Ok(k));
            assert_eq!(parse(&for_file(k)), Ok(k));
        }
    }
}
