import Foundation
import Guichet
import GuichetCrypto

/// A signed-in member of staff at one browser.
struct Session: Sendable {
    let staff: StaffMember
    let csrfToken: String
    let createdAt: Date
    var lastSeen: Date
}

/// Sessions live in memory: a restart of the service signs everyone out, which a desk shrugs at and which keeps
/// no bearer secret on disk. Tokens are 256-bit random values; the store keys them by their SHA-256, so a memory
/// dump of the map alone does not hand out cookies.
final class SessionStore: @unchecked Sendable {
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    private let idle: TimeInterval
    private let maximum: TimeInterval

    init(idleSeconds: Int, maximumSeconds: Int) {
        idle = TimeInterval(idleSeconds)
        maximum = TimeInterval(maximumSeconds)
    }

    /// Opens a session; returns the cookie token and the session.
    func open(_ staff: StaffMember, now: Date = Date()) -> (token: String, session: Session) {
        let token = SecureRandom.token()
        let session = Session(staff: staff, csrfToken: SecureRandom.token(), createdAt: now, lastSeen: now)
        lock.withLock { sessions[key(token)] = session }
        return (token, session)
    }

    /// The live session of `token`, touched; nil when unknown or expired (an expired one is dropped).
    func session(_ token: String?, now: Date = Date()) -> Session? {
        guard let token, !token.isEmpty else { return nil }
        let k = key(token)
        return lock.withLock {
            guard var s = sessions[k] else { return nil }
            if now.timeIntervalSince(s.lastSeen) > idle || now.timeIntervalSince(s.createdAt) > maximum {
                sessions[k] = nil
                return nil
            }
            s.lastSeen = now
            sessions[k] = s
            return s
        }
    }

    func close(_ token: String?) {
        guard let token else { return }
        lock.withLock { sessions[key(token)] = nil }
    }

    private func key(_ token: String) -> String { hexString(Digest.sha256(Array(token.utf8))) }
}

/// Five failures for one login within 15 minutes lock that login for 15 minutes (the numbers are settings).
final class SignInThrottle: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]
    private let allowed: Int
    private let window: TimeInterval

    init(allowed: Int, windowSeconds: Int) {
        self.allowed = allowed
        self.window = TimeInterval(windowSeconds)
    }

    /// Seconds left on the lock of `login`, or nil when it may try.
    func lockedFor(_ login: String, now: Date = Date()) -> TimeInterval? {
        lock.withLock {
            let recent = (failures[key(login)] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key(login)] = recent.isEmpty ? nil : recent
            guard recent.count >= allowed, let last = recent.last else { return nil }
            return window - now.timeIntervalSince(last)
        }
    }

    func recordFailure(_ login: String, now: Date = Date()) {
        lock.withLock { failures[key(login), default: []].append(now) }
    }

    func recordSuccess(_ login: String) {
        lock.withLock { failures[key(login)] = nil }
    }

    private func key(_ login: String) -> String { login.lowercased() }
}
