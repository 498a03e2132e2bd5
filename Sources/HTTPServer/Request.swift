/// One HTTP request as the handler sees it: decoded target, headers, the whole body, and where it came from.
public struct Request: Sendable {
    /// The method as sent, e.g. "GET".
    public let method: String
    /// The percent-decoded path, without the query string.
    public let path: String
    /// Decoded query items ("+" is a space), repeated names kept in order.
    public let queryItems: [(name: String, value: String)]
    public let headers: HTTPHeaders
    /// Cookies from the `Cookie` header(s); when a name repeats, the first one wins.
    public var cookies: [String: String]
    public let body: [UInt8]
    /// The client's IP address, e.g. "127.0.0.1" or "::1".
    public let remoteAddress: String
    /// True when the request arrived over HTTPS.
    public let isTLS: Bool
    /// Values of the route pattern's `{name}` segments, filled in by whoever matched the route.
    public var pathParameters: [String: String] = [:]

    /// A request with an already-decoded path and query; cookies are parsed from `headers`.
    public init(
        method: String,
        path: String,
        queryItems: [(name: String, value: String)] = [],
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1",
        isTLS: Bool = false
    ) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.cookies = Self.parseCookies(headers.values(for: "Cookie"))
        self.body = body
        self.remoteAddress = remoteAddress
        self.isTLS = isTLS
    }

    /// A request from a raw target such as "/search?q=%C3%A9l%C3%A8ve", decoded as the daemon does;
    /// nil when the daemon would answer 400 (malformed escape, invalid UTF-8, NUL in the path).
    public init?(
        method: String,
        target: String,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        remoteAddress: String = "127.0.0.1",
        isTLS: Bool = false
    ) {
        guard let parsed = RequestTarget(target.utf8) else { return nil }
        self.init(
            method: method, path: parsed.path, queryItems: parsed.queryItems.map { ($0.name, $0.value) },
            headers: headers, body: body, remoteAddress: remoteAddress, isTLS: isTLS)
    }

    /// The first query value named `name`.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Parses `name=value; name2=value2` (RFC 6265 §5.4), dropping pairs without "=" and surrounding quotes.
    static func parseCookies(_ headerValues: [String]) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headerValues {
            for pair in header.split(separator: ";") {
                guard let equals = pair.firstIndex(of: "=") else { continue }
                let name = pair[..<equals].trimmingSpaces()
                var value = pair[pair.index(after: equals)...].trimmingSpaces()
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                guard !name.isEmpty, cookies[name] == nil else { continue }
                cookies[name] = value
            }
        }
        return cookies
    }
}

extension Substring {
    /// Drops leading and trailing spaces and tabs (the only whitespace HTTP allows around values).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
