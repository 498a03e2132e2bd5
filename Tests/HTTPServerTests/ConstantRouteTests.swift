import Foundation
import Testing
@testable import HTTPServer

/// Constant routes: answered by the daemon before the handler, and only for the requests they may answer.
@Suite struct ConstantRouteTests {
    /// Counts the handler's calls and echoes what it was given.
    final class Calls: @unchecked Sendable {
        // @unchecked: `count` is only touched under `lock`.
        private let lock = NSLock()
        private var count = 0
        var seen: Int { lock.withLock { count } }
        @Sendable func handle(_ request: Request) -> Response {
            lock.withLock { count += 1 }
            return echoHandler(request)
        }
    }

    /// What the route's `refresh` gives, and how many times it was asked.
    final class Answer: @unchecked Sendable {
        // @unchecked: `value` and `made` are only touched under `lock`.
        private let lock = NSLock()
        private var value: Response?
        private var made = 0
        var current: Response? {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
        var refreshes: Int { lock.withLock { made } }
        func refresh() -> Response? {
            lock.withLock {
                made += 1; return value
            }
        }
    }

    /// A daemon whose "/constant" route keeps `answer`'s refreshes `seconds` seconds (0: asks for every request).
    private func daemon(
        _ calls: Calls, _ answer: Answer, keptFor seconds: Double = 0, host: String = "127.0.0.1"
    ) throws -> HTTPDaemon {
        let kept = ConstantAnswer(keptFor: seconds)
        return try HTTPDaemon(
            configuration: testConfiguration {
                $0.constantRoutes = [
                    ConstantRoute(
                        path: "/constant",
                        acceptsHost: { bytes in bytes.map { Array($0) == Array(host.utf8) } ?? false },
                        answer: kept,
                        refresh: {
                            try? kept.get { () throws -> Response in
                                guard let current = answer.refresh() else { throw CancellationError() }
                                return current
                            }
                        })
                ]
            }, handler: calls.handle)
    }

    @Test func aConstantRouteIsAnsweredWithoutTheHandlerOnAKeptAliveConnection() throws {
        let calls = Calls()
        let answer = Answer()
        var constant = Response.text("constant\n", status: 200)
        constant.headers.add("X-Once", "yes")
        answer.current = constant.prepared()
        let daemon = try daemon(calls, answer)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        for _ in 0..<3 {
            try connection.send("GET /constant HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "constant\n")
            #expect(response.values("X-Once") == ["yes"])
        }
        // The same connection still reaches the handler for any other path.
        try connection.send("GET /other HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try connection.readResponse().text.contains("path=/other"))
        #expect(calls.seen == 1)
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func requestsTheConstantPathMustNotAnswerReachTheHandlerWhole() throws {
        let calls = Calls()
        let answer = Answer()
        answer.current = Response.text("constant\n").prepared()
        let daemon = try daemon(calls, answer)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        let requests = [
            // another method, with a body the handler must receive whole
            ("POST /constant HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello", "method=POST", "body=hello"),
            // a GET with a body
            ("GET /constant HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\nabc", "method=GET", "body=abc"),
            // a query string: not the exact target
            ("GET /constant?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "query:x=1", "path=/constant"),
            // a Host the route does not accept
            ("GET /constant HTTP/1.1\r\nHost: evil.example\r\n\r\n", "method=GET", "path=/constant")
        ]
        for (index, (request, first, second)) in requests.enumerated() {
            try connection.send(request)
            let response = try connection.readResponse()
            #expect(response.status == 200, "request \(index)")
            #expect(response.text.contains(first) && response.text.contains(second), "request \(index): \(response.text)")
        }
        // HEAD is not GET: the handler answers it (libmicrohttpd sends the length, not the body).
        try connection.send("HEAD /constant HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try connection.readResponse(head: true).status == 200)
        #expect(calls.seen == requests.count + 1)
        // No answer now (a status that could not be read): the handler answers, on the same connection.
        answer.current = nil
        try connection.send("GET /constant HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try connection.readResponse().text.contains("path=/constant"))
        #expect(calls.seen == requests.count + 2)
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func aKeptAnswerIsMadeOnceForManyRequestsAndAFixedOneNever() throws {
        let calls = Calls()
        let answer = Answer()
        answer.current = Response.text("kept\n")
        let daemon = try daemon(calls, answer, keptFor: 600)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        for _ in 0..<5 {
            try connection.send("GET /constant HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try connection.readResponse().text == "kept\n")
        }
        #expect(answer.refreshes == 1)
        #expect(calls.seen == 0)

        var page = Response.text("fixed\n")
        page.headers.add("Cache-Control", "no-store")
        let fixed = ConstantAnswer(fixed: page)
        #expect(fixed.get { Response.text("never made\n") }.body == Array("fixed\n".utf8))
        let other = try HTTPDaemon(
            configuration: testConfiguration {
                $0.constantRoutes = [ConstantRoute(path: "/fixed", acceptsHost: { _ in true }, answer: fixed)]
            }, handler: calls.handle)
        defer { other.stop() }
        let second = try TestConnection(port: other.port)
        for _ in 0..<3 {
            try second.send("GET /fixed HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let response = try second.readResponse()
            #expect(response.text == "fixed\n")
            #expect(response.values("Cache-Control") == ["no-store"])
        }
        #expect(calls.seen == 0)
    }
}
