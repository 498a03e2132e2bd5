import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A route whose answer is the same for every request (a constant page, a status cached for a second), served by
/// the daemon before the handler is reached: matched on the raw request target's bytes in the URI log callback,
/// before any Swift allocation (no `RequestState`, no `Request`, no headers copied), and answered with a
/// `PreparedResponse` queued by reference (`ConstantAnswer`), as the C hello world answers (`Scripts/bench-hello.c`).
///
/// Only an exact `GET` of `path` (no query string) whose `Host` header `acceptsHost` accepts takes this path; any
/// other request, or one that finds no fresh answer and a `refresh()` of nil, goes through the handler as before, which therefore still decides every
/// refusal (a foreign Host, a wrong method) and every error.
public struct ConstantRoute: Sendable {
    /// The request target exactly as sent, e.g. "/healthz".
    public let path: String
    /// The answer queued while it is fresh.
    public let answer: ConstantAnswer
    /// Called when `answer` has nothing fresh: makes it again (through `answer.get`, so that the handler's path and
    /// this one share it); nil, or an answer libmicrohttpd could not copy, sends the request to the handler.
    public let refresh: @Sendable () -> Response?
    /// Whether the raw `Host` value (nil when absent) may be answered here without the handler's full check.
    /// A narrower check than the handler's is safe: what it does not accept, the handler checks in full.
    /// A function of the bytes alone: the daemon asks it once for the loopback names and keeps what it said.
    public let acceptsHost: @Sendable (UnsafeRawBufferPointer?) -> Bool

    public init(
        path: String, acceptsHost: @escaping @Sendable (UnsafeRawBufferPointer?) -> Bool, answer: ConstantAnswer,
        refresh: @escaping @Sendable () -> Response? = { nil }
    ) {
        self.path = path
        self.acceptsHost = acceptsHost
        self.answer = answer
        self.refresh = refresh
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
    private let count: Int
    private let hostChecks: [@Sendable (UnsafeRawBufferPointer?) -> Bool]
    /// Per route, the `Host` values among `127.0.0.1` and `localhost`, with and without the configured port, that its
    /// `acceptsHost` accepted at start: what a probe or the kiosk on the desk's PC sends, recognised by comparing
    /// bytes instead of parsing (callgrind: about 0.2k instructions per request). Route `i`'s are
    /// `hosts[hostRanges[i].first..<hostRanges[i].end]`, each a slice of `bytes`.
    private let hosts: UnsafeMutablePointer<(start: Int, count: Int)>
    private let hostRanges: UnsafeMutablePointer<(first: Int, end: Int)>
    /// Per route, its path as a slice of `bytes`.
    private let paths: UnsafeMutablePointer<(start: Int, count: Int)>
    /// The paths and the known hosts, one after the other: compared in place, without an array's bounds checks.
    private let bytes: UnsafeMutableRawPointer
    private let tokens: UnsafeMutableRawPointer
    /// The routes' answers, retained by `routes`: read by index without a retain and release per request.
    private let answers: UnsafeMutablePointer<Unmanaged<ConstantAnswer>>
    /// Per route, its fixed answer's prepared response and status (nil for an answer that is kept for a while):
    /// queued straight from here.
    private let fixed: UnsafeMutablePointer<(handle: OpaquePointer?, status: UInt32)>

    init(_ routes: [ConstantRoute], port: UInt16 = 0) {
        self.routes = routes
        count = routes.count
        hostChecks = routes.map(\.acceptsHost)
        var bytes: [UInt8] = []
        paths = .allocate(capacity: max(1, routes.count))
        for (index, route) in routes.enumerated() {
            paths[index] = (bytes.count, route.path.utf8.count)
            bytes += route.path.utf8
        }
        let loopback = ["127.0.0.1", "localhost"].flatMap { port == 0 ? [$0] : [$0, "\($0):\(port)"] }
        var known: [(start: Int, count: Int)] = []
        hostRanges = .allocate(capacity: max(1, routes.count))
        for (index, route) in routes.enumerated() {
            let first = known.count
            for name in loopback.map({ Array($0.utf8) }) where name.withUnsafeBytes({ route.acceptsHost($0) }) {
                known.append((bytes.count, name.count))
                bytes += name
            }
            hostRanges[index] = (first, known.count)
        }
        hosts = .allocate(capacity: max(1, known.count))
        hosts.initialize(from: known, count: known.count)
        self.bytes = .allocate(byteCount: max(1, bytes.count), alignment: 8)
        self.bytes.copyMemory(from: bytes, byteCount: bytes.count)
        fixed = .allocate(capacity: max(1, routes.count))
        fixed.initialize(from: routes.map { ($0.answer.fixedHandle, $0.answer.fixedStatus) }, count: routes.count)
        tokens = UnsafeMutableRawPointer.allocate(byteCount: max(1, 2 * routes.count), alignment: 1)
        answers = .allocate(capacity: max(1, routes.count))
        answers.initialize(from: routes.map { Unmanaged.passUnretained($0.answer) }, count: routes.count)
    }

    deinit {
        tokens.deallocate()
        answers.deallocate()
        paths.deallocate()
        bytes.deallocate()
        fixed.deallocate()
        hosts.deallocate()
        hostRanges.deallocate()
    }

    func acceptsHost(_ index: Int, _ host: UnsafeRawBufferPointer?) -> Bool {
        if let host, let base = host.baseAddress {
            var next = hostRanges[index].first
            let end = hostRanges[index].end
            while next < end {
                if hosts[next].count == host.count, Self.equal(bytes + hosts[next].start, base, host.count) { return true }
                next &+= 1
            }
        }
        return hostChecks[index](host)
    }

    /// Whether `count` bytes at `a` and `b` are equal: eight at a time, the last eight overlapping the ones before
    /// (a `memcmp` call cost more than the comparison for these few bytes).
    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        guard count >= 8 else {
            for offset in 0..<count
            where a.load(fromByteOffset: offset, as: UInt8.self)
                != b.load(fromByteOffset: offset, as: UInt8.self)
            {
                return false
            }
            return true
        }
        var offset = 0
        while offset &+ 8 < count {
            guard
                a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            else { return false }
            offset &+= 8
        }
        return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
            == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
    }

    /// Queues route `index`'s fresh answer; nil when it has none (see `ConstantAnswer.queue`).
    func queue(_ index: Int, on connection: OpaquePointer) -> MHD_Result? {
        if let handle = fixed[index].handle { return MHD_queue_response(connection, fixed[index].status, handle) }
        return answers[index]._withUnsafeGuaranteedRef { $0.queue(on: connection) }
    }

    /// The token for a raw target that is exactly one route's path, else nil.
    func token(for target: UnsafePointer<CChar>) -> UnsafeMutableRawPointer? {
        guard count > 0 else { return nil }
        let length = strlen(target)
        for index in 0..<count where paths[index].count == length {
            if Self.equal(bytes + paths[index].start, target, length) { return tokens + index }
        }
        return nil
    }

    /// For a token of this table: the route's index and whether its headers were checked; nil for anything else.
    @inline(__always)
    func route(of pointer: UnsafeMutableRawPointer) -> (index: Int, checked: Bool)? {
        let offset = tokens.distance(to: pointer)
        guard offset >= 0, offset < 2 * count else { return nil }
        return offset < count ? (offset, false) : (offset - count, true)
    }

    func checkedToken(_ index: Int) -> UnsafeMutableRawPointer { tokens + count + index }

    /// The route's path as a raw target, for a request that leaves the constant path for the handler.
    func rawTarget(_ index: Int) -> [UInt8] { Array(routes[index].path.utf8) }
}
