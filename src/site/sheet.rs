//! The one writer of every CSV file berpa publishes: the open data's `data/*.csv` and each
//! chart's `charts/<id>.csv`. RFC 4180 (comma-separated, fields quoted where needed, CRLF line
//! ends), UTF-8; a text cell that a spreadsheet would run as a formula is neutralised, as OWASP
//! advises for CSV files meant for spreadsheets. Numbers and dates are written as they are.

use std::borrow::Cow;

/// One cell of a row: text (from the records or the site, neutralised) or data berpa formats
/// itself (a number, a date: written as it is, so `-5` stays a number).
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(&'a str),
    Data(&'a str),
}

/// A CSV file being written in memory, a row at a time.
pub struct Csv {
    w: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    pub fn new() -> Csv {
        Csv {
            w: csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::new()),
        }
    }

    /// A row of cells.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) {
        let cells = cells.into_iter().map(|c| match c {
            Cell::Text(t) => defuse(t),
            Cell::Data(d) => Cow::Borrowed(d),
        });
        self.w
            .write_record(cells.map(|c| c.into_owned()))
            .expect("writing to memory");
    }

    /// A row of text cells (a header, a row of labels).
    pub fn text_row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<S> = cells.into_iter().collect();
        self.row(cells.iter().map(|c| Cell::Text(c.as_ref())));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.w.into_inner().expect("writing to memory")
    }

    pub fn into_string(self) -> String {
        String::from_utf8(self.into_bytes()).expect("CSV of UTF-8 text is UTF-8")
    }
}

/// A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a
/// tab or a carriage return) gets a leading `'`. The JSON files keep the text exactly.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_defused_data_is_not_and_lines_end_with_crlf() {
        let mut c = Csv::new();
        c.text_row(["name", "=SUM(A1)"]);
        c.row([Cell::Text("@cmd"), Cell::Data("-5")]);
        c.row([Cell::Text("a \"quoted\"\nline"), Cell::Data("2025-06-01")]);
        c.row([Cell::Text("\tx"), Cell::Text("+1")]);
        assert_eq!(
            c.into_string(),
            "name,'=SUM(A1)\r\n'@cmd,-5\r\n\"a \"\"quoted\"\"\nline\",2025-06-01\r\n'\tx,'+1\r\n"
        );
        assert_eq!(defuse("Lachin"), "Lachin");
        assert_eq!(defuse("\rx"), "'\rx");
    }
}
