//! Paper ballots as officials enter them from the polling points: one by one from a form, or a
//! CSV of many. Each row names the voter (tax number, name, year of birth, residency) and the
//! projects chosen; the tax number only ever becomes a person key.

use hromada_kernel::{Person, normalize_tax_number};

/// The columns of a paper ballot file, in the order the template has them.
pub const COLUMNS: [&str; 5] = ["tax_number", "full_name", "birth_year", "residency", "choices"];

/// A paper ballot as read, before the regulation and the register are asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperBallot {
    /// The row as a spreadsheet numbers it (the header is row 1); 0 for the form.
    pub line: usize,
    /// Ten digits, normalised.
    pub tax_number: String,
    pub full_name: String,
    pub birth_year: Option<i32>,
    pub resident: bool,
    pub idp_registered: bool,
    pub choices: Vec<i64>,
}

impl PaperBallot {
    pub fn person(&self) -> Person {
        Person { birth_year: self.birth_year, resident: self.resident, idp_registered: self.idp_registered }
    }
}

/// What is wrong with a row: the line and a message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub key: &'static str,
}

/// Reads one ballot's fields; `line` is where it came from.
pub fn read(line: usize, fields: &[(&str, &str)]) -> Result<PaperBallot, RowProblem> {
    let get = |name: &str| fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim()).unwrap_or("");
    let problem = |key| RowProblem { line, key };
    let tax_number = normalize_tax_number(get("tax_number")).ok_or(problem("budget-paper-tax-number"))?;
    let full_name = get("full_name");
    if full_name.split_whitespace().count() < 2 || full_name.chars().count() > 200 {
        return Err(problem("budget-paper-full-name"));
    }
    let birth_year = match get("birth_year") {
        "" => None,
        y => Some(
            y.parse::<i32>().ok().filter(|y| (1900..=2100).contains(y)).ok_or(problem("budget-paper-birth-year"))?,
        ),
    };
    let (resident, idp_registered) = match get("residency").to_lowercase().as_str() {
        "resident" | "мешканець" | "мешканка" | "так" | "yes" => (true, false),
        "idp" | "впо" => (false, true),
        "" | "no" | "ні" => (false, false),
        _ => return Err(problem("budget-paper-residency")),
    };
    let choices: Result<Vec<i64>, _> = get("choices")
        .split([' ', ',', '+', ';'])
        .filter(|s| !s.is_empty())
        .map(|s| s.trim_start_matches('№').trim().parse::<i64>())
        .collect();
    let choices = choices.map_err(|_| problem("budget-paper-choices"))?;
    if choices.is_empty() {
        return Err(problem("budget-paper-choices"));
    }
    Ok(PaperBallot { line, tax_number, full_name: full_name.to_owned(), birth_year, resident, idp_registered, choices })
}

/// Reads a file of paper ballots (UTF-8, with or without a BOM, `,` or `;` between cells):
/// the ballots that read, and a problem for every row that does not.
pub fn parse_file(bytes: &[u8]) -> Result<(Vec<PaperBallot>, Vec<RowProblem>), &'static str> {
    let text = std::str::from_utf8(bytes).map_err(|_| "budget-paper-not-utf8")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let separator = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(separator).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> =
        reader.headers().map_err(|_| "budget-paper-bad-csv")?.iter().map(|h| h.trim().to_lowercase()).collect();
    if !COLUMNS.iter().all(|c| headers.iter().any(|h| h == c)) {
        return Err("budget-paper-columns");
    }
    let (mut ballots, mut problems) = (vec![], vec![]);
    for (index, record) in reader.records().enumerate() {
        let Ok(record) = record else {
            problems.push(RowProblem { line: index + 2, key: "budget-paper-bad-csv" });
            continue;
        };
        // The reader skips blank lines, and a record's position may point at the blank lines
        // before it: count the lines up to its first character.
        let line = record.position().map_or(index + 2, |p| {
            let at = (p.byte() as usize).min(text.len());
            let blank = text[at..].chars().take_while(|c| *c == '\n' || *c == '\r').filter(|c| *c == '\n').count();
            1 + text[..at].matches('\n').count() + blank
        });
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let fields: Vec<(&str, &str)> = headers.iter().map(String::as_str).zip(record.iter()).collect();
        match read(line, &fields) {
            Ok(b) => ballots.push(b),
            Err(p) => problems.push(p),
        }
    }
    Ok((ballots, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_reads_into_a_ballot_or_says_what_is_wrong() {
        let row = [
            ("tax_number", "1234567890"),
            ("full_name", "Шевченко Тарас Григорович"),
            ("birth_year", "1990"),
            ("residency", "ВПО"),
            ("choices", "№3, 7 12"),
        ];
        let b = read(5, &row).unwrap();
        assert_eq!(b.choices, vec![3, 7, 12]);
        assert!(b.idp_registered && !b.resident);
        assert_eq!(b.person().birth_year, Some(1990));
        let with = |name: &str, value: &'static str| {
            row.iter().map(|(k, v)| if *k == name { (*k, value) } else { (*k, *v) }).collect::<Vec<_>>()
        };
        assert_eq!(
            read(5, &with("tax_number", "12345")).unwrap_err(),
            RowProblem { line: 5, key: "budget-paper-tax-number" }
        );
        assert_eq!(read(5, &with("full_name", "Тарас")).unwrap_err().key, "budget-paper-full-name");
        assert_eq!(read(5, &with("birth_year", "90")).unwrap_err().key, "budget-paper-birth-year");
        assert_eq!(read(5, &with("residency", "турист")).unwrap_err().key, "budget-paper-residency");
        assert_eq!(read(5, &with("choices", "три")).unwrap_err().key, "budget-paper-choices");
        assert_eq!(read(5, &with("choices", " ")).unwrap_err().key, "budget-paper-choices");
        assert!(read(5, &with("birth_year", "")).unwrap().birth_year.is_none());
    }

    #[test]
    fn a_file_gives_good_rows_and_a_problem_per_bad_row() {
        let file = "\u{feff}tax_number;full_name;birth_year;residency;choices\n\
                    1234567890;Шевченко Тарас;1990;мешканець;1 2\n\
                    \n\
                    12;Коваль Іван;1980;мешканець;1\n\
                    2234567890;Коваль Марія;1985;resident;3\n";
        let (ballots, problems) = parse_file(file.as_bytes()).unwrap();
        assert_eq!(ballots.iter().map(|b| b.line).collect::<Vec<_>>(), vec![2, 5]);
        assert_eq!(problems, vec![RowProblem { line: 4, key: "budget-paper-tax-number" }]);
        assert_eq!(parse_file(b"name,choices\nx,1").unwrap_err(), "budget-paper-columns");
        assert_eq!(parse_file(&[0xff, 0xfe]).unwrap_err(), "budget-paper-not-utf8");
    }
}
