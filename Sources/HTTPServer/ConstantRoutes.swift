#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A route whose answer is the same for every request (a constant page, a status cached for a second), served by
/// the daemon before the handler is reached: matched on the raw request target's bytes in the URI log callback,
/// before any Swift allocation (no `RequestState`, no `Request`, no headers copied), and answered with a
/// `PreparedResponse` queued by reference, as the C hello world answers (`Scripts/bench-hello.c`).
///
/// Only an exact `GET` of `path` (no query string) whose `Host` header `acceptsHost` accepts takes this path; any
/// other request, or an `answer()` of nil, goes through the handler as before, which therefore still decides every
/// refusal (a foreign Host, a wrong method) and every error.
public struct ConstantRoute: Sendable {
    /// The request target exactly as sent, e.g. "/healthz".
    public let path: String
    /// The answer, already `prepared()` (secured by the application); nil sends the request to the handler.
    public let answer: @Sendable () -> Response?
    /// Whether the raw `Host` value (nil when absent) may be answered here without the handler's full check.
    /// A narrower check than the handler's is safe: what it does not accept, the handler checks in full.
    public let acceptsHost: @Sendable (UnsafeRawBufferPointer?) -> Bool

    public init(
        path: String, acceptsHost: @escaping @Sendable (UnsafeRawBufferPointer?) -> Bool,
        answer: @escaping @Sendable () -> Response?
    ) {
        self.path = path
        self.acceptsHost = acceptsHost
        self.answer = answer
    }
}

/// The daemon's table of `ConstantRoute`s and the tokens it puts in `*con_cls` for their requests.
///
/// A token is an address inside a block this table owns (never a Swift object): the callbacks tell it from a
/// `RequestState` by its range, so a constant request allocates nothing of ours. Two tokens per route: "matched,
/// headers not yet checked" and "checked: answer it".
final class ConstantRouteTable: @unchecked Sendable {
    // @unchecked: everything is written in init and only read afterwards.
    let routes: [ConstantRoute]
    private let paths: [[UInt8]]
    private let tokens: UnsafeMutableRawPointer

    init(_ routes: [ConstantRoute]) {
        self.routes = routes
        paths = routes.map { Array($0.path.utf8) }
        tokens = UnsafeMutableRawPointer.allocate(byteCount: max(1, 2 * routes.count), alignment: 1)
    }

    deinit {
        tokens.deallocate()
    }

    /// The token for a raw target that is exactly one route's path, else nil.
    func token(for target: UnsafePointer<CChar>) -> UnsafeMutableRawPointer? {
        guard !paths.isEmpty else { return nil }
        let length = strlen(target)
        for (index, path) in paths.enumerated() where path.count == length {
            if path.withUnsafeBytes({ memcmp($0.baseAddress!, target, length) }) == 0 { return tokens + index }
        }
        return nil
    }

    /// For a token of this table: the route's index and whether its headers were checked; nil for anything else.
    func route(of pointer: UnsafeMutableRawPointer) -> (index: Int, checked: Bool)? {
        let offset = tokens.distance(to: pointer)
        guard offset >= 0, offset < 2 * routes.count else { return nil }
        return (offset % routes.count, offset >= routes.count)
    }

    func checkedToken(_ index: Int) -> UnsafeMutableRawPointer { tokens + routes.count + index }

    /// The route's path as a raw target, for a request that leaves the constant path for the handler.
    func rawTarget(_ index: Int) -> [UInt8] { paths[index] }
}
