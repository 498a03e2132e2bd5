import CCurl

/// One message handed to the relay with libcurl's SMTP: owns the easy handle, the MIME tree and the lists libcurl
/// reads during the transfer (it does not copy them), and frees them all in `deinit` (rule 3, Sources/README.md). One transfer
/// per message: a batch is slow anyway (the relay paces it), and a fresh handle carries nothing over from a failure.
final class SMTPTransfer {
    private let curl: UnsafeMutableRawPointer
    private var mime: OpaquePointer?
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private var headers: UnsafeMutablePointer<curl_slist>?
    /// CURLOPT_ERRORBUFFER: "at least CURL_ERROR_SIZE bytes big", and alive as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(MailError) {
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard CurlGlobal.status == CURLE_OK else {
            errorBuffer.deallocate()
            throw MailError(
                kind: .temporary, function: "curl_global_init", curlCode: Int32(CurlGlobal.status.rawValue),
                message: String(cString: curl_easy_strerror(CurlGlobal.status)))
        }
        guard let handle = curl_easy_init() else {
            errorBuffer.deallocate()
            throw MailError(
                kind: .temporary, function: "curl_easy_init", message: "libcurl could not create a handle (out of memory?)")
        }
        curl = handle
    }

    deinit {
        // libcurl's smtp-mime.c example order: the handle first, then what it was reading.
        curl_easy_cleanup(curl)
        curl_mime_free(mime)
        curl_slist_free_all(recipients)
        curl_slist_free_all(headers)
        errorBuffer.deallocate()
    }

    /// Sends `message` through `relay`; returns the relay's final reply code (250). Throws the relay's refusal
    /// (5xx: permanent, 4xx: temporary) or libcurl's failure to reach it (temporary).
    func send(_ message: MailMessage, via relay: SMTPRelay) throws(MailError) -> Int {
        for address in [message.from, message.to] + (message.replyTo.map { [$0] } ?? []) where !address.isPlain {
            throw .refused("not a plain e-mail address: \"\(address.address)\"")
        }
        try setString(CURLOPT_URL, relay.url)
        var failed: UnsafePointer<CChar>?
        let common = guichet_curl_common_options(
            curl, "smtp,smtps", relay.connectTimeout * 1000, relay.timeout * 1000, errorBuffer, &failed)
        try check(common, failed.map { String(cString: $0) } ?? "curl_easy_setopt")
        try setString(CURLOPT_MAIL_FROM, "<\(message.from.address)>")
        recipients = try append(nil, "<\(message.to.address)>")
        try check(guichet_curl_setopt_slist(curl, CURLOPT_MAIL_RCPT, recipients), "CURLOPT_MAIL_RCPT")
        for line in message.headers { headers = try append(headers, line) }
        try check(guichet_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headers), "CURLOPT_HTTPHEADER")
        try buildMIME(message)
        try check(guichet_curl_setopt_mime(curl, mime), "CURLOPT_MIMEPOST")
        let tls = relay.security == .none ? CURLUSESSL_NONE : CURLUSESSL_ALL
        try setLong(CURLOPT_USE_SSL, Int(tls.rawValue))
        if let username = relay.username { try setString(CURLOPT_USERNAME, username) }
        if let password = relay.password { try setString(CURLOPT_PASSWORD, password) }

        let result = curl_easy_perform(curl)
        var reply = 0
        if guichet_curl_getinfo_response_code(curl, &reply) != CURLE_OK { reply = 0 }
        guard result == CURLE_OK else {
            let text = String(cString: guichet_curl_error_text(result, errorBuffer))
            // No reply at all (refused connection, timeout, DNS): the relay is down, which is worth another try.
            let kind: MailError.Kind = (500..<600).contains(reply) ? .permanent : .temporary
            throw MailError(
                kind: kind, function: "curl_easy_perform", curlCode: Int32(result.rawValue),
                smtpCode: reply == 0 ? nil : reply, message: text)
        }
        return reply == 0 ? 250 : reply
    }

    /// multipart/mixed: a multipart/alternative part (text, then HTML: "the last part is the preferred one", RFC
    /// 2046 §5.1.4), then each attachment in base64.
    private func buildMIME(_ message: MailMessage) throws(MailError) {
        guard let root = curl_mime_init(curl) else { throw outOfMemory("curl_mime_init") }
        mime = root
        guard let alternative = curl_mime_init(curl) else { throw outOfMemory("curl_mime_init") }
        do {
            try addPart(
                alternative, bytes: Array(message.text.utf8), type: "text/plain; charset=UTF-8", encoder: "quoted-printable")
            try addPart(
                alternative, bytes: Array(message.html.utf8), type: "text/html; charset=UTF-8", encoder: "quoted-printable")
        } catch {
            curl_mime_free(alternative)
            throw error
        }
        guard let body = curl_mime_addpart(root) else {
            curl_mime_free(alternative)
            throw outOfMemory("curl_mime_addpart")
        }
        // On success the part owns `alternative` ("the subparts are then owned by the part").
        let attached = curl_mime_subparts(body, alternative)
        guard attached == CURLE_OK else {
            curl_mime_free(alternative)
            throw failure(attached, "curl_mime_subparts")
        }
        try check(curl_mime_type(body, "multipart/alternative"), "curl_mime_type")
        for file in message.attachments {
            let part = try addPart(root, bytes: file.bytes, type: file.contentType, encoder: "base64")
            try check(curl_mime_filename(part, file.fileName), "curl_mime_filename")
        }
    }

    @discardableResult
    private func addPart(_ mime: OpaquePointer, bytes: [UInt8], type: String, encoder: String) throws(MailError) -> OpaquePointer
    {
        guard let part = curl_mime_addpart(mime) else { throw outOfMemory("curl_mime_addpart") }
        // curl_mime_data copies the bytes ("The data is copied").
        let copied = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { curl_mime_data(part, $0, buffer.count) }
            } ?? curl_mime_data(part, "", 0)
        }
        try check(copied, "curl_mime_data")
        try check(curl_mime_type(part, type), "curl_mime_type")
        try check(curl_mime_encoder(part, encoder), "curl_mime_encoder")
        return part
    }

    private func append(_ list: UnsafeMutablePointer<curl_slist>?, _ line: String) throws(MailError) -> UnsafeMutablePointer<
        curl_slist
    > {
        // curl_slist_append returns NULL on failure and leaves `list` as it was (still ours to free).
        guard let extended = curl_slist_append(list, line) else { throw outOfMemory("curl_slist_append") }
        return extended
    }

    private func setString(_ option: CURLoption, _ value: String) throws(MailError) {
        try check(guichet_curl_setopt_string(curl, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func setLong(_ option: CURLoption, _ value: Int) throws(MailError) {
        try check(guichet_curl_setopt_long(curl, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func check(_ code: CURLcode, _ function: String) throws(MailError) {
        guard code == CURLE_OK else { throw failure(code, function) }
    }

    /// A setup call that failed: our bug or libcurl built without SMTP or TLS; retrying cannot help.
    private func failure(_ code: CURLcode, _ function: String) -> MailError {
        MailError(
            kind: .permanent, function: function, curlCode: Int32(code.rawValue),
            message: String(cString: curl_easy_strerror(code)))
    }

    private func outOfMemory(_ function: String) -> MailError {
        MailError(kind: .temporary, function: function, message: "libcurl returned NULL (out of memory)")
    }
}

/// curl_global_init, once per process before any handle: "This function is not thread safe" (before 7.84), so it
/// runs inside Swift's once-only initialisation of a static.
enum CurlGlobal {
    static let status: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}
