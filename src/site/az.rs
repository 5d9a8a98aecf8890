//! Azerbaijani case and possessive endings, which ICU does not give: after a figure as it is
//! spoken ("6-dan", "5-dən", "17,9%-i"), after a name by vowel harmony ("Şuşanın", "Laçına"),
//! and ordinal numbers ("2025-ci", "2026-cı"). Interface strings ask for them by name
//! (`{n|poss}`, see [`inflect`]) and templates through the `az` filter, so no text pastes a
//! fixed ending onto a value.
//!
//! The rules (Azerbaijani orthography and morphology): a suffix after a figure written in digits
//! is joined with a hyphen and follows the last word of the figure as it is read ("30" is
//! "otuz", so "30-dan"; "1000" is "min", so "1000-dən"); a suffix after a word is joined
//! directly. Two-way harmony (`-da/-də`, `-dan/-dən`, `-a/-ə`) follows the last vowel: back
//! (a, ı, o, u) or front (e, ə, i, ö, ü). Four-way harmony (`-ın/-in/-un/-ün`, `-ı/-i/-u/-ü`,
//! `-ıncı/-inci/-uncu/-üncü`) also follows rounding. After a vowel the genitive takes `n`, the
//! dative and the accusative-like possessive `y`/`s`.

/// A case or ending an interface string may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Genitive: Şuşanın, Laçının, 5-in, 6-nın.
    Genitive,
    /// Dative: Şuşaya, Laçına, 5-ə, 6-ya.
    Dative,
    /// Locative: Şuşada, Laçında, 5-də, 6-da.
    Locative,
    /// Ablative: Şuşadan, Laçından, 5-dən, 6-dan.
    Ablative,
    /// Third-person possessive: "7 layihədən 5-i", "20-si", "hədəfin 17,9%-i".
    Possessive,
    /// Ordinal number: 2025-ci, 2026-cı, 2024-cü, 2010-cu.
    Ordinal,
}

impl Ending {
    /// The ending a modifier names (`gen`, `dat`, `loc`, `abl`, `poss`, `ord`).
    pub fn from_name(name: &str) -> Option<Ending> {
        Some(match name {
            "gen" | "genitive" => Ending::Genitive,
            "dat" | "dative" => Ending::Dative,
            "loc" | "locative" => Ending::Locative,
            "abl" | "ablative" => Ending::Ablative,
            "poss" | "possessive" => Ending::Possessive,
            "ord" | "ordinal" => Ending::Ordinal,
            _ => return None,
        })
    }
}

/// The last vowel's class for harmony.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vowel {
    /// a, ı
    BackFlat,
    /// o, u
    BackRound,
    /// e, ə, i
    FrontFlat,
    /// ö, ü
    FrontRound,
}

fn vowel_class(c: char) -> Option<Vowel> {
    Some(match c.to_lowercase().next().unwrap_or(c) {
        'a' | 'ı' => Vowel::BackFlat,
        'o' | 'u' => Vowel::BackRound,
        'e' | 'ə' | 'i' | 'é' | 'è' => Vowel::FrontFlat,
        'ö' | 'ü' => Vowel::FrontRound,
        // "I" lower-cases to "i"; Azerbaijani's dotless capital is "I" too, but a name's
        // capital is its first letter, which decides no harmony.
        _ => return None,
    })
}

/// The harmony of a word: its last vowel, and whether it ends in a vowel. A word with no vowel
/// (an abbreviation) harmonises as front.
fn harmony(word: &str) -> (Vowel, bool) {
    let last = word.chars().rev().find(|c| c.is_alphabetic());
    let ends_in_vowel = last.is_some_and(|c| vowel_class(c).is_some());
    let v = word
        .chars()
        .rev()
        .find_map(vowel_class)
        .unwrap_or(Vowel::FrontFlat);
    (v, ends_in_vowel)
}

fn two(v: Vowel, back: &'static str, front: &'static str) -> &'static str {
    match v {
        Vowel::BackFlat | Vowel::BackRound => back,
        Vowel::FrontFlat | Vowel::FrontRound => front,
    }
}

fn four(v: Vowel, forms: [&'static str; 4]) -> &'static str {
    match v {
        Vowel::BackFlat => forms[0],
        Vowel::FrontFlat => forms[1],
        Vowel::BackRound => forms[2],
        Vowel::FrontRound => forms[3],
    }
}

/// The ending for a word whose harmony is `(v, vowel_final)`.
fn ending(e: Ending, v: Vowel, vowel_final: bool) -> String {
    let s = |a: &str, b: &str| format!("{a}{b}");
    match e {
        Ending::Genitive => s(
            if vowel_final { "n" } else { "" },
            four(v, ["ın", "in", "un", "ün"]),
        ),
        Ending::Dative => s(if vowel_final { "y" } else { "" }, two(v, "a", "ə")),
        Ending::Locative => two(v, "da", "də").to_string(),
        Ending::Ablative => two(v, "dan", "dən").to_string(),
        Ending::Possessive => s(
            if vowel_final { "s" } else { "" },
            four(v, ["ı", "i", "u", "ü"]),
        ),
        // Written after digits without the vowel the spoken form has ("altıncı" is "6-cı").
        Ending::Ordinal => four(v, ["cı", "ci", "cu", "cü"]).to_string(),
    }
}

/// A name or word with an ending joined to it: `Şuşa` → `Şuşanın`, `Laçın` → `Laçına`. A
/// figure (a value starting with a digit) takes the ending after a hyphen, as it is spoken
/// (see [`number_word`]).
pub fn inflect(value: &str, e: Ending) -> String {
    let trimmed = value.trim_end();
    if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{trimmed}-{}", number_ending(trimmed, e));
    }
    let (v, vowel_final) = harmony(trimmed);
    format!("{trimmed}{}", ending(e, v, vowel_final))
}

/// The ending after a figure as written in an Azerbaijani text (`1 392`, `17,9`, `17,9%`).
pub fn number_ending(figure: &str, e: Ending) -> String {
    let (v, vowel_final) = harmony(number_word(figure));
    ending(e, v, vowel_final)
}

/// The last word of a figure as it is read aloud: the one that takes the ending. `17,9%` is
/// "on yeddi tam onda doqquz faiz", so `faiz`; `2026` ends "altı"; `1000` is "min"; `30` is
/// "otuz"; `3 000 000` is "üç milyon".
pub fn number_word(figure: &str) -> &'static str {
    let figure = figure.trim();
    if figure.ends_with('%') {
        return "faiz";
    }
    // Azerbaijani writes a decimal comma (a point is accepted too); a fraction is read as its
    // own number ("onda doqquz"), whose last word decides.
    let (int, frac) = match figure.rsplit_once([',', '.']) {
        Some((i, f)) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => (i, Some(f)),
        _ => (figure, None),
    };
    let digits: String = frac
        .unwrap_or(int)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    spoken_last_word(&digits)
}

/// The last spoken word of a whole number given as its decimal digits.
fn spoken_last_word(digits: &str) -> &'static str {
    const UNITS: [&str; 10] = [
        "sıfır", "bir", "iki", "üç", "dörd", "beş", "altı", "yeddi", "səkkiz", "doqquz",
    ];
    const TENS: [&str; 10] = [
        "", "on", "iyirmi", "otuz", "qırx", "əlli", "altmış", "yetmiş", "səksən", "doxsan",
    ];
    const GROUPS: [&str; 6] = ["", "min", "milyon", "milyard", "trilyon", "kvadrilyon"];
    let d: Vec<usize> = digits
        .trim_start_matches('0')
        .bytes()
        .map(|b| usize::from(b - b'0'))
        .collect();
    if d.is_empty() {
        return "sıfır";
    }
    // The lowest group of three digits that is not all zeros decides; in it, the lowest
    // non-zero digit: units, tens, or "yüz".
    let n = d.len();
    for (g, group_word) in GROUPS.iter().enumerate() {
        let at = |i: usize| if i < n { d[n - 1 - i] } else { 0 };
        let (u, t, h) = (at(3 * g), at(3 * g + 1), at(3 * g + 2));
        if u == 0 && t == 0 && h == 0 {
            continue;
        }
        return match (g, u, t) {
            (0, 0, 0) => "yüz",
            (0, 0, t) => TENS[t],
            (0, u, _) => UNITS[u],
            _ => group_word,
        };
    }
    // More digits than the groups name: read as the largest group.
    GROUPS[GROUPS.len() - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    // The cases follow "Azərbaycan dilinin orfoqrafiya qaydaları" (approved by the Cabinet of
    // Ministers of Azerbaijan, decision No. 108 of 5 August 2004): a suffix after a figure in
    // Arabic digits is joined with a hyphen and follows the last syllable of the figure as it is
    // read; an ordinal in digits takes the short form -cı/-ci/-cu/-cü of -ıncı. The ordinal
    // examples marked "(rules)" are the ones the rules' commentaries give (1-ci, 4-cü, 5-ci,
    // 6-cı, 10-cu, 15-ci, 19-cu, 35-ci, 40-cı, 50-ci, 60-cı, 100-cü, 1000-ci). Vowel harmony, the
    // cases and their buffer consonants (-nın after a vowel, -ya/-yə, -sı/-si) follow K. Öztopçu,
    // "Elementary Azerbaijani", its lessons on vowel harmony, the cases and the possessive.

    #[test]
    fn numbers_as_they_are_spoken() {
        let cases = [
            ("0", "sıfır"),
            ("1", "bir"),
            ("6", "altı"),
            ("10", "on"),
            ("17", "yeddi"),
            ("20", "iyirmi"),
            ("30", "otuz"),
            ("40", "qırx"),
            ("100", "yüz"),
            ("140\u{a0}000", "min"),
            ("1000", "min"),
            ("2025", "beş"),
            ("2000", "min"),
            ("2010", "on"),
            ("3\u{a0}000\u{a0}000", "milyon"),
            ("2\u{a0}000\u{a0}000\u{a0}000", "milyard"),
            ("1\u{a0}000\u{a0}100", "yüz"),
            ("17,9", "doqquz"),
            ("53\u{a0}081,8", "səkkiz"),
            ("17,9%", "faiz"),
        ];
        for (n, word) in cases {
            assert_eq!(number_word(n), word, "{n}");
        }
    }

    #[test]
    fn ablative_after_numbers() {
        let cases = [
            ("6", "6-dan"),
            ("9", "9-dan"),
            ("10", "10-dan"),
            ("30", "30-dan"),
            ("40", "40-dan"),
            ("60", "60-dan"),
            ("90", "90-dan"),
            ("5", "5-dən"),
            ("1", "1-dən"),
            ("2", "2-dən"),
            ("3", "3-dən"),
            ("4", "4-dən"),
            ("7", "7-dən"),
            ("8", "8-dən"),
            ("20", "20-dən"),
            ("50", "50-dən"),
            ("70", "70-dən"),
            ("80", "80-dən"),
            ("100", "100-dən"),
            ("1000", "1000-dən"),
            ("25\u{a0}000", "25\u{a0}000-dən"),
            ("1\u{a0}000\u{a0}000", "1\u{a0}000\u{a0}000-dan"),
            (
                "1\u{a0}000\u{a0}000\u{a0}000",
                "1\u{a0}000\u{a0}000\u{a0}000-dan",
            ),
        ];
        for (n, want) in cases {
            assert_eq!(inflect(n, Ending::Ablative), want, "{n}");
        }
    }

    #[test]
    fn ordinal_numbers_and_years() {
        let cases = [
            ("1", "1-ci"),
            ("2", "2-ci"),
            ("3", "3-cü"),
            ("4", "4-cü"),
            ("5", "5-ci"),
            ("6", "6-cı"),
            ("9", "9-cu"),
            ("10", "10-cu"),
            ("40", "40-cı"),
            // (rules)
            ("15", "15-ci"),
            ("19", "19-cu"),
            ("35", "35-ci"),
            ("50", "50-ci"),
            ("60", "60-cı"),
            ("100", "100-cü"),
            ("1000", "1000-ci"),
            ("2025", "2025-ci"),
            ("2026", "2026-cı"),
            ("2024", "2024-cü"),
            ("2023", "2023-cü"),
            ("2020", "2020-ci"),
            ("2010", "2010-cu"),
            ("2000", "2000-ci"),
            ("1990", "1990-cı"),
        ];
        for (n, want) in cases {
            assert_eq!(inflect(n, Ending::Ordinal), want, "{n}");
        }
    }

    #[test]
    fn possessive_after_numbers() {
        let cases = [
            ("5", "5-i"),
            ("3", "3-ü"),
            ("6", "6-sı"),
            ("2", "2-si"),
            ("9", "9-u"),
            ("10", "10-u"),
            ("20", "20-si"),
            ("40", "40-ı"),
            ("100", "100-ü"),
            ("17,9%", "17,9%-i"),
        ];
        for (n, want) in cases {
            assert_eq!(inflect(n, Ending::Possessive), want, "{n}");
        }
    }

    #[test]
    fn cases_after_names() {
        // name, genitive, dative, locative, ablative
        let cases = [
            ("Şuşa", "Şuşanın", "Şuşaya", "Şuşada", "Şuşadan"),
            ("Laçın", "Laçının", "Laçına", "Laçında", "Laçından"),
            ("Füzuli", "Füzulinin", "Füzuliyə", "Füzulidə", "Füzulidən"),
            ("Bərdə", "Bərdənin", "Bərdəyə", "Bərdədə", "Bərdədən"),
            ("Ağdam", "Ağdamın", "Ağdama", "Ağdamda", "Ağdamdan"),
            ("Talış", "Talışın", "Talışa", "Talışda", "Talışdan"),
            ("Zabux", "Zabuxun", "Zabuxa", "Zabuxda", "Zabuxdan"),
            ("Xocalı", "Xocalının", "Xocalıya", "Xocalıda", "Xocalıdan"),
            (
                "Zəngilan",
                "Zəngilanın",
                "Zəngilana",
                "Zəngilanda",
                "Zəngilandan",
            ),
            (
                "Türkiyə",
                "Türkiyənin",
                "Türkiyəyə",
                "Türkiyədə",
                "Türkiyədən",
            ),
            (
                "Özbəkistan",
                "Özbəkistanın",
                "Özbəkistana",
                "Özbəkistanda",
                "Özbəkistandan",
            ),
            ("Qorçu", "Qorçunun", "Qorçuya", "Qorçuda", "Qorçudan"),
            ("Göygöl", "Göygölün", "Göygölə", "Göygöldə", "Göygöldən"),
        ];
        for (name, genitive, dat, loc, abl) in cases {
            assert_eq!(inflect(name, Ending::Genitive), genitive);
            assert_eq!(inflect(name, Ending::Locative), loc);
            assert_eq!(inflect(name, Ending::Ablative), abl);
            assert_eq!(inflect(name, Ending::Dative), dat);
        }
    }

    #[test]
    fn cases_after_numbers() {
        assert_eq!(inflect("5", Ending::Genitive), "5-in");
        assert_eq!(inflect("6", Ending::Genitive), "6-nın");
        assert_eq!(inflect("5", Ending::Dative), "5-ə");
        assert_eq!(inflect("6", Ending::Dative), "6-ya");
        assert_eq!(inflect("2", Ending::Dative), "2-yə");
        assert_eq!(inflect("28", Ending::Locative), "28-də");
        assert_eq!(inflect("26", Ending::Locative), "26-da");
        assert_eq!(inflect("2026", Ending::Dative), "2026-ya");
    }

    #[test]
    fn endings_by_name() {
        for (n, e) in [
            ("gen", Ending::Genitive),
            ("dat", Ending::Dative),
            ("loc", Ending::Locative),
            ("abl", Ending::Ablative),
            ("poss", Ending::Possessive),
            ("ord", Ending::Ordinal),
        ] {
            assert_eq!(Ending::from_name(n), Some(e));
        }
        assert_eq!(Ending::from_name("x"), None);
    }
}
