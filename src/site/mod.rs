//! The bottom layer: what every stage shares. The site's configuration, the records
//! (with their text and dates), the interface languages, diagnostics, Markdown.

pub mod config;
pub mod diagnostics;
pub mod lang;
pub mod markdown;
pub mod model;
