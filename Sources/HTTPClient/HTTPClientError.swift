// The one error type of the HTTPClient module.

/// A request libcurl could not complete: no HTTP answer at all. An answer with any status is not an error here.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// No connection: refused, unresolvable name, network down.
        case unreachable
        /// The connection or the answer took longer than allowed.
        case timeout
        /// The TLS handshake failed or the server's certificate did not verify against the CA bundle.
        case tls
        /// Anything else: a setup call failed (our bug, or libcurl built without a protocol), a malformed answer.
        case other
    }

    public let kind: Kind
    /// The C function that failed.
    public let function: String
    /// libcurl's CURLcode, nil when our own check refused the request.
    public let curlCode: Int32?
    /// libcurl's message (its error buffer, else curl_easy_strerror).
    public let message: String

    public init(kind: Kind, function: String, curlCode: Int32? = nil, message: String) {
        (self.kind, self.function, self.curlCode, self.message) = (kind, function, curlCode, message)
    }

    public var description: String {
        "\(message) (\(function)\(curlCode.map { " [\($0)]" } ?? ""))"
    }
}
