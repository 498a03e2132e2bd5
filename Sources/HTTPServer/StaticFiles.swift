#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serves the regular files under one directory (the kiosk page) to GET and HEAD.
///
/// Only files really inside the root are served: a path with an empty, "." or ".." segment, any segment starting
/// with "." (hidden files), a NUL or a backslash is refused before touching the disk, and the candidate's
/// `realpath` must still lie under the root's, so a symlink pointing out of the root is not followed out.
/// Give it the request's decoded `path` (`%2e%2e` and `..%2f` have become ".." there and are refused).
public struct StaticFiles: Sendable {
    /// The root directory, symlinks resolved.
    public let root: String

    /// Throws when `root` does not exist or is not a directory (an operator error, found at start-up).
    public init(root: String) throws {
        guard let resolved = realpath(root, nil) else {
            throw HTTPServerError(function: "realpath", reason: "static files root \(root)", errno: errno)
        }
        defer { free(resolved) }
        self.root = String(cString: resolved)
        var info = stat()
        guard stat(self.root, &info) == 0 else {
            throw HTTPServerError(function: "stat", reason: "static files root \(self.root)", errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw HTTPServerError(function: "StaticFiles.init", reason: "\(self.root) is not a directory")
        }
    }

    /// The file for a decoded request path ("/" and "/dir/" mean their index.html), or nil when there is no such
    /// servable file. Methods other than GET and HEAD get 405 for an existing file. A matching `ifNoneMatch`
    /// (the request's `If-None-Match`) gives 304. HEAD gets the body too: libmicrohttpd sends only its length.
    public func response(for path: String, method: String, ifNoneMatch: String? = nil) -> Response? {
        guard let relative = Self.relativePath(path) else { return nil }
        let rootPrefix = root.hasSuffix("/") ? root : root + "/"
        guard let resolved = realpath(rootPrefix + relative, nil) else { return nil }
        let file = String(cString: resolved)
        free(resolved)
        guard file.hasPrefix(rootPrefix) else { return nil }

        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return Self.unreadable(file, "open", errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return Self.unreadable(file, "fstat", errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { return nil }

        guard method == "GET" || method == "HEAD" else {
            return Response(status: 405, headers: ["Allow": "GET, HEAD"])
        }
        // Size and modification time, to the nanosecond: changes whenever a deployment rewrites the file.
        let etag =
            "\""
            + [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
            .map { String($0, radix: 16) }.joined(separator: "-") + "\""
        var headers: HTTPHeaders = [
            "Content-Type": Self.contentType(forFileNamed: file),
            "ETag": etag,
            // The kiosk must see a new page as soon as it is deployed: always revalidate, using the ETag.
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff"
        ]
        if let ifNoneMatch, Self.matches(ifNoneMatch, etag: etag) {
            headers.remove("Content-Type")
            return Response(status: 304, headers: headers)
        }
        guard let body = Self.readAll(descriptor, size: Int(info.st_size)) else {
            return Self.unreadable(file, "read", errno)
        }
        return Response(status: 200, headers: headers, body: body)
    }

    /// "a/b.css" for "/a/b.css", "index.html" for "/"; nil for anything that could leave the root.
    /// Works on UTF-8 bytes, as `realpath` will: Swift's Character comparisons would see "/" followed by a combining
    /// mark ("/\u{30A}") as one grapheme that is neither a slash nor the start of a segment.
    static func relativePath(_ path: String) -> String? {
        let slash = UInt8(ascii: "/")
        var wanted = Array(path.utf8)
        guard wanted.first == slash else { return nil }
        if wanted.last == slash { wanted += Array("index.html".utf8) }
        let segments = wanted.dropFirst().split(separator: slash, omittingEmptySubsequences: false)
        for segment in segments {
            guard !segment.isEmpty, segment.first != UInt8(ascii: "."), !segment.contains(0),
                !segment.contains(UInt8(ascii: "\\"))
            else { return nil }
        }
        return String(decoding: wanted.dropFirst(), as: UTF8.self)
    }

    /// If-None-Match is "*" or a comma-separated list of entity tags, weak ones prefixed "W/" (RFC 9110 §13.1.2).
    private static func matches(_ ifNoneMatch: String, etag: String) -> Bool {
        ifNoneMatch.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingSpaces()
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }

    private static func readAll(_ descriptor: Int32, size: Int) -> [UInt8]? {
        var body = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = body.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, size - filled) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return Array(body[..<filled]) }  // The file shrank while being read: serve what is there.
            filled += count
        }
        return body
    }

    /// The file exists under the root but cannot be read: an operator problem worth a 500, not a 404.
    private static func unreadable(_ file: String, _ function: String, _ code: Int32) -> Response {
        let error = HTTPServerError(function: function, reason: "static file \(file)", errno: code)
        return .text("Cannot read a static file: \(error)\n", status: 500)
    }
}
