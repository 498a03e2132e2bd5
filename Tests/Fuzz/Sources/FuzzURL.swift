import Foundation
@testable import HTTPServer

/// The request target as it comes off the wire (`RequestTarget`), cookies, the route table's matching, and the
/// static files' path check: no crash, and no accepted path that could leave the kiosk's folder.
final class FuzzURL: @unchecked Sendable {
    static let shared = FuzzURL()
    let files: StaticFiles
    let router: Router<Int>

    private init() {
        let root = fuzzFolder("url").appendingPathComponent("web")
        try? FileManager.default.createDirectory(at: root.appendingPathComponent("css"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: root.appendingPathComponent("index.html").path, contents: Data("<p>".utf8))
        FileManager.default.createFile(atPath: root.appendingPathComponent("css/a.css").path, contents: Data("p{}".utf8))
        FileManager.default.createFile(
            atPath: root.deletingLastPathComponent().appendingPathComponent("secret").path,
            contents: Data("secret".utf8))
        do { files = try StaticFiles(root: root.path) } catch { fatalError("cannot serve \(root.path): \(error)") }
        var r = Router<Int>()
        for (i, pattern) in [
            "/api/v1/accounts", "/api/v1/accounts/{login}", "/api/v1/accounts/{login}/sheet",
            "/api/v1/session", "/healthz"
        ].enumerated() {
            r.add("GET", pattern, i)
            r.add("POST", pattern, i)
        }
        router = r
    }

    func run(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        _ = Request.parseCookies([String(decoding: bytes, as: UTF8.self)])
        guard let target = RequestTarget(bytes) else { return }
        precondition(target.path.utf8.first == UInt8(ascii: "/"), "a target path that does not start with /")
        precondition(!target.path.utf8.contains(0), "a NUL in a decoded path")
        switch router.match(method: "GET", path: target.path) {
        case .found(_, let parameters):
            precondition(parameters.values.allSatisfy { !$0.isEmpty }, "an empty path parameter")
        case .methodNotAllowed, .notFound: break
        }
        if let relative = StaticFiles.relativePath(target.path) {
            // As bytes, the way realpath reads it (see PathBytesTests).
            let segments = relative.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            precondition(
                segments.allSatisfy { !$0.isEmpty && $0.first != UInt8(ascii: ".") },
                "a path that may leave the root: \(relative)")
        }
        if let response = files.response(for: target.path, method: "GET") {
            precondition(response.body != Array("secret".utf8), "served a file outside the root for \(target.path)")
        }
    }
}
