import Foundation
import HTTPServer

extension GuichetConfiguration {
    /// Whether `server.bind` only accepts connections from this machine (127.0.0.0/8 or ::1).
    public var bindsLoopbackOnly: Bool {
        let bind = server.bind
        var v4 = in_addr()
        if inet_pton(AF_INET, bind, &v4) == 1 { return bind.hasPrefix("127.") }
        return bind == "::1" || bind == "0:0:0:0:0:0:0:1"
    }

    /// Refuses to listen beyond loopback in plain HTTP: staff passwords and session cookies would cross the school
    /// network in clear. `--insecure-lan` is the operator saying, on the command line, that they accept it.
    public func checkListening(insecureLAN: Bool) throws(ConfigurationErrors) {
        guard !bindsLoopbackOnly, tls == nil, !insecureLAN else { return }
        throw ConfigurationErrors(problems: [
            ConfigurationError(
                file: source, line: line(of: "server.bind"), key: "[server] bind",
                reason: "\(server.bind) is reachable from the network, which needs [tls] certificate and key; "
                    + "or give --insecure-lan to accept that passwords cross the network in clear")
        ])
    }

    /// Reads the PEM files of `[tls]`; nil without TLS. Errors name the key and its line.
    public func loadTLS() throws(ConfigurationErrors) -> TLSConfiguration? {
        guard let tls else { return nil }
        var problems: [ConfigurationError] = []
        func read(_ path: String, key: String, marker: String) -> String? {
            let place = (file: source, line: line(of: "tls.\(key)"), key: "[tls] \(key)")
            func refuse(_ reason: String) -> String? {
                problems.append(ConfigurationError(file: place.file, line: place.line, key: place.key, reason: reason))
                return nil
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                return refuse(
                    FileManager.default.fileExists(atPath: path)
                        ? "\(path) cannot be read by this user (permissions?)" : "\(path) does not exist")
            }
            guard let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN"), text.contains(marker) else {
                return refuse("\(path) is not a PEM file holding \(marker == "PRIVATE KEY" ? "a private key" : "a certificate")")
            }
            if key == "key", let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let mode = attributes[.posixPermissions] as? Int, mode & 0o004 != 0
            {
                return refuse("\(path) is readable by every user; chmod 640 it (owner root, group guichet)")
            }
            return text
        }
        let certificate = read(tls.certificate, key: "certificate", marker: "CERTIFICATE")
        let key = read(tls.key, key: "key", marker: "PRIVATE KEY")
        guard let certificate, let key else { throw ConfigurationErrors(problems: problems) }
        return TLSConfiguration(certificatePEM: certificate, privateKeyPEM: key)
    }
}
