//! Open data: CSV, JSON, GeoJSON, the data package, OC4IDS, feeds, the sitemap and the search
//! indexes, made from the records and written into the sink.

pub mod cite;
pub mod data;
pub mod feeds;
pub mod json;
pub mod search;
