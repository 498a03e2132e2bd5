import CMicroHTTPD

extension DaemonContext {
    /// One access-handler call (see `accessHandlerCallback`). Returns `.NO` only when no answer can be queued, which
    /// makes libmicrohttpd close the connection.
    func handle(
        _ connection: OpaquePointer, method: UnsafePointer<CChar>, state: RequestState,
        uploadData: UnsafePointer<CChar>?, size: UnsafeMutablePointer<Int>
    ) -> MHD_Result {
        switch state.phase {
        case .started:
            return begin(connection, method: method, state: state)
        case .receiving where size.pointee > 0:
            return accumulate(connection, state: state, uploadData: uploadData, size: size)
        case .receiving:
            state.phase = .answered
            return answer(connection, state: state)
        case .discarding(let dropped) where size.pointee > 0:
            return discard(state: state, dropped: dropped, size: size)
        case .discarding:
            state.phase = .answered
            return queue(configuration.rejectionResponse(413, Self.tooLarge), on: connection)
        case .answered:
            // Nothing more to do with this request; whatever still arrives is not ours.
            size.pointee = 0
            return .YES
        }
    }

    static let tooLarge = "Payload Too Large"
    static let badTarget = "Bad Request: the request target is not valid percent-encoded UTF-8"

    /// First call, headers in. Returning `.YES` without a response lets libmicrohttpd keep the connection alive
    /// (answering on this call would make it send `Connection: close`); refusals here close it, as they should.
    private func begin(_ connection: OpaquePointer, method: UnsafePointer<CChar>, state: RequestState) -> MHD_Result {
        headerDeadlines.headersIn(connection)
        state.method = String(cString: method)
        let statePointer = Unmanaged.passUnretained(state).toOpaque()
        // "@return number of entries iterated over, -1 if connection is NULL": -1 would be our bug.
        let count = MHD_get_connection_values(connection, .HEADER_KIND, headerCollector, statePointer)
        precondition(count >= 0, "MHD_get_connection_values refused a live connection")
        state.remoteAddress = numericHost(guichet_mhd_client_address(connection))

        guard let target = RequestTarget(state.rawTarget) else {
            state.phase = .answered
            return queue(configuration.rejectionResponse(400, Self.badTarget), on: connection)
        }
        state.target = target
        // rule 7 (Sources/README.md): cap on the first call from Content-Length (libmicrohttpd has already refused a malformed
        // one), then again while accumulating, for chunked uploads.
        if let declared = state.headers["Content-Length"].flatMap({ Int($0) }) {
            guard declared <= configuration.maxBodyBytes else {
                state.phase = .answered
                return queue(configuration.rejectionResponse(413, Self.tooLarge), on: connection)
            }
            state.body.reserveCapacity(declared)
        }
        state.phase = .receiving
        return .YES
    }

    private func accumulate(
        _ connection: OpaquePointer, state: RequestState, uploadData: UnsafePointer<CChar>?,
        size: UnsafeMutablePointer<Int>
    ) -> MHD_Result {
        let count = size.pointee
        guard let uploadData else { preconditionFailure("libmicrohttpd gave \(count) upload bytes at NULL") }
        guard state.body.count + count <= configuration.maxBodyBytes else {
            state.body = []
            return discard(state: state, dropped: 0, size: size)
        }
        state.body.append(contentsOf: UnsafeRawBufferPointer(start: uploadData, count: count))
        size.pointee = 0
        return .YES
    }

    /// The body outgrew the cap mid-upload. libmicrohttpd only lets a response be queued once the headers are in
    /// or the whole request is (MHD_queue_response answers NO mid-upload: measured on 0.9.75); in between, we drop
    /// what arrives (never buffering it) and answer 413 at the end.
    /// A client that keeps sending past `discardLimit` is cut off without an answer.
    private func discard(state: RequestState, dropped: Int, size: UnsafeMutablePointer<Int>) -> MHD_Result {
        let total = dropped + size.pointee
        size.pointee = 0
        state.phase = .discarding(dropped: total)
        return total <= discardLimit ? .YES : .NO
    }

    private var discardLimit: Int { max(configuration.maxBodyBytes, 1 << 20) }

    /// Last call: the whole request is in. Runs the handler (synchronously, on this worker thread) and answers.
    private func answer(_ connection: OpaquePointer, state: RequestState) -> MHD_Result {
        guard let target = state.target else { preconditionFailure("answering a request without a parsed target") }
        let request = Request(
            method: state.method, path: target.path, queryItems: target.queryItems.map { ($0.name, $0.value) },
            headers: state.headers, body: state.body, remoteAddress: state.remoteAddress, isTLS: isTLS)
        state.body = []
        return queue(handler(request), on: connection)
    }
}
