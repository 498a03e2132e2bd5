import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    private func router() -> Router<String> {
        var router = Router<String>()
        router.add("GET", "/", "root")
        router.add("GET", "/api/v1/accounts", "list")
        router.add("POST", "/api/v1/accounts", "create")
        router.add("GET", "/api/v1/accounts/{login}", "show")
        router.add("DELETE", "/api/v1/accounts/{login}", "delete")
        router.add("GET", "/api/v1/accounts/search", "search")
        router.add("GET", "/api/v1/classes/{class}/students/{login}", "student")
        return router
    }

    private func handler(_ match: RouteMatch<String>) -> String? {
        if case .found(let handler, _) = match { handler } else { nil }
    }

    @Test func literalRoutesMatchExactly() {
        #expect(handler(router().match(method: "GET", path: "/")) == "root")
        #expect(handler(router().match(method: "GET", path: "/api/v1/accounts")) == "list")
        #expect(handler(router().match(method: "POST", path: "/api/v1/accounts")) == "create")
    }

    @Test func parametersAreCapturedFromTheDecodedPath() {
        guard
            case .found("student", let parameters) =
                router().match(method: "GET", path: "/api/v1/classes/6e B/students/zoé.martin")
        else {
            Issue.record("unexpected match")
            return
        }
        #expect(parameters == ["class": "6e B", "login": "zoé.martin"])
    }

    @Test func literalSegmentWinsOverParameterWhateverTheOrder() {
        #expect(handler(router().match(method: "GET", path: "/api/v1/accounts/search")) == "search")
        #expect(handler(router().match(method: "GET", path: "/api/v1/accounts/searching")) == "show")
    }

    @Test func unknownPathIs404() {
        guard case .notFound = router().match(method: "GET", path: "/api/v2/accounts") else {
            Issue.record("matched")
            return
        }
    }

    @Test func trailingSlashAndEmptySegmentsDoNotMatch() {
        for path in ["/api/v1/accounts/", "/api/v1/accounts//", "//api/v1/accounts", "api/v1/accounts"] {
            guard case .notFound = router().match(method: "GET", path: path) else {
                Issue.record("\(path) matched")
                continue
            }
        }
    }

    @Test func knownPathWithOtherMethodIs405WithSortedAllowList() {
        guard case .methodNotAllowed(let allowed) = router().match(method: "PUT", path: "/api/v1/accounts/zoe")
        else {
            Issue.record("unexpected match")
            return
        }
        #expect(allowed == ["DELETE", "GET"])
    }

    @Test func parameterDoesNotMatchAnEmptySegment() {
        var router = Router<String>()
        router.add("GET", "/a/{x}/b", "x")
        guard case .notFound = router.match(method: "GET", path: "/a//b") else {
            Issue.record("unexpected match")
            return
        }
    }

    @Test func liveDaemonRoutesWithPercentDecodedParameters() throws {
        var router = Router<@Sendable (Request) -> Response>()
        router.add("GET", "/accounts/{login}") { .text("account \($0.pathParameters["login"] ?? "")") }
        let table = router
        let daemon = try HTTPDaemon(configuration: testConfiguration()) { request in
            switch table.match(method: request.method, path: request.path) {
            case .found(let handler, let parameters):
                var request = request
                request.pathParameters = parameters
                return handler(request)
            case .notFound:
                return .text("not found", status: 404)
            case .methodNotAllowed(let allowed):
                var response = Response.text("no", status: 405)
                response.headers["Allow"] = allowed.joined(separator: ", ")
                return response
            }
        }
        defer { daemon.stop() }
        let found = try roundTrip(daemon.port, "GET /accounts/zo%C3%A9%20m HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(found.text == "account zoé m")
        #expect(try roundTrip(daemon.port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n").status == 404)
        let refused = try roundTrip(daemon.port, "DELETE /accounts/x HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(refused.status == 405)
        #expect(refused.header("Allow") == "GET")
    }
}
