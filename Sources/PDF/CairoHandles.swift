// Owners of the two cairo handles behind a document: the PDF surface (which writes the file into
// memory) and the drawing context on it (rule 3 in Sources/README.md: one final class per C handle).
import CPangoCairo

/// Throws when a cairo status is not success. cairo errors are sticky: once an object is in error,
/// every later operation on it is a no-op and its status keeps the first error.
func checkCairo(_ status: cairo_status_t, _ function: String, _ context: String) throws {
    guard status != CAIRO_STATUS_SUCCESS else { return }
    throw PDFError(
        function: function, code: Int32(bitPattern: status.rawValue),
        message: String(cString: cairo_status_to_string(status)), context: context)
}

/// The bytes cairo writes through its stream callback.
final class ByteSink {
    var bytes: [UInt8] = []
}

/// A cairo PDF surface that writes into a `ByteSink`.
final class PDFSurface {
    let handle: OpaquePointer
    /// Must outlive `handle`: cairo writes into it until the surface is destroyed.
    let sink = ByteSink()

    init(width: Double, height: Double, title: String?) throws {
        // cairo: "write_func: a cairo_write_func_t to accept the output data […] closure: the
        // closure argument for write_func". The sink is passed unretained: `self` keeps it alive
        // for as long as the surface exists, and deinit destroys the surface first.
        let write: cairo_write_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        // cairo never returns NULL here: on failure it returns a "nil surface" in an error state,
        // which must still be destroyed (deinit does, since every property is set by then).
        handle = cairo_pdf_surface_create_for_stream(write, closure, width, height)
        try checkCairo(
            cairo_surface_status(handle), "cairo_pdf_surface_create_for_stream",
            "\(width)×\(height) pt PDF surface")
        if let title {
            cairo_pdf_surface_set_metadata(handle, CAIRO_PDF_METADATA_TITLE, title)
            try checkCairo(cairo_surface_status(handle), "cairo_pdf_surface_set_metadata", "document title")
        }
    }

    /// Writes the trailer; the surface accepts no drawing afterwards.
    func finish() throws -> [UInt8] {
        cairo_surface_finish(handle)
        try checkCairo(cairo_surface_status(handle), "cairo_surface_finish", "writing the PDF")
        return sink.bytes
    }

    deinit {
        // Finishes the file if finish() was never called; writes go to the sink, still alive here.
        cairo_surface_destroy(handle)
    }
}

/// A cairo drawing context on a `PDFSurface`.
final class CairoContext {
    let handle: OpaquePointer
    /// Held so the surface's owner (and its sink) outlive this context: cairo_create takes a
    /// reference on the surface, and the last reference may be this context's.
    let surface: PDFSurface

    init(surface: PDFSurface) throws {
        self.surface = surface
        // cairo: "This function never returns NULL. If memory cannot be allocated, a special
        // cairo_t object will be returned on which cairo_status() returns CAIRO_STATUS_NO_MEMORY."
        handle = cairo_create(surface.handle)
        try checkCairo(cairo_status(handle), "cairo_create", "drawing context for the PDF surface")
    }

    deinit { cairo_destroy(handle) }
}
