//! Background map layers: `content/geo/<id>.geojson` (a FeatureCollection of polygons and
//! lines, WGS84 longitude and latitude) with `content/geo/<id>.yaml` beside it (title, role,
//! attribution, licence). The GeoJSON is read into [`Shape`]s as it is parsed, so an error
//! (a bad position, a coordinate out of range, a geometry berpa does not draw) names the line
//! and column where it is.

use super::yaml::YamlDoc;
use crate::site::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::site::model::geo::{GeoLayer, GeoMeta, GeoRole, Geometry, LonLat, Shape};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;

/// The most positions one layer may hold: a map draws a few thousand at most, so a layer far
/// larger is a detailed file meant for something else.
pub const MAX_POSITIONS: usize = 500_000;

/// Reads a layer's description.
pub fn parse_meta(rel: &str, text: &str) -> Result<GeoMeta, Diagnostic> {
    let doc = YamlDoc {
        file: rel,
        text,
        line_offset: 0,
    };
    doc.parse("map layer")
}

/// Nested lists of numbers, as GeoJSON's `coordinates` are.
enum Nest {
    Num(f64),
    Pos(LonLat),
    List(Vec<Nest>),
}

impl<'de> Deserialize<'de> for Nest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Nest, D::Error> {
        d.deserialize_any(NestVisitor)
    }
}

struct NestVisitor;

impl<'de> Visitor<'de> for NestVisitor {
    type Value = Nest;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of positions ([longitude, latitude])")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nest, E> {
        Ok(Nest::Num(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nest, E> {
        Ok(Nest::Num(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nest, E> {
        Ok(Nest::Num(v as f64))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nest, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element::<Nest>()? {
            items.push(n);
        }
        let nums: Vec<f64> = items
            .iter()
            .filter_map(|n| match n {
                Nest::Num(v) => Some(*v),
                _ => None,
            })
            .collect();
        if nums.is_empty() {
            return Ok(Nest::List(items));
        }
        if nums.len() != items.len() || nums.len() < 2 {
            return Err(de::Error::custom(
                "a position is a list of two numbers, [longitude, latitude]",
            ));
        }
        let (lon, lat) = (nums[0], nums[1]);
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(de::Error::custom(format!(
                "the position [{lon}, {lat}] is not on Earth: longitude is from -180 to 180 and latitude from -90 to 90, longitude first"
            )));
        }
        Ok(Nest::Pos([lon, lat]))
    }
}

/// Positions from a nest of depth 1 (a line or ring).
fn line(n: Nest) -> Option<Vec<LonLat>> {
    match n {
        Nest::List(items) => items
            .into_iter()
            .map(|i| match i {
                Nest::Pos(p) => Some(p),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn lines(n: Nest) -> Option<Vec<Vec<LonLat>>> {
    match n {
        Nest::List(items) => items.into_iter().map(line).collect(),
        _ => None,
    }
}

fn polygons(n: Nest) -> Option<Vec<Vec<Vec<LonLat>>>> {
    match n {
        Nest::List(items) => items.into_iter().map(lines).collect(),
        _ => None,
    }
}

/// A feature's geometry (`None` for a `null` one).
struct Geom(Option<Geometry>);

impl<'de> Deserialize<'de> for Geom {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Geom, D::Error> {
        d.deserialize_option(GeomVisitor)
    }
}

struct GeomVisitor;

const DRAWN: &str =
    "a map layer draws Polygon, MultiPolygon, LineString and MultiLineString geometries";

impl<'de> Visitor<'de> for GeomVisitor {
    type Value = Geom;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON geometry")
    }
    fn visit_none<E: de::Error>(self) -> Result<Geom, E> {
        Ok(Geom(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Geom, E> {
        Ok(Geom(None))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Geom, D::Error> {
        d.deserialize_map(GeomVisitor)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Geom, A::Error> {
        let (mut kind, mut coords): (Option<String>, Option<Nest>) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    let k: String = map.next_value()?;
                    if !matches!(
                        k.as_str(),
                        "Polygon" | "MultiPolygon" | "LineString" | "MultiLineString"
                    ) {
                        return Err(de::Error::custom(format!("a `{k}` geometry: {DRAWN}")));
                    }
                    kind = Some(k);
                }
                "coordinates" => coords = Some(map.next_value()?),
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("type"))?;
        let coords = coords.ok_or_else(|| de::Error::missing_field("coordinates"))?;
        let g = match kind.as_str() {
            "Polygon" => lines(coords).map(Geometry::Polygon),
            "MultiPolygon" => polygons(coords).map(Geometry::MultiPolygon),
            "LineString" => line(coords).map(Geometry::LineString),
            _ => lines(coords).map(Geometry::MultiLineString),
        };
        g.map(|g| Geom(Some(g))).ok_or_else(|| {
            de::Error::custom(format!(
                "the coordinates do not nest as a {kind}'s do (see the GeoJSON standard, RFC 7946)"
            ))
        })
    }
}

#[derive(Deserialize)]
struct Feature {
    geometry: Geom,
    #[serde(default)]
    properties: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct Collection {
    #[serde(rename = "type")]
    kind: String,
    features: Vec<Feature>,
}

/// The name a feature's properties give, if any.
fn name_of(props: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    ["name", "NAME", "name_en", "NAME_EN"]
        .iter()
        .find_map(|k| props.get(*k).and_then(|v| v.as_str()))
        .map(str::to_string)
}

/// Reads a layer's GeoJSON into its shapes.
pub fn parse_geojson(rel: &str, text: &str) -> Result<Vec<Shape>, Diagnostic> {
    let fc: Collection = serde_json::from_str(text).map_err(|e| {
        let msg = e.to_string();
        // serde_json adds " at line L column C": the position is given apart.
        let msg = msg.rsplit_once(" at line ").map_or(msg.as_str(), |m| m.0);
        let help = if msg.contains("geometry") || msg.contains("position") {
            "fix the geometry there, or export the layer again as GeoJSON in WGS84 (EPSG:4326)"
        } else {
            "a layer is a GeoJSON FeatureCollection; check the file in a GeoJSON validator, or export it again"
        };
        Diagnostic::error("bad-geojson", rel, format!("this is not GeoJSON berpa can draw: {msg}"))
            .at(Pos::new(e.line().max(1), e.column().max(1)))
            .help(help)
    })?;
    if fc.kind != "FeatureCollection" {
        return Err(Diagnostic::error(
            "bad-geojson",
            rel,
            format!(
                "the file is a GeoJSON `{}`, not a FeatureCollection",
                fc.kind
            ),
        )
        .at(Pos::new(1, 1))
        .help("save the layer as a FeatureCollection (`\"type\": \"FeatureCollection\"`)"));
    }
    let shapes: Vec<Shape> = fc
        .features
        .into_iter()
        .filter_map(|f| {
            let name = f.properties.as_ref().and_then(name_of);
            f.geometry.0.map(|geometry| Shape { name, geometry })
        })
        .collect();
    let n: usize = shapes
        .iter()
        .flat_map(|s| s.geometry.parts())
        .map(|p| p.0.len())
        .sum();
    if n > MAX_POSITIONS {
        return Err(Diagnostic::error(
            "geo-too-detailed",
            rel,
            format!("the layer has {n} positions, more than the {MAX_POSITIONS} berpa draws"),
        )
        .at(Pos::new(1, 1))
        .help("simplify the layer (for example with mapshaper) or clip it to the area the report covers"));
    }
    Ok(shapes)
}

/// One half of a layer, parsed.
pub enum Part {
    Meta(GeoMeta),
    Shapes(Vec<Shape>),
}

/// A layer's two files as parsed (each with its path), as far as they are there.
type Halves = (Option<(String, GeoMeta)>, Option<(String, Vec<Shape>)>);

/// Pairs each layer's description with its GeoJSON (by id, from `(rel, part)`s): a GeoJSON
/// without its description, or a description without its GeoJSON, is an error. `failed` are the
/// ids of layers one of whose files could not be read (already reported).
pub fn pair(
    parts: Vec<(String, String, Part)>,
    failed: &std::collections::BTreeSet<String>,
    diags: &mut Diagnostics,
) -> Vec<GeoLayer> {
    let mut by_id: BTreeMap<String, Halves> = BTreeMap::new();
    for (id, rel, part) in parts {
        let e = by_id.entry(id).or_default();
        match part {
            Part::Meta(m) => e.0 = Some((rel, m)),
            Part::Shapes(s) => e.1 = Some((rel, s)),
        }
    }
    let mut out = Vec::new();
    for (id, halves) in by_id {
        match halves {
            (Some((_, m)), Some((file, shapes))) => out.push(GeoLayer {
                id,
                file,
                title: m.title,
                role: m.role,
                attribution: m.attribution,
                licence: m.licence,
                note: m.note,
                shapes,
            }),
            _ if failed.contains(&id) => {}
            (None, Some((file, _))) => diags.push(
                Diagnostic::error(
                    "geo-without-yaml",
                    &file,
                    "this map layer has no description beside it, so it cannot be credited",
                )
                .at(Pos::new(1, 1))
                .help(format!(
                    "add content/geo/{id}.yaml with `title`, `role` ({}), `attribution` and `licence`",
                    roles()
                )),
            ),
            (Some((file, _)), None) => diags.push(
                Diagnostic::error(
                    "geo-without-data",
                    &file,
                    "this map layer's description has no GeoJSON beside it",
                )
                .at(Pos::new(1, 1))
                .help(format!("add content/geo/{id}.geojson, or delete this file")),
            ),
            (None, None) => {}
        }
    }
    out
}

/// The roles a layer may have, for messages.
fn roles() -> String {
    GeoRole::ALL.map(GeoRole::code).join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_polygons_and_lines_with_names() {
        let s = parse_geojson(
            "g.geojson",
            r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"NAME":"A"},"geometry":{"type":"Polygon","coordinates":[[[45,40],[46,40],[46,41],[45,40]]]}},
            {"type":"Feature","properties":null,"geometry":{"coordinates":[[45,40,12],[46,41]],"type":"LineString"}},
            {"type":"Feature","properties":{},"geometry":null}]}"#,
        )
        .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name.as_deref(), Some("A"));
        assert_eq!(
            s[1].geometry,
            Geometry::LineString(vec![[45.0, 40.0], [46.0, 41.0]])
        );
    }

    #[test]
    fn errors_point_at_the_position() {
        let e = parse_geojson(
            "content/geo/g.geojson",
            "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\n\"coordinates\":[[45,40],[46,400]]}}]}",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("not on Earth"), "{}", e.message);
        assert!(e.help.is_some());
        let e = parse_geojson(
            "g",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,2]}}]}",
        )
        .unwrap_err();
        assert!(e.message.contains("`Point`"), "{}", e.message);
        let e = parse_geojson(
            "g",
            "{\"type\":\"FeatureCollection\",\"features\":[{\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[1,2],[3,4]]}}]}",
        )
        .unwrap_err();
        assert!(e.message.contains("nest"), "{}", e.message);
        let e =
            parse_geojson("g", "{\"type\": \"FeatureCollection\",\n \"features\": [}").unwrap_err();
        assert_eq!(e.line, 2);
    }
}
