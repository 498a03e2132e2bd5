import CMicroHTTPD

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The C entry points libmicrohttpd calls. Each is a thin trampoline: it recovers the Swift objects from the
// `void *` it is given and calls into `DaemonContext`. They live here, not in a main.swift, because Swift 6 makes
// main.swift's globals @MainActor while these run on libmicrohttpd's worker threads.

/// `void *(*)(void *cls, const char *uri, struct MHD_Connection *con)`: MHD_OPTION_URI_LOG_CALLBACK has no
/// typedef in microhttpd.h, hence this one.
typealias URILogCallback =
    @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?)
    -> UnsafeMutableRawPointer?

private func context(_ cls: UnsafeMutableRawPointer?) -> DaemonContext {
    guard let cls else { preconditionFailure("libmicrohttpd called back without the daemon context") }
    return Unmanaged<DaemonContext>.fromOpaque(cls).takeUnretainedValue()
}

/// `body` with the daemon context borrowed, not retained: the `HTTPDaemon` keeps it alive while libmicrohttpd can
/// call back (see `DaemonContext`). A retain and a release per callback were a tenth of a constant answer's Swift.
@inline(__always)
private func withContext<Result>(_ cls: UnsafeMutableRawPointer?, _ body: (DaemonContext) -> Result) -> Result {
    guard let cls else { preconditionFailure("libmicrohttpd called back without the daemon context") }
    return Unmanaged<DaemonContext>.fromOpaque(cls)._withUnsafeGuaranteedRef(body)
}

/// MHD_OPTION_URI_LOG_CALLBACK: "called only once per request", with the raw URI (query included) before it is
/// parsed; "the return value will be passed as (`* con_cls`) in calls to the MHD_AccessHandlerCallback".
/// We start the request's state here, retained; the completion callback releases it. A constant route's target
/// gets the route's token instead, and nothing is allocated (see `ConstantRoute`).
let uriLogCallback: URILogCallback = { cls, uri, _ in
    withContext(cls) { context in
        context.requestStarted()
        if let uri, let token = context.constantRoutes.token(for: uri) { return token }
        let target = uri.map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
        return Unmanaged.passRetained(RequestState(rawTarget: target)).toOpaque()
    }
}

/// MHD_AccessHandlerCallback: called once when the headers are in, then once per uploaded chunk, then once more
/// with `*upload_data_size == 0`. We read the target from our state, not from `url` (already unescaped by
/// libmicrohttpd, query removed).
let accessHandlerCallback: MHD_AccessHandlerCallback = { cls, connection, _, method, _, uploadData, size, conCls in
    guard let connection, let method, let size, let conCls, let statePointer = conCls.pointee else {
        preconditionFailure("access handler called without connection, method, size or request state")
    }
    return withContext(cls) { context in
        if let route = context.constantRoutes.route(of: statePointer) {
            return context.handleConstant(
                connection, route: route, method: method, conCls: conCls, uploadData: uploadData, size: size)
        }
        let state = Unmanaged<RequestState>.fromOpaque(statePointer).takeUnretainedValue()
        return context.handle(connection, method: method, state: state, uploadData: uploadData, size: size)
    }
}

/// MHD_OPTION_NOTIFY_COMPLETED: the request is over (answered, aborted or timed out). Releases the state that the
/// URI log callback retained and ends the request for `stop()`'s count.
let requestCompletedCallback: MHD_RequestCompletedCallback = { cls, connection, conCls, _ in
    withContext(cls) { context in
        if let connection { context.headerDeadlines.requestDone(connection) }
        guard let conCls, let statePointer = conCls.pointee else { return }
        if context.constantRoutes.route(of: statePointer) == nil {
            Unmanaged<RequestState>.fromOpaque(statePointer).release()
        }
        conCls.pointee = nil
        context.requestEnded()
    }
}

/// MHD_OPTION_NOTIFY_CONNECTION: a connection started or closed; the header deadlines follow them.
let connectionNotifyCallback: MHD_NotifyConnectionCallback = { cls, connection, socketContext, code in
    guard let connection else { return }
    let deadlines = context(cls).headerDeadlines
    if code.rawValue == 0 {  // MHD_CONNECTION_NOTIFY_STARTED (CLOSED is 1)
        deadlines.started(connection, socket: guichet_mhd_connection_fd(connection), socketContext: socketContext)
    } else {
        deadlines.closed(connection, socketContext: socketContext)
    }
}

/// MHD_OPTION_EXTERNAL_LOGGER: formats libmicrohttpd's printf-style diagnostic.
let loggerCallback: MHD_LogCallback = { cls, format, arguments in
    guard let format, let arguments else { return }
    var buffer = [CChar](repeating: 0, count: 1024)
    // vsnprintf truncates to the buffer and always NUL-terminates; a negative result means nothing usable.
    guard vsnprintf(&buffer, buffer.count, format, arguments) >= 0 else { return }
    let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    context(cls).log(message.hasSuffix("\n") ? String(message.dropLast()) : message)
}

/// MHD_KeyValueIterator over the request headers, appending to the `RequestState` passed as `cls`.
let headerCollector: MHD_KeyValueIterator = { cls, _, key, value in
    guard let cls, let key else { return .YES }
    let state = Unmanaged<RequestState>.fromOpaque(cls).takeUnretainedValue()
    state.headers.add(String(cString: key), value.map { String(cString: $0) } ?? "")
    return .YES
}
