import Foundation
import Testing
@testable import HTTPServer

/// Start, load, timeouts and stop of a live daemon.
@Suite struct HTTPDaemonLifecycleTests {
    @Test func portReportsTheEphemeralPortActuallyBound() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        #expect(daemon.port != 0)
        #expect(try roundTrip(daemon.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
    }

    @Test func portInUseThrowsAnErrorNamingTheCallAndTheReason() throws {
        let first = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { first.stop() }
        let error = #expect(throws: HTTPServerError.self) {
            _ = try HTTPDaemon(configuration: testConfiguration { $0.port = first.port }, handler: echoHandler)
        }
        #expect(error?.function == "MHD_start_daemon")
        #expect(error?.errno == EADDRINUSE)
        #expect(error?.description.contains("Address already in use") == true)
    }

    @Test func unusableConfigurationIsRefusedBeforeStarting() {
        #expect(throws: HTTPServerError.self) {
            _ = try HTTPDaemon(configuration: testConfiguration { $0.threadPoolSize = 0 }, handler: echoHandler)
        }
    }

    /// 200 connections open at once, each sending two requests over keep-alive; every answer must be its own.
    @Test func twoHundredConcurrentKeepAliveClientsAllGetTheirOwnAnswers() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.threadPoolSize = 4 }) { request in
            .text("you are \(request.query("id") ?? "?")")
        }
        defer { daemon.stop() }
        // A generous read timeout: this checks that every answer is its own, not how fast 200 arrive on a busy machine.
        let connections = try (0..<200).map { _ in try TestConnection(port: daemon.port, timeout: 30) }
        for round in 0..<2 {
            for (id, connection) in connections.enumerated() {
                try connection.send("GET /who?id=\(id)-\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            var wrong = 0
            for (id, connection) in connections.enumerated() {
                let response = try connection.readResponse()
                if response.status != 200 || response.text != "you are \(id)-\(round)" { wrong += 1 }
            }
            #expect(wrong == 0, "round \(round)")
        }
    }

    @Test func idleConnectionIsClosedAfterTheTimeout() throws {
        let daemon = try HTTPDaemon(
            configuration: testConfiguration { $0.connectionTimeoutSeconds = 1 },
            handler: echoHandler)
        defer { daemon.stop() }
        let idle = try TestConnection(port: daemon.port, timeout: 5)
        let slow = try TestConnection(port: daemon.port, timeout: 5)
        try slow.send("GET / HTTP/1.1\r\nHost: x\r\n")  // Headers never finished.
        let started = Date()
        #expect(idle.waitForClose())
        #expect(slow.waitForClose())
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed > 0.5 && elapsed < 4, "closed after \(elapsed) s")
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func stopLetsAnInFlightRequestFinishThenReturns() throws {
        let handlerStarted = DispatchSemaphore(value: 0)
        let log = LogCollector()
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.errorLog = log.append }) { _ in
            handlerStarted.signal()
            Thread.sleep(forTimeInterval: 0.5)
            return .text("finished")
        }
        let port = daemon.port
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: TestResponse?  // Written by the client thread before it signals `answered`.
        Thread.detachNewThread {
            answer = try? roundTrip(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            answered.signal()
        }
        #expect(handlerStarted.wait(timeout: .now() + 5) == .success)
        let started = Date()
        daemon.stop()
        let stopping = Date().timeIntervalSince(started)
        #expect(answered.wait(timeout: .now() + 5) == .success)
        #expect(answer?.status == 200)
        #expect(answer?.text == "finished")
        #expect(answer?.header("Connection")?.lowercased() == "close")
        #expect(stopping > 0.3 && stopping < 5, "stop took \(stopping) s")
        #expect(throws: TestClientError.self) { _ = try TestConnection(port: port) }
        #expect(log.messages.isEmpty)  // MHD_quiesce_daemon worked, nothing was cut short.
        daemon.stop()  // Idempotent.
    }

    @Test func idleKeepAliveConnectionDoesNotDelayStop() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        let connection = try TestConnection(port: daemon.port)
        try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try connection.readResponse()
        let started = Date()
        daemon.stop()
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(connection.waitForClose())
    }

    @Test func releasingTheDaemonStopsIt() throws {
        var daemon: HTTPDaemon? = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        let port = try #require(daemon?.port)
        #expect(try roundTrip(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)
        daemon = nil
        #expect(throws: TestClientError.self) { _ = try TestConnection(port: port) }
    }

    @Test func stopGivesUpOnAHandlerThatOutlivesTheGracePeriod() throws {
        let handlerStarted = DispatchSemaphore(value: 0)
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.shutdownGracePeriodSeconds = 0.2 }) { _ in
            handlerStarted.signal()
            Thread.sleep(forTimeInterval: 1)
            return .text("late")
        }
        let port = daemon.port
        let connection = try TestConnection(port: port)
        try connection.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(handlerStarted.wait(timeout: .now() + 5) == .success)
        let started = Date()
        daemon.stop()
        // MHD_stop_daemon joins the worker, which is still in the handler: stop returns when it does.
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(daemon.requestsInFlight == 0)  // The completion callback ran for the cut-off request.
    }

    @Test func abortedRequestsDoNotStayInFlight() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration(), handler: echoHandler)
        defer { daemon.stop() }
        do {
            let connection = try TestConnection(port: daemon.port)
            try connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part")
            Thread.sleep(forTimeInterval: 0.1)
        }  // Closed here, mid-body.
        #expect(eventually { daemon.requestsInFlight == 0 })
    }

    @Test func clientSendingFarPastTheCapIsCutOff() throws {
        let daemon = try HTTPDaemon(configuration: testConfiguration { $0.maxBodyBytes = 10 }, handler: echoHandler)
        defer { daemon.stop() }
        let connection = try TestConnection(port: daemon.port)
        try connection.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "10000\r\n" + String(repeating: "x", count: 0x10000) + "\r\n"
        var cutOff = false
        for _ in 0..<64 where !cutOff {  // Up to 4 MiB; the daemon drops at most 1 MiB before closing.
            do { try connection.send(chunk) } catch { cutOff = true }
        }
        #expect(cutOff || connection.waitForClose())
        #expect(eventually { daemon.requestsInFlight == 0 })
    }
}
