import CMicroHTTPD

/// libmicrohttpd's own copy of one `Response` (body and headers), made once and queued on any number of connections,
/// as a C server answers a constant page: `MHD_queue_response` only takes a reference ("the response will be freed
/// once it is no longer in use", `MHD_destroy_response`), so a prepared answer costs no allocation, copy or header
/// call per request. Built by `Response.prepared()`.
final class PreparedResponse: @unchecked Sendable {
    // @unchecked: `handle` is never modified after init; libmicrohttpd counts a response's users under its own
    // mutex, which is what lets the C hello world (Scripts/bench-hello.c) share one response across its threads.
    let handle: OpaquePointer

    /// Nil when libmicrohttpd refuses the body or a header (the caller then answers the ordinary way).
    init?(_ response: Response) {
        let created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let created else { return nil }
        for field in response.headers where !HTTPHeaders.sameName(field.name, "Content-Length") {
            guard MHD_add_response_header(created, field.name, field.value) == .YES else {
                MHD_destroy_response(created)  // rule 3 (Sources/README.md): released even when building it fails.
                return nil
            }
        }
        handle = created
    }

    deinit {
        MHD_destroy_response(handle)
    }
}

extension Response {
    /// This response with libmicrohttpd's copy of it made now, for an answer sent many times unchanged (a constant
    /// page, a status cached for a second). Changing the status, a header or the body afterwards drops the copy.
    public func prepared() -> Response {
        var copy = self
        copy.preparedCopy = PreparedResponse(self)
        return copy
    }

    /// True when `prepared()` made libmicrohttpd's copy and nothing changed since.
    public var isPrepared: Bool { preparedCopy != nil }
}
