// QR codes: libqrencode computes the matrix, cairo fills the dark modules as one vector path.
import CPangoCairo
import CQREncode
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Owner of a libqrencode symbol (rule 3, Sources/README.md).
final class QRMatrix {
    private let handle: UnsafeMutablePointer<QRcode>
    /// Modules per side, without the quiet zone.
    let width: Int

    init(_ payload: String) throws {
        // QRcode_encodeString reads a C string: a NUL would silently truncate the payload.
        guard !payload.utf8.contains(0) else {
            throw PDFError(function: "QRcode_encodeString", message: "payload contains NUL", context: "QR code")
        }
        // Version 0 lets the library pick the smallest symbol; level M restores ~15% damage (a fold,
        // a smudge); with the QR_MODE_8 hint, anything that is not digits or upper-case alphanumerics
        // is encoded as bytes (UTF-8 here), case preserved.
        // qrencode.h: "On error, NULL is returned, and errno is set to indicate the error":
        // EINVAL (invalid input), ENOMEM, ERANGE (input data is too large).
        guard let code = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
            let code = errno
            throw PDFError(
                function: "QRcode_encodeString", code: code, message: String(cString: strerror(code)),
                context: "QR code of \(payload.utf8.count) bytes at level M")
        }
        handle = code
        width = Int(code.pointee.width)
    }

    /// qrencode.h: "If the less significant bit of the uchar is 1, the corresponding module is
    /// black. The other bits are meaningless for usual applications."
    func isDark(x: Int, y: Int) -> Bool {
        handle.pointee.data[y * width + x] & 1 == 1
    }

    deinit { QRcode_free(handle) }
}

extension PDFDocument {
    /// The QR code's mandatory quiet zone, in modules (ISO/IEC 18004: at least 4).
    static let quietZone = 4

    /// Draws a QR code of `payload` (error correction M), as large as fits in `rect` and centred in
    /// it; `rect` includes the white quiet zone, which is painted, so the code may sit on a tinted
    /// box. Returns the symbol's side in modules (21 for version 1, +4 per version).
    @discardableResult
    public func qrCode(_ payload: String, in rect: Rect) throws -> Int {
        let matrix = try QRMatrix(payload)
        let cr = self.cr
        let side = matrix.width + 2 * Self.quietZone
        let module = min(rect.width, rect.height) / Double(side)
        let originX = rect.x + (rect.width - module * Double(side)) / 2
        let originY = rect.y + (rect.height - module * Double(side)) / 2

        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_new_path(cr)
        cairo_rectangle(cr, originX, originY, module * Double(side), module * Double(side))
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_fill(cr)

        // One rectangle per horizontal run of dark modules, all in one path filled once: abutting
        // shapes filled separately leave hairline seams in some viewers and printers, one fill of
        // the union does not.
        let left = originX + Double(Self.quietZone) * module
        let top = originY + Double(Self.quietZone) * module
        for y in 0..<matrix.width {
            var x = 0
            while x < matrix.width {
                guard matrix.isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < matrix.width && matrix.isDark(x: x, y: y) { x += 1 }
                cairo_rectangle(
                    cr, left + Double(start) * module, top + Double(y) * module,
                    Double(x - start) * module, module)
            }
        }
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
        cairo_set_source_rgb(cr, 0, 0, 0)
        cairo_fill(cr)
        try checkCairo(cairo_status(cr), "cairo_fill", "QR code at (\(rect.x), \(rect.y))")
        return matrix.width
    }
}
