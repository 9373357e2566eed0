//! The community's map: which tiles it draws and where it opens. Open City, the CNAP offices,
//! cameras and stops all draw on it with the shared script `static/map.js`, which only
//! enhances: every page lists the same places as text.

use hromada_db::core::communities::Community;
use hromada_kernel::GeoPoint;
use serde::{Deserialize, Serialize};

/// The statute key the settings live under.
pub const STATUTE_KEY: &str = "map";
/// Where the settings lived before other modules drew maps too.
const OLD_STATUTE_KEY: &str = "city";
/// The deepest zoom the common tile servers serve.
pub const MAX_ZOOM: u8 = 19;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapSettings {
    /// A tile URL template with `{z}`, `{x}` and `{y}`.
    pub tile_url: String,
    pub attribution: String,
    pub center_lat: f64,
    pub center_lon: f64,
    pub zoom: u8,
}

impl Default for MapSettings {
    fn default() -> Self {
        Self {
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors".into(),
            // The middle of Ukraine; a community sets its own centre.
            center_lat: 49.0,
            center_lon: 31.4,
            zoom: 12,
        }
    }
}

/// Which setting is wrong, as a field name and a message key.
pub type Problem = (&'static str, &'static str);

impl MapSettings {
    pub fn problems(&self) -> Vec<Problem> {
        let mut problems = vec![];
        if !(self.tile_url.starts_with("https://") && ["{z}", "{x}", "{y}"].iter().all(|p| self.tile_url.contains(p))) {
            problems.push(("tile_url", "map-invalid-tile-url"));
        }
        if GeoPoint::new(self.center_lat, self.center_lon).is_none() {
            problems.push(("center_lat", "map-invalid-point"));
        }
        if self.zoom > MAX_ZOOM {
            problems.push(("zoom", "map-invalid-zoom"));
        }
        problems
    }

    pub fn valid(&self) -> bool {
        self.problems().is_empty()
    }
}

/// The community's map settings over the defaults.
pub fn settings(community: &Community) -> MapSettings {
    let stored = community.statute_of(STATUTE_KEY);
    let stored = if stored.is_null() { community.statute_of(OLD_STATUTE_KEY) } else { stored };
    serde_json::from_value::<MapSettings>(stored.clone()).ok().filter(MapSettings::valid).unwrap_or_default()
}

/// The map's settings as a template sees them: `map.tile_url`, `map.lat`, … and the
/// script and style to load.
pub fn context(community: &Community) -> minijinja::Value {
    let m = settings(community);
    minijinja::context! {
        tile_url => m.tile_url,
        attribution => m.attribution,
        lat => m.center_lat,
        lon => m.center_lon,
        zoom => m.zoom,
        script => crate::assets::versioned_url("map.js"),
        style => crate::assets::versioned_url("map.css"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_url_needs_https_and_all_three_placeholders() {
        let mut m = MapSettings::default();
        assert!(m.valid());
        m.tile_url = "http://tiles.example/{z}/{x}/{y}.png".into();
        assert_eq!(m.problems(), vec![("tile_url", "map-invalid-tile-url")]);
        m.tile_url = "https://tiles.example/{z}/{x}.png".into();
        assert!(!m.valid());
        m = MapSettings { center_lat: 91.0, zoom: 20, ..MapSettings::default() };
        assert_eq!(m.problems(), vec![("center_lat", "map-invalid-point"), ("zoom", "map-invalid-zoom")]);
    }
}
