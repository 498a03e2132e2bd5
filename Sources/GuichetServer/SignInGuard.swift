import Foundation
import Guichet

/// How hard sign-in pushes back (`ServerSettings`): the numbers of the throttle, the burst summary and the gate.
struct SignInLimits: Sendable {
    /// Failures of one login from one address within `window`: past them, that pair waits out the window.
    var pairFailures = 5
    /// Failures from one address within `window`, whatever the logins: past them, that address waits.
    var addressFailures = 20
    var window: TimeInterval = 15 * 60
    /// Entries per table (pairs, addresses, bursts): a flood of new names evicts the stalest, memory stays bounded.
    var tableSize = 4096
    /// Argon2id checks running at once, and how long a sign-in waits for its turn before a 503.
    var concurrentChecks = 2
    var checkWait: TimeInterval = 5
    /// An address's burst of failures ends after this long without one; it is then journalled as one row.
    var burstQuiet: TimeInterval = 60
}

/// The sign-in throttle, keyed by (address, login) and by address, in fixed-size tables.
///
/// A login is never locked for everyone: only the pair and the address that failed wait, so an attacker on another
/// address cannot lock a member out, and the member's own address, which never failed, signs in at once. Keys are
/// hashes under a per-process random seed (Swift's `Hasher`), so the login a client sends is never stored and an
/// entry costs the same whatever its length. When a table is full, entries whose window passed go first, then the
/// stalest. Failures are journalled per burst: the first failure of an address at once (with its details), the rest
/// counted and summarised when the address falls quiet (`closedBursts`).
final class SignInGuard: @unchecked Sendable {
    // @unchecked: every mutable field is read and written only under `lock`.
    private struct Counter {
        var count: Int
        var windowStart: Date
        var last: Date
    }
    private struct OpenBurst {
        var summary: SignInBurst
        var last: Date
        var names: Set<Int>
    }

    let limits: SignInLimits
    private let lock = NSLock()
    private var pairs: [Int: Counter] = [:]
    private var addresses: [Int: Counter] = [:]
    private var bursts: [String: OpenBurst] = [:]
    private var closed: [SignInBurst] = []

    init(limits: SignInLimits) {
        self.limits = limits
    }

    /// Seconds this address (or this address with this login) must still wait, or nil when it may try.
    func wait(address: String, login: String, now: Date = Date()) -> TimeInterval? {
        lock.withLock {
            let pair = blocked(pairs[pairKey(address, login)], limit: limits.pairFailures, now)
            let whole = blocked(addresses[addressKey(address)], limit: limits.addressFailures, now)
            return [pair, whole].compactMap { $0 }.max()
        }
    }

    /// Counts a checked failure; true when it starts its address's burst (journal it now, in full).
    @discardableResult
    func recordFailure(address: String, login: String, now: Date = Date()) -> Bool {
        lock.withLock {
            count(&pairs, pairKey(address, login), now)
            count(&addresses, addressKey(address), now)
            return burst(address, login, now, refused: false)
        }
    }

    /// Counts an attempt the throttle refused without checking it (no Argon2id, no row of its own).
    func recordRefused(address: String, login: String, now: Date = Date()) {
        lock.withLock { _ = burst(address, login, now, refused: true) }
    }

    /// A success forgets the pair's failures (not the address's: a flood from a desk's address still counts).
    func recordSuccess(address: String, login: String) {
        lock.withLock { pairs[pairKey(address, login)] = nil }
    }

    /// Bursts that ended (quiet for `burstQuiet`, evicted, or all of them when `all`) and had more than one
    /// attempt: each becomes one journal row. A burst of one attempt was journalled whole when it happened.
    func closedBursts(now: Date = Date(), all: Bool = false) -> [SignInBurst] {
        lock.withLock {
            for (address, open) in bursts where all || now.timeIntervalSince(open.last) >= limits.burstQuiet {
                bursts[address] = nil
                closed.append(open.summary)
            }
            defer { closed.removeAll() }
            return closed.filter { $0.failures + $0.refused > 1 }
        }
    }

    /// Entries held, for tests: they never exceed `limits.tableSize` each.
    var sizes: (pairs: Int, addresses: Int, bursts: Int) { lock.withLock { (pairs.count, addresses.count, bursts.count) } }

    // MARK: - Under the lock

    private func blocked(_ counter: Counter?, limit: Int, _ now: Date) -> TimeInterval? {
        guard let counter, counter.count >= limit else { return nil }
        let left = limits.window - now.timeIntervalSince(counter.windowStart)
        return left > 0 ? left : nil
    }

    private func count(_ table: inout [Int: Counter], _ key: Int, _ now: Date) {
        if var c = table[key], now.timeIntervalSince(c.windowStart) < limits.window {
            c.count += 1
            c.last = now
            table[key] = c
            return
        }
        if table[key] == nil && table.count >= limits.tableSize { evict(&table, now) }
        table[key] = Counter(count: 1, windowStart: now, last: now)
    }

    private func evict(_ table: inout [Int: Counter], _ now: Date) {
        table = table.filter { now.timeIntervalSince($0.value.windowStart) < limits.window }
        if table.count >= limits.tableSize, let stalest = table.min(by: { $0.value.last < $1.value.last }) {
            table[stalest.key] = nil
        }
    }

    private func burst(_ address: String, _ login: String, _ now: Date, refused: Bool) -> Bool {
        let name = login.lowercased().hashValue
        if var open = bursts[address] {
            if refused { open.summary.refused += 1 } else { open.summary.failures += 1 }
            if open.names.count < 256 { open.names.insert(name) }
            open.summary.names = open.names.count
            open.summary.last = Timestamp.format(now)
            open.last = now
            bursts[address] = open
            return false
        }
        if bursts.count >= limits.tableSize, let stalest = bursts.min(by: { $0.value.last < $1.value.last }) {
            bursts[stalest.key] = nil
            closed.append(stalest.value.summary)
        }
        let at = Timestamp.format(now)
        bursts[address] = OpenBurst(
            summary: SignInBurst(
                from: address, failures: refused ? 0 : 1, refused: refused ? 1 : 0,
                names: 1, first: at, last: at),
            last: now, names: [name])
        return !refused
    }

    private func pairKey(_ address: String, _ login: String) -> Int {
        var h = Hasher()
        h.combine(address)
        h.combine(login.lowercased())
        return h.finalize()
    }

    private func addressKey(_ address: String) -> Int { address.hashValue }
}

/// At most `capacity` password checks at once: Argon2id takes 19 MiB and a core's worth of time each, so a flood of
/// sign-ins from many addresses queues here instead of taking the machine's memory and every worker thread.
final class PasswordCheckGate: @unchecked Sendable {
    // @unchecked: `inUse` and `peak` are read and written only with `condition` locked.
    private let condition = NSCondition()
    private let capacity: Int
    private var inUse = 0
    private(set) var peak = 0

    init(capacity: Int) {
        precondition(capacity >= 1, "a gate that lets nobody through is a configuration bug")
        self.capacity = capacity
    }

    /// Runs `body` once a place is free; nil when none freed within `wait` seconds.
    func run<T>(waiting wait: TimeInterval, _ body: () throws -> T) rethrows -> T? {
        let deadline = Date(timeIntervalSinceNow: wait)
        condition.lock()
        while inUse >= capacity {
            guard condition.wait(until: deadline) else {
                condition.unlock()
                return nil
            }
        }
        inUse += 1
        peak = max(peak, inUse)
        condition.unlock()
        defer {
            condition.lock()
            inUse -= 1
            condition.signal()
            condition.unlock()
        }
        return try body()
    }

    var peakSeen: Int { condition.lock(); defer { condition.unlock() }; return peak }
}
