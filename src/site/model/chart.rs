//! The chart specs a site author writes (`content/charts/<id>.yaml`). The fields a chart may
//! group or sum by are those the field table ([`super::fields`]) marks `groupable`. Checked in
//! `check::charts`, computed in `render::charts`, drawn in `draw`.

use super::Text;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartType {
    Bar,
    StackedBar,
    Line,
    Progress,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    #[default]
    Count,
    Sum,
}

/// What a chart shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSpec {
    /// `cities`, `roads`, `projects`, `partners`, `indicators` or `sources`.
    pub collection: Option<String>,
    /// One indicator (for a line chart).
    pub indicator: Option<String>,
    /// Indicators with targets (for a progress chart).
    pub indicators: Option<Vec<String>>,
    pub group_by: Option<String>,
    pub stack_by: Option<String>,
    #[serde(default)]
    pub aggregate: Aggregate,
    /// The number summed by `aggregate: sum`.
    pub field: Option<String>,
    /// With a sum of money: only the amounts in this currency (ISO 4217), so a chart of amounts
    /// in several currencies needs no exchange rates.
    pub currency: Option<String>,
    /// Only records whose field has this value (a code or an id).
    #[serde(default)]
    pub filter: BTreeMap<String, String>,
}

/// A chart as a site author writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartSpec {
    pub title: Text,
    pub headline: Text,
    #[serde(rename = "type")]
    pub kind: ChartType,
    pub data: DataSpec,
    #[serde(default)]
    pub unit: Text,
    /// The label of the values (the axis along the bars, the table's value column).
    #[serde(default)]
    pub value_label: Text,
    /// The label of the categories.
    #[serde(default)]
    pub category_label: Text,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Text,
}

/// A chart spec with its id and file.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartEntry {
    pub id: String,
    pub file: String,
    pub yaml: String,
    pub spec: ChartSpec,
}
