/// One request's state from its request line to libmicrohttpd's completion callback, kept in `*con_cls`
/// (rule 6, Sources/README.md).
///
/// Not Sendable and needs no lock: in thread-pool mode a connection is served by one worker thread, and
/// libmicrohttpd calls back for one request at a time on it.
final class RequestState {
    enum Phase {
        /// The request line arrived; headers not yet seen by the access handler.
        case started
        /// Headers seen, body being accumulated.
        case receiving
        /// The body outgrew the cap: the rest is read and dropped, and the answer is 413.
        case discarding(dropped: Int)
        /// A response is queued.
        case answered
    }

    /// The request target exactly as sent, from `MHD_OPTION_URI_LOG_CALLBACK`.
    let rawTarget: [UInt8]
    var phase = Phase.started
    var target: RequestTarget?
    var method = ""
    var headers = HTTPHeaders()
    var remoteAddress = ""
    var body: [UInt8] = []

    init(rawTarget: [UInt8]) {
        self.rawTarget = rawTarget
    }
}
