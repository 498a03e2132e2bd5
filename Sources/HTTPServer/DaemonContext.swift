import Foundation
import Synchronization

/// What libmicrohttpd's callbacks need, shared by all worker threads: the configuration, the handler, and the count
/// of requests in flight that `HTTPDaemon.stop()` waits on.
///
/// Callbacks reach it through `Unmanaged.passUnretained`: the `HTTPDaemon` owns it and stops libmicrohttpd (which
/// joins its threads, so no callback runs any more) before letting it go.
final class DaemonContext: @unchecked Sendable {
    // @unchecked: `configuration`, `handler`, `isTLS` and `constantRoutes` are immutable; the two counters are
    // atomics; every `var` is read and written only while holding `condition`.
    let configuration: ServerConfiguration
    let handler: @Sendable (Request) -> Response
    let isTLS: Bool
    let headerDeadlines: HeaderDeadlines
    let constantRoutes: ConstantRouteTable

    private let condition = NSCondition()
    // Atomics, not the condition's lock: every request reads them, and a lock round trip each (three per request)
    // was a measurable part of a constant answer's cost.
    private let requestsInFlight = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var startupMessages: [String] = []
    private var starting = true

    init(configuration: ServerConfiguration, handler: @escaping @Sendable (Request) -> Response) {
        self.configuration = configuration
        self.handler = handler
        self.isTLS = configuration.tls != nil
        self.constantRoutes = ConstantRouteTable(configuration.constantRoutes, port: configuration.port)
        self.headerDeadlines = HeaderDeadlines(
            limit: configuration.headerTimeoutSeconds,
            idle: TimeInterval(configuration.connectionTimeoutSeconds))
    }

    /// A request began (its request line arrived); balanced by `requestEnded()` in the completion callback.
    func requestStarted() {
        requestsInFlight.add(1, ordering: .sequentiallyConsistent)
    }

    /// Sequentially consistent with `beginStopping`: either this call sees `stopping` and wakes the waiter under the
    /// lock, or the waiter, which sets `stopping` before reading the count, sees this decrement.
    func requestEnded() {
        let left = requestsInFlight.subtract(1, ordering: .sequentiallyConsistent).newValue
        precondition(left >= 0, "more requests ended than started")
        if left == 0 && stopping.load(ordering: .sequentiallyConsistent) { condition.withLock { condition.broadcast() } }
    }

    /// Requests between their request line and the end of their response (or their abort).
    var inFlight: Int { requestsInFlight.load(ordering: .sequentiallyConsistent) }

    /// True once `stop()` has begun: responses then ask clients to close their connection.
    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }

    /// Marks the daemon as stopping, then waits until no request is in flight or `deadline` passes.
    /// Returns the number of requests still in flight.
    func beginStopping(waitingUntil deadline: Date) -> Int {
        stopping.store(true, ordering: .sequentiallyConsistent)
        return condition.withLock {
            // Short waits as well as the broadcast: a wake-up is never what the shutdown's correctness rests on.
            while inFlight > 0 && Date() < deadline {
                _ = condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.05)))
            }
            return inFlight
        }
    }

    /// libmicrohttpd's diagnostics: kept while starting (they explain a failed start), then sent to the log.
    func log(_ message: String) {
        let kept = condition.withLock {
            if starting { startupMessages.append(message) }
            return starting
        }
        if !kept { configuration.errorLog(message) }
    }

    /// Ends the start-up phase and returns what libmicrohttpd said during it.
    func finishStarting() -> [String] {
        condition.withLock {
            starting = false
            defer { startupMessages = [] }
            return startupMessages
        }
    }
}
