//! Open-data and office exports: CSV that spreadsheet programs open right (a byte-order mark for
//! Cyrillic, CRLF lines) and that cannot smuggle formulas into them.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A CSV document built row by row.
pub struct Csv {
    text: String,
}

impl Csv {
    pub fn new(header: &[&str]) -> Self {
        let mut csv = Csv { text: String::from("\u{feff}") };
        csv.row(header);
        csv
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<String> = cells.iter().map(|c| field(c.as_ref())).collect();
        self.text.push_str(&line.join(","));
        self.text.push_str("\r\n");
    }

    /// The document's text, byte-order mark included.
    pub fn into_text(self) -> String {
        self.text
    }

    /// A download named `file_name` (ASCII).
    pub fn into_download(self, file_name: &str) -> Response {
        download(self.text, "text/csv; charset=utf-8", file_name)
    }
}

/// A body served as a file to save, not a page to show.
pub fn download(body: impl IntoResponse, content_type: &'static str, file_name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let safe: String = file_name.chars().filter(|c| c.is_ascii_alphanumeric() || "._-".contains(*c)).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A CSV field, quoted when it needs to be, and defused against spreadsheet formulas.
pub fn field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// Escapes text for XML content and attribute values (feeds, Open311), dropping the control
/// characters XML 1.0 does not allow at all.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_separators_quoted() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("Шевченко, Т."), "\"Шевченко, Т.\"");
        assert_eq!(field("просто"), "просто");
    }

    #[test]
    fn a_document_starts_with_a_byte_order_mark_and_ends_lines_with_crlf() {
        let mut csv = Csv::new(&["№", "назва"]);
        csv.row(&["1", "Сквер"]);
        assert_eq!(csv.text, "\u{feff}№,назва\r\n1,Сквер\r\n");
    }

    #[test]
    fn xml_text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(super::xml_escape("a<b & \"c\" 'd'\u{1}"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;");
    }
}
