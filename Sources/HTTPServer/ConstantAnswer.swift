import CMicroHTTPD
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The answer of a `ConstantRoute`: one prepared response, either fixed for the daemon's life or kept for a few
/// seconds and then made again. The daemon queues it by reference with no Swift object retained, copied or
/// allocated per request; the application reads the same answer through `get` on its handler's path, so both paths
/// send the same bytes and a kept answer is made at most once per lifetime, whichever path asks.
public final class ConstantAnswer: @unchecked Sendable {
    // @unchecked: the `let`s are written in init only; `fixedHandle` is libmicrohttpd's response, which counts its
    // users under its own mutex (see `PreparedResponse`); everything else that changes is inside `kept`'s lock.
    private struct Kept: ~Copyable {
        /// The answer `get` returns; its prepared copy's handle (as an address: a plain value the lock may hand
        /// to a caller's region) and status, for `queue`.
        var response: Response?
        var handle: UInt
        var status: UInt32
        /// `CLOCK_MONOTONIC_COARSE` nanoseconds; 0: nothing kept.
        var expires: UInt64
        /// What `get(reading:make:)` read to make `response`.
        var source: (any Sendable)?
    }

    /// A fixed answer, or nil for a kept one.
    private let fixed: Response?
    private let isFixed: Bool
    /// The fixed answer's prepared copy, read without touching `fixed` (which a read would retain).
    let fixedHandle: OpaquePointer?
    let fixedStatus: UInt32
    private let lifetime: UInt64
    private let kept: Mutex<Kept>

    /// An answer that never changes, prepared now (`Response.prepared()`).
    public init(fixed response: Response) {
        let prepared = response.isPrepared ? response : response.prepared()
        fixed = prepared
        isFixed = true
        fixedHandle = prepared.preparedCopy?.handle
        fixedStatus = UInt32(prepared.status)
        lifetime = 0
        kept = Mutex(Kept(response: nil, handle: 0, status: 0, expires: 0, source: nil))
    }

    /// An answer made by `get`'s `make` and kept `seconds` seconds (0: made again for every request).
    public init(keptFor seconds: Double) {
        precondition(seconds >= 0, "a negative lifetime is a bug")
        fixed = nil
        isFixed = false
        fixedHandle = nil
        fixedStatus = 0
        lifetime = UInt64(seconds * 1e9)
        kept = Mutex(Kept(response: nil, handle: 0, status: 0, expires: 0, source: nil))
    }

    /// The coarse monotonic clock (its resolution is the kernel's tick, a few ms): enough for a lifetime in
    /// seconds, and cheaper than the precise clock on every request.
    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    /// The answer while it is fresh, else `make()`'s, prepared and kept (when `make` does not throw). `make` runs
    /// under the lock, so requests arriving meanwhile wait for its answer rather than each making their own: a
    /// kept answer is made once per lifetime, however many clients poll it.
    public func get<E: Error>(_ make: () throws(E) -> Response) throws(E) -> Response {
        try get(reading: { () throws(E) -> Int in 0 }, make: { (_: Int) throws(E) -> Response in try make() }, always: true)
    }

    /// `get` for an answer made from what `read` returns: `read` runs once per lifetime, and `make` only when that
    /// differs from what the kept answer was made from (a status that rarely changes keeps its prepared copy, and
    /// the encoding and copying it costs).
    public func get<Source: Equatable & Sendable, E: Error>(
        reading read: () throws(E) -> Source, make: (Source) throws(E) -> Response
    ) throws(E) -> Response {
        try get(reading: read, make: make, always: false)
    }

    private func get<Source: Equatable & Sendable, E: Error>(
        reading read: () throws(E) -> Source, make: (Source) throws(E) -> Response, always: Bool
    ) throws(E) -> Response {
        if let fixed { return fixed }
        let now = Self.now()
        let lifetime = self.lifetime
        return try kept.withLock { (kept) throws(E) -> Response in
            if kept.expires > now, let response = kept.response { return response }
            let source = try read()
            if !always, let response = kept.response, let previous = kept.source as? Source, previous == source {
                kept.expires = now &+ lifetime
                return response
            }
            let answer = try make(source)
            let made = answer.isPrepared ? answer : answer.prepared()
            kept = Kept(
                response: made, handle: UInt(bitPattern: made.preparedCopy?.handle), status: UInt32(made.status),
                expires: now &+ lifetime, source: source)
            return made
        }
    }

    /// Queues the fresh prepared answer on `connection`; nil when there is none (expired or never made, or a
    /// response libmicrohttpd refused to copy), for the caller to make it or to leave the request to the handler.
    /// Queued under the lock: the prepared copy cannot be released by a new answer in between, and
    /// `MHD_queue_response` takes libmicrohttpd's own reference on it.
    func queue(on connection: OpaquePointer) -> MHD_Result? {
        if let fixedHandle { return MHD_queue_response(connection, fixedStatus, fixedHandle) }
        if isFixed { return nil }
        let now = Self.now()
        return kept.withLock { kept in
            guard kept.expires > now, let handle = OpaquePointer(bitPattern: kept.handle) else { return nil }
            return MHD_queue_response(connection, kept.status, handle)
        }
    }
}
