import Foundation
import Testing
@testable import HTTPServer

/// Requests end to end through a live daemon on an ephemeral port.
@Suite struct HTTPDaemonTests {
    @Test func getParsesPercentEncodingPlusAndRepeatedQueryKeys() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        let response = try roundTrip(
            daemon.port,
            "GET /comptes/%C3%A9l%C3%A8ve?q=Z%C3%A9+Lo%26a&tag=a&tag=b&empty&tag=c HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        let lines = response.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("method=GET"))
        #expect(lines.contains("path=/comptes/élève"))
        #expect(
            lines.filter { $0.hasPrefix("query:") }
                == ["query:q=Zé Lo&a", "query:tag=a", "query:tag=b", "query:empty=", "query:tag=c"])
        #expect(lines.contains("remote=127.0.0.1"))
        #expect(lines.contains("tls=false"))
    }

    @Test func invalidUTF8OrMalformedEscapeInTargetIsRefusedWith400BeforeTheHandler() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { _ in
            Issue.record("handler reached")
            return .text("no")
        }
        defer { daemon.stop() }
        for target in ["/a?name=%FF%FE", "/%C3", "/a%zz", "/a%00b", "/x?v=%E9t%E9"] {
            let response = try roundTrip(daemon.port, "GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.status == 400, "\(target)")
            #expect(response.text.hasPrefix("Bad Request"))
        }
    }

    @Test func rejectionResponsesCanBeRenderedByTheApplication() throws {
        let configuration = testConfiguration {
            $0.rejectionResponse = { status, _ in .json(["code": "rejected-\(status)"], status: status) }
        }
        let daemon = try HTTPDaemon(configuration: configuration, handler: echoHandler)
        defer { daemon.stop() }
        let response = try roundTrip(daemon.port, "GET /%FF HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 400)
        #expect(response.text == #"{"code":"rejected-400"}"#)
    }

    @Test func postBodyIsAccumulatedAcrossReads() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        let body = String(repeating: "é", count: 20_000)  // 40 000 bytes, several reads
        try connection.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        let bytes = Array(body.utf8)
        try connection.send(Array(bytes[..<1000]))
        Thread.sleep(forTimeInterval: 0.05)
        try connection.send(Array(bytes[1000...]))
        let response = try connection.readResponse()
        #expect(response.status == 200)
        let bodyEchoed = response.text.hasSuffix("\nbody=\(body)")  // Not in #expect: it would print 40 kB.
        #expect(bodyEchoed)
    }

    @Test func chunkedBodyIsAccumulated() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        let response = try roundTrip(
            daemon.port,
            "POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(response.text.hasSuffix("\nbody=hello world"))
    }

    @Test func bodyOverTheCapWithContentLengthIs413WithoutReachingTheHandler() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.maxBodyBytes = 100 }) { _ in
            Issue.record("handler reached")
            return .text("no")
        }
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        // Only the headers: the 413 must come from Content-Length alone, before any body is sent.
        try connection.send("POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Connection")?.lowercased() == "close")
    }

    @Test func chunkedBodyOverTheCapIs413() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.maxBodyBytes = 100 }) { _ in
            Issue.record("handler reached")
            return .text("no")
        }
        defer { daemon.stop() }
        let chunk = String(repeating: "x", count: 60)
        let response = try roundTrip(
            daemon.port,
            "POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3c\r\n\(chunk)\r\n3c\r\n\(chunk)\r\n3c\r\n\(chunk)\r\n0\r\n\r\n")
        #expect(response.status == 413)
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func expect100ContinueIsAnsweredBeforeTheBodyButNotWhenTheBodyIsTooLarge() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.maxBodyBytes = 10 }, handler: echoHandler)
        defer { daemon.stop() }
        let accepted = try TestConnection(port: daemon.port)
        try accepted.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try accepted.readInterimStatusLine()
        #expect(interim.hasPrefix("HTTP/1.1 100"))
        try accepted.send("hello")
        #expect(try accepted.readResponse().text.hasSuffix("\nbody=hello"))

        let refused = try TestConnection(port: daemon.port)
        try refused.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\nExpect: 100-continue\r\n\r\n")
        #expect(try refused.readResponse().status == 413)
    }

    @Test func bodyExactlyAtTheCapIsAccepted() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.maxBodyBytes = 10 }, handler: echoHandler)
        defer { daemon.stop() }
        let response = try roundTrip(
            daemon.port, "POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789")
        #expect(response.status == 200)
        #expect(response.text.hasSuffix("\nbody=0123456789"))
    }

    @Test func keepAliveServesTwoRequestsOnOneConnection() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        try connection.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n")
        let first = try connection.readResponse()
        try connection.send("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        let second = try connection.readResponse()
        #expect(first.header("Connection") == nil)
        #expect(first.text.contains("path=/one"))
        #expect(second.text.contains("path=/two"))
        #expect(second.text.hasSuffix("\nbody=abc"))
    }

    @Test func repeatedSetCookieHeadersAreAllSentAndCookiesAreParsed() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { request in
            var response = echoHandler(request)
            response.headers.add("Set-Cookie", "session=abc; HttpOnly; Path=/")
            response.headers.add("Set-Cookie", "csrf=def; Path=/")
            return response
        }
        defer { daemon.stop() }
        let response = try roundTrip(
            daemon.port, "GET / HTTP/1.1\r\nHost: x\r\nCookie: a=1; b=\"two\"; a=3\r\n\r\n")
        #expect(response.values("Set-Cookie") == ["session=abc; HttpOnly; Path=/", "csrf=def; Path=/"])
        #expect(response.text.contains("cookie:a=1\ncookie:b=two"))
    }

    @Test func headResponseCarriesTheLengthButNoBody() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { _ in .text("twelve bytes") }
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        try connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readResponse(head: true)
        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let get = try connection.readResponse()
        #expect(head.header("Content-Length") == "12")
        #expect(get.text == "twelve bytes")  // The HEAD left no stray body on the connection.
    }

    @Test func headerWithALineBreakBecomesA500() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { _ in
            Response(status: 200, headers: ["X-Bad": "a\r\nInjected: yes"], body: Array("x".utf8))
        }
        defer { daemon.stop() }
        let response = try roundTrip(daemon.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 500)
        #expect(response.header("Injected") == nil)
    }

    @Test func oversizedHeadersAreRefusedByLibmicrohttpd() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.connectionMemoryLimit = 8192 }) { _ in
            Issue.record("handler reached")
            return .text("no")
        }
        defer { daemon.stop() }
        let filler = String(repeating: "a", count: 10_000)
        let response = try roundTrip(daemon.port, "GET / HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n")
        #expect(response.status == 431)
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func listensOnIPv6Loopback() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.bindAddress = "::1" }, handler: echoHandler)
        defer { daemon.stop() }
        let response = try roundTrip(daemon.port, "GET /six HTTP/1.1\r\nHost: x\r\n\r\n", host: "::1")
        #expect(response.text.contains("remote=::1"))
    }

    @Test func bindAddressThatIsNotALiteralIsAnError() throws {
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPDaemon(configuration: testConfiguration { $0.bindAddress = "localhost" }, handler: echoHandler)
        }
    }
}
