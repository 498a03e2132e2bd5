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
    /// administrator signs in (once: a refusal stops there); the ENT accepts the session's XSRF token on a POST
    /// that changes nothing (`probeXSRF`); each structure's accounts can be read (its export); whether MFA is
    /// demanded. Nothing is changed in the ENT.
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
        let xsrf = probeXSRF()
        add("xsrf", xsrf.accepted ? .ok : .failed, xsrf.detail)
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

extension ENTSession {
    /// Proves that the ENT accepts this session's XSRF token, with a POST that its CsrfFilter checks and that
    /// cannot change anything: `POST /auth/generatePasswordRenewalCode` with an empty `login`.
    ///
    /// Why this one (edificeio/entcore, auth/…/security/AuthResourcesProvider.java, `isClassTeacherByUserLogin`,
    /// and auth/…/controllers/AuthController.java, `generatePasswordRenewalCode`): the route is a `@SecuredAction`,
    /// so the CsrfFilter runs first and answers 403 `{"error":"invalid.xsrf.token"}` to a wrong or missing token;
    /// past it, the resource check reads `login` and refuses an empty one (401) before anything is looked up, and
    /// the controller itself would answer 400 "login required". No code is generated and no account is read, so
    /// the probe is harmless on a live platform, and it exercises the very route renewal codes use.
    public func probeXSRF() -> (accepted: Bool, detail: String) {
        do {
            let response = try send(
                "POST", "/auth/generatePasswordRenewalCode", form: [("login", "")], renewExpired: false)
            switch response.status {
            case 401, 400:
                return (true, "accepted (a POST with the session's token passed the ENT's XSRF check; nothing was changed)")
            case 403 where response.text.contains("invalid.xsrf.token"):
                return (false, "refused (invalid.xsrf.token): renewal codes will be refused")
            default:
                return (
                    false, "unexpected answer HTTP \(response.status) to the XSRF probe (POST /auth/generatePasswordRenewalCode)"
                )
            }
        } catch let error as ENTError {
            return (false, "not proved: \(error.detail)")
        } catch {
            return (false, "not proved: \(error)")
        }
    }
}
