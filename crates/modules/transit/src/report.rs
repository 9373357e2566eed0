//! What an import found wrong with a feed, row by row.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether the row was kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Odd but usable: the row was kept.
    Warning,
    /// The row (or the whole trip, or the file) was skipped.
    Error,
}

/// One problem: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file inside the archive, e.g. `stop_times.txt`.
    pub file: String,
    /// The line in that file (the header is line 1), when the problem is a row's.
    pub line: Option<u64>,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn severity(&self) -> Severity {
        self.kind.severity()
    }

    /// A stable key for translations and counting, e.g. `unknown_stop`.
    pub fn key(&self) -> &'static str {
        self.kind.key()
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file, line, self.kind),
            None => write!(f, "{}: {}", self.file, self.kind),
        }
    }
}

/// The kinds of problems; [`ProblemKind::key`] names each for translations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum ProblemKind {
    MissingFile,
    MissingColumn {
        column: String,
    },
    MalformedRow {
        detail: String,
    },
    MissingValue {
        column: String,
    },
    BadTime {
        column: String,
        value: String,
    },
    BadDate {
        column: String,
        value: String,
    },
    BadValue {
        column: String,
        value: String,
    },
    BadColour {
        column: String,
        value: String,
    },
    MissingCoordinates {
        stop_id: String,
    },
    DuplicateId {
        id: String,
    },
    UnknownStop {
        stop_id: String,
    },
    UnknownTrip {
        trip_id: String,
    },
    UnknownRoute {
        route_id: String,
    },
    UnknownAgency {
        agency_id: String,
    },
    UnknownParent {
        stop_id: String,
        parent_id: String,
    },
    /// A trip whose service id is in neither calendar.txt nor calendar_dates.txt: it would never run.
    UnknownService {
        trip_id: String,
        service_id: String,
    },
    TimesGoBackwards {
        trip_id: String,
        stop_sequence: u32,
    },
    DuplicateStopSequence {
        trip_id: String,
        stop_sequence: u32,
    },
    /// The first or last stop of a trip has no time, so the times between cannot be interpolated.
    UntimedTripEnd {
        trip_id: String,
    },
    TripWithoutStopTimes {
        trip_id: String,
    },
    BadFrequency {
        trip_id: String,
    },
    ForeignTimezone {
        timezone: String,
    },
    NoCalendar,
}

impl ProblemKind {
    pub fn key(&self) -> &'static str {
        match self {
            Self::MissingFile => "missing_file",
            Self::MissingColumn { .. } => "missing_column",
            Self::MalformedRow { .. } => "malformed_row",
            Self::MissingValue { .. } => "missing_value",
            Self::BadTime { .. } => "bad_time",
            Self::BadDate { .. } => "bad_date",
            Self::BadValue { .. } => "bad_value",
            Self::BadColour { .. } => "bad_colour",
            Self::MissingCoordinates { .. } => "missing_coordinates",
            Self::DuplicateId { .. } => "duplicate_id",
            Self::UnknownStop { .. } => "unknown_stop",
            Self::UnknownTrip { .. } => "unknown_trip",
            Self::UnknownRoute { .. } => "unknown_route",
            Self::UnknownAgency { .. } => "unknown_agency",
            Self::UnknownParent { .. } => "unknown_parent",
            Self::UnknownService { .. } => "unknown_service",
            Self::TimesGoBackwards { .. } => "times_go_backwards",
            Self::DuplicateStopSequence { .. } => "duplicate_stop_sequence",
            Self::UntimedTripEnd { .. } => "untimed_trip_end",
            Self::TripWithoutStopTimes { .. } => "trip_without_stop_times",
            Self::BadFrequency { .. } => "bad_frequency",
            Self::ForeignTimezone { .. } => "foreign_timezone",
            Self::NoCalendar => "no_calendar",
        }
    }

    pub fn severity(&self) -> Severity {
        match self {
            Self::MissingCoordinates { .. }
            | Self::BadColour { .. }
            | Self::UnknownAgency { .. }
            | Self::UnknownParent { .. }
            | Self::TripWithoutStopTimes { .. }
            | Self::ForeignTimezone { .. }
            | Self::NoCalendar => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingFile => write!(f, "required file is missing"),
            Self::MissingColumn { column } => write!(f, "required column {column} is missing"),
            Self::MalformedRow { detail } => write!(f, "row cannot be read ({detail}), skipped"),
            Self::MissingValue { column } => write!(f, "{column} is empty, row skipped"),
            Self::BadTime { column, value } => write!(f, "{column} {value:?} is not a time HH:MM:SS, row skipped"),
            Self::BadDate { column, value } => write!(f, "{column} {value:?} is not a date YYYYMMDD, row skipped"),
            Self::BadValue { column, value } => write!(f, "{column} {value:?} is not valid, row skipped"),
            Self::BadColour { column, value } => write!(f, "{column} {value:?} is not a colour RRGGBB; colour ignored"),
            Self::MissingCoordinates { stop_id } => {
                write!(f, "stop {stop_id} has no valid coordinates; it is kept but not found on the map")
            }
            Self::DuplicateId { id } => write!(f, "id {id} appears again, row skipped"),
            Self::UnknownStop { stop_id } => write!(f, "stop {stop_id} is not in stops.txt, row skipped"),
            Self::UnknownTrip { trip_id } => {
                write!(f, "trip {trip_id} is not in trips.txt or was skipped, row skipped")
            }
            Self::UnknownRoute { route_id } => write!(f, "route {route_id} is not in routes.txt, row skipped"),
            Self::UnknownAgency { agency_id } => write!(f, "agency {agency_id} is not in agency.txt; route kept"),
            Self::UnknownParent { stop_id, parent_id } => {
                write!(
                    f,
                    "stop {stop_id} names parent station {parent_id}, which is not a station in stops.txt; stop kept alone"
                )
            }
            Self::UnknownService { trip_id, service_id } => write!(
                f,
                "trip {trip_id} runs on service {service_id}, which is in neither calendar.txt nor calendar_dates.txt; trip skipped"
            ),
            Self::TimesGoBackwards { trip_id, stop_sequence } => {
                write!(f, "trip {trip_id} goes back in time at stop sequence {stop_sequence}, stop time skipped")
            }
            Self::DuplicateStopSequence { trip_id, stop_sequence } => {
                write!(f, "trip {trip_id} has stop sequence {stop_sequence} twice, the later row skipped")
            }
            Self::UntimedTripEnd { trip_id } => {
                write!(f, "trip {trip_id} has no time at its first or last stop; its stop times are skipped")
            }
            Self::TripWithoutStopTimes { trip_id } => write!(f, "trip {trip_id} has no stop times"),
            Self::BadFrequency { trip_id } => {
                write!(f, "frequency of trip {trip_id} needs start before end and a positive headway, row skipped")
            }
            Self::ForeignTimezone { timezone } => {
                write!(f, "agency time zone {timezone} is not Europe/Kyiv; times are read on Kyiv clocks")
            }
            Self::NoCalendar => write!(f, "neither calendar.txt nor calendar_dates.txt is present; no trip runs"),
        }
    }
}

/// The problems an import found. Every problem is counted; the details of each kind are kept up to
/// [`Report::DETAILS_PER_KEY`], so a feed broken on every row still gives a report of bounded size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub problems: Vec<Problem>,
    /// How many problems of each key were found, including those whose details were not kept.
    pub counts: BTreeMap<String, u64>,
    /// Rows read per file.
    pub rows: BTreeMap<String, u64>,
}

impl Report {
    pub const DETAILS_PER_KEY: u64 = 200;

    pub fn push(&mut self, file: &str, line: Option<u64>, kind: ProblemKind) {
        let count = self.counts.entry(kind.key().to_owned()).or_default();
        *count += 1;
        if *count <= Self::DETAILS_PER_KEY {
            self.problems.push(Problem { file: file.to_owned(), line, kind });
        }
    }

    pub fn count(&self, key: &str) -> u64 {
        self.counts.get(key).copied().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    pub fn is_clean(&self) -> bool {
        self.counts.is_empty()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity() == Severity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_capped_but_every_problem_is_counted() {
        let mut report = Report::default();
        for line in 0..Report::DETAILS_PER_KEY + 5 {
            report.push("stop_times.txt", Some(line), ProblemKind::UnknownStop { stop_id: "x".into() });
        }
        assert_eq!(report.count("unknown_stop"), Report::DETAILS_PER_KEY + 5);
        assert_eq!(report.problems.len() as u64, Report::DETAILS_PER_KEY);
        let text = report.problems[2].to_string();
        assert_eq!(text, "stop_times.txt:2: stop x is not in stops.txt, row skipped");
        assert_eq!(report.problems[0].key(), "unknown_stop");
    }
}
