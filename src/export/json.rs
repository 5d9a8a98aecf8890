//! Pretty-printed JSON written straight from records, for the largest exports: byte for byte
//! what `serde_json::to_vec_pretty` makes of the same document held as a `serde_json::Value`
//! (two-space indents, `"key": value`, `[]` and `{}` when empty, keys in sorted order), without
//! building that value first. Keys are written in the order given: the caller gives them
//! sorted, and [`Pretty::key`] checks it in debug builds.

/// A document being written.
#[derive(Default)]
pub struct Pretty {
    out: Vec<u8>,
    /// For each open object or array: whether it has an entry yet (and, in debug builds, the
    /// last key written in it).
    open: Vec<Open>,
}

#[derive(Default)]
struct Open {
    any: bool,
    #[cfg(debug_assertions)]
    last_key: Option<String>,
}

impl Pretty {
    pub fn new() -> Self {
        Self::default()
    }

    /// The document, with a final newline (as berpa's other JSON files end).
    pub fn finish(mut self) -> Vec<u8> {
        debug_assert!(self.open.is_empty(), "unclosed object or array");
        self.out.push(b'\n');
        self.out
    }

    fn newline(&mut self) {
        self.out.push(b'\n');
        for _ in 0..self.open.len() {
            self.out.extend_from_slice(b"  ");
        }
    }

    /// Starts the next entry of the innermost object or array.
    fn entry(&mut self) {
        if let Some(o) = self.open.last_mut() {
            let more = std::mem::replace(&mut o.any, true);
            if more {
                self.out.push(b',');
            }
            self.newline();
        }
    }

    pub fn begin_object(&mut self) {
        self.out.push(b'{');
        self.open.push(Open::default());
    }

    pub fn begin_array(&mut self) {
        self.out.push(b'[');
        self.open.push(Open::default());
    }

    /// Ends the innermost object or array with `close`.
    fn end(&mut self, close: u8) {
        let o = self.open.pop().expect("an open object or array");
        if o.any {
            self.newline();
        }
        self.out.push(close);
    }

    pub fn end_object(&mut self) {
        self.end(b'}');
    }

    pub fn end_array(&mut self) {
        self.end(b']');
    }

    /// Starts an object's entry: its key (which must sort after the previous one).
    pub fn key(&mut self, k: &str) {
        #[cfg(debug_assertions)]
        if let Some(o) = self.open.last_mut() {
            if let Some(prev) = &o.last_key {
                debug_assert!(
                    prev.as_str() < k,
                    "key {k:?} after {prev:?}: keys go in order"
                );
            }
            o.last_key = Some(k.to_string());
        }
        self.entry();
        self.string(k);
        self.out.extend_from_slice(b": ");
    }

    /// Starts an array's element.
    pub fn element(&mut self) {
        self.entry();
    }

    /// A string, escaped as serde_json escapes it.
    pub fn string(&mut self, s: &str) {
        serde_json::to_writer(&mut self.out, s).expect("writing to memory");
    }

    /// `null`.
    pub fn null(&mut self) {
        self.out.extend_from_slice(b"null");
    }

    /// A number as serde_json writes it (`null` when not finite).
    pub fn number(&mut self, n: f64) {
        serde_json::to_writer(&mut self.out, &n).expect("writing to memory");
    }

    /// Any JSON value, as serde_json prints it (an object's keys are in order already).
    pub fn value(&mut self, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Object(m) => {
                self.begin_object();
                for (k, x) in m {
                    self.key(k);
                    self.value(x);
                }
                self.end_object();
            }
            Value::Array(a) => {
                self.begin_array();
                for x in a {
                    self.element();
                    self.value(x);
                }
                self.end_array();
            }
            other => serde_json::to_writer(&mut self.out, other).expect("writing to memory"),
        }
    }

    /// `"k": "s"`.
    pub fn field(&mut self, k: &str, s: &str) {
        self.key(k);
        self.string(s);
    }

    /// `"k": ["s", …]`.
    pub fn string_list(&mut self, k: &str, list: &[&str]) {
        self.key(k);
        self.begin_array();
        for s in list {
            self.element();
            self.string(s);
        }
        self.end_array();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_as_serde_json_does() {
        let mut p = Pretty::new();
        p.begin_object();
        p.key("a");
        p.begin_array();
        p.end_array();
        p.key("b");
        p.begin_object();
        p.end_object();
        p.key("c");
        p.begin_array();
        for x in [1.0, -2.5, 4_800_000.0, f64::NAN, 1e21, 0.1] {
            p.element();
            p.number(x);
        }
        p.element();
        p.begin_object();
        p.field("q", "\"quoted\" \\ \n\t\u{1} ə ü");
        p.end_object();
        p.end_array();
        p.string_list("d", &["x", "y"]);
        p.end_object();
        let ours = p.finish();
        let v: serde_json::Value = serde_json::from_slice(&ours).unwrap();
        let mut theirs = serde_json::to_vec_pretty(&v).unwrap();
        theirs.push(b'\n');
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "keys go in order")]
    fn keys_out_of_order_are_caught() {
        let mut p = Pretty::new();
        p.begin_object();
        p.field("b", "");
        p.field("a", "");
    }
}
