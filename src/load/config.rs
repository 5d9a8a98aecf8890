//! Reading `site.yaml` into a [`Config`], with every problem placed at its line and column.

use crate::load::yaml::YamlDoc;
use crate::site::config::{
    Config, OC4IDS_PREFIX_GUIDANCE, is_lang_code, is_oc4ids_prefix, normalise_base_url,
};
use crate::site::diagnostics::{Diagnostic, Diagnostics};
use std::path::Path;

/// Loads `site.yaml` from the site root: `None` when it has any problem (each one is
/// reported).
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Config> {
    match load_checked(root, diags) {
        Loaded::Ok(c) => Some(c),
        Loaded::Flawed(_) | Loaded::Failed => None,
    }
}

/// What loading `site.yaml` gave.
#[derive(Debug)]
pub enum Loaded {
    Ok(Config),
    /// Read, with its languages right but other values wrong (reported): content can be judged
    /// against it, but no site is built.
    Flawed(Config),
    /// Not read, not parsed, or its languages are wrong (reported): nothing else can be judged,
    /// since what is right in content depends on it.
    Failed,
}

/// Loads `site.yaml` from the site root, reporting every problem, and says how far it can be
/// used.
pub fn load_checked(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let file = "site.yaml";
    let bytes = match crate::site::input::Site::new(root).read(file, crate::site::input::TEXT) {
        Ok(Some(b)) => b,
        Ok(None) => {
            diags.push(
                Diagnostic::error("no-config", file, format!("there is no site.yaml in {}", root.display()))
                    .help("a site needs a site.yaml with at least `title` and `base_url`; `berpa init DIR` writes one"),
            );
            return Loaded::Failed;
        }
        Err(d) => {
            diags.push(d);
            return Loaded::Failed;
        }
    };
    let text = match crate::load::decode(file, &bytes) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Loaded::Failed;
        }
    };
    let doc = YamlDoc {
        file,
        text: &text,
        line_offset: 0,
    };
    let mut cfg: Config = match doc.parse("site.yaml") {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return Loaded::Failed;
        }
    };
    if !check_languages(&cfg, &doc, diags) {
        return Loaded::Failed;
    }
    let mut ok = true;
    let urls = [
        (
            "publisher.url",
            cfg.publisher.as_ref().and_then(|p| p.url.clone()),
        ),
        (
            "licence.url",
            cfg.licence.as_ref().and_then(|l| l.url.clone()),
        ),
    ];
    for (field, url) in urls {
        if let Some(u) = url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            diags.push(
                Diagnostic::error("invalid-url", file, format!("`{u}` is not a web address"))
                    .at(doc.locate(&crate::load::yaml::path(field)))
                    .help("write the full address, starting with https:// or http://"),
            );
            ok = false;
        }
    }
    if let Some(p) = &cfg.oc4ids_prefix
        && !is_oc4ids_prefix(p)
    {
        diags.push(
            Diagnostic::error(
                "bad-config",
                file,
                format!("`{p}` is not an OC4IDS project identifier prefix"),
            )
            .at(doc.locate(&crate::load::yaml::path("oc4ids_prefix")))
            .help(format!(
                "a prefix is `oc4ids-` and six lowercase letters or digits, such as \
                 `oc4ids-bu3kcz`: write the one registered for your organisation \
                 ({OC4IDS_PREFIX_GUIDANCE})"
            )),
        );
        ok = false;
    }
    ok &= check_rates(&cfg, &doc, diags);
    match normalise_base_url(&cfg.base_url) {
        Ok(u) => cfg.base_url = u,
        Err(m) => {
            diags.push(
                Diagnostic::error("bad-config", file, m)
                    .at(doc.locate(&crate::load::yaml::path("base_url")))
                    .help("write the full address, for example `base_url: https://example.org/report/`"),
            );
            ok = false;
        }
    }
    if ok {
        Loaded::Ok(cfg)
    } else {
        Loaded::Flawed(cfg)
    }
}

/// Checks `exchange_rates`: ISO 4217 codes, rates above 0, a web address; whether they are
/// right (each problem is reported).
fn check_rates(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let Some(x) = &cfg.exchange_rates else {
        return true;
    };
    let file = doc.file;
    let at = |p: &str| doc.locate(&crate::load::yaml::path(p));
    let mut ok = true;
    let mut bad = |path: String, message: String, help: &str| {
        diags.push(
            Diagnostic::error("bad-config", file, message)
                .at(at(&path))
                .help(help),
        );
        ok = false;
    };
    let code_help = "write an ISO 4217 currency code in capitals, such as AZN, USD or EUR";
    if !crate::site::currency::is_currency(&x.to) {
        bad(
            "exchange_rates.to".into(),
            format!("`{}` is not a currency code", x.to),
            code_help,
        );
    }
    for (code, rate) in &x.rates {
        let path = format!("exchange_rates.rates.{code}");
        if !crate::site::currency::is_currency(code) {
            bad(
                path.clone(),
                format!("`{code}` is not a currency code"),
                code_help,
            );
        }
        if !(rate.is_finite() && *rate > 0.0) {
            bad(
                path,
                format!("the rate of {code} is {rate}: a rate is a number above 0"),
                "give how many units of `to` one unit of this currency is worth, such as `AZN: 0.588`",
            );
        }
    }
    if let Some(u) = &x.url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        bad(
            "exchange_rates.url".into(),
            format!("`{u}` is not a web address"),
            "write the full address, starting with https:// or http://",
        );
    }
    ok
}

/// Checks `languages`: at least one, each a language code, none twice; whether they are right
/// (each problem is reported).
fn check_languages(cfg: &Config, doc: &YamlDoc, diags: &mut Diagnostics) -> bool {
    let file = doc.file;
    let mut ok = true;
    if cfg.languages.is_empty() {
        diags.push(
            Diagnostic::error("bad-config", file, "`languages` is empty")
                .at(doc.locate(&crate::load::yaml::path("languages")))
                .help("list at least one language code, for example `languages: [en]`"),
        );
        ok = false;
    }
    for (i, l) in cfg.languages.iter().enumerate() {
        if !is_lang_code(l) {
            diags.push(
                Diagnostic::error("bad-config", file, format!("`{l}` is not a language code"))
                    .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]"))))
                    .help("use lowercase ISO 639 codes such as `en` or `az`"),
            );
            ok = false;
        }
        if cfg.languages[..i].contains(l) {
            diags.push(
                Diagnostic::error(
                    "bad-config",
                    file,
                    format!("language `{l}` is listed twice"),
                )
                .at(doc.locate(&crate::load::yaml::path(&format!("languages[{i}]"))))
                .help("list each language once"),
            );
            ok = false;
        }
    }
    ok
}
