import CMicroHTTPD
import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A total time limit for receiving a request's headers, which libmicrohttpd 0.9.75 does not have: its
/// `MHD_OPTION_CONNECTION_TIMEOUT` counts inactivity only, so a client sending a header byte every 20 s holds its
/// connection (and a place under the connection limits) for ever.
///
/// Each connection gets a deadline when it starts (`MHD_CONNECTION_NOTIFY_STARTED`), cleared when its headers are in
/// (the first access-handler call), set again when a request completes (the idle timeout plus the limit: the next
/// request on a kept-alive connection must start and send its headers within that). A watchdog thread shuts down,
/// with shutdown(2), the socket of a connection past its deadline: libmicrohttpd then sees the end of the stream and
/// closes the connection itself, as for any client that went away. The socket is never closed here (it is
/// libmicrohttpd's), and an entry is removed under the same lock on `MHD_CONNECTION_NOTIFY_CLOSED`, which
/// libmicrohttpd sends before it closes the descriptor, so a descriptor number reused by a new connection is
/// never shut down by mistake.
final class HeaderDeadlines: @unchecked Sendable {
    // @unchecked: `entries`, `running` and `cut` are read and written only under `lock`; a slot's deadline is atomic.

    /// One connection's socket and deadline, kept in libmicrohttpd's `socket_context` for the connection's life, so
    /// that a request's two updates are one atomic store each, without the lock or the dictionary (callgrind: a
    /// lock, a hash and an exclusivity check each, about 0.6k instructions per request, more than the rest of a
    /// constant answer's Swift).
    final class Slot: Sendable {
        let socket: Int32
        /// Nanoseconds on the monotonic clock; 0: none (headers in, or cut already).
        let deadline: Atomic<UInt64>
        init(socket: Int32, deadline: UInt64) {
            self.socket = socket
            self.deadline = Atomic(deadline)
        }
    }

    private let limit: TimeInterval
    private let idle: TimeInterval
    /// `limit` and `idle + limit` in nanoseconds, computed once: the per-request update is an addition.
    private let limitNanoseconds: UInt64
    private let nextRequestNanoseconds: UInt64
    private let lock = NSCondition()
    private var entries: [UInt: Slot] = [:]
    private var running = false
    private var finished = true
    private var cut = 0

    init(limit: TimeInterval, idle: TimeInterval) {
        self.limit = limit
        self.idle = idle
        limitNanoseconds = UInt64(max(0, limit) * 1e9)
        nextRequestNanoseconds = UInt64(max(0, idle + limit) * 1e9)
    }

    private func key(_ connection: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection))) }

    private static func now() -> UInt64 {
        var time = timespec()
        // The coarse clock (the kernel's tick, a few ms): ample for limits in seconds, and cheaper to read on
        // every request than the precise one.
        clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// A connection started: its slot goes into `socketContext` (retained; `closed` releases it) and the watchdog's list.
    func started(_ connection: OpaquePointer, socket: Int32, socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        guard limit > 0, socket >= 0, let socketContext else { return }
        let slot = Slot(socket: socket, deadline: Self.now() + limitNanoseconds)
        socketContext.pointee = Unmanaged.passRetained(slot).toOpaque()
        lock.withLock { entries[key(connection)] = slot }
    }

    func headersIn(_ connection: OpaquePointer) {
        guard limit > 0, let pointer = guichet_mhd_socket_context(connection) else { return }
        // Borrowed, not retained: the socket context holds the slot until `closed`, which cannot run meanwhile.
        Unmanaged<Slot>.fromOpaque(pointer)._withUnsafeGuaranteedRef { $0.deadline.store(0, ordering: .relaxed) }
    }

    func requestDone(_ connection: OpaquePointer) {
        guard limit > 0, let pointer = guichet_mhd_socket_context(connection) else { return }
        let deadline = Self.now() + nextRequestNanoseconds
        Unmanaged<Slot>.fromOpaque(pointer)._withUnsafeGuaranteedRef {
            $0.deadline.store(deadline, ordering: .relaxed)
        }
    }

    /// libmicrohttpd sends this before it closes the descriptor: once the entry is gone the watchdog cannot shut down
    /// a descriptor number reused by a new connection.
    func closed(_ connection: OpaquePointer, socketContext: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        guard limit > 0, let socketContext, let pointer = socketContext.pointee else { return }
        lock.withLock { _ = entries.removeValue(forKey: key(connection)) }
        socketContext.pointee = nil
        Unmanaged<Slot>.fromOpaque(pointer).release()
    }

    /// Connections cut so far (for tests and diagnostics).
    var cutCount: Int { lock.withLock { cut } }

    func start() {
        guard limit > 0 else { return }
        lock.withLock {
            running = true; finished = false
        }
        let thread = Thread { [self] in watch() }
        thread.name = "http-header-deadlines"
        thread.start()
    }

    /// Stops the watchdog and waits for it to end.
    func stop() {
        lock.withLock {
            running = false
            lock.broadcast()
            while !finished { lock.wait() }
        }
    }

    private func watch() {
        // A quarter of the limit, at most every 250 ms: cut within 25 % of the limit at worst.
        let period = min(0.25, limit / 4)
        lock.lock()
        while running {
            _ = lock.wait(until: Date(timeIntervalSinceNow: period))
            let now = Self.now()
            for slot in entries.values {
                let deadline = slot.deadline.load(ordering: .relaxed)
                guard deadline != 0, deadline < now else { continue }
                // Only if no request moved it meanwhile (a request that just ended set a new one).
                guard slot.deadline.compareExchange(expected: deadline, desired: 0, ordering: .relaxed).exchanged else {
                    continue
                }
                // "SHUT_RDWR: further receptions and transmissions will be disallowed": the descriptor stays open.
                shutdown(slot.socket, Int32(SHUT_RDWR))
                cut += 1
            }
        }
        finished = true
        lock.broadcast()
        lock.unlock()
    }
}
