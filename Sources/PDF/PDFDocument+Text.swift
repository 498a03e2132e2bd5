// Text blocks: wrapped, aligned, and shrunk to fit a box when asked.
import CPangoCairo

extension PDFDocument {
    /// Draws `string` in `rect` from the box's top edge, wrapped at word boundaries unless
    /// `style.wraps` is false, and says how much room it took. With `style.shrinkToFit`, the font shrinks until the text fits the box; text is
    /// never cut, so `height > rect.height` means it overflowed (see `TextMetrics.height`).
    @discardableResult
    public func text(_ string: String, in rect: Rect, style: TextStyle) throws -> TextMetrics {
        let layout = try fitted(string, in: rect, style: style)
        let cr = self.cr
        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_set_source_rgb(cr, style.gray, style.gray, style.gray)
        cairo_move_to(cr, layout.originX(boxX: rect.x), rect.y)
        pango_cairo_show_layout(cr, layout.handle)
        try checkCairo(cairo_status(cr), "pango_cairo_show_layout", "text block at (\(rect.x), \(rect.y))")
        return layout.metrics()
    }

    /// What `text(_:in:style:)` would produce, without drawing: to centre a block vertically, or to
    /// choose between two wordings.
    public func measure(_ string: String, in rect: Rect, style: TextStyle) throws -> TextMetrics {
        try fitted(string, in: rect, style: style).metrics()
    }

    /// The layout at the size that fits. Fitting is (nearly) monotonic in the font size, so a bisection
    /// finds the largest size that fits to within 0.05 pt in about eight layouts; the size kept is
    /// always one that was checked to fit. Text that fits at its own size (the usual case) costs one.
    private func fitted(_ string: String, in rect: Rect, style: TextStyle) throws -> TextLayout {
        precondition(rect.width > 0, "a text box needs a positive width")
        precondition(style.size > 0 && style.minimumSize > 0, "font sizes must be positive")
        _ = cr  // No layout after finish().
        let layout = try TextLayout(context: textContext, text: string, width: rect.width, style: style)
        guard style.shrinkToFit else { return layout }

        // While shrinking, a word must not be broken (a name cut in two reads as two words), so a
        // size fits only if every word fits on a line (every line, when not wrapping) and all lines
        // fit in the height.
        let tolerance = 0.01
        func fits(_ size: Double) -> Bool {
            layout.setSize(size)
            let metrics = layout.metrics()
            return metrics.width <= rect.width + tolerance && metrics.height <= rect.height + tolerance
        }
        layout.setBreaksWords(false)
        if fits(style.size) { return layout }
        let floor = min(style.minimumSize, style.size)
        guard fits(floor) else {
            // Not even at the minimum size: break words rather than run off the side of the box
            // (no effect when not wrapping: that text runs off the side, and `width` says so).
            layout.setBreaksWords(true)
            layout.setSize(floor)
            return layout
        }
        var small = floor, large = style.size
        while large - small > 0.05 {
            let middle = (small + large) / 2
            if fits(middle) { small = middle } else { large = middle }
        }
        layout.setSize(small)
        return layout
    }
}
