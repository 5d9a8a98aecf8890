//! Background map layers a site adds as `content/geo/<id>.geojson` with `content/geo/<id>.yaml`
//! beside it (read in `load::geo`, drawn under every map by `draw::map`).

use serde::{Deserialize, Serialize};

/// What a layer shows, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GeoRole {
    Land,
    Water,
    Boundary,
    River,
    RoadNetwork,
}

impl GeoRole {
    pub const ALL: [GeoRole; 5] = [
        GeoRole::Land,
        GeoRole::Water,
        GeoRole::Boundary,
        GeoRole::River,
        GeoRole::RoadNetwork,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GeoRole::Land => "land",
            GeoRole::Water => "water",
            GeoRole::Boundary => "boundary",
            GeoRole::River => "river",
            GeoRole::RoadNetwork => "road-network",
        }
    }

    /// Whether its polygons are filled (land and water) rather than outlined.
    pub fn filled(self) -> bool {
        matches!(self, GeoRole::Land | GeoRole::Water)
    }
}

/// A layer's description, `content/geo/<id>.yaml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoMeta {
    pub title: String,
    pub role: GeoRole,
    /// Who made the data, as the credit under a map names them.
    pub attribution: String,
    pub licence: String,
    /// What a reader should know about the layer (which boundaries it draws, say): on the
    /// Data page.
    #[serde(default)]
    pub note: Option<String>,
}

/// A position: longitude, then latitude (GeoJSON's order).
pub type LonLat = [f64; 2];

/// One feature's geometry. Rings and lines are lists of positions; a polygon's first ring is
/// its outline, the others its holes.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    Polygon(Vec<Vec<LonLat>>),
    MultiPolygon(Vec<Vec<Vec<LonLat>>>),
    LineString(Vec<LonLat>),
    MultiLineString(Vec<Vec<LonLat>>),
}

impl Geometry {
    /// Its rings (for polygons) or lines, each with whether it is a ring.
    pub fn parts(&self) -> Vec<(&[LonLat], bool)> {
        match self {
            Geometry::Polygon(rings) => rings.iter().map(|r| (r.as_slice(), true)).collect(),
            Geometry::MultiPolygon(polys) => polys
                .iter()
                .flatten()
                .map(|r| (r.as_slice(), true))
                .collect(),
            Geometry::LineString(l) => vec![(l.as_slice(), false)],
            Geometry::MultiLineString(ls) => ls.iter().map(|l| (l.as_slice(), false)).collect(),
        }
    }
}

/// A feature of a layer: its geometry and its name, if its properties give one.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub name: Option<String>,
    pub geometry: Geometry,
}

/// A background layer, read from its two files.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoLayer {
    pub id: String,
    /// `content/geo/<id>.geojson`.
    pub file: String,
    pub title: String,
    pub role: GeoRole,
    pub attribution: String,
    pub licence: String,
    pub note: Option<String>,
    pub shapes: Vec<Shape>,
}
