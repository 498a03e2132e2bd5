import Foundation
import Testing
import TestSupport
@testable import Guichet

/// A refused sign-in of the ENT's administrator is remembered beside the database, so that the service, the nightly
/// fetch and the commands run by hand (each its own process, each its own `ENTSession`) try a wrong password once in
/// all, not once each: entcore bans the login after a few failures.
@Suite(.serialized) struct ENTSignInMemoryTests {
    /// One "process": a new session over the same database folder, as `guichet serve` and `guichet ent fetch` are.
    func process(_ ent: FakeENT, _ t: TemporaryDatabase, password: String) throws -> ENTSession {
        ENTSession(
            settings: try ENTSettings(
                url: ent.url, adminLogin: FakeENT.adminLogin, password: password, structureIDs: [FakeENT.structure]),
            memory: ENTSignInMemory(besideDatabase: t.path))
    }

    func signInError(_ session: ENTSession) -> ENTError? {
        do { try session.signIn(); return nil } catch let error as ENTError { return error } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func aRefusalInOneProcessStopsTheNextOnesWithoutAnotherAttempt() throws {
        let ent = try FakeENT()
        let t = try TemporaryDatabase()
        let serve = try process(ent, t, password: "wrong-password")
        #expect(signInError(serve)?.code == "ent-sign-in-failed")
        #expect(try ent.signIns() == 1)

        // The nightly fetch and a renewal by hand, started afterwards with the same password: refused at once.
        let fetch = try process(ent, t, password: "wrong-password")
        #expect(fetch.hasGivenUp)
        let error = try #require(signInError(fetch))
        #expect(error.code == "ent-sign-in-failed")
        #expect(error.detail.contains("auth.error.authenticationFailed") && error.detail.contains("guichet ent check --retry"))
        #expect(throws: ENTError.self) { try fetch.generateRenewalCode(login: "marc.gerard") }
        #expect(try ent.signIns() == 1)

        // The file holds no password, and only its owner reads it.
        let file = ENTSignInMemory(besideDatabase: t.path).path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains("wrong-password") && text.contains("$argon2id$"))
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
    }

    @Test func aNewPasswordClearsTheRefusalAndSignsIn() throws {
        let ent = try FakeENT()
        let t = try TemporaryDatabase()
        #expect(signInError(try process(ent, t, password: "wrong-password"))?.code == "ent-sign-in-failed")
        let fixed = try process(ent, t, password: FakeENT.adminPassword)
        #expect(!fixed.hasGivenUp)
        #expect(signInError(fixed) == nil)
        #expect(try ent.signIns() == 2)
        #expect(!FileManager.default.fileExists(atPath: ENTSignInMemory(besideDatabase: t.path).path))
    }

    @Test func checkRetryInAnotherProcessLetsTheRunningServiceTryOnceMore() throws {
        let ent = try FakeENT()
        let t = try TemporaryDatabase()
        let serve = try process(ent, t, password: FakeENT.adminPassword)
        // Refused once (say the account was blocked in the ENT, then unblocked): same password, remembered.
        try ent.set(["users": ["guichet.adml": ["blocked": true]]])
        #expect(signInError(serve)?.detail.contains("auth.error.blockedUser") == true)
        try ent.set(["users": ["guichet.adml": ["blocked": false]]])
        #expect(signInError(serve)?.code == "ent-sign-in-failed")
        #expect(try ent.signIns() == 1)

        // `guichet ent check --retry`: another process forgets the refusal and signs in; the service follows.
        let check = try process(ent, t, password: FakeENT.adminPassword)
        try check.forgetRefusal()
        #expect(check.check().first { $0.check == "sign-in" }?.outcome == .ok)
        #expect(signInError(serve) == nil)
        #expect(try ent.signIns() == 3)
    }

    @Test func anUnreadableRefusalFileCountsAsARefusal() throws {
        let ent = try FakeENT()
        let t = try TemporaryDatabase()
        try Data("not json".utf8).write(to: URL(fileURLWithPath: ENTSignInMemory(besideDatabase: t.path).path))
        let session = try process(ent, t, password: FakeENT.adminPassword)
        #expect(signInError(session)?.detail.contains("not a refusal Guichet can read") == true)
        #expect(try ent.signIns() == 0)
    }
}
