import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DaemonContext {
    /// One access-handler call for a request whose target is a `ConstantRoute`'s path. Like the C hello world, the
    /// first call (headers in) only says YES and the second queues the prepared answer; a request the constant path
    /// must not answer (not a GET, a Host the route does not accept, a body, no answer now, the daemon stopping)
    /// gets a `RequestState` here and goes through `handle` from its first step, as any other request.
    func handleConstant(
        _ connection: OpaquePointer, route: (index: Int, checked: Bool), method: UnsafePointer<CChar>,
        conCls: UnsafeMutablePointer<UnsafeMutableRawPointer?>, uploadData: UnsafePointer<CChar>?,
        size: UnsafeMutablePointer<Int>
    ) -> MHD_Result {
        if !route.checked {
            headerDeadlines.headersIn(connection)
            if Self.isGET(method), constantRoutes.acceptsHost(route.index, host(of: connection)) {
                conCls.pointee = constantRoutes.checkedToken(route.index)
                return .YES
            }
        } else if size.pointee == 0, !isStopping {
            // "For any active connection this function must be called only by MHD_AccessHandlerCallback": it is.
            // The same response queued on many connections at once is what libmicrohttpd's reference count is for
            // ("MHD_destroy_response … libmicrohttpd may keep some of the resources around if the response is
            // still in the queue for some clients").
            if let queued = constantRoutes.queue(route.index, on: connection) ?? refreshAndQueue(route.index, connection) {
                if queued != .YES { log("MHD_queue_response refused a constant response; closing the connection") }
                return queued
            }
        }
        // Off the constant path: from here the request is like any other (its state released on completion).
        let state = RequestState(rawTarget: constantRoutes.rawTarget(route.index))
        conCls.pointee = Unmanaged.passRetained(state).toOpaque()
        let begun = handle(connection, method: method, state: state, uploadData: nil, size: size)
        guard route.checked, begun == .YES, case .receiving = state.phase else { return begun }
        // The headers were in at the first call: this call carries a body chunk or ends the request.
        return handle(connection, method: method, state: state, uploadData: uploadData, size: size)
    }

    /// `strcmp(method, "GET") == 0`, byte by byte: stops at the first difference, so never reads past the NUL.
    @inline(__always)
    private static func isGET(_ method: UnsafePointer<CChar>) -> Bool {
        method[0] == 0x47 && method[1] == 0x45 && method[2] == 0x54 && method[3] == 0
    }

    /// The route's answer made again (its lifetime is over) and queued; nil when there is none to queue.
    private func refreshAndQueue(_ index: Int, _ connection: OpaquePointer) -> MHD_Result? {
        guard let answer = constantRoutes.routes[index].refresh(), let prepared = answer.preparedCopy else { return nil }
        return MHD_queue_response(connection, UInt32(answer.status), prepared.handle)
    }

    /// The raw `Host` header, nil when absent ("NULL if no such item was found"); libmicrohttpd keeps the bytes
    /// for the request's lifetime.
    private func host(of connection: OpaquePointer) -> UnsafeRawBufferPointer? {
        var value: UnsafePointer<CChar>?
        var length = 0
        guard MHD_lookup_connection_value_n(connection, .HEADER_KIND, "Host", 4, &value, &length) == .YES,
            let value
        else { return nil }
        return UnsafeRawBufferPointer(start: value, count: length)
    }
}
