import CMicroHTTPD
import Foundation

/// A libmicrohttpd daemon serving `handler` on a pool of worker threads. Listening starts in `init`; `stop()` or
/// `deinit` ends it.
///
/// The handler runs synchronously on a worker thread and may block (database work); a worker blocked in the handler
/// serves none of its other connections meanwhile, so size `threadPoolSize` for the blocking work expected.
public final class HTTPDaemon: @unchecked Sendable {
    // @unchecked: `daemon` is written in init and then only by stop(), under `stopLock`; the rest is immutable.
    private var daemon: OpaquePointer?
    private let context: DaemonContext
    private let options: DaemonOptions
    private let stopLock = NSLock()

    /// The port really listened on (the kernel's choice when the configuration said 0).
    public let port: UInt16

    /// Starts listening. Throws when the configuration is unusable or libmicrohttpd cannot start (e.g. the port is
    /// in use), with libmicrohttpd's own message and the `errno`.
    public init(configuration: ServerConfiguration, handler: @escaping @Sendable (Request) -> Response) throws {
        try configuration.validate()
        let address = try ListenAddress(host: configuration.bindAddress, port: configuration.port)
        let context = DaemonContext(configuration: configuration, handler: handler)
        let contextPointer = Unmanaged.passUnretained(context).toOpaque()

        var flags =
            MHD_USE_INTERNAL_POLLING_THREAD.rawValue
            | MHD_USE_POLL.rawValue  // Thread pool + poll(2): see `DaemonOptions` for the measurement.
            | MHD_USE_ITC.rawValue  // "required for use of MHD_quiesce_daemon" in stop().
            | MHD_USE_ERROR_LOG.rawValue  // Diagnostics go to loggerCallback.
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        if configuration.tls != nil { flags |= MHD_USE_TLS.rawValue }

        let options = DaemonOptions(configuration: configuration, context: contextPointer)
        let (started, startErrno) = address.withSockaddrPointer { sockaddr in
            options.withOptionArray(sockaddr: sockaddr) { array in
                errno = 0  // Not every failure sets it (a bad certificate does not): no stale value in the error.
                let daemon = guichet_mhd_start_daemon(
                    flags, configuration.port, accessHandlerCallback, contextPointer, array)
                return (daemon, errno)
            }
        }
        let messages = context.finishStarting()
        guard let started else {
            let reason = messages.isEmpty ? "libmicrohttpd gave no reason" : messages.joined(separator: "; ")
            throw HTTPServerError(function: "MHD_start_daemon", reason: reason, errno: startErrno)
        }
        messages.forEach(configuration.errorLog)

        let boundPort = guichet_mhd_daemon_port(started)
        guard boundPort != 0 else {
            // rule 3 (Sources/README.md): release even when opening fails. The callbacks' context and the option strings must
            // outlive the worker threads, which MHD_stop_daemon joins.
            withExtendedLifetime((context, options)) { MHD_stop_daemon(started) }
            throw HTTPServerError(function: "MHD_get_daemon_info", reason: "MHD_DAEMON_INFO_BIND_PORT gave no port")
        }
        self.daemon = started
        self.context = context
        context.headerDeadlines.start()
        self.options = options
        self.port = boundPort
    }

    /// Stops gracefully: stop accepting, let requests in flight finish for up to `shutdownGracePeriodSeconds`,
    /// then close everything. Returns once libmicrohttpd's threads are gone; later calls return at once.
    public func stop() {
        stopLock.withLock {
            guard let daemon else { return }
            self.daemon = nil
            // "Stop accepting connections from the listening socket. Allows clients to continue processing."
            let listenSocket = MHD_quiesce_daemon(daemon)
            if listenSocket == MHD_INVALID_SOCKET {
                context.configuration.errorLog("MHD_quiesce_daemon failed; stopping without a grace period")
            }
            let grace = context.configuration.shutdownGracePeriodSeconds
            let unfinished = context.beginStopping(waitingUntil: Date(timeIntervalSinceNow: grace))
            if unfinished > 0 {
                context.configuration.errorLog("stopping with \(unfinished) request(s) in flight after \(grace) s")
            }
            MHD_stop_daemon(daemon)
            context.headerDeadlines.stop()  // after: no callback can touch it any more
            // "The caller is responsible for closing the returned socket; … not … until AFTER MHD_stop_daemon".
            if listenSocket != MHD_INVALID_SOCKET && close(listenSocket) != 0 {
                context.configuration.errorLog("close(listen socket) failed: errno \(errno)")
            }
        }
    }

    /// Requests started and not yet completed (for tests and diagnostics).
    var requestsInFlight: Int { context.inFlight }

    deinit {
        stop()
    }
}
