//! The field table: each kind of record's fields, described once. A row ([`Field`]) says what
//! a field holds, how a reader sees it (its label, its place on the record's page and in the
//! list of its collection), which open-data columns it fills, and whether a chart may group by
//! it. The record pages and the list pages (`render::views`), the CSV columns
//! (`export::data`) and the chart rules (`check::charts`, `render::charts`) read this table and
//! know no field by name.
//!
//! A row is a value, not code: the built-in rows are the statics below, and a site's table
//! ([`FieldTable`], kept in `Records::fields`) holds them as `Cow`s so that rows made at run
//! time (fields a site declares) can join them. A built-in row reads its value from the typed
//! record with a plain function ([`Get::Builtin`]).

use super::{
    City, Common, Date, DeclaredValue, Indicator, Item, Kind, LatLon, Observation, Partner,
    Project, Records, Ref, Road, Source, Target, Text,
};
use crate::site::config::{Collection, DeclType, Declared, OWN_STATUSES};
use std::borrow::Cow;

/// A column's type in the open data, named as the Frictionless Table Schema names it (dates
/// and lists are `string`s there: a date may be `YYYY-MM` or `YYYY`, and a list is joined with
/// `;`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    String,
    Number,
    Integer,
    Boolean,
    /// ISO 8601 with the precision the source gives: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    Date,
    /// Several values joined with `;`.
    List,
}

impl ColType {
    /// The Table Schema type.
    pub fn frictionless(self) -> &'static str {
        match self {
            ColType::String | ColType::Date | ColType::List => "string",
            ColType::Number => "number",
            ColType::Integer => "integer",
            ColType::Boolean => "boolean",
        }
    }

    /// The interface-string key of the type's name on the Data page.
    pub fn key(self) -> &'static str {
        match self {
            ColType::String => "type_text",
            ColType::Number => "type_number",
            ColType::Integer => "type_integer",
            ColType::Boolean => "type_boolean",
            ColType::Date => "type_date",
            ColType::List => "type_list",
        }
    }
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text in one or several languages.
    Text,
    /// A string the same in every language (an ISO code, a language tag).
    Plain,
    Number,
    /// A whole number.
    Integer,
    /// An amount with its currency.
    Money,
    Date,
    /// A code from a code list (the list's name in the interface strings: `sector`).
    Enum(&'static str),
    /// A web address.
    Url,
    Boolean,
    /// The id of a record of this kind.
    Ref(Kind),
    /// A place: latitude and longitude.
    Location,
    /// A line: points of latitude and longitude.
    Line,
    /// An indicator's target.
    Target,
    /// An indicator's observations.
    Observations,
    /// How many records of this kind point at the record (a count the site works out).
    Backlinks(Kind),
}

/// A part a field plays besides holding a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    /// The record's name: its page's heading, its links' text, the list's first column.
    Title,
    /// The record's status: a badge on its page, in links and in lists.
    Status,
}

/// One open-data column a field fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Col {
    /// The header (`length_km`), or its stem for a column per language (`name` of `name_en`).
    pub name: Cow<'static, str>,
    pub ty: ColType,
    /// The interface-string key of its description (`col_length_km`).
    pub key: Cow<'static, str>,
    /// One column per language.
    pub per_lang: bool,
    /// The table it refers to, for foreign keys.
    pub refers_to: Option<&'static str>,
}

/// A field's value in one record.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue<'a> {
    Missing,
    Text(&'a Text),
    Texts(&'a [Text]),
    Plain(&'a str),
    Number(f64),
    Money(f64, &'a str),
    Date(Date),
    Code(&'static str),
    /// Several codes of one code list (a declared `list of enum`).
    Codes(Vec<&'static str>),
    Url(&'a str),
    Bool(bool),
    Refs(Vec<&'a str>),
    Location(LatLon),
    Line(&'a [[f64; 2]]),
    Target(&'a Target),
    Observations(&'a [Observation]),
}

/// A record of any kind, to read a field from.
#[derive(Debug, Clone, Copy)]
pub enum Rec<'a> {
    City(&'a City),
    Road(&'a Road),
    Project(&'a Project),
    Partner(&'a Partner),
    Indicator(&'a Indicator),
    Source(&'a Source),
    /// A record of a collection the site declares.
    Item(&'a Item),
}

impl Records {
    /// The record at position `i` of a collection.
    pub fn rec(&self, kind: Kind, i: usize) -> Option<Rec<'_>> {
        Some(match kind {
            Kind::City => Rec::City(&self.cities.get(i)?.data),
            Kind::Road => Rec::Road(&self.roads.get(i)?.data),
            Kind::Project => Rec::Project(&self.projects.get(i)?.data),
            Kind::Partner => Rec::Partner(&self.partners.get(i)?.data),
            Kind::Indicator => Rec::Indicator(&self.indicators.get(i)?.data),
            Kind::Source => Rec::Source(&self.sources.get(i)?.data),
            Kind::Own(_) => Rec::Item(&self.items(kind).get(i)?.data),
        })
    }

    /// Where the record at position `i` of a collection came from.
    pub fn meta_at(&self, kind: Kind, i: usize) -> Option<&super::Meta> {
        Some(match kind {
            Kind::City => &self.cities.get(i)?.meta,
            Kind::Road => &self.roads.get(i)?.meta,
            Kind::Project => &self.projects.get(i)?.meta,
            Kind::Partner => &self.partners.get(i)?.meta,
            Kind::Indicator => &self.indicators.get(i)?.meta,
            Kind::Source => &self.sources.get(i)?.meta,
            Kind::Own(_) => &self.items(kind).get(i)?.meta,
        })
    }

    /// The id of the record at position `i` of a collection.
    pub fn id_at(&self, kind: Kind, i: usize) -> Option<&str> {
        Some(match kind {
            Kind::City => self.cities.get(i)?.id(),
            Kind::Road => self.roads.get(i)?.id(),
            Kind::Project => self.projects.get(i)?.id(),
            Kind::Partner => self.partners.get(i)?.id(),
            Kind::Indicator => self.indicators.get(i)?.id(),
            Kind::Source => self.sources.get(i)?.id(),
            Kind::Own(_) => self.items(kind).get(i)?.id(),
        })
    }
}

impl<'a> Rec<'a> {
    /// The fields every record has.
    pub fn common(self) -> &'a dyn Common {
        match self {
            Rec::City(r) => r,
            Rec::Road(r) => r,
            Rec::Project(r) => r,
            Rec::Partner(r) => r,
            Rec::Indicator(r) => r,
            Rec::Source(r) => r,
            Rec::Item(r) => r,
        }
    }
}

/// How a row reads its value from a record.
#[derive(Clone, Copy)]
pub enum Get {
    /// A field of the typed record (the function gives `Missing` for a record of another kind).
    Builtin(for<'a> fn(Rec<'a>) -> FieldValue<'a>),
    /// A value the site works out (see [`FieldType::Backlinks`]); the record has none.
    Derived,
    /// A field the site declares: read from the record's declared values by the row's name.
    Declared,
}

impl std::fmt::Debug for Get {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Get::Builtin(_) => "Builtin",
            Get::Derived => "Derived",
            Get::Declared => "Declared",
        })
    }
}

/// One field of a kind of record. Positions (`page`, `listed`, `groupable`) order the fields
/// in that place; equal positions keep the table's order. The table's order is the order of
/// the open-data columns.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key in the content file and in chart specs (`district`).
    pub name: Cow<'static, str>,
    pub ty: FieldType,
    /// A list of values of `ty`.
    pub many: bool,
    pub role: Role,
    /// The interface-string key of its label on the record's page and over its list column.
    pub label_key: Cow<'static, str>,
    /// The interface string a number is shown in (`length_km`: "{value} km").
    pub unit_key: Option<Cow<'static, str>>,
    /// A record must give it.
    pub required: bool,
    /// Its place among the facts on the record's page; `None`: not shown there.
    pub page: Option<u8>,
    /// Its place among the columns of the collection's list page; `None`: not listed.
    pub listed: Option<u8>,
    /// Its columns in the open data (CSV; empty: not exported).
    pub exported: Cow<'static, [Col]>,
    /// Its place among the fields a chart may group, stack, filter (and, a number, sum) by;
    /// `None`: charts may not use it.
    pub groupable: Option<u8>,
    /// A page per value at `<collection>/by-<field>/<value>/` (`site::model::groups`).
    pub pages: bool,
    pub get: Get,
    /// A text that readers expect in every language (so a missing translation is warned
    /// about); `false` for proper names (a publisher, a contractor), the same in every language.
    pub translated: bool,
    /// A property of the record's GeoJSON feature (settlements and roads).
    pub geojson: bool,
    /// The least value a number may take.
    pub range: Option<Range>,
    /// For a date: the field of the same record it may not come before (`opened` after
    /// `started`).
    pub after: Option<&'static str>,
    /// The sources a value cites inside it (a budget's `source`), by YAML path.
    pub cites: Option<Cites>,
}

/// Reads the sources a value cites inside it: (YAML path, source id).
pub type Cites = for<'a> fn(Rec<'a>) -> Vec<(String, &'a str)>;

/// The least value a number may take, checked in `check`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: f64,
    /// The value must be more than `min`, not equal to it.
    pub above: bool,
    /// Said after the value in the message (`a road's length must be more than 0`); may be
    /// empty.
    pub rule: &'static str,
    /// What to change.
    pub help: &'static str,
}

impl Range {
    /// Whether `v` keeps the rule (a value that is not a number never does).
    pub fn allows(&self, v: f64) -> bool {
        v.is_finite()
            && if self.above {
                v > self.min
            } else {
                v >= self.min
            }
    }
}

impl Field {
    /// A field of no place but the record: set the rest with the methods below.
    pub const fn new(name: &'static str, ty: FieldType, label_key: &'static str) -> Field {
        Field {
            name: Cow::Borrowed(name),
            ty,
            many: false,
            role: Role::Plain,
            label_key: Cow::Borrowed(label_key),
            unit_key: None,
            required: false,
            page: None,
            listed: None,
            exported: Cow::Borrowed(&[]),
            groupable: None,
            pages: false,
            get: Get::Derived,
            translated: true,
            geojson: false,
            range: None,
            after: None,
            cites: None,
        }
    }
    /// A proper name: not expected in every language.
    pub const fn proper_name(mut self) -> Field {
        self.translated = false;
        self
    }
    pub const fn geojson(mut self) -> Field {
        self.geojson = true;
        self
    }
    pub const fn range(mut self, range: Range) -> Field {
        self.range = Some(range);
        self
    }
    pub const fn after(mut self, field: &'static str) -> Field {
        self.after = Some(field);
        self
    }
    pub const fn cites(mut self, cites: Cites) -> Field {
        self.cites = Some(cites);
        self
    }
    pub const fn many(mut self) -> Field {
        self.many = true;
        self
    }
    pub const fn role(mut self, role: Role) -> Field {
        self.role = role;
        self
    }
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub const fn page(mut self, at: u8) -> Field {
        self.page = Some(at);
        self
    }
    pub const fn listed(mut self, at: u8) -> Field {
        self.listed = Some(at);
        self
    }
    pub const fn groupable(mut self, at: u8) -> Field {
        self.groupable = Some(at);
        self
    }
    /// A page per value, and an index of the values (a groupable code, reference or text).
    pub const fn pages(mut self) -> Field {
        self.pages = true;
        self
    }
    pub const fn get(mut self, get: for<'a> fn(Rec<'a>) -> FieldValue<'a>) -> Field {
        self.get = Get::Builtin(get);
        self
    }
    // The two setters below replace a `Cow::Borrowed` that `new` put, which owns nothing: it is
    // forgotten because a `const fn` may not run a destructor.
    pub const fn unit(mut self, key: &'static str) -> Field {
        std::mem::forget(self.unit_key.replace(Cow::Borrowed(key)));
        self
    }
    pub const fn export(mut self, cols: &'static [Col]) -> Field {
        std::mem::forget(std::mem::replace(&mut self.exported, Cow::Borrowed(cols)));
        self
    }

    /// The field's value in `r` (`Missing` when it has none).
    pub fn value<'a>(&self, r: Rec<'a>) -> FieldValue<'a> {
        match self.get {
            Get::Builtin(f) => f(r),
            Get::Derived => FieldValue::Missing,
            Get::Declared => r
                .common()
                .extra()
                .get(self.name.as_ref())
                .map_or(FieldValue::Missing, declared_value),
        }
    }

    /// The row of a field `site.yaml` declares: after the built-in ones on the record's page,
    /// a list column with `list: true`, groupable with `group: true`, exported by its type, a
    /// GeoJSON property of settlements and roads. Its label is the interface string
    /// [`declared_key`] (see [`declared_strings`]).
    pub fn declared(d: &Declared) -> Field {
        let ty = match d.ty {
            DeclType::Text => FieldType::Text,
            DeclType::Number => FieldType::Number,
            DeclType::Money => FieldType::Money,
            DeclType::Date => FieldType::Date,
            DeclType::Enum => FieldType::Enum(intern(&d.name)),
            DeclType::Url => FieldType::Url,
            DeclType::Boolean => FieldType::Boolean,
            DeclType::Reference(k) => FieldType::Ref(k),
        };
        let key = declared_key(d.kind, &d.name);
        let col = |suffix: &str, ty: ColType| Col {
            name: Cow::Owned(format!("{}{suffix}", d.name)),
            ty,
            key: Cow::Owned(format!("col_{key}{suffix}")),
            per_lang: d.ty == DeclType::Text,
            refers_to: match d.ty {
                DeclType::Reference(k) if !d.many => Some(k.dir()),
                _ => None,
            },
        };
        let cols = match (d.ty, d.many) {
            (DeclType::Money, false) => vec![
                col("_amount", ColType::Number),
                col("_currency", ColType::String),
            ],
            (_, true) => vec![col("", ColType::List)],
            (DeclType::Number, _) => vec![col("", ColType::Number)],
            (DeclType::Date, _) => vec![col("", ColType::Date)],
            (DeclType::Boolean, _) => vec![col("", ColType::Boolean)],
            _ => vec![col("", ColType::String)],
        };
        Field {
            name: Cow::Owned(d.name.clone()),
            ty,
            many: d.many,
            label_key: Cow::Owned(key),
            page: Some(100),
            listed: d.list.then_some(100),
            groupable: d.group.then_some(100),
            pages: d.group,
            exported: Cow::Owned(cols),
            get: Get::Declared,
            geojson: matches!(d.kind, Kind::City | Kind::Road | Kind::Own(_)),
            ..Field::new("", ty, "")
        }
    }

    /// A declared collection's `status`: the record's badge, labelled as a project's status
    /// when it has a project's codes.
    fn own_status(d: &Declared) -> Field {
        let mut f = Field::declared(d);
        f.role = Role::Status;
        if d.label.is_empty() {
            f.label_key = Cow::Borrowed("status");
        }
        f.listed = Some(1);
        f.page = None;
        if d.values == OWN_STATUSES {
            f.ty = FieldType::Enum("project_status");
        }
        f
    }

    /// Whether a chart may sum it.
    pub fn is_number(&self) -> bool {
        matches!(self.ty, FieldType::Number | FieldType::Integer)
    }
}

/// An open-data column: `col(name, type, description key)`.
pub const fn col(name: &'static str, ty: ColType, key: &'static str) -> Col {
    Col {
        name: Cow::Borrowed(name),
        ty,
        key: Cow::Borrowed(key),
        per_lang: false,
        refers_to: None,
    }
}

impl Col {
    /// One column per language.
    pub const fn per_lang(mut self) -> Col {
        self.per_lang = true;
        self
    }
    pub const fn refers_to(mut self, table: &'static str) -> Col {
        self.refers_to = Some(table);
        self
    }
}

/// A site's fields, per kind of record (by [`Kind::index`]), and the collections it declares.
#[derive(Debug, Clone)]
pub struct FieldTable {
    kinds: Vec<Cow<'static, [Field]>>,
    own: Vec<Kind>,
}

impl Default for FieldTable {
    fn default() -> Self {
        FieldTable::builtin()
    }
}

impl FieldTable {
    /// The fields berpa knows.
    pub fn builtin() -> FieldTable {
        FieldTable {
            kinds: Kind::ALL.map(|k| Cow::Borrowed(builtin(k))).to_vec(),
            own: Vec::new(),
        }
    }

    /// Every collection of the site: berpa's six, then the ones it declares.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        Kind::ALL.into_iter().chain(self.own.iter().copied())
    }

    /// The collections the site declares.
    pub fn own(&self) -> &[Kind] {
        &self.own
    }

    /// A collection of the site, by folder.
    pub fn kind(&self, dir: &str) -> Option<Kind> {
        self.kinds().find(|k| k.dir() == dir)
    }

    /// Every field of a kind, in the table's order (none for a kind the site does not have).
    pub fn of(&self, kind: Kind) -> &[Field] {
        self.kinds.get(kind.index()).map_or(&[], |f| f)
    }

    /// A field of a kind, by name.
    pub fn field(&self, kind: Kind, name: &str) -> Option<&Field> {
        self.of(kind).iter().find(|f| f.name == name)
    }

    /// Adds a field to a kind (after the others).
    pub fn push(&mut self, kind: Kind, field: Field) {
        if let Some(fields) = self.kinds.get_mut(kind.index()) {
            fields.to_mut().push(field);
        }
    }

    /// The fields of a kind with a place `at` picks, in the order of their places.
    pub fn placed(&self, kind: Kind, at: impl Fn(&Field) -> Option<u8>) -> Vec<&Field> {
        let mut v: Vec<(u8, &Field)> = self
            .of(kind)
            .iter()
            .filter_map(|f| at(f).map(|n| (n, f)))
            .collect();
        v.sort_by_key(|(n, _)| *n);
        v.into_iter().map(|(_, f)| f).collect()
    }

    /// The fields a chart may group, stack and filter by, in order.
    pub fn groupable(&self, kind: Kind) -> Vec<&Field> {
        self.placed(kind, |f| f.groupable)
    }

    /// The record's title field.
    pub fn title(&self, kind: Kind) -> Option<&Field> {
        self.of(kind).iter().find(|f| f.role == Role::Title)
    }

    /// The record's status field.
    pub fn status(&self, kind: Kind) -> Option<&Field> {
        self.of(kind).iter().find(|f| f.role == Role::Status)
    }
}

/// A text of a record with where it is written (a YAML path).
#[derive(Debug, Clone, PartialEq)]
pub struct TextAt<'a> {
    pub path: String,
    pub text: &'a Text,
    /// Expected in every language (see [`Field::translated`]).
    pub translated: bool,
}

static NO_TEXT: Text = Text::Empty;

impl Field {
    /// The references the value makes, each with where it is written: the ids of a reference
    /// field, and the sources a value cites inside it (a budget's, a target's, each
    /// observation's).
    pub fn refs<'a>(&self, r: Rec<'a>, out: &mut Vec<Ref<'a>>) {
        let value = self.value(r);
        if let (FieldType::Ref(target), FieldValue::Refs(ids)) = (self.ty, &value) {
            for (i, id) in ids.iter().enumerate() {
                let path = if self.many {
                    format!("{}[{i}]", self.name)
                } else {
                    self.name.to_string()
                };
                out.push(Ref { path, target, id });
            }
        }
        let source = |path: String, id: &'a str| Ref {
            path,
            target: Kind::Source,
            id,
        };
        match value {
            FieldValue::Target(t) => {
                if let Some(id) = &t.source {
                    out.push(source(format!("{}.source", self.name), id));
                }
            }
            FieldValue::Observations(obs) => {
                for (i, o) in obs.iter().enumerate() {
                    if let Some(id) = &o.source {
                        out.push(source(format!("{}[{i}].source", self.name), id));
                    }
                }
            }
            _ => {}
        }
        if let Some(cites) = self.cites {
            out.extend(cites(r).into_iter().map(|(path, id)| source(path, id)));
        }
        if let (Get::Declared, Some(DeclaredValue::Money(m))) =
            (self.get, r.common().extra().get(self.name.as_ref()))
            && let Some(id) = &m.source
        {
            out.push(source(format!("{}.source", self.name), id));
        }
    }

    /// The texts of a one-text field (an empty one for a text the record leaves out), and
    /// the notes of observations.
    fn texts<'a>(&self, r: Rec<'a>, out: &mut Vec<TextAt<'a>>) {
        let at = |path: String, text: &'a Text| TextAt {
            path,
            text,
            translated: self.translated,
        };
        match (self.ty, self.value(r)) {
            (FieldType::Text, FieldValue::Text(t)) if !self.many => {
                out.push(at(self.name.to_string(), t));
            }
            (FieldType::Text, FieldValue::Missing) if !self.many => {
                out.push(at(self.name.to_string(), &NO_TEXT));
            }
            (_, FieldValue::Observations(obs)) => {
                for (i, o) in obs.iter().enumerate() {
                    out.push(at(format!("{}[{i}].note", self.name), &o.note));
                }
            }
            _ => {}
        }
    }
}

impl FieldTable {
    /// Every reference a record makes, field by field in the table's order: for the check of
    /// references and for back-links.
    pub fn refs<'a>(&self, kind: Kind, r: Rec<'a>) -> Vec<Ref<'a>> {
        let mut out = Vec::new();
        for f in self.of(kind) {
            f.refs(r, &mut out);
        }
        out
    }

    /// Every single text of a record by YAML path, field by field, then the notes of its
    /// history: for the translation check and the JSON export.
    pub fn texts<'a>(&self, kind: Kind, r: Rec<'a>) -> Vec<TextAt<'a>> {
        let mut out = Vec::new();
        for f in self.of(kind) {
            f.texts(r, &mut out);
        }
        for (i, h) in r.common().history().iter().enumerate() {
            out.push(TextAt {
                path: format!("history[{i}].note"),
                text: &h.note,
                translated: true,
            });
        }
        out
    }

    /// The fields holding a list of texts, with the record's list: (name, texts).
    pub fn text_lists<'a>(&self, kind: Kind, r: Rec<'a>) -> Vec<(&str, &'a [Text])> {
        self.of(kind)
            .iter()
            .filter(|f| f.ty == FieldType::Text && f.many)
            .filter_map(|f| match f.value(r) {
                FieldValue::Texts(list) => Some((f.name.as_ref(), list)),
                _ => None,
            })
            .collect()
    }
}

/// The interface-string key of a declared field's label (`field_cities_households`); its
/// open-data columns' descriptions are `col_` and this (and `_amount`, `_currency` for money).
pub fn declared_key(kind: Kind, name: &str) -> String {
    format!("field_{}_{name}", kind.dir())
}

/// The interface strings of the declared fields in one language: each label (the declared
/// one in `lang`, else the default language's, else the field's name) under its keys.
pub fn declared_strings(declared: &[Declared], lang: &str, default: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in declared {
        let key = declared_key(d.kind, &d.name);
        let label = match d.label.in_lang(lang, default) {
            "" => d.name.clone(),
            l => l.to_string(),
        };
        for (suffix, what) in [
            ("", ""),
            ("_amount", " (amount)"),
            ("_currency", " (currency, ISO 4217)"),
        ] {
            out.push((format!("col_{key}{suffix}"), format!("{label}{what}")));
        }
        out.push((key, label));
    }
    out
}

/// The names of the collections the site declares in one language, by folder: (one, many),
/// the declared label in `lang`, else the default language's, else the folder.
pub fn own_names(
    own: &[Collection],
    lang: &str,
    default: &str,
) -> Vec<(String, crate::site::lang::Plural)> {
    own.iter()
        .map(|c| {
            let dir = c.kind.dir();
            let many = match c.label.in_lang(lang, default) {
                "" => dir.to_string(),
                l => l.to_string(),
            };
            let one = match c.one.in_lang(lang, default) {
                "" => many.clone(),
                l => l.to_string(),
            };
            (dir.to_string(), crate::site::lang::Plural { one, many })
        })
        .collect()
}

/// A string made once per distinct value and kept for the run: a declared enum's name and
/// codes, which the table's `&'static str`s hold.
pub fn intern(s: &str) -> &'static str {
    static SEEN: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = seen.get(s) {
        return s;
    }
    let s: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.insert(s);
    s
}

/// A declared value as a field's value.
fn declared_value(v: &DeclaredValue) -> FieldValue<'_> {
    match v {
        DeclaredValue::Text(t) => FieldValue::Text(t),
        DeclaredValue::Texts(t) => FieldValue::Texts(t),
        DeclaredValue::Number(n) => FieldValue::Number(*n),
        DeclaredValue::Money(m) => FieldValue::Money(m.amount, &m.currency),
        DeclaredValue::Date(d) => FieldValue::Date(*d),
        DeclaredValue::Code(c) => FieldValue::Code(c),
        DeclaredValue::Url(u) => FieldValue::Url(u),
        DeclaredValue::Bool(b) => FieldValue::Bool(*b),
        DeclaredValue::Refs(ids) => FieldValue::Refs(ids.iter().map(String::as_str).collect()),
        DeclaredValue::List(items, shown) => {
            let codes: Option<Vec<&'static str>> = items
                .iter()
                .map(|x| match x {
                    DeclaredValue::Code(c) => Some(*c),
                    _ => None,
                })
                .collect();
            match codes {
                Some(codes) if !codes.is_empty() => FieldValue::Codes(codes),
                _ => FieldValue::Plain(shown),
            }
        }
    }
}

impl FieldTable {
    /// The table of a site: the built-in rows, the rows every collection it declares has
    /// (`name`, `location`, …), then a row for each field it declares.
    pub fn for_site(own: &[Collection], declared: &[Declared]) -> FieldTable {
        let mut t = FieldTable::builtin();
        for c in own {
            t.own.push(c.kind);
            t.kinds.push(Cow::Borrowed(builtin(c.kind)));
        }
        for d in declared {
            let row = if d.kind.is_own() && d.name == "status" {
                Field::own_status(d)
            } else {
                Field::declared(d)
            };
            t.push(d.kind, row);
        }
        t
    }
}

// ---------------------------------------------------------------- the built-in rows

/// `cols![col(…), …]`: a row's open-data columns, as a `'static` slice.
macro_rules! cols {
    ($($c:expr),* $(,)?) => {{
        const COLS: &[Col] = &[$($c),*];
        COLS
    }};
}

/// `get!(City, c => value)`: a row's reader of a City's field.
macro_rules! get {
    ($kind:ident, $r:ident => $e:expr) => {
        |rec| match rec {
            Rec::$kind($r) => $e,
            _ => FieldValue::Missing,
        }
    };
}

/// `cites!(Project, p => list)`: a row's reader of the sources a Project's value cites.
macro_rules! cites {
    ($kind:ident, $r:ident => $e:expr) => {
        |rec| match rec {
            Rec::$kind($r) => $e,
            _ => Vec::new(),
        }
    };
}

fn text(t: &Text) -> FieldValue<'_> {
    FieldValue::Text(t)
}

/// A text, or `Missing` when it is empty.
fn text_given(t: &Text) -> FieldValue<'_> {
    if t.is_empty() {
        FieldValue::Missing
    } else {
        FieldValue::Text(t)
    }
}

fn code(c: Option<&'static str>) -> FieldValue<'static> {
    c.map_or(FieldValue::Missing, FieldValue::Code)
}

fn date(d: Option<Date>) -> FieldValue<'static> {
    d.map_or(FieldValue::Missing, FieldValue::Date)
}

fn id(s: &str) -> FieldValue<'_> {
    FieldValue::Refs(vec![s])
}

fn id_opt(s: Option<&String>) -> FieldValue<'_> {
    s.map_or(FieldValue::Missing, |s| id(s))
}

fn ids(v: &[String]) -> FieldValue<'_> {
    FieldValue::Refs(v.iter().map(String::as_str).collect())
}

fn money(m: Option<&super::Money>) -> FieldValue<'_> {
    m.map_or(FieldValue::Missing, |m| {
        FieldValue::Money(m.amount, &m.currency)
    })
}

/// The source a money value cites, at `<field>.source`.
fn money_source<'a>(field: &str, m: Option<&'a super::Money>) -> Vec<(String, &'a str)> {
    m.and_then(|m| m.source.as_deref())
        .map(|id| (format!("{field}.source"), id))
        .into_iter()
        .collect()
}

fn plain(s: Option<&String>) -> FieldValue<'_> {
    s.map_or(FieldValue::Missing, |s| FieldValue::Plain(s))
}

use ColType as C;
use FieldType as T;

static CITY: &[Field] = &[
    Field::new("name", T::Text, "name")
        .role(Role::Title)
        .required()
        .listed(0)
        .geojson()
        .export(cols![col("name", C::String, "col_name").per_lang()])
        .get(get!(City, c => text(&c.name))),
    Field::new("kind", T::Enum("city_kind"), "kind")
        .required()
        .page(1)
        .listed(1)
        .groupable(1)
        .geojson()
        .export(cols![col("kind", C::String, "col_city_kind")])
        .get(get!(City, c => FieldValue::Code(c.kind.code()))),
    Field::new("district", T::Text, "district")
        .required()
        .page(2)
        .listed(2)
        .groupable(3)
        .pages()
        .geojson()
        .export(cols![col("district", C::String, "col_district").per_lang()])
        .get(get!(City, c => text(&c.district))),
    Field::new("region", T::Text, "region")
        .page(3)
        .groupable(4)
        .export(cols![col("region", C::String, "col_region").per_lang()])
        .get(get!(City, c => text_given(&c.region))),
    Field::new("location", T::Location, "location")
        .page(4)
        .export(cols![
            col("lat", C::Number, "col_lat"),
            col("lon", C::Number, "col_lon"),
        ])
        .get(get!(City, c => c.location.map_or(FieldValue::Missing, FieldValue::Location))),
    Field::new("status", T::Enum("city_status"), "status")
        .role(Role::Status)
        .listed(3)
        .groupable(2)
        .pages()
        .geojson()
        .export(cols![col("status", C::String, "col_city_status")])
        .get(get!(City, c => code(c.status.map(|s| s.code())))),
];

static ROAD: &[Field] = &[
    Field::new("name", T::Text, "name")
        .role(Role::Title)
        .required()
        .listed(0)
        .geojson()
        .export(cols![col("name", C::String, "col_name").per_lang()])
        .get(get!(Road, r => text(&r.name))),
    Field::new("from", T::Ref(Kind::City), "from")
        .required()
        .page(1)
        .listed(1)
        .groupable(2)
        .geojson()
        .export(cols![col("from", C::String, "col_from").refers_to("cities")])
        .get(get!(Road, r => id(&r.from))),
    Field::new("via", T::Ref(Kind::City), "via")
        .many()
        .page(2)
        .groupable(4)
        .geojson()
        .export(cols![col("via", C::List, "col_via")])
        .get(get!(Road, r => ids(&r.via))),
    Field::new("to", T::Ref(Kind::City), "to")
        .required()
        .page(3)
        .listed(2)
        .groupable(3)
        .geojson()
        .export(cols![col("to", C::String, "col_to").refers_to("cities")])
        .get(get!(Road, r => id(&r.to))),
    Field::new("length_km", T::Number, "length")
        .unit("length_km")
        .page(4)
        .listed(3)
        .groupable(5)
        .geojson()
        .range(Range {
            min: 0.0,
            above: true,
            rule: "a road's length must be more than 0",
            help: "write the length in kilometres, for example `length_km: 44.5`, or leave the field out if unknown",
        })
        .export(cols![col("length_km", C::Number, "col_length_km")])
        .get(get!(Road, r => r.length_km.map_or(FieldValue::Missing, FieldValue::Number))),
    Field::new("lanes", T::Integer, "lanes")
        .page(5)
        .groupable(6)
        .range(Range {
            min: 1.0,
            above: false,
            rule: "",
            help: "write the number of lanes (1 or more), or leave the field out",
        })
        .export(cols![col("lanes", C::Integer, "col_lanes")])
        .get(get!(Road, r => r.lanes.map_or(FieldValue::Missing, |l| FieldValue::Number(f64::from(l))))),
    Field::new("status", T::Enum("road_status"), "status")
        .role(Role::Status)
        .listed(4)
        .groupable(1)
        .pages()
        .geojson()
        .export(cols![col("status", C::String, "col_road_status")])
        .get(get!(Road, r => code(r.status.map(|s| s.code())))),
    Field::new("started", T::Date, "started")
        .page(6)
        .export(cols![col("started", C::Date, "col_started")])
        .get(get!(Road, r => date(r.started))),
    Field::new("opened", T::Date, "opened")
        .page(7)
        .listed(5)
        .after("started")
        .export(cols![col("opened", C::Date, "col_opened")])
        .get(get!(Road, r => date(r.opened))),
    Field::new("contractors", T::Text, "contractors")
        .many()
        .proper_name()
        .page(8)
        .export(cols![col("contractors", C::List, "col_contractors").per_lang()])
        .get(get!(Road, r => FieldValue::Texts(&r.contractors))),
    Field::new("geometry", T::Line, "geometry")
        .export(cols![col("geometry_points", C::Integer, "col_geometry_points")])
        .get(get!(Road, r => FieldValue::Line(&r.geometry))),
];

static PROJECT: &[Field] = &[
    Field::new("title", T::Text, "title")
        .role(Role::Title)
        .required()
        .listed(0)
        .export(cols![col("title", C::String, "col_title").per_lang()])
        .get(get!(Project, p => text(&p.title))),
    Field::new("sector", T::Enum("sector"), "sector")
        .required()
        .page(1)
        .listed(1)
        .groupable(1)
        .pages()
        .export(cols![col("sector", C::String, "col_sector")])
        .get(get!(Project, p => FieldValue::Code(p.sector.code()))),
    Field::new("city", T::Ref(Kind::City), "city")
        .page(2)
        .listed(2)
        .groupable(3)
        .export(cols![
            col("city", C::String, "col_city").refers_to("cities")
        ])
        .get(get!(Project, p => id_opt(p.city.as_ref()))),
    Field::new("partners", T::Ref(Kind::Partner), "partners")
        .many()
        .page(3)
        .listed(3)
        .groupable(4)
        .pages()
        .export(cols![col("partners", C::List, "col_partners")])
        .get(get!(Project, p => if p.partners.is_empty() {
            FieldValue::Missing
        } else {
            ids(&p.partners)
        })),
    Field::new("status", T::Enum("project_status"), "status")
        .role(Role::Status)
        .listed(4)
        .groupable(2)
        .pages()
        .export(cols![col("status", C::String, "col_project_status")])
        .get(get!(Project, p => code(p.status.map(|s| s.code())))),
    Field::new("started", T::Date, "started")
        .page(4)
        .export(cols![col("started", C::Date, "col_started")])
        .get(get!(Project, p => date(p.started))),
    Field::new("planned_completion", T::Date, "planned_completion")
        .page(5)
        .export(cols![col(
            "planned_completion",
            C::Date,
            "col_planned_completion"
        )])
        .get(get!(Project, p => date(p.planned_completion))),
    Field::new("completed", T::Date, "completed")
        .page(5)
        .listed(5)
        .after("started")
        .export(cols![col("completed", C::Date, "col_completed")])
        .get(get!(Project, p => date(p.completed))),
    Field::new("budget", T::Money, "budget")
        .page(6)
        .listed(6)
        .export(cols![
            col("budget_amount", C::Number, "col_budget_amount"),
            col("budget_currency", C::String, "col_budget_currency"),
        ])
        .cites(cites!(Project, p => money_source("budget", p.budget.as_ref())))
        .get(get!(Project, p => money(p.budget.as_ref()))),
    Field::new("contract_value", T::Money, "contract_value")
        .page(7)
        .export(cols![
            col(
                "contract_value_amount",
                C::Number,
                "col_contract_value_amount"
            ),
            col(
                "contract_value_currency",
                C::String,
                "col_contract_value_currency"
            ),
        ])
        .cites(cites!(Project, p => money_source("contract_value", p.contract_value.as_ref())))
        .get(get!(Project, p => money(p.contract_value.as_ref()))),
    Field::new("final_cost", T::Money, "final_cost")
        .page(8)
        .export(cols![
            col("final_cost_amount", C::Number, "col_final_cost_amount"),
            col("final_cost_currency", C::String, "col_final_cost_currency"),
        ])
        .cites(cites!(Project, p => money_source("final_cost", p.final_cost.as_ref())))
        .get(get!(Project, p => money(p.final_cost.as_ref()))),
    Field::new("contractors", T::Text, "contractors")
        .many()
        .proper_name()
        .page(9)
        .export(cols![
            col("contractors", C::List, "col_contractors").per_lang()
        ])
        .get(get!(Project, p => FieldValue::Texts(&p.contractors))),
];

static PARTNER: &[Field] = &[
    Field::new("name", T::Text, "name")
        .role(Role::Title)
        .required()
        .listed(0)
        .export(cols![col("name", C::String, "col_name").per_lang()])
        .get(get!(Partner, p => text(&p.name))),
    Field::new("kind", T::Enum("partner_kind"), "kind")
        .required()
        .page(1)
        .listed(1)
        .groupable(1)
        .export(cols![col("kind", C::String, "col_partner_kind")])
        .get(get!(Partner, p => FieldValue::Code(p.kind.code()))),
    Field::new("iso", T::Plain, "iso")
        .page(2)
        .export(cols![col("iso", C::String, "col_iso")])
        .get(get!(Partner, p => plain(p.iso.as_ref()))),
    Field::new("projects", T::Backlinks(Kind::Project), "projects_here").listed(2),
];

static INDICATOR: &[Field] = &[
    Field::new("title", T::Text, "title")
        .role(Role::Title)
        .required()
        .listed(0)
        .export(cols![col("title", C::String, "col_title").per_lang()])
        .get(get!(Indicator, i => text(&i.title))),
    Field::new("unit", T::Text, "unit")
        .required()
        .page(1)
        .export(cols![col("unit", C::String, "col_unit").per_lang()])
        .get(get!(Indicator, i => text(&i.unit))),
    Field::new("scope", T::Ref(Kind::City), "scope")
        .page(2)
        .listed(4)
        .groupable(1)
        .export(cols![
            col("scope", C::String, "col_scope").refers_to("cities")
        ])
        .get(get!(Indicator, i => id_opt(i.scope.as_ref()))),
    // Shown under the title, not among the facts.
    Field::new("description", T::Text, "description")
        .export(cols![
            col("description", C::String, "col_description").per_lang()
        ])
        .get(get!(Indicator, i => text(&i.description))),
    Field::new("target", T::Target, "target")
        .page(3)
        .listed(3)
        .export(cols![
            col("target_value", C::Number, "col_target_value"),
            col("target_by", C::Date, "col_target_by"),
            col("target_source", C::String, "col_target_source").refers_to("sources"),
        ])
        .get(
            get!(Indicator, i => i.target.as_ref().map_or(FieldValue::Missing, FieldValue::Target)),
        ),
    // Listed as two columns: the latest value and its date.
    Field::new("observations", T::Observations, "latest")
        .listed(1)
        .export(cols![
            col("latest_value", C::Number, "col_latest_value"),
            col("latest_qualifier", C::String, "col_qualifier"),
            col("latest_date", C::Date, "col_latest_date"),
            col("latest_source", C::String, "col_latest_source").refers_to("sources"),
            col("observations", C::Integer, "col_observations"),
        ])
        .get(get!(Indicator, i => FieldValue::Observations(&i.observations))),
];

static SOURCE: &[Field] = &[
    // A source's title and publisher are proper names in the publication's own language.
    Field::new("title", T::Text, "title")
        .role(Role::Title)
        .required()
        .proper_name()
        .listed(0)
        .export(cols![
            col("title", C::String, "col_source_title").per_lang()
        ])
        .get(get!(Source, s => text(&s.title))),
    Field::new("publisher", T::Text, "publisher")
        .required()
        .proper_name()
        .page(1)
        .listed(1)
        .groupable(2)
        .export(cols![
            col("publisher", C::String, "col_publisher").per_lang()
        ])
        .get(get!(Source, s => text(&s.publisher))),
    Field::new(
        "publisher_kind",
        T::Enum("publisher_kind"),
        "publisher_kind",
    )
    .page(2)
    .listed(2)
    .groupable(1)
    .export(cols![col(
        "publisher_kind",
        C::String,
        "col_publisher_kind"
    )])
    .get(get!(Source, s => code(s.publisher_kind.map(|k| k.code())))),
    Field::new("url", T::Url, "open_source")
        .page(5)
        .export(cols![col("url", C::String, "col_url")])
        .get(get!(Source, s => s.url.as_deref().map_or(FieldValue::Missing, FieldValue::Url))),
    Field::new("published", T::Date, "published")
        .page(3)
        .listed(3)
        .export(cols![col("published", C::Date, "col_published")])
        .get(get!(Source, s => date(s.published))),
    Field::new("accessed", T::Date, "accessed")
        .page(4)
        .after("published")
        .export(cols![col("accessed", C::Date, "col_accessed")])
        .get(get!(Source, s => date(s.accessed))),
    Field::new("language", T::Plain, "language")
        .export(cols![col("language", C::String, "col_language")])
        .get(get!(Source, s => plain(s.language.as_ref()))),
    Field::new("archive_url", T::Url, "archived_copy")
        .page(6)
        .export(cols![col("archive_url", C::String, "col_archive_url")])
        .get(get!(Source, s => s.archive_url.as_deref().map_or(FieldValue::Missing, FieldValue::Url))),
    Field::new("retrieved", T::Date, "retrieved")
        .page(7)
        .export(cols![col("retrieved", C::Date, "col_retrieved")])
        .get(get!(Source, s => date(s.retrieved))),
    Field::new("sha256", T::Plain, "sha256")
        .page(8)
        .export(cols![col("sha256", C::String, "col_sha256")])
        .get(get!(Source, s => plain(s.sha256.as_ref()))),
];

/// Fields every record has, after its own.
/// A record of a collection the site declares (its other fields are declared rows).
static ITEM: &[Field] = &[
    Field::new("name", T::Text, "name")
        .role(Role::Title)
        .required()
        .listed(0)
        .geojson()
        .export(cols![col("name", C::String, "col_name").per_lang()])
        .get(get!(Item, c => text(&c.name))),
    Field::new("location", T::Location, "location")
        .page(4)
        .export(cols![
            col("lat", C::Number, "col_lat"),
            col("lon", C::Number, "col_lon"),
        ])
        .get(get!(Item, c => c.location.map_or(FieldValue::Missing, FieldValue::Location))),
];

static COMMON: [Field; 3] = [
    Field::new("summary", T::Text, "summary")
        .export(cols![col("summary", C::String, "col_summary").per_lang()])
        .get(|r| text(r.common().summary())),
    Field::new("updated", T::Date, "updated")
        .export(cols![col("updated", C::Date, "col_updated")])
        .get(|r| date(r.common().updated())),
    Field::new("sources", T::Ref(Kind::Source), "sources")
        .many()
        .export(cols![col("sources", C::List, "col_sources")])
        .get(|r| ids(r.common().sources())),
];

/// The built-in rows of a kind, its own and then the common ones (a declared collection's
/// are [`ITEM`]'s).
fn builtin(kind: Kind) -> &'static [Field] {
    static ALL: std::sync::OnceLock<[Vec<Field>; 7]> = std::sync::OnceLock::new();
    let all = ALL.get_or_init(|| {
        [CITY, ROAD, PROJECT, PARTNER, INDICATOR, SOURCE, ITEM]
            .map(|own| own.iter().chain(COMMON.iter()).cloned().collect())
    });
    &all[kind.index().min(Kind::ALL.len())]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::model::chart::ChartEntry;

    /// A field a site might add to roads, made at run time as a row of `site.yaml` would be.
    fn surface() -> Field {
        let mut f = Field::new("surface", FieldType::Plain, "surface")
            .listed(6)
            .groupable(7)
            .get(get!(Road, r => if r.lanes.is_some() {
                FieldValue::Plain("asphalt")
            } else {
                FieldValue::Missing
            }));
        f.name = Cow::Owned("surface".to_string());
        f.exported = Cow::Owned(vec![col("surface", ColType::String, "col_surface")]);
        f
    }

    fn chart(group_by: &str) -> ChartEntry {
        let yaml = format!(
            "title: t\nheadline: h\ntype: bar\ndata: {{collection: roads, group_by: {group_by}}}\n"
        );
        ChartEntry {
            id: "c".into(),
            file: "content/charts/c.yaml".into(),
            spec: serde_yaml::from_str(&yaml).unwrap(),
            yaml,
        }
    }

    #[test]
    fn a_row_added_to_the_table_reaches_lists_open_data_and_charts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut diags = crate::site::diagnostics::Diagnostics::new();
        let cfg = crate::load::config::load(root, &mut diags).expect("site.yaml");
        let lang = crate::load::lang::load_all(root, &["en".to_string()], &mut diags)
            .pop()
            .unwrap();
        let mut recs = Records::default();
        let builtin = FieldTable::builtin();
        let mut table = builtin.clone();
        table.push(Kind::Road, surface());

        // The list page's headings.
        let before = crate::render::views::list_columns(&lang, &builtin, Kind::Road);
        let after = crate::render::views::list_columns(&lang, &table, Kind::Road);
        assert!(!before.iter().any(|c| c == "surface"));
        assert_eq!(after.last().map(String::as_str), Some("surface"));
        assert_eq!(after.len(), before.len() + 1);

        // The CSV columns (and so the data package and the Data page), before `page_url`.
        let roads = |t: &FieldTable| -> Vec<String> {
            let tables = crate::export::data::tables(&cfg, t);
            let roads = tables.iter().find(|t| t.kind == Some(Kind::Road)).unwrap();
            roads.columns.iter().map(|c| c.name.clone()).collect()
        };
        assert!(!roads(&builtin).contains(&"surface".to_string()));
        let cols = roads(&table);
        assert_eq!(cols[cols.len() - 2..], ["surface", "page_url"]);

        // A chart may group by it, and only once it is in the table.
        recs.fields = builtin;
        let refused = crate::check::charts::check(&chart("surface"), &recs);
        assert_eq!(refused.len(), 1, "{refused:?}");
        assert!(refused[0].message.contains("no field `surface`"));
        recs.fields = table;
        assert!(crate::check::charts::check(&chart("surface"), &recs).is_empty());
        assert_eq!(
            crate::check::charts::check(&chart("surfac"), &recs).len(),
            1
        );
    }

    #[test]
    fn every_built_in_row_reads_its_own_kind_only() {
        let recs = Records::default();
        let table = FieldTable::builtin();
        for kind in Kind::ALL {
            assert!(recs.rec(kind, 0).is_none());
            let names: Vec<&str> = table.of(kind).iter().map(|f| f.name.as_ref()).collect();
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "{kind:?} names a field twice");
            assert!(table.title(kind).is_some(), "{kind:?} has a title");
        }
        let partner: crate::site::model::Partner =
            serde_yaml::from_str("name: P\nkind: country\niso: UZ\n").unwrap();
        let iso = table.field(Kind::Partner, "iso").unwrap();
        assert_eq!(iso.value(Rec::Partner(&partner)), FieldValue::Plain("UZ"));
        let district = table.field(Kind::City, "district").unwrap();
        assert_eq!(district.value(Rec::Partner(&partner)), FieldValue::Missing);
    }
}
