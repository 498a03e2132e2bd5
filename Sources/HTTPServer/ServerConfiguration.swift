/// How an `HTTPDaemon` listens, what it accepts, and how it answers requests refused before the handler runs.
public struct ServerConfiguration: Sendable {
    /// An IPv4 or IPv6 literal ("127.0.0.1", "0.0.0.0", "::1", "::"); host names are not resolved.
    public var bindAddress: String
    /// The TCP port; 0 asks the kernel for a free one, which `HTTPDaemon.port` then reports.
    public var port: UInt16
    /// Number of libmicrohttpd worker threads; each serves many connections and runs the handler synchronously.
    public var threadPoolSize: Int
    /// Largest request body accepted; a larger one is answered 413 without reaching the handler.
    public var maxBodyBytes: Int
    /// Seconds of inactivity after which libmicrohttpd closes a connection (`MHD_OPTION_CONNECTION_TIMEOUT`).
    public var connectionTimeoutSeconds: Int
    /// Connections open at once, overall and from one address (`MHD_OPTION_CONNECTION_LIMIT`,
    /// `MHD_OPTION_PER_IP_CONNECTION_LIMIT`); past them libmicrohttpd refuses the connection at once. 0: no limit.
    public var connectionLimit: Int
    public var perAddressConnectionLimit: Int
    /// Seconds a request may take from its connection (or the end of the previous request on a kept-alive
    /// connection, after the idle timeout) until its headers are all in, however steadily it sends: the inactivity
    /// timeout alone never cuts a client that sends a byte every few seconds. 0: no limit. See `HeaderDeadlines`.
    public var headerTimeoutSeconds: Double
    /// Per-connection memory (`MHD_OPTION_CONNECTION_MEMORY_LIMIT`): bounds the request line plus headers;
    /// libmicrohttpd itself answers 414/431 past it.
    public var connectionMemoryLimit: Int
    /// When set, the daemon speaks HTTPS only.
    public var tls: TLSConfiguration?
    /// How long `HTTPDaemon.stop()` lets in-flight requests finish before closing their connections.
    public var shutdownGracePeriodSeconds: Double
    /// Builds the answer to a request refused before the handler runs: 400 (unparsable target) or 413 (body too
    /// large). The default is a plain-text body; the application may render its own error format here.
    public var rejectionResponse: @Sendable (_ status: Int, _ reason: String) -> Response
    /// Routes answered by the daemon itself with a constant, prepared answer (see `ConstantRoute`).
    public var constantRoutes: [ConstantRoute] = []
    /// Receives libmicrohttpd's own diagnostics and the wrapper's runtime failures; default: standard error.
    public var errorLog: @Sendable (String) -> Void

    public init(
        bindAddress: String = "127.0.0.1",
        port: UInt16 = 8080,
        threadPoolSize: Int = 4,
        maxBodyBytes: Int = 64 * 1024,
        connectionTimeoutSeconds: Int = 30,
        connectionMemoryLimit: Int = 32 * 1024,
        connectionLimit: Int = 0,
        perAddressConnectionLimit: Int = 0,
        headerTimeoutSeconds: Double = 10,
        tls: TLSConfiguration? = nil,
        shutdownGracePeriodSeconds: Double = 10,
        rejectionResponse: (@Sendable (_ status: Int, _ reason: String) -> Response)? = nil,
        errorLog: (@Sendable (String) -> Void)? = nil
    ) {
        self.bindAddress = bindAddress
        self.port = port
        self.threadPoolSize = threadPoolSize
        self.maxBodyBytes = maxBodyBytes
        self.connectionTimeoutSeconds = connectionTimeoutSeconds
        self.connectionMemoryLimit = connectionMemoryLimit
        self.connectionLimit = connectionLimit
        self.perAddressConnectionLimit = perAddressConnectionLimit
        self.headerTimeoutSeconds = headerTimeoutSeconds
        self.tls = tls
        self.shutdownGracePeriodSeconds = shutdownGracePeriodSeconds
        self.rejectionResponse = rejectionResponse ?? { status, reason in .text(reason + "\n", status: status) }
        self.errorLog = errorLog ?? { message in StandardError.emit("HTTPServer: " + message + "\n") }
    }

    /// Throws when a value cannot work: configuration comes from the operator, so this is a runtime failure.
    func validate() throws {
        func invalid(_ reason: String) -> HTTPServerError {
            HTTPServerError(function: "ServerConfiguration", reason: reason)
        }
        guard threadPoolSize >= 1 else { throw invalid("threadPoolSize must be at least 1") }
        guard maxBodyBytes >= 0 else { throw invalid("maxBodyBytes must not be negative") }
        guard connectionTimeoutSeconds >= 0, connectionTimeoutSeconds <= Int(UInt32.max) else {
            throw invalid("connectionTimeoutSeconds must be between 0 (no timeout) and \(UInt32.max)")
        }
        // Below a few KiB libmicrohttpd cannot hold an ordinary request line and headers.
        guard connectionMemoryLimit >= 4096 else { throw invalid("connectionMemoryLimit must be at least 4096") }
        guard connectionLimit >= 0, perAddressConnectionLimit >= 0, connectionLimit <= Int(UInt32.max),
            perAddressConnectionLimit <= Int(UInt32.max)
        else { throw invalid("connection limits must be from 0 to \(UInt32.max)") }
        guard headerTimeoutSeconds >= 0 else { throw invalid("headerTimeoutSeconds must not be negative") }
        guard shutdownGracePeriodSeconds >= 0 else { throw invalid("shutdownGracePeriodSeconds must not be negative") }
    }
}

/// A certificate chain and its private key, both PEM text (the key unencrypted), for HTTPS.
public struct TLSConfiguration: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String

    public init(certificatePEM: String, privateKeyPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
    }
}
