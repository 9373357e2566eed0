//! Finding stops by name and near a point.

use hromada_kernel::GeoPoint;

use crate::feed::{Feed, LocationType, StopIdx};

/// Folds a stop name or a query for matching: lower case, apostrophes dropped (’ ʼ ' ‘ ` all spell the
/// same Ukrainian apostrophe, and people type any or none: "Слов'янська" = "Словʼянська" = "Словянська"),
/// and anything else that is not a letter or digit turned into a single space.
pub fn normalize(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´' | 'ʹ' | '′') {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !folded.is_empty() {
                folded.push(' ');
            }
            gap = false;
            folded.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    folded
}

/// Stops whose name has every word of `query` as the start of one of its words, best first: the exact
/// name, then names that start with the query, then the rest, shorter names first. Platforms of a
/// station are left out (the station stands for them).
pub fn search_stops(feed: &Feed, query: &str, limit: usize) -> Vec<StopIdx> {
    let query = normalize(query);
    let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u8, usize, &str, StopIdx)> = feed
        .stops()
        .iter()
        .zip(feed.search_names())
        .enumerate()
        .filter(|(_, (stop, _))| {
            let station_platform =
                stop.parent.and_then(|p| feed.stop(p)).is_some_and(|p| p.location_type == LocationType::Station);
            matches!(stop.location_type, LocationType::Stop | LocationType::Station) && !station_platform
        })
        .filter(|(_, (_, name))| words.iter().all(|w| name.split(' ').any(|n| n.starts_with(w))))
        .map(|(i, (stop, name))| {
            let rank = if *name == query {
                0
            } else if name.starts_with(&query) {
                1
            } else {
                2
            };
            (rank, name.chars().count(), stop.name.as_str(), StopIdx(i as u32))
        })
        .collect();
    found.sort_unstable();
    found.into_iter().take(limit).map(|(.., stop)| stop).collect()
}

/// Mean Earth radius (IUGG), metres.
const EARTH_RADIUS: f64 = 6_371_008.8;

/// Great-circle distance in metres.
pub fn distance(a: GeoPoint, b: GeoPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dlat, dlon) = ((b.lat - a.lat).to_radians(), (b.lon - a.lon).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS * h.sqrt().min(1.0).asin()
}

/// The stops where vehicles stop (not stations or entrances) within `max_distance` metres of `point`,
/// nearest first, with their distance in metres. A scan of all stops: a community's few thousand
/// stops take well under a millisecond.
pub fn nearest_stops(feed: &Feed, point: GeoPoint, limit: usize, max_distance: f64) -> Vec<(StopIdx, f64)> {
    let mut found: Vec<(StopIdx, f64)> = feed
        .stops()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.location_type == LocationType::Stop)
        .filter_map(|(i, s)| Some((StopIdx(i as u32), distance(point, s.location?))))
        .filter(|(_, d)| *d <= max_distance)
        .collect();
    found.sort_unstable_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_and_apostrophes() {
        assert_eq!(normalize("Слов’янська"), "словянська");
        assert_eq!(normalize("СЛОВʼЯНСЬКА"), "словянська");
        assert_eq!(normalize("слов'янська"), "словянська");
        assert_eq!(normalize("  вул. Шевченка,  12 "), "вул шевченка 12");
        assert_eq!(normalize("Ґанок — Їжак"), "ґанок їжак");
    }

    #[test]
    fn distances_are_in_metres() {
        let maidan = GeoPoint { lat: 50.4501, lon: 30.5234 };
        let lviv = GeoPoint { lat: 49.8397, lon: 24.0297 };
        let d = distance(maidan, lviv);
        assert!((d - 469_000.0).abs() < 3_000.0, "{d}");
        assert_eq!(distance(maidan, maidan), 0.0);
        let north = GeoPoint { lat: 50.4511, lon: 30.5234 };
        assert!((distance(maidan, north) - 111.2).abs() < 0.5);
    }
}
