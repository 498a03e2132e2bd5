import Foundation

/// What the handler answers: a status, ordered headers (repeats allowed) and the whole body.
///
/// `Content-Length` and `Date` are set by libmicrohttpd from the body; a `Content-Length` given here is ignored.
/// For HEAD requests give the body anyway: libmicrohttpd sends its length and not its bytes.
public struct Response: Sendable {
    /// 100...999; the daemon treats anything else as a handler bug (precondition).
    public var status: Int { didSet { preparedCopy = nil } }
    public var headers: HTTPHeaders { didSet { preparedCopy = nil } }
    public var body: [UInt8] { didSet { preparedCopy = nil } }
    /// libmicrohttpd's copy of exactly this status, headers and body (see `prepared()`), or nil.
    var preparedCopy: PreparedResponse?

    public init(status: Int = 200, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response.
    public static func text(_ text: String, status: Int = 200) -> Response {
        Response(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// An `application/json` response, keys sorted so that bodies are stable. A value that cannot be encoded
    /// (e.g. a NaN) gives a 500 with the encoder's reason as plain text.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(value)
            return Response(status: status, headers: ["Content-Type": "application/json"], body: Array(data))
        } catch {
            return .text("JSON encoding failed: \(error)", status: 500)
        }
    }
}
