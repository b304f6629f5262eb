import Foundation
import Testing
@testable import Relief
import ReliefTestSupport

/// Focus rows (issue 21): sets of exercises a session includes some of, as rows of the model.
/// Expected values come from the brute-force oracle (every combination of whole units) or by hand.
@Suite struct FocusTests {
    /// a1 is the cheap way to cover cause a; b1 covers b; f1 and f2 are dearer and in the focus
    /// "core"; g1 and g2 are the cheap pair a cap of one limits.
    static let exercises = """
    \(TinyCatalogue.header)
    a1,A one,mobilise,set,1 set,30,yes,4,0,,,2,0,est,x
    b1,B one,mobilise,set,1 set,30,yes,4,0,,,0,2,est,x
    f1,F one,strengthen,set,1 set,90,yes,2,0,,,1,1,est,x
    f2,F two,strengthen,set,1 set,120,yes,2,0,,,1,1,est,x
    g1,G one,stretch,set,1 set,20,yes,1,0,,,1,1,est,x
    g2,G two,stretch,set,1 set,20,yes,1,0,,,1,1,est,x

    """
    static let focusHeader = "id,name,exercises,minimum,maximum,applies,why,source"

    static func catalogue(focus rows: String) throws -> Catalogue {
        try withTemporaryDirectory { dir in
            try write(TinyCatalogue.causes, to: dir + "/causes.csv")
            try write(exercises, to: dir + "/exercises.csv")
            try write(focusHeader + "\n" + rows + "\n", to: dir + "/focus.csv")
            return try Catalogue.load(directory: dir)
        }
    }

    func ids(_ plan: Plan) -> Set<String> { Set(plan.exercises.map(\.id)) }

    @Test func aDefaultFocusIsARowOfTheModel() throws {
        let catalogue = try Self.catalogue(focus: "core,Core,f1;f2,1,,everyone,trunk,est")
        var request = PlanRequest.bare
        request.maxShare = 1
        let plan = try Planner(catalogue: catalogue).plan(request)
        // Without the focus: g1 + g2 give a 2, b 2 (40 s), then a1 and b1 one set each: 100 s.
        // With it, f1 (90 s) gives 1 of each: by the oracle.
        let oracle = bruteForceShortest(catalogue, minimums: [4, 4], share: 1,
                                        focus: [(members: [2, 3], least: 1, most: nil)])
        #expect(oracle != nil)
        #expect(abs(plan.totalSeconds - oracle!) < 1e-6)
        #expect(ids(plan).contains("f1") || ids(plan).contains("f2"))
        #expect(plan.focus.map(\.id) == ["core"])
        #expect(plan.focus[0].used >= 1 && plan.focus[0].met && !plan.focus[0].dropped)
        // The oracle without the focus is shorter: the row is what brings f in.
        let free = bruteForceShortest(catalogue, minimums: [4, 4], share: 1)!
        #expect(free < oracle! - 1e-6)
    }

    @Test func aDefaultWithNoRoomIsDroppedAndSaidSo() throws {
        let catalogue = try Self.catalogue(focus: "core,Core,f1;f2,1,,everyone,trunk,est")
        var request = PlanRequest.bare
        request.maxShare = 1
        // The shortest without the focus (oracle) fits 2 minutes; with it, it does not.
        let free = bruteForceShortest(catalogue, minimums: [4, 4], share: 1)!
        let withFocus = bruteForceShortest(catalogue, minimums: [4, 4], share: 1, focus: [(members: [2, 3], least: 1, most: nil)])!
        request.budgetSeconds = (free + withFocus) / 2
        #expect(free < request.budgetSeconds! && withFocus > request.budgetSeconds!)
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.status == .optimal)
        #expect(abs(plan.totalSeconds - free) < 1e-6)
        #expect(plan.focus.count == 1 && plan.focus[0].dropped && plan.focus[0].least == 1 && plan.focus[0].used == 0)
    }

    @Test func aRequestedFocusIsNotDroppedAndZeroSwitchesADefaultOff() throws {
        let catalogue = try Self.catalogue(focus: """
        core,Core,f1;f2,1,,everyone,trunk,est
        pair,Pair,f1;f2,0,,request,both,est
        """)
        var request = PlanRequest.bare
        request.maxShare = 1
        request.focus = ["pair": 2]
        let plan = try Planner(catalogue: catalogue).plan(request)
        let oracle = bruteForceShortest(catalogue, minimums: [4, 4], share: 1, focus: [(members: [2, 3], least: 2, most: nil)])!
        #expect(abs(plan.totalSeconds - oracle) < 1e-6)
        #expect(ids(plan).isSuperset(of: ["f1", "f2"]))
        request.focus = ["core": 0]
        let off = try Planner(catalogue: catalogue).plan(request)
        #expect(abs(off.totalSeconds - bruteForceShortest(catalogue, minimums: [4, 4], share: 1)!) < 1e-6)
        #expect(off.focus.isEmpty)
    }

    @Test func aConditionCapsAFocus() throws {
        let catalogue = try Self.catalogue(focus: "pairs,G pair,g1;g2,0,1,radicular-pain,at most one,est")
        var request = PlanRequest.bare
        request.maxShare = 1
        let free = try Planner(catalogue: catalogue).plan(request)
        #expect(ids(free).isSuperset(of: ["g1", "g2"]))   // both are in the unconstrained shortest (by hand: 100 s)
        #expect(abs(free.totalSeconds - 100) < 1e-6)
        let oracle = bruteForceShortest(catalogue, minimums: [4, 4], share: 1, focus: [(members: [4, 5], least: 0, most: 1)])!
        #expect(abs(oracle - 120) < 1e-6)   // by hand: a1 twice and b1 twice
        var withCondition = request
        withCondition.conditions = ["radicular-pain"]   // known to the catalogue through focus.csv
        let plan = try Planner(catalogue: catalogue).plan(withCondition)
        #expect(abs(plan.totalSeconds - oracle) < 1e-6)
        #expect(ids(plan).intersection(["g1", "g2"]).count <= 1)
        #expect(plan.focus.first?.most == 1 && plan.focus.first?.met == true)
    }

    /// A default that no routine can have under the cap on exercises is dropped for the limits,
    /// not the time. By hand: with at most 2 exercises, a1 + b1 (two sets each, 120 s) meet both
    /// minimums of 4 (f1 + f2 too, in 420 s); g1 with any one other cannot (g1 gives 1 of each
    /// cause; a1 adds only a, b1 only b, f1 or f2 at most 2 of each, g2 1 of each), however long
    /// the session.
    @Test func aDefaultLeftOutForTheLimitsSaysSo() throws {
        let catalogue = try Self.catalogue(focus: "stretch,Stretch,g1,1,,everyone,a stretch,est")
        var request = PlanRequest.bare
        request.maxShare = 1
        request.maxExercises = 2
        request.budgetSeconds = 3_600
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(plan.status == .optimal)
        #expect(ids(plan) == ["a1", "b1"])
        #expect(plan.focus.count == 1 && plan.focus[0].dropped && plan.focus[0].droppedFor == .limits)
    }

    /// A focus's dose floor (`min_units`, N6: two sets of each leg-strength exercise with
    /// osteoporosis) holds only for the condition it applies to. By hand, minimums 4 and 4:
    /// without the condition the focus asks for nothing and the shortest is g1 + g2 (40 s, 2 of
    /// each), then a1 and b1 one set each: 100 s. With it, at least one of f1, f2 at two sets or
    /// more: f1 twice (180 s, 2 of each) with g1 + g2 (40 s) meets both minimums in 220 s; f1 once
    /// (190 s with g1, g2, a1, b1) is what the floor rules out, and f2 twice (240 s) is dearer.
    @Test func aFocusDoseFloorHoldsForItsCondition() throws {
        let catalogue = try withTemporaryDirectory { dir in
            try write(TinyCatalogue.causes, to: dir + "/causes.csv")
            try write(Self.exercises, to: dir + "/exercises.csv")
            try write(Self.focusHeader + ",min_units\ncore,Core,f1;f2,1,,weak-legs,strength,est,2\n", to: dir + "/focus.csv")
            return try Catalogue.load(directory: dir)
        }
        #expect(catalogue.focuses.first?.minUnits == 2)
        var request = PlanRequest.bare
        request.maxShare = 1
        let free = try Planner(catalogue: catalogue).plan(request)
        #expect(abs(free.totalSeconds - 100) < 1e-6)
        #expect(catalogue.focusFloors(for: request).isEmpty)
        request.conditions = ["weak-legs"]
        #expect(catalogue.focusFloors(for: request) == [2: 2, 3: 2])
        let plan = try Planner(catalogue: catalogue).plan(request)
        #expect(abs(plan.totalSeconds - 220) < 1e-6, "\(plan.exercises.map { "\($0.id) \($0.units)" })")
        #expect(plan.exercises.first { $0.id == "f1" }?.units == 2)
        #expect(!ids(plan).contains("f2"))
        // A floor outside 0-5, or not whole, is refused where it stands.
        for bad in ["6", "1.5", "two"] {
            #expect {
                _ = try withTemporaryDirectory { dir in
                    try write(TinyCatalogue.causes, to: dir + "/causes.csv")
                    try write(Self.exercises, to: dir + "/exercises.csv")
                    try write(Self.focusHeader + ",min_units\ncore,Core,f1;f2,1,,weak-legs,strength,est,\(bad)\n", to: dir + "/focus.csv")
                    return try Catalogue.load(directory: dir)
                }
            } throws: { "\($0)".contains("focus.csv:2:9:") && "\($0)".contains("\"\(bad)\"") }
        }
    }

    @Test func theModelShowsItsFocusRows() throws {
        let catalogue = try Self.catalogue(focus: "core,Core,f1;f2,1,,everyone,trunk,est")
        try withTemporaryDirectory { dir in
            var request = PlanRequest.bare
            request.maxShare = 1
            try Planner(catalogue: catalogue).exportModel(request, to: dir + "/m.lp")
            let text = try String(contentsOfFile: dir + "/m.lp", encoding: .utf8)
            #expect(text.contains("focus_core:"))
        }
    }

    @Test func badFocusFilesAndRequestsSayWhere() throws {
        #expect {
            _ = try Self.catalogue(focus: "core,Core,f1;nope,1,,everyone,trunk,est")
        } throws: { error in
            let text = "\(error)"
            return text.contains("focus.csv:2:3:") && text.contains("\"nope\"")
        }
        #expect {
            _ = try Self.catalogue(focus: "core,Core,f1,2,1,everyone,trunk,est")
        } throws: { "\($0)".contains("focus.csv:2:5:") }
        let catalogue = try Self.catalogue(focus: "core,Core,f1;f2,1,,everyone,trunk,est")
        var request = PlanRequest.bare
        request.focus = ["cor": 1, "core": 9]
        let problems = request.validate(against: catalogue)
        #expect(problems.map(\.field).sorted() == ["focus", "focus.core"])
    }
}
