import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ReliefClinic
@testable import ReliefClinicServer

@Suite("Clinic routes: signing in and out")
struct SignInTests {
    func signInBody(_ email: String, _ password: String) -> String { #"{"email": "\#(email)", "password": "\#(password)"}"# }

    @Test("a wrong password and an unknown email answer the same 401, byte for byte")
    func oneMessageForBoth() async throws {
        try await ClinicWeb.run { web in
            let (c, _) = try await web.clinician("A")
            let wrong = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(c.email, "not the password"))
            let unknown = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody("nobody@example.org", "not the password"))
            #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
            #expect(String(buffer: wrong.body) == String(buffer: unknown.body))
            #expect(wrong.headers[.setCookie] == nil && unknown.headers[.setCookie] == nil)
            #expect(try body(wrong)["error"] as? String == "the email or password is wrong")
        }
    }

    @Test("five failures for one email in 15 minutes: the sixth attempt is 429 with Retry-After, even with the right password")
    func perEmailLimit() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("A")
            for i in 1...5 {
                let r = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(c.email, "wrong \(i)"))
                #expect(r.status == .unauthorized, "failure \(i)")
            }
            let sixth = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(c.email, "wrong 6"))
            #expect(sixth.status == .tooManyRequests)
            let retry = try #require(sixth.headers[.retryAfter].flatMap { Int($0) })
            // The test's clock has not moved since the first failure: all 15 minutes are left.
            #expect(retry == 900)
            // The limit is checked before the password: the right one is refused too, and the
            // email is spelt differently (case, spaces) to no avail.
            let right = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(" " + c.email.uppercased(), password))
            #expect(right.status == .tooManyRequests)
            // Another email from the same address still signs in (4 more failures allowed there).
            let (other, otherPassword) = try await web.clinician("B")
            _ = try await web.signIn(email: other.email, password: otherPassword)
            // Once the 15 minutes since the first failure have passed, the right password works.
            web.clock.advance(15 * 60 + 1)
            _ = try await web.signIn(email: c.email, password: password)
        }
    }

    @Test("twenty failures from one address over many emails: the next attempt is 429")
    func perAddressLimit() async throws {
        try await ClinicWeb.run { web in
            for i in 1...20 {
                let r = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody("guess\(i)@example.org", "password"))
                #expect(r.status == .unauthorized, "failure \(i)")
            }
            let (c, password) = try await web.clinician("A")
            let r = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(c.email, password))
            #expect(r.status == .tooManyRequests)
        }
    }

    @Test("the session cookie: HttpOnly, SameSite=Strict, Path=/; Secure and __Host- only off loopback")
    func cookieAttributes() async throws {
        for (host, secure) in [("127.0.0.1", false), ("0.0.0.0", true)] {
            try await ClinicWeb.run(listeningOn: host) { web in
                let (c, password) = try await web.clinician("A")
                let r = try await web.send(.post, "/v1/clinic/sign-in", json: signInBody(c.email, password))
                #expect(r.status == .ok)
                let cookie = try #require(r.headers[.setCookie])
                let attributes = Set(cookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(attributes.contains("HttpOnly"))
                #expect(attributes.contains("SameSite=Strict"))
                #expect(attributes.contains("Path=/"))
                #expect(attributes.contains("Secure") == secure, "\(host)")
                #expect(cookie.hasPrefix("__Host-relief-session=") == secure, "\(host): \(cookie)")
                // The cookie's value is not the CSRF token, and neither is stored as given.
                let csrf = try #require(try body(r)["csrf_token"] as? String)
                #expect(!cookie.contains(csrf))
            }
        }
    }

    @Test("sign-out ends the session: the old cookie is 401 afterwards")
    func signOut() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("A")
            let s = try await web.signIn(email: c.email, password: password)
            #expect(try await web.send(.get, "/v1/clinic/patients", headers: s.headers).status == .ok)
            let out = try await web.send(.post, "/v1/clinic/sign-out", headers: s.headers)
            #expect(out.status == .noContent)
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await web.send(.get, "/v1/clinic/patients", headers: s.headers).status == .unauthorized)
            #expect(try await web.send(.post, "/v1/clinic/sign-out", headers: s.headers).status == .unauthorized)
        }
    }

    @Test("a wrong CSRF token is 403 like a missing one; a bearer token needs none and cannot mint tokens")
    func csrfAndBearer() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("A")
            let s = try await web.signIn(email: c.email, password: password)
            var headers = s.headers
            headers[ClinicRoutes.csrfHeader] = String(s.csrf.reversed())
            let body = #"{"reference": "P-1", "usual_pain": 4}"#
            #expect(try await web.send(.post, "/v1/clinic/patients", headers: headers, json: body).status == .forbidden)
            // Another session's secret does not do either.
            let other = try await web.signIn(email: c.email, password: password)
            headers[ClinicRoutes.csrfHeader] = other.csrf
            #expect(try await web.send(.post, "/v1/clinic/patients", headers: headers, json: body).status == .forbidden)
            let issued = try await web.send(.post, "/v1/clinic/tokens", headers: s.headers, json: #"{"name": "script"}"#)
            #expect(issued.status == .created)
            let token = try #require(try ReliefClinicServerTests.body(issued)["token"] as? String)
            #expect(try await web.send(.post, "/v1/clinic/patients", headers: bearer(token), json: body).status == .created)
            // A bad bearer token is 401 even beside a good cookie: Authorization alone is read.
            var both = s.headers
            both[.authorization] = "Bearer nonsense"
            let r = try await web.send(.get, "/v1/clinic/patients", headers: both)
            #expect(r.status == .unauthorized)
            #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test("signing in again issues a new session: a cookie planted before sign-in is not carried over")
    func noFixation() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("A")
            let planted = "relief-session=planted-by-someone-else"
            let r = try await web.send(.post, "/v1/clinic/sign-in", headers: [.cookie: planted], json: signInBody(c.email, password))
            #expect(r.status == .ok)
            let cookie = try #require(r.headers[.setCookie])
            #expect(!cookie.hasPrefix("relief-session=planted-by-someone-else"))
            #expect(try await web.send(.get, "/v1/clinic/patients", headers: [.cookie: planted]).status == .unauthorized)
        }
    }
}

@Suite("Clinic routes: a failing store")
struct StoreFailureTests {
    @Test("a store that fails answers 500 with the API's error body and no detail of the database")
    func closedStore() async throws {
        try await ClinicWeb.run { web in
            let (c, password) = try await web.clinician("A")
            let s = try await web.signIn(email: c.email, password: password)
            try await web.store.close()
            let r = try await web.send(.get, "/v1/clinic/patients", headers: s.headers)
            #expect(r.status == .internalServerError)
            #expect(try body(r)["error"] as? String == "the clinic's store failed; try again later")
        }
    }
}
