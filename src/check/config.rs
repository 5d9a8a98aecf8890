//! The rules about `site.yaml` that need the records: the ids it names.

use crate::load::yaml::YamlDoc;
use crate::site::config::{Config, OC4IDS_PREFIX_GUIDANCE};
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

/// Checks the record ids `site.yaml` names (the dashboard's indicators).
pub fn check_refs(cfg: &Config, root: &Path, recs: &crate::site::model::Records) -> Diagnostics {
    let mut diags = Diagnostics::new();
    // The OC4IDS package is made when there are roads or projects; its ids want a prefix.
    if cfg.oc4ids_prefix.is_none() && !(recs.roads.is_empty() && recs.projects.is_empty()) {
        diags.push(
            Diagnostic::warning(
                "no-oc4ids-prefix",
                "site.yaml",
                "no `oc4ids_prefix`: the OC4IDS package's project ids are the records' page \
                 addresses, not ids OC4IDS tools recognise",
            )
            .at(crate::site::diagnostics::Pos::new(1, 1))
            .help(format!(
                "add `oc4ids_prefix: oc4ids-xxxxxx` with the project identifier prefix \
                 registered for your organisation ({OC4IDS_PREFIX_GUIDANCE})"
            )),
        );
    }
    let Some(ids) = &cfg.dashboard.indicators else {
        return diags;
    };
    let text = crate::site::input::Site::new(root)
        .read("site.yaml", crate::site::input::TEXT)
        .ok()
        .flatten()
        .and_then(|b| crate::load::decode("site.yaml", &b).ok())
        .unwrap_or_default();
    let doc = YamlDoc {
        file: "site.yaml",
        text: &text,
        line_offset: 0,
    };
    let known = recs.ids(crate::site::model::Kind::Indicator);
    for (i, id) in ids.iter().enumerate() {
        if !recs.known(crate::site::model::Kind::Indicator, id) {
            let help = match crate::load::yaml::nearest(id, &known) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("indicators are: {}", known.join(", ")),
            };
            diags.push(
                Diagnostic::error(
                    "broken-reference",
                    "site.yaml",
                    format!("there is no indicator with the id `{id}`"),
                )
                .at(doc.locate(&crate::load::yaml::path(&format!(
                    "dashboard.indicators[{i}]"
                ))))
                .help(help),
            );
        }
    }
    diags
}
