import Foundation
import Guichet

/// When the service last tidied up (expired sessions, ended bursts of failed sign-ins).
final class Housekeeping: @unchecked Sendable {
    // @unchecked: `last` is read and written only under `lock`.
    private let lock = NSLock()
    private var last = Date.distantPast
    private var signOuts: [(name: String, reason: String)] = []

    /// A sign-out whose row could not be written: the session is already gone; `tidy` writes the row later.
    func deferSignOut(_ name: String, _ reason: String) {
        lock.withLock { if signOuts.count < 1000 { signOuts.append((name, reason)) } }
    }

    func takeSignOuts() -> [(name: String, reason: String)] {
        lock.withLock {
            defer { signOuts.removeAll() }; return signOuts
        }
    }

    /// True at most once every `interval` seconds.
    func due(now: Date, interval: TimeInterval = 5) -> Bool {
        lock.withLock {
            guard now.timeIntervalSince(last) >= interval else { return false }
            last = now
            return true
        }
    }
}

extension GuichetService {
    /// The session of `token`, if its member still stands as at sign-in: not disabled, same role, same session
    /// epoch (a password change, a new role or a disabling moves it, from the kiosk or `guichet staff` in another
    /// process alike). Otherwise every session of the member ends here and the request is treated as signed out.
    func standingSession(_ token: String?, now: Date = Date()) throws -> Session? {
        guard let session = sessions.session(token, now: now) else { return nil }
        let standing = try Staff.standing(database, name: session.staff.name)
        guard let standing, !standing.disabled, standing.role == session.staff.role, standing.epoch == session.epoch else {
            sessions.closeAll(of: session.staff.name)
            logger.notice("the sessions of \(session.staff.name) ended: the staff record changed")
            return nil
        }
        return session
    }

    /// Drops expired sessions and journals the bursts of failed sign-ins that ended; runs from `respond` at most
    /// every 5 seconds, and with `all` when the service stops (`finish`).
    func tidy(now: Date = Date(), all: Bool = false) {
        sessions.sweep(now: now)
        for (name, reason) in housekeeping.takeSignOuts() {
            do { try Staff.signOut(database, name: name, reason: reason, channel: .kiosk) } catch {
                housekeeping.deferSignOut(name, reason)
                logger.error("the sign-out of \(name) is still not journalled: \(error)")
            }
        }
        let bursts = signInGuard.closedBursts(now: now, all: all)
        guard !bursts.isEmpty else { return }
        do {
            try Staff.journal(database, bursts: bursts, channel: .kiosk, at: now)
        } catch {
            logger.error("could not journal \(bursts.count) burst(s) of failed sign-ins: \(error)")
        }
    }

    func tidyIfDue(now: Date = Date()) {
        if housekeeping.due(now: now) { tidy(now: now) }
    }

    /// Journals what is still in memory (open bursts of failed sign-ins): call after the daemon stopped.
    public func finish() {
        tidy(all: true)
    }
}
