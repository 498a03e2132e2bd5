import CMicroHTTPD

extension DaemonContext {
    /// Hands `response` to libmicrohttpd: a copied buffer, every header in order (repeats included), queued, and
    /// our reference dropped ("MHD_destroy_response … the response will be freed once it is no longer in use").
    func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
        // A status outside what HTTP/1.1 can carry is a handler bug, not a runtime condition.
        precondition((100...999).contains(response.status), "handler answered status \(response.status)")
        // While stopping, every answer must carry `Connection: close`, which a prepared copy does not.
        if let prepared = response.preparedCopy, !isStopping {
            guard MHD_queue_response(connection, UInt32(response.status), prepared.handle) == .YES else {
                log("MHD_queue_response refused a prepared \(response.status) response; closing the connection")
                return .NO
            }
            return .YES
        }
        let created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), .RESPMEM_MUST_COPY)
        }
        guard let created else {
            log("MHD_create_response_from_buffer failed for \(response.body.count) bytes; closing the connection")
            return .NO
        }
        defer { MHD_destroy_response(created) }

        var headers = response.headers
        // libmicrohttpd computes Content-Length from the body and refuses a second one.
        headers.remove("Content-Length")
        if isStopping {
            // stop() is waiting for in-flight requests: do not let this client start another on this connection.
            headers["Connection"] = "close"
        }
        for field in headers {
            guard MHD_add_response_header(created, field.name, field.value) == .YES else {
                // Refused names or values (a CR/LF, a header MHD reserves) can come from data: a runtime failure.
                log("MHD_add_response_header refused \"\(field.name)\"; answering 500 instead")
                return queue(.text("Internal Server Error\n", status: 500), on: connection)
            }
        }
        guard MHD_queue_response(connection, UInt32(response.status), created) == .YES else {
            log("MHD_queue_response refused a \(response.status) response; closing the connection")
            return .NO
        }
        return .YES
    }
}
