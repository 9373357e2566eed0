//! Reading a GTFS zip into a [`Feed`], with a [`Report`] of every row that was wrong.
//!
//! The CSV files are read here rather than through `gtfs-structures`: that crate stops at the first bad
//! row of a file, offers no progress hook and keeps each row as a string-keyed struct, while a community
//! needs a feed with a few broken rows imported and those rows listed, and a million stop times kept in
//! a few columns of integers.
//!
//! Bad rows are skipped and reported with their file and line; only an archive that cannot be read, or
//! one without stops.txt, is an [`ImportError`].

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use csv::StringRecord;
use hromada_kernel::GeoPoint;
use zip::ZipArchive;

use crate::feed::{
    Agency, AgencyIdx, Feed, FeedData, Frequency, LocationType, NO_DROP_OFF, NO_PICKUP, Route, RouteIdx, ServiceIdx,
    Span, Stop, StopIdx, StopTime, Trip, TripIdx,
};
use crate::report::{ProblemKind, Report};
use crate::schedule::{Service, Weekdays, WeeklyPattern, parse_date, parse_time};

/// A feed and what was wrong with it.
#[derive(Debug, Clone)]
pub struct Imported {
    pub feed: Feed,
    pub report: Report,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not a zip archive: {0}")]
    NotZip(String),
    #[error("the archive has no stops.txt, so it is no GTFS feed")]
    NoStops,
    #[error("cannot read {file}: {source}")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} has more rows than this importer can index")]
    TooLarge(String),
}

/// Imports a GTFS zip held in memory.
pub fn from_bytes(bytes: &[u8]) -> Result<Imported, ImportError> {
    read_zip(Cursor::new(bytes), |_, _| {})
}

/// Imports a GTFS zip from a file.
pub fn from_path(path: &Path, progress: impl FnMut(u64, u64)) -> Result<Imported, ImportError> {
    let file = File::open(path).map_err(|source| ImportError::Read { file: path.display().to_string(), source })?;
    read_zip(BufReader::new(file), progress)
}

/// Imports a GTFS zip, calling `progress(rows_done, rows_total)` now and then (rows of all files).
pub fn read_zip<R: Read + Seek>(reader: R, mut progress: impl FnMut(u64, u64)) -> Result<Imported, ImportError> {
    let mut archive = Archive::open(reader)?;
    if !archive.has(STOPS) {
        return Err(ImportError::NoStops);
    }
    let mut total = 0;
    for file in FILES {
        total += archive.count_rows(file)?;
    }
    let mut importer = Importer {
        files: Files {
            archive,
            report: Report::default(),
            progress: Progress { done: 0, total, callback: &mut progress },
        },
        data: FeedData::default(),
        stop_ids: HashMap::new(),
        route_ids: HashMap::new(),
        service_ids: HashMap::new(),
        trip_ids: HashMap::new(),
    };
    importer.agencies()?;
    importer.stops()?;
    importer.routes()?;
    importer.calendar()?;
    importer.trips()?;
    importer.stop_times()?;
    importer.frequencies()?;
    importer.files.progress.finish();
    let Importer { data, files, .. } = importer;
    Ok(Imported { feed: Feed::indexed(data), report: files.report })
}

const AGENCY: &str = "agency.txt";
const STOPS: &str = "stops.txt";
const ROUTES: &str = "routes.txt";
const CALENDAR: &str = "calendar.txt";
const CALENDAR_DATES: &str = "calendar_dates.txt";
const TRIPS: &str = "trips.txt";
const STOP_TIMES: &str = "stop_times.txt";
const FREQUENCIES: &str = "frequencies.txt";
const FILES: [&str; 8] = [AGENCY, STOPS, ROUTES, CALENDAR, CALENDAR_DATES, TRIPS, STOP_TIMES, FREQUENCIES];

/// Time zones whose clocks are Kyiv's (old and new names).
const KYIV_ZONES: [&str; 4] = ["Europe/Kyiv", "Europe/Kiev", "Europe/Uzhgorod", "Europe/Zaporozhye"];

struct Archive<R> {
    zip: ZipArchive<R>,
    /// File name → entry, so that feeds zipped inside a folder are read too.
    entries: HashMap<String, usize>,
}

impl<R: Read + Seek> Archive<R> {
    fn open(reader: R) -> Result<Self, ImportError> {
        let zip = ZipArchive::new(reader).map_err(|e| ImportError::NotZip(e.to_string()))?;
        let mut entries: HashMap<String, (usize, usize)> = HashMap::new();
        for (i, name) in zip.file_names().enumerate() {
            let Ok(path) = name else { continue };
            let base = path.rsplit('/').next().unwrap_or(&path);
            // macOS archives carry resource forks named like the real files.
            if path.starts_with("__MACOSX") || base.starts_with("._") || base.is_empty() {
                continue;
            }
            let depth = path.matches('/').count();
            let entry = entries.entry(base.to_owned()).or_insert((i, depth));
            if depth < entry.1 {
                *entry = (i, depth);
            }
        }
        Ok(Self { zip, entries: entries.into_iter().map(|(name, (i, _))| (name, i)).collect() })
    }

    fn has(&self, file: &str) -> bool {
        self.entries.contains_key(file)
    }

    fn read(&mut self, file: &str) -> Result<Option<zip::read::ZipFile<'_, R>>, ImportError> {
        let Some(&i) = self.entries.get(file) else { return Ok(None) };
        self.zip.by_index(i).map(Some).map_err(|e| ImportError::Read { file: file.to_owned(), source: e.into() })
    }

    /// Lines after the header; a quoted field holding a line break makes this a slight overestimate.
    fn count_rows(&mut self, file: &str) -> Result<u64, ImportError> {
        let Some(mut reader) = self.read(file)? else { return Ok(0) };
        let mut buf = vec![0u8; 1 << 16];
        let (mut lines, mut last) = (0u64, b'\n');
        loop {
            let n = reader.read(&mut buf).map_err(|source| ImportError::Read { file: file.to_owned(), source })?;
            if n == 0 {
                break;
            }
            lines += buf[..n].iter().filter(|b| **b == b'\n').count() as u64;
            last = buf[n - 1];
        }
        if last != b'\n' {
            lines += 1;
        }
        Ok(lines.saturating_sub(1))
    }
}

struct Progress<'a> {
    done: u64,
    total: u64,
    callback: &'a mut dyn FnMut(u64, u64),
}

impl Progress<'_> {
    fn row(&mut self) {
        self.done += 1;
        if self.done.is_multiple_of(8192) {
            (self.callback)(self.done.min(self.total), self.total);
        }
    }

    fn finish(&mut self) {
        (self.callback)(self.total, self.total);
    }
}

/// One CSV row and its line in the file.
struct Row<'r> {
    record: &'r StringRecord,
    line: u64,
}

impl<'r> Row<'r> {
    /// The trimmed value of a column; an empty value counts as absent.
    fn get(&self, column: Option<usize>) -> Option<&'r str> {
        column.and_then(|c| self.record.get(c)).map(str::trim).filter(|v| !v.is_empty())
    }

    fn required(&self, column: (&str, Option<usize>)) -> Result<&'r str, ProblemKind> {
        self.get(column.1).ok_or_else(|| ProblemKind::MissingValue { column: column.0.to_owned() })
    }
}

/// A column's name and position in the file's header.
type Column<'a> = (&'a str, Option<usize>);

fn bad_value(column: Column<'_>, value: &str) -> ProblemKind {
    ProblemKind::BadValue { column: column.0.to_owned(), value: value.to_owned() }
}

fn small_number(row: &Row<'_>, column: Column<'_>, max: u8) -> Result<u8, ProblemKind> {
    match row.get(column.1) {
        None => Ok(0),
        Some(v) => v.parse::<u8>().ok().filter(|n| *n <= max).ok_or_else(|| bad_value(column, v)),
    }
}

fn time(row: &Row<'_>, column: Column<'_>) -> Result<Option<u32>, ProblemKind> {
    match row.get(column.1) {
        None => Ok(None),
        Some(v) => parse_time(v)
            .map(Some)
            .ok_or_else(|| ProblemKind::BadTime { column: column.0.to_owned(), value: v.to_owned() }),
    }
}

fn colour(row: &Row<'_>, column: Column<'_>, file: &str, report: &mut Report) -> Option<String> {
    let value = row.get(column.1)?;
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Some(value.to_ascii_uppercase())
    } else {
        report.push(file, Some(row.line), ProblemKind::BadColour { column: column.0.to_owned(), value: value.into() });
        None
    }
}

fn index(len: usize, file: &str) -> Result<u32, ImportError> {
    u32::try_from(len).map_err(|_| ImportError::TooLarge(file.to_owned()))
}

/// The archive being read, with the report and progress every file adds to.
struct Files<'a, R> {
    archive: Archive<R>,
    report: Report,
    progress: Progress<'a>,
}

impl<R: Read + Seek> Files<'_, R> {
    /// Reads every row of `file`, handing `columns` (looked up in its header) and each row to `each`.
    /// A row for which `each` returns a problem is reported and skipped. A missing file is reported
    /// when `required`; a missing required column skips the whole file. Says whether the file was read.
    fn read_file<const N: usize>(
        &mut self,
        file: &'static str,
        required: bool,
        names: [&'static str; N],
        mandatory: &[&'static str],
        mut each: impl FnMut(&Row<'_>, [Column<'static>; N], &mut Report) -> Result<(), ProblemKind>,
    ) -> Result<bool, ImportError> {
        let Self { archive, report, progress } = self;
        let Some(reader) = archive.read(file)? else {
            if required {
                report.push(file, None, ProblemKind::MissingFile);
            }
            return Ok(false);
        };
        let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(reader);
        let mut record = StringRecord::new();
        // Past the header a bad row is reported and skipped; a file whose bytes cannot be read stops the import.
        let read_error = |e: csv::Error| {
            let text = e.to_string();
            let source = match e.into_kind() {
                csv::ErrorKind::Io(source) => source,
                _ => std::io::Error::new(std::io::ErrorKind::InvalidData, text),
            };
            ImportError::Read { file: file.to_owned(), source }
        };
        if !csv.read_record(&mut record).map_err(read_error)? {
            return Ok(true); // an empty file: nothing to read
        }
        let header: Vec<String> =
            record.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase()).collect();
        let columns = names.map(|name| (name, header.iter().position(|h| h == name)));
        let mut missing = false;
        for name in mandatory {
            if !header.iter().any(|h| h == name) {
                report.push(file, Some(1), ProblemKind::MissingColumn { column: (*name).to_owned() });
                missing = true;
            }
        }
        if missing {
            return Ok(false);
        }
        let mut rows = 0u64;
        loop {
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    progress.row();
                    let line = record.position().map_or(0, |p| p.line());
                    if record.iter().all(|v| v.trim().is_empty()) {
                        continue; // a blank line
                    }
                    if let Err(problem) = each(&Row { record: &record, line }, columns, report) {
                        report.push(file, Some(line), problem);
                    }
                }
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(read_error(e)),
                Err(e) => {
                    rows += 1;
                    progress.row();
                    let line = e.position().map(|p| p.line());
                    report.push(file, line, ProblemKind::MalformedRow { detail: e.to_string() });
                }
            }
        }
        report.rows.insert(file.to_owned(), rows);
        Ok(true)
    }
}

struct Importer<'a, R> {
    files: Files<'a, R>,
    data: FeedData,
    stop_ids: HashMap<String, u32>,
    route_ids: HashMap<String, u32>,
    service_ids: HashMap<String, u32>,
    trip_ids: HashMap<String, u32>,
}

impl<R: Read + Seek> Importer<'_, R> {
    fn agencies(&mut self) -> Result<(), ImportError> {
        let mut agencies = Vec::new();
        let mut ids = HashMap::new();
        let names = ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_phone"];
        self.files.read_file(
            AGENCY,
            true,
            names,
            &["agency_name"],
            |row, [id, name, url, timezone, phone], report| {
                let id = row.get(id.1).unwrap_or_default().to_owned();
                if ids.insert(id.clone(), agencies.len()).is_some() {
                    return Err(ProblemKind::DuplicateId { id });
                }
                let timezone = row.get(timezone.1).unwrap_or_default().to_owned();
                if !KYIV_ZONES.contains(&timezone.as_str()) {
                    report.push(AGENCY, Some(row.line), ProblemKind::ForeignTimezone { timezone: timezone.clone() });
                }
                agencies.push(Agency {
                    id,
                    name: row.required(name)?.to_owned(),
                    url: row.get(url.1).unwrap_or_default().to_owned(),
                    timezone,
                    phone: row.get(phone.1).map(str::to_owned),
                });
                Ok(())
            },
        )?;
        self.data.agencies = agencies;
        Ok(())
    }

    fn stops(&mut self) -> Result<(), ImportError> {
        let mut stops = Vec::new();
        let mut ids = HashMap::new();
        let mut parents: Vec<(usize, String, u64)> = Vec::new();
        let names = ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"];
        self.files.read_file(
            STOPS,
            true,
            names,
            &["stop_id"],
            |row, [id, code, name, lat, lon, kind, parent], report| {
                let stop_id = row.required(id)?;
                if ids.contains_key(stop_id) {
                    return Err(ProblemKind::DuplicateId { id: stop_id.to_owned() });
                }
                let location_type = LocationType::from_code(small_number(row, kind, 4)?).unwrap_or(LocationType::Stop);
                let coordinate = |c: Column<'_>| row.get(c.1).and_then(|v| v.parse::<f64>().ok());
                let location = match (coordinate(lat), coordinate(lon)) {
                    // 0,0 lies in the Gulf of Guinea: an unset position, not a stop.
                    (Some(lat), Some(lon)) if (lat, lon) != (0.0, 0.0) => GeoPoint::new(lat, lon),
                    _ => None,
                };
                let needs_location =
                    matches!(location_type, LocationType::Stop | LocationType::Station | LocationType::Entrance);
                if location.is_none() && needs_location {
                    report.push(STOPS, Some(row.line), ProblemKind::MissingCoordinates { stop_id: stop_id.to_owned() });
                }
                if let Some(parent) = row.get(parent.1) {
                    parents.push((stops.len(), parent.to_owned(), row.line));
                }
                ids.insert(stop_id.to_owned(), stops.len() as u32);
                stops.push(Stop {
                    id: stop_id.to_owned(),
                    code: row.get(code.1).map(str::to_owned),
                    name: row.get(name.1).unwrap_or_default().to_owned(),
                    location,
                    location_type,
                    parent: None,
                });
                Ok(())
            },
        )?;
        index(stops.len(), STOPS)?;
        for (child, parent_id, line) in parents {
            match ids.get(&parent_id).copied() {
                Some(p)
                    if stops[p as usize].location_type == LocationType::Station
                        || stops[child].location_type != LocationType::Stop =>
                {
                    stops[child].parent = Some(StopIdx(p));
                }
                _ => self.files.report.push(
                    STOPS,
                    Some(line),
                    ProblemKind::UnknownParent { stop_id: stops[child].id.clone(), parent_id },
                ),
            }
        }
        self.data.stops = stops;
        self.stop_ids = ids;
        Ok(())
    }

    fn routes(&mut self) -> Result<(), ImportError> {
        let agency_ids: HashMap<String, u32> =
            self.data.agencies.iter().enumerate().map(|(i, a)| (a.id.clone(), i as u32)).collect();
        let only_agency = (self.data.agencies.len() == 1).then_some(AgencyIdx(0));
        let mut routes = Vec::new();
        let mut ids = HashMap::new();
        let names = [
            "route_id",
            "agency_id",
            "route_short_name",
            "route_long_name",
            "route_type",
            "route_color",
            "route_text_color",
        ];
        let mandatory = ["route_id", "route_type"];
        self.files.read_file(
            ROUTES,
            true,
            names,
            &mandatory,
            |row, [id, agency, short, long, kind, colour_col, text], report| {
                let route_id = row.required(id)?;
                if ids.contains_key(route_id) {
                    return Err(ProblemKind::DuplicateId { id: route_id.to_owned() });
                }
                let route_type = row.required(kind)?;
                let route_type = route_type.parse::<u16>().map_err(|_| bad_value(kind, route_type))?;
                let agency = match row.get(agency.1) {
                    None => only_agency,
                    Some(a) => match agency_ids.get(a) {
                        Some(i) => Some(AgencyIdx(*i)),
                        None => {
                            report.push(ROUTES, Some(row.line), ProblemKind::UnknownAgency { agency_id: a.to_owned() });
                            None
                        }
                    },
                };
                ids.insert(route_id.to_owned(), routes.len() as u32);
                routes.push(Route {
                    id: route_id.to_owned(),
                    agency,
                    short_name: row.get(short.1).unwrap_or_default().to_owned(),
                    long_name: row.get(long.1).unwrap_or_default().to_owned(),
                    route_type,
                    colour: colour(row, colour_col, ROUTES, report),
                    text_colour: colour(row, text, ROUTES, report),
                });
                Ok(())
            },
        )?;
        self.data.routes = routes;
        self.route_ids = ids;
        Ok(())
    }

    fn calendar(&mut self) -> Result<(), ImportError> {
        let mut services: Vec<Service> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        let names = [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ];
        let found_calendar = self.files.read_file(CALENDAR, false, names, &names, |row, columns, _| {
            let [id, days @ .., start, end] = columns;
            let service_id = row.required(id)?;
            let mut bits = 0u8;
            for (i, day) in days.iter().enumerate() {
                match row.get(day.1) {
                    Some("1") => bits |= 1 << i,
                    Some("0") => {}
                    other => return Err(bad_value(*day, other.unwrap_or_default())),
                }
            }
            let date = |c: Column<'_>| {
                let raw = row.required(c)?;
                parse_date(raw).ok_or_else(|| ProblemKind::BadDate { column: c.0.to_owned(), value: raw.to_owned() })
            };
            let weekly = WeeklyPattern { days: Weekdays(bits), start: date(start)?, end: date(end)? };
            if ids.contains_key(service_id) {
                return Err(ProblemKind::DuplicateId { id: service_id.to_owned() });
            }
            ids.insert(service_id.to_owned(), services.len() as u32);
            services.push(Service { weekly: Some(weekly), ..Service::new(service_id) });
            Ok(())
        })?;

        let names = ["service_id", "date", "exception_type"];
        let found_dates = self.files.read_file(CALENDAR_DATES, false, names, &names, |row, [id, date, kind], _| {
            let service_id = row.required(id)?;
            let raw = row.required(date)?;
            let date =
                parse_date(raw).ok_or_else(|| ProblemKind::BadDate { column: "date".into(), value: raw.into() })?;
            let added = match row.required(kind)? {
                "1" => true,
                "2" => false,
                other => return Err(bad_value(kind, other)),
            };
            let i = *ids.entry(service_id.to_owned()).or_insert_with(|| {
                services.push(Service::new(service_id));
                services.len() as u32 - 1
            });
            let service = &mut services[i as usize];
            if added {
                service.added.push(date)
            } else {
                service.removed.push(date)
            }
            Ok(())
        })?;
        if !found_calendar && !found_dates {
            self.files.report.push(CALENDAR, None, ProblemKind::NoCalendar);
        }
        for service in &mut services {
            for dates in [&mut service.added, &mut service.removed] {
                dates.sort_unstable();
                dates.dedup();
            }
        }
        self.data.services = services;
        self.service_ids = ids;
        Ok(())
    }

    fn trips(&mut self) -> Result<(), ImportError> {
        let (route_ids, service_ids) = (&self.route_ids, &self.service_ids);
        let mut trips = Vec::new();
        let mut ids = HashMap::new();
        let names = ["trip_id", "route_id", "service_id", "trip_headsign", "trip_short_name", "direction_id"];
        let mandatory = ["trip_id", "route_id", "service_id"];
        self.files.read_file(
            TRIPS,
            true,
            names,
            &mandatory,
            |row, [id, route, service, headsign, short, direction], _| {
                let trip_id = row.required(id)?;
                if ids.contains_key(trip_id) {
                    return Err(ProblemKind::DuplicateId { id: trip_id.to_owned() });
                }
                let route_id = row.required(route)?;
                let route =
                    route_ids.get(route_id).ok_or_else(|| ProblemKind::UnknownRoute { route_id: route_id.into() })?;
                let service_id = row.required(service)?;
                let service = service_ids.get(service_id).ok_or_else(|| ProblemKind::UnknownService {
                    trip_id: trip_id.to_owned(),
                    service_id: service_id.to_owned(),
                })?;
                let direction = match row.get(direction.1) {
                    None => None,
                    Some("0") => Some(0),
                    Some("1") => Some(1),
                    Some(other) => return Err(bad_value(direction, other)),
                };
                ids.insert(trip_id.to_owned(), trips.len() as u32);
                trips.push(Trip {
                    id: trip_id.to_owned(),
                    route: RouteIdx(*route),
                    service: ServiceIdx(*service),
                    headsign: row.get(headsign.1).unwrap_or_default().to_owned(),
                    short_name: row.get(short.1).map(str::to_owned),
                    direction,
                    stop_times: Span::default(),
                    frequencies: Span::default(),
                });
                Ok(())
            },
        )?;
        index(trips.len(), TRIPS)?;
        self.data.trips = trips;
        self.trip_ids = ids;
        Ok(())
    }

    fn stop_times(&mut self) -> Result<(), ImportError> {
        let (trip_ids, stop_ids) = (&self.trip_ids, &self.stop_ids);
        let mut rows: Vec<RawStopTime> = Vec::new();
        // Rows come grouped by trip, so the last trip id saves most lookups.
        let mut last_trip: (String, u32) = (String::new(), 0);
        let names =
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type", "drop_off_type"];
        let mandatory = ["trip_id", "stop_id", "stop_sequence"];
        self.files.read_file(STOP_TIMES, true, names, &mandatory, |row, columns, _| {
            let [trip_col, arrival, departure, stop_col, sequence, pickup, drop_off] = columns;
            let trip_id = row.required(trip_col)?;
            let trip = if trip_id == last_trip.0 {
                last_trip.1
            } else {
                let trip =
                    *trip_ids.get(trip_id).ok_or_else(|| ProblemKind::UnknownTrip { trip_id: trip_id.into() })?;
                last_trip = (trip_id.to_owned(), trip);
                trip
            };
            let stop_id = row.required(stop_col)?;
            let stop = *stop_ids.get(stop_id).ok_or_else(|| ProblemKind::UnknownStop { stop_id: stop_id.into() })?;
            let raw_sequence = row.required(sequence)?;
            let sequence = raw_sequence.parse::<u32>().map_err(|_| bad_value(sequence, raw_sequence))?;
            let (arrival, departure) = match (time(row, arrival)?, time(row, departure)?) {
                (Some(a), Some(d)) => (a, d),
                (Some(t), None) | (None, Some(t)) => (t, t),
                (None, None) => (UNTIMED, UNTIMED),
            };
            let mut flags = 0;
            if small_number(row, pickup, 3)? == 1 {
                flags |= NO_PICKUP;
            }
            if small_number(row, drop_off, 3)? == 1 {
                flags |= NO_DROP_OFF;
            }
            let line = u32::try_from(row.line).unwrap_or(u32::MAX);
            rows.push(RawStopTime { trip, sequence, line, stop, arrival, departure, flags });
            Ok(())
        })?;
        index(rows.len(), STOP_TIMES)?;
        // Usually already in this order, which the sort notices cheaply.
        rows.sort_unstable_by_key(|r| (r.trip, r.sequence, r.line));

        let report = &mut self.files.report;
        let trips = &mut self.data.trips;
        let stop_times = &mut self.data.stop_times;
        for group in rows.chunk_by(|a, b| a.trip == b.trip) {
            let trip = group[0].trip as usize;
            let trip_id = trips[trip].id.clone();
            let kept = check_trip(group, &trip_id, report);
            let start = stop_times.len() as u32;
            for row in &kept {
                stop_times.push(StopTime {
                    trip: TripIdx(row.trip),
                    stop: StopIdx(row.stop),
                    arrival: row.arrival,
                    departure: row.departure,
                    sequence: row.sequence,
                    flags: row.flags,
                });
            }
            trips[trip].stop_times = Span { start, len: kept.len() as u32 };
        }
        for trip in trips.iter() {
            if trip.stop_times.is_empty() {
                report.push(TRIPS, None, ProblemKind::TripWithoutStopTimes { trip_id: trip.id.clone() });
            }
        }
        Ok(())
    }

    fn frequencies(&mut self) -> Result<(), ImportError> {
        let trip_ids = &self.trip_ids;
        let mut frequencies = Vec::new();
        let names = ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"];
        let mandatory = ["trip_id", "start_time", "end_time", "headway_secs"];
        self.files.read_file(FREQUENCIES, false, names, &mandatory, |row, [trip, start, end, headway, exact], _| {
            let trip_id = row.required(trip)?;
            let trip = *trip_ids.get(trip_id).ok_or_else(|| ProblemKind::UnknownTrip { trip_id: trip_id.into() })?;
            let start = time(row, start)?.ok_or_else(|| ProblemKind::MissingValue { column: start.0.into() })?;
            let end = time(row, end)?.ok_or_else(|| ProblemKind::MissingValue { column: end.0.into() })?;
            let raw = row.required(headway)?;
            let headway = raw.parse::<u32>().map_err(|_| bad_value(headway, raw))?;
            if start >= end || headway == 0 {
                return Err(ProblemKind::BadFrequency { trip_id: trip_id.to_owned() });
            }
            let exact_times = small_number(row, exact, 1)? == 1;
            frequencies.push(Frequency { trip: TripIdx(trip), start, end, headway, exact_times });
            Ok(())
        })?;
        frequencies.sort_unstable_by_key(|f| (f.trip, f.start));
        let mut start = 0;
        for group in frequencies.chunk_by(|a, b| a.trip == b.trip) {
            if let Some(trip) = self.data.trips.get_mut(group[0].trip.index()) {
                trip.frequencies = Span { start, len: group.len() as u32 };
            }
            start += group.len() as u32;
        }
        self.data.frequencies = frequencies;
        Ok(())
    }
}

/// A stop time as read, before its trip is checked.
#[derive(Debug, Clone, Copy)]
struct RawStopTime {
    trip: u32,
    sequence: u32,
    line: u32,
    stop: u32,
    arrival: u32,
    departure: u32,
    flags: u8,
}

/// Marks a stop time whose times the feed leaves to interpolation.
const UNTIMED: u32 = u32::MAX;

/// The stop times of one trip (sorted by sequence) that can be kept, with the missing times
/// interpolated. Every row left out is reported.
fn check_trip(group: &[RawStopTime], trip_id: &str, report: &mut Report) -> Vec<RawStopTime> {
    let mut kept: Vec<RawStopTime> = Vec::with_capacity(group.len());
    let mut latest = 0;
    for row in group {
        if kept.last().is_some_and(|last| last.sequence == row.sequence) {
            let problem =
                ProblemKind::DuplicateStopSequence { trip_id: trip_id.to_owned(), stop_sequence: row.sequence };
            report.push(STOP_TIMES, Some(u64::from(row.line)), problem);
            continue;
        }
        if row.arrival != UNTIMED {
            if row.arrival < latest || row.departure < row.arrival {
                let problem =
                    ProblemKind::TimesGoBackwards { trip_id: trip_id.to_owned(), stop_sequence: row.sequence };
                report.push(STOP_TIMES, Some(u64::from(row.line)), problem);
                continue;
            }
            latest = row.departure;
        }
        kept.push(*row);
    }
    let timed_ends =
        kept.first().is_some_and(|r| r.arrival != UNTIMED) && kept.last().is_some_and(|r| r.arrival != UNTIMED);
    if !timed_ends {
        if let Some(first) = group.first() {
            report.push(
                STOP_TIMES,
                Some(u64::from(first.line)),
                ProblemKind::UntimedTripEnd { trip_id: trip_id.to_owned() },
            );
        }
        return Vec::new();
    }
    interpolate(&mut kept);
    kept
}

/// Fills the untimed stops between two timed ones evenly by stop count (the feed's distances are not
/// read). Both ends are timed.
fn interpolate(rows: &mut [RawStopTime]) {
    let mut previous = 0;
    for i in 1..rows.len() {
        if rows[i].arrival == UNTIMED {
            continue;
        }
        let (from, to) = (rows[previous].departure, rows[i].arrival);
        let gap = (i - previous) as u64;
        for (k, row) in rows[previous + 1..i].iter_mut().enumerate() {
            let t = u64::from(from) + u64::from(to - from) * (k as u64 + 1) / gap;
            row.arrival = t as u32;
            row.departure = t as u32;
        }
        previous = i;
    }
}
