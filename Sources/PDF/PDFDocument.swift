// A PDF document drawn in memory: pages, lines, boxes; text and QR codes live in the +Text and
// +QRCode files. It knows nothing of schools or accounts: the domain composes sheets from it.
import CPangoCairo

/// A PDF being drawn, page after page, into memory.
///
/// The first page is open as soon as the document exists; `newPage()` closes it and opens the next.
/// Coordinates are points from the top-left corner of the page. A document is used by one thread at
/// a time (it is not `Sendable`); any number of documents may render at once on different threads.
/// Drawing after `finish()` is a bug (precondition failure).
public final class PDFDocument {
    /// Page size in points (A4 portrait by default).
    public let pageWidth: Double
    public let pageHeight: Double
    /// Pages so far, the open one included.
    public private(set) var pageCount = 1

    let cairo: CairoContext
    let textContext: TextContext
    private var finished = false

    /// A4 portrait is 210 × 297 mm = 595.28 × 841.89 pt. `title` goes into the PDF's metadata.
    public init(pageWidth: Double = 595.28, pageHeight: Double = 841.89, title: String? = nil) throws {
        precondition(pageWidth > 0 && pageHeight > 0, "page size must be positive")
        self.pageWidth = pageWidth
        self.pageHeight = pageHeight
        let surface = try PDFSurface(width: pageWidth, height: pageHeight, title: title)
        cairo = try CairoContext(surface: surface)
        textContext = try TextContext(pool: FontMapPool.shared, cairo: cairo.handle)
    }

    var cr: OpaquePointer {
        precondition(!finished, "PDFDocument used after finish()")
        return cairo.handle
    }

    /// Closes the current page and opens a new blank one of the same size.
    public func newPage() {
        cairo_show_page(cr)
        pageCount += 1
    }

    /// A straight line.
    public func line(from start: Point, to end: Point, stroke: Stroke = Stroke()) {
        let cr = self.cr
        cairo_new_path(cr)
        cairo_move_to(cr, start.x, start.y)
        cairo_line_to(cr, end.x, end.y)
        apply(stroke)
        cairo_stroke(cr)
    }

    /// A box, filled with `fill` gray and/or outlined with `stroke`, corners optionally rounded.
    public func rect(_ r: Rect, fill: Double? = nil, stroke: Stroke? = nil, cornerRadius: Double = 0) {
        let cr = self.cr
        cairo_new_path(cr)
        let radius = min(max(cornerRadius, 0), r.width / 2, r.height / 2)
        if radius > 0 {
            // Four quarter circles joined clockwise from the top-right corner (angles in radians,
            // 0 along +x, growing towards +y, i.e. downwards on the page).
            let half = Double.pi / 2
            cairo_new_sub_path(cr)
            cairo_arc(cr, r.maxX - radius, r.y + radius, radius, -half, 0)
            cairo_arc(cr, r.maxX - radius, r.maxY - radius, radius, 0, half)
            cairo_arc(cr, r.x + radius, r.maxY - radius, radius, half, 2 * half)
            cairo_arc(cr, r.x + radius, r.y + radius, radius, 2 * half, 3 * half)
            cairo_close_path(cr)
        } else {
            cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        }
        if let fill {
            cairo_set_source_rgb(cr, fill, fill, fill)
            cairo_fill_preserve(cr)
        }
        if let stroke {
            apply(stroke)
            cairo_stroke_preserve(cr)
        }
        cairo_new_path(cr)
    }

    /// Ends the document and returns the PDF file. The document cannot be drawn on afterwards.
    public func finish() throws -> [UInt8] {
        // cairo errors are sticky: one failed drawing call anywhere shows up here.
        try checkCairo(cairo_status(cr), "cairo drawing", "page \(pageCount) of the document")
        finished = true
        return try cairo.surface.finish()
    }

    private func apply(_ stroke: Stroke) {
        let cr = self.cr
        cairo_set_line_width(cr, stroke.width)
        cairo_set_source_rgb(cr, stroke.gray, stroke.gray, stroke.gray)
        if let dash = stroke.dash, !dash.isEmpty {
            cairo_set_dash(cr, dash, Int32(dash.count), 0)
        } else {
            cairo_set_dash(cr, nil, 0, 0)
        }
    }
}
