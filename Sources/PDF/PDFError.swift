// The one error type of the PDF module.

/// A cairo, pango or libqrencode call that failed at run time.
public struct PDFError: Error, CustomStringConvertible, Sendable {
    /// The C function that failed (or the check that refused the input).
    public let function: String
    /// The library's code (a cairo_status_t, an errno), nil when the call only returned NULL.
    public let code: Int32?
    /// The library's own message (cairo_status_to_string, strerror).
    public let message: String
    /// What we were doing.
    public let context: String

    init(function: String, code: Int32? = nil, message: String, context: String) {
        self.function = function
        self.code = code
        self.message = message
        self.context = context
    }

    public var description: String {
        "\(function)\(code.map { " [\($0)]" } ?? ""): \(message) (\(context))"
    }
}
