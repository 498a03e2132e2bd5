import Foundation
import Guichet
import GuichetCrypto

/// A signed-in member of staff at one browser.
struct Session: Sendable {
    let staff: StaffMember
    /// The member's session epoch at sign-in: when `Staff.standing` reports another, the session is over.
    let epoch: Int64
    let csrfToken: String
    let createdAt: Date
    var lastSeen: Date
}

/// Sessions live in memory: a restart of the service signs everyone out, which a desk shrugs at and which keeps
/// no bearer secret on disk. Tokens are 256-bit random values; the store keys them by their SHA-256, so a memory
/// dump of the map alone does not hand out cookies. Expired sessions are dropped when met and by `sweep`.
final class SessionStore: @unchecked Sendable {
    // @unchecked: `sessions` is read and written only under `lock`.
    private let lock = NSLock()
    private var sessions: [String: Session] = [:]
    private let idle: TimeInterval
    private let maximum: TimeInterval

    init(idleSeconds: Int, maximumSeconds: Int) {
        idle = TimeInterval(idleSeconds)
        maximum = TimeInterval(maximumSeconds)
    }

    /// Opens a session; returns the cookie token and the session.
    func open(_ staff: StaffMember, epoch: Int64 = 0, now: Date = Date()) -> (token: String, session: Session) {
        let token = SecureRandom.token()
        let session = Session(staff: staff, epoch: epoch, csrfToken: SecureRandom.token(), createdAt: now, lastSeen: now)
        lock.withLock { sessions[key(token)] = session }
        return (token, session)
    }

    /// The live session of `token`, touched; nil when unknown or expired (an expired one is dropped).
    func session(_ token: String?, now: Date = Date()) -> Session? {
        guard let token, !token.isEmpty else { return nil }
        let k = key(token)
        return lock.withLock {
            guard var s = sessions[k] else { return nil }
            if expired(s, now) {
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

    /// Ends every session of `name` (disabled, or its password or role changed).
    func closeAll(of name: String) {
        lock.withLock { sessions = sessions.filter { $0.value.staff.name.lowercased() != name.lowercased() } }
    }

    /// Drops every expired session; returns how many are left.
    @discardableResult
    func sweep(now: Date = Date()) -> Int {
        lock.withLock {
            sessions = sessions.filter { !expired($0.value, now) }
            return sessions.count
        }
    }

    var count: Int { lock.withLock { sessions.count } }

    private func expired(_ s: Session, _ now: Date) -> Bool {
        now.timeIntervalSince(s.lastSeen) > idle || now.timeIntervalSince(s.createdAt) > maximum
    }

    private func key(_ token: String) -> String { hexString(Digest.sha256(Array(token.utf8))) }
}
