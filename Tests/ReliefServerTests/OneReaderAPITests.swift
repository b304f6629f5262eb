import Foundation
import ReliefTestSupport
import Testing
import Relief
@testable import ReliefServer

/// The server's entry points give the same ``PlanRequest`` as the command line, a profile, a
/// batch line and a programme file (ReliefTests' `OneReaderTests`): the JSON body as the
/// `/v1/plan` handler reads it, and the page's form as `POST /` reads it.
@Suite("One request reader: the API and the page")
struct OneReaderAPITests {
    @Test("an HTTP body gives the request", arguments: [OneRequest.everyEntryPoint, OneRequest.everyField])
    func body(_ one: OneRequest) throws {
        var settings = ServerSettings()
        settings.threads = 1
        let service = ReliefService(catalogue: shippedCatalogue, settings: settings)
        defer { service.shutdown() }
        #expect(try service.planRequest(JSONNode.parse(one.json)) == one.expected)
    }

    @Test("the page's form gives the request")
    func form() throws {
        let one = OneRequest.everyEntryPoint
        let (form, formProblems) = PageForm.parse(try #require(one.form))
        let (request, problems) = form.request(catalogue: shippedCatalogue)
        #expect(formProblems.isEmpty && problems.isEmpty)
        #expect(request == one.expected)
    }
}
