import Foundation
import HTTPClient

/// One line of `guichet ent check`.
public struct ENTCheckLine: Sendable, Equatable, Encodable {
    public enum Outcome: String, Sendable, Encodable { case ok, failed, skipped }
    /// "reachable", "tls", "sign-in", "xsrf", "structure <id>", "mfa".
    public let check: String
    public let outcome: Outcome
    public let detail: String
}

extension ENTSession {
    /// Checks, in order and each on one line: the ENT answers; TLS verifies (or plain http to loopback); the
    /// administrator signs in (once: a refusal stops there); the session carries an XSRF token; each structure's
    /// accounts can be read (its export); whether MFA is demanded. Nothing is changed in the ENT.
    public func check() -> [ENTCheckLine] {
        var lines: [ENTCheckLine] = []
        func add(_ check: String, _ outcome: ENTCheckLine.Outcome, _ detail: String) {
            lines.append(ENTCheckLine(check: check, outcome: outcome, detail: detail))
        }
        let tlsUsed = settings.baseURL.lowercased().hasPrefix("https:")
        do {
            let client = try HTTPClient(caBundle: settings.caBundle)
            let page = try client.perform(
                HTTPClientRequest(url: settings.baseURL + "/auth/login", timeoutSeconds: settings.timeoutSeconds))
            add("reachable", .ok, "\(settings.baseURL) answers (HTTP \(page.status) on /auth/login)")
            add(
                "tls", tlsUsed ? .ok : .skipped,
                tlsUsed
                    ? "certificate verified against \(settings.caBundle ?? "the system's authorities")"
                    : "plain http to a loopback address")
        } catch let error as HTTPClientError where error.kind == .tls {
            add("reachable", .ok, "\(settings.baseURL) accepts connections")
            add(
                "tls", .failed,
                "\(error.message)\(settings.caBundle == nil ? " (set [ent] ca_bundle for a private authority)" : "")")
            return lines
        } catch {
            add("reachable", .failed, Self.describe(error))
            return lines
        }
        do {
            try signIn()
            add("sign-in", .ok, "signed in as \(settings.adminLogin)")
        } catch let error as ENTError {
            add("sign-in", .failed, error.detail)
            return lines
        } catch {
            add("sign-in", .failed, "\(error)")
            return lines
        }
        add(
            "xsrf", hasXSRFToken ? .ok : .failed,
            hasXSRFToken
                ? "the session holds an XSRF-TOKEN cookie for its POST requests"
                : "the ENT set no XSRF-TOKEN cookie: renewal codes will be refused")
        var mfa = false
        for structure in settings.structureIDs {
            do {
                let bytes = try exportCSV(structureID: structure)
                let rows = max(0, bytes.split(separator: UInt8(ascii: "\n")).count - 1)
                add("structure \(structure)", .ok, "administered: its export lists \(rows) account(s)")
            } catch ENTError.mfaRequired {
                mfa = true
                add("structure \(structure)", .failed, "not checked: the ENT demands MFA first")
            } catch let error as ENTError {
                add(
                    "structure \(structure)", .failed,
                    error.code == "ent-forbidden" ? "not administered by \(settings.adminLogin)" : error.detail)
            } catch {
                add("structure \(structure)", .failed, "\(error)")
            }
        }
        add(
            "mfa", mfa ? .failed : .ok,
            mfa
                ? "demanded for administrators: the ENT's /directory routes send to /auth/validate-mfa (renewal codes still work)"
                : "not demanded")
        return lines
    }
}
