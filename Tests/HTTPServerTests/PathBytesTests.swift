import Testing
@testable import HTTPServer

/// Paths are cut and compared as UTF-8 bytes. Found by Scripts/fuzz (url): the target `/\xCC\x8A;/Arr;` decodes to
/// "/" followed by U+030A, a combining ring, which Swift's Character view fuses with the slash into one grapheme, so
/// `hasPrefix("/")` and a split on "/" no longer saw the slash that `realpath` and the route table do.
@Suite struct PathBytesTests {
    let ring = "\u{30A}"

    @Test func aCombiningMarkAfterASlashDoesNotHideTheSlash() throws {
        let target = try #require(RequestTarget(Array("/%CC%8A;/Arr;".utf8)))
        #expect(target.path.utf8.first == UInt8(ascii: "/"))
        #expect(StaticFiles.relativePath(target.path) == "\(ring);/Arr;")
    }

    @Test func routesSplitOnTheSlashByteEvenBeforeACombiningMark() {
        var router = Router<String>()
        router.add("GET", "/api/v1/accounts/{login}", "show")
        guard case .found(let handler, let parameters) = router.match(method: "GET", path: "/api/v1/accounts/\(ring)x") else {
            Issue.record("the route did not match")
            return
        }
        #expect(handler == "show" && parameters["login"] == "\(ring)x")
        // "/api/" + ring + "v1/…" is the "api" segment, then "\u{30A}v1": no route, whatever the graphemes say.
        guard case .notFound = router.match(method: "GET", path: "/api/\(ring)v1/accounts") else {
            Issue.record("a path with a mark after a slash matched a route")
            return
        }
    }

    @Test func staticPathsRefuseDotSegmentsHiddenBehindCombiningMarks() {
        #expect(StaticFiles.relativePath("/css/\(ring)/../../secret") == nil)
        #expect(StaticFiles.relativePath("/..\(ring)/secret") == nil)
        #expect(StaticFiles.relativePath("/a/\(ring)") == "a/\(ring)")
        #expect(StaticFiles.relativePath("/a/\(ring)/") == "a/\(ring)/index.html")
    }
}
