//! ISO 8601 calendar dates, with reduced precision when a source gives only a month or a year:
//! `2021-11-07`, `2021-08`, `2021`. berpa never invents a day.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    /// 1–12, or `None` when only the year is known.
    pub month: Option<u8>,
    /// 1–31, or `None` when only the month is known.
    pub day: Option<u8>,
}

pub fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        Date {
            year,
            month: Some(month),
            day: Some(day),
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, checking that the day exists.
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "invalid date `{s}`: write it as YYYY-MM-DD (or YYYY-MM, YYYY when only the month or year is known)"
            )
        };
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, String> {
            if p.len() == len && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let year = num(parts.first().ok_or_else(bad)?, 4)? as i32;
        let month = match parts.get(1) {
            Some(p) => {
                let m = num(p, 2)? as u8;
                if !(1..=12).contains(&m) {
                    return Err(format!("invalid date `{s}`: there is no month {m}"));
                }
                Some(m)
            }
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => {
                let d = num(p, 2)? as u8;
                let m = month.unwrap_or(1);
                if d == 0 || d > days_in_month(year, m) {
                    return Err(format!(
                        "invalid date `{s}`: month {m} of {year} has {} days",
                        days_in_month(year, m)
                    ));
                }
                Some(d)
            }
            None => None,
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 of the date (the middle of a month or year given with less
    /// precision), for placing it on a time axis.
    pub fn days(&self) -> i64 {
        let (m, d) = match (self.month, self.day) {
            (Some(m), Some(d)) => (m, d),
            (Some(m), None) => (m, 15),
            _ => (7, 1),
        };
        days_from_civil(self.year, m, d)
    }

    /// The last day the date can mean (for "not updated in over a year" checks).
    pub fn end(&self) -> Date {
        let m = self.month.unwrap_or(12);
        let d = self.day.unwrap_or(days_in_month(self.year, m));
        Date::ymd(self.year, m, d)
    }

    /// Today (UTC): from `SOURCE_DATE_EPOCH` when it is set, for reproducible runs, else the
    /// clock. Never shown in a built site.
    pub fn today() -> Date {
        let secs = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs() as i64)
                    .unwrap_or(0)
            });
        Date::from_unix(secs)
    }

    /// The date `SOURCE_DATE_EPOCH` seconds mean (UTC).
    pub fn from_unix(secs: i64) -> Date {
        let z = secs.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        Date::ymd((if m <= 2 { y + 1 } else { y }) as i32, m, d)
    }
}

/// Howard Hinnant's days-from-civil algorithm.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(if m <= 2 { y - 1 } else { y });
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date such as 2021-11-07")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Date, E> {
                Date::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Date, E> {
                Date::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precisions_and_rejects_impossible_days() {
        assert_eq!(Date::parse("2021-11-07").unwrap(), Date::ymd(2021, 11, 7));
        assert_eq!(Date::parse("2021-08").unwrap().to_string(), "2021-08");
        assert_eq!(Date::parse("2021").unwrap().month, None);
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2021-13-01").is_err());
        assert!(Date::parse("7 Nov 2021").is_err());
        assert!(Date::parse("21-11-07").is_err());
    }

    #[test]
    fn unix_days_round_trip() {
        assert_eq!(Date::from_unix(0), Date::ymd(1970, 1, 1));
        assert_eq!(Date::from_unix(1_700_000_000), Date::ymd(2023, 11, 14));
        assert_eq!(Date::ymd(2023, 11, 14).days(), 1_700_000_000 / 86_400);
    }

    #[test]
    fn orders_by_time() {
        assert!(Date::parse("2021-08").unwrap() < Date::parse("2021-09-01").unwrap());
        assert!(Date::parse("2020").unwrap() < Date::parse("2021-01-01").unwrap());
    }
}
