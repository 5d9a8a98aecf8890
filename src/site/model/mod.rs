//! Typed records. Each kind of record is a struct that serde fills from YAML, rejecting unknown
//! fields; an [`Entry`] wraps a record with its id, file and narrative.

pub mod chart;
mod date;
pub mod fields;
pub mod geo;
pub mod groups;
mod text;

pub use date::Date;
pub use text::{Localised, Text};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The collections of records, in the order the site lists them: berpa's six, then the ones a
/// site declares (`collections:` in site.yaml), in the order written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    City,
    Road,
    Project,
    Partner,
    Indicator,
    Source,
    /// A collection the site declares.
    Own(Coll),
}

/// A collection a site declares: its place among them and its folder (`schools`). Made by
/// `load::config` from `site.yaml`; the site's [`fields::FieldTable`] knows its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Coll {
    pub index: u16,
    pub dir: &'static str,
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::City,
        Kind::Road,
        Kind::Project,
        Kind::Partner,
        Kind::Indicator,
        Kind::Source,
    ];

    /// The position of the kind among the site's collections (berpa's six first).
    pub fn index(self) -> usize {
        match self {
            Kind::City => 0,
            Kind::Road => 1,
            Kind::Project => 2,
            Kind::Partner => 3,
            Kind::Indicator => 4,
            Kind::Source => 5,
            Kind::Own(c) => Kind::ALL.len() + usize::from(c.index),
        }
    }

    /// The folder under `content/` and the URL segment.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Own(c) => c.dir,
            Kind::City => "cities",
            Kind::Road => "roads",
            Kind::Project => "projects",
            Kind::Partner => "partners",
            Kind::Indicator => "indicators",
            Kind::Source => "sources",
        }
    }

    /// The singular name, as used in messages and template names (a declared collection's
    /// folder: its pages use the template `record.html`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Own(c) => c.dir,
            Kind::City => "city",
            Kind::Road => "road",
            Kind::Project => "project",
            Kind::Partner => "partner",
            Kind::Indicator => "indicator",
            Kind::Source => "source",
        }
    }

    /// One of berpa's six collections, by folder (the site's own: `FieldTable::kind`).
    pub fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    /// The template of its records' pages (`city.html`; a declared collection's is the one
    /// every record page extends, `record.html`).
    pub fn template(self) -> String {
        match self {
            Kind::Own(_) => "record.html".into(),
            k => format!("{}.html", k.name()),
        }
    }

    /// How a message names one record of the kind: `city`, `schools record`.
    pub fn what(self) -> std::borrow::Cow<'static, str> {
        match self {
            Kind::Own(c) => format!("{} record", c.dir).into(),
            k => k.name().into(),
        }
    }

    /// Whether the site declares this collection.
    pub fn is_own(self) -> bool {
        matches!(self, Kind::Own(_))
    }

    /// The longest file name the site has for a record of this kind with the id `id`: its
    /// page's folder is the id, its open data `<id>.json` (src/output/exports.rs), a city's
    /// projects chart `city-<id>-projects.csv` and an indicator's chart `indicator-<id>.csv`
    /// (src/render/mod.rs).
    pub fn longest_output_name(self, id: &str) -> String {
        match self {
            Kind::City => format!("city-{id}-projects.csv"),
            Kind::Indicator => format!("indicator-{id}.csv"),
            _ => format!("{id}.json"),
        }
    }
}

// ---------------------------------------------------------------- code lists

macro_rules! code_list {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The code as written in content files.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
        }
    };
}

code_list!(
    /// What kind of settlement.
    CityKind { City = "city", Town = "town", Village = "village" }
);
code_list!(CityStatus {
    Planned = "planned",
    UnderReconstruction = "under-reconstruction",
    Resettled = "resettled",
});
code_list!(RoadStatus {
    Planned = "planned",
    UnderConstruction = "under-construction",
    Open = "open",
});
code_list!(ProjectStatus {
    Planned = "planned",
    InProgress = "in-progress",
    Completed = "completed",
    Cancelled = "cancelled",
});
code_list!(Sector {
    Education = "education",
    Health = "health",
    Culture = "culture",
    Housing = "housing",
    Transport = "transport",
    Aviation = "aviation",
    Energy = "energy",
    Water = "water",
    Agriculture = "agriculture",
    Demining = "demining",
    Other = "other",
});
code_list!(PartnerKind {
    Country = "country",
    Organisation = "organisation",
});
code_list!(PublisherKind {
    Government = "government",
    StateMedia = "state-media",
    News = "news",
    Ngo = "ngo",
    International = "international",
    Other = "other",
});
code_list!(HistoryKind {
    Revision = "revision",
    Correction = "correction",
});
code_list!(
    /// How exact an observed figure is, as its source words it.
    Qualifier { About = "about", MoreThan = "more-than", AtLeast = "at-least", UpTo = "up-to" }
);

// ---------------------------------------------------------------- shared parts

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    /// Whether the latitude is a number from -90 to 90.
    pub fn lat_ok(lat: f64) -> bool {
        (-90.0..=90.0).contains(&lat)
    }

    /// Whether the longitude is a number from -180 to 180.
    pub fn lon_ok(lon: f64) -> bool {
        (-180.0..=180.0).contains(&lon)
    }

    /// Whether this is a place on Earth (a range check also rejects NaN).
    pub fn is_valid(&self) -> bool {
        Self::lat_ok(self.lat) && Self::lon_ok(self.lon)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub date: Date,
    pub note: Text,
    pub kind: HistoryKind,
}

/// An amount of money: a project's budget, contract value or final cost. `currency` is an ISO
/// 4217 code (`site::currency`); `date` is when the amount was stated and `source` the id of
/// the source that states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    pub amount: f64,
    pub currency: String,
    pub date: Option<Date>,
    pub source: Option<String>,
}

/// A project's budget (written `{amount, currency}` as before money had a date and source).
pub type Budget = Money;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub value: f64,
    pub by: Option<Date>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    pub date: Date,
    pub value: f64,
    /// Required by validation (not by the parser), so a missing source gets its own message.
    pub source: Option<String>,
    pub qualifier: Option<Qualifier>,
    #[serde(default)]
    pub note: Text,
}

// ---------------------------------------------------------------- records

/// Fields every record may carry. Listed in each struct (serde cannot combine `flatten` with
/// `deny_unknown_fields`); the [`Record`] trait gives uniform access.
macro_rules! record {
    ($(#[$m:meta])* $name:ident { $($body:tt)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($body)*
            #[serde(default)]
            pub summary: Text,
            pub updated: Option<Date>,
            #[serde(default)]
            pub sources: Vec<String>,
            #[serde(default)]
            pub history: Vec<HistoryEntry>,
            /// The values of the fields the site declares (`fields:` in site.yaml), by name.
            #[serde(skip)]
            pub extra: Extra,
        }
        impl Common for $name {
            fn extra(&self) -> &Extra { &self.extra }
            fn extra_mut(&mut self) -> &mut Extra { &mut self.extra }
            fn summary(&self) -> &Text { &self.summary }
            fn updated(&self) -> Option<Date> { self.updated }
            fn sources(&self) -> &[String] { &self.sources }
            fn history(&self) -> &[HistoryEntry] { &self.history }
        }
    };
}

/// The values of a record's declared fields, by name.
pub type Extra = BTreeMap<String, DeclaredValue>;

/// A declared field's value, read by `load` as its declaration's type says.
#[derive(Debug, Clone, PartialEq)]
pub enum DeclaredValue {
    Text(Text),
    Texts(Vec<Text>),
    Number(f64),
    Money(Money),
    Date(Date),
    /// An enum's code (checked against its `values` in `check`).
    Code(&'static str),
    Url(String),
    Bool(bool),
    Refs(Vec<String>),
    /// A list of numbers, money, dates, codes, addresses or yes/no: each value, and all of them
    /// as shown in a cell (`a; b`).
    List(Vec<DeclaredValue>, String),
}

/// Access to the fields all records share.
pub trait Common {
    fn extra(&self) -> &Extra;
    fn extra_mut(&mut self) -> &mut Extra;
    fn summary(&self) -> &Text;
    fn updated(&self) -> Option<Date>;
    fn sources(&self) -> &[String];
    fn history(&self) -> &[HistoryEntry];
}

record!(
    /// A settlement: city, town or village.
    City {
        pub name: Text,
        pub kind: CityKind,
        pub district: Text,
        #[serde(default)]
        pub region: Text,
        pub location: Option<LatLon>,
        pub status: Option<CityStatus>,
    }
);

record!(Road {
    pub name: Text,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub via: Vec<String>,
    pub length_km: Option<f64>,
    pub lanes: Option<u32>,
    pub status: Option<RoadStatus>,
    pub started: Option<Date>,
    pub opened: Option<Date>,
    #[serde(default)]
    pub geometry: Vec<[f64; 2]>,
    #[serde(default)]
    pub contractors: Vec<Text>,
});

record!(Project {
    pub title: Text,
    pub sector: Sector,
    pub city: Option<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub contractors: Vec<Text>,
    pub status: Option<ProjectStatus>,
    pub started: Option<Date>,
    /// When it was planned to be completed.
    pub planned_completion: Option<Date>,
    pub completed: Option<Date>,
    pub budget: Option<Money>,
    pub contract_value: Option<Money>,
    pub final_cost: Option<Money>,
});

impl Project {
    /// The project's amounts of money, by field name, in the field table's order.
    pub fn money(&self) -> [(&'static str, Option<&Money>); 3] {
        [
            ("budget", self.budget.as_ref()),
            ("contract_value", self.contract_value.as_ref()),
            ("final_cost", self.final_cost.as_ref()),
        ]
    }
}

record!(Partner {
    pub name: Text,
    pub kind: PartnerKind,
    pub iso: Option<String>,
});

record!(Indicator {
    pub title: Text,
    pub unit: Text,
    pub scope: Option<String>,
    #[serde(default)]
    pub description: Text,
    pub target: Option<Target>,
    #[serde(default)]
    pub observations: Vec<Observation>,
});

record!(Source {
    pub title: Text,
    pub publisher: Text,
    pub publisher_kind: Option<PublisherKind>,
    pub url: Option<String>,
    pub published: Option<Date>,
    pub accessed: Option<Date>,
    pub language: Option<String>,
    /// An archived copy of the publication (a web archive's address).
    pub archive_url: Option<String>,
    /// When the publication (or the copy `sha256` is of) was retrieved.
    pub retrieved: Option<Date>,
    /// The SHA-256 hash of the publication as retrieved, 64 hexadecimal digits.
    pub sha256: Option<String>,
});

record!(
    /// A record of a collection the site declares: a name, perhaps a place, and the fields
    /// the collection declares (its `status` among them, read as a declared field).
    Item {
        pub name: Text,
        pub location: Option<LatLon>,
    }
);

/// A reference from one record to another, with where it is written (a YAML path). The field
/// table gives a record's references (`FieldTable::refs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref<'a> {
    pub path: String,
    pub target: Kind,
    pub id: &'a str,
}

/// Where a record came from, and its narrative.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub id: String,
    /// The file, relative to the site root.
    pub file: String,
    /// Lines before the YAML starts in the file (1 for front matter after `---`).
    pub yaml_line_offset: usize,
    /// The YAML text of the record (kept to point messages at values).
    pub yaml: String,
    /// The Markdown narrative per language, with the file and first line of each.
    pub body: BTreeMap<String, Body>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub file: String,
    pub line: usize,
    pub markdown: Narrative,
}

/// A narrative's Markdown: in memory, or left in its file until its page renders. A build of a
/// national programme reads tens of thousands of narratives and shows each on one page, so it
/// leaves them in their files (read again with [`crate::load::narrative`], which checks that
/// the file has not changed); `serve` keeps them, to re-render a page without reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Narrative {
    Text(String),
    InFile {
        /// The file's path on disk (`Body::file` is relative to the site root).
        path: std::path::PathBuf,
        /// The file's fingerprint when it was loaded.
        hash: u64,
        /// Whether the narrative follows front matter (a record's `.md` file, not a translation).
        front_matter: bool,
    },
}

impl From<&str> for Narrative {
    fn from(s: &str) -> Self {
        Narrative::Text(s.to_string())
    }
}

/// A record with its id and file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry<T> {
    pub meta: Meta,
    pub data: T,
}

impl<T> Entry<T> {
    pub fn id(&self) -> &str {
        &self.meta.id
    }
}

/// A free page from `content/pages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: String,
    pub description: Option<String>,
    pub updated: Option<Date>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub menu: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PageVersion {
    pub file: String,
    pub front: PageFront,
    pub body: Body,
}

/// A free page in every language it is written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The page's path under the site root, such as `about` or `guides/editing`.
    pub slug: String,
    pub versions: BTreeMap<String, PageVersion>,
}

/// Records, pages and charts whose files are there but could not be read or parsed. Their
/// files' own errors say what is wrong; whatever refers to them is not blamed as well.
#[derive(Debug, Clone, Default)]
pub struct Failed {
    pub records: BTreeSet<(Kind, String)>,
    /// Free pages (by slug) whose default-language version failed.
    pub pages: BTreeSet<String>,
    pub charts: BTreeSet<String>,
    /// Map layers (by id) one of whose two files failed.
    pub geo: BTreeSet<String>,
}

/// Every record of a site, each collection sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Records {
    pub cities: Vec<Entry<City>>,
    pub roads: Vec<Entry<Road>>,
    pub projects: Vec<Entry<Project>>,
    pub partners: Vec<Entry<Partner>>,
    pub indicators: Vec<Entry<Indicator>>,
    pub sources: Vec<Entry<Source>>,
    /// The records of the collections the site declares, by [`Coll::index`].
    pub own: Vec<Vec<Entry<Item>>>,
    pub pages: Vec<Page>,
    /// Declarative charts from `content/charts/`.
    pub charts: Vec<crate::site::model::chart::ChartEntry>,
    /// Background map layers from `content/geo/`, by id.
    pub geo: Vec<geo::GeoLayer>,
    /// What failed to load.
    pub failed: Failed,
    /// The fields of each kind of record.
    pub fields: fields::FieldTable,
}

impl Records {
    /// Forgets every location that is not a place on Earth (validation reports each one): a
    /// settlement's `location`, a road's `geometry` when any point of it is out of range. The
    /// records stay (others refer to them); their position takes no part in maps or exports,
    /// and nothing sized by coordinates can be made huge by a lost decimal point.
    pub fn drop_bad_coordinates(&mut self) {
        for c in &mut self.cities {
            if c.data.location.is_some_and(|l| !l.is_valid()) {
                c.data.location = None;
            }
        }
        for e in self.own.iter_mut().flatten() {
            if e.data.location.is_some_and(|l| !l.is_valid()) {
                e.data.location = None;
            }
        }
        for r in &mut self.roads {
            let bad = |p: &[f64; 2]| {
                !LatLon {
                    lat: p[0],
                    lon: p[1],
                }
                .is_valid()
            };
            if r.data.geometry.iter().any(bad) {
                r.data.geometry.clear();
            }
        }
    }

    /// The number of records in one collection.
    pub fn count(&self, kind: Kind) -> usize {
        match kind {
            Kind::City => self.cities.len(),
            Kind::Road => self.roads.len(),
            Kind::Project => self.projects.len(),
            Kind::Partner => self.partners.len(),
            Kind::Indicator => self.indicators.len(),
            Kind::Source => self.sources.len(),
            Kind::Own(_) => self.items(kind).len(),
        }
    }

    /// The records of a collection the site declares (none for berpa's own six).
    pub fn items(&self, kind: Kind) -> &[Entry<Item>] {
        match kind {
            Kind::Own(c) => self
                .own
                .get(usize::from(c.index))
                .map_or(&[], Vec::as_slice),
            _ => &[],
        }
    }

    /// The records of a declared collection, to add to (made when missing).
    pub fn items_vec(&mut self, c: Coll) -> &mut Vec<Entry<Item>> {
        let i = usize::from(c.index);
        if self.own.len() <= i {
            self.own.resize_with(i + 1, Vec::new);
        }
        &mut self.own[i]
    }

    /// [`Records::items`], to change; empty for berpa's own six.
    pub fn items_mut(&mut self, kind: Kind) -> &mut [Entry<Item>] {
        match kind {
            Kind::Own(c) => self
                .own
                .get_mut(usize::from(c.index))
                .map_or(&mut [], Vec::as_mut_slice),
            _ => &mut [],
        }
    }

    /// The record at position `i` of a collection: its id and its name (or title).
    pub fn title_at(&self, kind: Kind, i: usize) -> Option<(&str, &Text)> {
        fn at<T>(v: &[Entry<T>], i: usize, t: impl Fn(&T) -> &Text) -> Option<(&str, &Text)> {
            v.get(i).map(|e| (e.id(), t(&e.data)))
        }
        match kind {
            Kind::City => at(&self.cities, i, |c| &c.name),
            Kind::Road => at(&self.roads, i, |r| &r.name),
            Kind::Project => at(&self.projects, i, |p| &p.title),
            Kind::Partner => at(&self.partners, i, |p| &p.name),
            Kind::Indicator => at(&self.indicators, i, |x| &x.title),
            Kind::Source => at(&self.sources, i, |x| &x.title),
            Kind::Own(_) => at(self.items(kind), i, |x| &x.name),
        }
    }

    /// The ids of one collection, sorted.
    pub fn ids(&self, kind: Kind) -> Vec<&str> {
        fn ids<T>(v: &[Entry<T>]) -> Vec<&str> {
            v.iter().map(|e| e.id()).collect()
        }
        match kind {
            Kind::City => ids(&self.cities),
            Kind::Road => ids(&self.roads),
            Kind::Project => ids(&self.projects),
            Kind::Partner => ids(&self.partners),
            Kind::Indicator => ids(&self.indicators),
            Kind::Source => ids(&self.sources),
            Kind::Own(_) => ids(self.items(kind)),
        }
    }

    /// Whether a record with this id is there, or its file is there but failed to load: a
    /// reference to it is not an error of its own.
    pub fn known(&self, kind: Kind, id: &str) -> bool {
        self.contains(kind, id) || self.failed.records.contains(&(kind, id.to_string()))
    }

    pub fn contains(&self, kind: Kind, id: &str) -> bool {
        fn has<T>(v: &[Entry<T>], id: &str) -> bool {
            v.binary_search_by(|e| e.id().cmp(id)).is_ok()
        }
        match kind {
            Kind::City => has(&self.cities, id),
            Kind::Road => has(&self.roads, id),
            Kind::Project => has(&self.projects, id),
            Kind::Partner => has(&self.partners, id),
            Kind::Indicator => has(&self.indicators, id),
            Kind::Source => has(&self.sources, id),
            Kind::Own(_) => has(self.items(kind), id),
        }
    }

    /// The position of a record in its collection.
    pub fn position(&self, kind: Kind, id: &str) -> Option<usize> {
        fn pos<T>(v: &[Entry<T>], id: &str) -> Option<usize> {
            v.binary_search_by(|e| e.id().cmp(id)).ok()
        }
        match kind {
            Kind::City => pos(&self.cities, id),
            Kind::Road => pos(&self.roads, id),
            Kind::Project => pos(&self.projects, id),
            Kind::Partner => pos(&self.partners, id),
            Kind::Indicator => pos(&self.indicators, id),
            Kind::Source => pos(&self.sources, id),
            Kind::Own(_) => pos(self.items(kind), id),
        }
    }

    /// Where a record came from, and its narratives.
    pub fn meta(&self, kind: Kind, id: &str) -> Option<&Meta> {
        match kind {
            Kind::City => find(&self.cities, id).map(|e| &e.meta),
            Kind::Road => find(&self.roads, id).map(|e| &e.meta),
            Kind::Project => find(&self.projects, id).map(|e| &e.meta),
            Kind::Partner => find(&self.partners, id).map(|e| &e.meta),
            Kind::Indicator => find(&self.indicators, id).map(|e| &e.meta),
            Kind::Source => find(&self.sources, id).map(|e| &e.meta),
            Kind::Own(_) => find(self.items(kind), id).map(|e| &e.meta),
        }
    }

    /// [`Records::meta`], to change.
    pub fn meta_mut(&mut self, kind: Kind, id: &str) -> Option<&mut Meta> {
        fn m<'a, T>(v: &'a mut [Entry<T>], id: &str) -> Option<&'a mut Meta> {
            let i = v.binary_search_by(|e| e.id().cmp(id)).ok()?;
            Some(&mut v[i].meta)
        }
        match kind {
            Kind::City => m(&mut self.cities, id),
            Kind::Road => m(&mut self.roads, id),
            Kind::Project => m(&mut self.projects, id),
            Kind::Partner => m(&mut self.partners, id),
            Kind::Indicator => m(&mut self.indicators, id),
            Kind::Source => m(&mut self.sources, id),
            Kind::Own(_) => m(self.items_mut(kind), id),
        }
    }

    pub fn city(&self, id: &str) -> Option<&Entry<City>> {
        find(&self.cities, id)
    }
    pub fn partner(&self, id: &str) -> Option<&Entry<Partner>> {
        find(&self.partners, id)
    }
    pub fn source(&self, id: &str) -> Option<&Entry<Source>> {
        find(&self.sources, id)
    }

    pub fn len(&self) -> usize {
        self.cities.len()
            + self.roads.len()
            + self.projects.len()
            + self.partners.len()
            + self.indicators.len()
            + self.sources.len()
            + self.own.iter().map(Vec::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

pub fn find<'a, T>(v: &'a [Entry<T>], id: &str) -> Option<&'a Entry<T>> {
    v.binary_search_by(|e| e.id().cmp(id)).ok().map(|i| &v[i])
}

/// Whether `id` is a valid record id: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(id: &str) -> bool {
    let mut b = id.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// The folders of the two built-in pages (Data and Updates) below each language's home: no
/// free page may take them.
pub const DATA_PAGE: &str = "data";
pub const UPDATES_PAGE: &str = "updates";
/// The list of the site's editions, and what changed since the newest (`src/edition/`).
pub const EDITIONS_PAGE: &str = "editions";
pub const CHANGES_PAGE: &str = "changes";
/// The charts' folder: each chart's CSV and SVG (`charts/<id>.csv`, `.svg`), its page
/// (`charts/<id>/`) and its embed page (`charts/<id>/embed/`).
pub const CHARTS_DIR: &str = "charts";

/// The ASCII letter for a lower-case accented or Azerbaijani one (`ə` → `a`, `ş` → `s`, `ı` →
/// `i`); any other character as it is.
pub fn fold_letter(c: char) -> char {
    match c {
        'ə' | 'ä' | 'á' | 'à' | 'â' => 'a',
        'ı' | 'í' | 'ì' | 'î' => 'i',
        'ö' | 'ó' | 'ò' | 'ô' => 'o',
        'ü' | 'ú' | 'ù' | 'û' => 'u',
        'ğ' => 'g',
        'ş' => 's',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        c => c,
    }
}

pub use crate::site::lang::sort_key;

/// A valid id close to `name`: lowercase, ASCII letters for common accented ones, hyphens.
pub fn suggest_id(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase).map(fold_letter) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() { "record".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("victory-road"));
        assert!(is_valid_id("2024-report"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("Lachin"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
        assert_eq!(suggest_id("Ağalı Village"), "agali-village");
        assert_eq!(suggest_id("Şuşa"), "susa");
    }

    #[test]
    fn coordinates_off_the_earth_are_dropped_and_their_records_kept() {
        let city = |id: &str, lat: f64, lon: f64| -> Entry<City> {
            let yaml = format!(
                "name: {id}\nkind: city\ndistrict: d\nlocation: {{lat: {lat}, lon: {lon}}}\n"
            );
            Entry {
                meta: Meta {
                    id: id.into(),
                    file: format!("content/cities/{id}.yaml"),
                    yaml_line_offset: 0,
                    yaml: yaml.clone(),
                    body: BTreeMap::new(),
                },
                data: serde_yaml::from_str(&yaml).unwrap(),
            }
        };
        let mut recs = Records {
            cities: vec![
                city("a", 39.6, 47.1),
                city("b", 39.6, 467483.0),
                city("c", -91.0, 47.1),
                city("d", 90.0, -180.0),
            ],
            ..Records::default()
        };
        recs.cities[2].data.location = Some(LatLon {
            lat: f64::NAN,
            lon: 47.0,
        });
        let mut road: Entry<Road> = Entry {
            meta: recs.cities[0].meta.clone(),
            data: serde_yaml::from_str(
                "name: r\nfrom: a\nto: b\ngeometry: [[39.6, 47.1], [39.5, 4733]]\n",
            )
            .unwrap(),
        };
        road.meta.id = "r".into();
        let good = road.data.clone();
        recs.roads = vec![road.clone(), road];
        recs.roads[1].data.geometry = vec![[39.6, 47.1], [39.5, 47.3]];
        recs.drop_bad_coordinates();
        let located: Vec<bool> = recs
            .cities
            .iter()
            .map(|c| c.data.location.is_some())
            .collect();
        assert_eq!(located, [true, false, false, true]);
        assert_eq!(recs.cities.len(), 4, "the records stay");
        assert!(recs.roads[0].data.geometry.is_empty());
        assert_eq!(recs.roads[0].data.from, good.from);
        assert_eq!(recs.roads[1].data.geometry.len(), 2);
    }

    #[test]
    fn code_lists_parse_and_reject() {
        let k: CityKind = serde_yaml::from_str("village").unwrap();
        assert_eq!(k, CityKind::Village);
        let e = serde_yaml::from_str::<CityKind>("citty").unwrap_err();
        assert!(
            e.to_string()
                .contains("expected one of `city`, `town`, `village`")
        );
    }
}
