//! The open-data exports, feeds, sitemap and search index: each is parsed and checked against the
//! records it comes from, the OC4IDS package is validated against the standard's schemas, and the
//! whole output is the same from one build to the next.

mod common;
use common::*;

use berpa::site::model::{Kind, Records, Text};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

const LANGS: [&str; 2] = ["en", "az"];

fn records(root: &std::path::Path) -> Records {
    // With the fields the site declares, as a build reads them.
    let mut cfg_diags = berpa::site::diagnostics::Diagnostics::new();
    let cfg = berpa::load::config::load(root, &mut cfg_diags).expect("site.yaml loads");
    assert_eq!(cfg.languages, LANGS);
    let (recs, diags, _) =
        berpa::load::load_declared(root, &cfg, berpa::load::Narratives::InMemory);
    assert!(!diags.has_errors(), "{diags:?}");
    recs
}

/// The sample site, built once for all the tests of this file.
fn sample() -> &'static berpa::write::OutputSet {
    static OUT: OnceLock<berpa::write::OutputSet> = OnceLock::new();
    OUT.get_or_init(|| build_ok(&repo()))
}

fn json(out: &berpa::write::OutputSet, path: &str) -> Value {
    serde_json::from_slice(
        out.get(path)
            .unwrap_or_else(|| panic!("no file {path} in the output")),
    )
    .unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// A CSV file as (header, rows of column → value).
fn csv_rows(
    out: &berpa::write::OutputSet,
    path: &str,
) -> (Vec<String>, Vec<BTreeMap<String, String>>) {
    let bytes = out
        .get(path)
        .unwrap_or_else(|| panic!("no file {path} in the output"));
    assert!(
        bytes.windows(2).filter(|w| w == b"\r\n").count() >= 1,
        "{path} has CRLF line ends"
    );
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| {
            let rec = rec.unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(rec.len(), header.len(), "{path}: every row is complete");
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The text of `t` in `lang` as the exports give it ("" when not written in that language).
fn text_in(t: &Text, lang: &str) -> String {
    t.all("en").get(lang).cloned().unwrap_or_default()
}

fn num_eq(s: &str, v: f64) -> bool {
    s.parse::<f64>().is_ok_and(|x| x == v)
}

#[test]
fn cities_csv_has_one_row_per_city_with_every_language() {
    let out = sample();
    let recs = records(&repo());
    let (header, rows) = csv_rows(out, "data/cities.csv");
    for col in [
        "id",
        "name_en",
        "name_az",
        "district_en",
        "district_az",
        "lat",
        "lon",
        "status",
    ] {
        assert!(header.contains(&col.to_string()), "cities.csv has {col}");
    }
    assert_eq!(rows.len(), recs.cities.len());
    for (row, city) in rows.iter().zip(&recs.cities) {
        assert_eq!(row["id"], city.id(), "rows are sorted by id");
        assert_eq!(row["name_en"], text_in(&city.data.name, "en"));
        assert_eq!(row["name_az"], text_in(&city.data.name, "az"));
        match city.data.location {
            Some(l) => {
                assert!(num_eq(&row["lat"], l.lat), "{}: lat", city.id());
                assert!(num_eq(&row["lon"], l.lon), "{}: lon", city.id());
            }
            None => assert_eq!((row["lat"].as_str(), row["lon"].as_str()), ("", "")),
        }
        assert_eq!(
            row["status"],
            city.data.status.map(|s| s.code()).unwrap_or_default()
        );
        assert_eq!(row["sources"], city.data.sources.join(";"));
        assert_eq!(
            row["page_url"],
            format!("https://example.org/berpa/cities/{}/", city.id())
        );
    }
    // At least one city has an Azerbaijani name that differs from its English one.
    assert!(rows.iter().any(|r| r["name_az"] != r["name_en"]));
}

#[test]
fn every_collection_csv_and_json_match_the_records() {
    let out = sample();
    let recs = records(&repo());
    for kind in Kind::ALL {
        let ids: Vec<&str> = recs.ids(kind);
        let (_, rows) = csv_rows(out, &format!("data/{}.csv", kind.dir()));
        let csv_ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
        assert_eq!(csv_ids, ids, "{} CSV", kind.dir());
        let j = json(out, &format!("data/{}.json", kind.dir()));
        assert_eq!(j["collection"], kind.dir());
        assert_eq!(j["data_as_of"], "2026-11-27");
        assert_eq!(j["licence"]["name"], "CC BY 4.0");
        let items = j["records"].as_array().unwrap();
        let json_ids: Vec<&str> = items.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(json_ids, ids, "{} JSON", kind.dir());
        for item in items {
            let id = item["id"].as_str().unwrap();
            assert_eq!(item["kind"], kind.name());
            // The record's own file is the same object, beside its page.
            assert_eq!(
                &json(out, &format!("{}/{id}.json", kind.dir())),
                item,
                "{}/{id}.json",
                kind.dir()
            );
            assert!(out.contains(&format!("{}/{id}/index.html", kind.dir())));
        }
    }
    // Text keeps its language map.
    let cities = json(out, "data/cities.json");
    let lachin = cities["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "lachin")
        .unwrap();
    assert_eq!(lachin["name"]["en"], "Lachin");
    assert_eq!(lachin["name"]["az"], "Laçın");
    assert_eq!(lachin["location"]["lat"], 39.6408);
    // Every observation is a row, with its own source.
    let (_, obs) = csv_rows(out, "data/observations.csv");
    let total: usize = recs
        .indicators
        .iter()
        .map(|i| i.data.observations.len())
        .sum();
    assert_eq!(obs.len(), total);
    let source_ids: BTreeSet<&str> = recs.ids(Kind::Source).into_iter().collect();
    for o in &obs {
        assert!(source_ids.contains(o["source"].as_str()), "{o:?}");
    }
}

#[test]
fn geojson_is_lon_lat_and_matches_the_records() {
    let out = sample();
    let recs = records(&repo());
    let cities = json(out, "data/cities.geojson");
    assert_eq!(cities["type"], "FeatureCollection");
    let features = cities["features"].as_array().unwrap();
    let located: Vec<_> = recs
        .cities
        .iter()
        .filter(|c| c.data.location.is_some())
        .collect();
    assert_eq!(features.len(), located.len());
    for (f, c) in features.iter().zip(located) {
        let l = c.data.location.unwrap();
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["id"], c.id());
        assert_eq!(f["geometry"]["type"], "Point");
        assert_eq!(
            f["geometry"]["coordinates"],
            serde_json::json!([l.lon, l.lat]),
            "{}: RFC 7946 positions are [longitude, latitude]",
            c.id()
        );
        assert_eq!(f["properties"]["name_en"], text_in(&c.data.name, "en"));
        assert_eq!(f["properties"]["name_az"], text_in(&c.data.name, "az"));
    }
    let roads = json(out, "data/roads.geojson");
    let features = roads["features"].as_array().unwrap();
    assert_eq!(features.len(), recs.roads.len());
    let mut lines = 0;
    for (f, r) in features.iter().zip(&recs.roads) {
        assert_eq!(f["id"], r.id());
        if f["geometry"].is_null() {
            continue;
        }
        lines += 1;
        assert_eq!(f["geometry"]["type"], "LineString");
        let pts = f["geometry"]["coordinates"].as_array().unwrap();
        assert!(pts.len() >= 2);
        for p in pts {
            let (lon, lat) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
            // The sample's places are near 46–47° E, 39–40° N.
            assert!(
                (44.0..=51.0).contains(&lon) && (38.0..=42.0).contains(&lat),
                "{p}"
            );
        }
        // A line drawn from the settlements starts at the first one that has a location.
        if r.data.geometry.len() < 2 {
            assert_eq!(f["properties"]["line_from"], "settlements");
            let first = std::iter::once(&r.data.from)
                .chain(&r.data.via)
                .find_map(|id| recs.city(id).and_then(|c| c.data.location))
                .unwrap();
            assert_eq!(pts[0], serde_json::json!([first.lon, first.lat]));
        }
    }
    assert!(lines > 0, "some road is drawn");
}

#[test]
fn datapackage_describes_every_file() {
    let out = sample();
    let dp = json(out, "data/datapackage.json");
    assert_eq!(dp["profile"], "data-package");
    assert_eq!(dp["data_as_of"], "2026-11-27");
    assert_eq!(dp["created"], "2026-11-27T00:00:00Z");
    assert_eq!(dp["licenses"][0]["name"], "CC-BY-4.0");
    assert_eq!(
        dp["licenses"][0]["path"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
    assert_eq!(dp["contributors"][0]["role"], "publisher");
    let resources = dp["resources"].as_array().unwrap();
    let names: BTreeSet<&str> = resources
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), resources.len(), "resource names are unique");
    // Every data file is a resource, and every resource is a file of the stated size.
    let files: BTreeSet<String> = out
        .iter()
        .map(|(p, _)| p.to_string())
        .filter(|p| p.starts_with("data/") && p != "data/datapackage.json" && !p.ends_with(".html"))
        .collect();
    let described: BTreeSet<String> = resources
        .iter()
        .map(|r| format!("data/{}", r["path"].as_str().unwrap()))
        .collect();
    assert_eq!(files, described);
    // `schema` is a Table Schema, on the tables only (Frictionless reads any `schema` as one);
    // the OC4IDS package names its JSON Schema, the standard's published one, in `jsonSchema`.
    for r in resources {
        let tabular = r["profile"] == "tabular-data-resource";
        assert_eq!(tabular, r["format"] == "csv", "{}", r["name"]);
        assert_eq!(
            r["schema"]["fields"].is_array(),
            tabular,
            "{}: a Table Schema on the tables only",
            r["name"]
        );
        assert!(tabular || r.get("schema").is_none(), "{}", r["name"]);
    }
    let oc4ids = resources.iter().find(|r| r["name"] == "oc4ids").unwrap();
    let vendored: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/oc4ids/0.9.5/project-package-schema.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(oc4ids["jsonSchema"], vendored["id"]);
    assert_eq!(oc4ids["profile"], "data-resource");
    for r in resources {
        let path = format!("data/{}", r["path"].as_str().unwrap());
        assert_eq!(
            r["bytes"].as_u64().unwrap() as usize,
            out.get(&path).unwrap().len(),
            "{path}"
        );
        assert!(
            !r["description"].as_str().unwrap_or("").is_empty(),
            "{path}"
        );
        if r["format"] == "csv" {
            let (header, rows) = csv_rows(out, &path);
            let fields = r["schema"]["fields"].as_array().unwrap();
            let field_names: Vec<&str> =
                fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
            assert_eq!(header, field_names, "{path}: the schema lists every column");
            for f in fields {
                assert!(!f["description"].as_str().unwrap().is_empty());
                let ty = f["type"].as_str().unwrap();
                let name = f["name"].as_str().unwrap();
                for row in &rows {
                    let v = &row[name];
                    if v.is_empty() {
                        continue;
                    }
                    match ty {
                        "number" => assert!(v.parse::<f64>().is_ok(), "{path} {name}: {v}"),
                        "integer" => assert!(v.parse::<i64>().is_ok(), "{path} {name}: {v}"),
                        "boolean" => assert!(v == "true" || v == "false", "{path} {name}"),
                        _ => {}
                    }
                    if f["constraints"]["pattern"].is_string() {
                        let ok = v.len() >= 4
                            && v.split('-').count() <= 3
                            && v.split('-').all(|p| p.bytes().all(|b| b.is_ascii_digit()));
                        assert!(ok, "{path} {name}: {v} is a date");
                    }
                }
            }
            // Foreign keys point at rows that exist.
            for fk in r["schema"]["foreignKeys"].as_array().into_iter().flatten() {
                let field = fk["fields"][0].as_str().unwrap();
                let target = fk["reference"]["resource"].as_str().unwrap();
                let (_, target_rows) = csv_rows(out, &format!("data/{target}.csv"));
                let ids: BTreeSet<&str> = target_rows.iter().map(|t| t["id"].as_str()).collect();
                for row in &rows {
                    let v = row[field].as_str();
                    assert!(
                        v.is_empty() || ids.contains(v),
                        "{path} {field} → {target}: {v}"
                    );
                }
            }
        }
    }
}

fn oc4ids_validators(
    dir: &std::path::Path,
) -> Option<(jsonschema::Validator, jsonschema::Validator)> {
    let read = |name: &str| -> Option<Value> {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        Some(serde_json::from_str(&text).expect("schema is JSON"))
    };
    let project = read("project-schema.json")?;
    let package = read("project-package-schema.json")?;
    let project_id = project["id"].as_str().unwrap().to_string();
    // The package's `$ref` to the project schema resolves here, never over the network.
    let registry = jsonschema::Registry::new()
        .add(&project_id, project.clone())
        .unwrap()
        .prepare()
        .unwrap();
    let package_v = jsonschema::draft4::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&package)
        .expect("the package schema compiles");
    let project_v = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&project)
        .expect("the project schema compiles");
    Some((package_v, project_v))
}

/// Project ids begin with the publisher's OC4IDS prefix from site.yaml (validated against the
/// standard's pattern); without one the build warns, naming site.yaml and what to add.
#[test]
fn oc4ids_ids_come_from_the_registered_prefix() {
    let pkg = json(sample(), "data/oc4ids.json");
    let ids: Vec<&str> = pkg["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() > 5);
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "ids are unique"
    );
    for id in &ids {
        let local = id
            .strip_prefix("oc4ids-sample-")
            .unwrap_or_else(|| panic!("{id}"));
        assert!(
            local.starts_with("road-") || local.starts_with("project-"),
            "{id}"
        );
    }
    assert!(ids.contains(&"oc4ids-sample-road-victory-road"), "{ids:?}");
    let warned = |root: &std::path::Path| -> Vec<berpa::site::diagnostics::Diagnostic> {
        let b = berpa::build_in_memory(&berpa::Options {
            root: root.to_path_buf(),
            ..Default::default()
        });
        b.diagnostics
            .items()
            .iter()
            .filter(|d| d.code == "no-oc4ids-prefix")
            .cloned()
            .collect()
    };
    assert!(warned(&repo()).is_empty(), "the sample sets a prefix");
    assert!(
        warned(&fixture("mini")).is_empty(),
        "the fixture sets a prefix"
    );
    // Without one: a warning on site.yaml, and the ids are the records' page addresses.
    let (_t, site) = fixture_copy("mini");
    let cfg: String = std::fs::read_to_string(site.join("site.yaml"))
        .unwrap()
        .lines()
        .filter(|l| !l.contains("oc4ids"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(site.join("site.yaml"), &cfg).unwrap();
    let w = warned(&site);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].severity, berpa::site::diagnostics::Severity::Warning);
    assert_eq!((w[0].file.as_str(), w[0].line), ("site.yaml", 1));
    let help = w[0].help.as_deref().unwrap();
    assert!(help.contains("oc4ids_prefix: oc4ids-"), "{help}");
    let pkg = json(&build_ok(&site), "data/oc4ids.json");
    let ids: BTreeSet<&str> = pkg["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from([
            "https://example.test/sub/path/projects/alpha-school/",
            "https://example.test/sub/path/roads/alpha-beta/"
        ])
    );
    // A prefix of the wrong shape is an error at its line and column.
    for bad in [
        "oc4ids-ABC123",
        "oc4ids-abc12",
        "ocds-abc123",
        "oc4ids-abc1234",
    ] {
        std::fs::write(
            site.join("site.yaml"),
            format!("{cfg}oc4ids_prefix: {bad}\n"),
        )
        .unwrap();
        let b = berpa::build_in_memory(&berpa::Options {
            root: site.clone(),
            ..Default::default()
        });
        assert!(b.output.is_none(), "{bad}: the build fails");
        let d = b
            .diagnostics
            .items()
            .iter()
            .find(|d| d.code == "bad-config")
            .unwrap_or_else(|| panic!("{bad}: {:?}", b.diagnostics));
        assert_eq!(d.file, "site.yaml");
        let line = cfg.lines().count() + 1;
        assert_eq!((d.line, d.column), (line, 16), "{bad}");
        assert!(d.message.contains(bad), "{}", d.message);
    }
}

#[test]
fn oc4ids_package_validates_against_the_vendored_schemas() {
    let dir = repo().join("schemas/oc4ids/0.9.5");
    let Some((package_v, project_v)) = oc4ids_validators(&dir) else {
        panic!("the OC4IDS schemas are missing from {}", dir.display());
    };
    // The validators do reject what the standard forbids (a closed code, a date without time,
    // a project given through the package's $ref).
    let mut bad = json(sample(), "data/oc4ids.json");
    bad["publishedDate"] = "2026-11-27".into();
    assert!(!package_v.is_valid(&bad), "date-time format is checked");
    let mut bad = json(sample(), "data/oc4ids.json");
    bad["projects"][0]["status"] = "finished".into();
    assert!(
        !package_v.is_valid(&bad),
        "project schema is applied via $ref"
    );
    assert!(!project_v.is_valid(&bad["projects"][0]));
    for (out, root) in [
        (sample().clone(), repo()),
        (build_ok(&fixture("mini")), fixture("mini")),
        // Budgets, contract values and final costs (made-up amounts).
        (build_ok(&fixture("money")), fixture("money")),
        // Fields the site declares, as additional fields (invented values).
        (build_ok(&fixture("declared")), fixture("declared")),
    ] {
        let recs = records(&root);
        let pkg = json(&out, "data/oc4ids.json");
        let errors: Vec<String> = package_v
            .iter_errors(&pkg)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "package: {errors:#?}");
        let projects = pkg["projects"].as_array().unwrap();
        assert_eq!(projects.len(), recs.roads.len() + recs.projects.len());
        for p in projects {
            let errors: Vec<String> = project_v
                .iter_errors(p)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", p["id"]);
        }
        // Ids, titles, sectors and parties follow the records; ids are built from each site's
        // (invented) OC4IDS prefix.
        let id = |kind: &str, rid: &str| {
            if root == repo() {
                format!("oc4ids-sample-{kind}-{rid}")
            } else {
                format!("oc4ids-test00-{kind}-{rid}")
            }
        };
        for r in &recs.roads {
            let p = projects
                .iter()
                .find(|p| p["id"] == id("road", r.id()))
                .unwrap_or_else(|| panic!("road {} is a project", r.id()));
            assert_eq!(p["title"], r.data.name.in_lang("en", "en"));
            assert_eq!(
                p["sector"],
                serde_json::json!(["transport", "transport.road"])
            );
            assert_eq!(p["type"], "construction");
            let docs: Vec<&str> = p["documents"]
                .as_array()
                .map(|d| d.iter().map(|x| x["id"].as_str().unwrap()).collect())
                .unwrap_or_default();
            assert_eq!(
                docs,
                r.data
                    .sources
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
            );
        }
        for pr in &recs.projects {
            let p = projects
                .iter()
                .find(|p| p["id"] == id("project", pr.id()))
                .unwrap();
            let funders: Vec<&str> = p["parties"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|x| x["roles"] == serde_json::json!(["funder"]))
                .map(|x| x["id"].as_str().unwrap())
                .collect();
            let want: Vec<String> = pr
                .data
                .partners
                .iter()
                .map(|x| format!("partner-{x}"))
                .collect();
            assert_eq!(funders, want, "{}", pr.id());
            if let Some(b) = &pr.data.budget {
                assert_eq!(p["budget"]["amount"]["amount"], b.amount);
                assert_eq!(p["budget"]["amount"]["currency"], b.currency.as_str());
            }
            if let Some(f) = &pr.data.final_cost {
                assert_eq!(p["completion"]["finalValue"]["amount"], f.amount);
                assert_eq!(
                    p["completion"]["finalValue"]["currency"],
                    f.currency.as_str()
                );
            }
            match &pr.data.contract_value {
                Some(c) => {
                    let v = &p["contractingProcesses"][0]["summary"]["contractValue"];
                    assert_eq!(v["amount"], c.amount);
                    assert_eq!(v["currency"], c.currency.as_str());
                }
                None => assert!(p.get("contractingProcesses").is_none()),
            }
        }
    }
    // The fixture's school: a completed education project with a funder and a located city.
    let mini = json(&build_ok(&fixture("mini")), "data/oc4ids.json");
    let school = mini["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Alpha school")
        .unwrap();
    assert_eq!(school["status"], "completion");
    assert_eq!(school["sector"], serde_json::json!(["education"]));
    assert_eq!(school["title_az"], "Alfa məktəbi");
    assert_eq!(school["period"]["startDate"], "2022-03-07T00:00:00Z");
    assert_eq!(school["completion"]["endDate"], "2023-08-23T00:00:00Z");
    assert_eq!(
        school["locations"][0]["geometry"]["coordinates"],
        serde_json::json!([46.2, 40.1])
    );
    assert_eq!(school["parties"][0]["name"], "Friendland");
    assert_eq!(school["parties"][0]["name_az"], "Dostland");
}

fn xml(out: &berpa::write::OutputSet, path: &str) -> String {
    page(out, path)
}

#[test]
fn sitemap_lists_every_page_in_both_languages() {
    let out = sample();
    let text = xml(out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(doc.root_element().tag_name().namespace(), Some(ns));
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages: BTreeSet<String> = out
        .iter()
        .map(|(p, _)| p)
        // Every page but the charts' embed pages (copies of their pages for other sites' frames).
        .filter(|p| p.ends_with("index.html") && !p.ends_with("/embed/index.html"))
        .map(|p| {
            format!(
                "https://example.org/berpa/{}",
                p.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(locs, pages);
    for want in [
        "https://example.org/berpa/cities/lachin/",
        "https://example.org/berpa/az/cities/lachin/",
        "https://example.org/berpa/data/",
        "https://example.org/berpa/az/updates/",
        "https://example.org/berpa/charts/indicator-progress/",
        "https://example.org/berpa/az/charts/mine-casualties/",
    ] {
        assert!(locs.contains(want), "{want}");
    }
    // Each address names its versions in every language.
    let url = doc
        .descendants()
        .find(|n| {
            n.has_tag_name((ns, "url"))
                && n.children().any(|c| {
                    c.has_tag_name((ns, "loc"))
                        && c.text() == Some("https://example.org/berpa/az/cities/lachin/")
                })
        })
        .unwrap();
    let alts: Vec<(&str, &str)> = url
        .children()
        .filter(|c| c.has_tag_name(("http://www.w3.org/1999/xhtml", "link")))
        .map(|c| {
            (
                c.attribute("hreflang").unwrap(),
                c.attribute("href").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        alts,
        [
            ("en", "https://example.org/berpa/cities/lachin/"),
            ("az", "https://example.org/berpa/az/cities/lachin/")
        ]
    );
    let robots = page(out, "robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/berpa/sitemap.xml"));
}

#[test]
fn atom_feeds_parse_and_list_every_update() {
    for root in [repo(), fixture("mini")] {
        let out = if root == repo() {
            sample().clone()
        } else {
            build_ok(&root)
        };
        let recs = records(&root);
        let total = berpa::link::all_history(&recs).len();
        for (lang, path) in [("en", "feed.xml"), ("az", "az/feed.xml")] {
            let text = xml(&out, path);
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{path} is not XML: {e}"));
            let atom = "http://www.w3.org/2005/Atom";
            let feed = doc.root_element();
            assert!(feed.has_tag_name((atom, "feed")));
            assert_eq!(
                feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                Some(lang)
            );
            for required in ["id", "title", "updated", "author"] {
                assert!(
                    feed.children().any(|c| c.has_tag_name((atom, required))),
                    "{path} has {required}"
                );
            }
            let entries: Vec<_> = feed
                .children()
                .filter(|c| c.has_tag_name((atom, "entry")))
                .collect();
            assert_eq!(entries.len(), total, "{path}");
            let mut ids = BTreeSet::new();
            let mut last = String::new();
            for e in &entries {
                let id = e
                    .children()
                    .find(|c| c.has_tag_name((atom, "id")))
                    .and_then(|c| c.text())
                    .unwrap();
                assert!(ids.insert(id.to_string()), "entry ids are unique: {id}");
                let updated = e
                    .children()
                    .find(|c| c.has_tag_name((atom, "updated")))
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_string();
                assert!(last.is_empty() || updated <= last, "newest first");
                last = updated;
                let link = e
                    .children()
                    .find(|c| c.has_tag_name((atom, "link")))
                    .and_then(|c| c.attribute("href"))
                    .unwrap();
                let rel = link
                    .split_once("/berpa/")
                    .or_else(|| link.split_once("/sub/path/"))
                    .unwrap()
                    .1
                    .trim_end_matches("#history");
                assert!(out.contains(&format!("{rel}index.html")), "{link}");
            }
        }
    }
    // The fixture's correction is in both feeds, in each language.
    let out = build_ok(&fixture("mini"));
    assert!(page(&out, "feed.xml").contains("Corrected the district."));
    assert!(page(&out, "az/feed.xml").contains("Rayon düzəldildi."));
}

/// Each Atom entry is dated by its own history entry, so entries of records changed on different
/// days differ; the feed's `updated` is its newest entry's (not `data_as_of`, a month later here).
#[test]
fn atom_entries_carry_their_own_dates_and_the_feed_the_newest() {
    let (_t, site) = fixture_copy("mini");
    let beta = site.join("content/cities/beta.yaml");
    let mut text = std::fs::read_to_string(&beta).unwrap();
    text.push_str(
        "history:\n  - {date: 2024-03-05, kind: revision, note: {en: Added the village., az: Kənd əlavə edildi.}}\n",
    );
    std::fs::write(&beta, text).unwrap();
    let out = build_ok(&site);
    for path in ["feed.xml", "az/feed.xml"] {
        let text = xml(&out, path);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let atom = "http://www.w3.org/2005/Atom";
        let updated = |n: roxmltree::Node| -> String {
            n.children()
                .find(|c| c.has_tag_name((atom, "updated")))
                .and_then(|c| c.text())
                .unwrap()
                .to_string()
        };
        let feed = doc.root_element();
        let entries: Vec<(String, String)> = feed
            .children()
            .filter(|c| c.has_tag_name((atom, "entry")))
            .map(|e| {
                let link = e
                    .children()
                    .find(|c| c.has_tag_name((atom, "link")))
                    .and_then(|c| c.attribute("href"))
                    .unwrap();
                (link.to_string(), updated(e))
            })
            .collect();
        let prefix = if path == "feed.xml" { "" } else { "az/" };
        let page = |id: &str| format!("https://example.test/sub/path/{prefix}cities/{id}/#history");
        assert_eq!(
            entries,
            [
                (page("alpha"), "2025-06-01T00:00:00Z".to_string()),
                (page("beta"), "2024-03-05T00:00:00Z".to_string()),
            ],
            "{path}"
        );
        assert_eq!(
            updated(feed),
            "2025-06-01T00:00:00Z",
            "{path}: the newest entry's date"
        );
    }
}

#[test]
fn every_page_links_the_feed_and_every_source_link_resolves() {
    for out in [sample().clone(), build_ok(&fixture("mini"))] {
        assert_eq!(broken_links(&out), Vec::<String>::new());
        let mut source_links = 0;
        for (path, bytes) in out.iter() {
            if !path.ends_with(".html") || common::is_not_found(path) {
                continue;
            }
            let html = String::from_utf8_lossy(bytes);
            // A chart's embed page, framed by other sites, has no site chrome.
            assert!(
                html.contains("type=\"application/atom+xml\"")
                    || path.ends_with("/embed/index.html"),
                "{path} links its feed"
            );
            for href in links(&html) {
                if !href.contains("sources/") || href.starts_with("http") {
                    continue;
                }
                source_links += 1;
                let (target, _) = resolve(path, &href).unwrap();
                assert!(out.contains(&target), "{path}: {href}");
            }
        }
        assert!(source_links > 0);
    }
}

#[test]
fn search_index_has_every_record_in_both_languages() {
    let out = sample();
    let recs = records(&repo());
    for (lang, path, home) in [
        ("en", "search-index.json", ""),
        ("az", "az/search-index.json", "az/"),
    ] {
        let idx = json(out, path);
        assert_eq!(idx["lang"], lang);
        for k in ["search_results_one", "search_results_many", "search_none"] {
            assert!(idx["labels"][k].is_string(), "{path}: {k}");
        }
        let items = idx["records"].as_array().unwrap();
        assert_eq!(items.len(), recs.len(), "{path}");
        let mut seen = BTreeSet::new();
        for it in items {
            let p = it["p"].as_str().unwrap();
            assert!(out.contains(&format!("{home}{p}index.html")), "{path}: {p}");
            seen.insert(p.to_string());
        }
        assert_eq!(seen.len(), recs.len());
        // Collection by collection (in the site's order), each written once.
        let mut dirs: Vec<&str> = items
            .iter()
            .map(|it| it["p"].as_str().unwrap().split('/').next().unwrap())
            .collect();
        dirs.dedup();
        assert_eq!(
            dirs,
            [
                "cities",
                "roads",
                "projects",
                "partners",
                "indicators",
                "sources"
            ],
            "{path}"
        );
        // Lachin is found by either name in either language.
        let lachin = items.iter().find(|i| i["p"] == "cities/lachin/").unwrap();
        let mut names: Vec<&str> = vec![lachin["t"].as_str().unwrap()];
        names.extend(
            lachin["n"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| n.as_str().unwrap()),
        );
        names.sort();
        assert_eq!(names, ["Lachin", "Laçın"], "{path}");
        assert_eq!(lachin["t"], if lang == "en" { "Lachin" } else { "Laçın" });
    }
    // The search script is a file of its own, loaded from every page (no inline script).
    assert!(out.contains("search.js"));
    let home = page(out, "index.html");
    assert!(home.contains("<script src=\"search.js\" defer></script>"));
    assert_eq!(home.matches("<script").count(), 1);
    assert!(home.contains("data-index=\"search-index.json\""));
    let az = page(out, "az/cities/lachin/index.html");
    assert!(az.contains("data-index=\"../../../az/search-index.json\""));
    // Without the script, the form goes to the list of settlements.
    assert!(az.contains("action=\"../../../az/cities/\""));
}

#[test]
fn data_and_updates_pages_exist_in_both_languages() {
    let out = build_ok(&fixture("mini"));
    for lang in ["", "az/"] {
        let data = page(&out, &format!("{lang}data/index.html"));
        for file in [
            "data/cities.csv",
            "data/cities.json",
            "data/cities.geojson",
            "data/roads.geojson",
            "data/observations.csv",
            "data/datapackage.json",
            "data/oc4ids.json",
        ] {
            assert!(data.contains(file), "{lang}data/ links {file}");
            assert!(out.contains(file));
        }
        assert!(data.contains("<code>name_az</code>"));
        assert!(data.contains("CC BY 4.0"));
        let updates = page(&out, &format!("{lang}updates/index.html"));
        assert!(updates.contains("id=\"corrections\""));
        assert!(updates.contains("id=\"revisions\""));
        assert!(updates.contains("cities/alpha/#history"));
        let list = page(&out, &format!("{lang}cities/index.html"));
        assert!(list.contains("data/cities.csv\""));
        assert!(list.contains("data/cities.geojson\""));
        let projects = page(&out, &format!("{lang}projects/index.html"));
        assert!(!projects.contains("projects.geojson"));
    }
    let az = page(&out, "az/data/index.html");
    assert!(az.contains("Açıq məlumatlar"));
}

#[test]
fn exports_escape_what_records_say() {
    let out = build_ok(&fixture("mini"));
    // A name with quotes and markup survives CSV quoting and JSON.
    let (_, rows) = csv_rows(&out, "data/cities.csv");
    let beta = rows.iter().find(|r| r["id"] == "beta").unwrap();
    assert_eq!(beta["name_en"], "Beta\" onmouseover=\"alert(1)");
    let alpha = rows.iter().find(|r| r["id"] == "alpha").unwrap();
    assert_eq!(
        alpha["summary_en"],
        "Alpha <script>alert('summary')</script> & co"
    );
    assert_eq!(alpha["summary_az"], "Alfa şəhəri");
    let j = json(&out, "cities/beta.json");
    assert_eq!(j["name"]["en"], "Beta\" onmouseover=\"alert(1)");
    // The search index is JSON, filled into the page with textContent by the script.
    let idx = page(&out, "search-index.json");
    assert!(serde_json::from_str::<Value>(&idx).is_ok());
    // The feed is well-formed XML whatever the records say.
    assert!(roxmltree::Document::parse(&page(&out, "feed.xml")).is_ok());
}

#[test]
fn output_is_identical_across_builds() {
    let a = build_ok(&fixture("mini"));
    let b = build_ok(&fixture("mini"));
    assert!(a == b, "two builds of the fixture differ");
    let c = build_ok(&repo());
    assert!(&c == sample(), "two builds of the sample differ");
}

/// Every JSON file of the open data (the collections, GeoJSON, OC4IDS, each record's own) is
/// laid out the same way, whichever way it was made: keys in sorted order, two-space indents,
/// as `serde_json` pretty-prints the same document, and a final newline.
#[test]
fn every_json_export_is_printed_one_way() {
    for out in [sample().clone(), build_ok(&fixture("mini"))] {
        let mut n = 0;
        for (path, bytes) in out.iter() {
            let data = path.starts_with("data/") || path.starts_with("az/data/");
            let record = path.matches('/').count() == 1 && path.ends_with(".json") && !data;
            if !((data && (path.ends_with(".json") || path.ends_with(".geojson"))) || record) {
                continue;
            }
            if path.ends_with("search-index.json") {
                continue;
            }
            let v: Value =
                serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"));
            let mut again = serde_json::to_vec_pretty(&v).unwrap();
            again.push(b'\n');
            assert!(
                bytes == again.as_slice(),
                "{path} is not laid out as the others are"
            );
            n += 1;
        }
        assert!(n > 10, "only {n} JSON files checked");
    }
}

#[test]
fn docs_describe_every_column() {
    let mut diags = berpa::site::diagnostics::Diagnostics::new();
    let cfg = berpa::load::config::load(&repo(), &mut diags).expect("site.yaml");
    let docs = std::fs::read_to_string(repo().join("docs/data.md")).unwrap();
    for t in berpa::export::data::tables(&cfg, &berpa::site::model::fields::FieldTable::builtin()) {
        assert!(
            docs.contains(&format!("{}.csv", t.name)),
            "docs/data.md: {}",
            t.name
        );
        for c in &t.columns {
            let name = match c.lang {
                Some(_) => format!("`{}_<lang>`", c.field),
                None => format!("`{}`", c.name),
            };
            assert!(
                docs.contains(&name),
                "docs/data.md describes {} {name}",
                t.name
            );
        }
    }
}

/// Whether every line of a CSV file ends with CRLF (line breaks inside a quoted field are the
/// field's own), the last one included.
fn lines_end_with_crlf(bytes: &[u8]) -> bool {
    let mut quoted = false;
    let mut prev = 0u8;
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted && prev != b'\r' => return false,
            _ => {}
        }
        prev = b;
    }
    bytes.ends_with(b"\r\n")
}

/// Every CSV file of the site (the open data and each chart's data) is written one way: a
/// partner named like a spreadsheet formula reaches a chart's CSV as inert text, and every line
/// ends with CRLF. (Chart CSVs once wrote text cells raw, with bare LF line ends.)
#[test]
fn every_csv_is_safe_to_open_in_a_spreadsheet() {
    let (_t, site) = fixture_copy("mini");
    let evil = "=HYPERLINK(\"http://evil.example\",\"x\")";
    let p = site.join("content/partners/friendland.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    let text = text.replace(
        "name: {en: Friendland, az: Dostland}",
        &format!("name: {{en: '{evil}', az: '@Dostland'}}"),
    );
    std::fs::write(&p, text).unwrap();
    let out = build_ok(&site);
    for (path, want) in [
        ("charts/projects-by-partner.csv", format!("'{evil}")),
        (
            "az/charts/projects-by-partner.csv",
            "'@Dostland".to_string(),
        ),
        ("data/partners.csv", format!("'{evil}")),
    ] {
        let (_, rows) = csv_rows(&out, path);
        let cells: Vec<&String> = rows.iter().flat_map(|r| r.values()).collect();
        assert!(cells.contains(&&want), "{path}: {want} not in {cells:?}");
        assert!(
            cells
                .iter()
                .all(|c| !c.starts_with(['=', '@', '+', '\t', '\r'])),
            "{path}: {cells:?}"
        );
    }
    let mut n = 0;
    for out in [&out, sample()] {
        for (path, bytes) in out.iter().filter(|(p, _)| p.ends_with(".csv")) {
            assert!(
                lines_end_with_crlf(bytes),
                "{path} has a line not ending in CRLF"
            );
            n += 1;
        }
    }
    assert!(n > 20, "{n} CSV files");
}
