// The pool of pango font maps that makes concurrent rendering safe.
//
// Threads: a PangoFontMap caches fonts and is not safe to use from two threads at once (pango's own
// answer is one default font map per thread, pango_cairo_font_map_get_default). A document may hop
// threads between calls (Swift concurrency), so instead each document *leases* a font map from a
// process-wide pool for its lifetime: one document per font map at a time, handed over under a lock,
// and the font caches survive from one document to the next. The pool grows to the peak number of
// documents alive at once (a few MB each) and never shrinks.
import CPangoCairo
import Synchronization

/// A pango font map for cairo, at 72 dpi so that pango sizes are PDF points.
final class FontMap: @unchecked Sendable {  // Unchecked: used by one document at a time, see above.
    let handle: UnsafeMutablePointer<PangoFontMap>

    init() throws {
        guard let map = pango_cairo_font_map_new() else {
            throw PDFError(function: "pango_cairo_font_map_new", message: "returned NULL", context: "font map")
        }
        handle = map
        pango_cairo_font_map_set_resolution(OpaquePointer(map), 72)
    }

    deinit { g_object_unref(handle) }
}

/// The process-wide pool of idle font maps.
final class FontMapPool: Sendable {
    /// Created on first use, under Swift's one-time initialisation: the first font map loads
    /// fontconfig's configuration and the DejaVu faces once, before any two documents can race on it.
    static let shared: FontMapPool = {
        let pool = FontMapPool()
        pool.warmUp()
        return pool
    }()

    private let idle = Mutex<[FontMap]>([])

    private init() {}

    /// Lays out one line in every face: fills fontconfig's and the first map's caches. Best effort:
    /// a failure here shows up again, and is thrown, when a document asks for a font map.
    private func warmUp() {
        guard let context = try? TextContext(pool: self, cairo: nil) else { return }
        for family in TextStyle.Family.allCases {
            for (bold, italic) in [(false, false), (true, false), (false, true), (true, true)] {
                let style = TextStyle(family: family, size: 10, bold: bold, italic: italic)
                _ = try? TextLayout(context: context, text: "Aé Œ ß ễ", width: 100, style: style).metrics()
            }
        }
        // `context` is released on return and gives the warmed map back to this pool.
    }

    func lease() throws -> FontMap {
        if let map = idle.withLock({ $0.popLast() }) { return map }
        return try FontMap()
    }

    func giveBack(_ map: FontMap) {
        idle.withLock { $0.append(map) }
    }
}
