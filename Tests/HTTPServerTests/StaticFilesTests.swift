import Foundation
import Testing
@testable import HTTPServer

/// A temporary site: `root/` with one file per content type and a `sub/index.html`, next to `root-secret/` and an
/// `outside.txt` that must never be served, and a symlink in the root pointing out of it.
final class TemporarySite {
    let base: String
    let root: String

    init() throws {
        base = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)").path
        root = base + "/root"
        let files = [
            "index.html": "<!doctype html><title>Accueil</title>", "style.css": "body{}", "app.js": "let a = 1",
            "data.json": "{}", "icon.svg": "<svg/>", "image.png": "PNG", "favicon.ico": "ICO", "font.woff2": "WOFF",
            "notes.txt": "élève", "sub/index.html": "sub", ".hidden": "secret"
        ]
        try FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/root-secret", withIntermediateDirectories: true)
        func write(_ content: String, _ path: String) throws {
            try content.write(toFile: path, atomically: false, encoding: .utf8)
        }
        for (name, content) in files { try write(content, root + "/" + name) }
        try write("outside", base + "/outside.txt")
        try write("secret", base + "/root-secret/file.txt")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root + "/escape.txt", withDestinationPath: base + "/outside.txt")
        try manager.createSymbolicLink(atPath: root + "/inside.txt", withDestinationPath: root + "/notes.txt")
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }
}

@Suite struct StaticFilesTests {
    @Test func servesEachKnownTypeWithItsContentType() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        let expected = [
            "/index.html": "text/html; charset=utf-8", "/style.css": "text/css; charset=utf-8",
            "/app.js": "text/javascript; charset=utf-8", "/data.json": "application/json",
            "/icon.svg": "image/svg+xml", "/image.png": "image/png", "/favicon.ico": "image/x-icon",
            "/font.woff2": "font/woff2", "/notes.txt": "text/plain; charset=utf-8"
        ]
        for (path, type) in expected {
            let response = files.response(for: path, method: "GET")
            #expect(response?.status == 200, "\(path)")
            #expect(response?.headers["Content-Type"] == type, "\(path)")
        }
        #expect(files.response(for: "/notes.txt", method: "GET")?.body == Array("élève".utf8))
    }

    @Test func directoryPathsServeTheirIndex() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        #expect(files.response(for: "/", method: "GET")?.body == Array("<!doctype html><title>Accueil</title>".utf8))
        #expect(files.response(for: "/sub/", method: "GET")?.body == Array("sub".utf8))
        #expect(files.response(for: "/sub", method: "GET") == nil)  // A directory is not a file.
    }

    @Test func missingFilesHiddenFilesAndOddPathsAreNotServed() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        for path in [
            "/nope.html", "/.hidden", "//index.html", "/./index.html", "/sub//index.html", "index.html",
            "/index.html\0.png", "/sub\\..\\index.html"
        ] {
            #expect(files.response(for: path, method: "GET") == nil, "\(path)")
        }
    }

    @Test func traversalAndSymlinksOutOfTheRootAreNotServed() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        for path in [
            "/../outside.txt", "/sub/../../outside.txt", "/../root-secret/file.txt", "/escape.txt",
            "/%2e%2e/outside.txt", "/..%2foutside.txt"
        ] {
            #expect(files.response(for: path, method: "GET") == nil, "\(path)")
        }
        #expect(files.response(for: "/inside.txt", method: "GET")?.status == 200)  // A symlink within is fine.
    }

    @Test func liveDaemonRefusesEncodedTraversal() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { request in
            files.response(for: request.path, method: request.method) ?? .text("not found", status: 404)
        }
        defer { daemon.stop() }
        for target in [
            "/../outside.txt", "/%2e%2e/outside.txt", "/..%2foutside.txt", "/%2E%2E%2Foutside.txt",
            "/sub/..%2F..%2Foutside.txt", "/escape.txt", "/..%5coutside.txt",
            "/%2e%2e%2froot-secret/file.txt"
        ] {
            let response = try roundTrip(daemon.port, "GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.status == 404, "\(target)")
            #expect(!response.text.contains("outside") && !response.text.contains("secret"), "\(target)")
        }
        let index = try roundTrip(daemon.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(index.status == 200)
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test func onlyGetAndHeadAreServed() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        #expect(files.response(for: "/index.html", method: "HEAD")?.status == 200)
        let post = files.response(for: "/index.html", method: "POST")
        #expect(post?.status == 405)
        #expect(post?.headers["Allow"] == "GET, HEAD")
        #expect(files.response(for: "/nope.html", method: "POST") == nil)
    }

    @Test func matchingETagGives304() throws {
        let site = try TemporarySite()
        let files = try StaticFiles(root: site.root)
        let first = try #require(files.response(for: "/style.css", method: "GET"))
        let etag = try #require(first.headers["ETag"])
        #expect(files.response(for: "/style.css", method: "GET", ifNoneMatch: etag)?.status == 304)
        #expect(files.response(for: "/style.css", method: "GET", ifNoneMatch: "\"x\", W/\(etag)")?.status == 304)
        #expect(files.response(for: "/style.css", method: "GET", ifNoneMatch: "\"other\"")?.status == 200)
    }

    @Test func rootThatIsNotADirectoryIsAnError() throws {
        let site = try TemporarySite()
        #expect(throws: HTTPServerError.self) { _ = try StaticFiles(root: site.root + "/index.html") }
        #expect(throws: HTTPServerError.self) { _ = try StaticFiles(root: site.base + "/missing") }
    }
}
