import Testing
@testable import HTTPServer

/// A prepared response is libmicrohttpd's copy, made once and queued by reference on every request.
@Suite struct PreparedResponseTests {
    @Test func changingAPreparedResponseDropsLibmicrohttpdsCopy() {
        var response = Response.text("ok\n").prepared()
        #expect(response.isPrepared)
        response.headers.add("X-Extra", "1")
        #expect(!response.isPrepared)
        var other = Response.text("ok\n").prepared()
        other.status = 201
        #expect(!other.isPrepared)
    }

    @Test func aPreparedResponseIsSentWholeToEveryRequestOnOneConnection() throws {
        var constant = Response.text("constant\n", status: 203)
        constant.headers.add("X-Twice", "a")
        constant.headers.add("X-Twice", "b")
        let prepared = constant.prepared()
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { _ in prepared }
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        for _ in 0..<3 {
            try connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try connection.readResponse(head: false)
            #expect(response.status == 203)
            #expect(response.text == "constant\n")
            #expect(response.values("X-Twice") == ["a", "b"])
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }
}
