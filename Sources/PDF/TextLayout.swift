// Owners of the pango handles behind a document's text (rule 3, Sources/README.md): the context (fonts and
// resolution for one document), a font description, and a layout (one block of text).
import CPangoCairo

/// A pango context on a leased font map, set up for vector output.
final class TextContext {
    let handle: OpaquePointer
    private let fontMap: FontMap
    private let pool: FontMapPool

    /// `cairo` is the document's drawing context, or nil to lay out without drawing (warm-up).
    init(pool: FontMapPool, cairo: OpaquePointer?) throws {
        // If anything below throws, the map is simply freed rather than given back: no leak.
        fontMap = try pool.lease()
        self.pool = pool
        guard let context = pango_font_map_create_context(fontMap.handle) else {
            throw PDFError(function: "pango_font_map_create_context", message: "returned NULL", context: "text")
        }
        handle = context
        // For a PDF, glyph positions and metrics must not be snapped to a pixel grid that does not
        // exist: pango rounds positions by default, and cairo hints metrics unless told not to.
        pango_context_set_round_glyph_positions(context, 0)
        guard let options = cairo_font_options_create() else {
            throw PDFError(function: "cairo_font_options_create", message: "returned NULL", context: "text")
        }
        defer { cairo_font_options_destroy(options) }
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        try checkCairo(cairo_font_options_status(options), "cairo_font_options_create", "text font options")
        pango_cairo_context_set_font_options(context, options)
        // The document never changes the transformation, so matching it once is enough.
        if let cairo { pango_cairo_update_context(cairo, context) }
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(handle))
        pool.giveBack(fontMap)
    }
}

/// A pango font description.
final class FontDescription {
    let handle: OpaquePointer

    init(_ style: TextStyle) throws {
        guard let description = pango_font_description_new() else {
            throw PDFError(function: "pango_font_description_new", message: "returned NULL", context: "\(style)")
        }
        handle = description
        pango_font_description_set_family(description, style.family.rawValue)
        pango_font_description_set_weight(description, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        // fontconfig answers "italic" with DejaVu's oblique faces.
        pango_font_description_set_style(description, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
    }

    /// Size in user-space units (points): "absolute" sizes ignore the resolution.
    func setSize(_ points: Double) {
        pango_font_description_set_absolute_size(handle, points * Double(PANGO_SCALE))
    }

    deinit { pango_font_description_free(handle) }
}

/// One block of text laid out in a given width.
final class TextLayout {
    let handle: OpaquePointer
    private let font: FontDescription
    private(set) var size: Double
    private let boxWidth: Double
    private let wraps: Bool
    private let alignment: TextStyle.Alignment

    /// `width` is the box's: lines wrap in it, or, when the style does not wrap, are aligned in it.
    init(context: TextContext, text: String, width: Double, style: TextStyle) throws {
        // The description first: if it throws, there is no layout yet to release.
        font = try FontDescription(style)
        guard let layout = pango_layout_new(context.handle) else {
            throw PDFError(function: "pango_layout_new", message: "returned NULL", context: "text")
        }
        handle = layout
        size = style.size
        boxWidth = width
        wraps = style.wraps
        alignment = style.alignment
        // Plain text, never markup: a "<" or "&" in a name is just a character.
        pango_layout_set_text(layout, text, Int32(text.utf8.count))
        // pango: "width: the desired width in Pango units, or -1 to indicate that no wrapping or
        // ellipsization should be performed." Alignment then works within the widest line only,
        // and `originX` places that line in the box.
        pango_layout_set_width(layout, style.wraps ? pangoUnits(width) : -1)
        pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        switch style.alignment {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        }
        if style.letterSpacing != 0 {
            guard let attributes = pango_attr_list_new(),
                let spacing = pango_attr_letter_spacing_new(pangoUnits(style.letterSpacing))
            else {
                throw PDFError(function: "pango_attr_letter_spacing_new", message: "returned NULL", context: "letter spacing")
            }
            // The list takes ownership of the attribute; the layout takes a reference on the list.
            pango_attr_list_insert(attributes, spacing)
            pango_layout_set_attributes(layout, attributes)
            pango_attr_list_unref(attributes)
        }
        setSize(style.size)
    }

    /// Re-lays out the text at another font size (pango copies the description).
    func setSize(_ points: Double) {
        size = points
        font.setSize(points)
        pango_layout_set_font_description(handle, font.handle)
    }

    /// Word wrapping (a too-long word overflows) or word-then-character wrapping (it breaks).
    func setBreaksWords(_ breaks: Bool) {
        pango_layout_set_wrap(handle, breaks ? PANGO_WRAP_WORD_CHAR : PANGO_WRAP_WORD)
    }

    /// Where to draw the layout for a box whose left edge is at `x`.
    func originX(boxX x: Double) -> Double {
        guard !wraps else { return x }
        let spare = boxWidth - metrics().width
        switch alignment {
        case .left: return x
        case .center: return x + spare / 2
        case .right: return x + spare
        }
    }

    func metrics() -> TextMetrics {
        var logical = PangoRectangle()
        pango_layout_get_extents(handle, nil, &logical)
        let scale = Double(PANGO_SCALE)
        return TextMetrics(
            height: Double(logical.y + logical.height) / scale, width: Double(logical.width) / scale,
            fontSize: size, lineCount: Int(pango_layout_get_line_count(handle)),
            missingGlyphs: Int(pango_layout_get_unknown_glyphs_count(handle)))
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(handle)) }
}

/// Points to pango units (1/1024 point), rounded.
func pangoUnits(_ points: Double) -> Int32 {
    Int32((points * Double(PANGO_SCALE)).rounded())
}
