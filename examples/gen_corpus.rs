//! Writes a synthetic berpa site for benchmarks, and optionally the same records as a Hugo site.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --n 10000 --out /tmp/corpus [--hugo /tmp/corpus-hugo] [--seed 1] [--languages en]
//! ```
//!
//! For N settlements the corpus holds N settlements (`.md`, with an Azerbaijani `.az.md`
//! narrative beside each), 2N roads (`.yaml`), 3N projects (`.md` + `.az.md`), 4 partners,
//! 1 source and 2 indicators with observations, so 6N + 7 records. Every text field is given in
//! English and Azerbaijani, every record cites the one source, and nothing is real: the site's
//! title says "Synthetic benchmark corpus — generated, not real data" and every narrative
//! starts by saying it is synthetic. With `--languages en` the same records are written in
//! English only (no `.az.md` files, plain text fields, `languages: [en]`): one page per record,
//! the issue's "60,000 record pages" at N = 10,000. The records are the same either way.
//!
//! The output depends only on `--n`, `--seed` and `--languages` (a hand-written SplitMix64
//! generator; no clock, no hash-map order). The output folders are replaced if they exist and
//! hold a `.gen-corpus` marker; a non-empty folder without it is refused.
//!
//! With `--hugo DIR` the same records are written as a Hugo site (the same languages, one page
//! per record and language with the same fields as front matter and the same Markdown bodies,
//! single and list templates that show the same fields); see docs/benchmarks.md for what each
//! generator produces. `--hugo-paginate K` paginates Hugo's list pages by K (default: one page
//! per section, as berpa's lists are today).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Deterministic randomness

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next_u64(&mut self) -> u64 {
        // SplitMix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A whole number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() >> 11) % n as u64) as usize
    }
    fn range(&mut self, lo: usize, hi_incl: usize) -> usize {
        lo + self.below(hi_incl - lo + 1)
    }
    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, s: &'a [T]) -> &'a T {
        &s[self.below(s.len())]
    }
    /// Picks by weight.
    fn weighted<'a, T>(&mut self, s: &'a [(T, u32)]) -> &'a T {
        let total: u32 = s.iter().map(|(_, w)| w).sum();
        let mut r = self.below(total as usize) as u32;
        for (v, w) in s {
            if r < *w {
                return v;
            }
            r -= w;
        }
        &s[s.len() - 1].0
    }
}

// ---------------------------------------------------------------------------------------------
// Words

const SYLLABLES: &[&str] = &[
    "ba", "da", "gar", "li", "ma", "zan", "ku", "shi", "ra", "nov", "te", "sa", "gil", "bek", "lu",
    "ar", "han", "ker", "do", "ol", "ve", "chi", "gha", "min", "tal", "yur", "es", "qa", "bil",
    "sor",
];
const SUFFIXES: &[&str] = &["", "", "", "li", "abad", "kend", "lar", "ovka", "chay"];

const EN_WORDS: &[&str] = &[
    "road",
    "school",
    "homes",
    "village",
    "district",
    "works",
    "water",
    "power",
    "line",
    "families",
    "clinic",
    "bridge",
    "survey",
    "plan",
    "stage",
    "design",
    "contract",
    "budget",
    "report",
    "figure",
    "site",
    "land",
    "field",
    "clearance",
    "residents",
    "return",
    "centre",
    "network",
    "supply",
    "station",
    "repair",
    "building",
    "street",
    "square",
    "park",
    "market",
    "farm",
    "orchard",
    "pipe",
    "cable",
    "heating",
    "roof",
    "wall",
    "window",
    "yard",
    "record",
    "month",
    "year",
    "season",
    "team",
    "crew",
    "engineer",
    "inspection",
    "permit",
    "start",
    "finish",
    "opening",
    "delay",
    "progress",
    "count",
    "new",
    "old",
    "first",
    "second",
    "main",
    "local",
    "public",
    "small",
    "large",
    "north",
    "south",
    "east",
    "west",
    "the",
    "a",
    "of",
    "in",
    "for",
    "with",
    "and",
    "after",
    "before",
    "near",
];
const AZ_WORDS: &[&str] = &[
    "yol",
    "məktəb",
    "evlər",
    "kənd",
    "rayon",
    "işlər",
    "su",
    "enerji",
    "xətt",
    "ailələr",
    "klinika",
    "körpü",
    "tədqiqat",
    "plan",
    "mərhələ",
    "layihə",
    "müqavilə",
    "büdcə",
    "hesabat",
    "rəqəm",
    "sahə",
    "torpaq",
    "tarla",
    "təmizləmə",
    "sakinlər",
    "qayıdış",
    "mərkəz",
    "şəbəkə",
    "təchizat",
    "stansiya",
    "təmir",
    "bina",
    "küçə",
    "meydan",
    "park",
    "bazar",
    "ferma",
    "bağ",
    "boru",
    "kabel",
    "istilik",
    "dam",
    "divar",
    "pəncərə",
    "həyət",
    "qeyd",
    "ay",
    "il",
    "mövsüm",
    "komanda",
    "briqada",
    "mühəndis",
    "yoxlama",
    "icazə",
    "başlanğıc",
    "bitiş",
    "açılış",
    "gecikmə",
    "irəliləyiş",
    "say",
    "yeni",
    "köhnə",
    "birinci",
    "ikinci",
    "əsas",
    "yerli",
    "ictimai",
    "kiçik",
    "böyük",
    "şimal",
    "cənub",
    "şərq",
    "qərb",
    "və",
    "ilə",
    "üçün",
    "sonra",
    "əvvəl",
    "yaxın",
];

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// A made-up place name, and its Azerbaijani spelling.
fn place_name(rng: &mut Rng) -> (String, String) {
    let n = rng.range(2, 3);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(rng.pick::<&str>(SYLLABLES));
    }
    s.push_str(rng.pick::<&str>(SUFFIXES));
    let en = capitalise(&s);
    let az = capitalise(
        &s.replace("sh", "ş")
            .replace("ch", "ç")
            .replace("gh", "ğ")
            .replace("kend", "kənd")
            .replace("e", "ə"),
    );
    (en, az)
}

fn sentence(rng: &mut Rng, words: &[&str]) -> String {
    let n = rng.range(8, 15);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick::<&str>(words));
    }
    capitalise(&s) + "."
}

fn paragraph(rng: &mut Rng, words: &[&str]) -> String {
    let n = rng.range(3, 6);
    let mut p = String::new();
    for i in 0..n {
        if i > 0 {
            p.push(' ');
        }
        p.push_str(&sentence(rng, words));
    }
    wrap(&p)
}

/// Wraps text at about 100 columns, as a person would write Markdown.
fn wrap(s: &str) -> String {
    let mut out = String::new();
    let mut col = 0;
    for w in s.split(' ') {
        if col > 0 && col + 1 + w.chars().count() > 100 {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(w);
        col += w.chars().count();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Dates (always full dates, so both generators show the same thing)

#[derive(Clone, Copy)]
struct Ymd(u32, u32, u32);

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

fn date_between(rng: &mut Rng, y0: u32, y1: u32) -> Ymd {
    Ymd(
        rng.range(y0 as usize, y1 as usize) as u32,
        rng.range(1, 12) as u32,
        rng.range(1, 28) as u32,
    )
}

fn add_months(d: Ymd, m: u32) -> Ymd {
    let total = d.0 * 12 + (d.1 - 1) + m;
    Ymd(total / 12, total % 12 + 1, d.2)
}

/// `updated`: within the year before `data_as_of` (2026-01-15), so no record is stale.
fn updated(rng: &mut Rng) -> Ymd {
    Ymd(2025, rng.range(2, 12) as u32, rng.range(1, 28) as u32)
}

// ---------------------------------------------------------------------------------------------
// YAML helpers

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Whether the corpus is in two languages (English and Azerbaijani) or in English only
/// (`--languages en`). Set once, at the start.
static TWO_LANGUAGES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

fn two_languages() -> bool {
    TWO_LANGUAGES.load(std::sync::atomic::Ordering::Relaxed)
}

/// The languages written, with each one's index into an (English, Azerbaijani) pair.
fn languages() -> &'static [(&'static str, usize)] {
    if two_languages() {
        &[("en", 0), ("az", 1)]
    } else {
        &[("en", 0)]
    }
}

fn text2(en: &str, az: &str) -> String {
    if !two_languages() {
        return q(en);
    }
    format!("{{en: {}, az: {}}}", q(en), q(az))
}

fn list(ids: &[String]) -> String {
    format!("[{}]", ids.join(", "))
}

// ---------------------------------------------------------------------------------------------
// The records

const SOURCE_ID: &str = "synthetic-source";
const PARTNERS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    // id, name en, name az, kind, iso (user-assigned codes: no real country)
    (
        "partner-a",
        "Partner A (synthetic)",
        "Tərəfdaş A (sintetik)",
        "country",
        Some("XA"),
    ),
    (
        "partner-b",
        "Partner B (synthetic)",
        "Tərəfdaş B (sintetik)",
        "country",
        Some("XB"),
    ),
    (
        "partner-c",
        "Partner C Fund (synthetic)",
        "Tərəfdaş C Fondu (sintetik)",
        "organisation",
        None,
    ),
    (
        "partner-d",
        "Partner D Agency (synthetic)",
        "Tərəfdaş D Agentliyi (sintetik)",
        "organisation",
        None,
    ),
];
const REGIONS: &[(&str, &str)] = &[
    ("North Region", "Şimal regionu"),
    ("South Region", "Cənub regionu"),
];
const CITY_KINDS: &[(&str, u32)] = &[("city", 10), ("town", 25), ("village", 65)];
const CITY_STATUSES: &[(Option<&str>, u32)] = &[
    (Some("planned"), 38),
    (Some("under-reconstruction"), 35),
    (Some("resettled"), 22),
    (None, 5),
];
const ROAD_STATUSES: &[(&str, u32)] = &[("planned", 30), ("under-construction", 40), ("open", 30)];
const SECTORS: &[&str] = &[
    "education",
    "health",
    "culture",
    "housing",
    "transport",
    "aviation",
    "energy",
    "water",
    "agriculture",
    "demining",
    "other",
];
const SECTOR_NAMES: &[(&str, &str)] = &[
    ("School", "Məktəb"),
    ("Clinic", "Klinika"),
    ("Culture centre", "Mədəniyyət mərkəzi"),
    ("Housing block", "Yaşayış binası"),
    ("Bus station", "Avtovağzal"),
    ("Airfield", "Aerodrom"),
    ("Substation", "Yarımstansiya"),
    ("Water supply", "Su təchizatı"),
    ("Agropark", "Aqropark"),
    ("Mine clearance", "Minatəmizləmə"),
    ("Public works", "İctimai işlər"),
];
const PROJECT_STATUSES: &[(&str, u32)] = &[
    ("planned", 25),
    ("in-progress", 35),
    ("completed", 35),
    ("cancelled", 5),
];
const CONTRACTORS: &[(&str, &str)] = &[
    ("Synthetic Builders 1", "Sintetik İnşaatçılar 1"),
    ("Synthetic Builders 2", "Sintetik İnşaatçılar 2"),
    ("Synthetic Roads Co.", "Sintetik Yollar MMC"),
    ("Synthetic Engineering", "Sintetik Mühəndislik"),
    ("Synthetic Utilities", "Sintetik Kommunal"),
    ("Synthetic Works 6", "Sintetik İşlər 6"),
];
// Lat/lon box: roughly the land of a country the size of Azerbaijan (a national programme);
// the places are invented.
const LAT: (f64, f64) = (38.9, 41.5);
const LON: (f64, f64) = (45.0, 49.0);

struct City {
    id: String,
    en: String,
    az: String,
    lat: f64,
    lon: f64,
}

struct Districts(Vec<(String, String)>);

/// One record, as both generators need it.
struct Rec {
    section: &'static str,
    id: String,
    title_en: String,
    title_az: String,
    /// YAML lines of the berpa record's fields (without title/name, summary, sources, updated,
    /// history), in order.
    berpa_fields: String,
    /// The berpa key of the title (`name` or `title`).
    title_key: &'static str,
    summary: (String, String),
    updated: Ymd,
    history: Option<(Ymd, String, String)>,
    body: Option<(String, String)>,
    /// Hugo front matter params (YAML lines), language-specific.
    hugo_en: String,
    hugo_az: String,
}

struct Out {
    berpa: PathBuf,
    hugo: Option<PathBuf>,
    files: usize,
}

impl Out {
    fn write(&mut self, path: &Path, text: &str) {
        fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
        self.files += 1;
    }

    fn record(&mut self, r: &Rec) {
        // berpa
        let mut y = String::with_capacity(1024);
        let _ = writeln!(y, "{}: {}", r.title_key, text2(&r.title_en, &r.title_az));
        y.push_str(&r.berpa_fields);
        let _ = writeln!(y, "summary: {}", text2(&r.summary.0, &r.summary.1));
        let _ = writeln!(y, "sources: [{SOURCE_ID}]");
        let _ = writeln!(y, "updated: {}", r.updated);
        if let Some((d, en, az)) = &r.history {
            let _ = writeln!(
                y,
                "history:\n  - {{date: {d}, kind: revision, note: {}}}",
                text2(en, az)
            );
        }
        let dir = self.berpa.join("content").join(r.section);
        match &r.body {
            Some((en, az)) => {
                self.write(
                    &dir.join(format!("{}.md", r.id)),
                    &format!("---\n{y}---\n{en}"),
                );
                if two_languages() {
                    self.write(&dir.join(format!("{}.az.md", r.id)), az);
                }
            }
            None => self.write(&dir.join(format!("{}.yaml", r.id)), &y),
        }
        // Hugo
        if let Some(h) = self.hugo.clone() {
            let dir = h.join("content").join(r.section);
            let both = [
                ("en", &r.title_en, &r.hugo_en, r.body.as_ref().map(|b| &b.0)),
                ("az", &r.title_az, &r.hugo_az, r.body.as_ref().map(|b| &b.1)),
            ];
            for (lang, title, params, body) in both.into_iter().take(languages().len()) {
                let summary = if lang == "en" {
                    &r.summary.0
                } else {
                    &r.summary.1
                };
                let mut f = String::with_capacity(2048);
                let _ = writeln!(f, "---\ntitle: {}", q(title));
                f.push_str(params);
                let _ = writeln!(f, "summary: {}", q(summary));
                let _ = writeln!(f, "sources: [{SOURCE_ID}]");
                let _ = writeln!(f, "updated: {}", r.updated);
                if let Some((d, en, az)) = &r.history {
                    let note = if lang == "en" { en } else { az };
                    let _ = writeln!(
                        f,
                        "history:\n  - {{date: {d}, kind: revision, note: {}}}",
                        q(note)
                    );
                }
                f.push_str("---\n");
                if let Some(b) = body {
                    f.push_str(b);
                }
                let name = if lang == "en" {
                    format!("{}.md", r.id)
                } else {
                    format!("{}.az.md", r.id)
                };
                self.write(&dir.join(name), &f);
            }
        }
    }
}

fn die(msg: &str) -> ! {
    eprintln!("gen_corpus: {msg}");
    std::process::exit(2)
}

const MARK: &str = ".gen-corpus";

/// Empties `dir` (only if it is ours) and makes it.
fn fresh_dir(dir: &Path) {
    if dir.exists() {
        let empty = fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !dir.join(MARK).exists() {
            die(&format!(
                "{} is not empty and was not written by gen_corpus; remove it or choose another folder",
                dir.display()
            ));
        }
        fs::remove_dir_all(dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    }
    fs::create_dir_all(dir).unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
    fs::write(
        dir.join(MARK),
        "written by examples/gen_corpus.rs; replaced on every run\n",
    )
    .unwrap_or_else(|e| die(&format!("{}: {e}", dir.display())));
}

fn mkdirs(root: &Path, dirs: &[&str]) {
    for d in dirs {
        fs::create_dir_all(root.join(d)).unwrap_or_else(|e| die(&format!("{d}: {e}")));
    }
}

fn fmt_num(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

// ---------------------------------------------------------------------------------------------
// Bodies

fn city_body(rng: &mut Rng, c: &City) -> (String, String) {
    let years = [2022, 2023, 2024, 2025];
    let rows: Vec<(u32, usize, usize, f64)> = years
        .iter()
        .map(|y| {
            (
                *y,
                rng.range(0, 120),
                rng.range(0, 3),
                rng.range(0, 150) as f64 / 10.0,
            )
        })
        .collect();
    let items_en: Vec<String> = (0..rng.range(3, 5))
        .map(|_| sentence(rng, EN_WORDS))
        .collect();
    let items_az: Vec<String> = (0..items_en.len())
        .map(|_| sentence(rng, AZ_WORDS))
        .collect();
    let (p1e, p2e) = (paragraph(rng, EN_WORDS), paragraph(rng, EN_WORDS));
    let (p1a, p2a) = (paragraph(rng, AZ_WORDS), paragraph(rng, AZ_WORDS));
    let mut en = format!(
        "This is a **synthetic** settlement record, generated for a benchmark of berpa; it\n\
         describes no real place.\n\n{p1e}\n\n## Works in {}\n\n| year | homes | schools | roads (km) |\n|---|---:|---:|---:|\n",
        c.en
    );
    let mut az = format!(
        "Bu **sintetik** yaşayış məntəqəsi qeydidir, berpa-nın sınağı üçün yaradılıb; heç bir\n\
         real yeri təsvir etmir.\n\n{p1a}\n\n## {} üzrə işlər\n\n| il | evlər | məktəblər | yollar (km) |\n|---|---:|---:|---:|\n",
        c.az
    );
    for (y, h, s, r) in &rows {
        let _ = writeln!(en, "| {y} | {h} | {s} | {r:.1} |");
        let _ = writeln!(
            az,
            "| {y} | {h} | {s} | {} |",
            format!("{r:.1}").replace('.', ",")
        );
    }
    en.push_str("\nPlanned next:\n\n");
    az.push_str("\nNövbəti planlar:\n\n");
    for i in &items_en {
        let _ = writeln!(en, "- {i}");
    }
    for i in &items_az {
        let _ = writeln!(az, "- {i}");
    }
    let _ = write!(en, "\n{p2e}\n");
    let _ = write!(az, "\n{p2a}\n");
    (en, az)
}

fn project_body(rng: &mut Rng, title_en: &str, title_az: &str) -> (String, String) {
    let stages = rng.range(2, 4);
    let mut rows = Vec::new();
    for i in 0..stages {
        rows.push((i + 1, rng.range(2021, 2026), rng.range(5, 100)));
    }
    let items_en: Vec<String> = (0..rng.range(3, 5))
        .map(|_| sentence(rng, EN_WORDS))
        .collect();
    let items_az: Vec<String> = (0..items_en.len())
        .map(|_| sentence(rng, AZ_WORDS))
        .collect();
    let (p1e, p2e, p3e) = (
        paragraph(rng, EN_WORDS),
        paragraph(rng, EN_WORDS),
        paragraph(rng, EN_WORDS),
    );
    let (p1a, p2a, p3a) = (
        paragraph(rng, AZ_WORDS),
        paragraph(rng, AZ_WORDS),
        paragraph(rng, AZ_WORDS),
    );
    let mut en = format!(
        "This is a **synthetic** project record, generated for a benchmark of berpa;\n\
         \"{title_en}\" is not a real project.\n\n{p1e}\n\n{p2e}\n\n## Stages\n\n| stage | year | share done (%) |\n|---:|---:|---:|\n"
    );
    let mut az = format!(
        "Bu **sintetik** layihə qeydidir, berpa-nın sınağı üçün yaradılıb;\n\
         \"{title_az}\" real layihə deyil.\n\n{p1a}\n\n{p2a}\n\n## Mərhələlər\n\n| mərhələ | il | icra (%) |\n|---:|---:|---:|\n"
    );
    for (s, y, p) in &rows {
        let _ = writeln!(en, "| {s} | {y} | {p} |");
        let _ = writeln!(az, "| {s} | {y} | {p} |");
    }
    en.push_str("\nWhat the works include:\n\n");
    az.push_str("\nİşlərə daxildir:\n\n");
    for i in &items_en {
        let _ = writeln!(en, "- {i}");
    }
    for i in &items_az {
        let _ = writeln!(az, "- {i}");
    }
    let _ = write!(en, "\n{p3e}\n");
    let _ = write!(az, "\n{p3a}\n");
    (en, az)
}

fn maybe_history(rng: &mut Rng, updated: Ymd) -> Option<(Ymd, String, String)> {
    rng.chance(0.05).then(|| {
        (
            updated,
            "Synthetic revision: figures checked again.".to_string(),
            "Sintetik düzəliş: rəqəmlər yenidən yoxlanılıb.".to_string(),
        )
    })
}

// ---------------------------------------------------------------------------------------------

struct Args {
    n: usize,
    out: PathBuf,
    hugo: Option<PathBuf>,
    seed: u64,
    hugo_paginate: usize,
}

fn parse_args() -> Args {
    let mut n = None;
    let mut out = None;
    let mut hugo = None;
    let mut seed = 1;
    let mut hugo_paginate = 0;
    let mut it = std::env::args().skip(1);
    let usage = "usage: gen_corpus --n N --out DIR [--hugo DIR] [--seed S] [--hugo-paginate K] [--languages en,az|en]";
    while let Some(a) = it.next() {
        let mut val = || it.next().unwrap_or_else(|| die(usage));
        match a.as_str() {
            "--n" => {
                n = Some(
                    val()
                        .parse()
                        .unwrap_or_else(|_| die("--n takes a whole number")),
                )
            }
            "--out" => out = Some(PathBuf::from(val())),
            "--hugo" => hugo = Some(PathBuf::from(val())),
            "--seed" => {
                seed = val()
                    .parse()
                    .unwrap_or_else(|_| die("--seed takes a whole number"))
            }
            "--hugo-paginate" => {
                hugo_paginate = val()
                    .parse()
                    .unwrap_or_else(|_| die("--hugo-paginate takes a whole number"))
            }
            "--languages" => match val().as_str() {
                "en,az" | "en, az" => {
                    TWO_LANGUAGES.store(true, std::sync::atomic::Ordering::Relaxed)
                }
                "en" => TWO_LANGUAGES.store(false, std::sync::atomic::Ordering::Relaxed),
                _ => die("--languages takes en,az (both, the default) or en (English only)"),
            },
            "-h" | "--help" => {
                println!("{usage}");
                std::process::exit(0)
            }
            _ => die(usage),
        }
    }
    let n = n.unwrap_or_else(|| die(usage));
    if n < 2 {
        die("--n must be at least 2");
    }
    Args {
        n,
        out: out.unwrap_or_else(|| die(usage)),
        hugo,
        seed,
        hugo_paginate,
    }
}

fn main() {
    let args = parse_args();
    let start = std::time::Instant::now();
    let n = args.n;
    let mut rng = Rng::new(args.seed);
    fresh_dir(&args.out);
    let sections = [
        "cities",
        "roads",
        "projects",
        "partners",
        "sources",
        "indicators",
    ];
    let mut berpa_dirs: Vec<String> = sections.iter().map(|s| format!("content/{s}")).collect();
    berpa_dirs.push("content/pages".into());
    mkdirs(
        &args.out,
        &berpa_dirs.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    if let Some(h) = &args.hugo {
        fresh_dir(h);
        let mut dirs: Vec<String> = sections.iter().map(|s| format!("content/{s}")).collect();
        dirs.extend(
            ["content/places", "content/partner_ids", "i18n", "static"]
                .iter()
                .map(|s| s.to_string()),
        );
        for s in sections {
            dirs.push(format!("layouts/{s}"));
        }
        dirs.push("layouts/_default".into());
        dirs.push("layouts/partials".into());
        mkdirs(h, &dirs.iter().map(String::as_str).collect::<Vec<_>>());
    }
    let mut out = Out {
        berpa: args.out.clone(),
        hugo: args.hugo.clone(),
        files: 0,
    };

    // Site settings.
    out.write(
        &args.out.join("site.yaml"),
        &format!(
            "# Written by examples/gen_corpus.rs (n = {n}, seed = {seed}). Synthetic: nothing here is real.\n\
title: {title}\n\
description: {desc}\n\
base_url: \"https://example.org/berpa-bench/\"\n\
languages: [{langs}]\n\
publisher: {{name: {pubn}, url: \"https://example.org/berpa-bench/\"}}\n\
licence: {{name: \"CC0 1.0\", url: \"https://creativecommons.org/publicdomain/zero/1.0/\"}}\n\
data_as_of: 2026-01-15\n\
oc4ids_prefix: oc4ids-bench0\n\
strict: false\n\
markdown:\n  allow_html: false\n\
dashboard:\n  indicators: [people-returned, area-cleared]\n",
            seed = args.seed,
            langs = languages().iter().map(|l| l.0).collect::<Vec<_>>().join(", "),
            title = text2(
                "Synthetic benchmark corpus — generated, not real data",
                "Sintetik sınaq korpusu — yaradılıb, real məlumat deyil"
            ),
            desc = text2(
                &format!("A synthetic site of {n} settlements, {} roads and {} projects, generated by berpa's benchmark; no record describes anything real.", 2 * n, 3 * n),
                &format!("{n} yaşayış məntəqəsi, {} yol və {} layihədən ibarət sintetik sayt, berpa-nın sınağı üçün yaradılıb; heç bir qeyd real deyil.", 2 * n, 3 * n)
            ),
            pubn = text2("berpa benchmark generator", "berpa sınaq generatoru"),
        ),
    );

    // The source.
    {
        let y = format!(
            "title: {}\npublisher: {}\npublisher_kind: other\nurl: \"https://example.org/berpa-bench/synthetic-source\"\npublished: 2025-12-01\naccessed: 2026-01-10\nlanguage: en\nsummary: {}\nupdated: 2026-01-10\n",
            text2(
                "Synthetic source — generated, not a real publication",
                "Sintetik mənbə — yaradılıb, real nəşr deyil"
            ),
            text2("berpa benchmark generator", "berpa sınaq generatoru"),
            text2(
                "The one source every synthetic record cites. It does not exist.",
                "Bütün sintetik qeydlərin istinad etdiyi yeganə mənbə. O mövcud deyil."
            ),
        );
        out.write(
            &args
                .out
                .join("content/sources")
                .join(format!("{SOURCE_ID}.yaml")),
            &y,
        );
        if let Some(h) = &args.hugo {
            for (lang, title, publisher, summary) in [
                (
                    "en",
                    "Synthetic source — generated, not a real publication",
                    "berpa benchmark generator",
                    "The one source every synthetic record cites. It does not exist.",
                ),
                (
                    "az",
                    "Sintetik mənbə — yaradılıb, real nəşr deyil",
                    "berpa sınaq generatoru",
                    "Bütün sintetik qeydlərin istinad etdiyi yeganə mənbə. O mövcud deyil.",
                ),
            ]
            .into_iter()
            .take(languages().len())
            {
                let name = if lang == "en" {
                    format!("{SOURCE_ID}.md")
                } else {
                    format!("{SOURCE_ID}.az.md")
                };
                let f = format!(
                    "---\ntitle: {}\npublisher: {}\npublisher_kind: other\nlink: \"https://example.org/berpa-bench/synthetic-source\"\npublished: 2025-12-01\naccessed: 2026-01-10\nlanguage: en\nsummary: {}\nupdated: 2026-01-10\n---\n",
                    q(title),
                    q(publisher),
                    q(summary)
                );
                out.write(&h.join("content/sources").join(name), &f);
            }
        }
    }

    // Partners.
    for (id, en, az, kind, iso) in PARTNERS {
        let iso_line = iso.map(|i| format!("iso: {i}\n")).unwrap_or_default();
        let fields = format!("kind: {kind}\n{iso_line}");
        let up = updated(&mut rng);
        out.record(&Rec {
            section: "partners",
            id: id.to_string(),
            title_en: en.to_string(),
            title_az: az.to_string(),
            berpa_fields: fields.clone(),
            title_key: "name",
            summary: (
                format!("{en}: a synthetic partner, generated for the benchmark."),
                format!("{az}: sınaq üçün yaradılmış sintetik tərəfdaş."),
            ),
            updated: up,
            history: None,
            body: None,
            hugo_en: fields.clone(),
            hugo_az: fields,
        });
    }

    // Settlements.
    let districts = Districts(
        (0..(n / 50).clamp(4, 60))
            .map(|_| place_name(&mut rng))
            .collect(),
    );
    let mut cities: Vec<City> = Vec::with_capacity(n);
    for i in 1..=n {
        let (en, az) = place_name(&mut rng);
        let c = City {
            id: format!("s{i:06}"),
            en,
            az,
            lat: LAT.0 + rng.unit() * (LAT.1 - LAT.0),
            lon: LON.0 + rng.unit() * (LON.1 - LON.0),
        };
        let kind = *rng.weighted(CITY_KINDS);
        let status = *rng.weighted(CITY_STATUSES);
        let di = rng.below(districts.0.len());
        let (d_en, d_az) = &districts.0[di];
        let (r_en, r_az) = REGIONS[(c.lat > (LAT.0 + LAT.1) / 2.0) as usize];
        let mut f = String::new();
        let _ = writeln!(f, "kind: {kind}");
        let _ = writeln!(f, "district: {}", text2(d_en, d_az));
        let _ = writeln!(f, "region: {}", text2(r_en, r_az));
        let _ = writeln!(f, "location: {{lat: {:.4}, lon: {:.4}}}", c.lat, c.lon);
        if let Some(s) = status {
            let _ = writeln!(f, "status: {s}");
        }
        let mut h_en = format!(
            "kind: {kind}\ndistrict: {}\nregion: {}\nlocation: {{lat: {:.4}, lon: {:.4}}}\n",
            q(d_en),
            q(r_en),
            c.lat,
            c.lon
        );
        let mut h_az = format!(
            "kind: {kind}\ndistrict: {}\nregion: {}\nlocation: {{lat: {:.4}, lon: {:.4}}}\n",
            q(d_az),
            q(r_az),
            c.lat,
            c.lon
        );
        if let Some(s) = status {
            let _ = writeln!(h_en, "status: {s}");
            let _ = writeln!(h_az, "status: {s}");
        }
        let up = updated(&mut rng);
        let body = city_body(&mut rng, &c);
        let history = maybe_history(&mut rng, up);
        out.record(&Rec {
            section: "cities",
            id: c.id.clone(),
            title_en: c.en.clone(),
            title_az: c.az.clone(),
            berpa_fields: f,
            title_key: "name",
            summary: (
                format!("Synthetic {kind} in the {d_en} district; not a real place."),
                format!("{d_az} rayonunda sintetik yaşayış məntəqəsi; real yer deyil."),
            ),
            updated: up,
            history,
            body: Some(body),
            hugo_en: h_en,
            hugo_az: h_az,
        });
        cities.push(c);
    }

    // Roads.
    for i in 1..=2 * n {
        let a = rng.below(n);
        let mut b = rng.below(n);
        while b == a {
            b = rng.below(n);
        }
        let nvia = *rng.weighted(&[(0usize, 60), (1, 30), (2, 10)]);
        let mut via = Vec::new();
        while via.len() < nvia {
            let v = rng.below(n);
            if v != a && v != b && !via.contains(&v) {
                via.push(v);
            }
        }
        let (ca, cb) = (&cities[a], &cities[b]);
        // Roughly the distance along the route, times a winding factor.
        let mut pts = vec![a];
        pts.extend(&via);
        pts.push(b);
        let km: f64 = pts
            .windows(2)
            .map(|w| {
                let (p, q) = (&cities[w[0]], &cities[w[1]]);
                let dy = (p.lat - q.lat) * 111.0;
                let dx = (p.lon - q.lon) * 111.0 * 0.77;
                (dx * dx + dy * dy).sqrt()
            })
            .sum::<f64>()
            * 1.25
            + 0.5;
        let status = *rng.weighted(ROAD_STATUSES);
        let lanes = *rng.pick(&[2u32, 2, 4, 4, 6]);
        let started = (status != "planned").then(|| date_between(&mut rng, 2021, 2024));
        let opened = (status == "open")
            .then(|| add_months(started.expect("started"), rng.range(6, 24) as u32));
        let via_ids: Vec<String> = via.iter().map(|v| cities[*v].id.clone()).collect();
        let mut f = String::new();
        let _ = writeln!(f, "from: {}\nto: {}", ca.id, cb.id);
        if !via_ids.is_empty() {
            let _ = writeln!(f, "via: {}", list(&via_ids));
        }
        let _ = writeln!(
            f,
            "length_km: {}\nlanes: {lanes}\nstatus: {status}",
            fmt_num(km, 1)
        );
        if let Some(s) = started {
            let _ = writeln!(f, "started: {s}");
        }
        if let Some(o) = opened {
            let _ = writeln!(f, "opened: {o}");
        }
        // Hugo: the same fields, plus the settlements it links as a taxonomy (for backlinks).
        let mut places = vec![ca.id.clone(), cb.id.clone()];
        places.extend(via_ids.iter().cloned());
        let h = format!("{f}places: {}\n", list(&places));
        let up = updated(&mut rng);
        let history = maybe_history(&mut rng, up);
        out.record(&Rec {
            section: "roads",
            id: format!("r{i:06}"),
            title_en: format!("{}–{} road", ca.en, cb.en),
            title_az: format!("{}–{} avtomobil yolu", ca.az, cb.az),
            berpa_fields: f,
            title_key: "name",
            summary: (
                format!(
                    "Synthetic road of {} km from {} to {}; not a real road.",
                    fmt_num(km, 1),
                    ca.en,
                    cb.en
                ),
                format!(
                    "{} – {}: {} km-lik sintetik yol; real yol deyil.",
                    ca.az,
                    cb.az,
                    fmt_num(km, 1).replace('.', ",")
                ),
            ),
            updated: up,
            history,
            body: None,
            hugo_en: h.clone(),
            hugo_az: h,
        });
    }

    // Projects.
    for i in 1..=3 * n {
        let si = rng.below(SECTORS.len());
        let sector = SECTORS[si];
        let city = &cities[rng.below(n)];
        let np = *rng.weighted(&[(0usize, 50), (1, 35), (2, 15)]);
        let mut partners: Vec<&str> = Vec::new();
        while partners.len() < np {
            let p = rng.pick(PARTNERS).0;
            if !partners.contains(&p) {
                partners.push(p);
            }
        }
        partners.sort();
        let nc = rng.range(0, 2);
        let mut contractors: Vec<(&str, &str)> = Vec::new();
        while contractors.len() < nc {
            let c = *rng.pick(CONTRACTORS);
            if !contractors.contains(&c) {
                contractors.push(c);
            }
        }
        let status = *rng.weighted(PROJECT_STATUSES);
        let started = (status != "planned").then(|| date_between(&mut rng, 2021, 2024));
        let completed = (status == "completed")
            .then(|| add_months(started.expect("started"), rng.range(3, 18) as u32));
        let budget = rng
            .chance(0.7)
            .then(|| rng.range(5, 2000) as f64 * 100_000.0);
        let (sn_en, sn_az) = SECTOR_NAMES[si];
        let no = rng.range(1, 40);
        let title_en = format!("{sn_en} No. {no} in {}", city.en);
        let title_az = format!("{}: {sn_az} № {no}", city.az);
        let mut f = String::new();
        let _ = writeln!(f, "sector: {sector}\ncity: {}", city.id);
        if !partners.is_empty() {
            let ids: Vec<String> = partners.iter().map(|p| p.to_string()).collect();
            let _ = writeln!(f, "partners: {}", list(&ids));
        }
        let mut h_en = f.clone();
        let mut h_az = f.clone();
        if !contractors.is_empty() {
            f.push_str("contractors:\n");
            h_en.push_str("contractors:\n");
            h_az.push_str("contractors:\n");
            for (en, az) in &contractors {
                let _ = writeln!(f, "  - {}", text2(en, az));
                let _ = writeln!(h_en, "  - {}", q(en));
                let _ = writeln!(h_az, "  - {}", q(az));
            }
        }
        let mut tail = format!("status: {status}\n");
        if let Some(s) = started {
            let _ = writeln!(tail, "started: {s}");
        }
        if let Some(c) = completed {
            let _ = writeln!(tail, "completed: {c}");
        }
        if let Some(b) = budget {
            let _ = writeln!(tail, "budget: {{amount: {b}, currency: AZN}}");
        }
        f.push_str(&tail);
        h_en.push_str(&tail);
        h_az.push_str(&tail);
        let _ = writeln!(h_en, "places: [{}]", city.id);
        let _ = writeln!(h_az, "places: [{}]", city.id);
        if !partners.is_empty() {
            let ids: Vec<String> = partners.iter().map(|p| p.to_string()).collect();
            let _ = writeln!(h_en, "partner_ids: {}", list(&ids));
            let _ = writeln!(h_az, "partner_ids: {}", list(&ids));
        }
        let up = updated(&mut rng);
        let body = project_body(&mut rng, &title_en, &title_az);
        let history = maybe_history(&mut rng, up);
        out.record(&Rec {
            section: "projects",
            id: format!("p{i:06}"),
            title_en: title_en.clone(),
            title_az: title_az.clone(),
            berpa_fields: f,
            title_key: "title",
            summary: (
                format!(
                    "Synthetic {sector} project in {}; not a real project.",
                    city.en
                ),
                format!("Sintetik layihə ({}); real layihə deyil.", city.az),
            ),
            updated: up,
            history,
            body: Some(body),
            hugo_en: h_en,
            hugo_az: h_az,
        });
    }

    // Indicators: people returned (monthly, with a target) and land cleared (yearly).
    {
        let mut obs = String::new();
        let mut hobs = String::new();
        let mut v = 0f64;
        for y in 2021..=2025u32 {
            for m in 1..=12u32 {
                v += (rng.range(50, 150) * n / 100) as f64;
                let _ = writeln!(
                    obs,
                    "  - {{date: {y}-{m:02}-01, value: {v}, source: {SOURCE_ID}}}"
                );
                let _ = writeln!(
                    hobs,
                    "  - {{date: {y}-{m:02}-01, value: {v}, source: {SOURCE_ID}}}"
                );
            }
        }
        let target = (v * 1.6).round();
        let f = format!(
            "unit: {}\ndescription: {}\ntarget: {{value: {target}, by: 2026-12-31, source: {SOURCE_ID}}}\nobservations:\n{obs}",
            text2("people", "nəfər"),
            text2(
                "Synthetic: people reported as returned, summed over all settlements.",
                "Sintetik: qayıtdığı bildirilən insanlar, bütün yaşayış məntəqələri üzrə."
            ),
        );
        let h = |unit: &str, desc: &str| {
            format!(
                "unit: {}\ndescription: {}\ntarget: {{value: {target}, by: 2026-12-31, source: {SOURCE_ID}}}\nobservations:\n{hobs}",
                q(unit),
                q(desc)
            )
        };
        out.record(&Rec {
            section: "indicators",
            id: "people-returned".into(),
            title_en: "People returned (synthetic)".into(),
            title_az: "Qayıdan insanlar (sintetik)".into(),
            berpa_fields: f,
            title_key: "title",
            summary: (
                "A synthetic monthly count.".into(),
                "Sintetik aylıq say.".into(),
            ),
            updated: Ymd(2026, 1, 10),
            history: None,
            body: None,
            hugo_en: h(
                "people",
                "Synthetic: people reported as returned, summed over all settlements.",
            ),
            hugo_az: h(
                "nəfər",
                "Sintetik: qayıtdığı bildirilən insanlar, bütün yaşayış məntəqələri üzrə.",
            ),
        });
        let mut obs = String::new();
        let mut a = 0f64;
        for y in 2021..=2025u32 {
            a += rng.range(100, 400) as f64 * 10.0;
            let _ = writeln!(
                obs,
                "  - {{date: {y}-12-31, value: {a}, source: {SOURCE_ID}}}"
            );
        }
        let f = format!(
            "unit: {}\ndescription: {}\nobservations:\n{obs}",
            text2("hectares", "hektar"),
            text2(
                "Synthetic: land reported as cleared of mines, cumulative.",
                "Sintetik: minalardan təmizləndiyi bildirilən torpaq, yığılmış."
            ),
        );
        let h = |unit: &str, desc: &str| {
            format!(
                "unit: {}\ndescription: {}\nobservations:\n{obs}",
                q(unit),
                q(desc)
            )
        };
        out.record(&Rec {
            section: "indicators",
            id: "area-cleared".into(),
            title_en: "Land cleared of mines (synthetic)".into(),
            title_az: "Minalardan təmizlənmiş torpaq (sintetik)".into(),
            berpa_fields: f,
            title_key: "title",
            summary: (
                "A synthetic yearly figure.".into(),
                "Sintetik illik rəqəm.".into(),
            ),
            updated: Ymd(2026, 1, 10),
            history: None,
            body: None,
            hugo_en: h(
                "hectares",
                "Synthetic: land reported as cleared of mines, cumulative.",
            ),
            hugo_az: h(
                "hektar",
                "Sintetik: minalardan təmizləndiyi bildirilən torpaq, yığılmış.",
            ),
        });
    }

    // A free page.
    let about_en = format!(
        "This site is **synthetic**: {n} settlements, {} roads and {} projects generated by\n\
         `examples/gen_corpus.rs` (seed {}) to measure how fast berpa builds a large report. No record\n\
         describes a real place, road, project, partner or publication.\n",
        2 * n,
        3 * n,
        args.seed
    );
    let about_az = format!(
        "Bu sayt **sintetikdir**: {n} yaşayış məntəqəsi, {} yol və {} layihə berpa-nın böyük\n\
         hesabatı nə qədər tez qurduğunu ölçmək üçün `examples/gen_corpus.rs` (toxum {}) ilə\n\
         yaradılıb. Heç bir qeyd real yeri, yolu, layihəni, tərəfdaşı və ya nəşri təsvir etmir.\n",
        2 * n,
        3 * n,
        args.seed
    );
    out.write(
        &args.out.join("content/pages/about.md"),
        &format!("---\ntitle: About this synthetic corpus\nmenu: true\nweight: 1\nupdated: 2026-01-10\n---\n{about_en}"),
    );
    if two_languages() {
        out.write(
            &args.out.join("content/pages/about.az.md"),
            &format!("---\ntitle: Bu sintetik korpus haqqında\nmenu: true\nweight: 1\nupdated: 2026-01-10\n---\n{about_az}"),
        );
    }

    if let Some(h) = &args.hugo {
        out.write(
            &h.join("content/about.md"),
            &format!(
                "---\ntitle: About this synthetic corpus\nupdated: 2026-01-10\n---\n{about_en}"
            ),
        );
        if two_languages() {
            out.write(
                &h.join("content/about.az.md"),
                &format!(
                    "---\ntitle: Bu sintetik korpus haqqında\nupdated: 2026-01-10\n---\n{about_az}"
                ),
            );
        }
        write_hugo_scaffold(&mut out, h, n, args.hugo_paginate);
    }

    eprintln!(
        "gen_corpus: n = {n}: {} settlements, {} roads, {} projects, {} partners, 1 source, 2 indicators; {} files in {:.1} s",
        n,
        2 * n,
        3 * n,
        PARTNERS.len(),
        out.files,
        start.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------------
// The Hugo site: config, section pages, i18n and layouts.

fn write_hugo_scaffold(out: &mut Out, h: &Path, n: usize, paginate: usize) {
    let paginate = if paginate == 0 { 10_000_000 } else { paginate };
    let az = if two_languages() {
        "  [languages.az]\n    weight = 2\n    languageName = \"Azərbaycanca\"\n    title = \"Sintetik sınaq korpusu — yaradılıb, real məlumat deyil\"\n"
    } else {
        ""
    };
    out.write(
        &h.join("hugo.toml"),
        &format!(
            r#"# Written by examples/gen_corpus.rs (n = {n}). Synthetic: nothing here is real.
# The same records as the berpa corpus beside it, in the same languages. What this site produces
# (and what berpa produces that it does not) is listed in docs/benchmarks.md.
baseURL = "https://example.org/hugo-bench/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = false
enableRobotsTXT = true
# One list page per section, as berpa's lists (unless --hugo-paginate).
paginate = {paginate}
# berpa writes one Atom feed per language (its updates) and a sitemap: Hugo writes an RSS feed
# for the home page of each language, limited like berpa's, and its sitemaps.
rssLimit = 50
# Taxonomies hold the links back (a settlement's roads and projects, a partner's projects);
# their own pages are not rendered (see content/places/_index.md).
[taxonomies]
  place = "places"
  partner = "partner_ids"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
[languages]
  [languages.en]
    weight = 1
    languageName = "English"
    title = "Synthetic benchmark corpus — generated, not real data"
{az}[markup.goldmark.renderer]
  unsafe = false
"#
        ),
    );
    // Section titles, and taxonomy sections that are listed but not rendered.
    let titles = [
        ("cities", "Settlements", "Yaşayış məntəqələri"),
        ("roads", "Roads", "Yollar"),
        ("projects", "Projects", "Layihələr"),
        ("partners", "Partners", "Tərəfdaşlar"),
        ("sources", "Sources", "Mənbələr"),
        ("indicators", "Tracked figures", "İzlənən göstəricilər"),
    ];
    for (s, en, az) in titles {
        out.write(
            &h.join(format!("content/{s}/_index.md")),
            &format!("---\ntitle: {}\n---\n", q(en)),
        );
        if two_languages() {
            out.write(
                &h.join(format!("content/{s}/_index.az.md")),
                &format!("---\ntitle: {}\n---\n", q(az)),
            );
        }
    }
    for t in ["places", "partner_ids"] {
        for l in ["", ".az"].into_iter().take(languages().len()) {
            out.write(
                &h.join(format!("content/{t}/_index{l}.md")),
                "---\ncascade:\n  _build:\n    render: never\n    list: never\n---\n",
            );
        }
    }
    out.write(
        &h.join("content/_index.md"),
        "---\ntitle: \"Synthetic benchmark corpus — generated, not real data\"\n---\n",
    );
    if two_languages() {
        out.write(
            &h.join("content/_index.az.md"),
            "---\ntitle: \"Sintetik sınaq korpusu — yaradılıb, real məlumat deyil\"\n---\n",
        );
    }
    out.write(&h.join("static/style.css"), "body{font-family:system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}table{border-collapse:collapse}td,th{padding:.25rem .5rem;border-bottom:1px solid #ccc}.scroll{overflow-x:auto}\n");

    // Interface strings.
    let strings: &[(&str, &str, &str)] = &[
        (
            "synthetic",
            "Synthetic benchmark data: nothing here is real.",
            "Sintetik sınaq məlumatı: burada heç nə real deyil.",
        ),
        ("skip", "Skip to content", "Məzmuna keç"),
        ("home", "Home", "Ana səhifə"),
        ("name", "Name", "Ad"),
        ("kind", "Kind", "Növ"),
        ("district", "District", "Rayon"),
        ("region", "Region", "Region"),
        ("location", "Location", "Yer"),
        ("status", "Status", "Vəziyyət"),
        ("from", "From", "Haradan"),
        ("to", "To", "Haraya"),
        ("via", "Via", "Üzərindən"),
        ("length", "Length (km)", "Uzunluq (km)"),
        ("lanes", "Lanes", "Zolaqlar"),
        ("started", "Started", "Başlanıb"),
        ("opened", "Opened", "Açılıb"),
        ("completed", "Completed", "Başa çatıb"),
        ("sector", "Sector", "Sahə"),
        ("city", "Settlement", "Yaşayış məntəqəsi"),
        ("partners", "Partners", "Tərəfdaşlar"),
        ("contractors", "Contractors", "Podratçılar"),
        ("budget", "Budget", "Büdcə"),
        ("sources", "Sources", "Mənbələr"),
        ("updated", "Last updated", "Son yenilənmə"),
        ("history", "History", "Tarixçə"),
        ("roads_here", "Roads", "Yollar"),
        ("projects_here", "Projects", "Layihələr"),
        ("publisher", "Publisher", "Nəşriyyatçı"),
        ("published", "Published", "Dərc olunub"),
        ("unit", "Unit", "Vahid"),
        ("target", "Target", "Hədəf"),
        ("observations", "Observations", "Müşahidələr"),
        ("date", "Date", "Tarix"),
        ("value", "Value", "Dəyər"),
        ("records", "records", "qeyd"),
        ("iso", "ISO code", "ISO kodu"),
        ("city_kind_city", "city", "şəhər"),
        ("city_kind_town", "town", "qəsəbə"),
        ("city_kind_village", "village", "kənd"),
        ("city_status_planned", "planned", "planlaşdırılıb"),
        (
            "city_status_under-reconstruction",
            "under reconstruction",
            "bərpa olunur",
        ),
        ("city_status_resettled", "resettled", "məskunlaşıb"),
        ("road_status_planned", "planned", "planlaşdırılıb"),
        (
            "road_status_under-construction",
            "under construction",
            "tikilir",
        ),
        ("road_status_open", "open", "açıqdır"),
        ("project_status_planned", "planned", "planlaşdırılıb"),
        ("project_status_in-progress", "in progress", "davam edir"),
        ("project_status_completed", "completed", "başa çatıb"),
        ("project_status_cancelled", "cancelled", "ləğv edilib"),
        ("partner_kind_country", "country", "ölkə"),
        ("partner_kind_organisation", "organisation", "təşkilat"),
        ("sector_education", "education", "təhsil"),
        ("sector_health", "health", "səhiyyə"),
        ("sector_culture", "culture", "mədəniyyət"),
        ("sector_housing", "housing", "mənzil"),
        ("sector_transport", "transport", "nəqliyyat"),
        ("sector_aviation", "aviation", "aviasiya"),
        ("sector_energy", "energy", "enerji"),
        ("sector_water", "water", "su"),
        ("sector_agriculture", "agriculture", "kənd təsərrüfatı"),
        ("sector_demining", "demining", "minatəmizləmə"),
        ("sector_other", "other", "digər"),
        ("publisher_kind_other", "other", "digər"),
        ("history_revision", "revision", "düzəliş"),
    ];
    for &(lang, idx) in languages() {
        let mut s = String::new();
        for row in strings {
            let v = if idx == 0 { row.1 } else { row.2 };
            let _ = writeln!(s, "{}: {}", q(row.0), q(v));
        }
        out.write(&h.join(format!("i18n/{lang}.yaml")), &s);
    }

    // Layouts. Dates are shown in the page's language (time.Format ":date_long"), numbers with
    // the language's separators (lang.FormatNumber), codes through i18n: as berpa does.
    let l = h.join("layouts");
    out.write(&l.join("_default/baseof.html"), HUGO_BASEOF);
    out.write(&l.join("_default/list.html"), HUGO_LIST);
    out.write(&l.join("_default/single.html"), HUGO_SINGLE_DEFAULT);
    out.write(&l.join("index.html"), HUGO_HOME);
    out.write(&l.join("partials/sources.html"), HUGO_PARTIAL_SOURCES);
    out.write(&l.join("partials/ref.html"), HUGO_PARTIAL_REF);
    out.write(&l.join("cities/single.html"), HUGO_CITY);
    out.write(&l.join("roads/single.html"), HUGO_ROAD);
    out.write(&l.join("projects/single.html"), HUGO_PROJECT);
    out.write(&l.join("partners/single.html"), HUGO_PARTNER);
    out.write(&l.join("sources/single.html"), HUGO_SOURCE);
    out.write(&l.join("indicators/single.html"), HUGO_INDICATOR);
}

const HUGO_BASEOF: &str = r##"<!DOCTYPE html>
<html lang="{{ site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} — {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ .Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<link rel="stylesheet" href="{{ "style.css" | relURL }}">
</head>
<body>
<a href="#main">{{ i18n "skip" }}</a>
<header>
<a href="{{ "" | relLangURL }}">{{ site.Title }}</a>
<nav><ul>
<li><a href="{{ "" | relLangURL }}">{{ i18n "home" }}</a></li>
{{ range site.Sections }}{{ if not (in (slice "places" "partner_ids") .Section) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}
</ul></nav>
{{ range .Translations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a>{{ end }}
</header>
<main id="main">
{{ block "main" . }}{{ end }}
</main>
<footer><p>{{ i18n "synthetic" }}</p></footer>
</body>
</html>
"##;

const HUGO_LIST: &str = r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p>{{ len .Pages }} {{ i18n "records" }}</p>
{{ $pag := .Paginate .Pages.ByTitle }}
<div class="scroll"><table>
<thead><tr><th>{{ i18n "name" }}</th>
{{ if eq .Section "cities" }}<th>{{ i18n "kind" }}</th><th>{{ i18n "district" }}</th><th>{{ i18n "status" }}</th>
{{ else if eq .Section "roads" }}<th>{{ i18n "from" }}</th><th>{{ i18n "to" }}</th><th>{{ i18n "length" }}</th><th>{{ i18n "status" }}</th><th>{{ i18n "opened" }}</th>
{{ else if eq .Section "projects" }}<th>{{ i18n "sector" }}</th><th>{{ i18n "city" }}</th><th>{{ i18n "partners" }}</th><th>{{ i18n "status" }}</th><th>{{ i18n "completed" }}</th>
{{ else if eq .Section "partners" }}<th>{{ i18n "kind" }}</th><th>{{ i18n "projects_here" }}</th>
{{ else }}<th>{{ i18n "updated" }}</th>{{ end }}
</tr></thead>
<tbody>
{{ $section := .Section }}
{{ range $pag.Pages }}<tr><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td>
{{ if eq $section "cities" }}<td>{{ i18n (printf "city_kind_%s" .Params.kind) }}</td><td>{{ .Params.district }}</td><td>{{ with .Params.status }}{{ i18n (printf "city_status_%s" .) }}{{ end }}</td>
{{ else if eq $section "roads" }}<td>{{ partial "ref.html" (dict "s" "cities" "id" .Params.from) }}</td><td>{{ partial "ref.html" (dict "s" "cities" "id" .Params.to) }}</td><td>{{ lang.FormatNumber 1 .Params.length_km }}</td><td>{{ i18n (printf "road_status_%s" .Params.status) }}</td><td>{{ with .Params.opened }}{{ time.Format ":date_long" . }}{{ end }}</td>
{{ else if eq $section "projects" }}<td>{{ i18n (printf "sector_%s" .Params.sector) }}</td><td>{{ partial "ref.html" (dict "s" "cities" "id" .Params.city) }}</td><td>{{ range .Params.partners }}{{ partial "ref.html" (dict "s" "partners" "id" .) }} {{ end }}</td><td>{{ i18n (printf "project_status_%s" .Params.status) }}</td><td>{{ with .Params.completed }}{{ time.Format ":date_long" . }}{{ end }}</td>
{{ else if eq $section "partners" }}<td>{{ i18n (printf "partner_kind_%s" .Params.kind) }}</td><td>{{ with index site.Taxonomies.partner_ids .File.ContentBaseName }}{{ len .Pages }}{{ else }}0{{ end }}</td>
{{ else }}<td>{{ with .Params.updated }}{{ time.Format ":date_long" . }}{{ end }}</td>{{ end }}
</tr>
{{ end }}
</tbody></table></div>
{{ template "_internal/pagination.html" . }}
{{ end }}
"##;

const HUGO_HOME: &str = r##"{{ define "main" }}
<h1>{{ site.Title }}</h1>
<p>{{ i18n "synthetic" }}</p>
<ul>
{{ range site.Sections }}{{ if not (in (slice "places" "partner_ids") .Section) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ len .Pages }}</li>{{ end }}{{ end }}
</ul>
{{ end }}
"##;

const HUGO_SINGLE_DEFAULT: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ with .Params.updated }}<p>{{ i18n "updated" }}: {{ time.Format ":date_long" . }}</p>{{ end }}
</article>
{{ end }}
"##;

const HUGO_PARTIAL_REF: &str = r##"{{ with site.GetPage (printf "/%s/%s" .s .id) }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}"##;

const HUGO_PARTIAL_SOURCES: &str = r##"{{ with .Params.sources }}<section><h2>{{ i18n "sources" }}</h2><ul>
{{ range . }}{{ with site.GetPage (printf "/sources/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>, {{ .Params.publisher }}{{ with .Params.published }}, {{ time.Format ":date_long" . }}{{ end }}</li>{{ end }}{{ end }}
</ul></section>{{ end }}
{{ with .Params.history }}<section><h2>{{ i18n "history" }}</h2><ul>
{{ range . }}<li>{{ time.Format ":date_long" .date }}: {{ .note }} ({{ i18n (printf "history_%s" .kind) }})</li>{{ end }}
</ul></section>{{ end }}
{{ with .Params.updated }}<p>{{ i18n "updated" }}: <time datetime="{{ . }}">{{ time.Format ":date_long" . }}</time></p>{{ end }}
"##;

const HUGO_CITY: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "kind" }}</dt><dd>{{ i18n (printf "city_kind_%s" .Params.kind) }}</dd>
<dt>{{ i18n "district" }}</dt><dd>{{ .Params.district }}</dd>
{{ with .Params.region }}<dt>{{ i18n "region" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.location }}<dt>{{ i18n "location" }}</dt><dd>{{ lang.FormatNumber 4 .lat }}, {{ lang.FormatNumber 4 .lon }}</dd>{{ end }}
{{ with .Params.status }}<dt>{{ i18n "status" }}</dt><dd>{{ i18n (printf "city_status_%s" .) }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ with index site.Taxonomies.places .File.ContentBaseName }}
{{ $roads := where .Pages "Section" "roads" }}{{ with $roads }}<section><h2>{{ i18n "roads_here" }}</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
{{ $projects := where .Pages "Section" "projects" }}{{ with $projects }}<section><h2>{{ i18n "projects_here" }}</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
{{ end }}
{{ partial "sources.html" . }}
</article>
{{ end }}
"##;

const HUGO_ROAD: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "from" }}</dt><dd>{{ partial "ref.html" (dict "s" "cities" "id" .Params.from) }}</dd>
<dt>{{ i18n "to" }}</dt><dd>{{ partial "ref.html" (dict "s" "cities" "id" .Params.to) }}</dd>
{{ with .Params.via }}<dt>{{ i18n "via" }}</dt><dd>{{ range . }}{{ partial "ref.html" (dict "s" "cities" "id" .) }} {{ end }}</dd>{{ end }}
{{ with .Params.length_km }}<dt>{{ i18n "length" }}</dt><dd>{{ lang.FormatNumber 1 . }}</dd>{{ end }}
{{ with .Params.lanes }}<dt>{{ i18n "lanes" }}</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.status }}<dt>{{ i18n "status" }}</dt><dd>{{ i18n (printf "road_status_%s" .) }}</dd>{{ end }}
{{ with .Params.started }}<dt>{{ i18n "started" }}</dt><dd>{{ time.Format ":date_long" . }}</dd>{{ end }}
{{ with .Params.opened }}<dt>{{ i18n "opened" }}</dt><dd>{{ time.Format ":date_long" . }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ partial "sources.html" . }}
</article>
{{ end }}
"##;

const HUGO_PROJECT: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "sector" }}</dt><dd>{{ i18n (printf "sector_%s" .Params.sector) }}</dd>
{{ with .Params.city }}<dt>{{ i18n "city" }}</dt><dd>{{ partial "ref.html" (dict "s" "cities" "id" .) }}</dd>{{ end }}
{{ with .Params.partners }}<dt>{{ i18n "partners" }}</dt><dd>{{ range . }}{{ partial "ref.html" (dict "s" "partners" "id" .) }} {{ end }}</dd>{{ end }}
{{ with .Params.contractors }}<dt>{{ i18n "contractors" }}</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with .Params.status }}<dt>{{ i18n "status" }}</dt><dd>{{ i18n (printf "project_status_%s" .) }}</dd>{{ end }}
{{ with .Params.started }}<dt>{{ i18n "started" }}</dt><dd>{{ time.Format ":date_long" . }}</dd>{{ end }}
{{ with .Params.completed }}<dt>{{ i18n "completed" }}</dt><dd>{{ time.Format ":date_long" . }}</dd>{{ end }}
{{ with .Params.budget }}<dt>{{ i18n "budget" }}</dt><dd>{{ lang.FormatNumber 0 .amount }} {{ .currency }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ partial "sources.html" . }}
</article>
{{ end }}
"##;

const HUGO_PARTNER: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "kind" }}</dt><dd>{{ i18n (printf "partner_kind_%s" .Params.kind) }}</dd>
{{ with .Params.iso }}<dt>{{ i18n "iso" }}</dt><dd>{{ . }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ with index site.Taxonomies.partner_ids .File.ContentBaseName }}<section><h2>{{ i18n "projects_here" }}</h2><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>{{ end }}
{{ partial "sources.html" . }}
</article>
{{ end }}
"##;

const HUGO_SOURCE: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "publisher" }}</dt><dd>{{ .Params.publisher }} ({{ i18n (printf "publisher_kind_%s" .Params.publisher_kind) }})</dd>
{{ with .Params.link }}<dt>URL</dt><dd><a href="{{ . }}">{{ . }}</a></dd>{{ end }}
{{ with .Params.published }}<dt>{{ i18n "published" }}</dt><dd>{{ time.Format ":date_long" . }}</dd>{{ end }}
</dl>
{{ .Content }}
{{ with .Params.updated }}<p>{{ i18n "updated" }}: {{ time.Format ":date_long" . }}</p>{{ end }}
</article>
{{ end }}
"##;

const HUGO_INDICATOR: &str = r##"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
{{ with .Params.description }}<p>{{ . }}</p>{{ end }}
<dl>
<dt>{{ i18n "unit" }}</dt><dd>{{ .Params.unit }}</dd>
{{ with .Params.target }}<dt>{{ i18n "target" }}</dt><dd>{{ lang.FormatNumber 0 .value }}{{ with .by }} ({{ time.Format ":date_long" . }}){{ end }}</dd>{{ end }}
</dl>
<h2>{{ i18n "observations" }}</h2>
<table><thead><tr><th>{{ i18n "date" }}</th><th>{{ i18n "value" }}</th><th>{{ i18n "sources" }}</th></tr></thead><tbody>
{{ range .Params.observations }}<tr><td>{{ time.Format ":date_long" .date }}</td><td>{{ lang.FormatNumber 0 .value }}</td><td>{{ partial "ref.html" (dict "s" "sources" "id" .source) }}</td></tr>
{{ end }}</tbody></table>
{{ .Content }}
{{ partial "sources.html" . }}
</article>
{{ end }}
"##;
