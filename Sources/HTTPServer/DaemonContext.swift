import Foundation

/// What libmicrohttpd's callbacks need, shared by all worker threads: the configuration, the handler, and the count
/// of requests in flight that `HTTPDaemon.stop()` waits on.
///
/// Callbacks reach it through `Unmanaged.passUnretained`: the `HTTPDaemon` owns it and stops libmicrohttpd (which
/// joins its threads, so no callback runs any more) before letting it go.
final class DaemonContext: @unchecked Sendable {
    // @unchecked: `configuration`, `handler` and `isTLS` are immutable; every `var` is read and written only while
    // holding `condition`.
    let configuration: ServerConfiguration
    let handler: @Sendable (Request) -> Response
    let isTLS: Bool
    let headerDeadlines: HeaderDeadlines

    private let condition = NSCondition()
    private var requestsInFlight = 0
    private var stopping = false
    private var startupMessages: [String] = []
    private var starting = true

    init(configuration: ServerConfiguration, handler: @escaping @Sendable (Request) -> Response) {
        self.configuration = configuration
        self.handler = handler
        self.isTLS = configuration.tls != nil
        self.headerDeadlines = HeaderDeadlines(
            limit: configuration.headerTimeoutSeconds,
            idle: TimeInterval(configuration.connectionTimeoutSeconds))
    }

    /// A request began (its request line arrived); balanced by `requestEnded()` in the completion callback.
    func requestStarted() {
        condition.withLock { requestsInFlight += 1 }
    }

    func requestEnded() {
        condition.withLock {
            requestsInFlight -= 1
            precondition(requestsInFlight >= 0, "more requests ended than started")
            if requestsInFlight == 0 { condition.broadcast() }
        }
    }

    /// Requests between their request line and the end of their response (or their abort).
    var inFlight: Int { condition.withLock { requestsInFlight } }

    /// True once `stop()` has begun: responses then ask clients to close their connection.
    var isStopping: Bool { condition.withLock { stopping } }

    /// Marks the daemon as stopping, then waits until no request is in flight or `deadline` passes.
    /// Returns the number of requests still in flight.
    func beginStopping(waitingUntil deadline: Date) -> Int {
        condition.withLock {
            stopping = true
            while requestsInFlight > 0 && condition.wait(until: deadline) {}
            return requestsInFlight
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
