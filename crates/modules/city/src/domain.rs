//! The rules of Open City, pure: a report's statuses and the steps between them, where a place
//! is (a point, a polygon, an address), which department a report goes to, how points group
//! into clusters on a map, and what a report must say.

use hromada_kernel::GeoPoint;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where a report is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Filed, waiting for a moderator; seen by its author and officials only.
    Moderation,
    /// Published, not taken up yet.
    New,
    /// The department agreed it is theirs to fix.
    Accepted,
    InProgress,
    Solved,
    /// Refused, with a reason (in moderation, or by the department after publication).
    Rejected,
    /// A duplicate, joined to another report with its supporters.
    Merged,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Moderation,
        Status::New,
        Status::Accepted,
        Status::InProgress,
        Status::Solved,
        Status::Rejected,
        Status::Merged,
    ];
    /// What the public lists and filters offer.
    pub const PUBLIC: [Status; 5] =
        [Status::New, Status::Accepted, Status::InProgress, Status::Solved, Status::Rejected];

    pub fn code(self) -> &'static str {
        match self {
            Status::Moderation => "moderation",
            Status::New => "new",
            Status::Accepted => "accepted",
            Status::InProgress => "in_progress",
            Status::Solved => "solved",
            Status::Rejected => "rejected",
            Status::Merged => "merged",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Open311's two states: work may still happen (`open`) or it is over (`closed`).
    pub fn is_open(self) -> bool {
        matches!(self, Status::Moderation | Status::New | Status::Accepted | Status::InProgress)
    }

    /// The statuses a department may set from this one, after publication.
    pub fn next_for_department(self) -> &'static [Status] {
        match self {
            Status::New => &[Status::Accepted, Status::InProgress, Status::Solved, Status::Rejected],
            Status::Accepted => &[Status::InProgress, Status::Solved, Status::Rejected],
            Status::InProgress => &[Status::Accepted, Status::Solved, Status::Rejected],
            // Reopened when the problem came back or the refusal was reconsidered.
            Status::Solved | Status::Rejected => &[Status::InProgress],
            Status::Moderation | Status::Merged => &[],
        }
    }
}

/// A step an official takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Publish,
    /// Refuse in moderation: the report is never published.
    RejectInModeration,
    /// A department's status change after publication.
    SetStatus(Status),
    /// Join this report to another one as its duplicate.
    MergeInto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a report in status {from:?} cannot take this step")]
pub struct TransitionError {
    pub from: Status,
}

/// The status after `action`, or why it cannot be taken.
pub fn apply(from: Status, action: Action) -> Result<Status, TransitionError> {
    let next = match (from, action) {
        (Status::Moderation, Action::Publish) => Status::New,
        (Status::Moderation, Action::RejectInModeration) => Status::Rejected,
        (from, Action::SetStatus(to)) if from.next_for_department().contains(&to) => to,
        (Status::Moderation | Status::New | Status::Accepted | Status::InProgress, Action::MergeInto) => Status::Merged,
        _ => return Err(TransitionError { from }),
    };
    Ok(next)
}

/// Whether a report may receive a duplicate merged into it.
pub fn may_receive_merge(target: Status, published: bool) -> bool {
    published && !matches!(target, Status::Merged | Status::Rejected)
}

// ---------- places ----------

/// An area drawn on the map: a closed ring of points (the last joins the first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon(pub Vec<GeoPoint>);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolygonError {
    #[error("line {0} is not \"lat, lon\"")]
    BadLine(usize),
    #[error("fewer than three points")]
    TooFewPoints,
}

impl PolygonError {
    pub fn key(self) -> &'static str {
        match self {
            PolygonError::BadLine(_) => "city-invalid-polygon-line",
            PolygonError::TooFewPoints => "city-invalid-polygon-points",
        }
    }
}

impl Polygon {
    /// Parses the admin's textarea: one `lat, lon` pair a line (blank lines skipped; a space or
    /// a semicolon may separate the numbers too).
    pub fn parse_lines(text: &str) -> Result<Polygon, PolygonError> {
        let mut points = vec![];
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            let numbers: Vec<&str> =
                line.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|s| !s.is_empty()).collect();
            let point = match numbers.as_slice() {
                [lat, lon] => lat.parse().ok().zip(lon.parse().ok()).and_then(|(lat, lon)| GeoPoint::new(lat, lon)),
                _ => None,
            };
            points.push(point.ok_or(PolygonError::BadLine(i + 1))?);
        }
        // A ring written closed (the first point repeated at the end) is the same ring.
        if points.len() > 1 && points.first() == points.last() {
            points.pop();
        }
        if points.len() < 3 {
            return Err(PolygonError::TooFewPoints);
        }
        Ok(Polygon(points))
    }

    /// The textarea form of the polygon, for editing.
    pub fn to_lines(&self) -> String {
        self.0.iter().map(|p| format!("{}, {}", p.lat, p.lon)).collect::<Vec<_>>().join("\n")
    }

    /// Whether the point lies inside (even-odd rule, by a ray cast eastwards). Community areas
    /// are small enough that treating lat/lon as a plane does not move a border noticeably.
    pub fn contains(&self, p: GeoPoint) -> bool {
        let ring = &self.0;
        let mut inside = false;
        let mut j = ring.len().wrapping_sub(1);
        for i in 0..ring.len() {
            let (a, b) = (ring[i], ring[j]);
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let lon_at = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
                if p.lon < lon_at {
                    inside = !inside;
                }
            }
            j = i;
        }
        inside
    }
}

/// Where a report is: a point on the map, or a settlement and an address, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub point: Option<GeoPoint>,
    pub settlement: Option<Uuid>,
    pub address: String,
}

/// Reads a location from a form's fields; the key says what is missing or wrong.
pub fn location(lat: &str, lon: &str, settlement: Option<Uuid>, address: &str) -> Result<Location, &'static str> {
    let address = address.trim().chars().take(300).collect::<String>();
    let (lat, lon) = (lat.trim().replace(',', "."), lon.trim().replace(',', "."));
    let point = match (lat.is_empty(), lon.is_empty()) {
        (true, true) => None,
        (false, false) => Some(
            lat.parse::<f64>()
                .ok()
                .zip(lon.parse::<f64>().ok())
                .and_then(|(lat, lon)| GeoPoint::new(lat, lon))
                .ok_or("city-invalid-point")?,
        ),
        _ => return Err("city-invalid-point"),
    };
    if point.is_none() && address.is_empty() {
        return Err("city-invalid-location");
    }
    Ok(Location { point, settlement, address })
}

/// A category's routing by area: reports in the settlement, or inside the polygon, go to
/// `department` instead of the category's own.
#[derive(Debug, Clone)]
pub struct AreaRule {
    pub department: Uuid,
    pub settlement: Option<Uuid>,
    pub polygon: Option<Polygon>,
}

/// The department a report goes to: the first area rule that holds for its place, or the
/// category's department.
pub fn route(default: Option<Uuid>, rules: &[AreaRule], place: &Location) -> Option<Uuid> {
    rules
        .iter()
        .find(|r| {
            let by_settlement = r.settlement.is_some() && r.settlement == place.settlement;
            let by_polygon = matches!((&r.polygon, place.point), (Some(poly), Some(p)) if poly.contains(p));
            by_settlement || by_polygon
        })
        .map(|r| r.department)
        .or(default)
}

// ---------- the map ----------

/// A map's view: west, south, east, north.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bbox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl Bbox {
    /// `west,south,east,north` as Leaflet's `toBBoxString` and most map tools write it.
    pub fn parse(text: &str) -> Option<Bbox> {
        let n: Vec<f64> = text.split(',').map(|s| s.trim().parse::<f64>()).collect::<Result<_, _>>().ok()?;
        let [west, south, east, north] = n.as_slice() else { return None };
        let b = Bbox { west: *west, south: *south, east: *east, north: *north };
        let ok = b.west < b.east
            && b.south < b.north
            && (-180.0..=180.0).contains(&b.west)
            && (-180.0..=180.0).contains(&b.east)
            && (-90.0..=90.0).contains(&b.south)
            && (-90.0..=90.0).contains(&b.north);
        ok.then_some(b)
    }

    pub fn contains(&self, p: GeoPoint) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }
}

/// A point of a report on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    pub point: GeoPoint,
    pub number: i64,
}

/// Points that fall in one cell of the grid at the map's zoom, drawn as one marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub lat: f64,
    pub lon: f64,
    pub count: usize,
    /// The report's number when the cluster is one report.
    pub number: Option<i64>,
}

/// The side of a grid cell in screen pixels: markers closer than this merge.
pub const CELL_PIXELS: f64 = 64.0;
pub const MAX_ZOOM: u8 = 19;

/// A point's position in Web Mercator pixels at `zoom` (the tiles' own grid of 256 pixels).
pub fn mercator_pixels(p: GeoPoint, zoom: u8) -> (f64, f64) {
    let size = 256.0 * f64::from(1u32 << zoom.min(MAX_ZOOM));
    // Mercator cannot show the poles; the tiles stop at about 85.05°.
    let lat = p.lat.clamp(-85.0511, 85.0511).to_radians();
    let x = (p.lon + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// Groups points by grid cells of [`CELL_PIXELS`] at `zoom`; each cluster sits at its points'
/// mean position. Server-side, so that a map with thousands of reports gets a few dozen markers.
pub fn cluster(points: &[MapPoint], zoom: u8) -> Vec<Cluster> {
    let mut cells: std::collections::BTreeMap<(i64, i64), (f64, f64, usize, i64)> = Default::default();
    for p in points {
        let (x, y) = mercator_pixels(p.point, zoom);
        let key = ((x / CELL_PIXELS).floor() as i64, (y / CELL_PIXELS).floor() as i64);
        let cell = cells.entry(key).or_insert((0.0, 0.0, 0, p.number));
        cell.0 += p.point.lat;
        cell.1 += p.point.lon;
        cell.2 += 1;
    }
    cells
        .into_values()
        .map(|(lat, lon, count, number)| Cluster {
            lat: lat / count as f64,
            lon: lon / count as f64,
            count,
            number: (count == 1).then_some(number),
        })
        .collect()
}

// ---------- what a report says ----------

pub const MAX_PHOTOS: usize = 5;
pub const DESCRIPTION_CHARS: std::ops::RangeInclusive<usize> = 10..=5000;
pub const REASON_MIN_CHARS: usize = 5;

/// Checks a report's description; the key of the problem if any.
pub fn check_description(text: &str) -> Result<(), &'static str> {
    if DESCRIPTION_CHARS.contains(&text.trim().chars().count()) { Ok(()) } else { Err("city-invalid-description") }
}

/// An extra question a category asks (an Open311 service attribute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub label_uk: String,
    #[serde(default)]
    pub label_en: Option<String>,
    #[serde(default)]
    pub required: bool,
    /// `string` or `number`.
    #[serde(default = "string_kind")]
    pub datatype: String,
}

fn string_kind() -> String {
    "string".into()
}

impl Question {
    pub fn label(&self, lang: hromada_kernel::Lang) -> &str {
        match lang {
            hromada_kernel::Lang::En => self.label_en.as_deref().unwrap_or(&self.label_uk),
            hromada_kernel::Lang::Uk => &self.label_uk,
        }
    }
}

/// Parses the admin's lines `code | label | required | number` (the last two optional).
pub fn parse_questions(text: &str) -> Result<Vec<Question>, usize> {
    let mut out: Vec<Question> = vec![];
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let code = parts[0];
        let label = parts.get(1).copied().unwrap_or("");
        let flags = &parts[2.min(parts.len())..];
        let valid_code = !code.is_empty()
            && code.len() <= 40
            && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid_code || label.is_empty() || out.iter().any(|q| q.code == code) {
            return Err(i + 1);
        }
        out.push(Question {
            code: code.to_owned(),
            label_uk: label.to_owned(),
            label_en: None,
            required: flags.contains(&"required"),
            datatype: if flags.contains(&"number") { "number" } else { "string" }.to_owned(),
        });
    }
    Ok(out)
}

pub fn questions_to_lines(questions: &[Question]) -> String {
    questions
        .iter()
        .map(|q| {
            let mut line = format!("{} | {}", q.code, q.label_uk);
            if q.required {
                line.push_str(" | required");
            }
            if q.datatype == "number" {
                line.push_str(" | number");
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The answers to a category's questions, checked: required ones given, numbers numeric;
/// answers to questions the category does not ask are dropped. Errors name the question.
pub fn check_answers(
    questions: &[Question],
    given: &std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>, Vec<String>> {
    let mut answers = std::collections::BTreeMap::new();
    let mut wrong = vec![];
    for q in questions {
        let value = given.get(&q.code).map(|v| v.trim()).unwrap_or("");
        if value.is_empty() {
            if q.required {
                wrong.push(q.code.clone());
            }
            continue;
        }
        if q.datatype == "number" && value.replace(',', ".").parse::<f64>().is_err() {
            wrong.push(q.code.clone());
            continue;
        }
        answers.insert(q.code.clone(), value.chars().take(500).collect());
    }
    if wrong.is_empty() { Ok(answers) } else { Err(wrong) }
}

/// A category's code: lowercase Latin letters, digits and `_`, as Open311 service codes go.
pub fn valid_code(code: &str) -> bool {
    (2..=40).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The categories a new community starts with: code, Ukrainian and English names, description.
pub const DEFAULT_CATEGORIES: [(&str, &str, &str, &str); 8] = [
    ("pothole", "Вибоїна на дорозі", "Pothole", "Ями й вибоїни на дорогах і тротуарах."),
    ("lighting", "Вуличне освітлення", "Street lighting", "Ліхтарі, що не світять або світять удень."),
    ("waste", "Сміття", "Waste", "Переповнені контейнери, стихійні звалища."),
    ("greenery", "Зелені насадження", "Greenery", "Аварійні дерева, непокошена трава, зламані гілки."),
    ("water", "Вода і каналізація", "Water and sewage", "Пориви, відкриті люки, підтоплення."),
    ("playground", "Дитячі й спортивні майданчики", "Playgrounds", "Зламане обладнання, небезпечні місця."),
    ("transport", "Зупинки й дорожні знаки", "Stops and road signs", "Пошкоджені зупинки, знаки, розмітка."),
    ("other", "Інше", "Other", "Те, що не підходить до інших категорій."),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    fn square() -> Polygon {
        Polygon(vec![p(50.0, 30.0), p(50.0, 31.0), p(51.0, 31.0), p(51.0, 30.0)])
    }

    #[test]
    fn a_report_is_published_or_rejected_in_moderation_then_worked_by_the_department() {
        assert_eq!(apply(Status::Moderation, Action::Publish), Ok(Status::New));
        assert_eq!(apply(Status::Moderation, Action::RejectInModeration), Ok(Status::Rejected));
        assert!(apply(Status::New, Action::Publish).is_err());
        assert!(apply(Status::Moderation, Action::SetStatus(Status::Solved)).is_err(), "not before publication");
        assert_eq!(apply(Status::New, Action::SetStatus(Status::InProgress)), Ok(Status::InProgress));
        assert_eq!(apply(Status::InProgress, Action::SetStatus(Status::Solved)), Ok(Status::Solved));
        assert_eq!(apply(Status::Solved, Action::SetStatus(Status::InProgress)), Ok(Status::InProgress));
        assert!(apply(Status::Solved, Action::SetStatus(Status::New)).is_err());
        assert!(apply(Status::New, Action::SetStatus(Status::Merged)).is_err(), "merging is its own step");
        assert_eq!(apply(Status::New, Action::MergeInto), Ok(Status::Merged));
        assert!(apply(Status::Solved, Action::MergeInto).is_err());
        assert!(apply(Status::Merged, Action::MergeInto).is_err());
    }

    #[test]
    fn open311_sees_work_in_progress_as_open_and_the_rest_as_closed() {
        let open: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, vec![Status::Moderation, Status::New, Status::Accepted, Status::InProgress]);
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn only_a_live_published_report_takes_in_duplicates() {
        assert!(may_receive_merge(Status::New, true));
        assert!(may_receive_merge(Status::Solved, true), "a solved problem reported again joins its report");
        assert!(!may_receive_merge(Status::Moderation, false));
        assert!(!may_receive_merge(Status::Merged, true));
        assert!(!may_receive_merge(Status::Rejected, true));
    }

    #[test]
    fn polygons_are_read_from_lines_of_lat_lon() {
        let poly = Polygon::parse_lines("50.0, 30.0\n\n50.0 31.0\n51;31\n51.0, 30.0\n50.0, 30.0\n").unwrap();
        assert_eq!(poly, square(), "a closed ring drops its repeated point");
        assert_eq!(Polygon::parse_lines(&poly.to_lines()).unwrap(), poly);
        assert_eq!(Polygon::parse_lines("50, 30\nnorth, 31\n51, 31"), Err(PolygonError::BadLine(2)));
        assert_eq!(Polygon::parse_lines("50, 30\n91, 31\n51, 31"), Err(PolygonError::BadLine(2)));
        assert_eq!(Polygon::parse_lines("50, 30\n51, 31"), Err(PolygonError::TooFewPoints));
    }

    #[test]
    fn a_point_is_inside_a_polygon_by_the_even_odd_rule() {
        let sq = square();
        assert!(sq.contains(p(50.5, 30.5)));
        assert!(!sq.contains(p(49.5, 30.5)));
        assert!(!sq.contains(p(50.5, 31.5)));
        // A "C" shape: the notch is outside.
        let c = Polygon(vec![
            p(0.0, 0.0),
            p(0.0, 3.0),
            p(1.0, 3.0),
            p(1.0, 1.0),
            p(2.0, 1.0),
            p(2.0, 3.0),
            p(3.0, 3.0),
            p(3.0, 0.0),
        ]);
        assert!(c.contains(p(0.5, 2.0)));
        assert!(!c.contains(p(1.5, 2.0)), "in the notch");
        assert!(c.contains(p(1.5, 0.5)));
    }

    #[test]
    fn a_report_goes_to_the_first_matching_area_or_to_the_category() {
        let (roads, village, district) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let settlement = Uuid::now_v7();
        let rules = vec![
            AreaRule { department: village, settlement: Some(settlement), polygon: None },
            AreaRule { department: district, settlement: None, polygon: Some(square()) },
        ];
        let at =
            |point: Option<GeoPoint>, settlement: Option<Uuid>| Location { point, settlement, address: String::new() };
        assert_eq!(route(Some(roads), &rules, &at(Some(p(50.5, 30.5)), Some(settlement))), Some(village));
        assert_eq!(route(Some(roads), &rules, &at(Some(p(50.5, 30.5)), None)), Some(district));
        assert_eq!(route(Some(roads), &rules, &at(Some(p(10.0, 10.0)), None)), Some(roads));
        assert_eq!(route(None, &rules, &at(None, None)), None);
        assert_eq!(route(None, &[], &at(None, Some(settlement))), None);
    }

    #[test]
    fn a_location_is_a_point_or_an_address() {
        let s = Some(Uuid::now_v7());
        let l = location("50,45", " 30.52 ", None, "").unwrap();
        assert_eq!(l.point, Some(p(50.45, 30.52)), "a decimal comma is read too");
        assert_eq!(location("", "", s, " вул. Шевченка, 5 ").unwrap().address, "вул. Шевченка, 5");
        assert_eq!(location("", "", s, "  "), Err("city-invalid-location"));
        assert_eq!(location("50.4", "", s, "вул. Шевченка"), Err("city-invalid-point"));
        assert_eq!(location("95", "30", None, ""), Err("city-invalid-point"));
        assert_eq!(location("abc", "30", None, "x"), Err("city-invalid-point"));
    }

    #[test]
    fn a_bbox_is_west_south_east_north() {
        let b = Bbox::parse("30.1,50.2,30.9,50.8").unwrap();
        assert!(b.contains(p(50.5, 30.5)));
        assert!(!b.contains(p(50.9, 30.5)));
        assert!(Bbox::parse("30.9,50.2,30.1,50.8").is_none(), "west of east");
        assert!(Bbox::parse("1,2,3").is_none());
        assert!(Bbox::parse("1,2,3,x").is_none());
        assert!(Bbox::parse("-200,2,3,4").is_none());
    }

    #[test]
    fn close_points_cluster_at_low_zoom_and_split_at_high_zoom() {
        let points = [
            MapPoint { point: p(50.4501, 30.5234), number: 1 },
            MapPoint { point: p(50.4502, 30.5236), number: 2 },
            MapPoint { point: p(49.8397, 24.0297), number: 3 },
        ];
        let far = cluster(&points, 8);
        assert_eq!(far.len(), 2);
        let kyiv = far.iter().find(|c| c.count == 2).unwrap();
        assert!((kyiv.lat - 50.45015).abs() < 1e-9 && kyiv.number.is_none());
        assert_eq!(far.iter().find(|c| c.count == 1).unwrap().number, Some(3));
        let near = cluster(&points, 19);
        assert_eq!(near.len(), 3);
        assert!(cluster(&[], 10).is_empty());
    }

    #[test]
    fn mercator_pixels_put_kyiv_where_the_tiles_do() {
        // Kyiv's centre is on the OpenStreetMap tile 14/9581/5524.
        let (x, y) = mercator_pixels(p(50.45, 30.5234), 14);
        assert_eq!(((x / 256.0) as i64, (y / 256.0) as i64), (9581, 5524));
        let (x, y) = mercator_pixels(p(0.0, 0.0), 1);
        assert_eq!((x, y), (256.0, 256.0), "the middle of the world map");
    }

    #[test]
    fn descriptions_answers_and_questions() {
        assert!(check_description("Яма на дорозі").is_ok());
        assert_eq!(check_description("  яма  "), Err("city-invalid-description"));
        let questions = parse_questions("depth | Глибина, см | required | number\ncolor | Колір\n").unwrap();
        assert_eq!(questions.len(), 2);
        assert!(questions[0].required && questions[0].datatype == "number");
        assert_eq!(parse_questions(&questions_to_lines(&questions)).unwrap(), questions);
        assert_eq!(parse_questions("Bad Code | x"), Err(1));
        assert_eq!(parse_questions("a | x\na | y"), Err(2), "codes are unique");
        let mut given = std::collections::BTreeMap::new();
        assert_eq!(check_answers(&questions, &given), Err(vec!["depth".to_owned()]));
        given.insert("depth".to_owned(), "десять".to_owned());
        assert_eq!(check_answers(&questions, &given), Err(vec!["depth".to_owned()]));
        given.insert("depth".to_owned(), "10,5".to_owned());
        given.insert("unasked".to_owned(), "x".to_owned());
        let answers = check_answers(&questions, &given).unwrap();
        assert_eq!(answers.keys().collect::<Vec<_>>(), vec!["depth"]);
        assert!(valid_code("pothole") && !valid_code("Pothole") && !valid_code("x"));
    }

    fn point_in(lat: std::ops::Range<f64>, lon: std::ops::Range<f64>) -> impl Strategy<Value = GeoPoint> {
        (lat, lon).prop_map(|(lat, lon)| GeoPoint::new(lat, lon).unwrap())
    }

    proptest! {
        #[test]
        fn points_inside_a_rectangle_are_inside_and_points_beyond_its_box_are_not(
            south in -60.0f64..60.0, west in -160.0f64..160.0,
            height in 0.001f64..5.0, width in 0.001f64..5.0,
            u in 0.01f64..0.99, v in 0.01f64..0.99,
            away in 0.001f64..10.0, side in 0usize..4,
            rotate in 0usize..4, reverse: bool,
        ) {
            let (north, east) = (south + height, west + width);
            let mut ring = vec![p(south, west), p(south, east), p(north, east), p(north, west)];
            ring.rotate_left(rotate);
            if reverse { ring.reverse(); }
            let poly = Polygon(ring);
            prop_assert!(poly.contains(p(south + u * height, west + v * width)));
            let outside = match side {
                0 => p(north + away, west + v * width),
                1 => p(south - away, west + v * width),
                2 => p(south + u * height, east + away),
                _ => p(south + u * height, west - away),
            };
            prop_assert!(!poly.contains(outside));
        }

        #[test]
        fn clustering_keeps_every_point_once(
            points in proptest::collection::vec(point_in(44.0..52.0, 22.0..40.0), 0..200),
            zoom in 0u8..=19,
        ) {
            let points: Vec<MapPoint> =
                points.into_iter().enumerate().map(|(i, point)| MapPoint { point, number: i as i64 }).collect();
            let clusters = cluster(&points, zoom);
            prop_assert_eq!(clusters.iter().map(|c| c.count).sum::<usize>(), points.len());
            prop_assert!(clusters.len() <= points.len());
            for c in &clusters {
                prop_assert!(c.count >= 1);
                prop_assert_eq!(c.number.is_some(), c.count == 1);
                prop_assert!((44.0..52.0).contains(&c.lat) && (22.0..40.0).contains(&c.lon), "the mean stays among its points");
            }
            // Zooming out never makes more markers.
            if zoom > 0 {
                prop_assert!(cluster(&points, zoom - 1).len() <= clusters.len());
            }
        }
    }
}
