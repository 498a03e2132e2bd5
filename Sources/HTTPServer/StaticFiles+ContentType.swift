extension StaticFiles {
    /// Content types by extension; text types say UTF-8 so that accents never turn into mojibake.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "txt": "text/plain; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "webp": "image/webp",
        "ico": "image/x-icon",
        "woff2": "font/woff2",
        "woff": "font/woff",
        "pdf": "application/pdf",
        "webmanifest": "application/manifest+json"
    ]

    /// The type for a file name's extension (case-insensitive); unknown ones are opaque bytes.
    static func contentType(forFileNamed name: String) -> String {
        let base = name.split(separator: "/").last ?? ""
        guard let dot = base.lastIndex(of: "."), dot != base.startIndex else { return "application/octet-stream" }
        return contentTypes[base[base.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
