import Foundation
import HTTPTypes
import Hummingbird
import Relief

/// What every response carries and every request must show, whatever the route:
/// - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and `Referrer-Policy:
///   no-referrer` on every response (the page's Content-Security-Policy is set with it);
/// - on a server listening on a loopback address, a `Host` that names this machine and port
///   (`127.0.0.1`, `localhost`, `[::1]`): a page on another site that rebinds its own name to
///   127.0.0.1 cannot reach the API (DNS rebinding); 421 otherwise;
/// - no transfer coding other than `chunked`: a body sent `gzip, chunked` would be read
///   undecoded, so it is refused (501), as RFC 9112 §6.1 asks of a coding the server does not know.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    /// nil: any Host (the server listens on a non-loopback address, behind its operator's proxy).
    let allowedHosts: Set<String>?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let refusal = refusal(request) { return secured(refusal) }
        do {
            return secured(try await next(request, context))
        } catch let error as HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response = secured(response)
            return response
        }
    }

    func refusal(_ request: Request) -> Response? {
        if let allowedHosts, let authority = request.head.authority?.lowercased(), !allowedHosts.contains(hostName(authority)) {
            return securityError(.misdirectedRequest, "the Host header \"\(authority)\" does not name this server; use 127.0.0.1 or localhost")
        }
        let codings = request.headers[values: .transferEncoding]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if codings.contains(where: { $0 != "chunked" }) {
            return securityError(.notImplemented, "Transfer-Encoding \"\(codings.joined(separator: ", "))\" is not supported; send the body plain or chunked")
        }
        return nil
    }

    func secured(_ response: Response) -> Response {
        var response = response
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "no-referrer"
        return response
    }
}

/// The host of a Host header without its port: "localhost:8080" → "localhost", "[::1]:80" → "[::1]".
func hostName(_ authority: String) -> String {
    if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") { return String(authority[...close]) }
    return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
}

/// A refusal in the API's one error body (``APIFailure``).
private func securityError(_ status: HTTPResponse.Status, _ message: String) -> Response {
    APIFailure(status: status, message: message, retryAfter: nil).response()
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

extension ReliefService {
    /// The host names a loopback server answers to (any port): 127.0.0.1, localhost, [::1]
    /// and the address it listens on. A rebinding attack's Host is the attacker's own name,
    /// so the name alone decides. nil when it listens on another address.
    var allowedHosts: Set<String>? {
        let host = settings.host.lowercased()
        let loopback = ["localhost", "::1", "[::1]"].contains(host) || host.hasPrefix("127.")
        guard loopback else { return nil }
        return ["127.0.0.1", "localhost", "[::1]", host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host]
    }
}

/// The body did not arrive in time.
struct BodyTimedOut: Error {}

/// Runs `work`, throwing ``BodyTimedOut`` (and cancelling it) if it takes longer than `seconds`.
func withDeadline<T: Sendable>(seconds: Double, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(max(0.001, seconds) * 1e9))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw BodyTimedOut() }
        return value
    }
}
