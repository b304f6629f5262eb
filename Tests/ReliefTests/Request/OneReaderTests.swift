import Foundation
import ReliefTestSupport
import Testing
import Relief
import ReliefFormats

/// A request means the same whichever way it comes in: the command line's flags, a profile,
/// a batch line and a programme file each give the ``PlanRequest`` written out by hand in
/// ``OneRequest`` (the HTTP body and the page's form: ReliefServerTests' `OneReaderAPITests`).
@Suite("One request reader")
struct OneReaderTests {
    static let catalogue = try! Catalogue.load(directory: Fixtures.shipped)
    static let cases = [OneRequest.everyEntryPoint, OneRequest.everyField]

    @Test("a profile gives the request", arguments: cases)
    func profile(_ one: OneRequest) throws {
        let text = Array(#"{"name": "One", "#.utf8) + one.json.utf8.dropFirst()
        let profile = try Profile.parse(bytes: text, file: "one.json", catalogue: Self.catalogue)
        #expect(profile.request == one.expected)
    }

    @Test("a batch line gives the request, unexplained as batch lines are", arguments: cases)
    func batchLine(_ one: OneRequest) throws {
        let (request, problems) = BatchPlanner.request(bytes: Array(one.json.utf8), catalogue: Self.catalogue)
        #expect(problems.isEmpty)
        #expect(request == one.unexplained)
        // A request's own batch line reads back to it.
        #expect(BatchPlanner.request(bytes: Array(one.expected.batchLine.utf8), catalogue: Self.catalogue).0 == one.expected)
    }

    @Test("a programme file gives the request, unexplained as a programme is", arguments: cases)
    func programmeFile(_ one: OneRequest) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/programme.json"
            try write(#"{"schema": "relief-programme", "settings": {"start": "2026-12-07", "weeks": 1}, "request": \#(one.json)}"#, to: path)
            let (settings, request) = try ProgrammeFile.load(path: path, catalogue: Self.catalogue)
            #expect(settings.weeks == 1)
            #expect(request == one.unexplained)
        }
    }

    /// The flags, read by the built `relief`: `relief programme --out` keeps the request it
    /// read in its file, which gives the request back.
    @Test("the command line's flags give the request", arguments: cases)
    func flags(_ one: OneRequest) throws {
        try withTemporaryDirectory { dir in
            try write(one.screenFile, to: dir + "/screen.json")
            let out = dir + "/programme.json"
            let run = try runRelief(["programme", "--data", Fixtures.shipped, "--weeks", "1", "--start", "2026-12-07",
                                     "--screen", dir + "/screen.json", "--out", out] + one.flags)
            #expect([0, 4].contains(run.status), "\(run.stderr)")
            let (_, request) = try ProgrammeFile.load(path: out, catalogue: Self.catalogue)
            #expect(request == one.unexplained)
        }
    }

    @Test("equipment: any wins, none names nothing, case is ignored, whichever entry point")
    func equipmentWords() {
        #expect(PlanRequest.equipment(named: ["none"]) == [])
        #expect(PlanRequest.equipment(named: ["Foam Roller", "none"]) == ["foam roller"])
        #expect(PlanRequest.equipment(named: ["mat", "ANY"]) == nil)
        #expect(PlanRequest.equipment(named: []) == [])
    }

    @Test("screen answers: one reader, its problems typed and placed")
    func screenAnswers() throws {
        let node = try JSONNode.parse(#"{"fever": false, "nope": true, "night-pain": 1}"#)
        let (answers, problems) = RedFlagScreen.answers(node, field: "answers")
        #expect(answers == ["fever": false])
        #expect(problems.map(\.field) == ["answers", "answers.night-pain"])
        #expect(problems.map(\.value) == ["\"nope\"", "1"])
        #expect(problems.map(\.column) == [26, 46])
        // A request checks its ids with its other fields: the reader keeps them.
        #expect(RedFlagScreen.answers(node, field: "screen", checkingIDs: false).0 == ["fever": false, "nope": true])
    }
}
