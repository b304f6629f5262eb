import Foundation

/// How the clinic's routes behave: cookies, sessions, links and the sign-in limits.
public struct ClinicWebSettings: Sendable {
    /// Whether the session cookie carries `Secure` (and the `__Host-` prefix that requires it).
    /// Off only for a server listening on a loopback address: that one is reached over plain
    /// HTTP from the same machine (curl, a browser on `http://127.0.0.1`), where a `Secure`
    /// cookie would not be sent back by every client. Any other address is served through a
    /// TLS proxy (README), so the cookie must never travel in the clear.
    public var secureCookies: Bool
    /// How long a signed-in session lasts (12 hours: a working day, then sign in again).
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// A patient link's life when the request names none, and the most it may ask for.
    public var defaultLinkDays = 28
    public var maxLinkDays = 365
    /// Failed sign-ins allowed per email and per client address within `limitWindow` seconds;
    /// the next attempt is answered 429 with Retry-After. Per address is looser than per email:
    /// a practice's clinicians often share one public address.
    public var failuresPerEmail = 5
    public var failuresPerAddress = 20
    public var limitWindow: TimeInterval = 15 * 60
    /// The address patients reach the server at (`https://clinic.example.org`), for the link a
    /// clinician copies; nil: the request's own scheme and Host (fine on one machine; behind a
    /// proxy that forwards any Host, set it).
    public var publicURL: String? = nil
    /// The clock (tests pass their own).
    public var now: @Sendable () -> Date

    /// Settings for a server listening on `host`: `Secure` cookies unless it is a loopback address.
    public init(listeningOn host: String, now: @escaping @Sendable () -> Date = { Date() }) {
        secureCookies = !Self.isLoopback(host)
        self.now = now
    }

    /// 127.0.0.0/8, ::1 and localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// The session cookie's name: `__Host-` prefixed when `Secure`, so a browser refuses it from
    /// a sub-domain or over plain HTTP.
    var cookieName: String { secureCookies ? "__Host-relief-session" : "relief-session" }
}
