//! The catalogue in and out as CSV or JSON, with the same columns both ways, so that an export
//! edited in a spreadsheet imports back. An import checks every row first and reports each bad
//! one by its line; the good rows are written, the bad ones never silently dropped.

use crate::domain::{self, CardInput, Problem};
use crate::store::{self, CardWrite};
use chrono::{DateTime, Utc};
use hromada_db::{Db, DbResult};
use hromada_kernel::CommunityId;
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// The columns of a catalogue file, in order.
pub const COLUMNS: [&str; 14] = [
    "code",
    "category",
    "name_uk",
    "name_en",
    "recipients",
    "documents",
    "cost",
    "cost_note",
    "term",
    "result",
    "how_to_receive",
    "legal_basis",
    "online_url",
    "published",
];

/// Rows written per transaction.
const CHUNK: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// By the file name's extension; CSV unless it says `.json`.
    pub fn of_file(name: &str) -> Format {
        if name.to_ascii_lowercase().ends_with(".json") { Format::Json } else { Format::Csv }
    }
}

/// Why a whole file cannot be read, as a message key and, where it helps, a detail.
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblem {
    pub key: &'static str,
    pub detail: String,
}

fn file_problem(key: &'static str, detail: impl ToString) -> FileProblem {
    FileProblem { key, detail: detail.to_string() }
}

/// A row of a file: its row number as a spreadsheet shows it (CSV) or its position (JSON, from 1),
/// and its fields.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub input: CardInput,
}

/// What a file held: its rows and the columns it had that the catalogue does not know.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub rows: Vec<Row>,
    pub unknown_columns: Vec<String>,
}

/// A card from `column → text`; the columns of [`COLUMNS`] fill it (they are [`CardInput`]'s
/// field names), any other is left out.
fn card_from(fields: serde_json::Map<String, serde_json::Value>) -> CardInput {
    serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default()
}

/// Reads a catalogue file. A spreadsheet's byte-order mark and its `;` separator (what
/// Ukrainian-locale spreadsheets save) are understood.
pub fn parse(bytes: &[u8], format: Format) -> Result<Parsed, FileProblem> {
    let text = std::str::from_utf8(bytes).map_err(|e| file_problem("services-import-not-utf8", e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Csv => parse_csv(text),
        Format::Json => parse_json(text),
    }
}

fn parse_csv(text: &str) -> Result<Parsed, FileProblem> {
    let first = text.lines().next().unwrap_or("");
    let separator = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(separator).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| file_problem("services-import-bad-csv", e))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "name_uk") {
        return Err(file_problem("services-import-no-name-column", COLUMNS.join(", ")));
    }
    let unknown_columns = headers.iter().filter(|h| !COLUMNS.contains(&h.as_str())).cloned().collect();
    let mut rows = vec![];
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| file_problem("services-import-bad-csv", e))?;
        // The row as a spreadsheet numbers it: the header is row 1, a cell of several lines is
        // still one row.
        let line = index + 2;
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let fields = headers.iter().zip(record.iter()).map(|(c, v)| (c.clone(), serde_json::Value::from(v)));
        rows.push(Row { line, input: card_from(fields.collect()) });
    }
    Ok(Parsed { rows, unknown_columns })
}

fn parse_json(text: &str) -> Result<Parsed, FileProblem> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| file_problem("services-import-bad-json", e))?;
    // Either the list itself or what `/services.json` gives: `{"services": [...]}`.
    let list = match &value {
        serde_json::Value::Array(list) => list,
        serde_json::Value::Object(o) => match o.get("services") {
            Some(serde_json::Value::Array(list)) => list,
            _ => return Err(file_problem("services-import-bad-json", "[ … ]")),
        },
        _ => return Err(file_problem("services-import-bad-json", "[ … ]")),
    };
    let mut unknown_columns: Vec<String> = vec![];
    let mut rows = vec![];
    for (i, item) in list.iter().enumerate() {
        let mut fields = serde_json::Map::new();
        if let serde_json::Value::Object(given) = item {
            for (key, v) in given {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("\n"),
                    other => other.to_string(),
                };
                let column = key.to_lowercase();
                if !COLUMNS.contains(&column.as_str()) && !unknown_columns.contains(key) {
                    unknown_columns.push(key.clone());
                }
                fields.insert(column, text.into());
            }
        }
        rows.push(Row { line: i + 1, input: card_from(fields) });
    }
    Ok(Parsed { rows, unknown_columns })
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowProblem {
    pub line: usize,
    pub field: String,
    pub key: String,
    /// The other line, for a duplicate.
    pub other_line: Option<usize>,
}

/// One problem of an import as a reader sees it.
pub fn problem_text(t: &dyn Fn(&str) -> String, p: &RowProblem) -> String {
    let field = t(&format!("services-field-{}", p.field));
    let mut text = format!("{field}: {}", t(&p.key));
    if let Some(other) = p.other_line {
        text.push_str(&format!(" ({other})"));
    }
    text
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub created: usize,
    pub updated: usize,
    pub problems: Vec<RowProblem>,
    pub unknown_columns: Vec<String>,
}

impl Report {
    /// Rows not imported.
    pub fn failed_rows(&self) -> usize {
        let mut lines: Vec<usize> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines.len()
    }
}

/// Checks every row, then writes the good ones: a row whose code (or, without a code, whose
/// Ukrainian name) matches a card changes that card, any other row adds one. Categories named
/// in the file are created when missing. `progress(done, total)` is called as rows are written.
pub async fn import(
    db: &Db,
    community: CommunityId,
    parsed: Parsed,
    now: DateTime<Utc>,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> DbResult<Report> {
    let mut report = Report { unknown_columns: parsed.unknown_columns, ..Report::default() };
    let total = parsed.rows.len();
    let mut categories: HashMap<String, Uuid> = HashMap::new();
    for c in store::categories(db, community).await? {
        categories.insert(c.code.to_lowercase(), c.id);
        categories.insert(c.name_uk.to_lowercase(), c.id);
    }
    // Check every row, and catch the same card twice in one file.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut good = vec![];
    for row in &parsed.rows {
        let card = match row.input.check() {
            Ok(card) => card,
            Err(problems) => {
                report.problems.extend(problems.into_iter().map(|(field, key): Problem| RowProblem {
                    line: row.line,
                    field: field.into(),
                    key: key.into(),
                    other_line: None,
                }));
                continue;
            }
        };
        let identity =
            if card.code.is_empty() { format!("name:{}", card.name_uk) } else { format!("code:{}", card.code) };
        if let Some(first) = seen.get(&identity) {
            let field = if card.code.is_empty() { "name_uk" } else { "code" };
            report.problems.push(RowProblem {
                line: row.line,
                field: field.into(),
                key: "services-import-duplicate".into(),
                other_line: Some(*first),
            });
            continue;
        }
        seen.insert(identity, row.line);
        good.push((row.line, card));
    }
    report.problems.sort_by_key(|p| p.line);
    // Missing categories first, so that each card can name its own.
    for (_, card) in &good {
        let name = card.category.trim();
        if !name.is_empty() && !categories.contains_key(&name.to_lowercase()) {
            let id = store::save_category(db, community, &domain::category_code(name), name, None).await?;
            categories.insert(name.to_lowercase(), id);
        }
    }
    let mut done = total - good.len();
    progress(done, total);
    for chunk in good.chunks(CHUNK) {
        let writes: Vec<CardWrite> = chunk
            .iter()
            .map(|(_, card)| CardWrite {
                id: None,
                card,
                category: categories.get(&card.category.trim().to_lowercase()).copied(),
                offices: None,
                merge: true,
            })
            .collect();
        for saved in store::save_cards(db, community, &writes, now).await? {
            if saved.created {
                report.created += 1;
            } else {
                report.updated += 1;
            }
        }
        done += chunk.len();
        progress(done, total);
    }
    Ok(report)
}

/// A card as a file row.
pub fn row_of(card: &store::ServiceCard, category: &str) -> CardInput {
    CardInput {
        code: card.code.clone(),
        category: category.to_owned(),
        name_uk: card.name_uk.clone(),
        name_en: card.name_en.clone().unwrap_or_default(),
        recipients: card.recipients.clone(),
        documents: card.documents.clone(),
        cost: domain::cost_for_file(card.cost_kopiykas),
        cost_note: card.cost_note.clone(),
        term: card.term.clone(),
        result: card.result.clone(),
        how_to_receive: card.how_to_receive.clone(),
        legal_basis: card.legal_basis.clone(),
        online_url: card.online_url.clone().unwrap_or_default(),
        published: if card.published { "так".into() } else { "ні".into() },
    }
}

/// The catalogue as file rows, with its categories' names; drafts too when `unpublished`.
pub async fn rows(db: &Db, community: CommunityId, unpublished: bool) -> DbResult<Vec<CardInput>> {
    let categories = store::categories(db, community).await?;
    let filter = store::CardFilter { unpublished, ..store::CardFilter::default() };
    let cards = store::cards(db, community, &filter, i64::MAX).await?;
    Ok(cards
        .iter()
        .map(|c| {
            let category = c.category_id.and_then(|id| categories.iter().find(|x| x.id == id));
            row_of(c, category.map_or("", |x| x.name_uk.as_str()))
        })
        .collect())
}

/// Rows as CSV, with the columns [`parse`] reads.
pub fn to_csv(rows: &[CardInput]) -> hromada_web::export::Csv {
    let mut csv = hromada_web::export::Csv::new(&COLUMNS);
    for r in rows {
        let fields = serde_json::to_value(r).unwrap_or_default();
        let cells: Vec<&str> = COLUMNS.iter().map(|c| fields[*c].as_str().unwrap_or("")).collect();
        csv.row(&cells);
    }
    csv
}

/// Rows as the JSON list [`parse`] reads.
pub fn to_json(rows: &[CardInput]) -> serde_json::Value {
    serde_json::json!({ "services": rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_csv_with_semicolons_and_a_bom_reads() {
        let file = "\u{feff}code;name_uk;documents;term;result;cost;colour\r\n\
                    01;\"Довідка; з печаткою\";Паспорт;1 день;Довідка;'-5;red\r\n\
                    ;;;;;;\r\n\
                    02;Друга;Паспорт;1 день;Довідка;;\r\n";
        let parsed = parse(file.as_bytes(), Format::Csv).unwrap();
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].input.name_uk, "Довідка; з печаткою");
        assert_eq!(parsed.rows[0].line, 2);
        assert_eq!(parsed.rows[1].line, 4);
        assert_eq!(parsed.unknown_columns, vec!["colour"]);
    }

    #[test]
    fn a_file_without_names_is_refused_whole() {
        assert_eq!(parse(b"code,title\n1,x\n", Format::Csv).unwrap_err().key, "services-import-no-name-column");
        assert_eq!(parse(b"{\"a\": 1}", Format::Json).unwrap_err().key, "services-import-bad-json");
        assert_eq!(parse(&[0xff, 0xfe, 0x00], Format::Csv).unwrap_err().key, "services-import-not-utf8");
    }

    #[test]
    fn json_lists_become_lines_and_numbers_text() {
        let file = r#"[{"name_uk": "Послуга", "documents": ["Паспорт", "Заява"], "cost": 150.5, "published": false, "extra": 1}]"#;
        let parsed = parse(file.as_bytes(), Format::Json).unwrap();
        let input = &parsed.rows[0].input;
        assert_eq!(input.documents, "Паспорт\nЗаява");
        assert_eq!(input.cost, "150.5");
        assert_eq!(input.published, "false");
        assert_eq!(parsed.unknown_columns, vec!["extra"]);
    }

    #[test]
    fn an_export_reads_back_as_the_same_rows() {
        let input = CardInput {
            code: "00012".into(),
            category: "Реєстрація".into(),
            name_uk: "Реєстрація, \"особлива\"".into(),
            documents: "Паспорт\nЗаява".into(),
            cost: "150.50".into(),
            cost_note: "-10% пільговикам".into(),
            term: "1 день".into(),
            result: "Запис".into(),
            published: "так".into(),
            ..CardInput::default()
        };
        let csv = to_csv(std::slice::from_ref(&input));
        let body = csv.into_text();
        let back = parse(body.as_bytes(), Format::Csv).unwrap();
        assert_eq!(back.rows[0].input.check(), input.check());
        let json = to_json(std::slice::from_ref(&input)).to_string();
        let back = parse(json.as_bytes(), Format::Json).unwrap();
        assert_eq!(back.rows[0].input, input);
    }
}
