/// One declarative route table: method + path pattern -> handler.
///
/// Patterns are literal segments and `{name}` segments; `{name}` matches exactly one non-empty segment.
/// Matching is strict: "/a/" does not match "/a". When two patterns match, the one whose first differing segment
/// is literal wins ("/accounts/search" over "/accounts/{login}"), whatever the order they were added in.
/// `match` takes the request's already percent-decoded `path`, so parameters come out decoded; it does not decode
/// again (that would turn "%2525" into "%" instead of "%25").
public struct Router<Handler: Sendable>: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Route: Sendable {
        let method: String
        let segments: [Segment]
        let handler: Handler
    }

    private var routes: [Route] = []
    /// Routes without parameters, by path then method: most requests name one, and a literal route is always the
    /// most specific match, so it answers without the scan (which profiling showed was 38% of a trivial request).
    /// Keyed by the path's UTF-8 bytes: Strings compare by canonical equivalence, paths as bytes. Values index
    /// `literalHandlers`: the lookup then involves no type generic over `Handler`, whose metadata this unspecialised
    /// code would look up at run time on every request (measured with callgrind: most of `match`'s cost).
    private var literal: [PathKey: [String: Int]] = [:]
    private var literalHandlers: [Handler] = []

    public init() {}

    /// Adds a route. A malformed pattern or a duplicate method + pattern is a programming error (precondition).
    public mutating func add(_ method: String, _ pattern: String, _ handler: Handler) {
        precondition(pattern.hasPrefix("/"), "route pattern must start with \"/\": \(pattern)")
        let segments = Self.split(pattern).map { segment -> Segment in
            guard segment.hasPrefix("{") else {
                precondition(!segment.contains("{") && !segment.contains("}"), "malformed segment in \(pattern)")
                return .literal(String(segment))
            }
            precondition(segment.hasSuffix("}") && segment.count > 2, "malformed parameter in \(pattern)")
            return .parameter(String(segment.dropFirst().dropLast()))
        }
        let names = segments.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
        precondition(Set(names).count == names.count, "repeated parameter name in \(pattern)")
        precondition(
            !routes.contains { $0.method == method && $0.segments == segments },
            "route \(method) \(pattern) added twice")
        routes.append(Route(method: method, segments: segments, handler: handler))
        if names.isEmpty {
            literal[PathKey(path: "/" + Self.split(pattern).joined(separator: "/")), default: [:]][method] = literalHandlers.count
            literalHandlers.append(handler)
        }
    }

    /// The handler and decoded parameters for `method` on `path`; otherwise 404 or 405 (with the allowed methods).
    public func match(method: String, path: String) -> RouteMatch<Handler> {
        guard path.utf8.first == UInt8(ascii: "/") else { return .notFound }
        if let index = literal[PathKey(path: path)]?[method] { return .found(literalHandlers[index], parameters: [:]) }
        let pathSegments = Self.split(path)
        var best: (route: Route, parameters: [String: String])?
        var allowed: Set<String> = []
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: pathSegments) else { continue }
            guard route.method == method else {
                allowed.insert(route.method)
                continue
            }
            if let current = best, !Self.isMoreSpecific(route.segments, than: current.route.segments) { continue }
            best = (route, parameters)
        }
        if let best { return .found(best.route.handler, parameters: best.parameters) }
        if allowed.isEmpty { return .notFound }
        return .methodNotAllowed(allowed: allowed.sorted())
    }

    /// "/" has no segments; "/a/" has "a" and "". Split on the "/" byte, not the Character: a combining mark after
    /// a slash makes one grapheme of both ("/\u{30A}"), which a Character split would leave inside a segment.
    private static func split(_ path: String) -> [Substring] {
        path == "/"
            ? []
            : path.utf8.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
                .map { Substring($0) }
    }

    private static func bind(_ segments: [Segment], to path: [Substring]) -> [String: String]? {
        guard segments.count == path.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, value) in zip(segments, path) {
            switch segment {
            case .literal(let literal):
                guard literal == value else { return nil }
            case .parameter(let name):
                guard !value.isEmpty else { return nil }
                parameters[name] = String(value)
            }
        }
        return parameters
    }

    private static func isMoreSpecific(_ a: [Segment], than b: [Segment]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.literal, .parameter): return true
            case (.parameter, .literal): return false
            default: continue
            }
        }
        return false
    }
}

/// A path as its UTF-8 bytes, hashed and compared in place (an `Array(path.utf8)` key cost an allocation and a hash
/// per byte on every request).
private struct PathKey: Hashable, Sendable {
    let path: String

    static func == (a: PathKey, b: PathKey) -> Bool { a.path.utf8.elementsEqual(b.path.utf8) }

    func hash(into hasher: inout Hasher) {
        var path = path
        path.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// The outcome of `Router.match`.
public enum RouteMatch<Handler> {
    case found(Handler, parameters: [String: String])
    /// No pattern matches the path (404).
    case notFound
    /// Some pattern matches the path but not for this method (405); `allowed` is sorted, for the `Allow` header.
    case methodNotAllowed(allowed: [String])
}

extension RouteMatch: Sendable where Handler: Sendable {}
