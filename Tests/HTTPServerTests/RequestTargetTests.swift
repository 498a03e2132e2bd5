import Testing
@testable import HTTPServer

@Suite struct RequestTargetTests {
    private func parse(_ target: String) -> RequestTarget? { RequestTarget(Array(target.utf8)) }

    @Test func pathIsPercentDecodedButPlusStaysAPlus() {
        #expect(parse("/a%20b+c/%C3%A9")?.path == "/a b+c/é")
    }

    @Test func queryDecodesPlusAsSpaceAndKeepsRepeatedNamesInOrder() {
        let items = parse("/s?q=a+b%2Bc&k=1&k=2&flag&=v&&x=%3D")?.queryItems.map { "\($0.name)=\($0.value)" }
        #expect(items == ["q=a b+c", "k=1", "k=2", "flag=", "=v", "x=="])
    }

    @Test func invalidTargetsAreRefused() {
        for target in ["", "*", "http://host/a", "/%", "/%4", "/%zz", "/%C3", "/%FF", "/a%00", "/?q=%ff", "/?%e9=1"] {
            #expect(parse(target) == nil, "\(target)")
        }
    }

    @Test func rawNonASCIIBytesMustStillBeUTF8() {
        #expect(RequestTarget(Array("/é".utf8))?.path == "/é")
        #expect(RequestTarget([UInt8(ascii: "/"), 0xE9]) == nil)
    }

    @Test func requestInitFromTargetParsesLikeTheDaemon() throws {
        let request = try #require(Request(method: "GET", target: "/x?a=1&a=2", headers: ["Cookie": "s=1"]))
        #expect(request.path == "/x")
        #expect(request.query("a") == "1")
        #expect(request.queryItems.count == 2)
        #expect(request.cookies == ["s": "1"])
        #expect(Request(method: "GET", target: "/%ZZ") == nil)
    }
}

@Suite struct RequestTests {
    @Test func cookiesAreParsedFromEveryCookieHeaderFirstValueWinning() {
        var headers = HTTPHeaders()
        headers.add("Cookie", "a=1; b=\"quoted\";c=x=y; junk; =nameless")
        headers.add("cookie", "a=2; d=4")
        let request = Request(method: "GET", path: "/", headers: headers)
        #expect(request.cookies == ["a": "1", "b": "quoted", "c": "x=y", "d": "4"])
    }
}

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCaseAndKeepsOrderAndRepeats() {
        var headers: HTTPHeaders = ["Content-Type": "text/plain"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/plain")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.map(\.name) == ["Content-Type", "Set-Cookie", "set-cookie"])
    }

    @Test func assigningReplacesAllValuesInPlaceAndNilRemoves() {
        var headers: HTTPHeaders = ["A": "1", "B": "2"]
        headers.add("a", "3")
        headers["a"] = "4"
        #expect(headers.fields == [.init(name: "A", value: "4"), .init(name: "B", value: "2")])
        headers["b"] = nil
        #expect(headers.count == 1)
        #expect(!headers.contains("B"))
    }
}

@Suite struct ResponseTests {
    @Test func textIsUTF8PlainText() {
        let response = Response.text("élève", status: 201)
        #expect(response.status == 201)
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
        #expect(response.body == Array("élève".utf8))
    }

    @Test func jsonHasSortedKeysAndJSONContentType() {
        struct Body: Encodable { let zeta = 1; let alpha = "a/b" }
        let response = Response.json(Body(), status: 202)
        #expect(response.status == 202)
        #expect(response.headers["Content-Type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"alpha":"a/b","zeta":1}"#)
    }

    @Test func unencodableJSONIsA500() {
        #expect(Response.json(["x": Double.nan]).status == 500)
    }
}
