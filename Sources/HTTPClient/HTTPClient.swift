import Foundation
import CCurl

/// An HTTP(S) client over one libcurl easy handle: its cookie engine keeps the session's cookies between requests,
/// its connection is reused. Redirects are never followed (the caller reads them). One request at a time: the owner
/// serialises calls (libcurl: "You must never share the same handle in multiple threads").
///
/// Owns the handle and its error buffer, and frees both in `deinit` (rule 3, Sources/README.md).
public final class HTTPClient {
    private let curl: UnsafeMutableRawPointer
    /// CURLOPT_ERRORBUFFER: "at least CURL_ERROR_SIZE bytes big", alive as long as the handle.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// PEM file of the certificate authorities to trust instead of the system's; nil: the system's store.
    public let caBundle: String?
    /// An answer longer than this is cut and reported as an error (an export of a whole academy is ~100 MB).
    public let maxBodyBytes: Int

    public init(caBundle: String? = nil, maxBodyBytes: Int = 256 << 20) throws(HTTPClientError) {
        self.caBundle = caBundle
        self.maxBodyBytes = maxBodyBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        guard CurlGlobalHTTP.status == CURLE_OK else {
            errorBuffer.deallocate()
            throw HTTPClientError(
                kind: .other, function: "curl_global_init", curlCode: Int32(CurlGlobalHTTP.status.rawValue),
                message: String(cString: curl_easy_strerror(CurlGlobalHTTP.status)))
        }
        guard let handle = curl_easy_init() else {
            errorBuffer.deallocate()
            throw HTTPClientError(
                kind: .other, function: "curl_easy_init", message: "libcurl could not create a handle (out of memory?)")
        }
        curl = handle
    }

    deinit {
        curl_easy_cleanup(curl)
        errorBuffer.deallocate()
    }

    /// Sends `request` and returns the answer, whatever its status. Throws only when no answer came.
    public func perform(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        // "curl_easy_reset … does not change … live connections, the Session ID cache, the DNS cache, the cookies":
        // each request starts from default options and keeps the session.
        curl_easy_reset(curl)
        let sink = ResponseSink(limit: maxBodyBytes)
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        try setString(CURLOPT_URL, request.url)
        var failed: UnsafePointer<CChar>?
        let common = guichet_curl_common_options(
            curl, "http,https", Int(request.connectTimeoutSeconds * 1000), Int(request.timeoutSeconds * 1000), errorBuffer,
            &failed)
        try check(common, failed.map { String(cString: $0) } ?? "curl_easy_setopt")
        // The cookie engine, without a file to read ("" : "enables the cookie engine without reading any initial cookies").
        try setString(CURLOPT_COOKIEFILE, "")
        try setString(CURLOPT_ACCEPT_ENCODING, "")
        if let caBundle { try setString(CURLOPT_CAINFO, caBundle) }
        switch request.method {
        case "GET": break
        case "POST":
            try setLong(CURLOPT_POST, 1)
            // CURLOPT_COPYPOSTFIELDS copies the body ("the data is copied by the library").
            let form = request.form ?? ""
            try setLong(CURLOPT_POSTFIELDSIZE, form.utf8.count)
            try setString(CURLOPT_COPYPOSTFIELDS, form)
        default:
            try setString(CURLOPT_CUSTOMREQUEST, request.method)
        }
        // No "Expect: 100-continue" round trip: bodies are small forms.
        for line in request.headers + ["Expect:"] {
            guard let extended = curl_slist_append(headerList, line) else {
                throw HTTPClientError(
                    kind: .other, function: "curl_slist_append", message: "libcurl returned NULL (out of memory)")
            }
            headerList = extended
        }
        try check(guichet_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        try check(guichet_curl_setopt_write_function(curl, CURLOPT_WRITEFUNCTION, bodyCallback), "CURLOPT_WRITEFUNCTION")
        try check(guichet_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, box.toOpaque()), "CURLOPT_WRITEDATA")
        try check(guichet_curl_setopt_write_function(curl, CURLOPT_HEADERFUNCTION, headerCallback), "CURLOPT_HEADERFUNCTION")
        try check(guichet_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, box.toOpaque()), "CURLOPT_HEADERDATA")

        let result = curl_easy_perform(curl)
        guard result == CURLE_OK else {
            var text = String(cString: guichet_curl_error_text(result, errorBuffer))
            if sink.overflowed { text = "the answer is longer than \(maxBodyBytes) bytes" }
            throw HTTPClientError(
                kind: Self.kind(of: result), function: "curl_easy_perform", curlCode: Int32(result.rawValue), message: text)
        }
        var status = 0
        try check(guichet_curl_getinfo_response_code(curl, &status), "CURLINFO_RESPONSE_CODE")
        return HTTPClientResponse(status: status, headers: sink.headers, body: sink.body)
    }

    /// The value of the cookie `name` the handle holds now (set by an answer), or nil.
    public func cookie(named name: String) -> String? {
        var list: UnsafeMutablePointer<curl_slist>?
        guard guichet_curl_getinfo_slist(curl, CURLINFO_COOKIELIST, &list) == CURLE_OK else { return nil }
        defer { curl_slist_free_all(list) }
        var found: String?
        var node = list
        while let current = node {
            // Netscape format: domain, include-subdomains, path, secure, expiry, name, value (tab-separated).
            if let data = current.pointee.data {
                let fields = String(cString: data).split(separator: "\t", omittingEmptySubsequences: false)
                if fields.count >= 7, fields[5] == name { found = String(fields[6]) }
            }
            node = current.pointee.next
        }
        return found
    }

    /// Forgets every cookie (a new sign-in starts clean): CURLOPT_COOKIELIST "ALL" "erases all cookies held in memory".
    public func clearCookies() {
        _ = guichet_curl_setopt_string(curl, CURLOPT_COOKIELIST, "ALL")
    }

    /// `name=value&…` with libcurl's percent-encoding (curl_easy_escape: every byte but letters, digits, `-._~`).
    public func formEncode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// One query or form value, percent-encoded by libcurl.
    public func escape(_ text: String) -> String {
        guard let escaped = curl_easy_escape(curl, text, Int32(text.utf8.count)) else { return "" }
        defer { curl_free(escaped) }
        return String(cString: escaped)
    }

    private static func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            .unreachable
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
            CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            .tls
        default: .other
        }
    }

    private func setString(_ option: CURLoption, _ value: String) throws(HTTPClientError) {
        try check(guichet_curl_setopt_string(curl, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func setLong(_ option: CURLoption, _ value: Int) throws(HTTPClientError) {
        try check(guichet_curl_setopt_long(curl, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    private func check(_ code: CURLcode, _ function: String) throws(HTTPClientError) {
        guard code == CURLE_OK else {
            throw HTTPClientError(
                kind: .other, function: function, curlCode: Int32(code.rawValue),
                message: String(cString: curl_easy_strerror(code)))
        }
    }
}

/// Where the callbacks put the answer; passed to libcurl as an unmanaged pointer that `perform` keeps alive.
private final class ResponseSink {
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var overflowed = false
    let limit: Int
    init(limit: Int) { self.limit = limit }
}

/// CURLOPT_WRITEFUNCTION: "Your callback should return the number of bytes actually taken care of. If that amount
/// differs from the amount passed to your callback function, it signals an error condition".
private let bodyCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard sink.body.count + length <= sink.limit else {
        sink.overflowed = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

/// CURLOPT_HEADERFUNCTION: called once per header line, status lines included ("also the … response line");
/// a new status line (after a 100 Continue) starts the headers again.
private let headerCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
    }.trimmingCharacters(in: ["\r", "\n"])
    if line.hasPrefix("HTTP/") {
        sink.headers = []
    } else if let colon = line.firstIndex(of: ":") {
        let name = String(line[..<colon])
        let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: [" ", "\t"])
        sink.headers.append((name, value))
    }
    return length
}

/// curl_global_init, once per process before any handle ("This function is not thread safe" before 7.84), inside
/// Swift's once-only initialisation of a static. libcurl counts its calls, so the Mail module's own call is harmless.
enum CurlGlobalHTTP {
    static let status: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}
