//! A compact SVG drawing backend for plotters: what plotters' own `SVGBackend` draws, element for
//! element, in fewer bytes and less time. Every colour of the palette gets its CSS class as it
//! is written (so the theme and its dark mode restyle it; the hex value stays as a fallback),
//! road colours their dash pattern, and attributes at their SVG defaults are left out
//! (`opacity="1"`, `stroke="none"` on a filled shape, `stroke-width="1"`, `text-anchor="start"`).
//! Shapes in a row with the same paint share one `<g>` that holds it (see [`Svg::shape`]).
//! No root element is written: [`super::wrap_body`] (or [`super::open_svg`]) adds the accessible
//! one.
//!
//! The same backend is also a pen: [`Svg::rect`], [`Svg::polyline`], [`Svg::polygon`] and
//! [`Svg::circle`] write those elements without going through a plotters drawing area, for the
//! maps' many small shapes.
//!
//! A locator map is on every settlement and road page, so at national scale its size and the
//! time to draw it count (see docs/benchmarks.md).

use super::{Swatch, swatch_of};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::convert::Infallible;

/// Draws into a string; see the module's documentation.
pub struct Svg<'a> {
    out: &'a mut String,
    size: (u32, u32),
    /// The last shape, not written yet: its element's name, whether its paint comes before
    /// its geometry, and its paint, with its geometry's attributes in `held_geometry`. If the
    /// next shape has the same paint, both go under one `<g>` holding it (see [`Svg::shape`]).
    held: Option<(&'static str, bool, Paint)>,
    held_geometry: String,
    /// The paint of the open `<g>`, if one is open (never while a shape is held).
    group: Option<Paint>,
    /// A buffer to reuse.
    spare: String,
}

/// How a shape is painted: what its paint attributes are written from.
#[derive(Clone, Copy)]
enum Paint {
    /// Filled.
    Fill(BackendColor),
    /// Outlined (`fill="none"`), the stroke this wide.
    Outline(BackendColor, u32),
    /// A stroke this wide (a line: nothing to fill).
    Stroke(BackendColor, u32),
}

impl PartialEq for Paint {
    fn eq(&self, other: &Paint) -> bool {
        let same = |a: BackendColor, b: BackendColor| a.rgb == b.rgb && a.alpha == b.alpha;
        match (*self, *other) {
            (Paint::Fill(a), Paint::Fill(b)) => same(a, b),
            (Paint::Outline(a, x), Paint::Outline(b, y))
            | (Paint::Stroke(a, x), Paint::Stroke(b, y)) => same(a, b) && x == y,
            _ => false,
        }
    }
}

impl Paint {
    fn color(self) -> BackendColor {
        match self {
            Paint::Fill(c) | Paint::Outline(c, _) | Paint::Stroke(c, _) => c,
        }
    }
}

impl<'a> Svg<'a> {
    /// A backend that appends the elements it draws to `out` (the last of them when it is
    /// dropped).
    pub fn new(out: &'a mut String, size: (u32, u32)) -> Svg<'a> {
        Svg {
            out,
            size,
            held: None,
            held_geometry: String::new(),
            group: None,
            spare: String::new(),
        }
    }

    /// Writes the held shape and closes the open group: before anything else is written.
    fn flush(&mut self) {
        if let Some((name, paint_first, paint)) = self.held.take() {
            let geometry = std::mem::take(&mut self.held_geometry);
            self.whole(name, paint_first, paint, &geometry);
            self.held_geometry = geometry;
        }
        if self.group.take().is_some() {
            self.out.push_str("</g>");
        }
    }

    /// A shape with its paint: `<name paint geometry/>`, or geometry first.
    fn whole(&mut self, name: &str, paint_first: bool, paint: Paint, geometry: &str) {
        self.out.push('<');
        self.out.push_str(name);
        if !paint_first {
            self.out.push_str(geometry);
        }
        self.paint_of(paint);
        if paint_first {
            self.out.push_str(geometry);
        }
        self.out.push_str("/>");
    }

    fn paint_of(&mut self, p: Paint) {
        match p {
            Paint::Fill(c) => self.paint(false, c),
            // An outline's: no fill, the stroke and its width.
            Paint::Outline(c, width) => {
                self.out.push_str(" fill=\"none\"");
                self.paint(true, c);
                self.stroke_width(width);
            }
            Paint::Stroke(c, width) => {
                self.paint(true, c);
                self.stroke_width(width);
            }
        }
    }

    /// `<name` + `attributes` + `/>`.
    fn child(&mut self, name: &str, attributes: &str) {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push_str(attributes);
        self.out.push_str("/>");
    }

    /// One shape, `<name …/>`, painted with `paint`; `geometry` writes its other attributes.
    /// Shapes in a row with the same paint are written as `<g paint><name geometry/>…</g>`
    /// (fill, stroke, their widths, dashes and classes are inherited in SVG; `opacity` is
    /// not, so a translucent shape stands alone): the same picture, drawn in the same order,
    /// in fewer bytes.
    fn shape(
        &mut self,
        name: &'static str,
        paint_first: bool,
        paint: Paint,
        geometry: impl FnOnce(&mut Self),
    ) {
        let alpha = paint.color().alpha;
        if alpha == 0.0 {
            return;
        }
        // The geometry into a buffer of its own (the output's and the buffer's contents
        // swapped while it is written).
        let mut g = std::mem::take(&mut self.spare);
        g.clear();
        std::mem::swap(self.out, &mut g);
        geometry(self);
        std::mem::swap(self.out, &mut g);
        match self.held {
            _ if alpha != 1.0 => {
                self.flush();
                self.whole(name, paint_first, paint, &g);
            }
            _ if self.group == Some(paint) => self.child(name, &g),
            Some((held_name, _, held_paint)) if held_paint == paint => {
                self.held = None;
                self.out.push_str("<g");
                self.paint_of(paint);
                self.out.push('>');
                let held = std::mem::take(&mut self.held_geometry);
                self.child(held_name, &held);
                self.held_geometry = held;
                self.child(name, &g);
                self.group = Some(paint);
            }
            _ => {
                self.flush();
                self.held = Some((name, paint_first, paint));
                std::mem::swap(&mut self.held_geometry, &mut g);
            }
        }
        self.spare = g;
    }

    fn num(&mut self, v: i32) {
        self.out.push_str(itoa::Buffer::new().format(v));
    }

    /// ` name="v"` for a whole number.
    fn attr(&mut self, name: &str, v: i32) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.num(v);
        self.out.push('"');
    }

    /// `points="x,y x,y …"`.
    fn points<I: IntoIterator<Item = BackendCoord>>(&mut self, path: I) {
        self.out.push_str(" points=\"");
        let mut first = true;
        for (x, y) in path {
            if !first {
                self.out.push(' ');
            }
            first = false;
            self.num(x);
            self.out.push(',');
            self.num(y);
        }
        self.out.push('"');
    }

    /// ` fill="#RRGGBB" class="f-…"` (or `stroke`, `s-…`), the opacity when not 1, and for a
    /// road colour's stroke its dash pattern.
    fn paint(&mut self, stroke: bool, c: BackendColor) {
        let (r, g, b) = c.rgb;
        self.out
            .push_str(if stroke { " stroke=\"#" } else { " fill=\"#" });
        for v in [r, g, b] {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            self.out.push(char::from(HEX[usize::from(v >> 4)]));
            self.out.push(char::from(HEX[usize::from(v & 15)]));
        }
        self.out.push('"');
        if let Some(sw) = swatch_of((r, g, b)) {
            if stroke && let Some(d) = super::dash_of(sw.class) {
                self.out.push_str(" stroke-dasharray=\"");
                self.out.push_str(d);
                self.out.push('"');
            }
            self.class(stroke, sw);
        }
        if c.alpha != 1.0 {
            self.out.push_str(" opacity=\"");
            self.out.push_str(&c.alpha.to_string());
            self.out.push('"');
        }
    }

    fn class(&mut self, stroke: bool, sw: Swatch) {
        self.out
            .push_str(if stroke { " class=\"s-" } else { " class=\"f-" });
        self.out.push_str(sw.class);
        self.out.push('"');
    }

    fn stroke_width(&mut self, w: u32) {
        if w != 1 {
            self.attr("stroke-width", i32::try_from(w).unwrap_or(i32::MAX));
        }
    }

    /// A rectangle from `upper_left` to `bottom_right`, filled or outlined (one unit wide,
    /// as plotters' SVG backend draws them).
    fn rect_of(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        c: BackendColor,
        fill: bool,
    ) {
        self.shape(
            "rect",
            false,
            if fill {
                Paint::Fill(c)
            } else {
                Paint::Outline(c, 1)
            },
            |s| {
                s.attr("x", upper_left.0);
                s.attr("y", upper_left.1);
                s.attr("width", bottom_right.0 - upper_left.0);
                s.attr("height", bottom_right.1 - upper_left.1);
            },
        );
    }

    fn polyline_of<I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        c: BackendColor,
        width: u32,
    ) {
        self.shape("polyline", true, Paint::Outline(c, width), |s| {
            s.points(path)
        });
    }

    fn polygon_of<I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, c: BackendColor) {
        self.shape("polygon", true, Paint::Fill(c), |s| s.points(path));
    }

    fn circle_of(
        &mut self,
        center: BackendCoord,
        radius: u32,
        c: BackendColor,
        fill: bool,
        width: u32,
    ) {
        self.shape(
            "circle",
            false,
            if fill {
                Paint::Fill(c)
            } else {
                Paint::Outline(c, width)
            },
            |s| {
                s.attr("cx", center.0);
                s.attr("cy", center.1);
                s.attr("r", i32::try_from(radius).unwrap_or(i32::MAX));
            },
        );
    }

    // Drawing without plotters: the same elements, byte for byte, as drawing plotters'
    // `Rectangle`, `PathElement`, `Polygon` and `Circle` through this backend, for the map's
    // many small shapes (a locator map on every place and road page), where going through a
    // drawing area and its styles costs more than writing the element.

    /// What `Rectangle::new([upper_left, bottom_right], style)` draws (also a drawing area's
    /// `fill`, from its corner to its size): filled or outlined in `sw`, at `opacity`.
    pub fn rect(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        sw: Swatch,
        opacity: f64,
        fill: bool,
    ) {
        self.rect_of(upper_left, bottom_right, backend_color(sw, opacity), fill);
    }

    /// What `PathElement::new(points, ShapeStyle::from(sw).stroke_width(width))` draws.
    pub fn polyline<I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        sw: Swatch,
        width: u32,
    ) {
        self.polyline_of(path, backend_color(sw, 1.0), width);
    }

    /// What `Polygon::new(points, sw)` draws: plotters always fills a polygon.
    pub fn polygon<I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, sw: Swatch) {
        self.polygon_of(path, backend_color(sw, 1.0));
    }

    /// What `Circle::new(center, radius, style)` draws: filled, or outlined `width` wide.
    pub fn circle(
        &mut self,
        center: BackendCoord,
        radius: u32,
        sw: Swatch,
        fill: bool,
        width: u32,
    ) {
        self.circle_of(center, radius, backend_color(sw, 1.0), fill, width);
    }

    /// Writes `element` as it is (made and escaped by the caller), after what is held.
    pub fn raw(&mut self, element: &str) {
        self.flush();
        self.out.push_str(element);
    }

    fn escaped(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '&' => self.out.push_str("&amp;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                c => self.out.push(c),
            }
        }
    }
}

impl Drop for Svg<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

fn backend_color(sw: Swatch, alpha: f64) -> BackendColor {
    BackendColor { alpha, rgb: sw.rgb }
}

type Result = std::result::Result<(), DrawingErrorKind<Infallible>>;

impl DrawingBackend for Svg<'_> {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Result {
        self.shape("rect", false, Paint::Fill(color), |s| {
            s.attr("x", x);
            s.attr("y", y);
            s.out.push_str(" width=\"1\" height=\"1\"");
        });
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result {
        self.shape(
            "line",
            false,
            Paint::Stroke(style.color(), style.stroke_width()),
            |s| {
                s.attr("x1", from.0);
                s.attr("y1", from.1);
                s.attr("x2", to.0);
                s.attr("y2", to.1);
            },
        );
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        self.rect_of(upper_left, bottom_right, style.color(), fill);
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        self.polyline_of(path, style.color(), style.stroke_width());
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result {
        self.polygon_of(path, style.color());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result {
        self.circle_of(center, radius, style.color(), fill, style.stroke_width());
        Ok(())
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        (x, y): BackendCoord,
    ) -> Result {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        self.flush();
        self.out.push_str("<text");
        self.attr("x", x);
        self.attr("y", y);
        self.out.push_str(match style.anchor().v_pos {
            VPos::Top => " dy=\"0.76em\"",
            VPos::Center => " dy=\"0.5ex\"",
            VPos::Bottom => " dy=\"-0.5ex\"",
        });
        match style.anchor().h_pos {
            HPos::Left => {}
            HPos::Right => self.out.push_str(" text-anchor=\"end\""),
            HPos::Center => self.out.push_str(" text-anchor=\"middle\""),
        }
        self.out.push_str(" font-family=\"");
        self.escaped(style.family().as_str());
        self.out.push('"');
        // plotters' SVG backend writes a font's size divided by 1.24; two decimals are enough.
        let size = (style.size() / 1.24 * 100.0).round() / 100.0;
        self.out.push_str(" font-size=\"");
        self.out.push_str(&size.to_string());
        self.out.push('"');
        self.paint(false, color);
        match style.style() {
            FontStyle::Normal => {}
            FontStyle::Bold => self.out.push_str(" font-weight=\"bold\""),
            other => {
                self.out.push_str(" font-style=\"");
                self.out.push_str(other.as_str());
                self.out.push('"');
            }
        }
        let rotate = match style.transform() {
            FontTransform::Rotate90 => Some(90),
            FontTransform::Rotate180 => Some(180),
            FontTransform::Rotate270 => Some(270),
            FontTransform::None => None,
        };
        if let Some(deg) = rotate {
            self.out.push_str(" transform=\"rotate(");
            self.num(deg);
            self.out.push_str(", ");
            self.num(x);
            self.out.push_str(", ");
            self.num(y);
            self.out.push_str(")\"");
        }
        self.out.push('>');
        self.escaped(text);
        self.out.push_str("</text>");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draw::chart::color;
    use crate::draw::{INK, LAND, ROAD_PLANNED};
    use plotters::prelude::*;

    fn draw(f: impl FnOnce(&DrawingArea<Svg<'_>, plotters::coord::Shift>)) -> String {
        let mut s = String::new();
        {
            let root = Svg::new(&mut s, (100, 80)).into_drawing_area();
            f(&root);
        }
        s
    }

    #[test]
    fn palette_colours_get_their_class_and_defaults_are_left_out() {
        let s = draw(|a| {
            let _ = a.draw(&Rectangle::new([(0, 0), (10, 5)], color(LAND).filled()));
            let _ = a.draw(&PathElement::new(
                vec![(1, 2), (3, 4)],
                ShapeStyle::from(&color(ROAD_PLANNED)).stroke_width(3),
            ));
            let _ = a.draw(&Circle::new((5, 6), 2, ShapeStyle::from(&color(INK))));
        });
        assert_eq!(
            s,
            "<rect x=\"0\" y=\"0\" width=\"10\" height=\"5\" fill=\"#F2F4F1\" class=\"f-land\"/>\
             <polyline fill=\"none\" stroke=\"#3D4B8D\" stroke-dasharray=\"2 5\" class=\"s-rd-planned\" stroke-width=\"3\" points=\"1,2 3,4\"/>\
             <circle cx=\"5\" cy=\"6\" r=\"2\" fill=\"none\" stroke=\"#1B1F24\" class=\"s-ink\"/>"
        );
    }

    /// The pen's shapes are what plotters' elements draw through this backend, byte for byte.
    #[test]
    fn the_pen_draws_what_plotters_draws() {
        use crate::draw::{BG, GRID, HIGHLIGHT, ROAD_BUILDING};
        let through_plotters = draw(|a| {
            let _ = a.fill(&color(BG));
            let _ = a.draw(&Rectangle::new(
                [(1, 2), (30, 40)],
                color(LAND).mix(0.5).filled(),
            ));
            let _ = a.draw(&Rectangle::new([(0, 0), (99, 79)], color(GRID)));
            let _ = a.draw(&PathElement::new(
                vec![(1, 2), (3, 4), (-5, 120)],
                ShapeStyle::from(&color(ROAD_BUILDING)).stroke_width(3),
            ));
            let _ = a.draw(&Polygon::new(vec![(5, 1), (11, 12), (1, 12)], color(INK)));
            let _ = a.draw(&Circle::new(
                (5, 6),
                6,
                ShapeStyle::from(&color(ROAD_PLANNED)).stroke_width(2),
            ));
            let _ = a.draw(&Circle::new((5, 6), 6, color(HIGHLIGHT).filled()));
        });
        let mut pen = String::new();
        {
            let mut p = Svg::new(&mut pen, (100, 80));
            p.rect((0, 0), (100, 80), BG, 1.0, true);
            p.rect((1, 2), (30, 40), LAND, 0.5, true);
            p.rect((0, 0), (99, 79), GRID, 1.0, false);
            p.polyline([(1, 2), (3, 4), (-5, 120)], ROAD_BUILDING, 3);
            p.polygon([(5, 1), (11, 12), (1, 12)], INK);
            p.circle((5, 6), 6, ROAD_PLANNED, false, 2);
            p.circle((5, 6), 6, HIGHLIGHT, true, 1);
        }
        // Except that a drawing area pulls points outside it onto its edge; the pen does not.
        assert_eq!(
            pen.replace("-5,120", "0,80"),
            through_plotters,
            "{pen}\n{through_plotters}"
        );
        assert!(pen.contains("points=\"1,2 3,4 -5,120\""));
    }

    /// Shapes in a row with one paint share a `<g>` holding it; anything else ends the group;
    /// a shape alone, or a translucent one, is written whole; the last is written on drop.
    #[test]
    fn shapes_in_a_row_with_one_paint_share_a_group() {
        use crate::draw::{BG, ROAD_OPEN};
        let mut s = String::new();
        {
            let mut p = Svg::new(&mut s, (100, 80));
            p.polyline([(1, 2), (3, 4)], ROAD_OPEN, 3);
            p.polyline([(5, 6), (7, 8)], ROAD_OPEN, 3);
            p.polyline([(9, 9), (1, 1)], ROAD_OPEN, 3);
            // Another width is another paint.
            p.polyline([(2, 2), (4, 4)], ROAD_OPEN, 5);
            p.circle((5, 6), 2, BG, true, 1);
            p.rect((0, 0), (4, 4), BG, 0.5, true);
            p.circle((1, 1), 2, BG, true, 1);
            p.circle((2, 2), 2, BG, true, 1);
        }
        assert_eq!(
            s,
            "<g fill=\"none\" stroke=\"#1D6B34\" class=\"s-rd-open\" stroke-width=\"3\">\
             <polyline points=\"1,2 3,4\"/><polyline points=\"5,6 7,8\"/><polyline points=\"9,9 1,1\"/></g>\
             <polyline fill=\"none\" stroke=\"#1D6B34\" class=\"s-rd-open\" stroke-width=\"5\" points=\"2,2 4,4\"/>\
             <circle cx=\"5\" cy=\"6\" r=\"2\" fill=\"#FFFFFE\" class=\"f-bg\"/>\
             <rect x=\"0\" y=\"0\" width=\"4\" height=\"4\" fill=\"#FFFFFE\" class=\"f-bg\" opacity=\"0.5\"/>\
             <g fill=\"#FFFFFE\" class=\"f-bg\"><circle cx=\"1\" cy=\"1\" r=\"2\"/><circle cx=\"2\" cy=\"2\" r=\"2\"/></g>"
        );
        // Text ends a group; what follows starts afresh.
        let t = draw(|a| {
            let _ = a.draw(&Circle::new((1, 1), 2, color(INK).filled()));
            let _ = a.draw(&Circle::new((2, 2), 2, color(INK).filled()));
            let _ = a.draw(&Text::new("x", (4, 9), ("sans-serif", 15).into_font()));
            let _ = a.draw(&Circle::new((3, 3), 2, color(INK).filled()));
        });
        assert!(
            t.starts_with("<g fill=\"#1B1F24\" class=\"f-ink\"><circle cx=\"1\" cy=\"1\" r=\"2\"/><circle cx=\"2\" cy=\"2\" r=\"2\"/></g><text "),
            "{t}"
        );
        assert!(
            t.ends_with(
                "</text><circle cx=\"3\" cy=\"3\" r=\"2\" fill=\"#1B1F24\" class=\"f-ink\"/>"
            ),
            "{t}"
        );
    }

    #[test]
    fn text_is_escaped_and_other_colours_keep_their_opacity() {
        let s = draw(|a| {
            let _ = a.draw(&Text::new(
                "A <b> & \"c\"",
                (4, 9),
                ("sans-serif", 15)
                    .into_font()
                    .color(&RGBColor(1, 2, 3).mix(0.5)),
            ));
        });
        assert_eq!(
            s,
            "<text x=\"4\" y=\"9\" dy=\"0.76em\" font-family=\"sans-serif\" font-size=\"12.1\" fill=\"#010203\" opacity=\"0.5\">A &lt;b&gt; &amp; &quot;c&quot;</text>"
        );
    }
}
