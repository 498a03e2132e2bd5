import CMicroHTTPD
import Foundation

/// The `MHD_OPTION_ARRAY` given to `MHD_start_daemon`, and the C strings it points to.
///
/// Polling (the flag is set in `HTTPDaemon.init`), measured on this machine kind (2 cores shared, libmicrohttpd
/// 0.9.75, pool of 4, `wrk -t2 -c200 -d5s`: 200 keep-alive connections, hello world, alternating runs):
/// plain C, poll 162k–374k req/s and epoll 183k–365k; through this wrapper, poll 151k–234k (p99 6–27 ms) and
/// epoll 178k–302k (p99 7–9 ms). No socket error or timeout either way: no difference beyond the machine's noise.
/// poll(2) is chosen: no per-worker epoll set, and nowhere near the epoll code path that stalled single-threaded.
final class DaemonOptions {
    private let configuration: ServerConfiguration
    private let context: UnsafeMutableRawPointer
    // libmicrohttpd keeps the pointers it is given; these live as long as the daemon that owns this object.
    private let certificate: UnsafeMutablePointer<CChar>?
    private let key: UnsafeMutablePointer<CChar>?

    init(configuration: ServerConfiguration, context: UnsafeMutableRawPointer) {
        self.configuration = configuration
        self.context = context
        certificate = configuration.tls.map { strdup($0.certificatePEM) }
        key = configuration.tls.map { strdup($0.privateKeyPEM) }
    }

    deinit {
        free(certificate)
        free(key)
    }

    /// Builds the array (ending with MHD_OPTION_END) and lends it to `body`.
    func withOptionArray<Result>(
        sockaddr: UnsafeMutableRawPointer, _ body: (UnsafePointer<MHD_OptionItem>) -> Result
    ) -> Result {
        var items = [
            // First: "MHD_OPTION_EXTERNAL_LOGGER is not the first option specified … Some messages may be printed
            // by the standard MHD logger" (libmicrohttpd's own warning otherwise).
            // "For options that expect two pointer arguments, the first argument must be cast to intptr_t."
            MHD_OptionItem(
                option: .EXTERNAL_LOGGER, value: unsafeBitCast(loggerCallback, to: Int.self),
                ptr_value: context),
            MHD_OptionItem(option: .SOCK_ADDR, value: 0, ptr_value: sockaddr),
            MHD_OptionItem(
                option: .CONNECTION_TIMEOUT, value: configuration.connectionTimeoutSeconds,
                ptr_value: nil),
            MHD_OptionItem(
                option: .CONNECTION_MEMORY_LIMIT, value: configuration.connectionMemoryLimit,
                ptr_value: nil),
            MHD_OptionItem(
                option: .URI_LOG_CALLBACK, value: unsafeBitCast(uriLogCallback, to: Int.self),
                ptr_value: context),
            MHD_OptionItem(
                option: .NOTIFY_COMPLETED,
                value: unsafeBitCast(requestCompletedCallback, to: Int.self), ptr_value: context),
            MHD_OptionItem(
                option: .NOTIFY_CONNECTION,
                value: unsafeBitCast(connectionNotifyCallback, to: Int.self), ptr_value: context)
        ]
        // "Maximum number of concurrent connections to accept"; "If the same IP tries to establish more than the
        // specified number of connections, they will be immediately rejected." Zero leaves libmicrohttpd's default.
        if configuration.connectionLimit > 0 {
            items.append(MHD_OptionItem(option: .CONNECTION_LIMIT, value: configuration.connectionLimit, ptr_value: nil))
        }
        if configuration.perAddressConnectionLimit > 0 {
            items.append(
                MHD_OptionItem(
                    option: .PER_IP_CONNECTION_LIMIT, value: configuration.perAddressConnectionLimit,
                    ptr_value: nil))
        }
        // A pool of one is no pool: libmicrohttpd then runs its single internal thread (and warns if told 1).
        if configuration.threadPoolSize > 1 {
            items.append(
                MHD_OptionItem(
                    option: .THREAD_POOL_SIZE, value: configuration.threadPoolSize,
                    ptr_value: nil))
        }
        if let certificate, let key {
            items.append(MHD_OptionItem(option: .HTTPS_MEM_CERT, value: 0, ptr_value: certificate))
            items.append(MHD_OptionItem(option: .HTTPS_MEM_KEY, value: 0, ptr_value: key))
        }
        items.append(MHD_OptionItem(option: .END, value: 0, ptr_value: nil))
        return items.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
