//! The map's view model: what the map shows of the records in each language (places and
//! roads with their labels and paths), kept with the index locator maps are chosen from.
//! Drawn by `draw::map`.

use crate::draw::map::{Collection, Line, MapData, MapIndex, Marker, Place};
use crate::render::views::{Env, record_path};
use crate::site::model::fields::{FieldType, FieldValue, Rec};
use crate::site::model::geo::GeoLayer;
use crate::site::model::{Kind, Records};

/// Collects what the map shows from the records.
pub fn data(env: &Env, layers: &std::sync::Arc<Vec<GeoLayer>>) -> MapData {
    let recs: &Records = env.recs;
    let airports = airports(recs);
    let mut places = Vec::new();
    let mut unplaced = Vec::new();
    for c in &recs.cities {
        let p = place(env, c, &airports);
        if c.data.location.is_some() {
            places.push(p);
        } else {
            unplaced.push(p);
        }
    }
    let roads = recs.roads.iter().filter_map(|r| line(env, r)).collect();
    // `place_order` relies on this (the records are sorted by id).
    debug_assert!(places.windows(2).all(|w: &[Place]| w[0].id < w[1].id));
    let (collections, markers) = own(env);
    MapData {
        places,
        roads,
        unplaced,
        markers,
        collections,
        layers: layers.clone(),
    }
}

/// The collections the site declares, named in this language, and their located records as
/// markers (by collection, then id).
fn own(env: &Env) -> (Vec<Collection>, Vec<Marker>) {
    let recs: &Records = env.recs;
    let kinds = recs.fields.own();
    let collections = kinds
        .iter()
        .map(|k| Collection {
            kind: *k,
            one: env.lang.collection(k.name(), false).to_string(),
            many: env.lang.collection(k.name(), true).to_string(),
        })
        .collect();
    let mut markers = Vec::new();
    for (coll, kind) in kinds.iter().enumerate() {
        let status = recs.fields.status(*kind);
        for e in recs.items(*kind) {
            let Some(at) = e.data.location else { continue };
            let status_label = status.and_then(|f| match (f.ty, f.value(Rec::Item(&e.data))) {
                (FieldType::Enum(list), FieldValue::Code(code)) => Some(env.lang.code(list, code)),
                _ => None,
            });
            markers.push(Marker {
                kind: *kind,
                coll,
                id: e.id().to_string(),
                label: env.text(&e.data.name).0,
                status_label,
                lat: at.lat,
                lon: at.lon,
                path: record_path(*kind, e.id()),
            });
        }
    }
    (collections, markers)
}

/// The settlements with an airport project.
fn airports(recs: &Records) -> std::collections::BTreeSet<&str> {
    recs.projects
        .iter()
        .filter(|p| p.data.sector == crate::site::model::Sector::Aviation)
        .filter_map(|p| p.data.city.as_deref())
        .collect()
}

/// A settlement as the map shows it (at 0, 0 when it has no location).
fn place(
    env: &Env,
    c: &crate::site::model::Entry<crate::site::model::City>,
    airports: &std::collections::BTreeSet<&str>,
) -> Place {
    Place {
        id: c.id().to_string(),
        label: env.text(&c.data.name).0,
        kind: c.data.kind.code().to_string(),
        kind_label: env.lang.code("city_kind", c.data.kind.code()),
        status: c.data.status.map(|s| s.code().to_string()),
        status_label: c
            .data
            .status
            .map(|s| env.lang.code("city_status", s.code())),
        lat: c.data.location.map_or(0.0, |l| l.lat),
        lon: c.data.location.map_or(0.0, |l| l.lon),
        airport: airports.contains(&c.id()),
        path: record_path(Kind::City, c.id()),
    }
}

/// A road as the map shows it: `None` when fewer than two of its points are known.
fn line(env: &Env, r: &crate::site::model::Entry<crate::site::model::Road>) -> Option<Line> {
    let recs = env.recs;
    let points: Vec<(f64, f64)> = if r.data.geometry.len() >= 2 {
        r.data.geometry.iter().map(|p| (p[0], p[1])).collect()
    } else {
        std::iter::once(&r.data.from)
            .chain(r.data.via.iter())
            .chain(std::iter::once(&r.data.to))
            .filter_map(|id| recs.city(id).and_then(|c| c.data.location))
            .map(|l| (l.lat, l.lon))
            .collect()
    };
    (points.len() >= 2).then(|| Line {
        id: r.id().to_string(),
        label: env.text(&r.data.name).0,
        status: r.data.status.map(|s| s.code().to_string()),
        status_label: r
            .data
            .status
            .map(|s| env.lang.code("road_status", s.code())),
        points,
        path: record_path(Kind::Road, r.id()),
    })
}

/// The map data of every language (in the order of the languages) and the index locator maps
/// are chosen from: made once per build, and kept by `serve` between previews.
pub struct Maps {
    pub data: Vec<MapData>,
    pub index: MapIndex,
}

impl Maps {
    /// `envs`: one view environment per language, in order.
    pub fn new(envs: &[Env]) -> Maps {
        let layers =
            std::sync::Arc::new(envs.first().map_or_else(Vec::new, |e| e.recs.geo.clone()));
        let data: Vec<MapData> = envs.iter().map(|e| data(e, &layers)).collect();
        let index = MapIndex::new(data.first().unwrap_or(&MapData {
            places: Vec::new(),
            roads: Vec::new(),
            unplaced: Vec::new(),
            markers: Vec::new(),
            collections: Vec::new(),
            layers: layers.clone(),
        }));
        Maps { data, index }
    }
}
