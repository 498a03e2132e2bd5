import Foundation
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
    // @unchecked: `entries`, `running` and `cut` are read and written only under `lock`.
    private struct Entry {
        let socket: Int32
        var deadline: Date?
    }

    private let limit: TimeInterval
    private let idle: TimeInterval
    private let lock = NSCondition()
    private var entries: [UInt: Entry] = [:]
    private var running = false
    private var finished = true
    private var cut = 0

    init(limit: TimeInterval, idle: TimeInterval) {
        self.limit = limit
        self.idle = idle
    }

    private func key(_ connection: OpaquePointer) -> UInt { UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(connection))) }

    func started(_ connection: OpaquePointer, socket: Int32) {
        guard limit > 0, socket >= 0 else { return }
        lock.withLock { entries[key(connection)] = Entry(socket: socket, deadline: Date(timeIntervalSinceNow: limit)) }
    }

    func headersIn(_ connection: OpaquePointer) {
        guard limit > 0 else { return }
        lock.withLock { setDeadline(nil, of: connection) }
    }

    func requestDone(_ connection: OpaquePointer) {
        guard limit > 0 else { return }
        let deadline = Date(timeIntervalSinceNow: idle + limit)
        lock.withLock { setDeadline(deadline, of: connection) }
    }

    /// Through the entry's index: `entries[key]?.deadline = …` goes through the optional subscript's `modify`
    /// accessor, which allocated a frame on every call (callgrind: two mallocs and frees per request).
    private func setDeadline(_ deadline: Date?, of connection: OpaquePointer) {
        guard let index = entries.index(forKey: key(connection)) else { return }
        entries.values[index].deadline = deadline
    }

    func closed(_ connection: OpaquePointer) {
        guard limit > 0 else { return }
        lock.withLock { _ = entries.removeValue(forKey: key(connection)) }
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
            let now = Date()
            for (k, entry) in entries {
                guard let deadline = entry.deadline, deadline < now else { continue }
                // "SHUT_RDWR: further receptions and transmissions will be disallowed": the descriptor stays open.
                shutdown(entry.socket, Int32(SHUT_RDWR))
                entries[k]?.deadline = nil
                cut += 1
            }
        }
        finished = true
        lock.broadcast()
        lock.unlock()
    }
}
