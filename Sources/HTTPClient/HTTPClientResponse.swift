/// What the server answered, redirects not followed.
public struct HTTPClientResponse: Sendable {
    public let status: Int
    /// Header lines of the final answer in order, names as sent.
    public let headers: [(name: String, value: String)]
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        (self.status, self.headers, self.body) = (status, headers, body)
    }

    /// The first header of that name (compared without case), trimmed.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }

    /// The `Location` header's path (and query), whether the server sent an absolute URL or a path: entcore builds
    /// absolute ones from `X-Forwarded-Proto` and `Host`, which a proxy may rewrite, so only the path is compared.
    public var locationPath: String? {
        guard let location = header("Location") else { return nil }
        if location.hasPrefix("/") { return location }
        guard let scheme = location.range(of: "://") else { return location }
        let rest = location[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    /// The body as text (invalid UTF-8 replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// One request: what to send, and how long to wait.
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    /// Extra header lines, "Name: value".
    public var headers: [String]
    /// An `application/x-www-form-urlencoded` body (POST), already encoded; see `HTTPClient.formEncode`.
    public var form: String?
    /// Whole transfer, and connection alone.
    public var timeoutSeconds: Double
    public var connectTimeoutSeconds: Double

    public init(
        method: String = "GET", url: String, headers: [String] = [], form: String? = nil,
        timeoutSeconds: Double = 10, connectTimeoutSeconds: Double? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.form = form
        self.timeoutSeconds = timeoutSeconds
        self.connectTimeoutSeconds = connectTimeoutSeconds ?? min(timeoutSeconds, 5)
    }
}
