import Foundation
import Guichet
import HTTPServer

extension GuichetService {
    struct Queued: Encodable {
        let delivery: Int64
        let state: String
        /// The address on file, masked as the card shows it: the desk never sees nor types the full address.
        let addressMasked: String
    }

    /// A delivery as the card shows it.
    struct DeliveryView: Encodable {
        let delivery: Int64
        let login: String
        let addressMasked: String
        let state: String
        let attempts: Int
        let smtpCode: Int?
        let error: String?
        let nextAttemptAt: String?
        let finishedAt: String?

        init(_ d: MailDelivery) {
            (delivery, login, addressMasked, state, attempts) = (
                d.id, d.login, Masking.email(d.address) ?? "", d.state.rawValue, d.attempts
            )
            (smtpCode, error, nextAttemptAt, finishedAt) = (d.smtpCode, d.error, d.nextAttemptAt, d.finishedAt)
        }
    }

    /// `POST /api/v1/accounts/{login}/email` (no body): queues the sheet for the address on file → 202 with the
    /// delivery id to poll. Never to an address given in the request: there is no field for one.
    func emailSheet(_ request: Request, _ session: Session) throws -> Response {
        guard let sender = mailSender else { throw APIError.mailNotConfigured }
        let login = request.pathParameters["login"] ?? ""
        let id = try Mailing.queueDesk(database, login: login, staff: session.staff.name, channel: .kiosk)
        sender.wake()
        let delivery = try Mailing.delivery(database, id: id)
        return .json(
            Queued(delivery: id, state: delivery.state.rawValue, addressMasked: Masking.email(delivery.address) ?? ""),
            status: 202)
    }

    /// `GET /api/v1/deliveries/{id}`: queued, sending, sent (accepted by the relay), failed (with the SMTP error) or
    /// unknown (interrupted while sending).
    /// Only for the member who queued it, or a reviewer: to anyone else it does not exist (ids are sequential, and a
    /// delivery names an address).
    func deliveryStatus(_ request: Request, _ session: Session) throws -> Response {
        let text = request.pathParameters["id"] ?? ""
        guard let id = Int64(text) else { throw APIError.deliveryNotFound(text) }
        let delivery = try Mailing.delivery(database, id: id)
        guard session.staff.role == .reviewer || delivery.staff?.lowercased() == session.staff.name.lowercased() else {
            throw APIError.deliveryNotFound(text)
        }
        return .json(DeliveryView(delivery))
    }

    struct MailPreview: Encodable {
        let toSend: Int
        let withoutAddress: Int
        /// The first logins of each list, for the confirmation.
        let logins: [String]
        let loginsWithoutAddress: [String]
    }

    /// `POST /api/v1/mail-batches/preview` (the batch body): how many e-mails the batch would send, how many accounts
    /// have no address. Nothing is queued or journalled.
    func previewMailBatch(_ request: Request) throws -> Response {
        let (_, filter, sort) = try batchRequest(request)
        let preview = try Mailing.preview(database, filter: filter, sort: sort)
        return .json(
            MailPreview(
                toSend: preview.toSend.count, withoutAddress: preview.withoutAddress.count,
                logins: Array(preview.toSend.prefix(50)), loginsWithoutAddress: Array(preview.withoutAddress.prefix(50))))
    }

    /// `POST /api/v1/mail-batches` (reviewers; the batch body): queues one e-mail per selected account with an
    /// address → 202 `{"batch", "queued", "withoutAddress", "journalSeq"}`; progress at `GET /api/v1/mail-batches/{id}`.
    func queueMailBatch(_ request: Request, _ session: Session) throws -> Response {
        guard let sender = mailSender else { throw APIError.mailNotConfigured }
        let (_, filter, sort) = try batchRequest(request)
        let queued = try Mailing.queueBatch(database, filter: filter, sort: sort, staff: session.staff.name, channel: .kiosk)
        sender.wake()
        return .json(queued, status: 202)
    }

    /// `GET /api/v1/mail-batches/{id}`: counts by state, and `done`.
    func mailBatchStatus(_ request: Request) throws -> Response {
        let text = request.pathParameters["id"] ?? ""
        guard let id = Int64(text) else { throw APIError.mailBatchNotFound(text) }
        return .json(BatchProgress(try Mailing.batchStatus(database, id: id)))
    }

    struct BatchProgress: Encodable {
        let status: MailBatchStatus
        let done: Bool
        init(_ status: MailBatchStatus) { (self.status, done) = (status, status.done) }
        func encode(to encoder: any Encoder) throws {
            try status.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(done, forKey: .done)
        }
        enum Key: String, CodingKey { case done }
    }

    /// `GET /api/v1/mail-batches/{id}/report.csv`: one line per message (address, state, SMTP code, error…).
    func mailBatchReport(_ request: Request) throws -> Response {
        let text = request.pathParameters["id"] ?? ""
        guard let id = Int64(text) else { throw APIError.mailBatchNotFound(text) }
        let csv = Mailing.reportCSV(try Mailing.deliveries(database, batch: id))
        return Response(
            status: 200,
            headers: [
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"envoi-\(id).csv\""
            ], body: csv)
    }
}
